package sqlite

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// draftFor returns a cash draft for customer c in series serie.
func draftFor(c sales.Customer, serie string) sales.Invoice {
	p := sales.DemoProducts()[0]
	return sales.Invoice{Issuer: testIssuer, TipoDeComprobante: "I", Serie: serie, CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN",
		Lines: []sales.Line{sales.LineFromProduct(&p, dec("2"))}, Total: dec("37117.68")}
}

func mustSaveDraft(tb testing.TB, s *Store, inv sales.Invoice) sales.Invoice {
	tb.Helper()
	if err := s.SaveDraft(context.Background(), &inv); err != nil {
		tb.Fatalf("SaveDraft: %v", err)
	}
	return inv
}

// postDraft posts draft id through the domain's use case (sales.Service)
// as the demo company at instant now, with the demo CSD.
func postDraft(tb testing.TB, s *Store, id int64, o sales.PostOptions, now time.Time) (sales.Invoice, error) {
	tb.Helper()
	svc := &sales.Service{Invoices: s, Catalogs: testCatalogs(tb), Admin: companiesOf(s), Clock: func() time.Time { return now }}
	return svc.Post(context.Background(), id, sales.DemoCompany(), demoSigner(tb), o)
}

var (
	testCatsOnce sync.Once
	testCats     *sat.Catalogs
	testCatsErr  error
)

func testCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	testCatsOnce.Do(func() { testCats, testCatsErr = sat.NewCatalogs(assets.Catalogs) })
	if testCatsErr != nil {
		tb.Fatal(testCatsErr)
	}
	return testCats
}

func demoSigner(tb testing.TB) *csd.CSD {
	tb.Helper()
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, salesClock)
	if err != nil {
		tb.Fatal(err)
	}
	return signer
}

// TestInvoiceListUsesIndexes checks the query plan of every kind of list
// page: no full scan of invoices and no sort of the whole result.
func TestInvoiceListUsesIndexes(t *testing.T) {
	s := openSalesStore(t)
	if err := s.SeedInvoices(context.Background(), SeedOptions{Issuer: testIssuer, Invoices: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	filters := map[string]sales.InvoiceFilter{
		"tab":             {Status: sales.StatusStamped},
		"tab dates":       {Status: sales.StatusSealed, From: day, To: day.AddDate(0, 1, 0)},
		"tab keyset":      {Status: sales.StatusStamped, After: &sales.InvoiceCursor{Fecha: day, ID: 10}},
		"all dates":       {From: day, To: day.AddDate(0, 1, 0)},
		"all keyset":      {After: &sales.InvoiceCursor{Fecha: day, ID: 10}},
		"customer name":   {Search: "garcia"},
		"customer rfc":    {Search: "ABCD"},
		"customer in tab": {Search: "garcia", Status: sales.StatusCancelled},
		"few customers":   {Search: "comercializadora"},
		"one customer":    {Search: "ferreteria 12"},
		"folio":           {Search: "A-77"},
		"folio alone":     {Search: "77"},
		"uuid":            {Search: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			f.Issuer = testIssuer
			var cust customerMatch
			if isCustomerSearch(f.Search) {
				var err error
				if cust, err = matchCustomers(context.Background(), s.ReadDB(), f.Search); err != nil {
					t.Fatal(err)
				}
			}
			query, args, _ := invoiceListQuery(f, cust)
			if query == "" {
				return
			}
			rows, err := s.ReadDB().Query("EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			t.Logf("%s: %q", name, plan)
			for _, d := range plan {
				if d == "SCAN invoices" || d == "SCAN customers" {
					t.Errorf("full scan in plan: %q", plan)
				}
			}
		})
	}
}
