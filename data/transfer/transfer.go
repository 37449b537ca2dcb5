// Package transfer moves a Folio installation from its SQLite file to a
// PostgreSQL server (issue 17: an office that outgrows one computer):
// companies with their sealed secrets, catalogs of customers, products,
// third parties and series, every document with its exact XML bytes, the
// stamp queue and ledger, receivables, payments and bank accounts. It
// verifies what it copied before reporting success.
package transfer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
)

// tables are the tables copied, parents before children, with the column
// that orders their rows (a row may point to an earlier one of its table).
var tables = []struct{ name, order string }{
	{"settings", "key"},
	{"companies", "id"},
	{"company_csd", "company_id"},
	{"company_pac", "company_id"},
	{"company_pac_secondary", "company_id"},
	{"company_logo", "company_id"},
	{"customers", "id"},
	{"products", "id"},
	{"third_parties", "id"},
	{"series", "id"},
	{"folios", "issuer, serie, folio"},
	{"bank_accounts", "id"},
	{"documents", "id"},
	{"stamp_jobs", "document_id"},
	{"stamp_attempts", "id"},
	{"stamp_balances", "issuer_rfc"},
	{"stamp_movements", "id"},
	{"cancellations", "id"},
	{"pac_exchanges", "id"},
	{"invoices", "id"},
	{"invoice_lines", "invoice_id, n"},
	{"invoice_taxes", "invoice_id, n"},
	{"invoice_relations", "invoice_id, n"},
	{"payments", "invoice_id"},
	{"payment_documents", "payment_id, n"},
	{"payment_document_taxes", "payment_id, doc_n, n"},
	{"credit_overrides", "id"},
	{"bank_movements", "id"},
	{"mail_settings", "issuer_rfc"},
}

// NotCopied are the SQLite tables the PostgreSQL store does not have yet:
// what a move leaves behind, reported to the user.
var NotCopied = []string{"catalog_entries (se recargan de Folio)", "deliveries (correos en cola)",
	"received_cfdi y suppliers (CFDI importados)", "concordance_memory", "third_party_payouts",
	"company_dealer y dealer_actions (Administrador de timbres)"}

// Report is what a move copied and verified.
type Report struct {
	Rows      map[string]int // rows per table
	Documents int            // documents whose sealed and stamped XML were compared byte for byte
}

// ToPostgres copies the installation in src into dst, which must be an
// empty Folio database (migrated, no company), in one transaction, and
// verifies every table's row count and every document's XML bytes before
// committing.
// Nothing is written to src.
func ToPostgres(ctx context.Context, src *sqlite.Store, dst *postgres.Store, progress func(table string, rows int)) (Report, error) {
	const op = "transfer.ToPostgres"
	rep := Report{Rows: map[string]int{}}
	var companies int
	if err := dst.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&companies); err != nil {
		return rep, err
	}
	if companies > 0 {
		return rep, domain.E(domain.Conflict, op, fmt.Sprintf("La base de datos %s ya tiene empresas; Folio solo copia a una base de datos nueva y vacía. Cree otra (createdb) e indíquela.", dst.Path()), nil)
	}
	err := dst.WriteTx(ctx, func(tx *postgres.Tx) error {
		for _, t := range tables {
			n, err := copyTable(ctx, src.ReadDB(), tx, t.name, t.order)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			rep.Rows[t.name] = n
			if progress != nil {
				progress(t.name, n)
			}
			var identity bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id' AND is_identity = 'YES')`, t.name).Scan(&identity); err != nil {
				return err
			}
			if identity && n > 0 {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t.name+`', 'id'), (SELECT max(id) FROM `+t.name+`))`); err != nil {
					return fmt.Errorf("identity of %s: %w", t.name, err)
				}
			}
		}
		var err error
		rep.Documents, err = verify(ctx, src, tx, rep.Rows) // before committing: a mismatch leaves the server empty
		return err
	})
	return rep, err
}

// pgColumns returns the columns of a PostgreSQL table that take a value
// (not generated) with their data types.
func pgColumns(ctx context.Context, tx *postgres.Tx, table string) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			return nil, err
		}
		out[c] = ty
	}
	return out, rows.Err()
}

// copyTable copies every row of table, converting SQLite's values to the
// PostgreSQL column's type (0/1 to boolean; text instants and decimals are
// read by the server).
func copyTable(ctx context.Context, from *sql.DB, tx *postgres.Tx, table, order string) (int, error) {
	types, err := pgColumns(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	rows, err := from.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	for _, c := range cols {
		if _, ok := types[c]; !ok {
			return 0, fmt.Errorf("column %s.%s has no place on the server", table, c)
		}
	}
	insert := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		args := make([]any, len(cols))
		for i, v := range vals {
			args[i] = convert(v, types[cols[i]])
		}
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

func convert(v any, pgType string) any {
	switch pgType {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0
		case bool:
			return x
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	}
	return v
}

// verify compares the row count of every copied table and the sealed and
// stamped XML of every document, byte for byte.
func verify(ctx context.Context, src *sqlite.Store, dst *postgres.Tx, copied map[string]int) (int, error) {
	const op = "transfer.verify"
	for _, t := range tables {
		var a, b int
		if err := src.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&a); err != nil {
			return 0, err
		}
		if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&b); err != nil {
			return 0, err
		}
		if a != b || a != copied[t.name] {
			return 0, domain.E(domain.Internal, op, fmt.Sprintf("La copia de %s no coincide (%d registros en el archivo, %d en el servidor). Vuelva a intentarlo en una base de datos nueva.", t.name, a, b), nil)
		}
	}
	sums := func(q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}) (map[int64][2][32]byte, error) {
		rows, err := q.QueryContext(ctx, `SELECT id, sealed_xml, stamped_xml FROM documents`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[int64][2][32]byte{}
		for rows.Next() {
			var id int64
			var sealed, stamped []byte
			if err := rows.Scan(&id, &sealed, &stamped); err != nil {
				return nil, err
			}
			out[id] = [2][32]byte{sha256.Sum256(sealed), sha256.Sum256(stamped)}
		}
		return out, rows.Err()
	}
	a, err := sums(src.ReadDB())
	if err != nil {
		return 0, err
	}
	b, err := sums(dst)
	if err != nil {
		return 0, err
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok || !bytes.Equal(x[0][:], y[0][:]) || !bytes.Equal(x[1][:], y[1][:]) {
			return 0, domain.E(domain.Internal, op, fmt.Sprintf("El XML del documento %d no quedó idéntico en el servidor. Vuelva a intentarlo en una base de datos nueva.", id), nil)
		}
	}
	return len(a), nil
}
