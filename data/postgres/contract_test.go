package postgres

import (
	"testing"

	"github.com/folio-mx/folio/internal/storetest"
)

// contractStore is a Store with its stamp queue: what the store contract
// exercises.
type contractStore struct {
	*Store
	queue *StampStore
}

func (s contractStore) Queue() storetest.Queue { return s.queue }

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
