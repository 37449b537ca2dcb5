package wire

import (
	"context"

	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// TestCancelAtThePACThatStamped (issue 16): with an SW primary and a
// Finkok secondary, a document stamped by the primary is cancelled, and
// its SAT status asked, at the SW local PAC, and one stamped by the
// secondary while the primary was down at the Finkok local PAC (signed
// here with the company's CSD and verified there), never at the other:
// the wiring the window and the commands share (Accounts as the
// Cancellations' PACs).
func TestCancelAtThePACThatStamped(t *testing.T) {
	ctx := context.Background()
	store, demo, companies, sw, fk := swAndFinkok(t)
	if err := companies.SaveSecondaryPAC(ctx, demo.ID, &sales.PACFailover{AfterMinutes: 1, Secondary: sales.PACSettings{
		Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: "kemper@finkok.test", Password: "Finkok-2", URL: fk.URL()}}); err != nil {
		t.Fatal(err)
	}
	accounts := NewAccounts(store)
	defer accounts.Close()
	route, err := accounts.RouteFor(ctx, demo.RFC)
	if err != nil || route.Secondary == nil {
		t.Fatalf("route %+v, %v", route, err)
	}

	var ticks atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * 2 * time.Minute) }
	queue := sqlite.NewStampStore(store)
	w := stamping.NewWorker(queue, accounts, clock, stamping.Options{Concurrency: 1, Timeout: 3 * time.Second,
		Backoff: stamping.Backoff{Base: 10 * time.Millisecond, Max: 100 * time.Millisecond}, Poll: 50 * time.Millisecond,
		ProbeEvery: time.Minute, CredentialsDelay: 50 * time.Millisecond, OutOfStampsDelay: 50 * time.Millisecond})
	stamp := func(folio string) stamping.Document {
		t.Helper()
		nd, err := stamping.Describe(simtest.Sealed(t, "C", folio, base), "cancel-route-"+folio)
		if err != nil {
			t.Fatal(err)
		}
		id, err := w.Post(ctx, nd)
		if err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := w.Drain(dctx); err != nil {
			t.Fatal(err)
		}
		d, err := queue.Document(ctx, id)
		if err != nil || d.State != stamping.StateStamped {
			t.Fatalf("C-%s: %+v, %v", folio, d.State, err)
		}
		return d
	}
	atSW := stamp("1")
	sw.SetDown(true)
	atFinkok := stamp("2")
	sw.SetDown(false)
	if atSW.Account != route.Primary.Key || atFinkok.Account != route.Secondary.Key ||
		sw.StampCount(demo.RFC, "C", "1") != 1 || fk.StampCount(demo.RFC, "C", "2") != 1 || sw.Stamped()+fk.Stamped() != 2 {
		t.Fatalf("stamped at %q and %q; want the primary then the secondary, once each", atSW.Account, atFinkok.Account)
	}

	cs := &stamping.Cancellations{Documents: queue, Store: queue, PACs: accounts}
	for _, tt := range []struct {
		doc         stamping.Document
		at, notAt   *sim.Server
		atN, notAtN string
	}{
		{atFinkok, fk, sw, "Finkok", "SW"},
		{atSW, sw, fk, "SW", "Finkok"},
	} {
		beforeAt, _ := tt.at.CancelRequests()
		beforeNot, _ := tt.notAt.CancelRequests()
		c, err := cs.Request(ctx, tt.doc.ID, "02", "")
		if err != nil || c.Receipt.EstatusUUID != "201" {
			t.Fatalf("cancel %s-%s: EstatusUUID %q, %v", tt.doc.Serie, tt.doc.Folio, c.Receipt.EstatusUUID, err)
		}
		afterAt, bad := tt.at.CancelRequests()
		afterNot, _ := tt.notAt.CancelRequests()
		if afterAt != beforeAt+1 || afterNot != beforeNot || bad != 0 {
			t.Errorf("%s-%s stamped at %s: %d requests there (%d bad signatures), %d at %s; want it there only",
				tt.doc.Serie, tt.doc.Folio, tt.atN, afterAt-beforeAt, bad, afterNot-beforeNot, tt.notAtN)
		}
		if e, _ := tt.at.CancelStatus(tt.doc.UUID); e != sim.EstadoCancelado {
			t.Errorf("at %s: %s", tt.atN, e)
		}
		if e, _ := tt.notAt.CancelStatus(tt.doc.UUID); e != "No Encontrado" {
			t.Errorf("at %s, which did not stamp it: %s", tt.notAtN, e)
		}
		// Only the PAC that stamped it knows it: a status asked elsewhere
		// would say «No Encontrado».
		c, err = cs.Refresh(ctx, tt.doc.ID)
		if err != nil || c.Status.Estado != sim.EstadoCancelado || c.Label() != "Cancelada" {
			t.Errorf("refresh of %s-%s: %+v, %v; want Cancelada from %s", tt.doc.Serie, tt.doc.Folio, c.Status, err, tt.atN)
		}
	}
}

