package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// testRelations: a document posted with relations stores them, with the
// related document's id when it was issued here; relating to a document
// whose cancellation is in process or done is refused by the domain and
// consumes nothing.
func testRelations(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	a := f.mustPost(f.draft("A").ID)
	uA := f.stamp(a, base.Add(time.Minute))
	const foreign = "0C5E7E3B-1A2B-4C3D-8E9F-A0B1C2D3E4F5"
	relating := func(uuid string) sales.Invoice {
		return f.draft("A", func(inv *sales.Invoice) {
			inv.Relations = []sales.Relation{{TipoRelacion: "04", UUID: uuid}, {TipoRelacion: "04", UUID: foreign}}
		})
	}
	b := f.mustPost(relating(uA).ID)
	got := f.find(b.ID)
	want := []sales.Relation{{TipoRelacion: "04", UUID: uA, DocumentID: a.ID}, {TipoRelacion: "04", UUID: foreign}}
	if len(got.Relations) != 2 || got.Relations[0] != want[0] || got.Relations[1] != want[1] {
		t.Errorf("stored relations = %+v, want %+v", got.Relations, want)
	}
	c, err := cfdi.Parse(got.SealedXML)
	if err != nil || len(c.CfdiRelacionados) != 1 || c.CfdiRelacionados[0].TipoRelacion != "04" ||
		len(c.CfdiRelacionados[0].CfdiRelacionado) != 2 || c.CfdiRelacionados[0].CfdiRelacionado[0].UUID != uA ||
		c.CfdiRelacionados[0].CfdiRelacionado[1].UUID != foreign {
		t.Errorf("sealed CfdiRelacionados = %+v, %v", c.CfdiRelacionados, err)
	}
	// A refused cancellation leaves the document valid: it may be related.
	r := f.mustPost(f.draft("A").ID)
	uR := f.stamp(r, base.Add(time.Minute))
	cid := f.requestCancel(r, uR, base.Add(time.Hour))
	if err := f.q.UpdateCancelStatus(f.ctx, cid, stamping.SATStatus{Estado: "Vigente", EstatusCancelacion: "Solicitud rechazada"}, base.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if inv := f.mustPost(relating(uR).ID); f.find(inv.ID).Relations[0].DocumentID != r.ID {
		t.Errorf("relation to a document whose cancellation was refused = %+v", f.find(inv.ID).Relations)
	}
	// A document being cancelled, or cancelled, may not be related.
	p := f.mustPost(f.draft("A").ID)
	uP := f.stamp(p, base.Add(time.Minute))
	f.requestCancel(p, uP, base.Add(time.Hour))
	x := f.mustPost(f.draft("A").ID)
	uX := f.stamp(x, base.Add(time.Minute))
	f.cancel(x, uX, base.Add(time.Hour))
	next, docs := f.nextFolio("A"), len(f.documents())
	for name, uuid := range map[string]string{"in process": uP, "cancelled": uX} {
		d := relating(uuid)
		if _, err := f.post(d.ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
			t.Errorf("relating to a document whose cancellation is %s: Post = %v, want Conflict", name, err)
		}
		if got := f.wantState(d.ID, sales.StateDraft); got.Folio != 0 || len(got.Relations) != 2 || got.Relations[0].DocumentID != 0 {
			t.Errorf("refused draft = %+v", got)
		}
	}
	// The UUID as a user may type it names the same document.
	if _, err := f.post(relating(strings.ToLower(uX)).ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("relating to a cancelled document by its UUID in lower case: Post = %v, want Conflict", err)
	}
	if f.nextFolio("A") != next || len(f.documents()) != docs {
		t.Errorf("refused posts consumed a folio (next %d, was %d) or queued a document", f.nextFolio("A"), next)
	}
}

// testAmounts: the amounts stored with each posted document are the sealed
// XML's SubTotal, Descuento, Total and taxes by tax and rate, in its
// currency with its TipoCambio and MXN equivalent; SumAmounts adds them up
// by currency, dates and states.
func testAmounts(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.setClock(base.Add(time.Hour))
	// Given a credit invoice with every kind of tax (16 %, 0 %, exempt,
	// withheld IVA and ISR) and discounts…
	credit := f.mustPost(f.draft("A", func(inv *sales.Invoice) {
		inv.Customer, inv.CustomerID, inv.UsoCFDI = f.cust[1], f.cust[1].ID, f.cust[1].UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, "99"
		inv.Lines = nil
		for i := range f.prod {
			l := sales.LineFromProduct(&f.prod[i], dec("1.5"))
			l.Descuento = dec("10.01")
			inv.Lines = append(inv.Lines, l)
		}
	}).ID)
	// …an invoice in dollars…
	usd := f.mustPost(f.draft("A", func(inv *sales.Invoice) {
		inv.Moneda, inv.TipoCambio = "USD", dec("17.123456")
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("3")), sales.LineFromProduct(&f.prod[1], dec("7")),
			sales.LineFromProduct(&f.prod[3], dec("2.25")), sales.LineFromProduct(&f.prod[4], dec("1"))}
		inv.Lines[1].Descuento = dec("0.37")
	}).ID)
	// …and a plain one, posted a day later.
	f.setClock(base.Add(25 * time.Hour))
	plain := f.mustPost(f.draft("A").ID)

	for _, inv := range []sales.Invoice{credit, usd, plain} {
		checkAmounts(t, f, inv)
	}
	usdA, _, _ := f.s.FindAmounts(f.ctx, usd.ID)
	if usdA.TotalMXN.Equal(usdA.Total) || !usdA.TipoCambio.Equal(dec("17.123456")) {
		t.Errorf("dollar invoice: total %s, MXN %s at %s", usdA.Total, usdA.TotalMXN, usdA.TipoCambio)
	}

	// The sums are the documents' amounts added up.
	mxn := func(inv sales.Invoice) decimal.Decimal {
		a, _, _ := f.s.FindAmounts(f.ctx, inv.ID)
		return a.TotalMXN
	}
	sum := func(fl sales.AmountsFilter) sales.AmountsSum {
		t.Helper()
		fl.Issuer = f.co.RFC
		s, err := f.s.SumAmounts(f.ctx, fl)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f.mustPost(f.draft("A").ID) // drafts do not count; posted ones do
	f.draft("A")
	all := sum(sales.AmountsFilter{})
	if want := mxn(credit).Add(mxn(usd)).Add(mxn(plain)).Add(plain.Total); all.Documents != 4 || !all.TotalMXN.Equal(want) {
		t.Errorf("sum of every document = %d, MXN %s; want 4, %s", all.Documents, all.TotalMXN, want)
	}
	if s := sum(sales.AmountsFilter{Moneda: "USD"}); s.Documents != 1 || !s.Total.Equal(usd.Total) || !s.TotalMXN.Equal(usdA.TotalMXN) ||
		!s.SubTotal.Equal(usdA.SubTotal) || !s.Descuento.Equal(usdA.Descuento) || !s.Traslados.Equal(usdA.Traslados) {
		t.Errorf("sum in dollars = %+v, want the dollar invoice's %+v", s, usdA)
	}
	creditA, _, _ := f.s.FindAmounts(f.ctx, credit.ID)
	if s := sum(sales.AmountsFilter{Moneda: "MXN", To: base.Add(24 * time.Hour)}); s.Documents != 1 || !s.Total.Equal(credit.Total) ||
		!s.Retenciones.Equal(creditA.Retenciones) || !s.Traslados.Equal(creditA.Traslados) {
		t.Errorf("sum in pesos of the first day = %+v, want the credit invoice's %+v", s, creditA)
	}
	if s := sum(sales.AmountsFilter{From: base.Add(24 * time.Hour), To: base.Add(26 * time.Hour)}); s.Documents != 2 || !s.TotalMXN.Equal(plain.Total.Mul(decimal.NewFromInt(2))) {
		t.Errorf("sum from the second day = %+v", s)
	}
	// Per type: a credit note is summed apart from the invoices.
	f.series("NC", sales.TipoEgreso)
	f.setClock(base.Add(26 * time.Hour))
	note := f.mustPost(f.draft("NC", func(inv *sales.Invoice) { inv.TipoDeComprobante = sales.TipoEgreso }).ID)
	if s := sum(sales.AmountsFilter{TipoDeComprobante: sales.TipoEgreso}); s.Documents != 1 || !s.Total.Equal(note.Total) {
		t.Errorf("sum of credit notes = %+v, want the note's %s", s, note.Total)
	}
	if s := sum(sales.AmountsFilter{TipoDeComprobante: sales.TipoIngreso}); s.Documents != 4 || !s.TotalMXN.Equal(all.TotalMXN) {
		t.Errorf("sum of invoices = %+v, want %s", s, all.TotalMXN)
	}
	checkAmounts(t, f, note)
	all.TotalMXN = all.TotalMXN.Add(note.Total)
	// Per state: a cancelled document leaves the valid ones' sum.
	uuid := f.stamp(usd, base.Add(2*time.Hour))
	f.cancel(usd, uuid, base.Add(3*time.Hour))
	valid := []sales.State{sales.StateSealed, sales.StateStamped, sales.StateCancelRequested, sales.StateCancelRejected}
	if s := sum(sales.AmountsFilter{States: valid}); s.Documents != 4 || !s.TotalMXN.Equal(all.TotalMXN.Sub(usdA.TotalMXN)) {
		t.Errorf("sum of valid documents = %+v", s)
	}
	if s := sum(sales.AmountsFilter{States: []sales.State{sales.StateCancelled}}); s.Documents != 1 || !s.TotalMXN.Equal(usdA.TotalMXN) {
		t.Errorf("sum of cancelled documents = %+v", s)
	}
	checkAmounts(t, f, usd) // stamping and cancelling leave the amounts alone
}

