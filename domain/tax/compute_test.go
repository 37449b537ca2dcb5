package tax_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
)

func rate(impuesto, tipoFactor, tasa string) tax.Rate {
	r := tax.Rate{Impuesto: impuesto, TipoFactor: tipoFactor, TasaOCuota: decimal.Zero}
	if tasa != "" {
		r.TasaOCuota = d(tasa)
	}
	return r
}

var (
	iva16   = rate(tax.IVA, tax.Tasa, "0.160000")
	iva8    = rate(tax.IVA, tax.Tasa, "0.080000")
	iva0    = rate(tax.IVA, tax.Tasa, "0.000000")
	ivaEx   = rate(tax.IVA, tax.Exento, "")
	ieps265 = rate(tax.IEPS, tax.Tasa, "0.265000")
	ieps8   = rate(tax.IEPS, tax.Tasa, "0.080000")
	retISR  = rate(tax.ISR, tax.Tasa, "0.100000")
	retIVA  = rate(tax.IVA, tax.Tasa, "0.106667")
)

func line(cantidad, valor, descuento string, traslados []tax.Rate, retenciones ...tax.Rate) tax.Line {
	l := tax.Line{Cantidad: d(cantidad), ValorUnitario: d(valor), Descuento: decimal.Zero, ObjetoImp: "02",
		Traslados: traslados, Retenciones: retenciones}
	if descuento != "" {
		l.Descuento = d(descuento)
	}
	if len(traslados)+len(retenciones) == 0 {
		l.ObjetoImp = "01"
	}
	return l
}

func mustLine(tb testing.TB, l tax.Line, decimals int32) tax.LineAmounts {
	tb.Helper()
	a, err := tax.ComputeLine(l, decimals)
	if err != nil {
		tb.Fatalf("ComputeLine = %v", err)
	}
	return a
}

// TestWorkedExample: 100 PZA at 11.50 and 200 KG at 10.00, both IVA 16 %.
func TestWorkedExample(t *testing.T) {
	t.Parallel()
	lines := []tax.LineAmounts{
		mustLine(t, line("100", "11.50", "", []tax.Rate{iva16}), 2),
		mustLine(t, line("200", "10.00", "", []tax.Rate{iva16}), 2),
	}
	tot := tax.ComputeTotals(lines, 2)
	for _, f := range []struct {
		name      string
		got, want string
	}{
		{"SubTotal", tax.Format(tot.SubTotal, 2), "3150.00"},
		{"Descuento", tax.Format(tot.Descuento, 2), "0.00"},
		{"TotalTrasladados", tax.Format(tot.TotalTrasladados, 2), "504.00"},
		{"TotalRetenidos", tax.Format(tot.TotalRetenidos, 2), "0.00"},
		{"Total", tax.Format(tot.Total, 2), "3654.00"},
		{"line 1 IVA", tax.Format(lines[0].Traslados[0].Importe, 2), "184.00"},
		{"line 2 IVA", tax.Format(lines[1].Traslados[0].Importe, 2), "320.00"},
	} {
		if f.got != f.want {
			t.Errorf("%s = %s, want %s", f.name, f.got, f.want)
		}
	}
	if len(tot.Traslados) != 1 || tax.Format(tot.Traslados[0].Base, 2) != "3150.00" || tax.Format(tot.Traslados[0].Importe, 2) != "504.00" {
		t.Errorf("Traslados = %+v, want one IVA 16 %% group with Base 3150.00 and Importe 504.00", tot.Traslados)
	}
	if !tot.HasTraslados || !tot.HasTotalTrasladados || tot.HasRetenciones {
		t.Errorf("Has* = %v %v %v, want true true false", tot.HasTraslados, tot.HasTotalTrasladados, tot.HasRetenciones)
	}
}

// want describes a computed tax as "Impuesto TipoFactor base importe".
func describe(x tax.TaxAmount, decimals int32) string {
	return fmt.Sprintf("%s %s %s %s", x.Impuesto, x.TipoFactor, tax.Format(x.Base, decimals), tax.Format(x.Importe, decimals))
}

