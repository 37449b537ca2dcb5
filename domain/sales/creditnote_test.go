package sales

import (
	"fmt"
	"strings"
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

// multiTaxInvoice is a stamped invoice whose three lines carry every tax a
// credit note must take back in proportion, each with a line discount:
//
//	0: 10 × 123.45, discount 50.00, IEPS Tasa 0.265 + IVA 16 %
//	1: 20 × 35.00,  discount 14.00, IEPS Cuota 1.50 per unit + IVA 16 %
//	2:  4 × 850.00, discount 100.00, IVA 16 %, IVA withheld 0.106667, ISR withheld 0.10
func multiTaxInvoice() *Invoice {
	inv := manualInvoice()
	inv.Lines = []Line{
		{NoIdentificacion: "BEB-01", Cantidad: dec("10"), ClaveUnidad: "H87", ClaveProdServ: "50202203", ValorUnitario: dec("123.45"),
			Descuento: dec("50.00"), ObjetoImp: "02", Taxes: Taxes{IEPSFactor: FactorTasa, IEPSValor: dec("0.265"), IVATasa: dec("0.16")}},
		{NoIdentificacion: "GAS-01", Cantidad: dec("20"), ClaveUnidad: "LTR", ClaveProdServ: "15101514", ValorUnitario: dec("35.00"),
			Descuento: dec("14.00"), ObjetoImp: "02", Taxes: Taxes{IEPSFactor: FactorCuota, IEPSValor: dec("1.50"), IVATasa: dec("0.16")}},
		{NoIdentificacion: "SRV-01", Cantidad: dec("4"), ClaveUnidad: "E48", ClaveProdServ: "81111500", ValorUnitario: dec("850.00"),
			Descuento: dec("100.00"), ObjetoImp: "02", Taxes: Taxes{IVATasa: dec("0.16"), RetIVA: dec("0.106667"), RetISR: dec("0.10")}},
	}
	return inv
}

// taxesOf returns a document's grouped taxes as "impuesto factor rate"
// → importe (2 places), traslados and retenciones apart.
func taxesOf(t *Totals) (traslados, retenciones map[string]string) {
	traslados, retenciones = map[string]string{}, map[string]string{}
	for _, x := range t.Traslados {
		traslados[x.Impuesto+" "+x.TipoFactor+" "+x.TasaOCuota.String()] = x.Importe.StringFixed(2)
	}
	for _, x := range t.Retenciones {
		retenciones[x.Impuesto] = x.Importe.StringFixed(2)
	}
	return traslados, retenciones
}

// TestCreditNoteMultiTax: a return and a rebate of lines with IEPS (Tasa
// and Cuota), IVA, IVA and ISR withheld and discounts carry every tax in
// proportion, to the centavo. The figures are worked by hand below, with
// the rules of domain/tax (IEPS first, IVA on base + IEPS, withholdings on
// base, each amount rounded half up to 2 places).
func TestCreditNoteMultiTax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                          string
		kind                          CreditKind
		lines                         []CreditLine
		descuentos                    []string // per note line
		subtotal, descuento, total    string
		traslados, retenciones        map[string]string
		totalTraslados, totalRetenido string
	}{
		{
			// Return 3 of 10, 5 of 20 and 1 of 4.
			//  0: 3 × 123.45 = 370.35; discount 50.00 × 3/10 = 15.00; base 355.35;
			//     IEPS 355.35 × 0.265 = 94.16775 → 94.17; IVA (355.35 + 94.17) × 0.16 = 71.9232 → 71.92
			//     (the invoice line: IEPS 313.89 and IVA 239.74; 3/10 of them is 94.167 and 71.922)
			//  1: 5 × 35.00 = 175.00; discount 14.00 × 5/20 = 3.50; base 171.50;
			//     IEPS cuota 5 × 1.50 = 7.50; IVA (171.50 + 7.50) × 0.16 = 28.64
			//  2: 1 × 850.00 = 850.00; discount 100.00 × 1/4 = 25.00; base 825.00;
			//     IVA 132.00; IVA withheld 825 × 0.106667 = 88.000275 → 88.00; ISR withheld 82.50
			// SubTotal 1,395.35; Descuento 43.50; IVA 71.92 + 28.64 + 132.00 = 232.56;
			// traslados 94.17 + 7.50 + 232.56 = 334.23; retenidos 88.00 + 82.50 = 170.50;
			// Total 1,395.35 − 43.50 + 334.23 − 170.50 = 1,515.58.
			name: "return", kind: Devolucion,
			lines:      []CreditLine{{Line: 0, Cantidad: dec("3")}, {Line: 1, Cantidad: dec("5")}, {Line: 2, Cantidad: dec("1")}},
			descuentos: []string{"15.00", "3.50", "25.00"},
			subtotal:   "1395.35", descuento: "43.50", total: "1515.58",
			traslados:      map[string]string{"003 Tasa 0.265": "94.17", "003 Cuota 1.5": "7.50", "002 Tasa 0.16": "232.56"},
			retenciones:    map[string]string{"002": "88.00", "001": "82.50"},
			totalTraslados: "334.23", totalRetenido: "170.50",
		},
		{
			// Rebate 10.00 of 123.45, 7.00 of 35.00 and 85.00 of 850.00 per unit, every unit.
			//  0: 10 × 10.00 = 100.00; discount 50.00 × 10/123.45 = 4.0502… → 4.05; base 95.95;
			//     IEPS 95.95 × 0.265 = 25.42675 → 25.43; IVA (95.95 + 25.43) × 0.16 = 19.4208 → 19.42
			//  1: 20 × 7.00 = 140.00; discount 14.00 × 7/35 = 2.80; base 137.20;
			//     no IEPS cuota (it is per unit sold, and the units stay); IVA 137.20 × 0.16 = 21.952 → 21.95
			//  2: 4 × 85.00 = 340.00; discount 100.00 × 85/850 = 10.00; base 330.00;
			//     IVA 52.80; IVA withheld 330 × 0.106667 = 35.20011 → 35.20; ISR withheld 33.00
			// SubTotal 580.00; Descuento 16.85; IVA 19.42 + 21.95 + 52.80 = 94.17;
			// traslados 25.43 + 94.17 = 119.60; retenidos 68.20;
			// Total 580.00 − 16.85 + 119.60 − 68.20 = 614.55.
			name: "rebate", kind: Rebaja,
			lines:      []CreditLine{{Line: 0, Rebate: dec("10.00")}, {Line: 1, Rebate: dec("7.00")}, {Line: 2, Rebate: dec("85.00")}},
			descuentos: []string{"4.05", "2.80", "10.00"},
			subtotal:   "580.00", descuento: "16.85", total: "614.55",
			traslados:      map[string]string{"003 Tasa 0.265": "25.43", "002 Tasa 0.16": "94.17"},
			retenciones:    map[string]string{"002": "35.20", "001": "33.00"},
			totalTraslados: "119.60", totalRetenido: "68.20",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := multiTaxInvoice()
			note, err := BuildCreditNote(inv, tt.kind, "NC", tt.lines, Credited{}, 2)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.descuentos {
				if got := note.Lines[i].Descuento.StringFixed(2); got != want {
					t.Errorf("line %d discount %s, want %s", i, got, want)
				}
			}
			tot, err := Compute(&note, 2)
			if err != nil {
				t.Fatal(err)
			}
			if tot.SubTotal.StringFixed(2) != tt.subtotal || tot.Descuento.StringFixed(2) != tt.descuento || tot.Total.StringFixed(2) != tt.total ||
				tot.TotalImpuestosTrasladados.StringFixed(2) != tt.totalTraslados || tot.TotalImpuestosRetenidos.StringFixed(2) != tt.totalRetenido {
				t.Errorf("SubTotal %s Descuento %s traslados %s retenidos %s Total %s; want %s %s %s %s %s",
					tot.SubTotal.StringFixed(2), tot.Descuento.StringFixed(2), tot.TotalImpuestosTrasladados.StringFixed(2),
					tot.TotalImpuestosRetenidos.StringFixed(2), tot.Total.StringFixed(2),
					tt.subtotal, tt.descuento, tt.totalTraslados, tt.totalRetenido, tt.total)
			}
			tras, ret := taxesOf(&tot)
			if fmt.Sprint(tras) != fmt.Sprint(tt.traslados) || fmt.Sprint(ret) != fmt.Sprint(tt.retenciones) {
				t.Errorf("traslados %v retenciones %v, want %v %v", tras, ret, tt.traslados, tt.retenciones)
			}
			// Each tax of a credited line is its invoice line's tax in the
			// proportion credited, within a centavo. Not the IVA of a rebate
			// on a line with IEPS Cuota: the invoice's IVA base held the
			// cuota, which a rebate leaves where it was.
			whole, err := Compute(inv, 2)
			if err != nil {
				t.Fatal(err)
			}
			for i, cl := range tt.lines {
				part, all := cl.Cantidad, inv.Lines[cl.Line].Cantidad
				if tt.kind == Rebaja {
					part, all = cl.Rebate, inv.Lines[cl.Line].ValorUnitario
				}
				if tt.kind == Rebaja && inv.Lines[cl.Line].Taxes.IEPSFactor == FactorCuota {
					continue
				}
				src, got := whole.Lines[cl.Line], tot.Lines[i]
				for _, pair := range []struct{ src, got []TaxAmount }{{src.Traslados, got.Traslados}, {src.Retenciones, got.Retenciones}} {
					for _, g := range pair.got {
						for _, s := range pair.src {
							if s.Impuesto != g.Impuesto || s.TipoFactor != g.TipoFactor {
								continue
							}
							want := s.Importe.Mul(part).DivRound(all, 6)
							if g.Importe.Sub(want).Abs().GreaterThan(dec("0.01")) {
								t.Errorf("line %d %s %s: %s, want %s ± 0.01 (%s × %s/%s)", i, g.Impuesto, g.TipoFactor, g.Importe, want, s.Importe, part, all)
							}
						}
					}
				}
			}
			// The rule that built the note accepts it when it is posted.
			if err := CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, nil, 2); err != nil {
				t.Errorf("CheckCredit of the note BuildCredit built: %v", err)
			}
		})
	}
}

