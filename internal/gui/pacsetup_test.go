package gui

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
)

// demoStamping is the window's stamping runtime over a new store holding
// the demo company; both close when the test ends.
func demoStamping(t *testing.T) (*sqlite.Store, *sales.Company, *stampingRuntime) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	demo := sales.DemoCompany()
	if err := store.SaveCompany(ctx, demo); err != nil {
		t.Fatal(err)
	}
	st := newStamping(fileBackend(store), nil)
	t.Cleanup(func() { st.Close() })
	return store, demo, st
}

// failoverPACs starts two local PACs, an SW one (a@pac.test, A-1, 30
// stamps) and a Finkok one (b@finkok.test, B-2, 70 stamps), and stores
// them through save as company id's primary and secondary (after 3
// minutes).
func failoverPACs(t *testing.T, save interface {
	SavePACSettings(ctx context.Context, companyID int64, s sales.PACSettings) error
	SaveSecondaryPAC(ctx context.Context, companyID int64, f *sales.PACFailover) error
}, id int64) (sw, fk *sim.Server) {
	t.Helper()
	ctx := context.Background()
	start := func(u sim.User) *sim.Server {
		s, err := sim.Start(sim.Options{Users: []sim.User{u}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	sw = start(sim.User{Email: "a@pac.test", Password: "A-1", Stamps: 30})
	fk = start(sim.User{Email: "b@finkok.test", Password: "B-2", Stamps: 70})
	if err := save.SavePACSettings(ctx, id, sales.PACSettings{Environment: sales.PACPruebas, User: "a@pac.test", Password: "A-1", URL: sw.URL()}); err != nil {
		t.Fatal(err)
	}
	if err := save.SaveSecondaryPAC(ctx, id, &sales.PACFailover{Secondary: sales.PACSettings{Vendor: sales.PACFinkok,
		Environment: sales.PACPruebas, User: "b@finkok.test", Password: "B-2", URL: fk.URL()}, AfterMinutes: 3}); err != nil {
		t.Fatal(err)
	}
	return sw, fk
}
