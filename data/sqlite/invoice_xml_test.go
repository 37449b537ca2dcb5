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
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// given a posted, not yet stamped invoice
	xml, stamped, err := s.InvoiceXML(ctx, inv.ID)
	if err != nil || stamped || string(xml) != string(inv.SealedXML) {
		t.Fatalf("InvoiceXML = %d bytes, stamped %v, %v; want the sealed XML verbatim", len(xml), stamped, err)
	}
	// and its queued document is found by the invoice's id
	docID, uuid, name, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil || docID == 0 || uuid != "" || name != "A-1" {
		t.Fatalf("InvoiceDocument = %d, %q, %q, %v", docID, uuid, name, err)
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
