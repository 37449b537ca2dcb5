package sqlite

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/domain/sales"
)

func TestSeedInvoices(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	const n = 3000
	calls := 0
	if err := s.SeedInvoices(ctx, SeedOptions{Issuer: testIssuer, Invoices: n, Batch: 1000, Seed: 1,
		Progress: func(done, total int) { calls++ }}); err != nil {
		t.Fatal(err)
	}
	var invoices, lines, posted, distinct, maxFolio, folios int
	db := s.ReadDB()
	db.QueryRow(`SELECT count(*) FROM invoices`).Scan(&invoices)
	db.QueryRow(`SELECT count(*) FROM invoice_lines`).Scan(&lines)
	db.QueryRow(`SELECT count(folio), count(DISTINCT folio), coalesce(max(folio), 0) FROM invoices`).Scan(&posted, &distinct, &maxFolio)
	db.QueryRow(`SELECT count(*) FROM folios`).Scan(&folios)
	if invoices != n || lines != 3*n || calls != 3 {
		t.Errorf("seeded %d invoices, %d lines, %d progress calls; want %d, %d, 3", invoices, lines, calls, n, 3*n)
	}
	// Posted invoices are numbered 1..posted without duplicates or gaps.
	if posted == 0 || distinct != posted || maxFolio != posted || folios != posted {
		t.Errorf("posted %d, distinct %d, max %d, folios %d", posted, distinct, maxFolio, folios)
	}
	series, _ := s.FindSeries(ctx, testIssuer)
	if len(series) != 1 || series[0].NextFolio != int64(posted+1) {
		t.Errorf("series = %+v, want next %d", series, posted+1)
	}
	// The seeded data is usable by the list and the store API.
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: testIssuer, Status: sales.StatusStamped, Limit: 50})
	if err != nil || len(rows) != 50 || rows[0].UUID == "" {
		t.Fatalf("FindInvoices = %d rows, %v", len(rows), err)
	}
	inv, err := s.FindInvoiceByID(ctx, rows[0].ID)
	if err != nil || len(inv.Lines) != 3 {
		t.Errorf("FindInvoiceByID = %d lines, %v", len(inv.Lines), err)
	}
	// A second seed continues the numbering.
	if err := s.SeedInvoices(ctx, SeedOptions{Issuer: testIssuer, Invoices: 100, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	db.QueryRow(`SELECT count(folio), count(DISTINCT folio) FROM invoices`).Scan(&posted, &distinct)
	if posted != distinct {
		t.Errorf("after a second seed: %d folios, %d distinct", posted, distinct)
	}
}
