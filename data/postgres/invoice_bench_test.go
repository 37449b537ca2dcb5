package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// The PostgreSQL counterparts of the SQLite store's invoice benchmarks
// (data/sqlite/invoice_bench_test.go): the same sub-benchmarks, filters,
// searches and metric names (p50-ms, p99-ms, invoices), so that both read
// side by side. The store is FOLIO_BENCH_INVOICES invoices (default 20000)
// seeded once per server and size (invoice_seed_test.go).

// testIssuer and salesClock are the SQLite tests' issuer and clock.
const testIssuer = "EKU9003173C9"

var salesClock = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// openBench opens the store on database name of the benchmarks' server.
func openBench(b *testing.B, name string) *Store {
	b.Helper()
	s, err := Open(context.Background(), withDatabase(b, benchServer(b), name), Options{Now: func() time.Time { return salesClock },
		SecretPath: filepath.Join(b.TempDir(), "bench.secret")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchStore returns the store of the list benchmarks: the seeded database,
// read only.
func benchStore(b *testing.B) *Store {
	b.Helper()
	return openBench(b, benchDatabase(b, benchInvoices()))
}

// latencies collects per-operation durations and reports percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	b.Helper()
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(p float64) float64 {
		return float64(l[min(len(l)-1, int(p*float64(len(l))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// reportCount reports the size of the invoice table (after the timed loop:
// ResetTimer clears reported metrics).
func reportCount(b *testing.B, s *Store) {
	var n int
	if err := s.ReadDB().QueryRow(`SELECT count(*) FROM invoices`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n), "invoices")
}

// newestFecha is the Fecha of the newest invoice.
func newestFecha(b *testing.B, s *Store) time.Time {
	var f time.Time
	if err := s.ReadDB().QueryRow(`SELECT max(fecha) FROM invoices`).Scan(&f); err != nil {
		b.Fatal(err)
	}
	return f.UTC()
}

// BenchmarkInvoiceListPage loads one 50-row page of the list for each kind
// of filter, as SQLite's does, and "pantalla-emitidas": the page the
// invoices' screen asks for first (Facturas, tab Emitidas, 100 rows).
func BenchmarkInvoiceListPage(b *testing.B) {
	s := benchStore(b)
	last := newestFecha(b, s)
	mid := &sales.InvoiceCursor{Fecha: last.AddDate(-1, -6, 0), ID: 1 << 62}
	filters := []struct {
		name string
		f    sales.InvoiceFilter
	}{
		{"emitidas", sales.InvoiceFilter{Status: sales.StatusStamped}},
		{"emitidas-90d", sales.InvoiceFilter{Status: sales.StatusStamped, From: last.AddDate(0, -3, 0), To: last.Add(time.Second)}},
		{"generadas", sales.InvoiceFilter{Status: sales.StatusSealed}},
		{"borradores-1y", sales.InvoiceFilter{Status: sales.StatusDraft, From: last.AddDate(-1, 0, 0)}},
		{"canceladas-deep", sales.InvoiceFilter{Status: sales.StatusCancelled, After: mid}},
		{"todas-1month", sales.InvoiceFilter{From: last.AddDate(-1, 0, 0), To: last.AddDate(-1, 1, 0)}},
		{"emitidas-deep", sales.InvoiceFilter{Status: sales.StatusStamped, After: mid}},
	}
	for _, tc := range filters {
		b.Run(tc.name, func(b *testing.B) {
			f := tc.f
			f.Issuer, f.Limit = testIssuer, 50
			runList(b, s, f)
		})
	}
	b.Run("pantalla-emitidas", func(b *testing.B) {
		runList(b, s, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoIngreso, Status: sales.StatusStamped, Limit: 100})
	})
}

// runList times FindInvoices(f) per iteration and reports percentiles.
func runList(b *testing.B, s *Store, f sales.InvoiceFilter) {
	ctx := context.Background()
	var lat latencies
	for b.Loop() {
		t0 := time.Now()
		rows, err := s.FindInvoices(ctx, f)
		lat = append(lat, time.Since(t0))
		if err != nil || len(rows) == 0 {
			b.Fatalf("FindInvoices(%+v) = %d rows, %v", f, len(rows), err)
		}
	}
	lat.report(b)
	reportCount(b, s)
}

// BenchmarkInvoiceSearch searches the list (first page of 50) by a common
// name word, a rare full name, an RFC prefix, a folio and a UUID, as
// SQLite's does, and "pantalla-garcia": the search box of the invoices'
// screen (Facturas, all tabs, 100 rows) with a common word.
func BenchmarkInvoiceSearch(b *testing.B) {
	s := benchStore(b)
	var rfc, name, oldName, uuid string
	var folio int64
	db := s.ReadDB()
	for _, q := range []struct {
		sql  string
		dest []any
	}{
		{`SELECT customer_rfc, customer_name FROM invoices ORDER BY id DESC LIMIT 1`, []any{&rfc, &name}},
		{`SELECT customer_name FROM invoices ORDER BY id LIMIT 1`, []any{&oldName}},
		{`SELECT uuid, folio FROM invoices WHERE uuid IS NOT NULL ORDER BY id LIMIT 1`, []any{&uuid, &folio}},
	} {
		if err := db.QueryRow(q.sql).Scan(q.dest...); err != nil {
			b.Fatal(err)
		}
	}
	searches := []struct{ name, q string }{
		{"common-word", "garcia"},
		{"first-name", "maria"},
		{"trade-word", "distribuidora"},
		{"full-name-recent", name},
		{"full-name-oldest", oldName},
		{"rfc-prefix", rfc[:7]},
		{"folio", "A-" + strconv.FormatInt(folio, 10)},
		{"uuid", uuid},
	}
	for _, tc := range searches {
		b.Run(tc.name, func(b *testing.B) {
			runList(b, s, sales.InvoiceFilter{Issuer: testIssuer, Search: tc.q, Limit: 50})
		})
	}
	b.Run("pantalla-garcia", func(b *testing.B) {
		runList(b, s, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoIngreso, Search: "garcia", Limit: 100})
	})
}

// BenchmarkPostInvoice posts a saved three-line draft through the domain's
// use case (sales.Service.Post): validate, take the folio, build, seal with
// the demo CSD (RSA-2048), store the XML, amounts, document and stamp job,
// in one transaction; it reports p50 and p99 of a post and the invoices in
// the store (the seeded ones and the posts). It posts into a copy of the
// seeded database (CREATE DATABASE … TEMPLATE), dropped at the end, so the
// seeded one stays as the list benchmarks read it.
func BenchmarkPostInvoice(b *testing.B) {
	ctx := context.Background()
	admin := benchServer(b)
	seeded := benchDatabase(b, benchInvoices())
	copyName := fmt.Sprintf("%s_post_%d", seeded, time.Now().UnixNano()%1e9)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t0 := time.Now()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+copyName+` TEMPLATE `+seeded+` STRATEGY FILE_COPY`); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+copyName+` WITH (FORCE)`) })
	b.Logf("copied %s in %s", seeded, time.Since(t0).Round(time.Millisecond))
	s := openBench(b, copyName)

	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, salesClock)
	if err != nil {
		b.Fatal(err)
	}
	svc := &sales.Service{Invoices: s, Catalogs: cat, Clock: func() time.Time { return salesClock }}
	sr := sales.Series{Issuer: testIssuer, Serie: "A", TipoDeComprobante: "I", NextFolio: 1, Active: true}
	if err := s.CreateSeries(ctx, &sr); err != nil && domain.KindOf(err) != domain.Conflict {
		b.Fatal(err)
	}
	c := sales.DemoCustomers()[0]
	c.Normalize()
	if err := s.CreateCustomer(ctx, &c); err != nil {
		b.Fatal(err)
	}
	ps := sales.DemoProducts()
	draft := func() int64 {
		inv := sales.Invoice{Issuer: testIssuer, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: "G03",
			Terms: sales.Contado, FormaPago: "03", Lines: []sales.Line{sales.LineFromProduct(&ps[0], decimal.NewFromInt(1)),
				sales.LineFromProduct(&ps[1], decimal.NewFromInt(2)), sales.LineFromProduct(&ps[2], decimal.NewFromInt(3))}}
		if _, err := svc.SaveDraft(ctx, &inv); err != nil {
			b.Fatal(err)
		}
		return inv.ID
	}
	co := sales.DemoCompany()
	// One untimed post first: the SAT catalogs build their indexes on
	// first use (once per process), which is not the latency of a post.
	if _, err := svc.Post(ctx, draft(), co, signer, sales.PostOptions{}); err != nil {
		b.Fatal(err)
	}
	var lat latencies
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		id := draft()
		b.StartTimer()
		t0 := time.Now()
		if _, err := svc.Post(ctx, id, co, signer, sales.PostOptions{}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	lat.report(b)
	reportCount(b, s)
}
