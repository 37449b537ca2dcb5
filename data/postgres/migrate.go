package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"

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
// errors: programming mistakes caught by any test that opens a store.
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

// migrateLock is the key of the session advisory lock under which a
// process inspects and migrates the schema: workstations opening the same
// database at once wait for each other, and the later ones find nothing
// to do.
const migrateLock = 0x466f6c696f // "Folio"

// SchemaVersion returns the highest migration version applied to the
// database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapErr("postgres.SchemaVersion", s.name, err)
}

// migrate inspects the database and applies every embedded migration it
// has not recorded, up to maxVersion (0: all), in version order, each in
// its own transaction, all under the advisory lock. It refuses, before
// writing anything, a database with tables but no schema_migrations (not
// Folio's) and one whose schema is newer than this build.
func (s *Store) migrate(ctx context.Context, migs []migration, maxVersion int) error {
	const op = "postgres.migrate"
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return mapErr(op, s.name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return mapErr(op, s.name, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)

	var tables, folio int
	err = conn.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_migrations')
		FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&tables, &folio)
	if err != nil {
		return mapErr(op, s.name, err)
	}
	if folio == 0 && tables > 0 {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La base de datos %s es de otro programa, no de Folio (tiene tablas y ninguna es de Folio). No se modificó; indique otra base de datos.", s.name), nil)
	}
	applied := map[int]bool{}
	current := 0
	if folio > 0 {
		rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return mapErr(op, s.name, err)
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return mapErr(op, s.name, err)
			}
			applied[v] = true
			current = max(current, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(op, s.name, err)
		}
	}
	if newest := latest(migs); current > newest {
		return domain.E(domain.Conflict, op, fmt.Sprintf("La base de datos %s fue creada por una versión más reciente de Folio (esquema %d; esta versión llega al %d). Actualice Folio para abrirla; la base de datos no se modificó.", s.name, current, newest), nil)
	}
	if folio == 0 {
		if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
			return mapErr(op, s.name, err)
		}
	}
	for _, m := range migs {
		if applied[m.version] || (maxVersion != 0 && m.version > maxVersion) {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return mapErr(op, s.name, err)
		}
		_, err = tx.ExecContext(ctx, m.sql)
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, s.Now().UTC())
		}
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err != nil {
			if me := mapErr(op, s.name, err); domain.KindOf(me) != domain.Internal {
				return me
			}
			return domain.E(domain.Internal, op, fmt.Sprintf("No se pudo actualizar la base de datos (cambio %04d_%s); quedó como estaba. Informe este error al soporte de Folio.", m.version, m.name), err)
		}
	}
	return nil
}
