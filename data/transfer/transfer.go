// Package transfer moves a Folio installation from its SQLite file to a
// PostgreSQL server (issue 17: an office that outgrows one computer) and
// back into a new file (a backup in Folio's own format, or the way back
// to one computer): companies with their sealed secrets, catalogs of
// customers, products, third parties and series, every document with its
// exact XML bytes, the stamp queue and ledger, receivables, payments,
// bank accounts, payouts to third parties, quotes, the e-mail outbox, the
// imported CFDI with their suppliers, stock (warehouses, purchases,
// movements, levels) and the Administrador de timbres' flag and actions.
// It verifies what it copied before committing.
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
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
)

// tables are the tables copied, parents before children, with the column
// that orders their rows (a row may point to an earlier one of its table).
// cancel_holds is left out on purpose: a hold lasts one PAC call.
var tables = []struct{ name, order string }{
	{"settings", "key"},
	{"companies", "id"},
	{"company_csd", "company_id"},
	{"company_pac", "company_id"},
	{"company_pac_secondary", "company_id"},
	{"company_logo", "company_id"},
	{"company_dealer", "company_id"},
	{"customers", "id"},
	{"products", "id"},
	{"warehouses", "id"},
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
	{"quotes", "id"},
	{"invoice_lines", "invoice_id, n"},
	{"invoice_taxes", "invoice_id, n"},
	{"invoice_relations", "invoice_id, n"},
	{"payments", "invoice_id"},
	{"payment_documents", "payment_id, n"},
	{"payment_document_taxes", "payment_id, doc_n, n"},
	{"credit_overrides", "id"},
	{"suppliers", "id"},
	{"received_cfdi", "id"},
	{"purchases", "id"},
	{"stock_movements", "id"},
	{"stock_levels", "product_id, warehouse_id"},
	{"concordance_memory", "issuer, customer_id, description, product_id"},
	{"bank_movements", "id"},
	{"third_party_payouts", "id"},
	{"mail_settings", "issuer_rfc"},
	{"deliveries", "id"},
	{"delivery_attachments", "delivery_id, n"},
	{"dealer_actions", "id"},
}

// NotCopied are the SQLite tables the PostgreSQL store does not have yet:
// what a move leaves behind, reported to the user.
var NotCopied = []string{"catalog_entries (se recargan de Folio)"}

// emptyIsNull are the columns where the file keeps an empty text and the
// server NULL for "none" (an instant or a rate that is not there).
var emptyIsNull = map[string]bool{
	"third_party_payouts.cancelled_at": true,
	"third_party_payouts.tipo_cambio":  true,
}

// Report is what a move copied and verified.
type Report struct {
	Rows      map[string]int // rows per table
	Documents int            // documents whose sealed and stamped XML were compared byte for byte
	// KeyKept is where this workstation keeps the key of the secrets
	// (keychain.InKeychain or a file); "" when the installation had none.
	KeyKept string
}

// Options tune ToPostgres.
type Options struct {
	// AdminPassword is the installation's administrator password, needed
	// when it keeps secrets (it has a key file): on the server the key is
	// kept only wrapped under it, and every workstation unlocks with it.
	AdminPassword string
	// Progress, when not nil, is told each table copied.
	Progress func(table string, rows int)
}

