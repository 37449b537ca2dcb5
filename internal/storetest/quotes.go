package storetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// QuotesStore is a store with the quotes (cotizaciones) and the link from
// an invoice back to the quote it was made from.
type QuotesStore interface {
	Store
	quotes.Store
	QuoteOfInvoice(ctx context.Context, invoiceID int64) (quotes.Quote, bool, error)
}

// RunQuotes runs the contract of the quotes against the stores open
// returns (new, empty, fully migrated, closed when t ends).
func RunQuotes(t *testing.T, open func(t *testing.T) QuotesStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *fixture, s QuotesStore)
	}{
		{"QuoteToInvoice", testQuoteToInvoice},
		{"ListQuotes", testListQuotes},
		{"ConcurrentQuoteNumbers", testConcurrentQuoteNumbers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			tt.fn(t, newFixture(t, s), s)
		})
	}
}

// quoteDoc is a quote's invoice draft for customer c: two laptops and
// three of the second demo product.
func (f *fixture) quoteDoc(c sales.Customer) sales.Invoice {
	return sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN",
		Lines: []sales.Line{sales.LineFromProduct(&f.prod[0], decimal.NewFromInt(2)), sales.LineFromProduct(&f.prod[1], decimal.NewFromInt(3))}}
}

// testQuoteToInvoice: a quote is saved open, sent and accepted; Facturar
// makes an invoice draft with the same customer and lines, which posts
// like any invoice, and the quote is facturada with the link both ways
// (its list row shows the invoice's folio once posted); it cannot be
// invoiced twice, nor its draft deleted; an open quote past its validity
// shows vencida and cannot be accepted.
func testQuoteToInvoice(t *testing.T, f *fixture, s QuotesStore) {
	ctx := f.ctx
	f.series("A", "I")
	now := base
	svc := &quotes.Service{Store: s, Clock: func() time.Time { return now }}
	d := f.quoteDoc(f.cust[0])
	q := quotes.Quote{Issuer: f.co.RFC, ValidUntil: now.AddDate(0, 0, 15), Doc: d, Notes: "Precios sujetos a cambio"}
	if err := svc.Save(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if q.Number != 1 || q.Status != quotes.Open {
		t.Errorf("saved quote number %d status %s", q.Number, q.Status)
	}
	if back, err := s.FindQuote(ctx, q.ID); err != nil || back.Notes != q.Notes || !back.Fecha.Equal(q.Fecha) ||
		!quotes.Day(back.ValidUntil).Equal(quotes.Day(q.ValidUntil)) || len(back.Doc.Lines) != 2 || !back.Doc.Lines[1].Cantidad.Equal(dec("3")) {
		t.Errorf("FindQuote = %+v, %v; want what was saved", back, err)
	}
	if _, err := s.FindQuote(ctx, q.ID+1000); domain.KindOf(err) != domain.NotFound {
		t.Errorf("FindQuote of a missing quote: %v", err)
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
	inv := f.find(draft.ID)
	if inv.State != sales.StateDraft || inv.CustomerID != f.cust[0].ID || len(inv.Lines) != 2 ||
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
	if _, found, err := s.QuoteOfInvoice(ctx, inv.ID+1000); err != nil || found {
		t.Errorf("QuoteOfInvoice of an invoice without quote = %v %v", found, err)
	}
	if _, err := svc.Facturar(ctx, q.ID, "A"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("second Facturar: %v", err)
	}
	// The store refuses the link itself, whatever the service read: a quote
	// invoiced meanwhile is a Conflict and no second draft is left.
	stale := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", Fecha: now, CustomerID: d.CustomerID,
		Customer: d.Customer, UsoCFDI: d.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN", Lines: d.Lines,
		State: sales.StateDraft, Status: sales.StatusDraft}
	if err := s.InvoiceQuote(ctx, q.ID, &stale); domain.KindOf(err) != domain.Conflict {
		t.Errorf("InvoiceQuote of an invoiced quote: %v", err)
	}
	if stale.ID != 0 {
		if _, err := s.FindInvoiceByID(ctx, stale.ID); domain.KindOf(err) != domain.NotFound {
			t.Errorf("the refused Facturar left draft %d: %v", stale.ID, err)
		}
	}
	// The draft keeps its quote: deleting it is refused with the quote's
	// number, not a foreign-key failure.
	if err := s.DeleteDraft(ctx, inv.ID); domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "cotización 1") {
		t.Errorf("deleting the quote's draft: %v", err)
	}
	posted := f.mustPost(inv.ID)
	listed, err := s.ListQuotes(ctx, quotes.Filter{Issuer: f.co.RFC, Now: now})
	if err != nil || len(listed) != 1 || listed[0].InvoiceFolio != posted.FolioText() || posted.FolioText() == "" {
		t.Errorf("listed quotes %+v, %v; want the invoice's folio %q", listed, err, posted.FolioText())
	}
	if err := s.SaveQuote(ctx, &back); domain.KindOf(err) != domain.Conflict {
		t.Errorf("SaveQuote of an invoiced quote: %v", err)
	}

	old := quotes.Quote{Issuer: f.co.RFC, ValidUntil: now.AddDate(0, 0, 1), Doc: d}
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

// testListQuotes: the list's tabs select by status as Quote.StatusOn shows
// it (vencida derived from the validity on the filter's day), the search
// finds a quote by customer or number, dates bound it, a company sees only
// its quotes, and keyset pages walk every quote once, newest first; an
// accepted quote is no longer editable, whatever an editor still shows.
func testListQuotes(t *testing.T, f *fixture, s QuotesStore) {
	ctx := f.ctx
	f.series("A", "I")
	c1, c2 := f.cust[0], f.cust[1]
	now := base
	svc := &quotes.Service{Store: s, Clock: func() time.Time { return now }}
	save := func(c sales.Customer, days int) quotes.Quote {
		t.Helper()
		q := quotes.Quote{Issuer: f.co.RFC, ValidUntil: quotes.Day(now).AddDate(0, 0, days), Doc: f.quoteDoc(c)}
		if err := svc.Save(ctx, &q); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		return q
	}
	// Given: 1 open, 2 sent, 3 accepted, 4 invoiced (customer 1); 5 open
	// and 6 sent that expire after two days (customer 2); and another
	// company's quote.
	open, sent, acc, inv := save(c1, 15), save(c1, 15), save(c1, 15), save(c1, 15)
	exp1, exp2 := save(c2, 1), save(c2, 1)
	other := quotes.Quote{Issuer: "XIA190128J61", ValidUntil: now.AddDate(0, 0, 15), Doc: f.quoteDoc(c1)}
	if err := svc.Save(ctx, &other); err != nil || other.Number != 1 {
		t.Fatalf("another company's first quote: number %d, %v", other.Number, err)
	}
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
		{"customer name", quotes.Filter{Search: c2.Name}, []int64{6, 5}},
		{"customer RFC", quotes.Filter{Search: c1.RFC[:4]}, []int64{4, 3, 2, 1}},
		{"number", quotes.Filter{Search: "3"}, []int64{3}},
		{"nothing to search", quotes.Filter{Search: "-"}, nil},
		{"dates", quotes.Filter{From: open.Fecha.Add(time.Minute), To: exp1.Fecha}, []int64{4, 3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Issuer = sales.DemoCompany().RFC
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
	if got, err := s.FindQuotes(ctx, f.co.RFC, 0); err != nil || !slices.Equal(numbers(got), []int64{6, 5, 4, 3, 2, 1}) {
		t.Errorf("FindQuotes = %v, %v", numbers(got), err)
	}
	t.Run("pages", func(t *testing.T) {
		var all []int64
		fl := quotes.Filter{Issuer: f.co.RFC, Now: now, Limit: 4}
		for range 3 {
			page, err := s.ListQuotes(ctx, fl)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, numbers(page)...)
			if len(page) < fl.Limit {
				break
			}
			fl.After = page[len(page)-1].Cursor()
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

// testConcurrentQuoteNumbers: quotes saved at the same time (the
// workstations of an office on one server) take consecutive numbers, none
// twice and none refused.
func testConcurrentQuoteNumbers(t *testing.T, f *fixture, s QuotesStore) {
	const n = 8
	svc := &quotes.Service{Store: s, Clock: f.clock}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		got  []int64
		errs []error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := quotes.Quote{Issuer: f.co.RFC, ValidUntil: base.AddDate(0, 0, 15), Doc: f.quoteDoc(f.cust[0])}
			err := svc.Save(f.ctx, &q)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			got = append(got, q.Number)
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent saves failed: %v", errs)
	}
	slices.Sort(got)
	if want := []int64{1, 2, 3, 4, 5, 6, 7, 8}; !slices.Equal(got, want) {
		t.Errorf("numbers = %v, want %v", got, want)
	}
}
