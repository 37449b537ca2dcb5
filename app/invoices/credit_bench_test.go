package invoices

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// BenchmarkCreditFormOpen300Lines measures opening "Devolver" on a stamped
// invoice of 300 lines the way the screen does: what earlier notes took and
// the invoice read from SQLite (LoadCredit), the form built with the whole
// invoice credited and computed, and laid out in a 1366×768 window. The
// issue's target is under 100 ms.
func BenchmarkCreditFormOpen300Lines(b *testing.B) {
	f := newCreditBenchFixture(b, 300)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		in, err := LoadCredit(ctx, f.deps, f.inv.ID)
		if err != nil {
			b.Fatal(err)
		}
		form := NewCreditForm(f.deps, f.co, sales.Devolucion, in)
		w.SetContent(form)
		if len(form.rows) != 300 {
			b.Fatalf("%d rows", len(form.rows))
		}
	}
}

// newCreditBenchFixture is the credit fixture with a stamped invoice of n
// lines (the demo products in turn, one to n units) instead of the manual's.
func newCreditBenchFixture(b *testing.B, n int) *creditFixture {
	b.Helper()
	ef := newEditorFixture(b)
	f := &creditFixture{editorFixture: ef}
	ctx := context.Background()
	nc := sales.Series{Issuer: f.co.RFC, Serie: "NC", TipoDeComprobante: sales.TipoEgreso, NextFolio: 1, Active: true}
	if err := f.store.CreateSeries(ctx, &nc); err != nil {
		b.Fatal(err)
	}
	custs, err := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429TM6"})
	if err != nil || len(custs) != 1 {
		b.Fatalf("customer: %v %v", custs, err)
	}
	prods, err := f.store.FindProducts(ctx, sales.ProductFilter{})
	if err != nil || len(prods) == 0 {
		b.Fatal(err)
	}
	c := custs[0]
	inv := sales.Invoice{Issuer: f.co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: "G01", Terms: sales.Contado,
		FormaPago: "03", Moneda: "MXN"}
	for i := range n {
		inv.Lines = append(inv.Lines, sales.LineFromProduct(&prods[i%len(prods)], dec(fmt.Sprint(i+1))))
	}
	svc := ef.deps.Invoices.(*sales.Service)
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		b.Fatal(err)
	}
	signer, _ := ef.deps.Signer(ctx)
	posted, err := svc.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{})
	if err != nil {
		b.Fatal(err)
	}
	docID, _, _, err := f.store.InvoiceDocument(ctx, posted.ID)
	if err != nil {
		b.Fatal(err)
	}
	if err := sqlite.NewStampStore(f.store).MarkStamped(ctx, docID, posted.SealedXML, manualUUID,
		stamping.Outcome{Class: stamping.Stamped}, editorNow); err != nil {
		b.Fatal(err)
	}
	f.inv = posted
	f.deps = CreditDeps{Loader: f.store, Credits: f.store, Series: f.store, Notes: svc, Rules: testCatalogs(b),
		Signer: ef.deps.Signer, Clock: ef.deps.Clock}
	return f
}
