package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/domain"
)

// Options tune Open. The zero value is the production setting.
type Options struct {
	// Now is the store's clock (time.Now when nil). Stored times are Now in UTC.
	Now func() time.Time
	// MaxVersion stops migrating after that schema version (0: apply all).
	MaxVersion int
	// SecretPath is the file of the key this workstation sealed secrets
	// with before keys were shared between workstations
	// (companycsd_secret.go); it is only read. By default one per server
	// and database under the user's configuration folder.
	SecretPath string
	// KeyDir is the folder of this workstation's copies of data keys,
	// when the keychain does not answer; os.UserConfigDir()/folio/keys by
	// default. A KeyDir given means the caller chose where keys live
	// (tests, portable installations): the keychain is then Keychain only.
	KeyDir string
	// Keychain is the keychain tried before KeyDir. With KeyDir empty, nil
	// means the operating system's (keychain.OS).
	Keychain keychain.Keychain
	// MaxConns bounds the connections the store opens (default 8).
	MaxConns int

	migrations fs.FS // replaces the embedded migrations in this package's tests
}

// Store is an open Folio database on a PostgreSQL server. Its methods are
// safe for concurrent use, also from several processes and computers.
type Store struct {
	dsn    string // as given
	name   string // the DSN without its password, for messages
	clock  func() time.Time
	secret string
	db     *DB

	keys  keychain.Keys // this workstation's copies of data keys
	keyMu sync.Mutex
	key   []byte // the copy last read or kept

	workerMu   sync.Mutex
	workerConn *sql.Conn // holds the worker lock while this store lives
	worker     int32     // this store's worker id, once workerConn holds its lock
}

// workerLockClass is the first key of the session advisory locks that
// tell which stamp workers are alive: a store that claims stamp jobs holds
// (workerLockClass, its worker id) on a connection of its own until it
// closes or its process dies, and marks its leases with that id
// (stamp_jobs.lease_owner).
const workerLockClass = 0x466f6c69

// workerID takes this store's worker lock, the first time with a random
// id that no live worker holds, and returns the id.
func (s *Store) workerID(ctx context.Context) (int32, error) {
	const op = "postgres.workerLock"
	s.workerMu.Lock()
	defer s.workerMu.Unlock()
	if s.workerConn != nil {
		return s.worker, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, mapErr(op, s.name, err)
	}
	for {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			conn.Close()
			return 0, err
		}
		id := int32(binary.BigEndian.Uint32(b[:]) &^ (1 << 31))
		if id == 0 {
			continue
		}
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(workerLockClass), id).Scan(&ok); err != nil {
			conn.Close()
			return 0, mapErr(op, s.name, err)
		}
		if ok {
			s.workerConn, s.worker = conn, id
			return id, nil
		}
	}
}

// IsDSN reports whether s names a PostgreSQL database (postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsDSN(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open connects to the database dsn names (a postgres:// URL) and brings
// its schema up to date under an advisory lock, so that several
// workstations starting at once migrate it once. It refuses, without
// writing to it, a database with tables that are not Folio's and one
// written by a newer Folio. Errors are domain.Error values with a Spanish
// message.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	const op = "postgres.Open"
	if dsn == "" {
		return nil, domain.E(domain.Invalid, op, "Indique la dirección del servidor PostgreSQL (postgres://usuario@servidor/base).", nil)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "La dirección del servidor PostgreSQL no es válida; use postgres://usuario:contraseña@servidor:5432/base.", err)
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	cfg.RuntimeParams["application_name"] = "folio"
	migs, err := loadMigrations(opt.migrations)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s := &Store{dsn: dsn, name: redact(dsn), clock: opt.Now, secret: opt.SecretPath}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.secret == "" {
		if s.secret, err = defaultSecretPath(cfg); err != nil {
			return nil, err
		}
	}
	s.keys = keychain.Keys{Dir: opt.KeyDir, Chain: opt.Keychain}
	if s.keys.Dir == "" {
		if s.keys.Dir, err = keychain.DefaultDir(); err != nil {
			return nil, domain.E(domain.Internal, op, "No se encontró la carpeta de configuración del usuario para guardar la clave de los secretos.", err)
		}
		if s.keys.Chain == nil {
			s.keys.Chain = keychain.OS()
		}
	}
	db := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}))
	conns := opt.MaxConns
	if conns <= 0 {
		conns = 8
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.db = &DB{db}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, mapErr(op, s.name, err)
	}
	if err := s.migrate(ctx, migs, opt.MaxVersion); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// redact returns dsn without its password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Path returns where the database is: its DSN without the password.
func (s *Store) Path() string { return s.name }

// DSN returns the connection string the store was opened with.
func (s *Store) DSN() string { return s.dsn }

// Now returns the store's clock reading (Options.Now).
func (s *Store) Now() time.Time { return s.clock() }

// ReadDB returns the pool, for queries that need no transaction.
func (s *Store) ReadDB() *DB { return s.db }

// WriteDB returns the pool. Prefer WriteTx.
func (s *Store) WriteDB() *DB { return s.db }

// WriteTx runs fn in a read-committed transaction and commits it if fn
// returns nil; otherwise it rolls back and returns fn's error. Errors that
// are not already domain errors are mapped (server unreachable, unique
// violation…) so callers can show domain.UserMessage. Serialization
// between workstations is explicit: the rows a transaction decides on are
// locked with SELECT … FOR UPDATE (a series when posting, a job when
// claiming).
func (s *Store) WriteTx(ctx context.Context, fn func(*Tx) error) error {
	const op = "postgres.WriteTx"
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(op, s.name, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapErr(op, s.name, err)
	}
	return mapErr(op, s.name, tx.Commit())
}

// Close closes the pool.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	s.workerMu.Lock()
	if s.workerConn != nil {
		s.workerConn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, int32(workerLockClass), s.worker)
		s.workerConn.Close()
		s.workerConn = nil
	}
	s.workerMu.Unlock()
	return s.db.Close()
}

// timeText is how the store writes an instant: UTC RFC 3339 (PostgreSQL
// reads it into timestamptz columns; text columns keep it as SQLite does).
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339) }

var errNoRows = sql.ErrNoRows
