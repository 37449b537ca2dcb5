package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/folio-mx/folio/domain"
)

// testMigrations is a small schema history for upgrade tests.
var testMigrations = fstest.MapFS{
	"migrations/0001_first.sql":  {Data: []byte(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;`)},
	"migrations/0002_second.sql": {Data: []byte(`ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT '';`)},
	"migrations/0003_third.sql":  {Data: []byte(`CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT; INSERT INTO tags VALUES ('x');`)},
}

func fixedNow() time.Time { return time.Date(2026, 11, 25, 12, 30, 0, 0, time.UTC) }

func mustOpen(t *testing.T, path string, opt Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantKind(t *testing.T, err error, k domain.Kind, msgPart string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %v", k)
	}
	if got := domain.KindOf(err); got != k {
		t.Fatalf("KindOf(%v) = %v, want %v", err, got, k)
	}
	if msg := domain.UserMessage(err); !strings.Contains(msg, msgPart) {
		t.Errorf("UserMessage = %q, want it to contain %q", msg, msgPart)
	}
}

func TestOpenFresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Given a path whose folders do not exist yet.
	path := filepath.Join(t.TempDir(), "a", "b", "folio.db")
	s := mustOpen(t, path, Options{Now: fixedNow})

	// Then every embedded migration is applied and recorded.
	migs, err := loadMigrations(nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != latest(migs) {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, latest(migs))
	}
	var n int
	var applied string
	if err := s.ReadDB().QueryRow(`SELECT count(*), max(applied_at) FROM schema_migrations`).Scan(&n, &applied); err != nil {
		t.Fatal(err)
	}
	if n != len(migs) || applied != "2026-11-25T12:30:00Z" {
		t.Errorf("schema_migrations: %d rows, applied_at %q; want %d, 2026-11-25T12:30:00Z", n, applied, len(migs))
	}

	// And the write handle has the promised settings.
	for _, p := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "2"}, {"busy_timeout", "5000"},
	} {
		var got string
		if err := s.WriteDB().QueryRow("PRAGMA " + p.pragma).Scan(&got); err != nil || got != p.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", p.pragma, got, err, p.want)
		}
	}
	// And the read handle cannot write.
	_, err = s.ReadDB().Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('x', 'y', 'z')`)
	wantKind(t, mapErr("test", path, err), domain.Unavailable, "solo lectura")

	// Reopening applies nothing and writes no backup.
	s.Close()
	mustOpen(t, path, Options{})
	if baks, _ := filepath.Glob(path + ".bak-*"); len(baks) != 0 {
		t.Errorf("backups after a no-op open: %v", baks)
	}
}

func TestUpgradeWritesBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")

	// Given a database left by an older Folio (schema version 1) with data.
	old := mustOpen(t, path, Options{migrations: testMigrations, MaxVersion: 1, Now: fixedNow})
	if err := old.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO notes (body) VALUES ('antes')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	old.Close()

	// When the newer Folio opens it.
	s := mustOpen(t, path, Options{migrations: testMigrations, Now: fixedNow})

	// Then it is at version 3 with the data kept.
	if v, err := s.SchemaVersion(ctx); err != nil || v != 3 {
		t.Fatalf("SchemaVersion = %d, %v; want 3", v, err)
	}
	var body, tag string
	if err := s.ReadDB().QueryRow(`SELECT body, tag FROM notes`).Scan(&body, &tag); err != nil || body != "antes" {
		t.Fatalf("note = %q, %q, %v", body, tag, err)
	}
	// And a backup of version 1 sits beside it, complete and valid.
	bak := path + ".bak-v1-20261125T123000Z"
	if _, err := os.Stat(bak); err != nil {
		baks, _ := filepath.Glob(path + ".bak*")
		t.Fatalf("backup %s missing (found %v)", bak, baks)
	}
	db, err := sql.Open("sqlite3", "file://"+bak+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	var version int
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check(backup) = %q, %v", check, err)
	}
	if err := db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil || version != 1 {
		t.Errorf("backup schema version = %d, %v; want 1", version, err)
	}
	if err := db.QueryRow(`SELECT body FROM notes`).Scan(&body); err != nil || body != "antes" {
		t.Errorf("backup note = %q, %v", body, err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	bad := fstest.MapFS{
		"migrations/0001_first.sql":  testMigrations["migrations/0001_first.sql"],
		"migrations/0002_broken.sql": {Data: []byte(`CREATE TABLE half (a TEXT) STRICT; INSERT INTO missing VALUES (1);`)},
	}
	_, err := Open(ctx, path, Options{migrations: bad})
	wantKind(t, err, domain.Internal, "0002_broken")
	s := mustOpen(t, path, Options{migrations: testMigrations, MaxVersion: 1})
	var n int
	if err := s.ReadDB().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'half'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table of the failed migration exists: %d, %v", n, err)
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	// Given a database whose schema is newer than any embedded migration.
	s := mustOpen(t, path, Options{})
	if _, err := s.WriteDB().Exec(`INSERT INTO schema_migrations VALUES (9999, 'future', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := mustRead(t, path)

	// When this Folio opens it, it refuses and leaves the file alone.
	_, err := Open(ctx, path, Options{})
	wantKind(t, err, domain.Conflict, "versión más reciente")
	if !bytes.Equal(before, mustRead(t, path)) {
		t.Error("the newer database was modified")
	}
	if baks, _ := filepath.Glob(path + ".bak-*"); len(baks) != 0 {
		t.Errorf("backups written: %v", baks)
	}
}

func TestNotADatabaseUntouched(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
	}{
		{"text", []byte(strings.Repeat("Esto no es una base de datos. ", 200))},
		{"short", []byte("SQLite")},
		{"header only", append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 600)...)},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name+".db")
		if err := os.WriteFile(path, tt.data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, path, Options{})
		wantKind(t, err, domain.Invalid, "no es una base de datos de Folio")
		if !bytes.Equal(tt.data, mustRead(t, path)) {
			t.Errorf("%s: file modified", tt.name)
		}
		for _, side := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(path + side); err == nil {
				t.Errorf("%s: %s created", tt.name, side)
			}
		}
	}

	// Another program's SQLite database is not Folio's either.
	path := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := mustRead(t, path)
	_, err = Open(ctx, path, Options{})
	wantKind(t, err, domain.Invalid, "otro programa")
	if !bytes.Equal(before, mustRead(t, path)) {
		t.Error("foreign database modified")
	}

	// A folder is not a database file.
	_, err = Open(ctx, dir, Options{})
	wantKind(t, err, domain.Invalid, "carpeta")
}

func TestReadOnlyLocation(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	path := filepath.Join(dir, "sub", "folio.db")
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		// Permissions do not bind this user (root): use a file system
		// that refuses new files to everyone instead.
		f.Close()
		if _, err := os.Stat("/sys/kernel"); err != nil {
			t.Skip("no read-only location available to this user")
		}
		path = "/sys/kernel/folio-test/folio.db"
	}
	_, err := Open(context.Background(), path, Options{})
	wantKind(t, err, domain.Unavailable, "solo lectura")
}

func TestDiskFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "folio.db"), Options{})
	// Given a database that may not grow (SQLite's page limit stands in
	// for a full disk: it fails writes with SQLITE_FULL, as a full disk does).
	var pages int
	if err := s.WriteDB().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteDB().Exec(`PRAGMA max_page_count = ` + itoa(pages+2)); err != nil {
		t.Fatal(err)
	}
	// When a transaction writes more than fits, it fails with a clear message.
	big := strings.Repeat("x", 64<<10)
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('big', ?, '')`, big)
		return err
	})
	wantKind(t, err, domain.Unavailable, "lleno")
	// And nothing of it was kept.
	var n int
	if err := s.ReadDB().QueryRow(`SELECT count(*) FROM settings WHERE key = 'big'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows after failed write = %d, %v", n, err)
	}
	// After space is freed, writes work again.
	if _, err := s.WriteDB().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteTx(ctx, func(tx *sql.Tx) error { return s.putSetting(ctx, tx, "big", big) }); err != nil {
		t.Fatal(err)
	}
}

func TestLockedDatabase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for the 5 s busy timeout")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	s := mustOpen(t, path, Options{})
	// Given another program holding the write lock.
	other, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	// When Folio writes, it waits the busy timeout and then says so.
	start := time.Now()
	err = s.WriteTx(ctx, func(tx *sql.Tx) error { return s.putSetting(ctx, tx, "k", "v") })
	wantKind(t, err, domain.Unavailable, "ocupada")
	if d := time.Since(start); d < 4*time.Second {
		t.Errorf("gave up after %v, want the 5 s busy timeout", d)
	}
	// Readers are not blocked meanwhile.
	if _, err := s.CatalogCounts(ctx); err != nil {
		t.Errorf("read while locked: %v", err)
	}
	conn.ExecContext(ctx, `ROLLBACK`)
}

func TestBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpen(t, filepath.Join(dir, "folio.db"), Options{})
	if err := s.WriteTx(ctx, func(tx *sql.Tx) error { return s.putSetting(ctx, tx, "k", "v1") }); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "copias", "respaldo.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	// The copy opens as a Folio store with the data.
	c := mustOpen(t, dst, Options{})
	if v, err := c.setting(ctx, c.ReadDB(), "k"); err != nil || v != "v1" {
		t.Errorf("setting in backup = %q, %v", v, err)
	}
	if _, err := os.Stat(dst + ".tmp"); err == nil {
		t.Error("temporary file left behind")
	}
	// A second backup to the same file is refused, leaving it intact.
	before := mustRead(t, dst)
	wantKind(t, s.Backup(ctx, dst), domain.Conflict, "Ya existe")
	if !bytes.Equal(before, mustRead(t, dst)) {
		t.Error("existing backup modified")
	}
	wantKind(t, s.Backup(ctx, s.Path()), domain.Invalid, "mismo archivo")
}

func TestDSNEscapesPath(t *testing.T) {
	t.Parallel()
	// A folder name with URI metacharacters still opens the right file.
	path := filepath.Join(t.TempDir(), "mis datos #1 ?50%", "folio.db")
	s := mustOpen(t, path, Options{})
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

func TestDefaultPath(t *testing.T) {
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(p) || filepath.Base(p) != "folio.db" {
		t.Errorf("DefaultPath() = %q", p)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestLowerNumberedMigrationApplied: migration numbers are reserved by area,
// so a Folio update may bring a migration numbered below one the database
// already has; it must still run (regression: only versions above the
// newest recorded used to run, leaving new tables missing).
func TestLowerNumberedMigrationApplied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	// Given a database migrated with 0001 and 0003 only.
	older := fstest.MapFS{
		"migrations/0001_first.sql": testMigrations["migrations/0001_first.sql"],
		"migrations/0003_third.sql": testMigrations["migrations/0003_third.sql"],
	}
	mustOpen(t, path, Options{migrations: older, Now: fixedNow}).Close()
	// When the newer Folio, which also has 0002, opens it.
	s := mustOpen(t, path, Options{migrations: testMigrations, Now: fixedNow})
	// Then 0002 ran: its column exists and it is recorded.
	if _, err := s.WriteDB().ExecContext(ctx, `INSERT INTO notes (body, tag) VALUES ('x', 'y')`); err != nil {
		t.Fatalf("0002 not applied: %v", err)
	}
	var n int
	if err := s.ReadDB().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != 3 {
		t.Errorf("recorded migrations = %d, %v; want 3", n, err)
	}
}
