package gui

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/internal/wire"
)

// TestPACStatusOfTheTimbresScreen: the demo company's account is named
// without starting the local PAC; a company with a primary and a Finkok
// secondary shows both, with their live balances after "Actualizar
// saldo", the last ones known on the next reading, and why a live balance
// failed.
func TestPACStatusOfTheTimbresScreen(t *testing.T) {
	ctx := context.Background()
	store, demo, st := demoStamping(t)
	ps := st.deps.PACs
	o, err := ps.PACAccounts(ctx, demo.RFC, false)
	if err != nil || len(o.Accounts) != 1 || o.Accounts[0].Key != "local" || o.FailedOver || st.accounts.LocalStarted() {
		t.Fatalf("demo: %+v, %v (local started %v)", o, err, st.accounts.LocalStarted())
	}

	_, pacB := failoverPACs(t, pacSaved{wire.NewCompanies(store), st.accountSaved}, demo.ID)
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
