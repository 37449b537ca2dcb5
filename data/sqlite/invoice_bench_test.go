package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// benchStore returns a store full of invoices for the list benchmarks: the
// database named by FOLIO_BENCH_DB (made with "folio dev seed"), or a fresh
// one seeded with FOLIO_BENCH_INVOICES invoices (default 20000).
func benchStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	if path := os.Getenv("FOLIO_BENCH_DB"); path != "" {
		s, err := Open(ctx, path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("FOLIO_BENCH_INVOICES")); err == nil && v > 0 {
		n = v
	}
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), Options{Now: func() time.Time { return salesClock }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.SeedInvoices(ctx, SeedOptions{Issuer: testIssuer, Invoices: n, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	return s
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
	var f string
	if err := s.ReadDB().QueryRow(`SELECT max(fecha) FROM invoices`).Scan(&f); err != nil {
		b.Fatal(err)
	}
	t, err := time.Parse(time.RFC3339, f)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkInvoiceListPage loads one 50-row page of the list for each kind
// of filter: a status tab, a tab with a date range, a small tab, a deep
// keyset position, all statuses in a month; data/postgres has the same
// benchmarks, with the same names and metrics.
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
	// The page the invoices' screen asks for first (Facturas, tab Emitidas,
	// 100 rows).
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
// name word, a rare full name, an RFC prefix, a folio and a UUID.
func BenchmarkInvoiceSearch(b *testing.B) {
	s := benchStore(b)
	var rfc, name, oldName, uuid string
	var folio int64
	db := s.ReadDB()
	db.QueryRow(`SELECT customer_rfc, customer_name FROM invoices ORDER BY id DESC LIMIT 1`).Scan(&rfc, &name)
	db.QueryRow(`SELECT customer_name FROM invoices ORDER BY id LIMIT 1`).Scan(&oldName)
	db.QueryRow(`SELECT uuid, folio FROM invoices WHERE uuid IS NOT NULL ORDER BY id LIMIT 1`).Scan(&uuid, &folio)
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
	// The search box of the invoices' screen (Facturas, all tabs, 100 rows)
	// with a common word.
	b.Run("pantalla-garcia", func(b *testing.B) {
		runList(b, s, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoIngreso, Search: "garcia", Limit: 100})
	})
}

// BenchmarkCustomerSearch searches the customer picker (100 rows) by a
// common word, two words, a rare name and an RFC prefix.
func BenchmarkCustomerSearch(b *testing.B) {
	s := benchStore(b)
	var rfc, name string
	s.ReadDB().QueryRow(`SELECT rfc, name FROM customers ORDER BY id DESC LIMIT 1`).Scan(&rfc, &name)
	for _, tc := range []struct{ name, q string }{
		{"common-word", "garcia"}, {"two-words", "maria garcia"}, {"full-name", name}, {"rfc-prefix", rfc[:6]},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			var lat latencies
			for b.Loop() {
				t0 := time.Now()
				cs, err := s.FindCustomers(ctx, sales.CustomerFilter{Query: tc.q})
				lat = append(lat, time.Since(t0))
				if err != nil || len(cs) == 0 {
					b.Fatalf("FindCustomers(%q) = %d, %v", tc.q, len(cs), err)
				}
			}
			lat.report(b)
		})
	}
}

