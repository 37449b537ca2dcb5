package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

// router is a Route for every issuer.
type router stamping.Route

func (r router) PACFor(context.Context, string) (stamping.Account, error) { return r.Primary, nil }
func (r router) RouteFor(context.Context, string) (stamping.Route, error) {
	return stamping.Route(r), nil
}

// pacPair is two local PACs, one spoken to in SW's dialect and one in
// Finkok's, as the accounts of one issuer.
type pacPair struct {
	sw, fk *sim.Server
	swA    stamping.Account
	fkA    stamping.Account
}

func newPair(t *testing.T) pacPair {
	t.Helper()
	p := pacPair{sw: startSim(t, sim.Options{SkipQR: true}, 100000), fk: startSim(t, sim.Options{SkipQR: true}, 100000)}
	c := newClient(t, p.sw.URL(), 2*time.Second)
	f, err := pac.NewFinkok(pac.FinkokConfig{URL: p.fk.URL(), User: user, Password: password, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p.swA = stamping.Account{Key: "sw", Name: "SW (local)", PAC: c, Canceller: c, Balance: c}
	p.fkA = stamping.Account{Key: "finkok", Name: "Finkok (local)", PAC: f, Canceller: f, Balance: f, Checker: f}
	return p
}

// checkOnce asserts every document is stamped exactly once across both
// PACs, at the account the queue recorded, and that its XML verifies. It
// returns the stamps per PAC.
func (p pacPair) checkOnce(t *testing.T, q *sqlite.StampStore, posted int) (sw, fk int) {
	t.Helper()
	docs, err := q.Documents(context.Background(), "EKU9003173C9")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != posted {
		t.Fatalf("documents = %d, want %d", len(docs), posted)
	}
	for _, d := range docs {
		a, b := p.sw.StampCount(d.IssuerRFC, d.Serie, d.Folio), p.fk.StampCount(d.IssuerRFC, d.Serie, d.Folio)
		if d.State != stamping.StateStamped || a+b != 1 {
			t.Errorf("%s-%s: state %s, stamped %d times at SW and %d at Finkok; want stamped once", d.Serie, d.Folio, d.State, a, b)
			continue
		}
		srv := p.sw
		if b == 1 {
			srv = p.fk
		}
		if want := map[bool]string{true: "finkok", false: "sw"}[b == 1]; d.Account != want {
			t.Errorf("%s-%s: recorded account %q, stamped at %q", d.Serie, d.Folio, d.Account, want)
		}
		c, err := cfdi.Parse(d.StampedXML)
		if err != nil || cfdi.VerifyTFD(c, srv.Certificate()) != nil {
			t.Errorf("%s-%s: stored XML does not verify: %v", d.Serie, d.Folio, err)
		}
	}
	return p.sw.Stamped(), p.fk.Stamped()
}

func failoverOptions() stamping.Options {
	o := testOptions(4, 2*time.Second)
	o.ProbeEvery = 20 * time.Millisecond
	return o
}

// TestFailoverPrimaryDown: the primary (SW) is down from the start; every
// document goes to the secondary (Finkok) and is stamped once.
func TestFailoverPrimaryDown(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	p.sw.SetDown(true)
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	w := stamping.NewWorker(q, router{Primary: p.swA, Secondary: &p.fkA, After: time.Nanosecond}, nil, failoverOptions())
	post(t, ctx, w, "D", 1, 30, time.Now())
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	sw, fk := p.checkOnce(t, q, 30)
	t.Logf("primary down: %d stamped at SW, %d at Finkok", sw, fk)
	if sw != 0 || fk != 30 {
		t.Errorf("stamps SW %d Finkok %d, want 0 and 30", sw, fk)
	}
	if st := w.Status(); len(st.FailedOver) != 1 || st.FailedOver[0] != "EKU9003173C9" {
		t.Errorf("status failed over %v; want the issuer", st.FailedOver)
	}
}

// TestFailoverFlapping: the primary goes down and up at random while the
// queue drains, with replies lost now and then; each document is still
// stamped exactly once across both PACs.
func TestFailoverFlapping(t *testing.T) {
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 16))
	p := newPair(t)
	p.sw.FaultEvery(9, sim.Fault{Kind: sim.LostReply})
	p.fk.FaultEvery(11, sim.Fault{Kind: sim.LostReply})
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	w := stamping.NewWorker(q, router{Primary: p.swA, Secondary: &p.fkA, After: time.Nanosecond}, nil, failoverOptions())
	const n = 60
	post(t, ctx, w, "L", 1, n, time.Now())
	stop := make(chan struct{})
	flapped := make(chan int)
	go func() {
		k := 0
		defer func() { p.sw.SetDown(false); flapped <- k }()
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(5+rng.IntN(40)) * time.Millisecond):
				p.sw.SetDown(k%2 == 0)
				k++
			}
		}
	}()
	dctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := w.Drain(dctx)
	close(stop)
	k := <-flapped
	if err != nil {
		t.Fatal(err)
	}
	sw, fk := p.checkOnce(t, q, n)
	t.Logf("flapping (%d switches): %d stamped at SW, %d at Finkok, %d+%d stamp requests", k, sw, fk, p.sw.StampRequests(), p.fk.StampRequests())
	if sw+fk != n {
		t.Errorf("stamps %d, want %d", sw+fk, n)
	}
}

