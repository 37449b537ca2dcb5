package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Options tune Open. The zero value is the production setting.
type Options struct {
	// Now is the store's clock (time.Now when nil). Stored times are Now in UTC.
	Now func() time.Time
	// MaxVersion stops migrating after that schema version (0: apply all).
	// Tests use it to build a database as an older Folio left it.
	MaxVersion int

	migrations fs.FS // replaces the embedded migrations in this package's tests
}

// Store is an open Folio database. Its methods are safe for concurrent use.
type Store struct {
	path  string
	clock func() time.Time
	w     *sql.DB // the only writer: one connection, BEGIN IMMEDIATE
	r     *sql.DB // read-only connections
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// Open opens the database at path, creating its folder and file if missing,
// and brings its schema up to date (see the package doc). It refuses, without
// writing to it, a file that is not a SQLite database, a SQLite database that
// is not Folio's, and a database written by a newer Folio. Errors are
// domain.Error values with a Spanish message.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	const op = "sqlite.Open"
	if path == "" {
		return nil, domain.E(domain.Invalid, op, "Indique el archivo de la base de datos.", nil)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	migs, err := loadMigrations(opt.migrations)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, mapErr(op, abs, err)
	}
	if err := inspect(ctx, abs, latest(migs)); err != nil {
		return nil, err
	}

	s := &Store{path: abs, clock: opt.Now}
	if s.clock == nil {
		s.clock = time.Now
	}
	s.w, err = sql.Open("sqlite3", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.w.PingContext(ctx); err != nil {
		s.w.Close()
		return nil, mapErr(op, abs, err)
	}
	if err := s.migrate(ctx, migs, opt.MaxVersion); err != nil {
		s.w.Close()
		return nil, err
	}
	if err := s.backfill(ctx); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.r, err = sql.Open("sqlite3", dsn(abs, true))
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	if err := s.r.PingContext(ctx); err != nil {
		s.Close()
		return nil, mapErr(op, abs, err)
	}
	return s, nil
}

// inspect checks an existing file before anything may write to it: it must
// be a SQLite database (or empty), be Folio's, and not be newer than this
// build. It opens the file read-only.
func inspect(ctx context.Context, path string, newest int) error {
	const op = "sqlite.Open"
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return mapErr(op, path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return mapErr(op, path, err)
	}
	if st.IsDir() {
		f.Close()
		return domain.E(domain.Invalid, op, fmt.Sprintf("%s es una carpeta, no un archivo de base de datos. Indique la ruta de un archivo.", path), nil)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	f.Close()
	if st.Size() == 0 {
		return nil
	}
	if err != nil || n != len(head) || string(head) != sqliteHeader {
		return notADatabase(op, path, err)
	}

	db, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer db.Close()
	var tables, folio int
	err = db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'`).Scan(&tables, &folio)
	if err != nil {
		return mapErr(op, path, err)
	}
	if folio == 0 {
		if tables > 0 {
			return domain.E(domain.Invalid, op, fmt.Sprintf("%s es una base de datos SQLite de otro programa, no de Folio. No se modificó; indique otro archivo.", path), nil)
		}
		return nil
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return mapErr(op, path, err)
	}
	if version > newest {
		return domain.E(domain.Conflict, op, fmt.Sprintf("La base de datos %s fue creada por una versión más reciente de Folio (esquema %d; esta versión llega al %d). Actualice Folio para abrirla; el archivo no se modificó.", path, version, newest), nil)
	}
	return nil
}

// dsn builds the connection string of the write handle or of the read-only
// handle. The path goes in a file: URI so the query options reach SQLite.
// Each read connection caches 16 MiB of pages: an account statement walks
// a customer's documents and their invoices (about 4 MiB for 10,000
// movements), which SQLite's default 2 MiB read again on every query.
func dsn(path string, readOnly bool) string {
	q := "?_busy_timeout=5000&_foreign_keys=1"
	if readOnly {
		q += "&mode=ro&_cache_size=-16384"
	} else {
		q += "&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate"
	}
	return "file://" + dsnPath(path) + q
}

// dsnPath escapes an absolute path for a file: URI.
func dsnPath(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letter: file:///C:/…
	}
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Now returns the store's clock reading (Options.Now).
func (s *Store) Now() time.Time { return s.clock() }

// ReadDB returns the read-only handle, for queries that need no transaction
// with writes. Writing through it fails.
func (s *Store) ReadDB() *sql.DB { return s.r }

// WriteDB returns the single-connection write handle. Prefer WriteTx.
func (s *Store) WriteDB() *sql.DB { return s.w }

// WriteTx runs fn in an immediate write transaction and commits it if fn
// returns nil; otherwise it rolls back and returns fn's error. Errors that
// are not already domain errors are mapped (disk full, locked, read-only,
// UNIQUE violation…) so callers can show domain.UserMessage.
func (s *Store) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error {
	const op = "sqlite.WriteTx"
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(op, s.path, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapErr(op, s.path, err)
	}
	return mapErr(op, s.path, tx.Commit())
}

// Close closes both handles. The WAL is checkpointed by SQLite when the
// last connection closes.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// DefaultPath returns where Folio keeps its database for the current user:
// folio/folio.db under $XDG_DATA_HOME (~/.local/share) on Linux and the BSDs,
// Folio/folio.db under the user's application data folder elsewhere
// (%AppData% on Windows, ~/Library/Application Support on macOS).
func DefaultPath() (string, error) {
	const op = "sqlite.DefaultPath"
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", domain.E(domain.Internal, op, "No se encontró la carpeta de datos del usuario; indique el archivo con --db.", err)
		}
		return filepath.Join(dir, "Folio", "folio.db"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "folio", "folio.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", domain.E(domain.Internal, op, "No se encontró la carpeta de datos del usuario; indique el archivo con --db.", err)
	}
	return filepath.Join(home, ".local", "share", "folio", "folio.db"), nil
}

// timeText is how the store writes an instant: UTC RFC 3339.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339) }
