package stamping

import (
	"context"
	"fmt"
	"testing"
)

// oneRoute is a Router with the same route for every issuer.
type oneRoute Route

func (r oneRoute) PACFor(context.Context, string) (Account, error) { return r.Primary, nil }
func (r oneRoute) RouteFor(context.Context, string) (Route, error) { return Route(r), nil }

// TestCancellationGoesToTheAccountThatStamped: a document is cancelled at
// the account recorded with its stamp, the primary or the secondary; one
// stamped before accounts were recorded, or at an account the issuer no
// longer has, at the primary; without a Router, at the issuer's account.
func TestCancellationGoesToTheAccountThatStamped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newMemStore()
	prim, sec := &fakeCanceller{}, &fakeCanceller{}
	route := oneRoute{Primary: Account{Key: "sw", Canceller: prim}, Secondary: &Account{Key: "finkok", Canceller: sec}}
	w := NewWorker(store, route, nil, routingOptions(1))
	stampedAt := []string{"sw", "finkok", "", "an account since removed"}
	ids := postFor(t, w, rfcA, "F", len(stampedAt))
	for i, id := range ids {
		d := store.docs[id]
		d.State, d.UUID, d.Account = StateStamped, fmt.Sprintf("UUID-%d", i), stampedAt[i]
	}
	cs := &Cancellations{Documents: store, Store: &memCancels{}, PACs: route}
	for _, id := range ids {
		if _, err := cs.Request(ctx, id, "02", ""); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(prim.uuid) != "[UUID-0 UUID-2 UUID-3]" || fmt.Sprint(sec.uuid) != "[UUID-1]" {
		t.Errorf("cancelled at the primary %v, at the secondary %v; want UUID-1 at the secondary only", prim.uuid, sec.uuid)
	}

	// Without a Router the issuer's one account cancels everything.
	only := &fakeCanceller{}
	d := store.docs[ids[1]]
	d.State = StateStamped
	cs = &Cancellations{Documents: store, Store: &memCancels{}, PACs: OnePAC(Account{Key: "x", Canceller: only})}
	if _, err := cs.Request(ctx, ids[1], "02", ""); err != nil || len(only.uuid) != 1 {
		t.Errorf("without a Router: %v, %v", only.uuid, err)
	}
}
