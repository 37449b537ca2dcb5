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

// TestStoreContract runs the behaviour every Folio store must have
// (design decision 14) against a fresh database on a real PostgreSQL
// server (FOLIO_TEST_POSTGRES).
func TestStoreContract(t *testing.T) {
	TestServer(t)
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s := MustOpenTest(t)
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestWorkstationsContract runs the contract of a shared database with two
// stores opened apart on one database, as two workstations.
func TestWorkstationsContract(t *testing.T) {
	TestServer(t)
	storetest.RunWorkstations(t, func(t *testing.T) (storetest.Store, storetest.Store) {
		dsn := NewTestDatabase(t)
		open := func() storetest.Store {
			s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(t.TempDir(), "folio.secret"), MaxConns: 4})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return contractStore{Store: s, queue: NewStampStore(s)}
		}
		return open(), open()
	})
}

// TestReceivedContract runs the contract of the imported CFDI on the
// server.
func TestReceivedContract(t *testing.T) {
	TestServer(t)
	storetest.RunReceived(t, func(t *testing.T, now func() time.Time) storetest.ReceivedStore {
		s, err := Open(context.Background(), NewTestDatabase(t), Options{SecretPath: filepath.Join(t.TempDir(), "folio.secret"), MaxConns: 4, Now: now})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestQuotesContract runs the contract of the quotes on the server.
func TestQuotesContract(t *testing.T) {
	TestServer(t)
	storetest.RunQuotes(t, func(t *testing.T) storetest.QuotesStore {
		s := MustOpenTest(t)
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestThirdPartyContract runs the contract of the third parties (catalog,
// balances, payouts, reports) on the server.
func TestThirdPartyContract(t *testing.T) {
	TestServer(t)
	storetest.RunThirdParty(t, func(t *testing.T, now func() time.Time) storetest.ThirdPartyStore {
		s, err := Open(context.Background(), NewTestDatabase(t), Options{SecretPath: filepath.Join(t.TempDir(), "folio.secret"), MaxConns: 4, Now: now})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	})
}

// TestThirdPartyWorkstationsContract runs the third parties' contract of
// a shared database with two stores opened apart on one database: two
// workstations paying one third party at once never pay its balance
// twice.
func TestThirdPartyWorkstationsContract(t *testing.T) {
	TestServer(t)
	storetest.RunThirdPartyWorkstations(t, func(t *testing.T) (storetest.ThirdPartyStore, storetest.ThirdPartyStore) {
		dsn := NewTestDatabase(t)
		open := func() storetest.ThirdPartyStore {
			s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(t.TempDir(), "folio.secret"), MaxConns: 4})
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
// the server.
func TestDealerContract(t *testing.T) {
	TestServer(t)
	storetest.RunDealer(t, func(t *testing.T) storetest.DealerStore { return MustOpenTest(t) })
}

// TestCatalogIOContract runs the contract of the catalogs' import and
// export on the server.
func TestCatalogIOContract(t *testing.T) {
	TestServer(t)
	storetest.RunCatalogIO(t, func(t *testing.T) storetest.CatalogStore { return MustOpenTest(t) })
}

// TestStockContract runs the contract of stock on the server, and on one
// database with two stores opened apart as two workstations.
func TestStockContract(t *testing.T) {
	TestServer(t)
	open := func(t *testing.T, dsn string) contractStore {
		s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(t.TempDir(), "folio.secret"), MaxConns: 4})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return contractStore{Store: s, queue: NewStampStore(s)}
	}
	storetest.RunStock(t, func(t *testing.T) storetest.StockStore {
		return open(t, NewTestDatabase(t))
	}, func(t *testing.T) (storetest.StockStore, storetest.StockStore) {
		dsn := NewTestDatabase(t)
		return open(t, dsn), open(t, dsn)
	})
}
