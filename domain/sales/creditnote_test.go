package sales

import (
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// manualInvoice is the users' manual's example: 100 PZA of A at 11.50 and
// 200 KG of B at 10.00, IVA 16 %, total 3,654.00, stamped.
func manualInvoice() *Invoice {
	iva := Taxes{IVATasa: dec("0.16")}
	return &Invoice{ID: 7, Issuer: DemoRFC, State: StateStamped, TipoDeComprobante: TipoIngreso, Serie: "A", Folio: 12,
		CustomerID: 3, Customer: Customer{ID: 3, RFC: "CACX7605101P8"}, UsoCFDI: "G01", Terms: Contado, FormaPago: "03",
		Moneda: "MXN", UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF",
		Lines: []Line{
			{NoIdentificacion: "A", Cantidad: dec("100"), ClaveUnidad: "H87", ValorUnitario: dec("11.50"), ObjetoImp: "02", Taxes: iva},
			{NoIdentificacion: "B", Cantidad: dec("200"), ClaveUnidad: "KGM", ValorUnitario: dec("10.00"), ObjetoImp: "02", Taxes: iva},
		}}
}

// TestCreditNoteWorkedExamples: the three examples of the users' manual,
// to the centavo, through the same Compute the invoice's CFDI used.
func TestCreditNoteWorkedExamples(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	tests := []struct {
		name                 string
		kind                 CreditKind
		lines                []CreditLine
		subtotal, iva, total string
		tipoRelacion         string
	}{
		{"return 100 KG of B", Devolucion, []CreditLine{{Line: 1, Cantidad: dec("100")}}, "1000.00", "160.00", "1160.00", "03"},
		{"rebate 1.00 per KG on B", Rebaja, []CreditLine{{Line: 1, Rebate: dec("1.00")}}, "200.00", "32.00", "232.00", "01"},
		{"return left unchanged", Devolucion, WholeCredit(inv, Devolucion, Credited{}), "3150.00", "504.00", "3654.00", "03"},
		{"rebate left unchanged", Rebaja, WholeCredit(inv, Rebaja, Credited{}), "3150.00", "504.00", "3654.00", "01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			note, err := BuildCreditNote(inv, tt.kind, "NC", tt.lines, Credited{}, 2)
			if err != nil {
				t.Fatal(err)
			}
			tot, err := Compute(&note, 2)
			if err != nil {
				t.Fatal(err)
			}
			if tot.SubTotal.StringFixed(2) != tt.subtotal || tot.TotalImpuestosTrasladados.StringFixed(2) != tt.iva ||
				tot.Total.StringFixed(2) != tt.total {
				t.Errorf("SubTotal %s IVA %s Total %s, want %s %s %s", tot.SubTotal.StringFixed(2),
					tot.TotalImpuestosTrasladados.StringFixed(2), tot.Total.StringFixed(2), tt.subtotal, tt.iva, tt.total)
			}
			if note.TipoDeComprobante != TipoEgreso || note.UsoCFDI != "G02" || note.MetodoPago() != "PUE" || note.FormaPago != "03" ||
				len(note.Relations) != 1 || note.Relations[0].TipoRelacion != tt.tipoRelacion || note.Relations[0].UUID != inv.UUID ||
				note.Relations[0].DocumentID != inv.ID || note.Serie != "NC" || note.CustomerID != inv.CustomerID {
				t.Errorf("header = %+v", note)
			}
		})
	}
}

// TestCreditNoteDiscountInProportion: a line discount is taken off in the
// proportion of what is credited.
func TestCreditNoteDiscountInProportion(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	inv.Lines[1].Descuento = dec("100.00") // 5 % of 2,000.00
	ret, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec("50")}}, Credited{}, 2)
	if err != nil || !ret.Lines[0].Descuento.Equal(dec("25.00")) {
		t.Fatalf("return of a quarter: discount %v, %v; want 25.00", ret.Lines, err)
	}
	reb, err := BuildCreditNote(inv, Rebaja, "NC", []CreditLine{{Line: 1, Rebate: dec("3.00")}}, Credited{}, 2)
	if err != nil || !reb.Lines[0].Descuento.Equal(dec("30.00")) {
		t.Fatalf("rebate of 3.00 on 10.00: discount %v, %v; want 30.00", reb.Lines, err)
	}
	tot, _ := Compute(&ret, 2)
	if tot.Total.StringFixed(2) != "551.00" { // (500 − 25) × 1.16
		t.Errorf("return total %s, want 551.00", tot.Total.StringFixed(2))
	}
}

// TestCreditNoteRefusals: every refusal names the field and the figures.
func TestCreditNoteRefusals(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	done := Credited{Returned: map[int]decimal.Decimal{1: dec("150")}, Rebated: map[int]decimal.Decimal{0: dec("11.00")}}
	tests := []struct {
		name  string
		kind  CreditKind
		lines []CreditLine
		field string
	}{
		{"over-return after an earlier return", Devolucion, []CreditLine{{Line: 1, Cantidad: dec("51")}}, "Lines[0].Cantidad"},
		{"zero return", Devolucion, []CreditLine{{Line: 0, Cantidad: dec("0")}}, "Lines[0].Cantidad"},
		{"over-rebate after an earlier rebate", Rebaja, []CreditLine{{Line: 0, Rebate: dec("0.51")}}, "Lines[0].ValorUnitario"},
		{"negative rebate", Rebaja, []CreditLine{{Line: 1, Rebate: dec("-1")}}, "Lines[0].ValorUnitario"},
		{"unknown line", Devolucion, []CreditLine{{Line: 5, Cantidad: dec("1")}}, "Lines[0].Line"},
		{"line twice", Devolucion, []CreditLine{{Line: 0, Cantidad: dec("1")}, {Line: 0, Cantidad: dec("1")}}, "Lines[1].Line"},
		{"nothing left", Devolucion, nil, "Lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildCreditNote(inv, tt.kind, "NC", tt.lines, done, 2)
			if msg := FieldErrors(err)[tt.field]; msg == "" || domain.KindOf(err) != domain.Invalid {
				t.Errorf("err = %v, want a problem on %s", err, tt.field)
			}
		})
	}
	// What is still creditable after earlier notes is what the form offers.
	if got := WholeCredit(inv, Devolucion, done); len(got) != 2 || !got[1].Cantidad.Equal(dec("50")) {
		t.Errorf("WholeCredit after returns = %+v, want 100 of A and 50 of B", got)
	}
	// An invoice that is not stamped, or is cancelled or being cancelled, is refused.
	for _, st := range []State{StateSealed, StateCancelRequested, StateCancelled} {
		inv.State = st
		if _, err := BuildCreditNote(inv, Devolucion, "NC", WholeCredit(inv, Devolucion, Credited{}), Credited{}, 2); domain.KindOf(err) != domain.Conflict {
			t.Errorf("credit note of a %s invoice: %v, want Conflict", st, err)
		}
	}
	// A credit invoice (PPD, FormaPago 99) is credited by compensation.
	inv.State, inv.Terms, inv.FormaPago = StateStamped, Credito, FormaPagoPorDefinir
	note, err := BuildCreditNote(inv, Rebaja, "NC", []CreditLine{{Line: 0, Rebate: dec("1")}}, Credited{}, 2)
	if err != nil || note.FormaPago != FormaPagoCompensacion || note.MetodoPago() != "PUE" {
		t.Errorf("credit note of a PPD invoice: forma %q metodo %q, %v", note.FormaPago, note.MetodoPago(), err)
	}
}