// TestCreditNoteForeignCurrency: a note against a USD invoice is in USD at
// the invoice's exchange rate, its amounts in dollars.
func TestCreditNoteForeignCurrency(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	inv.Moneda, inv.TipoCambio = "USD", dec("17.2530")
	note, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 0, Cantidad: dec("10")}}, Credited{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if note.Moneda != "USD" || !note.TipoCambio.Equal(dec("17.2530")) {
		t.Errorf("note in %s at %s, want USD at 17.2530", note.Moneda, note.TipoCambio)
	}
	tot, _ := Compute(&note, 2)
	if tot.Total.StringFixed(2) != "133.40" { // 10 × 11.50 × 1.16, in dollars
		t.Errorf("total %s USD, want 133.40", tot.Total.StringFixed(2))
	}
	if err := CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, nil, 2); err != nil {
		t.Errorf("CheckCredit: %v", err)
	}
}

// TestCreditNotePartialReturns: returns split over several notes add up
// through Credited.Add; the last one may only take what is left, and the
// refusal says how much that is.
func TestCreditNotePartialReturns(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	var done Credited
	for _, qty := range []string{"80", "70"} { // of the 200 KG of B
		note, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec(qty)}}, done, 2)
		if err != nil {
			t.Fatalf("return of %s after %v: %v", qty, done.Returned, err)
		}
		if err := CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, map[int64]Credited{inv.ID: done}, 2); err != nil {
			t.Fatalf("CheckCredit of the return of %s: %v", qty, err)
		}
		for _, l := range note.Lines {
			done.Add(Devolucion, l.Credits.Line, l)
		}
	}
	if !done.Returned[1].Equal(dec("150")) || !done.Returned[0].IsZero() {
		t.Fatalf("returned = %v, want 150 of line 1", done.Returned)
	}
	// 51 is one too many.
	_, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec("51")}}, done, 2)
	if got, want := FieldErrors(err)["Lines[0].Cantidad"], "No se pueden devolver más de 50: se facturaron 200 y ya se devolvieron 150."; got != want {
		t.Errorf("over-return: %q, want %q", got, want)
	}
	// The same note built before the second return passed the form but not the post.
	stale := Credited{}
	stale.Add(Devolucion, 1, Line{Cantidad: dec("80")})
	note, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec("51")}}, stale, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, map[int64]Credited{inv.ID: done}, 2); FieldErrors(err)["Lines[0].Cantidad"] == "" {
		t.Errorf("CheckCredit of a note built from stale figures: %v, want the over-return", err)
	}
	// Exactly what is left is accepted, and then B is no longer offered.
	last, err := BuildCreditNote(inv, Devolucion, "NC", WholeCredit(inv, Devolucion, done), done, 2)
	if err != nil || len(last.Lines) != 2 || !last.Lines[1].Cantidad.Equal(dec("50")) {
		t.Fatalf("the rest: %+v, %v", last.Lines, err)
	}
	for _, l := range last.Lines {
		done.Add(Devolucion, l.Credits.Line, l)
	}
	if left := WholeCredit(inv, Devolucion, done); len(left) != 0 {
		t.Errorf("after returning everything, still offered %+v", left)
	}
	// A rebate is counted apart from the returns.
	done.Add(Rebaja, 0, Line{ValorUnitario: dec("1.50")})
	if !done.Rebated[0].Equal(dec("1.50")) || !done.Returned[0].Equal(dec("100")) {
		t.Errorf("after a rebate: returned %v rebated %v", done.Returned, done.Rebated)
	}
}

