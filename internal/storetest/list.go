package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
)

// listed is what the test knows of a document it wrote.
type listed struct {
	id     int64
	fecha  time.Time
	status sales.Status
	folio  int64
	uuid   string
}

// testListPaging: keyset pages of FindInvoices, in every status tab and at
// several page sizes, return every document exactly once, newest first
// (Fecha, then ID, descending), documents sharing a Fecha included.
func testListPaging(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	var docs []listed
	// 45 documents, three per Fecha, Fecha going back as ids go up; by id
	// mod 5: draft, sealed, stamped, cancelled, cancellation requested.
	for i := range 45 {
		fecha := base.Add(-time.Duration(i/3) * time.Hour)
		d := f.draft("A", func(inv *sales.Invoice) {
			inv.Fecha = fecha
			if i%2 == 1 {
				inv.Customer, inv.CustomerID, inv.UsoCFDI = f.cust[1], f.cust[1].ID, f.cust[1].UsoCFDI
			}
		})
		l := listed{id: d.ID, fecha: fecha, status: sales.StatusDraft}
		if i%5 != 0 {
			f.setClock(fecha)
			inv := f.mustPost(d.ID)
			l.status, l.folio = sales.StatusSealed, inv.Folio
			at := fecha.Add(time.Minute)
			switch i % 5 {
			case 2:
				l.uuid, l.status = f.stamp(inv, at), sales.StatusStamped
			case 3:
				l.uuid, l.status = f.stamp(inv, at), sales.StatusCancelled
				f.cancel(inv, l.uuid, at)
			case 4:
				l.uuid, l.status = f.stamp(inv, at), sales.StatusStamped
				f.requestCancel(inv, l.uuid, at)
			}
		}
		docs = append(docs, l)
	}
	for _, tab := range []sales.Status{"", sales.StatusDraft, sales.StatusSealed, sales.StatusStamped, sales.StatusCancelled} {
		var want []listed
		for _, d := range docs {
			if tab == "" || d.status == tab {
				want = append(want, d)
			}
		}
		slices.SortFunc(want, func(a, b listed) int {
			if c := b.fecha.Compare(a.fecha); c != 0 {
				return c
			}
			return cmp.Compare(b.id, a.id)
		})
		for _, size := range []int{1, 4, 7, 500} {
			filter := sales.InvoiceFilter{Issuer: f.co.RFC, Status: tab, Limit: size}
			var got []int64
			for page := 0; page <= len(want)+1; page++ {
				rows, err := f.s.FindInvoices(f.ctx, filter)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) > size {
					t.Fatalf("tab %q: page of %d rows, limit %d", tab, len(rows), size)
				}
				for _, r := range rows {
					w := want[min(len(got), len(want)-1)]
					if r.ID == w.id && (r.Status != w.status || r.Folio != w.folio || r.UUID != w.uuid || !r.Fecha.Equal(w.fecha)) {
						t.Errorf("tab %q: row %+v, want %+v", tab, r, w)
					}
					got = append(got, r.ID)
				}
				if len(rows) < size {
					break
				}
				filter.After = rows[len(rows)-1].Cursor()
			}
			if ids := ids(want); !slices.Equal(got, ids) {
				t.Errorf("tab %q, pages of %d: ids %v\nwant %v (newest first, each once)", tab, size, got, ids)
			}
		}
	}
}

func ids(l []listed) []int64 {
	out := make([]int64, len(l))
	for i, d := range l {
		out[i] = d.id
	}
	return out
}

