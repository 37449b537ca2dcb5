package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

func TestInvoiceXMLAndPrinted(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	inv, err := s.PostInvoice(ctx, d.ID, sales.PostOptions{}, salesClock.Add(time.Hour), recordingSeal)
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

func TestInvoiceFollowsCancelAndRedate(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	inv, err := s.PostInvoice(ctx, d.ID, sales.PostOptions{}, salesClock.Add(time.Hour), recordingSeal)
	if err != nil {
		t.Fatal(err)
	}
	docID, uuid, name, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil || docID == 0 || uuid != "" || name != "A-1" {
		t.Fatalf("InvoiceDocument = %d, %q, %q, %v", docID, uuid, name, err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.WriteDB().ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// given the document re-dated (72-hour rule), the invoice follows
	exec(`UPDATE documents SET fecha = '2026-11-30T10:00:00.000000000Z' WHERE id = ?`, docID)
	got, err := s.FindInvoiceByID(ctx, inv.ID)
	if err != nil || !got.Fecha.Equal(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("after redate: fecha %v, %v", got.Fecha, err)
	}
	// when it is stamped, then SAT confirms its cancellation
	exec(`UPDATE documents SET state = 'stamped', uuid = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' WHERE id = ?`, docID)
	exec(`INSERT INTO cancellations (document_id, issuer_rfc, uuid, motivo, estatus_uuid, requested_at)
		VALUES (?, ?, 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', '02', '201', '2026-11-30T11:00:00.000000000Z')`, docID, inv.Issuer)
	if got, _ := s.FindInvoiceByID(ctx, inv.ID); got.Status != sales.StatusStamped {
		t.Fatalf("request accepted: status %s, want still stamped", got.Status)
	}
	exec(`UPDATE cancellations SET estado = 'Cancelado', checked_at = '2026-11-30T12:00:00.000000000Z' WHERE document_id = ?`, docID)
	// then the invoice is in "Canceladas"
	if got, _ := s.FindInvoiceByID(ctx, inv.ID); got.Status != sales.StatusCancelled {
		t.Errorf("after SAT confirmed: status %s, want cancelled", got.Status)
	}
}
