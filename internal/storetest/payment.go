package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// testPayments: a payment receipt posted through the domain's use case
// counts against the invoice it pays (balance, next NumParcialidad, its
// trace), a receipt built from a stale balance is refused inside the
// posting transaction, the invoice cannot be cancelled while the receipt
// is live, and once the receipt is cancelled the balance is owed again.
func testPayments(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("P", sales.TipoPago)
	c := f.cust[1] // the demo company's customer on credit
	d := f.draft("A", func(inv *sales.Invoice) {
		inv.CustomerID, inv.Customer, inv.UsoCFDI = c.ID, c, c.UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, sales.FormaPagoPorDefinir
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("1"))} // 18,558.84
	})
	inv := f.mustPost(d.ID)
	invUUID := f.stamp(inv, f.clock())
	inv = f.find(inv.ID)

	open, err := f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
	if err != nil || len(open) != 1 || !open[0].Balance().Equal(dec("18558.84")) || open[0].Payments != 0 {
		t.Fatalf("PayableInvoices = %+v, %v", open, err)
	}
	in := sales.PaymentInput{FechaPago: f.clock(), FormaDePagoP: "03", Monto: dec("8558.84")}
	build := func() sales.Invoice {
		t.Helper()
		r, err := sales.BuildPayment("P", in, open, f.svc.Catalogs)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first, stale := build(), build()
	in.Monto = dec("10000.01")
	over := build() // pays 10,000.01 of 18,558.84: fine alone, one centavo too many after first
	posted, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{first})
	if err != nil {
		t.Fatal(err)
	}
	rcpt := posted[0]
	open, err = f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
	if err != nil || len(open) != 1 || !open[0].Balance().Equal(dec("10000.00")) || open[0].Payments != 1 {
		t.Fatalf("after one payment: %+v, %v", open, err)
	}
	// stale is what first was: it still fits (10,000.00 owed); over does not.
	if _, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{over}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("overpaying receipt: %v, want Invalid", err)
	}
	second, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{stale})
	if err != nil {
		t.Fatal(err)
	}
	if d := second[0].Payment.Docs[0]; d.NumParcialidad != 2 || !d.ImpSaldoAnt.Equal(dec("10000.00")) || !d.ImpSaldoInsoluto.Equal(dec("1441.16")) {
		t.Errorf("second receipt re-checked at posting: %+v", d)
	}
	got := f.find(rcpt.ID)
	if got.TipoDeComprobante != sales.TipoPago || got.Payment == nil || len(got.Payment.Docs) != 1 ||
		got.Payment.Docs[0].UUID != invUUID || !got.Payment.Monto.Equal(dec("8558.84")) {
		t.Errorf("receipt read back: %+v %+v", got, got.Payment)
	}
	rows, err := f.s.PaymentsOf(f.ctx, inv.ID)
	if err != nil || len(rows) != 2 || !rows[0].Live() {
		t.Fatalf("PaymentsOf = %+v, %v", rows, err)
	}

	// The invoice may not be cancelled while its receipts are live.
	if err := f.q.AllowCancel(f.ctx, f.document(inv).ID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel of a paid invoice = %v, want Conflict", err)
	}
	// Cancelling the first receipt gives its amount back to the balance.
	rcptUUID := f.stamp(rcpt, f.clock())
	f.cancel(rcpt, rcptUUID, f.clock())
	paid := sales.PaidSummary{}
	open, err = f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
	if err == nil && len(open) == 1 {
		paid = open[0].PaidSummary
	}
	if err != nil || len(open) != 1 || !open[0].Balance().Equal(dec("10000.00")) || paid.Payments != 1 {
		t.Errorf("after cancelling the first receipt: %+v, %v", open, err)
	}
}

// testCancelHold: while an invoice's cancellation is being asked of SAT
// (the hold stamping.Cancellations takes before the PAC call), a payment
// receipt for it and a document relating to it are refused inside the
// posting transaction, and a second request is refused; once released, or
// once the hold has run out, they post. A paid invoice is not held.
func testCancelHold(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("P", sales.TipoPago)
	c := f.cust[1]
	d := f.draft("A", func(inv *sales.Invoice) {
		inv.CustomerID, inv.Customer, inv.UsoCFDI = c.ID, c, c.UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, sales.FormaPagoPorDefinir
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("1"))}
	})
	inv := f.mustPost(d.ID)
	invUUID := f.stamp(inv, f.clock())
	docID := f.document(inv).ID
	open, err := f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
	if err != nil || len(open) != 1 {
		t.Fatalf("PayableInvoices = %+v, %v", open, err)
	}
	pay, err := sales.BuildPayment("P", sales.PaymentInput{FechaPago: f.clock(), FormaDePagoP: "03", Monto: dec("100")}, open, f.svc.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	relating := f.draft("A", func(r *sales.Invoice) { r.Relations = []sales.Relation{{TipoRelacion: "04", UUID: invUUID}} })

	if err := f.q.HoldCancel(f.ctx, docID, time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("HoldCancel = %v", err)
	}
	if err := f.q.HoldCancel(f.ctx, docID, time.Now().Add(time.Hour)); domain.KindOf(err) != domain.Conflict {
		t.Errorf("a second HoldCancel while held = %v, want Conflict", err)
	}
	if _, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{pay}); domain.KindOf(batchRefusal(err)) != domain.Conflict {
		t.Errorf("payment of a held invoice = %v (%v), want Conflict", err, batchRefusal(err))
	}
	if _, err := f.post(relating.ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("relating to a held invoice = %v, want Conflict", err)
	}
	if rows, err := f.s.PaymentsOf(f.ctx, inv.ID); err != nil || len(rows) != 0 {
		t.Errorf("a refused payment left %d rows (%v)", len(rows), err)
	}

	// Released (the PAC refused the request): both post.
	if err := f.q.ReleaseCancel(f.ctx, docID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{pay}); err != nil {
		t.Errorf("payment after the release: %v", err)
	}
	// Now paid: it cannot be held, like AllowCancel.
	if err := f.q.HoldCancel(f.ctx, docID, time.Now().Add(time.Hour)); domain.KindOf(err) != domain.Conflict {
		t.Errorf("HoldCancel of a paid invoice = %v, want Conflict", err)
	}
	// A hold that ran out (Folio stopped during the PAC call) holds nothing.
	d2 := f.draft("A", func(inv *sales.Invoice) {
		inv.CustomerID, inv.Customer, inv.UsoCFDI = c.ID, c, c.UsoCFDI
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("1"))}
	})
	inv2 := f.mustPost(d2.ID)
	uuid2 := f.stamp(inv2, f.clock())
	if err := f.q.HoldCancel(f.ctx, f.document(inv2).ID, f.clock().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	late := f.draft("A", func(r *sales.Invoice) { r.Relations = []sales.Relation{{TipoRelacion: "04", UUID: uuid2}} })
	if _, err := f.post(late.ID, sales.PostOptions{}); err != nil {
		t.Errorf("relating after the hold ran out: %v", err)
	}
	if _, err := f.post(relating.ID, sales.PostOptions{}); err != nil {
		t.Errorf("relating after the release: %v", err)
	}
}

// batchRefusal is the reason the first refused document of a batch was
// refused (err itself when it is not a *sales.BatchError).
func batchRefusal(err error) error {
	var be *sales.BatchError
	if !errors.As(err, &be) {
		return err
	}
	for _, e := range be.Refused {
		return e
	}
	return err
}