// secondInvoice is another stamped invoice of manualInvoice's customer.
func secondInvoice() *Invoice {
	inv := manualInvoice()
	inv.ID, inv.Folio, inv.UUID = 8, 13, "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
	inv.Lines = inv.Lines[:1]
	inv.Lines[0].Cantidad = dec("40")
	return inv
}

// TestCreditNoteRebateOverSeveralInvoices: one rebate credits invoices of
// one customer: one relation per invoice with TipoRelacion 01, each line
// naming its invoice.
func TestCreditNoteRebateOverSeveralInvoices(t *testing.T) {
	t.Parallel()
	a, b := manualInvoice(), secondInvoice()
	note, err := BuildCredit(Rebaja, "NC", []CreditSource{
		{Invoice: a, Lines: []CreditLine{{Line: 0, Rebate: dec("1.50")}, {Line: 1, Rebate: dec("0.50")}}},
		{Invoice: b, Lines: []CreditLine{{Line: 0, Rebate: dec("1.50")}}},
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(note.Relations) != 2 || note.Relations[0] != (Relation{TipoRelacion: "01", UUID: a.UUID, DocumentID: a.ID}) ||
		note.Relations[1] != (Relation{TipoRelacion: "01", UUID: b.UUID, DocumentID: b.ID}) {
		t.Errorf("relations = %+v", note.Relations)
	}
	want := []LineRef{{a.ID, 0}, {a.ID, 1}, {b.ID, 0}}
	for i, l := range note.Lines {
		if *l.Credits != want[i] {
			t.Errorf("line %d credits %+v, want %+v", i, *l.Credits, want[i])
		}
	}
	// 100 × 1.50 + 200 × 0.50 + 40 × 1.50 = 310.00, plus IVA 49.60.
	tot, _ := Compute(&note, 2)
	if tot.Total.StringFixed(2) != "359.60" {
		t.Errorf("total %s, want 359.60", tot.Total.StringFixed(2))
	}
	if err := CheckCredit(&note, map[int64]*Invoice{a.ID: a, b.ID: b}, nil, 2); err != nil {
		t.Errorf("CheckCredit: %v", err)
	}
}

// TestCreditNoteEveryRefusal: each reason BuildCredit refuses a note, with
// its kind and the field (or message) that names it.
func TestCreditNoteEveryRefusal(t *testing.T) {
	t.Parallel()
	one := func(inv *Invoice, lines ...CreditLine) []CreditSource {
		return []CreditSource{{Invoice: inv, Lines: lines}}
	}
	cancelled := manualInvoice()
	cancelled.State = StateCancelled
	otherCustomer := secondInvoice()
	otherCustomer.CustomerID = 4
	dollars := secondInvoice()
	dollars.Moneda, dollars.TipoCambio = "USD", dec("17.25")
	tests := []struct {
		name    string
		kind    CreditKind
		sources []CreditSource
		wantErr domain.Kind
		field   string // the problem's field, or "" to check msg
		msg     string // part of the message
	}{
		{"over-return", Devolucion, one(manualInvoice(), CreditLine{Line: 0, Cantidad: dec("100.5")}), domain.Invalid,
			"Lines[0].Cantidad", "No se pueden devolver más de 100: se facturaron 100 y ya se devolvieron 0."},
		{"over-rebate", Rebaja, one(manualInvoice(), CreditLine{Line: 1, Rebate: dec("10.01")}), domain.Invalid,
			"Lines[0].ValorUnitario", "La rebaja por unidad no puede pasar de 10: el precio es 10 y ya se rebajaron 0."},
		{"zero quantity", Devolucion, one(manualInvoice(), CreditLine{Line: 0, Cantidad: dec("0")}), domain.Invalid,
			"Lines[0].Cantidad", "La cantidad devuelta debe ser mayor que cero."},
		{"zero rebate", Rebaja, one(manualInvoice(), CreditLine{Line: 0}), domain.Invalid,
			"Lines[0].ValorUnitario", "La rebaja por unidad debe ser mayor que cero."},
		{"line credited twice", Devolucion, one(manualInvoice(), CreditLine{Line: 1, Cantidad: dec("1")}, CreditLine{Line: 1, Cantidad: dec("1")}),
			domain.Invalid, "Lines[1].Line", "El concepto no es de la factura o aparece dos veces."},
		{"unknown line", Rebaja, one(manualInvoice(), CreditLine{Line: -1, Rebate: dec("1")}), domain.Invalid,
			"Lines[0].Line", "El concepto no es de la factura o aparece dos veces."},
		{"no line", Devolucion, one(manualInvoice()), domain.Invalid, "Lines", "Deje al menos un concepto en la nota de crédito."},
		{"no invoice", Devolucion, nil, domain.Invalid, "", "Elija la factura"},
		{"no kind", "", one(manualInvoice(), CreditLine{Line: 0, Cantidad: dec("1")}), domain.Invalid, "", "Elija devolución o rebaja."},
		{"cancelled invoice", Devolucion, one(cancelled, CreditLine{Line: 0, Cantidad: dec("1")}), domain.Conflict, "", "está cancelado"},
		{"wrong customer", Rebaja, []CreditSource{{Invoice: manualInvoice(), Lines: []CreditLine{{Line: 0, Rebate: dec("1")}}},
			{Invoice: otherCustomer, Lines: []CreditLine{{Line: 0, Rebate: dec("1")}}}}, domain.Invalid, "", "La factura A-13 es de otro cliente"},
		{"different currency", Rebaja, []CreditSource{{Invoice: manualInvoice(), Lines: []CreditLine{{Line: 0, Rebate: dec("1")}}},
			{Invoice: dollars, Lines: []CreditLine{{Line: 0, Rebate: dec("1")}}}}, domain.Invalid, "", "La factura A-13 está en USD y la nota en MXN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := BuildCredit(tt.kind, "NC", tt.sources, 2)
			if domain.KindOf(err) != tt.wantErr {
				t.Fatalf("err = %v (%s), want %s", err, domain.KindOf(err), tt.wantErr)
			}
			got := domain.UserMessage(err)
			if tt.field != "" {
				got = FieldErrors(err)[tt.field]
			}
			if !strings.Contains(got, tt.msg) {
				t.Errorf("message %q, want %q (all: %v)", got, tt.msg, FieldErrors(err))
			}
		})
	}
}

// TestCheckCreditRefusals: what CheckCredit refuses when a note is posted,
// after BuildCredit accepted it.
func TestCheckCreditRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		kind   CreditKind
		change func(n *Invoice)
		field  string
		msg    string
	}{
		{"a return whose price changed", Devolucion, func(n *Invoice) { n.Lines[0].ValorUnitario = dec("11.00") },
			"Lines[0].Cantidad", "El concepto cambió respecto a la factura"},
		{"a rebate whose quantity changed", Rebaja, func(n *Invoice) { n.Lines[0].Cantidad = dec("99") },
			"Lines[0].ValorUnitario", "El concepto cambió respecto a la factura"},
		{"a return whose taxes changed", Devolucion, func(n *Invoice) { n.Lines[0].Taxes.IVATasa = dec("0.08") },
			"Lines[0].Cantidad", "El concepto cambió respecto a la factura"},
		{"a line without Credits", Devolucion, func(n *Invoice) { n.Lines[0].Credits = nil },
			"Lines[0].Credits", "Cada concepto de la nota de crédito debe venir de un concepto de la factura."},
		{"a line of another invoice", Devolucion, func(n *Invoice) { n.Lines[0].Credits = &LineRef{InvoiceID: 99} },
			"Lines[0].Credits", "El concepto no es de la factura o aparece dos veces."},
		{"a line credited twice", Devolucion, func(n *Invoice) { n.Lines = append(n.Lines, n.Lines[0]) },
			"Lines[2].Credits", "El concepto no es de la factura o aparece dos veces."},
		{"a note that does not relate its invoice", Devolucion, func(n *Invoice) { n.Relations = nil },
			"Relations", "La nota de crédito debe relacionar la factura A-12 con el tipo de relación 03."},
		{"a return related as a rebate", Devolucion, func(n *Invoice) { n.Relations[0].TipoRelacion = "01" },
			"Relations", "La nota de crédito debe relacionar la factura A-12 con el tipo de relación 03."},
		{"no line", Rebaja, func(n *Invoice) { n.Lines = nil }, "Lines", "Deje al menos un concepto"},
		{"no kind", Rebaja, func(n *Invoice) { n.CreditKind = "" }, "", "La nota de crédito no dice si es devolución o rebaja."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := manualInvoice()
			note, err := BuildCreditNote(inv, tt.kind, "NC", WholeCredit(inv, tt.kind, Credited{}), Credited{}, 2)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(&note)
			err = CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, nil, 2)
			if domain.KindOf(err) != domain.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			got := domain.UserMessage(err)
			if tt.field != "" {
				got = FieldErrors(err)[tt.field]
			}
			if !strings.Contains(got, tt.msg) {
				t.Errorf("%q, want %q (all: %v)", got, tt.msg, FieldErrors(err))
			}
		})
	}
	// An invoice cancelled since the note was built is a Conflict.
	inv := manualInvoice()
	note, _ := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 0, Cantidad: dec("1")}}, Credited{}, 2)
	inv.State = StateCancelled
	if err := CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, nil, 2); domain.KindOf(err) != domain.Conflict {
		t.Errorf("CheckCredit against a cancelled invoice: %v, want Conflict", err)
	}
}