// ToPostgres copies the installation in src into dst, which must be an
// empty Folio database (migrated, no company), in one transaction, and
// verifies every table's row count and every document's XML bytes before
// committing. The secrets travel sealed as they are; the key that opens
// them (src's key file) is wrapped under the administrator password
// (opt.AdminPassword, checked against src's) and stored wrapped in the
// same transaction, and this workstation keeps its copy (KeepKey, reported
// in Report.KeyKept), so the secrets open on the server at once here and,
// after unlocking with the administrator password, on every workstation.
// Nothing is written to src. Errors: Invalid when src has a key but no
// administrator password, or opt.AdminPassword is missing or wrong;
// Conflict when dst is not empty.
func ToPostgres(ctx context.Context, src *sqlite.Store, dst *postgres.Store, opt Options) (Report, error) {
	const op = "transfer.ToPostgres"
	rep := Report{Rows: map[string]int{}}
	key, wrapped, err := wrapKey(ctx, src, opt.AdminPassword)
	if err != nil {
		return rep, err
	}
	progress := opt.Progress
	var companies int
	if err := dst.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&companies); err != nil {
		return rep, err
	}
	if companies > 0 {
		return rep, domain.E(domain.Conflict, op, fmt.Sprintf("La base de datos %s ya tiene empresas; Folio solo copia a una base de datos nueva y vacía. Cree otra (createdb) e indíquela.", dst.Path()), nil)
	}
	err = dst.WriteTx(ctx, func(tx *postgres.Tx) error {
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
		if wrapped != "" {
			if err := postgres.SetWrappedKey(ctx, tx, wrapped, dst.Now()); err != nil {
				return fmt.Errorf("wrapped key: %w", err)
			}
		}
		var err error
		rep.Documents, err = verify(ctx, src.ReadDB(), tx, rep.Rows, "el servidor") // before committing: a mismatch leaves the server empty
		return err
	})
	if err != nil || key == nil {
		return rep, err
	}
	rep.KeyKept, err = dst.KeepKey(ctx, key)
	return rep, err
}

// wrapKey returns src's installation key and its wrapping under password,
// after checking password is src's administrator password; nil and ""
// when src has no key (it never stored a secret).
func wrapKey(ctx context.Context, src *sqlite.Store, password string) ([]byte, string, error) {
	const op = "transfer.ToPostgres"
	key, err := src.InstallationKey()
	if err != nil || key == nil {
		return nil, "", err
	}
	companies := &sales.Companies{Store: src, Keys: src}
	has, err := companies.HasAdminPassword(ctx)
	if err != nil {
		return nil, "", err
	}
	if !has {
		return nil, "", domain.E(domain.Invalid, op, "Esta instalación guarda secretos (CSD, cuentas del PAC o de correo) y no tiene contraseña de administrador; en el servidor es la que los abre en cada estación. Establézcala (Empresa › Administrador, o «folio admin --password-file ARCHIVO») y vuelva a intentarlo.", nil)
	}
	if password == "" {
		return nil, "", domain.E(domain.Invalid, op, "Indique la contraseña de administrador de la instalación (--admin-password-file ARCHIVO): en el servidor, el CSD y las cuentas guardadas se abren con ella en cada estación.", nil)
	}
	if err := companies.CheckAdminPassword(ctx, password); err != nil {
		return nil, "", err
	}
	wrapped, err := secret.WrapKey(key, password)
	return key, wrapped, err
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
			if emptyIsNull[table+"."+cols[i]] && isEmpty(v) {
				args[i] = nil
			}
		}
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

// isEmpty reports whether v is an empty text as the file's driver reads it.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case []byte:
		return len(x) == 0
	}
	return false
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

// reader is what verify reads a side through: a handle or a transaction of
// either store.
type reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// verify compares the row count of every copied table and the sealed and
// stamped XML of every document, byte for byte; where names the copy in
// the messages ("el servidor", "el archivo").
func verify(ctx context.Context, src, dst reader, copied map[string]int, where string) (int, error) {
	const op = "transfer.verify"
	for _, t := range tables {
		var a, b int
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&a); err != nil {
			return 0, err
		}
		if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&b); err != nil {
			return 0, err
		}
		if a != b || a != copied[t.name] {
			return 0, domain.E(domain.Internal, op, fmt.Sprintf("La copia de %s no coincide (%d registros en el origen, %d en %s). Vuelva a intentarlo en una base de datos nueva.", t.name, a, b, where), nil)
		}
	}
	sums := func(q reader) (map[int64][2][32]byte, error) {
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
	a, err := sums(src)
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
			return 0, domain.E(domain.Internal, op, fmt.Sprintf("El XML del documento %d no quedó idéntico en %s. Vuelva a intentarlo en una base de datos nueva.", id, where), nil)
		}
	}
	return len(a), nil
}

// Table is a table a move copies and the columns that order its rows.
type Table struct{ Name, Order string }

// Tables returns the tables a move copies, parents first.
func Tables() []Table {
	out := make([]Table, len(tables))
	for i, t := range tables {
		out[i] = Table{t.name, t.order}
	}
	return out
}
