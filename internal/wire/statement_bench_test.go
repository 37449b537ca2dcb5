package wire

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

// seedStatement fills a fresh store with the demo company and one credit
// customer with n credit invoices of 1,160.00 spread over the two years
// before asOf, each paid 580.00 by a live payment receipt twenty days
// later and every other one credited 116.00 by a live credit note five
// days later: 2.5·n movements, written directly in SQL as the posting
// path would have left them (open balances included).
func seedStatement(b testing.TB, n int, asOf time.Time) (*sqlite.Store, string, int64) {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "statement.db"), sqlite.Options{Now: func() time.Time { return asOf }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	co := sales.DemoCompany()
	if err := s.SaveCompany(ctx, co); err != nil {
		b.Fatal(err)
	}
	cust := sales.DemoCustomers()[1]
	if err := s.CreateCustomer(ctx, &cust); err != nil {
		b.Fatal(err)
	}
	now := asOf.UTC().Format(time.RFC3339)
	start := asOf.AddDate(-2, 0, 0).Unix()
	span := asOf.AddDate(0, 0, -21).Unix() - start // the last payment falls a day before asOf
	const cols = `id, issuer, state, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
		uso_cfdi, terms, forma_pago, moneda, total, created_at, updated_at, subtotal_micro, descuento_micro,
		traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro, due_date, open_micro, credit_kind`
	// ids: invoice i is i, its payment n+i, its credit note 2n+i.
	err = s.WriteTx(ctx, func(tx *sql.Tx) error {
		stmts := []string{
			`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
			INSERT INTO invoices (` + cols + `)
			SELECT i, ?2, 'stamped', 'stamped', 'I', 'A', i, strftime('%Y-%m-%dT%H:%M:%SZ', ?3 + i * ?4 / ?1, 'unixepoch'),
				?5, ?6, ?7, 'G01', 'credito', '99', 'MXN', '1160.00', ?8, ?8, 1000000000, 0, 160000000, 0, 1160000000,
				1000000, 1160000000, date(?3 + i * ?4 / ?1, 'unixepoch', '+30 days'),
				1160000000 - 580000000 - CASE WHEN i % 2 = 0 THEN 116000000 ELSE 0 END, ''
			FROM k`,
			`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
			INSERT INTO invoices (` + cols + `)
			SELECT ?1 + i, ?2, 'stamped', 'stamped', 'P', 'P', i, strftime('%Y-%m-%dT%H:%M:%SZ', ?3 + i * ?4 / ?1 + 20 * 86400, 'unixepoch'),
				?5, ?6, ?7, 'CP01', 'contado', '', 'XXX', '0', ?8, ?8, 0, 0, 0, 0, 0, NULL, 0, NULL, 0, ''
			FROM k`,
			`WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 2 FROM k WHERE i + 2 <= ?1)
			INSERT INTO invoices (` + cols + `)
			SELECT 2 * ?1 + i, ?2, 'stamped', 'stamped', 'E', 'NC', i, strftime('%Y-%m-%dT%H:%M:%SZ', ?3 + i * ?4 / ?1 + 5 * 86400, 'unixepoch'),
				?5, ?6, ?7, 'G02', 'contado', '03', 'MXN', '116.00', ?8, ?8, 100000000, 0, 16000000, 0, 116000000,
				1000000, 116000000, NULL, 0, 'devolucion'
			FROM k`,
			`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
			INSERT INTO payment_documents (payment_id, n, related_id, uuid, serie, folio, moneda_dr, equivalencia_dr,
				num_parcialidad, saldo_ant_micro, pagado_micro, saldo_insoluto_micro, objeto_imp_dr)
			SELECT ?1 + i, 1, i, printf('00000000-0000-4000-8000-%012d', i), 'A', i, 'MXN', '1', 1,
				1160000000, 580000000, 580000000, '02' FROM k`,
			`WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 2 FROM k WHERE i + 2 <= ?1)
			INSERT INTO invoice_relations (invoice_id, n, tipo_relacion, uuid, related_id, credited_micro)
			SELECT 2 * ?1 + i, 1, '03', printf('00000000-0000-4000-8000-%012d', i), i, 116000000 FROM k`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, n, co.RFC, start, span, cust.ID, cust.RFC, cust.Name, now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
	if err != nil {
		b.Fatalf("seed statement: %v", err)
	}
	return s, co.RFC, cust.ID
}

// BenchmarkStatement10000Movements is one customer's account statement
// over 10,000 movements (4,000 invoices, 4,000 payments, 2,000 credit
// notes over two years): "screen" is a statement of the last month
// (receivables.Service.Period: the period's movements and the sum of the
// earlier ones), "screen-all" every movement of the customer
// (Service.Statement, what Cobranza lists), target under 50 ms; "pdf" is wire.StatementPDF of that month, target
// under 500 ms; "pdf-all" prints the whole history (10,000 lines) for scale.
func BenchmarkStatement10000Movements(b *testing.B) {
	const invoices = 4000
	asOf := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	s, rfc, customerID := seedStatement(b, invoices, asOf)
	ctx := context.Background()
	svc := &receivables.Service{Store: s}
	to := receivables.Day(asOf)
	month := to.AddDate(0, -1, 1)

	st, err := svc.Statement(ctx, rfc, customerID, to)
	if err != nil {
		b.Fatal(err)
	}
	if got := len(st.Movements); got != invoices*5/2 {
		b.Fatalf("%d movements, want %d", got, invoices*5/2)
	}
	// The seed is consistent: every movement adds up to what is open.
	all := receivables.StatementPeriod(st, "MXN", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), to)
	if !all.Closing.Equal(st.Balance.Open) || len(all.Lines) != invoices*5/2 {
		b.Fatalf("closing %s over %d lines, open %s", all.Closing, len(all.Lines), st.Balance.Open)
	}

	// The period's figures read through the store equal those computed from
	// the whole history.
	if p, _, err := svc.Period(ctx, rfc, customerID, "MXN", month, to); err != nil ||
		!p.Opening.Equal(receivables.StatementPeriod(st, "MXN", month, to).Opening) || len(p.Lines) != len(receivables.StatementPeriod(st, "MXN", month, to).Lines) {
		b.Fatalf("period through the store differs: %v", err)
	}

	b.Run("screen", func(b *testing.B) {
		var p receivables.Period
		cpu := cpuTime()
		for b.Loop() {
			var err error
			if p, _, err = svc.Period(ctx, rfc, customerID, "MXN", month, to); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/statement")
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/statement")
		b.ReportMetric(float64(len(p.Lines)), "lines")
	})
	// What Cobranza lists for the customer: every movement and the balance.
	b.Run("screen-all", func(b *testing.B) {
		var st receivables.Statement
		cpu := cpuTime()
		for b.Loop() {
			var err error
			if st, err = svc.Statement(ctx, rfc, customerID, to); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/statement")
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/statement")
		b.ReportMetric(float64(len(st.Movements)), "lines")
	})
	pdf := func(from time.Time) func(b *testing.B) {
		return func(b *testing.B) {
			var out []byte
			cpu := cpuTime()
			for b.Loop() {
				var err error
				if out, err = StatementPDF(ctx, s, rfc, customerID, "MXN", from, to); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/pdf")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/pdf")
			b.ReportMetric(float64(bytes.Count(out, []byte("/Type /Page\n"))), "pages")
			b.ReportMetric(float64(len(receivables.StatementPeriod(st, "MXN", from, to).Lines)), "lines")
		}
	}
	b.Run("pdf", pdf(month))
	b.Run("pdf-all", pdf(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
}