func TestComputeLine(t *testing.T) {
	t.Parallel()
	cuota := rate(tax.IEPS, tax.Cuota, "6.455500")
	tests := []struct {
		name                     string
		l                        tax.Line
		decimals                 int32
		importe, descuento, base string
		traslados, retenciones   []string
	}{
		// IVA.
		{name: "IVA 16 %", l: line("1", "1000", "", []tax.Rate{iva16}), decimals: 2,
			importe: "1000.00", descuento: "0.00", base: "1000.00", traslados: []string{"002 Tasa 1000.00 160.00"}},
		{name: "IVA 8 % región fronteriza", l: line("3", "33.33", "", []tax.Rate{iva8}), decimals: 2,
			importe: "99.99", descuento: "0.00", base: "99.99", traslados: []string{"002 Tasa 99.99 8.00"}},
		{name: "IVA 0 %", l: line("10", "25.00", "", []tax.Rate{iva0}), decimals: 2,
			importe: "250.00", descuento: "0.00", base: "250.00", traslados: []string{"002 Tasa 250.00 0.00"}},
		{name: "IVA Exento", l: line("1.00", "15390.30", "", []tax.Rate{ivaEx}), decimals: 2,
			importe: "15390.30", descuento: "0.00", base: "15390.30", traslados: []string{"002 Exento 15390.30 0.00"}},
		{name: "half-up tax at .xx5", l: line("1", "0.5", "", []tax.Rate{rate(tax.IVA, tax.Tasa, "0.250000")}), decimals: 2,
			importe: "0.50", descuento: "0.00", base: "0.50", traslados: []string{"002 Tasa 0.50 0.13"}},
		// Descuento (sample 01's concept, computed exactly).
		{name: "descuento", l: line("4", "956.04", "956.04", []tax.Rate{iva16}), decimals: 2,
			importe: "3824.16", descuento: "956.04", base: "2868.12", traslados: []string{"002 Tasa 2868.12 458.90"}},
		{name: "descuento rounded", l: line("1", "100", "10.125", []tax.Rate{iva16}), decimals: 2,
			importe: "100.00", descuento: "10.13", base: "89.87", traslados: []string{"002 Tasa 89.87 14.38"}},
		// IEPS: its amount is in the IVA base, whatever the order given (sample 12).
		{name: "IEPS 26.5 % + IVA 16 %", l: line("6", "200.00", "", []tax.Rate{ieps265, iva16}), decimals: 2,
			importe: "1200.00", descuento: "0.00", base: "1200.00",
			traslados: []string{"003 Tasa 1200.00 318.00", "002 Tasa 1518.00 242.88"}},
		{name: "IVA listed before IEPS", l: line("6", "200.00", "", []tax.Rate{iva16, ieps265}), decimals: 2,
			importe: "1200.00", descuento: "0.00", base: "1200.00",
			traslados: []string{"002 Tasa 1518.00 242.88", "003 Tasa 1200.00 318.00"}},
		{name: "IEPS 8 % + IVA 0 %", l: line("10", "25.00", "", []tax.Rate{ieps8, iva0}), decimals: 2,
			importe: "250.00", descuento: "0.00", base: "250.00",
			traslados: []string{"003 Tasa 250.00 20.00", "002 Tasa 270.00 0.00"}},
		{name: "IEPS cuota per unit + IVA 16 %", l: line("10", "45.00", "", []tax.Rate{cuota, iva16}), decimals: 2,
			importe: "450.00", descuento: "0.00", base: "450.00",
			traslados: []string{"003 Cuota 10.00 64.56", "002 Tasa 514.56 82.33"}},
		// Retenciones (samples 06 and 14; RESICO ISR 1.25 %, fletes IVA 4 %).
		{name: "honorarios", l: line("1", "10000.00", "", []tax.Rate{iva16}, retISR, retIVA), decimals: 2,
			importe: "10000.00", descuento: "0.00", base: "10000.00",
			traslados: []string{"002 Tasa 10000.00 1600.00"}, retenciones: []string{"001 Tasa 10000.00 1000.00", "002 Tasa 10000.00 1066.67"}},
		{name: "sample 06", l: line("1.00", "1250.30", "", []tax.Rate{iva16}, retISR, retIVA), decimals: 2,
			importe: "1250.30", descuento: "0.00", base: "1250.30",
			traslados: []string{"002 Tasa 1250.30 200.05"}, retenciones: []string{"001 Tasa 1250.30 125.03", "002 Tasa 1250.30 133.37"}},
		{name: "RESICO and fletes", l: line("1", "1234.56", "", []tax.Rate{iva16}, rate(tax.ISR, tax.Tasa, "0.012500"), rate(tax.IVA, tax.Tasa, "0.040000")), decimals: 2,
			importe: "1234.56", descuento: "0.00", base: "1234.56",
			traslados: []string{"002 Tasa 1234.56 197.53"}, retenciones: []string{"001 Tasa 1234.56 15.43", "002 Tasa 1234.56 49.38"}},
		// Other currencies.
		{name: "JPY, no decimals", l: line("3", "333.5", "", []tax.Rate{iva16}), decimals: 0,
			importe: "1001", descuento: "0", base: "1001", traslados: []string{"002 Tasa 1001 160"}},
		{name: "CLF, four decimals", l: line("1", "10.12345", "", []tax.Rate{iva16}), decimals: 4,
			importe: "10.1235", descuento: "0.0000", base: "10.1235", traslados: []string{"002 Tasa 10.1235 1.6198"}},
		// No taxes.
		{name: "no objeto de impuesto", l: line("2", "0.125", "", nil), decimals: 2,
			importe: "0.25", descuento: "0.00", base: "0.25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := mustLine(t, tt.l, tt.decimals)
			if got := tax.Format(a.Importe, tt.decimals); got != tt.importe {
				t.Errorf("Importe = %s, want %s", got, tt.importe)
			}
			if got := tax.Format(a.Descuento, tt.decimals); got != tt.descuento {
				t.Errorf("Descuento = %s, want %s", got, tt.descuento)
			}
			if got := tax.Format(a.Base, tt.decimals); got != tt.base {
				t.Errorf("Base = %s, want %s", got, tt.base)
			}
			compare := func(kind string, got []tax.TaxAmount, want []string) {
				if len(got) != len(want) {
					t.Fatalf("%s: %d taxes, want %d", kind, len(got), len(want))
				}
				for i := range got {
					if s := describe(got[i], tt.decimals); s != want[i] {
						t.Errorf("%s[%d] = %q, want %q", kind, i, s, want[i])
					}
				}
			}
			compare("Traslados", a.Traslados, tt.traslados)
			compare("Retenciones", a.Retenciones, tt.retenciones)
		})
	}
}

