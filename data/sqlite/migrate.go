package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_([a-z0-9_]+)\.sql$`)

// loadMigrations reads migrations/NNNN_name.sql from fsys (the embedded set
// when nil), sorted by version. Duplicate versions and badly named files are
// errors: they are programming mistakes caught by any test that opens a store.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	if fsys == nil {
		fsys = embeddedMigrations
	}
	names, err := fs.Glob(fsys, "migrations/*")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, n := range names {
		base := n[len("migrations/"):]
		m := migrationName.FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", base)
		}
		v, _ := strconv.Atoi(m[1])
		if v == 0 {
			return nil, fmt.Errorf("migration %q: versions start at 0001", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %q and %q share version %d", other, base, v)
		}
		seen[v] = base
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: m[2], sql: string(data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// latest returns the highest version in migs, 0 when there are none.
func latest(migs []migration) int {
	if len(migs) == 0 {
		return 0
	}
	return migs[len(migs)-1].version
}

// SchemaVersion returns the highest migration version applied to the
// database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.w.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapErr("sqlite.SchemaVersion", s.path, err)
}

// migrate applies every embedded migration the database has not recorded,
// up to maxVersion (0: all), in version order, each in its own transaction.
// Numbers are reserved by area (0001–0009 foundation, 0010–0019 stamping…),
// so a new migration may be numbered below one already applied: what
// counts is whether its own version is recorded, not the highest one. When the database already has a
// schema it first writes a backup beside it: <file>.bak-v<N>-<UTC time>.
func (s *Store) migrate(ctx context.Context, migs []migration, maxVersion int) error {
	const op = "sqlite.migrate"
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		) STRICT`)
		return err
	})
	if err != nil {
		return err
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	applied, err := s.appliedVersions(ctx)
	if err != nil {
		return err
	}
	var pending []migration
	for _, m := range migs {
		if !applied[m.version] && (maxVersion == 0 || m.version <= maxVersion) {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	if current > 0 {
		bak := fmt.Sprintf("%s.bak-v%d-%s", s.path, current, s.Now().UTC().Format("20060102T150405Z"))
		if err := s.backupTo(ctx, s.w, bak); err != nil {
			return fmt.Errorf("%s: backup before migrating: %w", op, err)
		}
	}
	for _, m := range pending {
		apply := func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, timeText(s.Now()))
			return err
		}
		var err error
		if strings.HasPrefix(m.sql, rebuildDirective) {
			err = s.rebuildTx(ctx, apply)
		} else {
			err = s.WriteTx(ctx, apply)
		}
		if err != nil {
			if domain.KindOf(err) != domain.Internal {
				return err
			}
			return domain.E(domain.Internal, op, fmt.Sprintf("No se pudo actualizar la base de datos (cambio %04d_%s); quedó como estaba. Informe este error al soporte de Folio.", m.version, m.name), err)
		}
	}
	return nil
}

// appliedVersions returns the versions recorded in schema_migrations.
func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, mapErr("sqlite.appliedVersions", s.path, err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// rebuildDirective, as the first line of a migration, runs it with foreign
// key enforcement off: the way SQLite changes a table's constraints is to
// create the new table, copy the rows, drop the old one and rename the new
// one (https://sqlite.org/lang_altertable.html#otheralter), and with
// enforcement on, dropping a parent table deletes its rows first and
// cascades to its children. PRAGMA foreign_key_check must find nothing
// before the transaction commits.
const rebuildDirective = "-- folio:rebuild-with-foreign-keys-off"

// rebuildTx runs fn in one write transaction on a connection whose foreign
// key enforcement is off for the duration (a PRAGMA that SQLite ignores
// inside a transaction, hence set around it), checks every foreign key
// before committing, and turns enforcement on again.
func (s *Store) rebuildTx(ctx context.Context, fn func(*sql.Tx) error) error {
	const op = "sqlite.rebuildTx"
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return mapErr(op, s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return mapErr(op, s.path, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(op, s.path, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapErr(op, s.path, err)
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return mapErr(op, s.path, err)
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return domain.E(domain.Internal, op, "", fmt.Errorf("foreign keys broken by the rebuild"))
	}
	return mapErr(op, s.path, tx.Commit())
}
