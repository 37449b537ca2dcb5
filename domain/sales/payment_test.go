package sales

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/shopspring/decimal"
)

var payDate = time.Date(2026, 11, 20, 17, 18, 19, 0, domain.MexicoCity)

// ppdInvoice is a stamped invoice on credit (PPD) of customer 3 with one
// line of price at tax; its Fecha orders "oldest first".
func ppdInvoice(id int64, moneda, price string, taxes Taxes, day int) *Invoice {
	obj := "02"
	if taxes.IsZero() {
		obj = "01"
	}
	return &Invoice{ID: id, Issuer: DemoRFC, State: StateStamped, TipoDeComprobante: TipoIngreso, Serie: "A", Folio: id,
		CustomerID: 3, Customer: Customer{ID: 3, RFC: "CACX7605101P8", Active: true}, UsoCFDI: "G01", Terms: Credito,
		FormaPago: FormaPagoPorDefinir, Moneda: moneda, TipoCambio: dec("20"),
		Fecha: time.Date(2026, 11, day, 10, 0, 0, 0, time.UTC), UUID: "00000000-1111-2222-3333-00000000000" + string(rune('A'+id-1)),
		Lines: []Line{{Cantidad: dec("1"), ClaveUnidad: "E48", ClaveProdServ: "81112100", Descripcion: "Servicio",
			ValorUnitario: dec(price), ObjetoImp: obj, Taxes: taxes}}}
}

