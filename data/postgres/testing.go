package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestServerEnv names the environment variable with the DSN of the
// PostgreSQL server the tests create their databases on
// (scripts/pg-test-cluster.sh start prints one).
const TestServerEnv = "FOLIO_TEST_POSTGRES"

var testDBSeq atomic.Int64

// TestServer returns the DSN of the tests' PostgreSQL server. Without one
// the test is skipped with a message, except under CI=true, where it
// fails: CI always runs the PostgreSQL tests.
func TestServer(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(TestServerEnv)
	if dsn == "" {
		msg := TestServerEnv + " is not set: start a server with `export " + TestServerEnv + "=$(scripts/pg-test-cluster.sh start)`"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg + " (required under CI=true)")
		}
		tb.Skip(msg)
	}
	return dsn
}

// NewTestDatabase creates an empty database on the tests' server, dropped
// when tb ends, and returns its DSN.
func NewTestDatabase(tb testing.TB) string {
	tb.Helper()
	admin := TestServer(tb)
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("%s: %v", TestServerEnv, err)
	}
	name := fmt.Sprintf("folio_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, testDBSeq.Add(1))
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u.Path = "/" + name
	return u.String()
}

// MustOpenTest opens a fully migrated store on a fresh database of the
// tests' server (skipping without one, see TestServer), closed when the
// test ends; its installation key lives in tb.TempDir().
func MustOpenTest(tb testing.TB) *Store {
	tb.Helper()
	dsn := NewTestDatabase(tb)
	s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(tb.TempDir(), "folio.secret"), KeyDir: tb.TempDir(), MaxConns: 4})
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
