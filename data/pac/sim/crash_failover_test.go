package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

// crashRoute is the route of the crash test with failover: the SW local
// PAC at swURL as primary, failing over at once to the Finkok one at fkURL.
func crashRoute(tb testing.TB, swURL, fkURL string) router {
	tb.Helper()
	c := newClient(tb, swURL, 2*time.Second)
	f, err := pac.NewFinkok(pac.FinkokConfig{URL: fkURL, User: user, Password: password, Timeout: 2 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return router{Primary: stamping.Account{Key: "sw", Name: "SW (local)", PAC: c, Canceller: c, Balance: c},
		Secondary: &stamping.Account{Key: "finkok", Name: "Finkok (local)", PAC: f, Canceller: f, Balance: f, Checker: f},
		After:     time.Millisecond}
}

// TestCrashRecoveryWithFailover is the queue's crash test with failover
// on: a worker process with an SW primary and a Finkok secondary is killed
// with SIGKILL at random instants while both local PACs (in this process,
// so their counts survive) lose replies and the primary goes up and down.
// After every kill no document is stamped at both PACs or twice at one,
// none is lost, and a stamped one is recorded at the PAC that stamped it;
// at the end every document is stamped exactly once across both.
// FOLIO_CRASH_SEED replays a run's kill instants and outages.
func TestCrashRecoveryWithFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	const kills = 30
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FOLIO_CRASH_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	t.Logf("seed %d (FOLIO_CRASH_SEED)", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	p := pacPair{sw: startSim(t, sim.Options{SkipQR: true}, 100000), fk: startSim(t, sim.Options{SkipQR: true}, 100000)}
	p.sw.FaultEvery(5, sim.Fault{Kind: sim.LostReply})
	p.fk.FaultEvery(9, sim.Fault{Kind: sim.LostReply})
	dbPath := filepath.Join(t.TempDir(), "folio.db")
	_, q := openQueue(t, dbPath)
	poster := stamping.NewWorker(q, nil, nil, stamping.Options{})
	posted := 0
	postMore := func(n int) {
		post(t, ctx, poster, "R", posted+1, n, time.Now())
		posted += n
	}
	postMore(20)
	deadline := time.Now().Add(40 * time.Second)
	killed, outages := 0, 0
	for killed < kills && time.Now().Before(deadline) {
		down := rng.IntN(3) == 0
		if down {
			outages++
		}
		p.sw.SetDown(down)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), envCrashDB+"="+dbPath, envCrashURL+"="+p.sw.URL(), envCrashFK+"="+p.fk.URL())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(250)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		killed++
		p.checkAtMostOnce(t, ctx, q, posted)
		if rng.IntN(2) == 0 {
			postMore(1 + rng.IntN(3))
		}
	}
	if killed < kills/2 {
		t.Errorf("only %d kills before the time budget", killed)
	}
	p.sw.SetDown(false)
	w := stamping.NewWorker(q, crashRoute(t, p.sw.URL(), p.fk.URL()), nil, failoverOptions())
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	sw, fk := p.checkOnce(t, q, posted)
	t.Logf("%d kills (%d with the primary down), %d documents: %d stamped at SW, %d at Finkok", killed, outages, posted, sw, fk)
	docs, err := q.Documents(ctx, "EKU9003173C9")
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		if i%10 != 0 {
			continue
		}
		f := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%s.xml", d.Serie, d.Folio))
		if err := os.WriteFile(f, d.StampedXML, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, verdict := testpack.VerifySeal(t, f); !ok {
			t.Errorf("%s: verify-seal.sh: %s", f, verdict)
		}
	}
}

// checkAtMostOnce is the invariant after a kill: every posted document is
// stored, stamped at most once across both PACs; a stamped one is recorded
// at the PAC that stamped it, a pending one still has its job.
func (p pacPair) checkAtMostOnce(t *testing.T, ctx context.Context, q interface {
	Documents(context.Context, string, ...stamping.State) ([]stamping.Document, error)
}, posted int) {
	t.Helper()
	docs, err := q.Documents(ctx, "EKU9003173C9")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != posted {
		t.Fatalf("store has %d documents, posted %d", len(docs), posted)
	}
	for _, d := range docs {
		a, b := p.sw.StampCount(d.IssuerRFC, d.Serie, d.Folio), p.fk.StampCount(d.IssuerRFC, d.Serie, d.Folio)
		switch {
		case a+b > 1:
			t.Fatalf("%s-%s stamped %d times at SW and %d at Finkok", d.Serie, d.Folio, a, b)
		case d.State == stamping.StateStamped:
			if want := map[bool]string{true: "sw", false: "finkok"}[a == 1]; a+b != 1 || d.Account != want {
				t.Fatalf("%s-%s stored as stamped at %q; stamps: SW %d, Finkok %d", d.Serie, d.Folio, d.Account, a, b)
			}
		case d.State.Pending():
			if d.NextAttemptAt.IsZero() {
				t.Fatalf("%s-%s pending without its job", d.Serie, d.Folio)
			}
		default:
			t.Fatalf("%s-%s ended %s (%s %s)", d.Serie, d.Folio, d.State, d.ErrorCode, d.ErrorMessage)
		}
	}
}