// TestFailoverLostReplyThenDown: the primary stamps a document but its reply
// is lost, and then the primary goes down. That document waits — it is
// never sent to the secondary — while the others fail over; when the
// primary answers again it returns the earlier stamp (307). Run with SW and
// with Finkok as the primary (Finkok is asked with stamped).
func TestFailoverLostReplyThenDown(t *testing.T) {
	for _, finkokPrimary := range []bool{false, true} {
		t.Run(fmt.Sprintf("finkok primary %v", finkokPrimary), func(t *testing.T) {
			ctx := context.Background()
			p := newPair(t)
			prim, sec, primSrv, secSrv := p.swA, p.fkA, p.sw, p.fk
			if finkokPrimary {
				prim, sec, primSrv, secSrv = p.fkA, p.swA, p.fk, p.sw
			}
			primSrv.InjectFaults(sim.Fault{Kind: sim.LostReply, ThenDown: true})
			_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
			o := failoverOptions()
			o.Concurrency = 1 // the first document takes the fault
			w := stamping.NewWorker(q, router{Primary: prim, Secondary: &sec, After: time.Nanosecond}, nil, o)
			const n = 12
			post(t, ctx, w, "P", 1, n, time.Now())
			rctx, stopRun := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- w.Run(rctx) }()
			// Wait until every document is stamped or waits on the primary.
			deadline := time.Now().Add(30 * time.Second)
			var waiting []stamping.Document
			for {
				docs, err := q.Documents(ctx, "EKU9003173C9")
				if err != nil {
					t.Fatal(err)
				}
				waiting = waiting[:0]
				settled := 0
				for _, d := range docs {
					switch {
					case d.State == stamping.StateStamped:
						settled++
					case d.Unsettled && d.Account == prim.Key:
						waiting = append(waiting, d)
						settled++
					}
				}
				if settled == n && primSrv.Stamped() == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("documents did not settle: %d of %d", settled, n)
				}
				time.Sleep(20 * time.Millisecond)
			}
			stopRun()
			<-done
			if len(waiting) == 0 {
				t.Fatal("no document waits on the primary")
			}
			lost := 0
			for _, d := range waiting {
				if secSrv.StampCount(d.IssuerRFC, d.Serie, d.Folio) != 0 {
					t.Errorf("%s-%s was sent to the secondary while its outcome at the primary was unknown", d.Serie, d.Folio)
				}
				lost += primSrv.StampCount(d.IssuerRFC, d.Serie, d.Folio)
			}
			if lost != 1 {
				t.Errorf("stamped-but-unanswered documents at the primary = %d, want 1", lost)
			}
			if st := w.Status(); len(st.FailedOver) != 1 {
				t.Errorf("status failed over %v while the primary is down; want the issuer", st.FailedOver)
			}
			primSrv.SetDown(false)
			dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := w.Drain(dctx); err != nil {
				t.Fatal(err)
			}
			sw, fk := p.checkOnce(t, q, n)
			t.Logf("lost reply then down: %d waited on the primary; %d stamped at SW, %d at Finkok", len(waiting), sw, fk)
		})
	}
}
