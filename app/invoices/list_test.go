package invoices

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/internal/uitest"
	"github.com/folio-mx/folio/domain/sales"
)

// fakeStore serves n rows newest first with keyset paging and records the
// filters it was asked for.
type fakeStore struct {
	mu      sync.Mutex
	rows    []sales.InvoiceRow
	filters []sales.InvoiceFilter
}

func newFakeStore(n int) *fakeStore {
	s := &fakeStore{}
	t0 := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for i := range n {
		s.rows = append(s.rows, sales.InvoiceRow{ID: int64(n - i), Status: sales.StatusStamped, Serie: "A", Folio: int64(n - i),
			Fecha: t0.Add(-time.Duration(i) * time.Hour), CustomerRFC: "URE180429TM6", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
			Moneda: "MXN", Total: decimal.RequireFromString("1234567.5"), UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"})
	}
	return s
}

func (s *fakeStore) FindInvoices(_ context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filters = append(s.filters, f)
	var out []sales.InvoiceRow
	for _, r := range s.rows {
		if f.After != nil && !r.Fecha.Before(f.After.Fecha) {
			continue
		}
		if len(out) == f.Limit {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *fakeStore) lastFilter() sales.InvoiceFilter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filters[len(s.filters)-1]
}

func TestInvoiceListPaging(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := newFakeStore(250)
	l := NewInvoiceList(store, "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()

	l.Reload()
	q.RunUntil(t, "first page", func() bool { return len(l.rows) == PageSize })
	if r := l.rows[0]; r.folio != "A-250" || r.total != "$1,234,567.50 MXN" || r.status != "Emitida" || r.fecha != "25/11/2026 12:00" {
		t.Errorf("first row = %+v", r)
	}
	if f := store.lastFilter(); f.Status != sales.StatusStamped || f.Issuer != "EKU9003173C9" || f.After != nil {
		t.Errorf("filter = %+v", f)
	}
	// "Cargar más" continues after the last row, until the end.
	test.Tap(l.more)
	q.RunUntil(t, "second page", func() bool { return len(l.rows) == 2*PageSize })
	if f := store.lastFilter(); f.After == nil || f.After.ID != 151 {
		t.Errorf("second page cursor = %+v", f.After)
	}
	test.Tap(l.more)
	q.RunUntil(t, "last page", func() bool { return len(l.rows) == 250 })
	if !l.more.Disabled() || l.rows[249].folio != "A-1" {
		t.Errorf("after the end: more disabled %v, last %+v", l.more.Disabled(), l.rows[249])
	}

	// Changing tab, search and dates reloads from the top with those filters.
	l.tabs.SetSelectedIndex(2)
	q.RunUntil(t, "drafts tab", func() bool { return store.lastFilter().Status == sales.StatusDraft })
	l.search.SetText("A-12")
	l.from.SetText("01/11/2026")
	l.to.SetText("30/11/2026")
	l.Reload()
	q.RunUntil(t, "filtered", func() bool { return store.lastFilter().Search == "A-12" })
	f := store.lastFilter()
	if f.From.Format(time.DateOnly) != "2026-11-01" || f.To.Format(time.DateOnly) != "2026-12-01" || f.After != nil {
		t.Errorf("dates = %v – %v, after %v", f.From, f.To, f.After)
	}
	// A bad date is reported and nothing is asked of the store.
	n := len(store.filters)
	l.from.SetText("2026-11-01")
	l.Reload()
	if l.status.Text != "Escriba las fechas como dd/mm/aaaa." || len(store.filters) != n {
		t.Errorf("bad date: status %q, %d queries", l.status.Text, len(store.filters)-n)
	}
}

func TestMoney(t *testing.T) {
	for in, want := range map[string]string{"0.00": "$0.00", "999.99": "$999.99", "1000.00": "$1,000.00",
		"1234567.89": "$1,234,567.89", "-1500.00": "-$1,500.00", "100": "$100"} {
		if got := money(in); got != want {
			t.Errorf("money(%q) = %q, want %q", in, got, want)
		}
	}
}
