package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

func TestInvoiceXMLAndPrinted(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// given a posted, not yet stamped invoice
	xml, stamped, err := s.InvoiceXML(ctx, inv.ID)
	if err != nil || stamped || string(xml) != string(inv.SealedXML) {
		t.Fatalf("InvoiceXML = %d bytes, stamped %v, %v; want the sealed XML verbatim", len(xml), stamped, err)
	}
	// when it is printed
	if err := s.MarkInvoicePrinted(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	// then the list row says so
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: inv.Issuer, Limit: 10})
	if err != nil || len(rows) != 1 || !rows[0].Printed {
		t.Fatalf("FindInvoices = %+v, %v; want one printed row", rows, err)
	}
	// and a draft has no XML
	if _, _, err := s.InvoiceXML(ctx, 999999); !domain.IsKind(err, domain.NotFound) {
		t.Errorf("InvoiceXML(draft) error = %v, want NotFound", err)
	}
}

// TestInvoiceFollowsItsDocument: what the stamp queue and the cancellation
// service record moves the invoice through the states the domain's
// lifecycle decides, in the same transaction (no trigger does it).
func TestInvoiceFollowsItsDocument(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	q := NewStampStore(s)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	docID, uuid, name, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil || docID == 0 || uuid != "" || name != "A-1" {
		t.Fatalf("InvoiceDocument = %d, %q, %q, %v", docID, uuid, name, err)
	}
	state := func(want sales.State) sales.Invoice {
		t.Helper()
		got, err := s.FindInvoiceByID(ctx, inv.ID)
		if err != nil || got.State != want || got.Status != want.Status() {
			t.Fatalf("state %s status %s (%v), want %s", got.State, got.Status, err, want)
		}
		return got
	}
	now := salesClock.Add(2 * time.Hour)
	// given the PAC rejects it, then it is corrected and re-sealed with a new Fecha
	if err := q.Reject(ctx, docID, stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102"}, "corrija", now); err != nil {
		t.Fatal(err)
	}
	state(sales.StateRejected)
	redated := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	if err := q.Replace(ctx, docID, inv.SealedXML, redated, now); err != nil {
		t.Fatal(err)
	}
	if got := state(sales.StateSealed); !got.Fecha.Equal(redated) {
		t.Fatalf("after re-seal: fecha %v, want %v", got.Fecha, redated)
	}
	// when it is stamped
	const u = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"
	if err := q.MarkStamped(ctx, docID, inv.SealedXML, u, stamping.Outcome{Class: stamping.Stamped}, now); err != nil {
		t.Fatal(err)
	}
	if got := state(sales.StateStamped); got.UUID != u {
		t.Fatalf("stamped uuid %q, want %q", got.UUID, u)
	}
	// then a cancellation request puts it in process and a second is refused
	cid, err := q.SaveCancellation(ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: now,
		Request: stamping.CancelRequest{IssuerRFC: inv.Issuer, UUID: u, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201"}})
	if err != nil {
		t.Fatal(err)
	}
	state(sales.StateCancelRequested)
	if err := q.AllowCancel(ctx, docID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel while in process = %v, want Conflict", err)
	}
	// the receptor refuses it; then SAT confirms a later request
	if err := q.UpdateCancelStatus(ctx, cid, stamping.SATStatus{Estado: "Vigente", EstatusCancelacion: "Solicitud rechazada"}, now); err != nil {
		t.Fatal(err)
	}
	state(sales.StateCancelRejected)
	if err := q.AllowCancel(ctx, docID); err != nil {
		t.Errorf("AllowCancel after a refusal = %v, want nil", err)
	}
	if err := q.UpdateCancelStatus(ctx, cid, stamping.SATStatus{Estado: "Cancelado", EstatusCancelacion: "Cancelado con aceptación"}, now); err != nil {
		t.Fatal(err)
	}
	state(sales.StateCancelled)
	if err := q.AllowCancel(ctx, docID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel once cancelled = %v, want Conflict", err)
	}
}
