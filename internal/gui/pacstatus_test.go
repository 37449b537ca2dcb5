package gui

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
)

// TestPACStatusOfTheTimbresScreen: the demo company's account is named
// without starting the local PAC; a company with a primary and a Finkok
// secondary shows both, with their live balances after "Actualizar
// saldo", the last ones known on the next reading, and why a live balance
// failed.
func TestPACStatusOfTheTimbresScreen(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	demo := sales.DemoCompany()
	if err := store.SaveCompany(ctx, demo); err != nil {
		t.Fatal(err)
	}
	st := newStamping(fileBackend(store), nil)
	defer st.Close()
	ps := st.deps.PACs
	o, err := ps.PACAccounts(ctx, demo.RFC, false)
	if err != nil || len(o.Accounts) != 1 || o.Accounts[0].Key != "local" || o.FailedOver || st.accounts.LocalStarted() {
		t.Fatalf("demo: %+v, %v (local started %v)", o, err, st.accounts.LocalStarted())
	}

	pacA, err := sim.Start(sim.Options{Users: []sim.User{{Email: "a@pac.test", Password: "A-1", Stamps: 30}}})
	if err != nil {
		t.Fatal(err)
	}
	defer pacA.Close()
	pacB, err := sim.Start(sim.Options{Users: []sim.User{{Email: "b@finkok.test", Password: "B-2", Stamps: 70}}})
	if err != nil {
		t.Fatal(err)
	}
	defer pacB.Close()
	setup := pacSaved{wire.NewCompanies(store), st.accountSaved}
	if err := setup.SavePACSettings(ctx, demo.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "a@pac.test", Password: "A-1", URL: pacA.URL()}); err != nil {
		t.Fatal(err)
	}
	if err := setup.SaveSecondaryPAC(ctx, demo.ID, &sales.PACFailover{Secondary: sales.PACSettings{Vendor: sales.PACFinkok,
		Environment: sales.PACPruebas, User: "b@finkok.test", Password: "B-2", URL: pacB.URL()}, AfterMinutes: 3}); err != nil {
		t.Fatal(err)
	}
	o, err = ps.PACAccounts(ctx, demo.RFC, true)
	if err != nil || len(o.Accounts) != 2 || o.Accounts[1].Secondary != true || o.Accounts[0].Balance == nil || o.Accounts[1].Balance == nil ||
		o.Accounts[0].Balance.Stamps != 30 || o.Accounts[1].Balance.Stamps != 70 {
		t.Fatalf("live: %+v, %v", o, err)
	}
	pacB.SetDown(true)
	o, err = ps.PACAccounts(ctx, demo.RFC, false)
	if err != nil || o.Accounts[1].Balance == nil || o.Accounts[1].Balance.Stamps != 70 || o.Accounts[1].BalanceError != "" {
		t.Errorf("not live: %+v, %v; want the last balance known", o, err)
	}
	o, err = ps.PACAccounts(ctx, demo.RFC, true)
	if err != nil || o.Accounts[1].BalanceError == "" {
		t.Errorf("live with the secondary down: %+v, %v; want why its balance failed", o, err)
	}
}
