package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/internal/storetest"
)

// contractStore is a Store with its stamp queue: what the store contract
// exercises.
type contractStore struct {
	*Store
	queue *StampStore
}

func (s contractStore) Queue() storetest.Queue { return s.queue }

// Int reads one integer (storetest.StockStore).
func (s contractStore) Int(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := s.ReadDB().QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// TestStoreContract runs the behaviour every Folio store must have
// (design decision 14) against a real SQLite file.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestWorkstationsContract runs the contract of a shared database with the
// file opened twice.
func TestWorkstationsContract(t *testing.T) {
	storetest.RunWorkstations(t, func(t *testing.T) (storetest.Store, storetest.Store) {
		path := filepath.Join(t.TempDir(), "folio.db")
		open := func() storetest.Store {
			s, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return contractStore{Store: s, queue: NewStampStore(s)}
		}
		return open(), open()
	})
}

// TestReceivedContract runs the contract of the imported CFDI on a file.
func TestReceivedContract(t *testing.T) {
	storetest.RunReceived(t, func(t *testing.T, now func() time.Time) storetest.ReceivedStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{Now: now})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestQuotesContract runs the contract of the quotes on a file.
func TestQuotesContract(t *testing.T) {
	storetest.RunQuotes(t, func(t *testing.T) storetest.QuotesStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestThirdPartyContract runs the contract of the third parties (catalog,
// balances, payouts, reports) on a file.
func TestThirdPartyContract(t *testing.T) {
	storetest.RunThirdParty(t, func(t *testing.T, now func() time.Time) storetest.ThirdPartyStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{Now: now})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestThirdPartyWorkstationsContract runs the third parties' contract of
// a shared database with the file opened twice.
func TestThirdPartyWorkstationsContract(t *testing.T) {
	storetest.RunThirdPartyWorkstations(t, func(t *testing.T) (storetest.ThirdPartyStore, storetest.ThirdPartyStore) {
		path := filepath.Join(t.TempDir(), "folio.db")
		open := func() storetest.ThirdPartyStore {
			s, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return contractStore{Store: s, queue: NewStampStore(s)}
		}
		return open(), open()
	})
}

// TestDealerContract runs the contract of the Administrador de timbres on
// a file.
func TestDealerContract(t *testing.T) {
	storetest.RunDealer(t, func(t *testing.T) storetest.DealerStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestCatalogIOContract runs the contract of the catalogs' import and
// export on a file.
func TestCatalogIOContract(t *testing.T) {
	storetest.RunCatalogIO(t, func(t *testing.T) storetest.CatalogStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestStockContract runs the contract of stock on a file, and on one file
// opened twice as two workstations.
func TestStockContract(t *testing.T) {
	open := func(t *testing.T, path string) contractStore {
		s, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	}
	storetest.RunStock(t, func(t *testing.T) storetest.StockStore {
		return open(t, filepath.Join(t.TempDir(), "folio.db"))
	}, func(t *testing.T) (storetest.StockStore, storetest.StockStore) {
		path := filepath.Join(t.TempDir(), "folio.db")
		return open(t, path), open(t, path)
	})
}
