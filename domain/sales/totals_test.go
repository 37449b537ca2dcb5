package sales

import (
	"testing"

	"github.com/folio-mx/folio/domain"
)

func TestCompute(t *testing.T) {
	t.Parallel()
	iva16 := Taxes{IVATasa: dec("0.16")}
	line := func(qty, price, disc string, tx Taxes) Line {
		return Line{Cantidad: dec(qty), ValorUnitario: dec(price), Descuento: dec(disc), ObjetoImp: ObjetoImpSi, Taxes: tx}
	}
	tests := []struct {
		name                                  string
		decimals                              int32
		lines                                 []Line
		subtotal, descuento, tras, ret, total string
		hasTras                               bool
		groups                                int // document traslado groups
	}{
		// Plain IVA 16 %.
		{"iva 16", 2, []Line{line("2", "15999.00", "0", iva16)}, "31998", "0", "5119.68", "0", "37117.68", true, 1},
		// Professional services: two thirds of IVA and 10 % ISR withheld.
		{"withholdings", 2, []Line{line("10", "850", "0", Taxes{IVATasa: dec("0.16"), RetIVA: dec("0.106667"), RetISR: dec("0.10")})},
			"8500", "0", "1360", "1756.67", "8103.33", true, 1},
		// The discount lowers the tax base, not the SubTotal.
		{"discount", 2, []Line{line("3", "100", "30", iva16)}, "300", "30", "43.2", "0", "313.2", true, 1},
		// Exempt: a traslado without amount; no TotalImpuestosTrasladados.
		{"exento", 2, []Line{line("1", "420", "0", Taxes{IVAExento: true})}, "420", "0", "0", "0", "420", false, 1},
		// IEPS is part of the IVA base.
		{"ieps tasa", 2, []Line{line("1", "100", "0", Taxes{IVATasa: dec("0.16"), IEPSFactor: FactorTasa, IEPSValor: dec("0.265")})},
			"100", "0", "46.74", "0", "146.74", true, 2},
		{"ieps cuota", 2, []Line{line("10", "20", "0", Taxes{IVATasa: dec("0.16"), IEPSFactor: FactorCuota, IEPSValor: dec("6.4555")})},
			"200", "0", "106.89", "0", "306.89", true, 2},
		// Half up at the .xx5 boundary (tax.RoundImporte).
		{"half up", 2, []Line{line("1", "0.125", "0", iva16)}, "0.13", "0", "0.02", "0", "0.15", true, 1},
		{"below half", 2, []Line{line("1", "0.124999", "0", iva16)}, "0.12", "0", "0.02", "0", "0.14", true, 1},
		// Lines with the same tax and rate share one document group.
		{"grouping", 2, []Line{line("1", "10", "0", iva16), line("1", "20", "0", iva16), line("1", "5", "0", Taxes{IVATasa: dec("0")})},
			"35", "0", "4.8", "0", "39.8", true, 2},
		// A currency without decimals.
		{"jpy", 0, []Line{line("3", "333.333", "0", iva16)}, "1000", "0", "160", "0", "1160", true, 1},
		// Not object of tax: no taxes at all.
		{"no objeto", 2, []Line{{Cantidad: dec("1"), ValorUnitario: dec("99.99"), ObjetoImp: "01"}}, "99.99", "0", "0", "0", "99.99", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &Invoice{Lines: tt.lines}
			got, err := Compute(inv, tt.decimals)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ name, got, want string }{
				{"SubTotal", got.SubTotal.String(), tt.subtotal},
				{"Descuento", got.Descuento.String(), tt.descuento},
				{"TotalImpuestosTrasladados", got.TotalImpuestosTrasladados.String(), tt.tras},
				{"TotalImpuestosRetenidos", got.TotalImpuestosRetenidos.String(), tt.ret},
				{"Total", got.Total.String(), tt.total},
			} {
				if !dec(c.got).Equal(dec(c.want)) {
					t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
				}
			}
			if got.HasTrasladados != tt.hasTras || len(got.Traslados) != tt.groups {
				t.Errorf("HasTrasladados = %v, groups = %d; want %v, %d", got.HasTrasladados, len(got.Traslados), tt.hasTras, tt.groups)
			}
			// The screen's per-line net adds up to the document total.
			var sum = dec("0")
			for _, l := range got.Lines {
				sum = sum.Add(l.Neto)
			}
			if !sum.Equal(got.Total) {
				t.Errorf("sum of line nets = %s, want Total %s", sum, got.Total)
			}
		})
	}
}

func TestComputeRejectsNegative(t *testing.T) {
	t.Parallel()
	inv := &Invoice{Lines: []Line{{Cantidad: dec("-1"), ValorUnitario: dec("1")}}}
	if _, err := Compute(inv, 2); domain.KindOf(err) != domain.Invalid {
		t.Errorf("Compute(negative) = %v, want Invalid", err)
	}
}
