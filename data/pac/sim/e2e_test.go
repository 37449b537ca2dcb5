package sim_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

const (
	user      = "caja@folio.test"
	password  = "Caja-pac-2026!"
	longToken = "caja.token.largo"
)

var (
	keyOnce sync.Once
	simKey  *rsa.PrivateKey
)

// sharedKey saves generating an RSA key per simulator.
func sharedKey(tb testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		if simKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return simKey
}

func startSim(tb testing.TB, opts sim.Options, stamps int64) *sim.Server {
	tb.Helper()
	opts.Key = sharedKey(tb)
	opts.Users = []sim.User{{Name: "Caja", Email: user, Password: password, Token: longToken, Stamps: stamps}}
	s, err := sim.Start(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func newClient(tb testing.TB, url string, timeout time.Duration) *pac.Client {
	tb.Helper()
	c, err := pac.NewClient(pac.Config{ServicesURL: url, APIURL: url, SATStatusURL: url + "/ConsultaCFDIService.svc", User: user, Password: password, Timeout: timeout,
		StorageWait: 20 * time.Millisecond, StorageAttempts: 50})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func openQueue(tb testing.TB, path string) (*sqlite.Store, *sqlite.StampStore) {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, sqlite.NewStampStore(st)
}

// onePAC is c as the account of every issuer.
func onePAC(c *pac.Client) stamping.OnePAC {
	return stamping.OnePAC{Key: "sim", Name: "PAC local de pruebas", PAC: c, Canceller: c, Balance: c}
}

// testOptions are worker options scaled down for tests.
func testOptions(conc int, timeout time.Duration) stamping.Options {
	return stamping.Options{Concurrency: conc, Backoff: stamping.Backoff{Base: 10 * time.Millisecond, Max: 150 * time.Millisecond},
		Timeout: timeout, LeaseMargin: 500 * time.Millisecond, Poll: 50 * time.Millisecond,
		OutOfStampsDelay: 50 * time.Millisecond, CredentialsDelay: 50 * time.Millisecond}
}

// post seals and queues n invoices numbered from first.
func post(tb testing.TB, ctx context.Context, w *stamping.Worker, serie string, first, n int, fecha time.Time) []int64 {
	tb.Helper()
	var ids []int64
	for i := first; i < first+n; i++ {
		folio := fmt.Sprint(i)
		d, err := stamping.Describe(simtest.Sealed(tb, serie, folio, fecha), serie+"-"+folio)
		if err != nil {
			tb.Fatal(err)
		}
		id, err := w.Post(ctx, d)
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// checkStamped asserts the Folio side and the PAC side agree: each document
// stamped exactly once, its stored XML verifying with the Go verifier.
func checkStamped(tb testing.TB, s *sim.Server, d stamping.Document) {
	tb.Helper()
	if d.State != stamping.StateStamped {
		tb.Errorf("%s-%s: state %s (%s %s), want stamped", d.Serie, d.Folio, d.State, d.ErrorCode, d.ErrorMessage)
		return
	}
	if n := s.StampCount(d.IssuerRFC, d.Serie, d.Folio); n != 1 {
		tb.Errorf("%s-%s: stamped %d times at the PAC, want 1", d.Serie, d.Folio, n)
	}
	c, err := cfdi.Parse(d.StampedXML)
	if err != nil {
		tb.Errorf("%s-%s: stored stamped XML: %v", d.Serie, d.Folio, err)
		return
	}
	if err := cfdi.VerifySeal(c); err != nil {
		tb.Errorf("%s-%s: VerifySeal: %v", d.Serie, d.Folio, err)
	}
	if err := cfdi.VerifyTFD(c, s.Certificate()); err != nil {
		tb.Errorf("%s-%s: VerifyTFD: %v", d.Serie, d.Folio, err)
	}
}

// TestFaultMatrix drains a queue under each fault and checks the end state
// of every document and that the PAC's ledger agrees with Folio's.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	const n = 8
	tests := []struct {
		name   string
		stamps int64
		setup  func(s *sim.Server)
		during func(ctx context.Context, s *sim.Server) // runs while draining
		after  func(t *testing.T, ctx context.Context, s *sim.Server, w *stamping.Worker, q *sqlite.StampStore)
	}{
		{name: "no fault", stamps: 100},
		{name: "reply lost after commit", stamps: 100, setup: func(s *sim.Server) { s.FaultEvery(2, sim.Fault{Kind: sim.LostReply}) }},
		{name: "5xx", stamps: 100, setup: func(s *sim.Server) {
			s.FaultEvery(2, sim.Fault{Kind: sim.ServerError, Status: 503})
			s.InjectFaults(sim.Fault{Kind: sim.ServerError, Status: 502, Plain: true})
		}},
		{name: "slow replies past the timeout", stamps: 100, setup: func(s *sim.Server) {
			s.FaultEvery(3, sim.Fault{Kind: sim.SlowAfterCommit, Delay: 1500 * time.Millisecond})
			s.InjectFaults(sim.Fault{Kind: sim.SlowReply, Delay: 1500 * time.Millisecond})
		}},
		{name: "token expiry", stamps: 100, during: func(ctx context.Context, s *sim.Server) {
			for i := 0; i < 5; i++ {
				select {
				case <-ctx.Done():
					return
				case <-time.After(30 * time.Millisecond):
					s.ExpireTokens()
				}
			}
		}},
		{name: "balance exhausted", stamps: 3, during: func(ctx context.Context, s *sim.Server) {
			for s.StampRequests() < 6 && ctx.Err() == nil {
				time.Sleep(10 * time.Millisecond)
			}
			s.AddStamps(user, 20, "recarga")
		}},
		{name: "clock skew past 72 hours", stamps: 100,
			setup: func(s *sim.Server) { s.SetSkew(73 * time.Hour) },
			after: func(t *testing.T, ctx context.Context, s *sim.Server, w *stamping.Worker, q *sqlite.StampStore) {
				docs, _ := q.Documents(ctx, simtest.IssuerRFC)
				var expired []stamping.Document
				for _, d := range docs {
					switch {
					case d.Folio == "99": // the tampered one fails the seal check first
					case d.State != stamping.StateExpired || d.ErrorCode != "401":
						t.Fatalf("%s: state %s %s, want expired 401", d.Folio, d.State, d.ErrorCode)
					default:
						expired = append(expired, d)
					}
				}
				// The user confirms re-dating: same folio, new Fecha, new seal.
				s.SetSkew(0)
				reseal := simtest.Reseal(t)
				for _, d := range expired {
					err := w.Redate(ctx, d.ID, func(_ context.Context, b []byte, f time.Time) ([]byte, error) { return reseal(b, f) })
					if err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s := startSim(t, sim.Options{SkipQR: true}, tt.stamps)
			_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
			client := newClient(t, s.URL(), time.Second)
			w := stamping.NewWorker(q, onePAC(client), nil, testOptions(4, time.Second))
			ids := post(t, ctx, w, "M", 1, n, time.Now())
			// One document with a broken seal must end rejected, not retried.
			bad := simtest.Sealed(t, "M", "99", time.Now())
			c, _ := cfdi.Parse(bad)
			c.Total = "999.00" // after sealing: the seal no longer verifies
			badXML, _ := cfdi.Marshal(c)
			d, _ := stamping.Describe(badXML, "M-99")
			badID, err := w.Post(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(s)
			}
			var wg sync.WaitGroup
			if tt.during != nil {
				wg.Add(1)
				go func() { defer wg.Done(); tt.during(ctx, s) }()
			}
			if err := w.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			if tt.after != nil {
				tt.after(t, ctx, s, w, q)
			}
			for _, id := range ids {
				d, err := q.Document(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				checkStamped(t, s, d)
			}
			rej, _ := q.Document(ctx, badID)
			if rej.State != stamping.StateRejected || rej.ErrorCode != "CFDI40102" || rej.ErrorHint == "" {
				t.Errorf("tampered: %s %q %q, want rejected CFDI40102 with a hint", rej.State, rej.ErrorCode, rej.ErrorHint)
			}
			// Ledger: the PAC's and Folio's agree.
			mv, err := q.Movements(ctx, simtest.IssuerRFC, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(mv) != s.Stamped() || s.Stamped() != n {
				t.Errorf("Folio stamp movements = %d, PAC stamps = %d, want %d", len(mv), s.Stamped(), n)
			}
			l := &stamping.Ledger{Store: q, PACs: onePAC(client)}
			b, err := l.Balance(ctx, simtest.IssuerRFC)
			if err != nil {
				t.Fatal(err)
			}
			if pb := s.Balance(user); !b.Live || b.Stamps != pb.StampsBalance || b.Used != pb.StampsUsed {
				t.Errorf("Folio balance %+v, PAC %+v", b, pb)
			}
		})
	}
}

// TestLedgerOffline: with the PAC unreachable the last known balance is
// used and each stamp lowers it.
func TestLedgerOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true}, 25)
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	client := newClient(t, s.URL(), time.Second)
	l := &stamping.Ledger{Store: q, PACs: onePAC(client)}
	b, err := l.Balance(ctx, simtest.IssuerRFC)
	if err != nil || !b.Live || b.Stamps != 25 {
		t.Fatalf("Balance = %+v, %v", b, err)
	}
	if err := q.SetLowThreshold(ctx, simtest.IssuerRFC, 24); err != nil {
		t.Fatal(err)
	}
	w := stamping.NewWorker(q, onePAC(client), nil, testOptions(2, time.Second))
	post(t, ctx, w, "L", 1, 2, time.Now())
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close() // offline from here on
	b, err = l.Balance(ctx, simtest.IssuerRFC)
	if err != nil || b.Live || b.Stamps != 23 {
		t.Fatalf("offline Balance = %+v, %v; want last known 23", b, err)
	}
	if low, _ := l.Low(ctx, b); !low {
		t.Error("23 ≤ 24 should be low")
	}
	if err := l.RecordTopUp(ctx, simtest.IssuerRFC, 100, "compra"); err != nil {
		t.Fatal(err)
	}
	mv, _ := q.Movements(ctx, simtest.IssuerRFC, 10)
	if len(mv) != 3 || mv[0].Kind != stamping.MovementTopUp || mv[0].Stamps != 100 || mv[1].Kind != stamping.MovementStamp || mv[1].DocumentID == 0 {
		t.Errorf("movements = %+v", mv)
	}
	if b, _ = l.Balance(ctx, simtest.IssuerRFC); b.Stamps != 123 {
		t.Errorf("after top-up = %d, want 123", b.Stamps)
	}
}

// TestAuditLog keeps every PAC exchange in the store without secrets.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true}, 10)
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	var tokens []string
	client, err := pac.NewClient(pac.Config{ServicesURL: s.URL(), APIURL: s.URL(), User: user, Password: password, Timeout: 5 * time.Second,
		Audit: func(x pac.Exchange) {
			var hdr strings.Builder
			x.RequestHeader.Write(&hdr)
			if err := q.SavePACExchange(ctx, sqlite.PACExchange{At: x.At, Method: x.Method, URL: x.URL, RequestHeader: hdr.String(),
				RequestBody: x.RequestBody, Status: x.Status, ResponseBody: x.ResponseBody, Duration: x.Duration, TransportError: x.TransportError}); err != nil {
				t.Error(err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	w := stamping.NewWorker(q, onePAC(client), nil, testOptions(1, 5*time.Second))
	post(t, ctx, w, "AU", 1, 1, time.Now())
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	xs, err := q.PACExchanges(ctx, 10)
	if err != nil || len(xs) != 2 {
		t.Fatalf("exchanges = %d, %v; want authenticate + stamp", len(xs), err)
	}
	for _, x := range xs {
		all := x.RequestHeader + string(x.RequestBody) + string(x.ResponseBody)
		if strings.Contains(all, password) || strings.Contains(all, "eyJ") {
			t.Errorf("%s keeps a secret", x.URL)
		}
		tokens = append(tokens, x.URL)
	}
	if !strings.HasSuffix(tokens[0], "/v4/cfdi33/stamp/v4") || xs[0].Status != 200 || !strings.Contains(string(xs[0].RequestBody), "cfdi:Comprobante") {
		t.Errorf("stamp exchange = %s %d", xs[0].URL, xs[0].Status)
	}
}
