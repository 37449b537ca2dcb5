package received

import (
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// TestCheckLinkRules: each rule of the link refuses with a Conflict that
// names it; a draft of the same sale takes the external CFDI.
func TestCheckLinkRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		inv  func() sales.Invoice
		doc  func(t *testing.T) Doc
		rule string // "" allowed
	}{
		{"draft of the same sale", func() sales.Invoice { return draftFor("10", "13.50") }, nil, ""},
		{"cancelled invoice", func() sales.Invoice {
			inv := draftFor("10", "13.50")
			inv.State = sales.StateCancelled
			return inv
		}, nil, "la factura no debe estar cancelada"},
		{"stamped invoice", func() sales.Invoice {
			inv := draftFor("10", "13.50")
			inv.State = sales.StateStamped
			return inv
		}, nil, "la factura no debe tener documento todavía"},
		{"sealed invoice", func() sales.Invoice {
			inv := draftFor("10", "13.50")
			inv.State = sales.StateSealed
			return inv
		}, nil, "la factura no debe tener documento todavía"},
		{"credit note", func() sales.Invoice {
			inv := draftFor("10", "13.50")
			inv.TipoDeComprobante = sales.TipoEgreso
			return inv
		}, nil, "solo una factura (Ingreso)"},
		{"egreso XML", nil, func(t *testing.T) Doc {
			c := worked()
			c.TipoDeComprobante = "E"
			return stamped(t, c, Emitido)
		}, "el CFDI debe ser de tipo Ingreso"},
		{"other receptor", nil, func(t *testing.T) Doc {
			c := worked()
			c.Receptor.Rfc = "XAXX010101000"
			return stamped(t, c, Emitido)
		}, "el RFC del receptor debe ser el del cliente"},
		{"other total", func() sales.Invoice { return draftFor("10", "13.00") }, nil, "los totales deben ser iguales"},
		{"other emisor", nil, func(t *testing.T) Doc {
			c := worked()
			c.Emisor.Rfc = "AAA010101AAA"
			return stamped(t, c, Recibido)
		}, "el emisor del CFDI debe ser la empresa"},
		{"other currency", func() sales.Invoice {
			inv := draftFor("10", "13.50")
			inv.Moneda = "USD"
			return inv
		}, nil, "la moneda debe ser la misma"},
		{"already linked", nil, func(t *testing.T) Doc {
			d := stamped(t, worked(), Emitido)
			d.InvoiceID = 8
			return d
		}, "no debe estar vinculado a otra factura"},
		{"failing verification", nil, func(t *testing.T) Doc {
			d := stamped(t, worked(), Emitido)
			d.OK, d.Verdict = false, "FALLA: el sello no corresponde"
			return d
		}, "la verificación del CFDI debe ser correcta"},
		{"historical", nil, func(t *testing.T) Doc {
			d := stamped(t, worked(), Emitido)
			d.Historical, d.Version = true, "3.3"
			return d
		}, "el CFDI debe ser 4.0 y estar timbrado"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := draftFor("10", "13.50")
			if tc.inv != nil {
				inv = tc.inv()
			}
			d := stamped(t, worked(), Emitido)
			if tc.doc != nil {
				d = tc.doc(t)
			}
			a, err := CheckLink(inv, d, mxn)
			if tc.rule != "" {
				if domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), tc.rule) {
					t.Fatalf("CheckLink = %v; want a Conflict naming %q", err, tc.rule)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckLink: %v", err)
			}
			got := a.Invoice
			if got.State != sales.StateStamped || got.Status != sales.StatusStamped || got.UUID != testUUID ||
				got.Serie != "EXT" || got.Folio != 77 || a.FolioText != "77" || !got.Fecha.Equal(testFecha) ||
				got.FormaPago != "03" || got.Total.String() != "156.6" || a.From != sales.StateDraft {
				t.Errorf("adopted invoice = %+v", got)
			}
			if string(a.XML) != string(d.XML) || a.Amounts.Total.String() != "156.6" || a.DocID != d.ID {
				t.Errorf("adoption keeps XML %v, amounts %+v, doc %d", string(a.XML) == string(d.XML), a.Amounts, a.DocID)
			}
			if len(a.Balances) != 0 || !a.DueDate.IsZero() {
				t.Errorf("a PUE sale opens no receivable: %+v %v", a.Balances, a.DueDate)
			}
		})
	}
}

// TestCheckLinkPPDOpensReceivable: an external PPD invoice becomes a credit
// sale that opens its receivable, due after the customer's credit days.
func TestCheckLinkPPDOpensReceivable(t *testing.T) {
	t.Parallel()
	c := worked()
	c.MetodoPago, c.FormaPago, c.Folio = "PPD", "99", "A12"
	a, err := CheckLink(draftFor("10", "13.50"), stamped(t, c, Emitido), mxn)
	if err != nil {
		t.Fatal(err)
	}
	if a.Invoice.Terms != sales.Credito || len(a.Balances) != 1 || !a.Balances[0].Open.Equal(a.Invoice.Total) ||
		a.DueDate.Format("2006-01-02") != "2026-12-30" {
		t.Errorf("terms %s, balances %+v, due %v", a.Invoice.Terms, a.Balances, a.DueDate)
	}
	if a.Invoice.Folio != 0 || a.FolioText != "A12" {
		t.Errorf("a folio that is not a number stays in the XML only: %d %q", a.Invoice.Folio, a.FolioText)
	}
}
