package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// MustOpenTest opens a fully migrated store in a fresh tb.TempDir() and
// closes it when the test ends. For tests only; catalogs are not loaded
// (call EnsureCatalogs when a test needs them).
func MustOpenTest(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), Options{})
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