// TestCancelAtTheSecondaryWhilePrimaryUnusable: a document the Finkok
// secondary stamped is cancelled there even when the primary account can
// no longer be made (its credentials gone): the cancellation does not
// need the primary.
func TestCancelAtTheSecondaryWhilePrimaryUnusable(t *testing.T) {
	ctx := context.Background()
	store, demo, companies, sw, fk := swAndFinkok(t)
	if err := companies.SaveSecondaryPAC(ctx, demo.ID, &sales.PACFailover{AfterMinutes: 1, Secondary: sales.PACSettings{
		Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: "kemper@finkok.test", Password: "Finkok-2", URL: fk.URL()}}); err != nil {
		t.Fatal(err)
	}
	accounts := NewAccounts(store)
	defer accounts.Close()
	queue := sqlite.NewStampStore(store)
	sw.SetDown(true)
	base := time.Now()
	var ticks atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * 2 * time.Minute) }
	w := stamping.NewWorker(queue, accounts, clock, stamping.Options{Concurrency: 1, Timeout: 3 * time.Second,
		Backoff: stamping.Backoff{Base: 10 * time.Millisecond, Max: 100 * time.Millisecond}, Poll: 50 * time.Millisecond,
		ProbeEvery: time.Minute, CredentialsDelay: 50 * time.Millisecond, OutOfStampsDelay: 50 * time.Millisecond})
	nd, err := stamping.Describe(simtest.Sealed(t, "C", "9", base), "cancel-secondary-9")
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.Post(ctx, nd)
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	if d, err := queue.Document(ctx, id); err != nil || d.State != stamping.StateStamped || fk.StampCount(demo.RFC, "C", "9") != 1 {
		t.Fatalf("not stamped at the secondary: %+v, %v", d.State, err)
	}
	// The primary's credentials are gone: no client can be made for it.
	if _, err := store.WriteDB().ExecContext(ctx, `UPDATE company_pac SET user_sealed = NULL, password_sealed = NULL, token_sealed = NULL WHERE company_id = ?`, demo.ID); err != nil {
		t.Fatal(err)
	}
	fresh := NewAccounts(store)
	defer fresh.Close()
	if _, err := fresh.PACFor(ctx, demo.RFC); err == nil {
		t.Fatal("the primary is still usable; the test needs it unusable")
	}
	cs := &stamping.Cancellations{Documents: queue, Store: queue, PACs: fresh}
	c, err := cs.Request(ctx, id, "02", "")
	if err != nil || c.Receipt.EstatusUUID != "201" {
		t.Fatalf("cancel at the secondary with the primary unusable: %q, %v", c.Receipt.EstatusUUID, err)
	}
	if n, _ := fk.CancelRequests(); n != 1 {
		t.Errorf("Finkok saw %d cancellation requests, want 1", n)
	}
}
