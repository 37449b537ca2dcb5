package transfer

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
)

// nanoTables are the tables whose instants the SQLite store writes with
// nanoseconds (its stamp queue's layout); every other instant it writes to
// the second. The file gets each instant in its table's layout, so its
// text comparisons (ranges, ORDER BY) work as on a file Folio wrote.
var nanoTables = map[string]bool{
	"documents": true, "stamp_jobs": true, "stamp_attempts": true, "stamp_balances": true, "stamp_movements": true,
	"cancellations": true, "pac_exchanges": true, "mail_settings": true, "deliveries": true,
}

// microTables are the tables whose instants the SQLite store writes with
// microseconds at fixed width (the Administrador de timbres' actions).
var microTables = map[string]bool{"dealer_actions": true}

// serverOnly are the columns only the server has: how it coordinates
// workstations, meaningless in a file.
var serverOnly = map[string]bool{
	"stamp_jobs.lease_owner": true, // the stamp worker holding the lease
	"deliveries.lease_owner": true, // the mail worker holding the lease
}

const (
	secondLayout = "2006-01-02T15:04:05Z07:00"
	nanoLayout   = "2006-01-02T15:04:05.000000000Z07:00"
	microLayout  = "2006-01-02T15:04:05.000000Z07:00"
)

// ToSQLite copies the installation on the server src into dst, a SQLite
// file that must have no company (a new file), in one transaction, and
// verifies every table's row count and every document's XML bytes before
// committing. It reads one consistent snapshot of the server, so
// workstations may go on working meanwhile: what they commit after the
// copy began is not in it. Nothing is written to src. The tables only the
// SQLite store has (SAT catalogs, third-party payouts, the dealer…)
// stay empty in dst: the server has none of them yet.
func ToSQLite(ctx context.Context, src *postgres.Store, dst *sqlite.Store, progress func(table string, rows int)) (Report, error) {
	const op = "transfer.ToSQLite"
	rep := Report{Rows: map[string]int{}}
	var companies int
	if err := dst.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&companies); err != nil {
		return rep, err
	}
	if companies > 0 {
		return rep, domain.E(domain.Conflict, op, fmt.Sprintf("El archivo %s ya tiene empresas; Folio solo copia a un archivo nuevo. Indique un nombre de archivo que no exista.", dst.Path()), nil)
	}
	snap, err := src.ReadDB().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return rep, domain.E(domain.Unavailable, op, "No se pudo leer el servidor PostgreSQL; revise la conexión y vuelva a intentarlo.", err)
	}
	defer snap.Rollback()
	err = dst.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, t := range tables {
			n, err := copyToFile(ctx, snap, tx, t.name, t.order)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			rep.Rows[t.name] = n
			if progress != nil {
				progress(t.name, n)
			}
		}
		var err error
		rep.Documents, err = verify(ctx, snap, tx, rep.Rows, "el archivo") // before committing: a mismatch leaves the file without companies
		return err
	})
	return rep, err
}

// sqliteColumns returns the columns of a table of the file.
func sqliteColumns(ctx context.Context, tx *sql.Tx, table string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// copyToFile copies every row of table from the server's snapshot into the
// file, in the SQLite store's forms: instants as its text, flags 0/1
// (the driver's), decimals as the text the server keeps them in.
func copyToFile(ctx context.Context, from *postgres.Tx, tx *sql.Tx, table, order string) (int, error) {
	have, err := sqliteColumns(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	types, err := pgColumns(ctx, from, table)
	if err != nil {
		return 0, err
	}
	var cols []string
	for c := range types {
		if serverOnly[table+"."+c] {
			continue
		}
		if !have[c] {
			return 0, fmt.Errorf("column %s.%s has no place in the file", table, c)
		}
		cols = append(cols, c)
	}
	sort.Strings(cols)
	rows, err := from.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` ORDER BY `+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	insert := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`
	stmt, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	layout := secondLayout
	switch {
	case nanoTables[table]:
		layout = nanoLayout
	case microTables[table]:
		layout = microLayout
	}
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
			args[i] = v
			if t, ok := v.(time.Time); ok {
				args[i] = t.UTC().Format(layout)
			}
			if v == nil && emptyIsNull[table+"."+cols[i]] {
				args[i] = ""
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}
