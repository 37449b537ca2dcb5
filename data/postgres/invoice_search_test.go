package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// TestListCustomerSearchPaths: a list search by customer gives the same
// pages whichever way the store finds the customers' invoices — each
// customer's invoices (few customers), a walk by date with their ids in a
// constant array, a walk checking each customer by primary key (many) —
// exercised here with thresholds lowered to a handful of customers.
func TestListCustomerSearchPaths(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	defer func(few, hashed int) { maxCustomerIDs, maxHashedIDs = few, hashed }(maxCustomerIDs, maxHashedIDs)
	maxCustomerIDs, maxHashedIDs = 3, 6

	// 12 customers "RUIZ i" with three drafts each and one "LOPEZ" with
	// one draft every hour, drafts sharing Fechas.
	mk := func(name, rfc string) sales.Customer {
		c := sales.DemoCustomers()[1]
		c.Name, c.RFC = name, rfc
		c.Normalize()
		if err := s.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	other := mk("LOPEZ", "LOP900101AAA")
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	type doc struct {
		id    int64
		fecha time.Time
		name  string
	}
	var docs []doc
	draft := func(c sales.Customer, fecha time.Time) {
		p := sales.DemoProducts()[0]
		inv := sales.Invoice{Issuer: testIssuer, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: c.ID, Customer: c,
			UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN", Fecha: fecha,
			Lines: []sales.Line{sales.LineFromProduct(&p, decimal.NewFromInt(1))}}
		if err := s.SaveDraft(ctx, &inv); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{inv.ID, fecha, c.Name})
	}
	for i := 1; i <= 12; i++ {
		c := mk(fmt.Sprintf("RUIZ %d", i), fmt.Sprintf("RUI900101%03d", i))
		for j := range 3 {
			fecha := start.Add(-time.Duration((i*7+j*13)%20) * time.Hour)
			draft(c, fecha)
			draft(other, fecha)
		}
	}
	for _, tc := range []struct {
		search, path string
		match        func(string) bool
	}{
		{"ruiz 2", "customer_id IN (", func(n string) bool { return n == "RUIZ 2" }},
		{"ruiz 1", "customer_id = ANY('{", func(n string) bool { return strings.HasPrefix(n, "RUIZ 1") }},
		{"RUI900101", "EXISTS (", func(n string) bool { return strings.HasPrefix(n, "RUIZ") }},
		{"ruiz", "EXISTS (", func(n string) bool { return strings.HasPrefix(n, "RUIZ") }},
	} {
		t.Run(tc.search, func(t *testing.T) {
			var want []int64
			slices.SortFunc(docs, func(a, b doc) int {
				if c := b.fecha.Compare(a.fecha); c != 0 {
					return c
				}
				return int(b.id - a.id)
			})
			for _, d := range docs {
				if tc.match(d.name) {
					want = append(want, d.id)
				}
			}
			f := sales.InvoiceFilter{Issuer: testIssuer, Search: tc.search, Limit: 4}
			cust, err := matchCustomers(ctx, s.ReadDB(), tc.search)
			if err != nil {
				t.Fatal(err)
			}
			if q, _, _ := invoiceListQuery(f, cust); !strings.Contains(q, tc.path) {
				t.Fatalf("search %q does not take the path %q:\n%s", tc.search, tc.path, q)
			}
			var got []int64
			for range docs {
				rows, err := s.FindInvoices(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					got = append(got, r.ID)
				}
				if len(rows) < f.Limit {
					break
				}
				f.After = rows[len(rows)-1].Cursor()
			}
			if !slices.Equal(got, want) {
				t.Errorf("search %q: ids %v\nwant %v (newest first, each once)", tc.search, got, want)
			}
		})
	}
}
