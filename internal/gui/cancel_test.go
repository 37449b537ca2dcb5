package gui

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// TestWindowCancelsAtThePACThatStamped: the window's cancellations (the
// Cancels service the invoice list's "Cancelar…" uses) go to the account
// recorded with each stamp: a document the Finkok secondary stamped is
// cancelled there, never at the SW primary, and one the primary stamped at
// the primary.
func TestWindowCancelsAtThePACThatStamped(t *testing.T) {
	ctx := context.Background()
	store, demo, st := demoStamping(t)
	swPAC, fkPAC := failoverPACs(t, wire.NewCompanies(store), demo.ID)
	route, err := st.accounts.RouteFor(ctx, demo.RFC)
	if err != nil || route.Secondary == nil {
		t.Fatalf("route %+v, %v", route, err)
	}
	// Each document is stamped at one account and recorded as the worker
	// records it: the account before the send, the outcome after.
	stampAt := func(folio string, a stamping.Account) int64 {
		t.Helper()
		nd, err := stamping.Describe(simtest.Sealed(t, "W", folio, time.Now()), "window-"+folio)
		if err != nil {
			t.Fatal(err)
		}
		id, err := st.queue.Post(ctx, nd)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.queue.SendingTo(ctx, id, a.Key); err != nil {
			t.Fatal(err)
		}
		r, err := a.PAC.Stamp(ctx, nd.CustomID, nd.SealedXML)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.queue.MarkStamped(ctx, id, r.StampedXML, r.UUID, stamping.Outcome{Class: r.Class, Account: a.Key}, time.Now()); err != nil {
			t.Fatal(err)
		}
		return id
	}
	atFinkok, atSW := stampAt("1", *route.Secondary), stampAt("2", route.Primary)
	for _, tt := range []struct {
		id        int64
		at, other *sim.Server
		name      string
	}{{atFinkok, fkPAC, swPAC, "Finkok"}, {atSW, swPAC, fkPAC, "SW"}} {
		before, _ := tt.other.CancelRequests()
		c, err := st.cancels.Request(ctx, tt.id, "02", "")
		if err != nil || c.Receipt.EstatusUUID != "201" {
			t.Fatalf("cancel at %s: %q, %v", tt.name, c.Receipt.EstatusUUID, err)
		}
		if after, _ := tt.other.CancelRequests(); after != before {
			t.Errorf("a document stamped at %s reached the other PAC", tt.name)
		}
		if c, err := st.cancels.Refresh(ctx, tt.id); err != nil || c.Status.Estado != sim.EstadoCancelado {
			t.Errorf("status of the document stamped at %s: %+v, %v", tt.name, c.Status, err)
		}
	}
	if n, bad := fkPAC.CancelRequests(); n != 1 || bad != 0 {
		t.Errorf("Finkok: %d requests, %d bad signatures; want one verified", n, bad)
	}
}
