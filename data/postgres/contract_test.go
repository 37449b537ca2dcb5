package postgres

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

// openContract opens database dsn (a new one on the tests' server when
// empty) as a contract store, closed when t ends; now is its clock (nil:
// the system's). Its key files live in t's folder.
func openContract(t *testing.T, dsn string, now func() time.Time) contractStore {
	t.Helper()
	if dsn == "" {
		dsn = NewTestDatabase(t)
	}
	dir := t.TempDir()
	s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(dir, "folio.secret"), KeyDir: dir, MaxConns: 4, Now: now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return contractStore{Store: s, queue: NewStampStore(s)}
}

// twice opens one new database twice, as two workstations.
func twice(t *testing.T) (contractStore, contractStore) {
	dsn := NewTestDatabase(t)
	return openContract(t, dsn, nil), openContract(t, dsn, nil)
}

// TestStoreContract runs the behaviour every Folio store must have
// (design decision 14) against a fresh database on a real PostgreSQL
// server (FOLIO_TEST_POSTGRES).
func TestStoreContract(t *testing.T) {
	TestServer(t)
	storetest.Run(t, func(t *testing.T) storetest.Store { return openContract(t, "", nil) })
}

// TestWorkstationsContract runs the contract of a shared database with two
// stores opened apart on one database, as two workstations.
func TestWorkstationsContract(t *testing.T) {
	TestServer(t)
	storetest.RunWorkstations(t, func(t *testing.T) (storetest.Store, storetest.Store) { return twice(t) })
}

// TestReceivedContract runs the contract of the imported CFDI on the
// server.
func TestReceivedContract(t *testing.T) {
	TestServer(t)
	storetest.RunReceived(t, func(t *testing.T, now func() time.Time) storetest.ReceivedStore {
		return openContract(t, "", now).Store
	})
}

// TestQuotesContract runs the contract of the quotes on the server.
func TestQuotesContract(t *testing.T) {
	TestServer(t)
	storetest.RunQuotes(t, func(t *testing.T) storetest.QuotesStore { return openContract(t, "", nil) })
}

// TestThirdPartyContract runs the contract of the third parties (catalog,
// balances, payouts, reports) on the server.
func TestThirdPartyContract(t *testing.T) {
	TestServer(t)
	storetest.RunThirdParty(t, func(t *testing.T, now func() time.Time) storetest.ThirdPartyStore {
		return openContract(t, "", now)
	})
}

// TestThirdPartyWorkstationsContract runs the third parties' contract of
// a shared database with two stores opened apart on one database: two
// workstations paying one third party at once never pay its balance
// twice.
func TestThirdPartyWorkstationsContract(t *testing.T) {
	TestServer(t)
	storetest.RunThirdPartyWorkstations(t, func(t *testing.T) (storetest.ThirdPartyStore, storetest.ThirdPartyStore) {
		return twice(t)
	})
}

// TestDealerContract runs the contract of the Administrador de timbres on
// the server.
func TestDealerContract(t *testing.T) {
	TestServer(t)
	storetest.RunDealer(t, func(t *testing.T) storetest.DealerStore { return openContract(t, "", nil).Store })
}

// TestCatalogIOContract runs the contract of the catalogs' import and
// export on the server.
func TestCatalogIOContract(t *testing.T) {
	TestServer(t)
	storetest.RunCatalogIO(t, func(t *testing.T) storetest.CatalogStore { return openContract(t, "", nil).Store })
}

// TestStockContract runs the contract of stock on the server, and on one
// database with two stores opened apart as two workstations.
func TestStockContract(t *testing.T) {
	TestServer(t)
	storetest.RunStock(t, func(t *testing.T) storetest.StockStore { return openContract(t, "", nil) },
		func(t *testing.T) (storetest.StockStore, storetest.StockStore) { return twice(t) })
}
