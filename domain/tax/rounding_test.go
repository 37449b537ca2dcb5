package tax_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/tax"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestRoundingRules pins every SAT rounding rule at the .xx5 boundaries:
// half up (never half-even), in the currency's decimals.
func TestRoundingRules(t *testing.T) {
	t.Parallel()
	rules := []struct {
		name string
		fn   func(decimal.Decimal, int32) decimal.Decimal
	}{
		{"RoundImporte", tax.RoundImporte},
		{"RoundDescuento", tax.RoundDescuento},
		{"RoundImpuestoConcepto", tax.RoundImpuestoConcepto},
		{"RoundTotal", tax.RoundTotal},
		{"RoundImpuestoDR", tax.RoundImpuestoDR},
	}
	tests := []struct {
		in       string
		decimals int32
		want     string
	}{
		// Exactly half: up, also where half-even would go down.
		{"0.125", 2, "0.13"},
		{"0.135", 2, "0.14"},
		{"2.005", 2, "2.01"},
		{"1.0050000", 2, "1.01"},
		{"458.8950", 2, "458.90"},
		// Just below and above half.
		{"0.124999", 2, "0.12"},
		{"0.125001", 2, "0.13"},
		{"3824.164999", 2, "3824.16"},
		// Already in range, and zero.
		{"3150.00", 2, "3150.00"},
		{"0", 2, "0"},
		// Currencies without and with more decimals (c_Moneda: JPY 0, BHD 3, CLF 4).
		{"2.5", 0, "3"},
		{"3.5", 0, "4"},
		{"1.4999", 0, "1"},
		{"10.0005", 3, "10.001"},
		{"0.00005", 4, "0.0001"},
		{"0.00004999", 4, "0"},
		// Six-decimal products (Cantidad × ValorUnitario of sample 02).
		{"136.551724", 2, "136.55"},
		{"853.448276", 2, "853.45"},
	}
	for _, r := range rules {
		for _, tt := range tests {
			t.Run(r.name+"/"+tt.in, func(t *testing.T) {
				if got := r.fn(d(tt.in), tt.decimals); !got.Equal(d(tt.want)) {
					t.Errorf("%s(%s, %d) = %s, want %s", r.name, tt.in, tt.decimals, got, tt.want)
				}
			})
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"3150", 2, "3150.00"},
		{"0.16", 6, "0.160000"},
		{"1234567.5", 2, "1234567.50"},
		{"0", 2, "0.00"},
		{"0", 0, "0"},
		{"12.5", 0, "13"},
		{"-0.001", 2, "0.00"},
		{"0.265", 6, "0.265000"},
	}
	for _, tt := range tests {
		if got := tax.Format(d(tt.in), tt.places); got != tt.want {
			t.Errorf("Format(%s, %d) = %q, want %q", tt.in, tt.places, got, tt.want)
		}
	}
}

func TestRoundPagos(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		fn             func(decimal.Decimal) decimal.Decimal
	}{
		{"P half up", "2068.9600005", "2068.960001", tax.RoundImpuestoP},
		{"P below half", "2068.9600004999", "2068.96", tax.RoundImpuestoP},
		{"P already", "12931.04", "12931.04", tax.RoundImpuestoP},
		{"Totales half up", "12931.045", "12931.05", tax.RoundTotalPagos},
		{"Totales below", "12931.044999", "12931.04", tax.RoundTotalPagos},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(d(tt.in)); !got.Equal(d(tt.want)) {
				t.Errorf("%s(%s) = %s, want %s", tt.name, tt.in, got, tt.want)
			}
		})
	}
}