// BenchmarkPostInvoice posts a saved three-line draft through the domain's
// use case (sales.Service.Post): validate, take the folio, build, seal with
// the demo CSD (RSA-2048), store the XML, amounts and stamp job, in one
// transaction; it reports p50 and p99 of a post and the invoices in the
// store (the warm-up post included). With FOLIO_BENCH_DB it posts into
// that database (made with "folio dev seed"; the posts are added to it,
// so bench a copy).
func BenchmarkPostInvoice(b *testing.B) {
	ctx := context.Background()
	var s *Store
	if os.Getenv("FOLIO_BENCH_DB") != "" {
		s = benchStore(b) // post into the big database
	} else {
		var err error
		if s, err = Open(ctx, filepath.Join(b.TempDir(), "post.db"), Options{Now: func() time.Time { return salesClock }}); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
	}
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
	c := mustCreateCustomer(b, s, sales.DemoCustomers()[0])
	ps := sales.DemoProducts()
	draft := func() int64 {
		inv := sales.Invoice{Issuer: testIssuer, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: "G03",
			Terms: sales.Contado, FormaPago: "03", Lines: []sales.Line{sales.LineFromProduct(&ps[0], dec("1")),
				sales.LineFromProduct(&ps[1], dec("2")), sales.LineFromProduct(&ps[2], dec("3"))}}
		if _, err := svc.SaveDraft(ctx, &inv); err != nil {
			b.Fatal(err)
		}
		return inv.ID
	}
	co := sales.DemoCompany()
	// One untimed post first: the SAT catalogs build their c_CodigoPostal
	// and c_ClaveProdServ indexes on first use (≈200 ms, once per process),
	// which is not the latency of a post.
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

// addCreditNotes gives one stamped invoice in every `every` a live credit
// note (a return of half its total, stamped the minute after it), written
// directly as the seed writes invoices.
func addCreditNotes(b *testing.B, s *Store, every int) int {
	b.Helper()
	ctx := context.Background()
	var n int
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO series (issuer, serie, tipo, next_folio, active) VALUES (?, 'NC', 'E', 1, 1)
			ON CONFLICT (issuer, serie) DO NOTHING`, testIssuer); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, fecha, customer_id, customer_rfc, customer_name, total_micro
			FROM invoices WHERE issuer = ? AND tipo = 'I' AND state = 'stamped' ORDER BY id`, testIssuer)
		if err != nil {
			return err
		}
		type inv struct {
			id, cust, total  int64
			fecha, rfc, name string
		}
		var invs []inv
		for i := 0; rows.Next(); i++ {
			var v inv
			if err := rows.Scan(&v.id, &v.fecha, &v.cust, &v.rfc, &v.name, &v.total); err != nil {
				return err
			}
			if i%every == 0 {
				invs = append(invs, v)
			}
		}
		rows.Close()
		for _, v := range invs {
			n++
			f, _ := time.Parse(time.RFC3339, v.fecha)
			fecha := salesTimeText(f.Add(time.Minute))
			half := v.total / 2
			res, err := tx.ExecContext(ctx, `INSERT INTO invoices (issuer, state, status, tipo, serie, folio, fecha,
				customer_id, customer_rfc, customer_name, uso_cfdi, forma_pago, moneda, total, uuid, credit_kind, created_at, updated_at,
				subtotal_micro, descuento_micro, traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro)
				VALUES (?, 'stamped', 'stamped', 'E', 'NC', ?, ?, ?, ?, ?, 'G02', '03', 'MXN', ?, ?, 'devolucion', ?, ?, ?, 0, 0, 0, ?, 1000000, ?)`,
				testIssuer, n, fecha, v.cust, v.rfc, v.name, fromMicro(half).String(), "NC000000-0000-4000-8000-"+fmt.Sprintf("%012d", n),
				fecha, fecha, half, half, half)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_relations (invoice_id, n, tipo_relacion, uuid, related_id)
				VALUES (?, 1, '03', '', ?)`, id, v.id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkCreditNoteList loads one 50-row page of the invoices' list
// (with what their credit notes took) and of the credit notes' list (with
// the invoice each one credits), in a store where one stamped invoice in
// twenty has a credit note; "sin-credito" is the same page without the
// columns of credit, for comparison.
func BenchmarkCreditNoteList(b *testing.B) {
	s := benchStore(b)
	addCreditNotes(b, s, 20)
	last := newestFecha(b, s)
	mid := &sales.InvoiceCursor{Fecha: last.AddDate(-1, -6, 0), ID: 1 << 62}
	for _, tc := range []struct {
		name string
		f    sales.InvoiceFilter
	}{
		{"facturas-emitidas", sales.InvoiceFilter{Tipo: "I", Status: sales.StatusStamped}},
		{"facturas-todas-deep", sales.InvoiceFilter{Tipo: "I", After: mid}},
		{"notas", sales.InvoiceFilter{Tipo: "E"}},
		{"notas-emitidas-deep", sales.InvoiceFilter{Tipo: "E", Status: sales.StatusStamped, After: mid}},
		{"notas-garcia", sales.InvoiceFilter{Tipo: "E", Search: "garcia"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			f := tc.f
			f.Issuer, f.Limit = testIssuer, 50
			runList(b, s, f)
		})
	}
	b.Run("facturas-emitidas-sin-credito", func(b *testing.B) {
		f := sales.InvoiceFilter{Issuer: testIssuer, Tipo: "I", Status: sales.StatusStamped, Limit: 50}
		query, args, _ := invoiceListQuery(f, customerMatch{})
		query = strings.Replace(query, `, tipo, credit_kind, total_micro, `+listCredited+`, `+listRelated, "", 1)
		ctx := context.Background()
		var lat latencies
		for b.Loop() {
			t0 := time.Now()
			rows, err := s.ReadDB().QueryContext(ctx, query, args...)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var (
					id                                                 int64
					st, status, serie, fecha, rfc, name, mon, tot, ref string
					folio                                              sql.NullInt64
					uuid                                               sql.NullString
					printed                                            bool
				)
				if err := rows.Scan(&id, &st, &status, &serie, &folio, &fecha, &rfc, &name, &mon, &tot, &uuid, &ref, &printed); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			lat = append(lat, time.Since(t0))
			if n == 0 {
				b.Fatal("no rows")
			}
		}
		lat.report(b)
	})
}
