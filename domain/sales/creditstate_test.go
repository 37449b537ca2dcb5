package sales

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestCreditedOf(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	tests := []struct {
		name            string
		total, credited string
		want            CreditedState
	}{
		{"no note", "1160.00", "0", CreditedNone},
		{"a centavo", "1160.00", "0.01", CreditedPartial},
		{"all but a centavo", "1160.00", "1159.99", CreditedPartial},
		{"exactly the total", "1160.00", "1160", CreditedFull},
		{"above the total", "1160.00", "1160.000001", CreditedFull},
		{"negative sum", "1160.00", "-1", CreditedNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CreditedOf(d(tt.total), d(tt.credited)); got != tt.want {
				t.Errorf("CreditedOf(%s, %s) = %q, want %q", tt.total, tt.credited, got, tt.want)
			}
		})
	}
	if CreditedNone.Label() != "" || CreditedPartial.Label() == "" || CreditedFull.Label() == "" {
		t.Error("only the none state has no label")
	}
	if Devolucion.Label() != "Devolución" || Rebaja.Label() != "Rebaja" {
		t.Errorf("kind labels %q, %q", Devolucion.Label(), Rebaja.Label())
	}
}
