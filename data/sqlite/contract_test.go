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

// openContract opens the file at path (a new one in t's folder when
// empty) as a contract store, closed when t ends; now is its clock (nil:
// the system's).
func openContract(t *testing.T, path string, now func() time.Time) contractStore {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "folio.db")
	}
	s, err := Open(context.Background(), path, Options{Now: now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return contractStore{Store: s, queue: NewStampStore(s)}
}

// twice opens one new file twice, as two workstations.
func twice(t *testing.T) (contractStore, contractStore) {
	path := filepath.Join(t.TempDir(), "folio.db")
	return openContract(t, path, nil), openContract(t, path, nil)
}

// TestStoreContract runs the behaviour every Folio store must have
// (design decision 14) against a real SQLite file.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openContract(t, "", nil) })
}

// TestWorkstationsContract runs the contract of a shared database with the
// file opened twice.
func TestWorkstationsContract(t *testing.T) {
	storetest.RunWorkstations(t, func(t *testing.T) (storetest.Store, storetest.Store) { return twice(t) })
}

// TestReceivedContract runs the contract of the imported CFDI on a file.
func TestReceivedContract(t *testing.T) {
	storetest.RunReceived(t, func(t *testing.T, now func() time.Time) storetest.ReceivedStore {
		return openContract(t, "", now).Store
	})
}

// TestQuotesContract runs the contract of the quotes on a file.
func TestQuotesContract(t *testing.T) {
	storetest.RunQuotes(t, func(t *testing.T) storetest.QuotesStore { return openContract(t, "", nil) })
}

// TestThirdPartyContract runs the contract of the third parties (catalog,
// balances, payouts, reports) on a file.
func TestThirdPartyContract(t *testing.T) {
	storetest.RunThirdParty(t, func(t *testing.T, now func() time.Time) storetest.ThirdPartyStore {
		return openContract(t, "", now)
	})
}

// TestThirdPartyWorkstationsContract runs the third parties' contract of
// a shared database with the file opened twice.
func TestThirdPartyWorkstationsContract(t *testing.T) {
	storetest.RunThirdPartyWorkstations(t, func(t *testing.T) (storetest.ThirdPartyStore, storetest.ThirdPartyStore) {
		return twice(t)
	})
}

// TestDealerContract runs the contract of the Administrador de timbres on
// a file.
func TestDealerContract(t *testing.T) {
	storetest.RunDealer(t, func(t *testing.T) storetest.DealerStore { return openContract(t, "", nil).Store })
}

// TestCatalogIOContract runs the contract of the catalogs' import and
// export on a file.
func TestCatalogIOContract(t *testing.T) {
	storetest.RunCatalogIO(t, func(t *testing.T) storetest.CatalogStore { return openContract(t, "", nil).Store })
}

// TestStockContract runs the contract of stock on a file, and on one file
// opened twice as two workstations.
func TestStockContract(t *testing.T) {
	storetest.RunStock(t, func(t *testing.T) storetest.StockStore { return openContract(t, "", nil) },
		func(t *testing.T) (storetest.StockStore, storetest.StockStore) { return twice(t) })
}
