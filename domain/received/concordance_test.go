package received

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

func catalog(ps ...sales.Product) func(int64) (sales.Product, bool) {
	return func(id int64) (sales.Product, bool) {
		for _, p := range ps {
			if p.ID == id {
				return p, true
			}
		}
		return sales.Product{}, false
	}
}

func texts(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		mark := "Aviso"
		if f.Error {
			mark = "ERROR"
		}
		out = append(out, mark+" "+f.Msg)
	}
	return out
}

// TestConcordanceWorkedExample is the example: before mapping the
// line has no product and DOC 0.00 vs XML 156.60; mapped to a product with
// IVA 16 % it is clean, 135.00 + 21.60 = 156.60; with the memory of that
// mapping a second import maps the line by itself.
func TestConcordanceWorkedExample(t *testing.T) {
	t.Parallel()
	d := stamped(t, worked(), Emitido)
	c, err := NewConcordance(d, customer(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Refresh(catalog(product16()), 2); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(texts(c.Report), "\n")
	for _, want := range []string{
		"ERROR Concepto 1 «Tornillo  hexagonal ½ pulgada»: no tiene producto",
		"ERROR Total — DOC: 0.00 XML: 156.60",
		"Aviso el XML trae un traslado de IVA Tasa 0.160000 (importe 21.60) que el documento no tiene",
		"Aviso IVA — DOC: 0 conceptos, 0.00; XML: 1 conceptos, 21.60",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report before mapping lacks %q:\n%s", want, got)
		}
	}
	if !c.Blocked() {
		t.Fatal("a line without product must block")
	}
	if _, err := c.Accepted(); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Accepted with errors = %v, want Invalid", err)
	}

	c.Lines[0].ProductID = product16().ID
	if err := c.Refresh(catalog(product16()), 2); err != nil {
		t.Fatal(err)
	}
	if len(c.Report) != 0 || c.Blocked() {
		t.Fatalf("report after mapping = %q, want clean", texts(c.Report))
	}
	if c.Totals.SubTotal.StringFixed(2) != "135.00" || c.Totals.TotalImpuestosTrasladados.StringFixed(2) != "21.60" ||
		c.Totals.Total.StringFixed(2) != "156.60" {
		t.Fatalf("totals %s + %s = %s", c.Totals.SubTotal, c.Totals.TotalImpuestosTrasladados, c.Totals.Total)
	}
	l := c.Invoice.Lines[0]
	if !l.Cantidad.Equal(decimal.NewFromInt(10)) || l.ValorUnitario.StringFixed(2) != "13.50" || l.ProductID != 40 ||
		l.Descripcion != "Tornillo  hexagonal ½ pulgada" || l.ObjetoImp != "02" || !l.Taxes.IVATasa.Equal(decimal.RequireFromString("0.16")) {
		t.Errorf("draft line = %+v", l)
	}
	inv := c.Invoice
	if inv.CustomerID != 5 || !inv.Fecha.Equal(testFecha) || inv.Moneda != "MXN" || inv.UsoCFDI != "G03" || inv.FormaPago != "03" ||
		inv.Terms != sales.Contado || inv.State != sales.StateDraft {
		t.Errorf("draft header = %+v", inv)
	}
	ms, err := c.Accepted()
	if err != nil || len(ms) != 1 || ms[0].Description != NormalizeDescription("tornillo HEXAGONAL ½  pulgada") || ms[0].ProductID != 40 {
		t.Fatalf("Accepted = %+v, %v", ms, err)
	}

	// The second import: the memory offers the product, most confirmed first.
	memory := []Mapping{
		{Description: ms[0].Description, ProductID: 41, Confirmations: 1, LastUsed: testFecha},
		{Description: ms[0].Description, ProductID: 40, Confirmations: 3, LastUsed: testFecha.Add(-time.Hour)},
	}
	again, err := NewConcordance(d, customer(), memory)
	if err != nil {
		t.Fatal(err)
	}
	if again.Lines[0].ProductID != 40 || len(again.Lines[0].Suggested) != 2 || again.Lines[0].Suggested[0].Confirmations != 3 {
		t.Fatalf("second import line = %+v", again.Lines[0])
	}
	if err := again.Refresh(catalog(product16()), 2); err != nil || len(again.Report) != 0 {
		t.Fatalf("second import report = %q, %v", texts(again.Report), err)
	}
}

// TestConcordanceReport: what each difference reports.
func TestConcordanceReport(t *testing.T) {
	t.Parallel()
	p0 := product16()
	p0.ID, p0.Taxes = 41, sales.Taxes{} // IVA 0 %
	exento := product16()
	exento.ID, exento.Taxes = 42, sales.Taxes{IVAExento: true}
	ret := product16()
	ret.ID, ret.Taxes.RetISR = 43, decimal.RequireFromString("0.10")
	tests := []struct {
		name    string
		product sales.Product
		errors  []string
		notices []string
	}{
		{"IVA 16 %", product16(), nil, nil},
		{"IVA 0 %", p0, []string{"Total — DOC: 135.00 XML: 156.60"},
			[]string{"traslado de IVA Tasa 0.160000 (importe 21.60) que el documento no tiene", "IVA — DOC: 1 conceptos, 0.00; XML: 1 conceptos, 21.60"}},
		{"IVA exento", exento, []string{"Total — DOC: 135.00 XML: 156.60"},
			[]string{"traslado de IVA Tasa 0.160000", "IVA — DOC: 1 conceptos, 0.00"}},
		{"ISR withheld", ret, []string{"Total — DOC: 143.10 XML: 156.60"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewConcordance(stamped(t, worked(), Emitido), customer(), nil)
			if err != nil {
				t.Fatal(err)
			}
			c.Lines[0].ProductID = tc.product.ID
			if err := c.Refresh(catalog(tc.product), 2); err != nil {
				t.Fatal(err)
			}
			var errs, notes []string
			for _, f := range c.Report {
				if f.Error {
					errs = append(errs, f.Msg)
				} else {
					notes = append(notes, f.Msg)
				}
			}
			if len(errs) != len(tc.errors) || len(notes) != len(tc.notices) {
				t.Fatalf("report = %q, want errors %q and notices %q", texts(c.Report), tc.errors, tc.notices)
			}
			for i, w := range tc.errors {
				if !strings.Contains(errs[i], w) {
					t.Errorf("error %d = %q, want %q", i, errs[i], w)
				}
			}
			for i, w := range tc.notices {
				if !strings.Contains(notes[i], w) {
					t.Errorf("notice %d = %q, want %q", i, notes[i], w)
				}
			}
		})
	}
}

// TestConcordanceRefuses: discounts (not yet), other types and 3.x.
func TestConcordanceRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  func(t *testing.T) Doc
		want string
	}{
		{"discount on a concept", func(t *testing.T) Doc {
			c := worked()
			c.Conceptos[0].Descuento, c.Descuento = "5.00", "5.00"
			return stamped(t, c, Emitido)
		}, "tiene descuentos"},
		{"egreso", func(t *testing.T) Doc {
			c := worked()
			c.TipoDeComprobante = "E"
			return stamped(t, c, Emitido)
		}, "tipo Ingreso"},
		{"historical", func(t *testing.T) Doc {
			d := stamped(t, worked(), Emitido)
			d.Historical, d.Version = true, "3.3"
			return d
		}, "CFDI 4.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewConcordance(tc.doc(t), customer(), nil)
			if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tc.want) {
				t.Fatalf("NewConcordance = %v, want Invalid with %q", err, tc.want)
			}
		})
	}
}