// testListFilters: the list's date range and searches (folio with or
// without series, customer name words, RFC prefix, UUID) combine with the
// status tabs.
func testListFilters(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	// 30 drafts, one per hour, alternating customers; the even ones posted
	// (folios 1..15), the fourth of them stamped.
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var posted []sales.Invoice
	for i := range 30 {
		d := f.draft("A", func(inv *sales.Invoice) {
			inv.Fecha = start.Add(time.Duration(i) * time.Hour)
			if i%2 == 1 {
				inv.Customer, inv.CustomerID, inv.UsoCFDI = f.cust[1], f.cust[1].ID, f.cust[1].UsoCFDI
			}
		})
		if i%2 == 0 {
			f.setClock(d.Fecha)
			posted = append(posted, f.mustPost(d.ID))
		}
	}
	uuid := f.stamp(posted[3], start.Add(100*time.Hour))
	count := func(fl sales.InvoiceFilter) int {
		t.Helper()
		fl.Issuer, fl.Limit = f.co.RFC, 500
		rows, err := f.s.FindInvoices(f.ctx, fl)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	tests := []struct {
		name string
		f    sales.InvoiceFilter
		want int
	}{
		{"all", sales.InvoiceFilter{}, 30},
		{"drafts", sales.InvoiceFilter{Status: sales.StatusDraft}, 15},
		{"sealed", sales.InvoiceFilter{Status: sales.StatusSealed}, 14},
		{"stamped", sales.InvoiceFilter{Status: sales.StatusStamped}, 1},
		{"cancelled", sales.InvoiceFilter{Status: sales.StatusCancelled}, 0},
		{"date range", sales.InvoiceFilter{From: start.Add(10 * time.Hour), To: start.Add(20 * time.Hour)}, 10},
		{"date range in tab", sales.InvoiceFilter{Status: sales.StatusSealed, From: start.Add(10 * time.Hour), To: start.Add(20 * time.Hour)}, 5},
		{"folio with serie", sales.InvoiceFilter{Search: "A-7"}, 1},
		{"folio alone", sales.InvoiceFilter{Search: "7"}, 1},
		{"folio lower case", sales.InvoiceFilter{Search: "a-7"}, 1},
		{"folio other serie", sales.InvoiceFilter{Search: "B-7"}, 0},
		{"customer name", sales.InvoiceFilter{Search: "xochilt"}, 15},
		{"customer rfc", sales.InvoiceFilter{Search: "URE18"}, 15},
		{"customer name in tab", sales.InvoiceFilter{Search: "casas", Status: sales.StatusSealed}, 14},
		{"unknown name", sales.InvoiceFilter{Search: "nadie"}, 0},
		{"uuid", sales.InvoiceFilter{Search: uuid}, 1},
		{"uuid lower case", sales.InvoiceFilter{Search: strings.ToLower(uuid)}, 1},
		{"uuid in its tab", sales.InvoiceFilter{Search: uuid, Status: sales.StatusStamped}, 1},
		{"uuid in another tab", sales.InvoiceFilter{Search: uuid, Status: sales.StatusSealed}, 0},
		{"uuid absent", sales.InvoiceFilter{Search: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}, 0},
	}
	for _, tt := range tests {
		if got := count(tt.f); got != tt.want {
			t.Errorf("%s: FindInvoices(%+v) = %d rows, want %d", tt.name, tt.f, got, tt.want)
		}
	}
}

// testListSearchManyCustomers: a list search whose words or RFC prefix
// match more customers than a store lists by id (200 in both stores) —
// the path that walks the list newest first and keeps the matching
// customers' rows — returns, page after page, exactly their documents,
// newest first, each once; so does a search narrowed to a few of them.
func testListSearchManyCustomers(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	// 230 customers "COMERCIAL RAMÍREZ i" (RFC RAX900101iii), each with
	// one draft an hour older than the previous one; every third hour a
	// draft of a customer that matches nothing, at the same Fecha.
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	type doc struct {
		listed
		name string
	}
	var docs []doc
	for i := range 230 {
		c := sales.DemoCustomers()[1]
		c.RFC, c.Name = fmt.Sprintf("RAX900101%03d", i), fmt.Sprintf("COMERCIAL RAMÍREZ %d", i)
		c.Normalize()
		if err := f.s.CreateCustomer(f.ctx, &c); err != nil {
			t.Fatalf("CreateCustomer(%s): %v", c.RFC, err)
		}
		fecha := start.Add(-time.Duration(i) * time.Hour)
		d := f.draft("A", func(inv *sales.Invoice) {
			inv.Fecha, inv.Customer, inv.CustomerID, inv.UsoCFDI = fecha, c, c.ID, c.UsoCFDI
		})
		docs = append(docs, doc{listed{id: d.ID, fecha: fecha, status: sales.StatusDraft}, c.Name})
		if i%3 == 0 {
			d := f.draft("A", func(inv *sales.Invoice) { inv.Fecha = fecha })
			docs = append(docs, doc{listed{id: d.ID, fecha: fecha, status: sales.StatusDraft}, f.cust[0].Name})
		}
	}
	for _, tc := range []struct {
		search string
		status sales.Status
		match  func(name string) bool
	}{
		{"ramirez", "", func(n string) bool { return strings.Contains(n, "RAMÍREZ") }},
		{"Ramírez", sales.StatusDraft, func(n string) bool { return strings.Contains(n, "RAMÍREZ") }},
		{"RAX90", "", func(n string) bool { return strings.Contains(n, "RAMÍREZ") }},
		{"ramirez", sales.StatusSealed, func(string) bool { return false }},
		{"ramirez 20", "", func(n string) bool { return strings.HasPrefix(n, "COMERCIAL RAMÍREZ 20") }},
	} {
		var want []listed
		for _, d := range docs {
			if tc.match(d.name) {
				want = append(want, d.listed)
			}
		}
		slices.SortFunc(want, func(a, b listed) int {
			if c := b.fecha.Compare(a.fecha); c != 0 {
				return c
			}
			return cmp.Compare(b.id, a.id)
		})
		filter := sales.InvoiceFilter{Issuer: f.co.RFC, Status: tc.status, Search: tc.search, Limit: 37}
		var got []int64
		for range len(docs) {
			rows, err := f.s.FindInvoices(f.ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if len(rows) < filter.Limit {
				break
			}
			filter.After = rows[len(rows)-1].Cursor()
		}
		if ids := ids(want); !slices.Equal(got, ids) {
			t.Errorf("search %q, tab %q: %d ids %v\nwant %d %v (newest first, each once)", tc.search, tc.status, len(got), got, len(ids), ids)
		}
	}
}