func TestAllowCancelInvoice(t *testing.T) {
	t.Parallel()
	note := func(folio int64, st State) CreditNoteRow {
		return CreditNoteRow{Serie: "NC", Folio: folio, State: st, Kind: Devolucion}
	}
	tests := []struct {
		name  string
		state State
		notes []CreditNoteRow
		want  domain.Kind // Internal (the zero Kind): allowed
		msg   string
	}{
		{"stamped, no notes", StateStamped, nil, domain.Internal, ""},
		{"stamped, every note cancelled", StateStamped, []CreditNoteRow{note(1, StateCancelled), note(2, StateCancelled)}, domain.Internal, ""},
		{"cancellation refused before, no notes", StateCancelRejected, nil, domain.Internal, ""},
		{"a draft note does not count", StateStamped, []CreditNoteRow{note(0, StateDraft)}, domain.Internal, ""},
		{"a stamped note", StateStamped, []CreditNoteRow{note(1, StateStamped)}, domain.Conflict,
			"La factura tiene notas de crédito vigentes (NC-1); cancélelas antes de cancelar la factura."},
		{"a sealed and a rejected note, a cancelled one", StateStamped,
			[]CreditNoteRow{note(1, StateSealed), note(2, StateCancelled), note(3, StateRejected)}, domain.Conflict, "(NC-1, NC-3)"},
		{"a note being cancelled still counts", StateCancelRejected, []CreditNoteRow{note(4, StateCancelRequested)}, domain.Conflict, "(NC-4)"},
		{"already cancelled", StateCancelled, nil, domain.Conflict, "El documento ya está cancelado."},
		{"cancellation in process", StateCancelRequested, nil, domain.Conflict, "Ya hay una solicitud de cancelación en proceso"},
		{"not stamped yet", StateSealed, []CreditNoteRow{note(1, StateStamped)}, domain.Conflict, "todavía no está timbrado"},
		{"a draft", StateDraft, nil, domain.Conflict, "Un borrador no se cancela"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := AllowCancelInvoice(tt.state, tt.notes)
			if tt.want == domain.Internal {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if domain.KindOf(err) != tt.want || !strings.Contains(domain.UserMessage(err), tt.msg) {
				t.Errorf("err = %v (%q), want %s with %q", err, domain.UserMessage(err), tt.want, tt.msg)
			}
		})
	}
}

