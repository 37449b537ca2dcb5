package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
)

// The PostgreSQL counterpart of the SQLite store's SeedInvoices, for the
// benchmarks: the same synthetic data (customers named from the same
// words, 50 products, series "A", invoices of three lines: 2 % drafts, 3 %
// sealed, 90 % stamped with a UUID, 5 % cancelled, spread over the three
// years before the clock), written by the server itself with INSERT …
// SELECT generate_series in the shape the store writes a posted invoice:
// the invoice with its stored amounts, its lines, its folio, its sealed
// document (a short placeholder XML) and, while it is only sealed, its
// stamp job. Like SQLite's seed, the amounts are the lines' total without
// taxes and there are no invoice_taxes rows.

// benchSeedVersion names the seeded data's shape: change it whenever the
// seed below changes, so that a cached database of the old shape is not
// reused.
const benchSeedVersion = 1

var benchFirst = []string{"JUAN", "MARÍA", "JOSÉ", "GUADALUPE", "FRANCISCO", "ROSA", "ANTONIO", "ELENA", "JESÚS", "LUCÍA",
	"MIGUEL", "SOFÍA", "PEDRO", "ANA", "LUIS", "CARMEN", "JORGE", "PATRICIA", "RAÚL", "VERÓNICA"}
var benchLast = []string{"HERNÁNDEZ", "GARCÍA", "MARTÍNEZ", "LÓPEZ", "GONZÁLEZ", "PÉREZ", "RODRÍGUEZ", "SÁNCHEZ",
	"RAMÍREZ", "CRUZ", "FLORES", "GÓMEZ", "MORALES", "VÁZQUEZ", "REYES", "JIMÉNEZ", "TORRES", "DÍAZ", "GUTIÉRREZ",
	"RUIZ", "MENDOZA", "AGUILAR", "ORTIZ", "MORENO", "CASTILLO", "ROMERO", "ÁLVAREZ", "MÉNDEZ", "CHÁVEZ", "RIVERA"}
var benchTrade = []string{"COMERCIALIZADORA", "DISTRIBUIDORA", "ABARROTES", "FERRETERÍA", "PAPELERÍA", "SERVICIOS",
	"CONSTRUCTORA", "TRANSPORTES", "FARMACIA", "TALLER"}

// benchServer returns the DSN of the benchmarks' PostgreSQL server, or
// skips: like the SQLite benchmarks, which need nothing, these never fail
// for want of a server (not even under CI=true); `make bench` starts one
// when PostgreSQL is installed.
func benchServer(b *testing.B) string {
	b.Helper()
	dsn := os.Getenv(TestServerEnv)
	if dsn == "" {
		b.Skip(TestServerEnv + " is not set: start a server with `export " + TestServerEnv + "=$(scripts/pg-test-cluster.sh start)`")
	}
	return dsn
}

