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

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

// Environment of the crash child.
const (
	envCrashDB  = "FOLIO_STAMP_CRASH_DB"
	envCrashURL = "FOLIO_STAMP_CRASH_PAC"
	envCrashFK  = "FOLIO_STAMP_CRASH_FINKOK" // with it, the child fails over to a Finkok secondary
)

// TestCrashChild is not a test on its own: TestCrashRecovery re-executes the
// test binary with it, and kills the process at random instants.
func TestCrashChild(t *testing.T) {
	db, url := os.Getenv(envCrashDB), os.Getenv(envCrashURL)
	if db == "" {
		t.Skip("runs only as the child of TestCrashRecovery")
	}
	_, q := openQueue(t, db)
	var pacs stamping.PACs = onePAC(newClient(t, url, 2*time.Second))
	opts := testOptions(4, 2*time.Second)
	if fk := os.Getenv(envCrashFK); fk != "" {
		pacs = crashRoute(t, url, fk)
		opts.ProbeEvery = 20 * time.Millisecond
	}
	w := stamping.NewWorker(q, pacs, nil, opts)
	w.Run(context.Background()) // until SIGKILL
}

// TestCrashRecovery kills a worker process with SIGKILL at random instants,
// at least 50 times, while the local PAC (in this process, so its counts
// survive) stamps. After every restart: no document stamped twice, no job
// lost; at the end every posted document is stamped exactly once and its
// stored XML verifies.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	const kills = 55
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true}, 100000)
	s.FaultEvery(7, sim.Fault{Kind: sim.LostReply}) // lost replies on top of the kills
	dbPath := filepath.Join(t.TempDir(), "folio.db")
	_, q := openQueue(t, dbPath)
	poster := stamping.NewWorker(q, nil, nil, stamping.Options{}) // only Post is used here
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	posted := 0
	postMore := func(n int) {
		post(t, ctx, poster, "K", posted+1, n, time.Now())
		posted += n
	}
	postMore(20)
	deadline := time.Now().Add(40 * time.Second)
	var killed, stampedAtKill int
	for killed < kills && time.Now().Before(deadline) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), envCrashDB+"="+dbPath, envCrashURL+"="+s.URL())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rng.IntN(250)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		killed++
		checkInvariants(t, ctx, s, q, posted, false)
		if rng.IntN(2) == 0 {
			postMore(1 + rng.IntN(3))
		}
	}
	if killed < 50 {
		t.Errorf("only %d kills before the time budget", killed)
	}
	// Restart once more and let it finish.
	stampedAtKill = s.Stamped()
	w := stamping.NewWorker(q, onePAC(newClient(t, s.URL(), 2*time.Second)), nil, testOptions(4, 2*time.Second))
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	docs := checkInvariants(t, ctx, s, q, posted, true)
	t.Logf("%d kills, %d documents, %d stamped before the final run, %d stamp requests", killed, posted, stampedAtKill, s.StampRequests())
	if s.Stamped() != posted {
		t.Errorf("PAC issued %d stamps for %d documents", s.Stamped(), posted)
	}
	// The independent oracle on a few stored documents.
	for i, d := range docs {
		if i%20 != 0 {
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

// checkInvariants: every posted document is in the store, pending ones still
// have their job, none is stamped twice at the PAC, stamped ones verify.
func checkInvariants(t *testing.T, ctx context.Context, s *sim.Server, q interface {
	Documents(context.Context, string, ...stamping.State) ([]stamping.Document, error)
}, posted int, final bool) []stamping.Document {
	t.Helper()
	docs, err := q.Documents(ctx, simtest.IssuerRFC)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != posted {
		t.Fatalf("store has %d documents, posted %d", len(docs), posted)
	}
	for _, d := range docs {
		n := s.StampCount(d.IssuerRFC, d.Serie, d.Folio)
		switch {
		case n > 1:
			t.Fatalf("%s-%s stamped %d times", d.Serie, d.Folio, n)
		case d.State == stamping.StateStamped:
			if final || n != 1 {
				checkStamped(t, s, d)
			}
		case d.State.Pending():
			if d.NextAttemptAt.IsZero() {
				t.Fatalf("%s-%s pending without its job", d.Serie, d.Folio)
			}
			if final {
				t.Errorf("%s-%s still pending after the final run", d.Serie, d.Folio)
			}
		default:
			t.Fatalf("%s-%s ended %s (%s %s)", d.Serie, d.Folio, d.State, d.ErrorCode, d.ErrorMessage)
		}
	}
	return docs
}