// TestCreditNoteSameInvoiceTwice: an invoice given twice in one note's
// sources is one invoice: its line may not be credited once per mention
// (each within the limit, together above it), and it is related once.
func TestCreditNoteSameInvoiceTwice(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	_, err := BuildCredit(Devolucion, "NC", []CreditSource{
		{Invoice: inv, Lines: []CreditLine{{Line: 1, Cantidad: dec("150")}}},
		{Invoice: inv, Lines: []CreditLine{{Line: 1, Cantidad: dec("150")}}},
	}, 2)
	if FieldErrors(err)["Lines[1].Line"] == "" {
		t.Errorf("300 of the 200 KG returned in two mentions of one invoice: %v, want a refusal of Lines[1].Line", err)
	}
	note, err := BuildCredit(Devolucion, "NC", []CreditSource{
		{Invoice: inv, Lines: []CreditLine{{Line: 0, Cantidad: dec("1")}}},
		{Invoice: inv, Lines: []CreditLine{{Line: 1, Cantidad: dec("1")}}},
	}, 2)
	if err != nil || len(note.Relations) != 1 {
		t.Errorf("two lines of one invoice given apart: relations %+v, %v; want one", note.Relations, err)
	}
}

// TestSetCreditShares: a note over several invoices records on each
// relation the part of its total that credits that invoice; the parts add
// up to the total to the centavo, whatever rounding the document's taxes
// moved, and an invoice related twice gets its part once.
func TestSetCreditShares(t *testing.T) {
	t.Parallel()
	a, b := manualInvoice(), manualInvoice()
	b.ID, b.UUID = 8, "6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
	// Prices with three decimals so that per-line and per-document IVA
	// round apart.
	a.Lines[0].ValorUnitario, b.Lines[0].ValorUnitario = dec("0.333"), dec("0.333")
	note, err := BuildCredit(Rebaja, "NC", []CreditSource{
		{Invoice: a, Lines: []CreditLine{{Line: 0, Rebate: dec("0.333")}, {Line: 1, Rebate: dec("1.00")}}},
		{Invoice: b, Lines: []CreditLine{{Line: 0, Rebate: dec("0.333")}}},
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	tot, err := Compute(&note, 2)
	if err != nil {
		t.Fatal(err)
	}
	SetCreditShares(&note, tot)
	sum := decimal.Zero
	for _, r := range note.Relations {
		if !r.Credited.IsPositive() {
			t.Errorf("relation %s has no share", r.UUID)
		}
		sum = sum.Add(r.Credited)
	}
	if !sum.Equal(tot.Total) {
		t.Errorf("shares add up to %s, total %s", sum, tot.Total)
	}
	// B: 100 × 0.333 = 33.30 + IVA 5.33 → 38.63 (give or take the
	// document's rounding, which goes to the last invoice).
	if got := note.Relations[1].Credited; got.Sub(dec("38.63")).Abs().GreaterThan(dec("0.01")) {
		t.Errorf("share of B %s, want about 38.63", got)
	}
	// A return of one invoice: the share is the whole total.
	ret, _ := BuildCreditNote(manualInvoice(), Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec("100")}}, Credited{}, 2)
	rt, _ := Compute(&ret, 2)
	SetCreditShares(&ret, rt)
	if !ret.Relations[0].Credited.Equal(dec("1160.00")) {
		t.Errorf("single-invoice share %s, want 1160.00", ret.Relations[0].Credited)
	}
}