// checkAmounts compares the stored amounts of posted invoice inv with its
// sealed XML.
func checkAmounts(t *testing.T, f *fixture, inv sales.Invoice) {
	t.Helper()
	got, ok, err := f.s.FindAmounts(f.ctx, inv.ID)
	if err != nil || !ok {
		t.Fatalf("FindAmounts(%d) = ok %v, %v", inv.ID, ok, err)
	}
	c, err := cfdi.Parse(f.find(inv.ID).SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		return dec(s)
	}
	tc := decimal.NewFromInt(1)
	if c.TipoCambio != "" && c.Moneda != "MXN" {
		tc = dec(c.TipoCambio)
	}
	var imp cfdi.Impuestos
	if c.Impuestos != nil {
		imp = *c.Impuestos
	}
	for _, x := range []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"SubTotal", got.SubTotal, num(c.SubTotal)},
		{"Descuento", got.Descuento, num(c.Descuento)},
		{"Total", got.Total, num(c.Total)},
		{"TotalImpuestosTrasladados", got.Traslados, num(imp.TotalImpuestosTrasladados)},
		{"TotalImpuestosRetenidos", got.Retenciones, num(imp.TotalImpuestosRetenidos)},
		{"TipoCambio", got.TipoCambio, tc},
		{"TotalMXN", got.TotalMXN, tax.RoundMXN(num(c.Total), tc)},
		{"the list's total", inv.Total, num(c.Total)},
	} {
		if !x.got.Equal(x.want) {
			t.Errorf("invoice %d %s = %s, sealed %s", inv.ID, x.name, x.got, x.want)
		}
	}
	if got.Moneda != c.Moneda {
		t.Errorf("invoice %d Moneda = %s, sealed %s", inv.ID, got.Moneda, c.Moneda)
	}
	// Traslados by tax and rate are the CFDI's Impuestos/Traslados; the
	// Retenciones by rate add up to its Impuestos/Retenciones per tax.
	var tras []sales.DocumentTax
	withheld := map[string]decimal.Decimal{}
	for _, x := range got.Taxes {
		if x.Retencion {
			withheld[x.Impuesto] = withheld[x.Impuesto].Add(x.Importe)
		} else {
			tras = append(tras, x)
		}
	}
	if len(tras) != len(imp.Traslados) {
		t.Fatalf("invoice %d: %d traslados stored, %d sealed", inv.ID, len(tras), len(imp.Traslados))
	}
	for i, x := range imp.Traslados {
		g := tras[i]
		if g.Impuesto != x.Impuesto || g.TipoFactor != x.TipoFactor || !g.TasaOCuota.Equal(num(x.TasaOCuota)) ||
			!g.Base.Equal(num(x.Base)) || !g.Importe.Equal(num(x.Importe)) {
			t.Errorf("invoice %d traslado %d = %+v, sealed %+v", inv.ID, i, g, x)
		}
	}
	if len(withheld) != len(imp.Retenciones) {
		t.Errorf("invoice %d: retenciones of %d taxes stored, %d sealed", inv.ID, len(withheld), len(imp.Retenciones))
	}
	for _, x := range imp.Retenciones {
		if !withheld[x.Impuesto].Equal(num(x.Importe)) {
			t.Errorf("invoice %d retención %s = %s, sealed %s", inv.ID, x.Impuesto, withheld[x.Impuesto], x.Importe)
		}
	}
	// And they are what the domain reads back from the XML (what a
	// backfill of an older document stores).
	fromXML, _, err := sales.AmountsFromCFDI(c)
	if err != nil {
		t.Fatal(err)
	}
	if !EqualAmounts(got, fromXML) {
		t.Errorf("invoice %d stored amounts %+v\nread from its XML %+v", inv.ID, got, fromXML)
	}
}