func mustPayable(t *testing.T, inv *Invoice, s PaidSummary) Payable {
	t.Helper()
	p, err := PayableOf(inv, s, fakeCatalogs{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var iva16 = Taxes{IVATasa: dec("0.16")}

// TestPaymentGuideExample rebuilds the example of SAT's Guía de llenado de
// pagos 2.0 (sample 04-pago20.xml): 15,000.00 paying 12,000.00 of one
// invoice and 3,000.00 of another, IVA 16 % in proportion.
func TestPaymentGuideExample(t *testing.T) {
	t.Parallel()
	a := ppdInvoice(1, "MXN", "10344.83", iva16, 1) // 12,000.00
	b := ppdInvoice(2, "MXN", "8620.69", iva16, 2)  // 10,000.00
	open := []Payable{mustPayable(t, a, PaidSummary{Payments: 1}), mustPayable(t, b, PaidSummary{})}
	rcpt, err := BuildPayment("P", PaymentInput{FechaPago: payDate, FormaDePagoP: "03", Monto: dec("15000.00"), NumOperacion: "963852",
		Apply: []Application{{InvoiceID: 1, ImpPagado: dec("12000.00")}, {InvoiceID: 2, ImpPagado: dec("3000.00")}}}, open, fakeCatalogs{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := BuildComprobante(&rcpt, &Company{RFC: DemoRFC, Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601", LugarExpedicion: "42501"}, fakeCatalogs{})
	if err != nil {
		t.Fatal(err)
	}
	if c.TipoDeComprobante != "P" || c.Moneda != "XXX" || c.SubTotal != "0" || c.Total != "0" || c.FormaPago != "" || c.MetodoPago != "" ||
		c.Receptor.UsoCFDI != "CP01" || len(c.Conceptos) != 1 || c.Conceptos[0].ClaveProdServ != "84111506" || c.Conceptos[0].ObjetoImp != "01" {
		t.Errorf("header = %+v", c)
	}
	pg := c.Complemento.Pagos
	p := pg.Pago[0]
	if p.Monto != "15000.00" || p.TipoCambioP != "1" || p.MonedaP != "MXN" || p.FechaPago != "2026-11-20T17:18:19" {
		t.Errorf("Pago = %+v", p)
	}
	want := []cfdi.DoctoRelacionado{
		{IdDocumento: a.UUID, Serie: "A", Folio: "1", MonedaDR: "MXN", EquivalenciaDR: "1", NumParcialidad: "2", ImpSaldoAnt: "12000.00",
			ImpPagado: "12000.00", ImpSaldoInsoluto: "0.00", ObjetoImpDR: "02", ImpuestosDR: &cfdi.ImpuestosDR{TrasladosDR: []cfdi.TrasladoDR{
				{BaseDR: "10344.83", ImpuestoDR: "002", TipoFactorDR: "Tasa", TasaOCuotaDR: "0.160000", ImporteDR: "1655.17"}}}},
		{IdDocumento: b.UUID, Serie: "A", Folio: "2", MonedaDR: "MXN", EquivalenciaDR: "1", NumParcialidad: "1", ImpSaldoAnt: "10000.00",
			ImpPagado: "3000.00", ImpSaldoInsoluto: "7000.00", ObjetoImpDR: "02", ImpuestosDR: &cfdi.ImpuestosDR{TrasladosDR: []cfdi.TrasladoDR{
				{BaseDR: "2586.21", ImpuestoDR: "002", TipoFactorDR: "Tasa", TasaOCuotaDR: "0.160000", ImporteDR: "413.79"}}}},
	}
	for i := range want {
		if got := p.DoctoRelacionado[i]; !sameDR(got, want[i]) {
			t.Errorf("DoctoRelacionado[%d] = %+v %+v, want %+v %+v", i, got, got.ImpuestosDR, want[i], want[i].ImpuestosDR)
		}
	}
	if tp := p.ImpuestosP.TrasladosP; len(tp) != 1 || tp[0].BaseP != "12931.040000" || tp[0].ImporteP != "2068.960000" || tp[0].TasaOCuotaP != "0.160000" {
		t.Errorf("TrasladosP = %+v", tp)
	}
	if tt := pg.Totales; tt.MontoTotalPagos != "15000.00" || tt.TotalTrasladosBaseIVA16 != "12931.04" || tt.TotalTrasladosImpuestoIVA16 != "2068.96" ||
		tt.TotalTrasladosBaseIVA0 != "" || tt.TotalRetencionesIVA != "" {
		t.Errorf("Totales = %+v", tt)
	}
}

func sameDR(a, b cfdi.DoctoRelacionado) bool {
	ia, ib := a.ImpuestosDR, b.ImpuestosDR
	a.ImpuestosDR, b.ImpuestosDR = nil, nil
	if a != b || (ia == nil) != (ib == nil) {
		return false
	}
	if ia == nil {
		return true
	}
	if len(ia.TrasladosDR) != len(ib.TrasladosDR) || len(ia.RetencionesDR) != len(ib.RetencionesDR) {
		return false
	}
	for i := range ia.TrasladosDR {
		if ia.TrasladosDR[i] != ib.TrasladosDR[i] {
			return false
		}
	}
	for i := range ia.RetencionesDR {
		if ia.RetencionesDR[i] != ib.RetencionesDR[i] {
			return false
		}
	}
	return true
}

// TestPaymentArithmetic: the amounts of each paid document and of the
// payment, one case per rule.
func TestPaymentArithmetic(t *testing.T) {
	t.Parallel()
	mixed := &Invoice{}
	*mixed = *ppdInvoice(5, "MXN", "0", Taxes{}, 5)
	mixed.Lines = []Line{
		// Honorarios: IVA 16 %, IVA withheld two thirds, ISR 10 %.
		{Cantidad: dec("1"), ClaveUnidad: "E48", ClaveProdServ: "81112100", Descripcion: "Honorarios", ValorUnitario: dec("1000"),
			ObjetoImp: "02", Taxes: Taxes{IVATasa: dec("0.16"), RetIVA: dec("0.106667"), RetISR: dec("0.10")}},
		{Cantidad: dec("2"), ClaveUnidad: "H87", ClaveProdServ: "50202306", Descripcion: "Alimento", ValorUnitario: dec("50"),
			ObjetoImp: "02", Taxes: Taxes{IVATasa: dec("0")}},
		{Cantidad: dec("1"), ClaveUnidad: "H87", ClaveProdServ: "43232408", Descripcion: "Libro", ValorUnitario: dec("300"),
			ObjetoImp: "02", Taxes: Taxes{IVAExento: true}},
		{Cantidad: dec("4"), ClaveUnidad: "H87", ClaveProdServ: "50202306", Descripcion: "Refresco", ValorUnitario: dec("25"),
			ObjetoImp: "02", Taxes: Taxes{IVATasa: dec("0.16"), IEPSFactor: FactorTasa, IEPSValor: dec("0.08")}},
	}
	// Total: 1000 + 160 − 106.67 − 100 + 100 + 300 + 100 + 8 + 17.28 = 1478.61
	type doc struct {
		n                                int
		saldoAnt, pagado, insoluto, objt string
		taxes                            string // "ret imp factor tasa base importe;…"
	}
	tests := []struct {
		name      string
		invoices  []*Invoice
		paid      []PaidSummary
		in        PaymentInput
		docs      []doc
		impuestos string // ImpuestosP "ret imp factor tasa base importe;…"
		totales   PagosTotalesText
	}{
		{
			name:      "full payment",
			invoices:  []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			in:        PaymentInput{FormaDePagoP: "03", Monto: dec("1160.00")},
			docs:      []doc{{1, "1160.00", "1160.00", "0.00", "02", "T 002 Tasa 0.16 1000.00 160.00"}},
			impuestos: "T 002 Tasa 0.16 1000.000000 160.000000",
			totales:   PagosTotalesText{Monto: "1160.00", Base16: "1000.00", IVA16: "160.00"},
		},
		{
			name:      "partial payment, second parcialidad after a note",
			invoices:  []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			paid:      []PaidSummary{{Paid: dec("400"), Payments: 1, Credited: dec("116")}},
			in:        PaymentInput{FormaDePagoP: "03", Monto: dec("300.00"), Apply: []Application{{InvoiceID: 1, ImpPagado: dec("300.00")}}},
			docs:      []doc{{2, "644.00", "300.00", "344.00", "02", "T 002 Tasa 0.16 258.62 41.38"}},
			impuestos: "T 002 Tasa 0.16 258.620000 41.380000",
			totales:   PagosTotalesText{Monto: "300.00", Base16: "258.62", IVA16: "41.38"},
		},
		{
			name:     "one payment over several invoices, oldest first",
			invoices: []*Invoice{ppdInvoice(2, "MXN", "500", iva16, 9), ppdInvoice(1, "MXN", "1000", iva16, 1), ppdInvoice(3, "MXN", "200", Taxes{}, 12)},
			in:       PaymentInput{FormaDePagoP: "01", Monto: dec("1500.00")},
			docs: []doc{{1, "1160.00", "1160.00", "0.00", "02", "T 002 Tasa 0.16 1000.00 160.00"},
				{1, "580.00", "340.00", "240.00", "02", "T 002 Tasa 0.16 293.10 46.90"}},
			impuestos: "T 002 Tasa 0.16 1293.100000 206.900000",
			totales:   PagosTotalesText{Monto: "1500.00", Base16: "1293.10", IVA16: "206.90"},
		},
		{
			name:     "invoice without taxes",
			invoices: []*Invoice{ppdInvoice(3, "MXN", "200", Taxes{}, 12)},
			in:       PaymentInput{FormaDePagoP: "01", Monto: dec("50")},
			docs:     []doc{{1, "200.00", "50.00", "150.00", "01", ""}},
			totales:  PagosTotalesText{Monto: "50.00"},
		},
		{
			name:     "USD invoice paid in MXN",
			invoices: []*Invoice{ppdInvoice(1, "USD", "100", iva16, 1)},
			in: PaymentInput{FormaDePagoP: "03", Monto: dec("2320.00"),
				Apply: []Application{{InvoiceID: 1, ImpPagado: dec("116.00"), EquivalenciaDR: dec("0.05")}}},
			docs:      []doc{{1, "116.00", "116.00", "0.00", "02", "T 002 Tasa 0.16 100.00 16.00"}},
			impuestos: "T 002 Tasa 0.16 2000.000000 320.000000",
			totales:   PagosTotalesText{Monto: "2320.00", Base16: "2000.00", IVA16: "320.00"},
		},
		{
			name:     "MXN invoice paid in USD",
			invoices: []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			in: PaymentInput{FormaDePagoP: "03", MonedaP: "USD", TipoCambioP: dec("20"), Monto: dec("29.00"),
				Apply: []Application{{InvoiceID: 1, ImpPagado: dec("580.00"), EquivalenciaDR: dec("20")}}},
			docs:      []doc{{1, "1160.00", "580.00", "580.00", "02", "T 002 Tasa 0.16 500.00 80.00"}},
			impuestos: "T 002 Tasa 0.16 25.000000 4.000000",
			totales:   PagosTotalesText{Monto: "580.00", Base16: "500.00", IVA16: "80.00"},
		},
		{
			name:     "IVA 16, IVA 0, exento, IEPS and withholdings, paid in full",
			invoices: []*Invoice{mixed},
			in:       PaymentInput{FormaDePagoP: "03", Monto: dec("1478.61")},
			docs: []doc{{1, "1478.61", "1478.61", "0.00", "02",
				"T 002 Tasa 0.16 1108.00 177.28;T 002 Tasa 0 100.00 0.00;T 002 Exento 0 300.00 0.00;T 003 Tasa 0.08 100.00 8.00;" +
					"R 001 Tasa 0.1 1000.00 100.00;R 002 Tasa 0.106667 1000.00 106.67"}},
			impuestos: "R 001  0 1000.000000 100.000000;R 002  0 1000.000000 106.670000;" +
				"T 002 Exento 0 300.000000 0.000000;T 002 Tasa 0.16 1108.000000 177.280000;T 002 Tasa 0 100.000000 0.000000;T 003 Tasa 0.08 100.000000 8.000000",
			totales: PagosTotalesText{Monto: "1478.61", Base16: "1108.00", IVA16: "177.28", Base0: "100.00", IVA0: "0.00", Exento: "300.00",
				RetIVA: "106.67", RetISR: "100.00"},
		},
		{
			name:     "the same, half paid",
			invoices: []*Invoice{mixed},
			in:       PaymentInput{FormaDePagoP: "03", Monto: dec("739.30"), Apply: []Application{{InvoiceID: 5, ImpPagado: dec("739.30")}}},
			docs: []doc{{1, "1478.61", "739.30", "739.31", "02",
				"T 002 Tasa 0.16 1108.00 177.28;T 002 Tasa 0 100.00 0.00;T 002 Exento 0 300.00 0.00;T 003 Tasa 0.08 100.00 8.00;" +
					"R 001 Tasa 0.1 1000.00 100.00;R 002 Tasa 0.106667 1000.00 106.67"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var open []Payable
			for i, inv := range tt.invoices {
				var s PaidSummary
				if i < len(tt.paid) {
					s = tt.paid[i]
				}
				open = append(open, mustPayable(t, inv, s))
			}
			in := tt.in
			in.FechaPago = payDate
			rcpt, err := BuildPayment("P", in, open, fakeCatalogs{})
			if err != nil {
				t.Fatal(domain.UserMessage(err), err)
			}
			pay := rcpt.Payment
			if len(pay.Docs) != len(tt.docs) {
				t.Fatalf("%d documents, want %d", len(pay.Docs), len(tt.docs))
			}
			for i, w := range tt.docs {
				d := pay.Docs[i]
				if d.NumParcialidad != w.n || d.ImpSaldoAnt.StringFixed(2) != w.saldoAnt || d.ImpPagado.StringFixed(2) != w.pagado ||
					d.ImpSaldoInsoluto.StringFixed(2) != w.insoluto || d.ObjetoImpDR != w.objt {
					t.Errorf("doc %d = %d %s %s %s %s, want %+v", i, d.NumParcialidad, d.ImpSaldoAnt, d.ImpPagado, d.ImpSaldoInsoluto, d.ObjetoImpDR, w)
				}
				if tt.name == "the same, half paid" {
					continue // checked below against the proportion
				}
				if got := taxesText(d.Taxes, 2); got != w.taxes {
					t.Errorf("doc %d taxes = %q, want %q", i, got, w.taxes)
				}
			}
			s := pay.Summary()
			if tt.impuestos != "" {
				if got := taxesText(append(append([]DocumentTax{}, s.Retenciones...), s.Traslados...), 6); got != tt.impuestos {
					t.Errorf("ImpuestosP = %q, want %q", got, tt.impuestos)
				}
			}
			if tt.totales.Monto != "" {
				if got := totalesText(s.Totales); got != tt.totales {
					t.Errorf("Totales = %+v, want %+v", got, tt.totales)
				}
			}
		})
	}
}

// TestPaymentHalfTaxes: half of the mixed invoice carries half of each
// tax, rounded half up to centavos.
func TestPaymentHalfTaxes(t *testing.T) {
	t.Parallel()
	got := ProportionalTaxes([]DocumentTax{
		{Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: dec("0.16"), Base: dec("1100.00"), Importe: dec("176.00")},
		{Retencion: true, Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: dec("0.106667"), Base: dec("1000.00"), Importe: dec("106.67")},
		{Impuesto: "003", TipoFactor: "Cuota", TasaOCuota: dec("1.5"), Base: dec("3"), Importe: dec("4.50")},
	}, dec("739.30"), dec("1478.61"), 2)
	want := "T 002 Tasa 0.16 550.00 88.00;R 002 Tasa 0.106667 500.00 53.33;T 003 Cuota 1.5 1.50 2.25"
	if s := taxesText(got, 2); s != want {
		t.Errorf("ProportionalTaxes = %q, want %q", s, want)
	}
	if b := got[2].Base.String(); b != "1.49999" {
		t.Errorf("IEPS cuota base = %s, want six decimals 1.49999", b)
	}
}

// TestPaymentInstallments: three partial payments of one invoice number
// themselves 1 to 3 and chain their balances to zero.
func TestPaymentInstallments(t *testing.T) {
	t.Parallel()
	inv := ppdInvoice(1, "MXN", "1000", iva16, 1)
	var s PaidSummary
	wants := []struct{ pay, ant, insoluto, base, iva string }{
		{"400.00", "1160.00", "760.00", "344.83", "55.17"},
		{"400.00", "760.00", "360.00", "344.83", "55.17"},
		{"360.00", "360.00", "0.00", "310.34", "49.66"},
	}
	for i, w := range wants {
		rcpt, err := BuildPayment("P", PaymentInput{FechaPago: payDate, FormaDePagoP: "03", Monto: dec(w.pay)},
			[]Payable{mustPayable(t, inv, s)}, fakeCatalogs{})
		if err != nil {
			t.Fatal(err)
		}
		d := rcpt.Payment.Docs[0]
		if d.NumParcialidad != i+1 || d.ImpSaldoAnt.StringFixed(2) != w.ant || d.ImpSaldoInsoluto.StringFixed(2) != w.insoluto ||
			d.Taxes[0].Base.StringFixed(2) != w.base || d.Taxes[0].Importe.StringFixed(2) != w.iva {
			t.Errorf("payment %d = %+v, want %+v", i+1, d, w)
		}
		s.Paid, s.Payments = s.Paid.Add(d.ImpPagado), s.Payments+1
	}
	if _, err := BuildPayment("P", PaymentInput{FechaPago: payDate, FormaDePagoP: "03", Monto: dec("1")},
		[]Payable{mustPayable(t, inv, s)}, fakeCatalogs{}); err == nil {
		t.Error("a fourth payment of a paid invoice was accepted")
	}
}

// TestPaymentRefusals: every refusal in Spanish, with its kind.
func TestPaymentRefusals(t *testing.T) {
	t.Parallel()
	pue := ppdInvoice(1, "MXN", "1000", iva16, 1)
	pue.Terms, pue.FormaPago = Contado, "03"
	sealed := ppdInvoice(1, "MXN", "1000", iva16, 1)
	sealed.State = StateSealed
	cancelled := ppdInvoice(1, "MXN", "1000", iva16, 1)
	cancelled.State = StateCancelled
	other := ppdInvoice(2, "MXN", "1000", iva16, 2)
	other.CustomerID = 4
	one := func(id int64, amt string) []Application { return []Application{{InvoiceID: id, ImpPagado: dec(amt)}} }
	tests := []struct {
		name     string
		invoices []*Invoice
		in       PaymentInput
		kind     domain.Kind
		want     string
	}{
		{"more than the balance", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", Monto: dec("1200"), Apply: one(1, "1200")}, domain.Invalid, "se le deben 1160.00 MXN"},
		{"PUE invoice", []*Invoice{pue}, PaymentInput{FormaDePagoP: "03", Monto: dec("100"), Apply: one(1, "100")}, domain.Invalid, "de contado (PUE)"},
		{"not stamped", []*Invoice{sealed}, PaymentInput{FormaDePagoP: "03", Monto: dec("100"), Apply: one(1, "100")}, domain.Conflict, "timbr"},
		{"cancelled", []*Invoice{cancelled}, PaymentInput{FormaDePagoP: "03", Monto: dec("100"), Apply: one(1, "100")}, domain.Conflict, "cancel"},
		{"another customer", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1), other},
			PaymentInput{FormaDePagoP: "03", Monto: dec("200"), Apply: []Application{{InvoiceID: 1, ImpPagado: dec("100")}, {InvoiceID: 2, ImpPagado: dec("100")}}},
			domain.Invalid, "otro cliente"},
		{"XXX", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)}, PaymentInput{FormaDePagoP: "03", MonedaP: "XXX", Monto: dec("100")}, domain.Invalid, "XXX"},
		{"MXN at another rate", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", TipoCambioP: dec("2"), Monto: dec("100"), Apply: one(1, "100")}, domain.Invalid, "tipo de cambio del pago es 1"},
		{"same currency, equivalence 2", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", Monto: dec("50"), Apply: []Application{{InvoiceID: 1, ImpPagado: dec("100"), EquivalenciaDR: dec("2")}}},
			domain.Invalid, "equivalencia es 1"},
		{"other currency without equivalence", []*Invoice{ppdInvoice(1, "USD", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", Monto: dec("100"), Apply: one(1, "100")}, domain.Invalid, "indique la equivalencia"},
		{"Monto is not the sum", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", Monto: dec("150"), Apply: one(1, "100")}, domain.Invalid, "no es la suma"},
		{"converted beyond tolerance", []*Invoice{ppdInvoice(1, "USD", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "03", Monto: dec("2000.02"), Apply: []Application{{InvoiceID: 1, ImpPagado: dec("100"), EquivalenciaDR: dec("0.05")}}},
			domain.Invalid, "no es la suma"},
		{"forma 99", []*Invoice{ppdInvoice(1, "MXN", "1000", iva16, 1)},
			PaymentInput{FormaDePagoP: "99", Monto: dec("100"), Apply: one(1, "100")}, domain.Invalid, "Por definir"},
		{"nothing to pay", nil, PaymentInput{FormaDePagoP: "03", Monto: dec("100")}, domain.Invalid, "pendientes de pago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var open []Payable
			for _, inv := range tt.invoices {
				open = append(open, mustPayable(t, inv, PaidSummary{}))
			}
			in := tt.in
			in.FechaPago = payDate
			_, err := BuildPayment("P", in, open, fakeCatalogs{})
			if err == nil {
				t.Fatal("accepted")
			}
			if domain.KindOf(err) != tt.kind || !strings.Contains(domain.UserMessage(err)+err.Error(), tt.want) {
				t.Errorf("err = %v (%s, %q), want %s containing %q", err, domain.KindOf(err), domain.UserMessage(err), tt.kind, tt.want)
			}
		})
	}
	// Within tolerance: one centavo of conversion rounding is accepted.
	open := []Payable{mustPayable(t, ppdInvoice(1, "USD", "1000", iva16, 1), PaidSummary{})}
	if _, err := BuildPayment("P", PaymentInput{FechaPago: payDate, FormaDePagoP: "03", Monto: dec("2000.01"),
		Apply: []Application{{InvoiceID: 1, ImpPagado: dec("100"), EquivalenciaDR: dec("0.05")}}}, open, fakeCatalogs{}); err != nil {
		t.Errorf("one centavo of tolerance refused: %v", err)
	}
}

// TestAllowCancelPaidInvoice: a live receipt blocks the invoice's
// cancellation, naming it; a cancelled one does not.
func TestAllowCancelPaidInvoice(t *testing.T) {
	t.Parallel()
	rows := []PaymentRow{{Serie: "P", Folio: 1, State: StateStamped}, {Serie: "P", Folio: 2, State: StateCancelled}}
	err := AllowCancelPaidInvoice(StateStamped, nil, rows)
	if domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "P-1") || strings.Contains(domain.UserMessage(err), "P-2") {
		t.Errorf("err = %v", err)
	}
	if err := AllowCancelPaidInvoice(StateStamped, nil, rows[1:]); err != nil {
		t.Errorf("cancelled receipt blocks: %v", err)
	}
}

// PagosTotalesText is Totales as text, for comparisons.
type PagosTotalesText struct {
	Monto, Base16, IVA16, Base8, IVA8, Base0, IVA0, Exento, RetIVA, RetISR, RetIEPS string
}

func totalesText(t PaymentTotals) PagosTotalesText {
	o := PagosTotalesText{Monto: t.MontoTotalPagos.StringFixed(2)}
	opt := func(dst *string, v *decimal.Decimal) {
		if v != nil {
			*dst = v.StringFixed(2)
		}
	}
	opt(&o.Base16, t.TrasladosBaseIVA16)
	opt(&o.IVA16, t.TrasladosImpuestoIVA16)
	opt(&o.Base8, t.TrasladosBaseIVA8)
	opt(&o.IVA8, t.TrasladosImpuestoIVA8)
	opt(&o.Base0, t.TrasladosBaseIVA0)
	opt(&o.IVA0, t.TrasladosImpuestoIVA0)
	opt(&o.Exento, t.TrasladosBaseIVAExento)
	opt(&o.RetIVA, t.RetencionesIVA)
	opt(&o.RetISR, t.RetencionesISR)
	opt(&o.RetIEPS, t.RetencionesIEPS)
	return o
}

func taxesText(xs []DocumentTax, places int32) string {
	var parts []string
	for _, x := range xs {
		k := "T"
		if x.Retencion {
			k = "R"
		}
		parts = append(parts, strings.Join([]string{k, x.Impuesto, x.TipoFactor, x.TasaOCuota.String(),
			x.Base.StringFixed(places), x.Importe.StringFixed(places)}, " "))
	}
	return strings.Join(parts, ";")
}