func TestComputeLineErrors(t *testing.T) {
	t.Parallel()
	l := func(mod func(*tax.Line)) tax.Line {
		x := line("1", "100", "", []tax.Rate{iva16})
		mod(&x)
		return x
	}
	tests := []struct {
		name     string
		l        tax.Line
		decimals int32
		code     string // "" = no SAT code
		count    int    // problems reported
		kind     domain.Kind
	}{
		{"zero cantidad", l(func(x *tax.Line) { x.Cantidad = d("0") }), 2, "CFDI40174", 2, domain.Invalid},        // and base ≤ 0
		{"negative valor unitario", l(func(x *tax.Line) { x.ValorUnitario = d("-1") }), 2, "", 2, domain.Invalid}, // and base ≤ 0
		{"seven decimals", l(func(x *tax.Line) { x.Cantidad = d("1.0000001") }), 2, "", 1, domain.Invalid},
		{"descuento above importe", l(func(x *tax.Line) { x.Descuento = d("100.01") }), 2, "CFDI40169", 2, domain.Invalid}, // and base ≤ 0
		{"descuento equal to importe", l(func(x *tax.Line) { x.Descuento = d("100") }), 2, "CFDI40174", 1, domain.Invalid},
		{"objeto 02 without taxes", l(func(x *tax.Line) { x.Traslados = nil }), 2, "CFDI40171", 1, domain.Invalid},
		{"objeto 01 with taxes", l(func(x *tax.Line) { x.ObjetoImp = "01" }), 2, "CFDI40172", 1, domain.Invalid},
		{"unknown objeto", l(func(x *tax.Line) { x.ObjetoImp = "99" }), 2, "CFDI40170", 1, domain.Invalid},
		{"unknown impuesto", l(func(x *tax.Line) { x.Traslados = []tax.Rate{rate("004", tax.Tasa, "0.1")} }), 2, "CFDI40175", 1, domain.Invalid},
		{"ISR trasladado", l(func(x *tax.Line) { x.Traslados = []tax.Rate{rate(tax.ISR, tax.Tasa, "0.1")} }), 2, "", 1, domain.Invalid},
		{"unknown tipo factor", l(func(x *tax.Line) { x.Traslados = []tax.Rate{rate(tax.IVA, "Tasa ", "0.16")} }), 2, "CFDI40176", 1, domain.Invalid},
		{"retención Exento", l(func(x *tax.Line) { x.Retenciones = []tax.Rate{rate(tax.ISR, tax.Exento, "")} }), 2, "CFDI40184", 1, domain.Invalid},
		{"IVA por cuota", l(func(x *tax.Line) { x.Traslados = []tax.Rate{rate(tax.IVA, tax.Cuota, "1")} }), 2, "", 1, domain.Invalid},
		{"negative tasa", l(func(x *tax.Line) { x.Traslados = []tax.Rate{rate(tax.IVA, tax.Tasa, "-0.16")} }), 2, "", 1, domain.Invalid},
		{"every problem at once", l(func(x *tax.Line) {
			x.Cantidad, x.ObjetoImp = d("0"), "01"
			x.Retenciones = []tax.Rate{rate(tax.ISR, tax.Exento, "")}
		}), 2, "CFDI40172", 4, domain.Invalid},
		{"currency decimals out of range", l(func(*tax.Line) {}), 7, "", 1, domain.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tax.ComputeLine(tt.l, tt.decimals)
			if err == nil {
				t.Fatal("ComputeLine succeeded, want an error")
			}
			if k := domain.KindOf(err); k != tt.kind {
				t.Errorf("KindOf = %v, want %v (%v)", k, tt.kind, err)
			}
			problems := flatten(err)
			if len(problems) != tt.count {
				t.Errorf("%d problems, want %d: %v", len(problems), tt.count, err)
			}
			if tt.code != "" && !hasCode(err, tt.code) {
				t.Errorf("no problem with code %s: %v", tt.code, err)
			}
			if tt.kind == domain.Invalid {
				for _, p := range problems {
					if p.Msg == "" {
						t.Errorf("problem without a user message: %v", p)
					}
				}
			}
		})
	}
}

