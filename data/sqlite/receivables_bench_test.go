package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/receivables"
)

// seedReceivables fills a fresh store, directly in SQL, with customers
// and n posted invoices over three years before asOf: most paid or cash
// (open_micro 0), one in open of them credit invoices still open (spread
// over the last 200 days of due dates, some in dollars), as the domain
// would have left them.
func seedReceivables(b testing.TB, n, customers, open int, asOf time.Time) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "aging.db"), Options{Now: func() time.Time { return asOf }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := salesTimeText(asOf)
	start := asOf.AddDate(-3, 0, 0).Unix()
	span := asOf.Unix() - start
	err = s.WriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
			INSERT INTO customers (rfc, name, regimen_fiscal, codigo_postal, uso_cfdi, credit_days, created_at, updated_at)
			SELECT printf('XAX%06d%03d', i, i % 1000), printf('CLIENTE %06d', i), '601', '06300', 'G03', 30, ?, ? FROM k`,
			customers, now, now); err != nil {
			return err
		}
		// i % open == 0: an open credit invoice; otherwise closed (paid or cash).
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
			INSERT INTO invoices (issuer, state, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
				uso_cfdi, terms, forma_pago, moneda, total, created_at, updated_at, subtotal_micro, descuento_micro,
				traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro, due_date, open_micro)
			SELECT ?2, 'stamped', 'stamped', 'I', 'A', i, strftime('%Y-%m-%dT%H:%M:%SZ', ?3 + i * ?4 / ?1, 'unixepoch'),
				1 + ((i * 2654435761) / 65536) % ?5, 'XAX000000000', 'CLIENTE',
				'G03', CASE WHEN i % 3 = 0 THEN 'contado' ELSE 'credito' END, '99',
				CASE WHEN i % (?6 * 10) = 0 THEN 'USD' ELSE 'MXN' END,
				'1160.00', ?7, ?7, 1000000000, 0, 160000000, 0, 1160000000,
				CASE WHEN i % (?6 * 10) = 0 THEN 17500000 ELSE 1000000 END, 1160000000,
				CASE WHEN i % 3 = 0 THEN NULL ELSE date(?8, '-' || ((i * 31) % 200) || ' days', '+30 days') END,
				CASE WHEN i % ?6 = 0 AND i % 3 <> 0 THEN 1160000000 - (i % 1000) * 10000 ELSE 0 END
			FROM k`, n, testIssuer, start, span, customers, open, now, asOf.Format(receivables.DateLayout))
		return err
	})
	if err != nil {
		b.Fatalf("seed receivables: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkAgingAllCustomers is the aging of every customer (issue 12:
// under 200 ms over 1,000,000 invoices). FOLIO_BENCH_INVOICES changes the
// number of invoices.
func BenchmarkAgingAllCustomers(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FOLIO_BENCH_INVOICES")); err == nil && v > 0 {
		n = v
	}
	asOf := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	s := seedReceivables(b, n, 2000, 20, asOf)
	svc := &receivables.Service{Store: s}
	ctx := context.Background()
	var lat latencies
	var a receivables.Aging
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		var err error
		if a, err = svc.Aging(ctx, testIssuer, asOf); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	lat.report(b)
	reportCount(b, s)
	var open int
	for _, r := range a.Customers {
		open += r.Invoices
	}
	b.ReportMetric(float64(open), "open-invoices")
	b.ReportMetric(float64(len(a.Customers)), "customers")
}
