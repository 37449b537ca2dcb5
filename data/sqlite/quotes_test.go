package sqlite

import (
	"bytes"
	"context"
	"slices"
	"strings"
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
	if err != nil || back.Status != quotes.Invoiced || back.InvoiceID != inv.ID || back.InvoiceFolio != "" {
		t.Errorf("quote after Facturar: %+v, %v; want its draft, without folio", back, err)
	}
	if of, found, err := s.QuoteOfInvoice(ctx, inv.ID); err != nil || !found || of.ID != q.ID {
		t.Errorf("QuoteOfInvoice = %+v %v %v", of, found, err)
	}
	if _, err := svc.Facturar(ctx, q.ID, "A"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("second Facturar: %v", err)
	}
	// The draft keeps its quote: deleting it is refused with the quote's
	// number, not a foreign-key failure.
	if err := s.DeleteDraft(ctx, inv.ID); domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "cotización 1") {
		t.Errorf("deleting the quote's draft: %v", err)
	}
	posted, err := postDraft(t, s, inv.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post the invoice made from the quote: %v", err)
	}
	listed, err := s.ListQuotes(ctx, quotes.Filter{Issuer: testIssuer, Now: now})
	if err != nil || len(listed) != 1 || listed[0].InvoiceFolio != posted.FolioText() || posted.FolioText() == "" {
		t.Errorf("listed quotes %+v, %v; want the invoice's folio %q", listed, err, posted.FolioText())
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

// TestListQuotes: the list's tabs select by status as Quote.StatusOn shows
// it (vencida derived from the validity on the filter's day), the search
// finds a quote by customer or number, dates bound it, and keyset pages
// walk every quote once, newest first; an accepted quote is no longer
// editable, whatever an editor still shows.
func TestListQuotes(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	custs := sales.DemoCustomers()
	c1 := mustCreateCustomer(t, s, custs[0])
	c2 := mustCreateCustomer(t, s, custs[1])
	now := salesClock
	svc := &quotes.Service{Store: s, Clock: func() time.Time { return now }}
	save := func(c sales.Customer, days int) quotes.Quote {
		t.Helper()
		q := quotes.Quote{Issuer: testIssuer, ValidUntil: quotes.Day(now).AddDate(0, 0, days), Doc: draftFor(c, "A")}
		if err := svc.Save(ctx, &q); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		return q
	}
	// Given: 1 open, 2 sent, 3 accepted, 4 invoiced (customer 1); 5 open
	// and 6 sent that expire after two days (customer 2).
	open, sent, acc, inv := save(c1, 15), save(c1, 15), save(c1, 15), save(c1, 15)
	exp1, exp2 := save(c2, 1), save(c2, 1)
	for _, id := range []int64{sent.ID, acc.ID, inv.ID, exp2.ID} {
		if err := svc.MarkSent(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []int64{acc.ID, inv.ID} {
		if err := svc.Accept(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Facturar(ctx, inv.ID, "A"); err != nil {
		t.Fatal(err)
	}
	later := now.AddDate(0, 0, 3)
	numbers := func(qs []quotes.Quote) []int64 {
		var out []int64
		for _, q := range qs {
			out = append(out, q.Number)
		}
		return out
	}
	tests := []struct {
		name string
		f    quotes.Filter
		want []int64
	}{
		{"todas", quotes.Filter{}, []int64{6, 5, 4, 3, 2, 1}},
		{"abiertas today", quotes.Filter{Status: quotes.Open}, []int64{5, 1}},
		{"abiertas later", quotes.Filter{Status: quotes.Open, Now: later}, []int64{1}},
		{"enviadas later", quotes.Filter{Status: quotes.Sent, Now: later}, []int64{2}},
		{"vencidas today", quotes.Filter{Status: quotes.Expired}, nil},
		{"vencidas later", quotes.Filter{Status: quotes.Expired, Now: later}, []int64{6, 5}},
		{"aceptadas", quotes.Filter{Status: quotes.Accepted}, []int64{3}},
		{"facturadas", quotes.Filter{Status: quotes.Invoiced}, []int64{4}},
		{"customer name", quotes.Filter{Search: custs[1].Name}, []int64{6, 5}},
		{"customer RFC", quotes.Filter{Search: custs[0].RFC[:4]}, []int64{4, 3, 2, 1}},
		{"number", quotes.Filter{Search: "3"}, []int64{3}},
		{"dates", quotes.Filter{From: open.Fecha.Add(time.Minute), To: exp1.Fecha}, []int64{4, 3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Issuer = testIssuer
			if f.Now.IsZero() {
				f.Now = now
			}
			got, err := s.ListQuotes(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if g := numbers(got); !slices.Equal(g, tc.want) {
				t.Errorf("numbers = %v, want %v", g, tc.want)
			}
			for _, q := range got {
				if tc.f.Status != "" && q.StatusOn(f.Now) != tc.f.Status {
					t.Errorf("quote %d shows %s in tab %s", q.Number, q.StatusOn(f.Now), tc.f.Status)
				}
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		var all []int64
		f := quotes.Filter{Issuer: testIssuer, Now: now, Limit: 4}
		for range 3 {
			page, err := s.ListQuotes(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, numbers(page)...)
			if len(page) < f.Limit {
				break
			}
			f.After = page[len(page)-1].Cursor()
		}
		if want := []int64{6, 5, 4, 3, 2, 1}; !slices.Equal(all, want) {
			t.Errorf("pages = %v, want %v", all, want)
		}
	})
	t.Run("accepted not editable", func(t *testing.T) {
		// Given an editor that still shows quote 3 as sent, when it saves,
		// then the store keeps it accepted and the save is refused.
		stale := acc
		stale.Status = quotes.Sent
		stale.Notes = "cambio tardío"
		if err := svc.Save(ctx, &stale); domain.KindOf(err) != domain.Invalid {
			t.Fatalf("saving an accepted quote: %v", err)
		}
		back, _ := s.FindQuote(ctx, acc.ID)
		if back.Status != quotes.Accepted || back.Notes != "" {
			t.Errorf("accepted quote after a refused save: %s %q", back.Status, back.Notes)
		}
		// An open one keeps its number and date when edited.
		edit := open
		edit.Number, edit.Fecha, edit.Notes = 99, time.Time{}, "con descuento"
		if err := svc.Save(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		back, _ = s.FindQuote(ctx, open.ID)
		if back.Number != 1 || !back.Fecha.Equal(open.Fecha) || back.Notes != "con descuento" {
			t.Errorf("edited quote: number %d fecha %s notes %q", back.Number, back.Fecha, back.Notes)
		}
	})
}