// flatten returns the *domain.Error values joined in err.
func flatten(err error) []*domain.Error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*domain.Error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	var e *domain.Error
	if errors.As(err, &e) {
		return []*domain.Error{e}
	}
	return nil
}

func hasCode(err error, code string) bool {
	for _, p := range flatten(err) {
		if p.Code == code {
			return true
		}
	}
	return false
}

func TestComputeTotals(t *testing.T) {
	t.Parallel()
	t.Run("sample 12 grouping and order", func(t *testing.T) {
		t.Parallel()
		tot := tax.ComputeTotals([]tax.LineAmounts{
			mustLine(t, line("6", "200.00", "", []tax.Rate{ieps265, iva16}), 2),
			mustLine(t, line("10", "25.00", "", []tax.Rate{ieps8, iva0}), 2),
		}, 2)
		want := []string{"002 Tasa 1518.00 242.88", "002 Tasa 270.00 0.00", "003 Tasa 1200.00 318.00", "003 Tasa 250.00 20.00"}
		if len(tot.Traslados) != len(want) {
			t.Fatalf("Traslados = %+v", tot.Traslados)
		}
		for i, w := range want {
			if got := describe(tot.Traslados[i], 2); got != w {
				t.Errorf("Traslados[%d] = %q, want %q", i, got, w)
			}
		}
		if got := tax.Format(tot.TotalTrasladados, 2); got != "580.88" {
			t.Errorf("TotalTrasladados = %s, want 580.88", got)
		}
		if got := tax.Format(tot.Total, 2); got != "2030.88" {
			t.Errorf("Total = %s, want 2030.88", got)
		}
	})
	t.Run("equal rates written differently share a group", func(t *testing.T) {
		t.Parallel()
		tot := tax.ComputeTotals([]tax.LineAmounts{
			mustLine(t, line("1", "100", "", []tax.Rate{rate(tax.IVA, tax.Tasa, "0.16")}), 2),
			mustLine(t, line("1", "50", "", []tax.Rate{iva16}), 2),
		}, 2)
		if len(tot.Traslados) != 1 || describe(tot.Traslados[0], 2) != "002 Tasa 150.00 24.00" {
			t.Errorf("Traslados = %+v, want one group 150.00 / 24.00", tot.Traslados)
		}
	})
	t.Run("exento only: no TotalImpuestosTrasladados", func(t *testing.T) {
		t.Parallel()
		tot := tax.ComputeTotals([]tax.LineAmounts{
			mustLine(t, line("1.00", "15390.30", "", []tax.Rate{ivaEx}, retISR), 2),
		}, 2)
		if !tot.HasTraslados || tot.HasTotalTrasladados || !tot.HasRetenciones {
			t.Errorf("Has* = %v %v %v, want true false true", tot.HasTraslados, tot.HasTotalTrasladados, tot.HasRetenciones)
		}
		if got := tax.Format(tot.Total, 2); got != "13851.27" { // sample 05
			t.Errorf("Total = %s, want 13851.27", got)
		}
	})
	t.Run("retenciones grouped by impuesto, ISR first", func(t *testing.T) {
		t.Parallel()
		tot := tax.ComputeTotals([]tax.LineAmounts{
			mustLine(t, line("1", "1000", "", []tax.Rate{iva16}, retIVA, retISR), 2),
			mustLine(t, line("1", "2000", "", []tax.Rate{iva16}, retISR), 2),
		}, 2)
		if len(tot.Retenciones) != 2 {
			t.Fatalf("Retenciones = %+v", tot.Retenciones)
		}
		if got := tot.Retenciones[0].Impuesto + " " + tax.Format(tot.Retenciones[0].Importe, 2); got != "001 300.00" {
			t.Errorf("Retenciones[0] = %s, want 001 300.00", got)
		}
		if got := tot.Retenciones[1].Impuesto + " " + tax.Format(tot.Retenciones[1].Importe, 2); got != "002 106.67" {
			t.Errorf("Retenciones[1] = %s, want 002 106.67", got)
		}
		if got := tax.Format(tot.Total, 2); got != "3073.33" { // 3000 + 480 − 406.67
			t.Errorf("Total = %s, want 3073.33", got)
		}
	})
	t.Run("descuentos and no lines", func(t *testing.T) {
		t.Parallel()
		tot := tax.ComputeTotals([]tax.LineAmounts{
			mustLine(t, line("4", "956.04", "956.04", []tax.Rate{iva16}), 2),
		}, 2)
		if got := tax.Format(tot.Total, 2); got != "3327.02" { // 3824.16 − 956.04 + 458.90
			t.Errorf("Total = %s, want 3327.02", got)
		}
		empty := tax.ComputeTotals(nil, 2)
		if !empty.Total.IsZero() || empty.HasTraslados || empty.HasRetenciones {
			t.Errorf("ComputeTotals(nil) = %+v", empty)
		}
	})
}

func tenLines() []tax.Line {
	lines := make([]tax.Line, 10)
	for i := range lines {
		lines[i] = line(fmt.Sprintf("%d.5", i+1), fmt.Sprintf("%d.37", 100*i+13), "1.10", []tax.Rate{ieps8, iva16}, retISR, retIVA)
	}
	return lines
}

func BenchmarkComputeLine(b *testing.B) {
	lines := tenLines()
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			if _, err := tax.ComputeLine(l, 2); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkComputeTotals(b *testing.B) {
	var amounts []tax.LineAmounts
	for _, l := range tenLines() {
		amounts = append(amounts, mustLine(b, l, 2))
	}
	b.ReportAllocs()
	for b.Loop() {
		tax.ComputeTotals(amounts, 2)
	}
}
