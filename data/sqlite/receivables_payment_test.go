package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
)

// TestPaymentsMoveReceivables: a payment receipt lowers the open balance
// of each invoice it pays by ImpPagado — in the stored balance the aging
// reads, in the from-scratch recomputation and in the customer's
// movements — and cancelling the receipt gives it back.
func TestPaymentsMoveReceivables(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "P", "P")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	inv := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-0000000000B1", productLine(0, "2"))
	open := func() (stored, recomputed, paid string) {
		t.Helper()
		rs, err := s.Receivables(ctx, testIssuer, c.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("receivables %+v, %v", rs, err)
		}
		return rs[0].Open.StringFixed(2), rs[0].Recomputed().StringFixed(2), rs[0].Paid.StringFixed(2)
	}
	if st, re, _ := open(); st != inv.Total.StringFixed(2) || re != st {
		t.Fatalf("before paying: stored %s recomputed %s, want %s", st, re, inv.Total.StringFixed(2))
	}
	rcpt, err := postPayment(t, s, c.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec("1000.00")}, salesClock.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := inv.Total.Sub(dec("1000")).StringFixed(2)
	if st, re, paid := open(); st != want || re != want || paid != "1000.00" {
		t.Errorf("after paying 1000.00: stored %s recomputed %s paid %s, want %s", st, re, paid, want)
	}
	moves, err := s.Movements(ctx, testIssuer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range moves {
		if m.Kind == "pago" && m.DocumentID == rcpt.ID && m.Amount.Equal(dec("-1000")) && m.Serie == "P" {
			found = true
		}
	}
	if !found {
		t.Errorf("movements %+v lack the receipt P-%d for -1000", moves, rcpt.Folio)
	}
	// The receipts' list shows the money received, not the CFDI's 0 XXX.
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoPago})
	if err != nil || len(rows) != 1 || !rows[0].Total.Equal(dec("1000")) || rows[0].Moneda != "MXN" {
		t.Errorf("receipts list %+v, %v; want 1000 MXN", rows, err)
	}
	docID := stampNote(t, s, rcpt, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000B2")
	cancelAtSAT(t, s, docID, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000B2")
	if st, re, paid := open(); st != inv.Total.StringFixed(2) || re != st || paid != "0.00" {
		t.Errorf("after cancelling the receipt: stored %s recomputed %s paid %s, want %s", st, re, paid, inv.Total.StringFixed(2))
	}
}

// TestPendingReceipts: a posted receipt waits for its stamp with the day of
// its payment, and leaves the list once stamped.
func TestPendingReceipts(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "P", "P")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-0000000000D1", productLine(0, "1"))
	paid := salesClock.Add(-2 * time.Hour)
	rcpt, err := postPayment(t, s, c.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec("100.00"), FechaPago: paid}, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PendingReceipts(ctx)
	if err != nil || len(p) != 1 || p[0].ID != rcpt.ID || !p[0].FechaPago.Equal(paid) || p[0].State != sales.StateSealed {
		t.Fatalf("pending %+v, %v", p, err)
	}
	if d := p[0].Deadline(); d.Month() == paid.Month() {
		t.Errorf("deadline %v in the month of the payment", d)
	}
	stampNote(t, s, rcpt, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000D2")
	if p, err := s.PendingReceipts(ctx); err != nil || len(p) != 0 {
		t.Errorf("after stamping: %+v, %v", p, err)
	}
}
