package sqlite

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// TestQuoteToInvoice: a quote is saved open, sent and accepted; Facturar
// makes an invoice draft with the same customer and lines, which posts
// like any invoice, and the quote is facturada with the link both ways;
// it cannot be invoiced twice; an open quote past its validity shows
// vencida and cannot be accepted.
func TestQuoteToInvoice(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	now := salesClock
	svc := &quotes.Service{Store: s, Clock: func() time.Time { return now }}
	d := draftFor(c, "A")
	d.Lines = append(d.Lines, productLine(1, "3"))
	q := quotes.Quote{Issuer: testIssuer, ValidUntil: now.AddDate(0, 0, 15), Doc: d, Notes: "Precios sujetos a cambio"}
	if err := svc.Save(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if q.Number != 1 || q.Status != quotes.Open {
		t.Errorf("saved quote number %d status %s", q.Number, q.Status)
	}
	if _, err := svc.Facturar(ctx, q.ID, "A"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("Facturar an open quote: %v", err)
	}
	if err := svc.MarkSent(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Accept(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	draft, err := svc.Facturar(ctx, q.ID, "A")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := s.FindInvoiceByID(ctx, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.State != sales.StateDraft || inv.CustomerID != c.ID || len(inv.Lines) != 2 ||
		inv.Lines[0].NoIdentificacion != d.Lines[0].NoIdentificacion || !inv.Lines[1].Cantidad.Equal(dec("3")) ||
		!inv.Lines[1].ValorUnitario.Equal(d.Lines[1].ValorUnitario) {
		t.Fatalf("invoice draft from the quote: %+v", inv)
	}
	back, err := s.FindQuote(ctx, q.ID)
	if err != nil || back.Status != quotes.Invoiced || back.InvoiceID != inv.ID {
		t.Errorf("quote after Facturar: %+v, %v", back, err)
	}
	if of, found, err := s.QuoteOfInvoice(ctx, inv.ID); err != nil || !found || of.ID != q.ID {
		t.Errorf("QuoteOfInvoice = %+v %v %v", of, found, err)
	}
	if _, err := svc.Facturar(ctx, q.ID, "A"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("second Facturar: %v", err)
	}
	if _, err := postDraft(t, s, inv.ID, sales.PostOptions{}, salesClock); err != nil {
		t.Fatalf("post the invoice made from the quote: %v", err)
	}

	old := quotes.Quote{Issuer: testIssuer, ValidUntil: now.AddDate(0, 0, 1), Doc: d}
	if err := svc.Save(ctx, &old); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 3)
	got, _ := s.FindQuote(ctx, old.ID)
	if got.Number != 2 || got.StatusOn(now) != quotes.Expired {
		t.Errorf("old quote number %d shows %s, want 2 and vencida", got.Number, got.StatusOn(now))
	}
	if err := svc.Accept(ctx, old.ID); domain.KindOf(err) != domain.Invalid {
		t.Errorf("accepting an expired quote: %v", err)
	}
}

// TestQuotePDF: the printed quote is a PDF titled COTIZACIÓN with the
// totals the invoice would have.
func TestQuotePDF(t *testing.T) {
	s := openSalesStore(t)
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	q := quotes.Quote{Issuer: testIssuer, Number: 7, Fecha: salesClock, ValidUntil: salesClock.AddDate(0, 0, 10), Doc: draftFor(c, "A")}
	q.Doc.Customer = c
	tot, err := sales.Compute(&q.Doc, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !tot.Total.Equal(dec("37117.68")) {
		t.Errorf("quote total %s, want the invoice's 37117.68", tot.Total)
	}
	pdf, err := quotes.PDF(&q, tot, print.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The title is in the document's information, in UTF-16BE.
	utf16 := []byte("\x00C\x00O\x00T\x00I\x00Z\x00A\x00C\x00I")
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || !bytes.Contains(pdf, utf16) {
		t.Error("the quote's PDF lacks its title")
	}
}
