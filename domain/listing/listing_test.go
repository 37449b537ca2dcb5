package listing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

func TestFormat(t *testing.T) {
	instant := time.Date(2026, 3, 1, 5, 30, 0, 0, time.UTC) // 28/02 23:30 in Mexico City (UTC-6)
	for _, tt := range []struct {
		name string
		kind Kind
		v    any
		want string
	}{
		{"text", Text, "0101", "0101"},
		{"nil", Money, nil, ""},
		{"money", Money, decimal.RequireFromString("1234567.5"), "$1,234,567.50"},
		{"negative money", Money, decimal.RequireFromString("-0.5"), "-$0.50"},
		{"quantity keeps its decimals", Quantity, decimal.RequireFromString("2.125"), "2.125"},
		{"day as it is", Date, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), "07/12/2026"},
		{"instant in Mexico City", DateTime, instant, "28/02/2026 23:30"},
		{"zero time", DateTime, time.Time{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.kind, tt.v); got != tt.want {
				t.Errorf("Format(%v, %v) = %q, want %q", tt.kind, tt.v, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	cols := []Column{{"Código", Text}, {"Total", Money}, {"Fecha", Date}}
	good := Row{"A", decimal.NewFromInt(1), time.Now()}
	if err := Check(cols, good); err != nil {
		t.Errorf("good row: %v", err)
	}
	if err := Check(cols, Row{"A", nil, nil}); err != nil {
		t.Errorf("empty cells: %v", err)
	}
	for _, bad := range []Row{{"A", "1.00", time.Now()}, {"A", decimal.Zero}, {1, decimal.Zero, time.Now()}} {
		if err := Check(cols, bad); domain.KindOf(err) != domain.Internal {
			t.Errorf("Check(%v) = %v, want an Internal error", bad, err)
		}
	}
}

func TestTexts(t *testing.T) {
	tab := Table{Columns: []Column{{"Cliente", Text}, {"Saldo", Money}}, Rows: []Row{{"ACME", decimal.RequireFromString("10")}, {"Sin saldo", nil}}}
	h, rows := tab.Texts()
	if len(h) != 2 || h[1] != "Saldo" || rows[0][1] != "$10.00" || rows[1][1] != "" || rows[1][0] != "Sin saldo" {
		t.Errorf("Texts = %v %v", h, rows)
	}
}