// EqualAmounts reports whether a and b are the same amounts: equal
// numbers (whatever their scale), the same currency and the same taxes in
// the same order.
func EqualAmounts(a, b sales.Amounts) bool {
	if a.Moneda != b.Moneda || len(a.Taxes) != len(b.Taxes) {
		return false
	}
	for _, p := range [][2]decimal.Decimal{{a.SubTotal, b.SubTotal}, {a.Descuento, b.Descuento}, {a.Traslados, b.Traslados},
		{a.Retenciones, b.Retenciones}, {a.Total, b.Total}, {a.TipoCambio, b.TipoCambio}, {a.TotalMXN, b.TotalMXN}} {
		if !p[0].Equal(p[1]) {
			return false
		}
	}
	for i, x := range a.Taxes {
		y := b.Taxes[i]
		if x.Retencion != y.Retencion || x.Impuesto != y.Impuesto || x.TipoFactor != y.TipoFactor ||
			!x.TasaOCuota.Equal(y.TasaOCuota) || !x.Base.Equal(y.Base) || !x.Importe.Equal(y.Importe) {
			return false
		}
	}
	return true
}

// sumDocuments is how many documents of 0.10 testSums adds up.
const sumDocuments = 1000

// testSums: the store adds up many small amounts exactly: a thousand
// documents of 0.10 are 100.00, not 99.99999999999986.
func testSums(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	for range sumDocuments {
		f.mustPost(f.draft("A", func(inv *sales.Invoice) {
			inv.Lines = []sales.Line{{Cantidad: dec("1"), ClaveUnidad: "E48", ClaveProdServ: "81111500",
				Descripcion: "Diez centavos", ValorUnitario: dec("0.10"), ObjetoImp: "01"}}
		}).ID)
	}
	s, err := f.s.SumAmounts(f.ctx, sales.AmountsFilter{Issuer: f.co.RFC, Moneda: "MXN"})
	if err != nil {
		t.Fatal(err)
	}
	want := decimal.NewFromInt(sumDocuments).Div(decimal.NewFromInt(10))
	if s.Documents != sumDocuments || !s.Total.Equal(want) || !s.SubTotal.Equal(want) || !s.TotalMXN.Equal(want) ||
		!s.Traslados.IsZero() || !s.Descuento.IsZero() {
		t.Errorf("sum of %d documents of 0.10 = %+v, want %s exactly", sumDocuments, s, want)
	}
	// The list's totals, added in decimal, agree.
	total := decimal.Zero
	filter := sales.InvoiceFilter{Issuer: f.co.RFC, Status: sales.StatusSealed, Limit: 500}
	for {
		rows, err := f.s.FindInvoices(f.ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			total = total.Add(r.Total)
		}
		if len(rows) < filter.Limit {
			break
		}
		filter.After = rows[len(rows)-1].Cursor()
	}
	if !total.Equal(want) {
		t.Errorf("list totals add up to %s, want %s", total, want)
	}
}