// withDatabase returns admin (a server DSN) pointed at database name.
func withDatabase(b *testing.B, admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		b.Fatalf("%s: %v", TestServerEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// benchInvoices is the size of the benchmarks' store: FOLIO_BENCH_INVOICES,
// default 20000 (the SQLite benchmarks' variable and default).
func benchInvoices() int {
	if v, err := strconv.Atoi(os.Getenv("FOLIO_BENCH_INVOICES")); err == nil && v > 0 {
		return v
	}
	return 20000
}

// benchDatabase returns the name of a database on the server seeded with n
// invoices for testIssuer, ending at salesClock. The database is kept
// between runs (named by the seed's version and size, and marked complete
// by its comment once seeded), so only the first run on a server pays for
// the seed; a database of a newer schema is migrated when opened.
func benchDatabase(b *testing.B, n int) string {
	b.Helper()
	ctx := context.Background()
	admin := benchServer(b)
	name := fmt.Sprintf("folio_bench_v%d_%d", benchSeedVersion, n)
	done := fmt.Sprintf("folio bench seed v%d: %d invoices", benchSeedVersion, n)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var comment sql.NullString
	err = db.QueryRowContext(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, name).Scan(&comment)
	switch {
	case err == nil && comment.String == done:
		b.Logf("reusing the seeded database %s", name)
		return name
	case err == nil: // a seed that did not finish
		if _, err := db.ExecContext(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			b.Fatal(err)
		}
	case err != sql.ErrNoRows:
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	s, err := Open(ctx, withDatabase(b, admin, name), Options{Now: func() time.Time { return salesClock },
		SecretPath: filepath.Join(b.TempDir(), "bench.secret"), MaxConns: 2})
	if err != nil {
		b.Fatal(err)
	}
	err = seedInvoices(ctx, s, testIssuer, n, salesClock)
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `COMMENT ON DATABASE `+name+` IS '`+done+`'`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d invoices into %s in %s", n, name, time.Since(t0).Round(time.Millisecond))
	return name
}

// seedInvoices writes n invoices as described at the top of this file.
func seedInvoices(ctx context.Context, s *Store, issuer string, n int, until time.Time) error {
	customers := max(200, n/50)
	now := salesTimeText(s.Now())
	for i := range 50 {
		p := sales.DemoProducts()[i%5]
		p.Code = fmt.Sprintf("%s-%02d-bench", p.Code, i)
		p.CreatedAt, p.UpdatedAt = s.Now(), s.Now()
		if err := s.CreateProduct(ctx, &p); err != nil {
			return fmt.Errorf("seed products: %w", err)
		}
	}
	span := 3 * 365 * 24 * time.Hour
	start := until.Add(-span)
	step := span.Seconds() / float64(max(n, 1))
	conn, err := s.WriteDB().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ts := `to_char(fecha AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US000"Z"')` // stampTime's layout
	steps := []struct {
		what, sql string
		args      []any
	}{
		// The data is generated consistent: skip the foreign keys' triggers
		// (the server's test user is a superuser).
		{"settings", `SET session_replication_role = replica`, nil},
		{"settings", `SET maintenance_work_mem = '256MB'`, nil},
		{"random seed", `SELECT setseed(0.7)`, nil},
		{"customers", `INSERT INTO customers (id, rfc, name, regimen_fiscal, codigo_postal, uso_cfdi, active, created_at, updated_at)
			SELECT i, CASE WHEN i % 3 = 0 THEN l3 ELSE l3 || chr(65 + (random() * 25)::int) END || d || t,
				CASE WHEN i % 3 = 0 THEN ($1::text[])[1 + (random() * 9)::int] || ' ' || ($2::text[])[1 + (random() * 29)::int] || ' ' || i
				ELSE ($3::text[])[1 + (random() * 19)::int] || ' ' || ($2::text[])[1 + (random() * 29)::int] || ' ' || ($2::text[])[1 + (random() * 29)::int] END,
				CASE WHEN i % 3 = 0 THEN '601' ELSE '612' END, '06300', 'G03', true, $4::timestamptz, $4::timestamptz
			FROM (SELECT i, chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int) AS l3,
				lpad((60 + (random() * 39)::int)::text, 2, '0') || lpad((1 + (random() * 11)::int)::text, 2, '0') || lpad((1 + (random() * 27)::int)::text, 2, '0') AS d,
				chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int) || (i % 10)::text AS t
				FROM generate_series(1, $5::int) i) c`, []any{benchTrade, benchLast, benchFirst, now, customers}},
		{"customers", `SELECT setval(pg_get_serial_sequence('customers', 'id'), $1::bigint)`, []any{customers}},
		{"products", `CREATE TEMP TABLE seed_products AS SELECT row_number() OVER (ORDER BY id) AS p, * FROM products`, nil},
		// k: the invoice's position (1 = oldest), its state by the seed's
		// shares, a customer, and its Fecha.
		{"invoices", `CREATE TEMP TABLE seed_inv AS
			SELECT k, CASE WHEN r < 2 THEN 'draft' WHEN r < 5 THEN 'sealed' WHEN r < 95 THEN 'stamped' ELSE 'cancelled' END AS state,
				1 + (random() * ($1::int - 1))::bigint AS customer_id,
				date_trunc('second', $2::timestamptz + ((k - 1) * $3::float8) * interval '1 second') AS fecha
			FROM (SELECT k, random() * 100 AS r FROM generate_series(1, $4::int) k) x`, []any{customers, salesTimeText(start), step, n}},
		{"lines", `CREATE TEMP TABLE seed_lines AS
			SELECT k, n, 1 + (random() * 49)::int AS p, 1 + (random() * 8)::int AS qty FROM seed_inv, generate_series(1, 3) n`, nil},
		{"invoices", `CREATE TEMP TABLE seed_posted AS
			SELECT i.k, i.state, i.customer_id, i.fecha, t.total,
				CASE WHEN i.state <> 'draft' THEN row_number() OVER (PARTITION BY i.state = 'draft' ORDER BY i.k) END AS folio,
				CASE WHEN i.state IN ('stamped', 'cancelled') THEN
					upper(regexp_replace(md5('seed' || i.k), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')) END AS uuid
			FROM seed_inv i JOIN (SELECT l.k, sum(l.qty * trunc(p.price))::bigint AS total
				FROM seed_lines l JOIN seed_products p ON p.p = l.p GROUP BY l.k) t ON t.k = i.k`, nil},
		{"documents", `INSERT INTO documents (id, issuer_rfc, tipo, serie, folio, fecha, custom_id, sealed_xml, uuid, state, created_at, updated_at, stamped_at)
			SELECT k, $1, 'I', 'A', folio::text, fecha, 'seed-' || k, convert_to('<cfdi:Comprobante Serie="A" Folio="' || folio || '"/>', 'UTF8'),
				uuid, CASE WHEN state = 'sealed' THEN 'queued' ELSE 'stamped' END, fecha, fecha,
				CASE WHEN state = 'sealed' THEN '' ELSE ` + ts + ` END
			FROM seed_posted WHERE state <> 'draft' ORDER BY k`, []any{issuer}},
		{"documents", `SELECT setval(pg_get_serial_sequence('documents', 'id'), $1::bigint)`, []any{n}},
		{"stamp jobs", `INSERT INTO stamp_jobs (document_id, next_attempt_at, created_at)
			SELECT k, ` + ts + `, fecha FROM seed_posted WHERE state = 'sealed'`, nil},
		{"invoices", `INSERT INTO invoices (id, issuer, state, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
				uso_cfdi, terms, forma_pago, moneda, total, uuid, document_id, created_at, updated_at,
				subtotal_micro, descuento_micro, traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro)
			SELECT i.k, $1, i.state, i.state, 'I', 'A', i.folio, i.fecha, c.id, c.rfc, c.name, c.uso_cfdi, 'contado', '03', 'MXN',
				i.total::numeric(20, 2), i.uuid, CASE WHEN i.state <> 'draft' THEN i.k END, $2::timestamptz, $2::timestamptz,
				m.v, m.z, m.z, m.z, m.v, m.one, m.v
			FROM seed_posted i JOIN customers c ON c.id = i.customer_id,
				LATERAL (SELECT CASE WHEN i.state <> 'draft' THEN i.total * 1000000 END AS v, CASE WHEN i.state <> 'draft' THEN 0 END AS z,
					CASE WHEN i.state <> 'draft' THEN 1000000 END AS one) m
			ORDER BY i.k`, []any{issuer, now}},
		{"invoices", `SELECT setval(pg_get_serial_sequence('invoices', 'id'), $1::bigint)`, []any{n}},
		{"lines", `INSERT INTO invoice_lines (invoice_id, n, product_id, no_identificacion, cantidad, clave_unidad, unidad,
				clave_prod_serv, descripcion, valor_unitario, objeto_imp, iva_tasa)
			SELECT l.k, l.n, p.id, p.code, l.qty, p.clave_unidad, p.unit, p.clave_prod_serv, p.description, p.price, p.objeto_imp, p.iva_tasa
			FROM seed_lines l JOIN seed_products p ON p.p = l.p ORDER BY l.k, l.n`, nil},
		{"folios", `INSERT INTO folios (issuer, serie, folio, kind, taken_at) SELECT $1, 'A', folio, 'document', fecha
			FROM seed_posted WHERE folio IS NOT NULL`, []any{issuer}},
		{"series", `INSERT INTO series (issuer, serie, tipo, next_folio, active)
			SELECT $1, 'A', 'I', coalesce(max(folio), 0) + 1, true FROM seed_posted`, []any{issuer}},
		{"cleanup", `DROP TABLE seed_products, seed_inv, seed_lines, seed_posted`, nil},
		{"cleanup", `RESET session_replication_role`, nil},
		{"vacuum", `VACUUM (ANALYZE)`, nil},
	}
	for _, st := range steps {
		if _, err := conn.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seed %s: %w", st.what, err)
		}
	}
	return nil
}
