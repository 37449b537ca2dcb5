package invoices

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
	if r := l.rows[0]; r.num != "A-250" || r.total != "$1,234,567.50 MXN" || r.st != "Emitida" || r.fecha != "25/11/2026 12:00" ||
		r.cfdi != "TFD" || r.cliente != "URE180429TM6 — UNIVERSIDAD ROBOTICA ESPAÑOLA" {
		t.Errorf("first row = %+v", r)
	}
	if f := store.lastFilter(); f.Status != "" || f.Issuer != "EKU9003173C9" || f.After != nil {
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
	if !l.more.Disabled() || l.rows[249].num != "A-1" {
		t.Errorf("after the end: more disabled %v, last %+v", l.more.Disabled(), l.rows[249])
	}

	// Changing tab, search and dates reloads from the top with those filters.
	l.tabs.SetSelectedIndex(1)
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

func TestPeriodRange(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC) // Wednesday, 14:00 in Mexico City
	tests := []struct {
		i        int
		from, to string
		ok       bool
	}{
		{0, "", "", false},
		{1, "25/11/2026", "25/11/2026", true},
		{2, "23/11/2026", "25/11/2026", true},
		{3, "01/11/2026", "30/11/2026", true},
		{4, "", "", false},
	}
	for _, tt := range tests {
		from, to, ok := periodRange(tt.i, now)
		if from != tt.from || to != tt.to || ok != tt.ok {
			t.Errorf("periodRange(%s) = %q, %q, %v; want %q, %q, %v", Periods[tt.i], from, to, ok, tt.from, tt.to, tt.ok)
		}
	}
}

func TestCFDIColumn(t *testing.T) {
	tests := []struct {
		name string
		row  sales.InvoiceRow
		want string
	}{
		{"sealed, not stamped", sales.InvoiceRow{Status: sales.StatusSealed}, "---"},
		{"stamped", sales.InvoiceRow{Status: sales.StatusStamped, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}, "TFD"},
		{"stamped and printed", sales.InvoiceRow{Status: sales.StatusStamped, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Printed: true}, "PDF"},
		{"printed before stamping", sales.InvoiceRow{Status: sales.StatusSealed, Printed: true}, "---"},
	}
	for _, tt := range tests {
		if got := formatRow(tt.row); got.cfdi != tt.want {
			t.Errorf("%s: CFDI = %q, want %q", tt.name, got.cfdi, tt.want)
		}
	}
	if r := formatRow(sales.InvoiceRow{Status: sales.StatusCancelled}); !r.cancelled {
		t.Error("a cancelled row must be marked for red")
	}
}

func TestInvoiceListOpensEditor(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(newFakeStore(3), "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	var news int
	var opened []int64
	l.OnNew = func() { news++ }
	l.OnOpen = func(id int64) { opened = append(opened, id) }

	test.Tap(l.newInvoice)
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 3 })
	l.table.Select(widget.TableCellID{Row: 1, Col: 3})
	if news != 1 || len(opened) != 1 || opened[0] != 2 {
		t.Errorf("OnNew %d times, OnOpen %v; want 1 and [2]", news, opened)
	}
}
