package stamping

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Three issuers: two with PAC accounts of their own, one without.
const (
	rfcA = "EKU9003173C9"
	rfcB = "CACX7605101P8"
	rfcC = "XOJI740919U48"
)

// fakePACs is the PACs port over a map that a test changes while the worker
// runs, as a user changes a company's account in the window.
type fakePACs struct {
	mu       sync.Mutex
	accounts map[string]Account
}

func newFakePACs() *fakePACs { return &fakePACs{accounts: map[string]Account{}} }

func (f *fakePACs) PACFor(_ context.Context, rfc string) (Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[rfc]
	if !ok {
		return Account{}, domain.E(domain.NotFound, "fakePACs", "La empresa "+rfc+" no tiene cuenta de PAC. Configúrela en Empresa › PAC.", nil)
	}
	return a, nil
}

func (f *fakePACs) set(rfc string, a Account) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a.Key == "" {
		delete(f.accounts, rfc)
		return
	}
	f.accounts[rfc] = a
}

// routingOptions are fastOptions with delays long enough that workers
// waiting on unsettled or held documents do not spin.
func routingOptions(conc int) Options {
	o := fastOptions(conc)
	o.Backoff = Backoff{Base: 5 * time.Millisecond, Max: 20 * time.Millisecond}
	o.OutOfStampsDelay, o.CredentialsDelay = 20*time.Millisecond, 20*time.Millisecond
	return o
}

func account(key string, p PAC) Account { return Account{Key: key, Name: "cuenta " + key, PAC: p} }

// answer makes p give r to customID n times, then stamp it.
func (p *fakePAC) answer(customID string, r Reply, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script[customID] = nil
	for range n {
		p.script[customID] = append(p.script[customID], r)
	}
}

// calls returns how many stamp requests p received, per customid.
func (p *fakePAC) counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for id, c := range p.calls {
		out[id] = len(c)
	}
	return out
}

func postFor(t *testing.T, w *Worker, issuer, prefix string, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := 1; i <= n; i++ {
		id, err := w.Post(context.Background(), NewDocument{IssuerRFC: issuer, Serie: prefix, Folio: fmt.Sprint(i), Fecha: time.Now(),
			CustomID: fmt.Sprintf("%s-%d", prefix, i), SealedXML: []byte(fmt.Sprintf("<sealed %s %d/>", issuer, i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// runUntil runs w until cond holds (checked every 2 ms) or 10 s pass.
func runUntil(t *testing.T, w *Worker, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func docOf(t *testing.T, s *memStore, id int64) Document {
	t.Helper()
	d, err := s.Document(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWorkerStampsEachIssuerAtItsOwnAccount: every document goes to its
// issuer's account and no other; an issuer without an account keeps its
// documents queued with what to configure, and does not hold up the others.
func TestWorkerStampsEachIssuerAtItsOwnAccount(t *testing.T) {
	t.Parallel()
	store, pacA, pacB := newMemStore(), newFakePAC(time.Millisecond), newFakePAC(time.Millisecond)
	pacs := newFakePACs()
	pacs.set(rfcA, account("A", pacA))
	pacs.set(rfcB, account("B", pacB))
	w := NewWorker(store, pacs, nil, routingOptions(3))
	a, b, c := postFor(t, w, rfcA, "EKU", 5), postFor(t, w, rfcB, "CACX", 4), postFor(t, w, rfcC, "XOJI", 2)

	runUntil(t, w, "A and B stamped, C held", func() bool {
		for _, id := range append(append([]int64{}, a...), b...) {
			if docOf(t, store, id).State != StateStamped {
				return false
			}
		}
		for _, id := range c {
			if !strings.Contains(docOf(t, store, id).ErrorMessage, "Empresa › PAC") {
				return false
			}
		}
		return true
	})
	for name, want := range map[string]struct {
		p      *fakePAC
		prefix string
		n      int
	}{"A": {pacA, "EKU-", 5}, "B": {pacB, "CACX-", 4}} {
		got := want.p.counts()
		for id, n := range got {
			if !strings.HasPrefix(id, want.prefix) || n != 1 {
				t.Errorf("account %s received %s %d times; want only its issuer's documents, once each", name, id, n)
			}
		}
		if len(got) != want.n {
			t.Errorf("account %s stamped %d documents, want %d", name, len(got), want.n)
		}
	}
	for _, id := range c {
		if d := docOf(t, store, id); d.State != StateQueued || d.Account != "" || d.Attempts == 0 {
			t.Errorf("%s: %s, account %q after %d attempts; want queued, never sent", d.CustomID, d.State, d.Account, d.Attempts)
		}
	}
	for _, id := range a {
		if d := docOf(t, store, id); d.Account != "A" || d.Unsettled {
			t.Errorf("%s: account %q unsettled %v, want A settled", d.CustomID, d.Account, d.Unsettled)
		}
	}
}

// TestWorkerTakesAChangedAccountAtOnce: after an answer that settles the
// outcome (here "out of stamps"), the next attempt goes to the account the
// issuer has now, with no restart.
func TestWorkerTakesAChangedAccountAtOnce(t *testing.T) {
	t.Parallel()
	store, x, y := newMemStore(), newFakePAC(0), newFakePAC(0)
	pacs := newFakePACs()
	pacs.set(rfcA, account("X", x))
	w := NewWorker(store, pacs, nil, routingOptions(1))
	ids := postFor(t, w, rfcA, "EKU", 1)
	x.answer("EKU-1", Reply{Class: OutOfStamps, Message: "sin saldo"}, 1000)
	// The account changes while the worker runs, as in the window.
	runUntil(t, w, "the stamp of Y", func() bool {
		d := docOf(t, store, ids[0])
		if d.ErrorMessage == "sin saldo" {
			pacs.set(rfcA, account("Y", y))
		}
		return d.State == StateStamped
	})
	d := docOf(t, store, ids[0])
	if d.State != StateStamped || d.Account != "Y" || x.counts()["EKU-1"] == 0 || y.counts()["EKU-1"] != 1 {
		t.Errorf("%s at %q; X %d calls, Y %d; want stamped at Y after one call", d.State, d.Account, x.counts()["EKU-1"], y.counts()["EKU-1"])
	}
}

// TestWorkerNeverMovesAnUnsettledDocument is decision 13: a document whose
// outcome at an account is unknown goes to no other account until that
// account answers, even across a missing account, a restart, and an answer
// that is retryable without being flagged unknown.
func TestWorkerNeverMovesAnUnsettledDocument(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		reply Reply
	}{
		{"timeout", Reply{Class: Retryable, Unknown: true, Offline: true, Message: "El PAC no respondió a tiempo"}},
		{"lost reply", Reply{Class: Retryable, Unknown: true, Message: "El PAC no está disponible por ahora"}},
		{"stamp not yet in storage", Reply{Class: Retryable, Code: "CFDI3307", UUID: "U-X", Message: "El comprobante ya tiene un timbre"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, x, y := newMemStore(), newFakePAC(0), newFakePAC(0)
			pacs := newFakePACs()
			pacs.set(rfcA, account("X", x))
			opts := routingOptions(2)
			w := NewWorker(store, pacs, nil, opts)
			ids := postFor(t, w, rfcA, "EKU", 1)
			id := ids[0]
			// Given X leaves the outcome unsettled, again and again…
			x.answer("EKU-1", tt.reply, 1000)
			runUntil(t, w, "X's answer", func() bool { return docOf(t, store, id).ErrorMessage == tt.reply.Message })
			if d := docOf(t, store, id); d.Account != "X" || !d.Unsettled {
				t.Fatalf("after X's answer: account %q unsettled %v", d.Account, d.Unsettled)
			}

			// …when the issuer loses its account, the document waits for one…
			pacs.set(rfcA, Account{})
			runUntil(t, w, "the missing-account hold", func() bool {
				return strings.Contains(docOf(t, store, id).ErrorMessage, "Empresa › PAC")
			})
			// …and when another account is configured, even after a restart,
			// it is not sent there: it waits with the reason.
			pacs.set(rfcA, account("Y", y))
			w = NewWorker(store, pacs, nil, opts)
			runUntil(t, w, "the other-account hold", func() bool {
				return strings.Contains(docOf(t, store, id).ErrorMessage, "otra cuenta del PAC (X)")
			})
			d := docOf(t, store, id)
			if n := len(y.counts()); n != 0 || d.State != StateQueued || d.Account != "X" || !d.Unsettled {
				t.Fatalf("Y received %d requests; document %s at %q unsettled %v; want nothing sent to Y", n, d.State, d.Account, d.Unsettled)
			}
			if !strings.Contains(d.ErrorMessage, "cuenta actual (cuenta Y)") {
				t.Errorf("message %q does not name the current account", d.ErrorMessage)
			}

			// When X is configured again it settles the outcome: its earlier
			// stamp comes back (307) and Y never sees the document.
			x.answer("EKU-1", Reply{Class: AlreadyStamped, StampedXML: []byte("stamped by X"), UUID: "U-X"}, 1)
			pacs.set(rfcA, account("X", x))
			drain(t, w)
			d = docOf(t, store, id)
			if d.State != StateStamped || d.UUID != "U-X" || len(y.counts()) != 0 {
				t.Errorf("%s %q; X %d calls, Y %d; want the stamp of X and nothing sent to Y", d.State, d.UUID, x.counts()["EKU-1"], len(y.counts()))
			}
		})
	}
}

// blockingPAC answers nothing until its context ends: a send in flight when
// the process stops.
type blockingPAC struct{ started chan struct{} }

func (p blockingPAC) Stamp(ctx context.Context, _ string, _ []byte) (Reply, error) {
	close(p.started)
	<-ctx.Done()
	return Reply{Class: Retryable, Unknown: true}, ctx.Err()
}

// TestWorkerKeepsAnInterruptedSendBound: a send interrupted by a shutdown
// (or a crash) has an unknown outcome at its account, recorded before it
// left, so the next run does not send it to another account.
func TestWorkerKeepsAnInterruptedSendBound(t *testing.T) {
	t.Parallel()
	store, y := newMemStore(), newFakePAC(0)
	pacs := newFakePACs()
	x := blockingPAC{started: make(chan struct{})}
	pacs.set(rfcA, account("X", x))
	w := NewWorker(store, pacs, nil, routingOptions(1))
	id := postFor(t, w, rfcA, "EKU", 1)[0]
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	<-x.started
	cancel() // the window closes while X has the document
	<-done

	pacs.set(rfcA, account("Y", y))
	w = NewWorker(store, pacs, nil, routingOptions(1))
	runUntil(t, w, "the other-account hold", func() bool {
		return strings.Contains(docOf(t, store, id).ErrorMessage, "otra cuenta del PAC (X)")
	})
	if n := len(y.counts()); n != 0 {
		t.Errorf("Y received %d requests after an interrupted send to X, want 0", n)
	}
	if got := store.sends; len(got) != 1 || got[0] != "X" {
		t.Errorf("sends recorded = %v, want only X", got)
	}
}

// fakeCanceller records the cancellations asked of one account.
type fakeCanceller struct {
	mu   sync.Mutex
	uuid []string
}

func (c *fakeCanceller) Cancel(_ context.Context, r CancelRequest) (CancelReceipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.uuid = append(c.uuid, r.UUID)
	return CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}, nil
}

func (c *fakeCanceller) CancelStatus(context.Context, StatusQuery) (SATStatus, error) {
	return SATStatus{}, nil
}

type memCancels struct{ saved []Cancellation }

func (m *memCancels) SaveCancellation(_ context.Context, c Cancellation) (int64, error) {
	m.saved = append(m.saved, c)
	return int64(len(m.saved)), nil
}
func (m *memCancels) UpdateCancelStatus(context.Context, int64, SATStatus, time.Time) error {
	return nil
}
func (m *memCancels) LastCancellation(context.Context, int64) (Cancellation, error) {
	return Cancellation{}, domain.E(domain.NotFound, "memCancels", "no existe", nil)
}

// balanceOf is a BalanceSource with a fixed balance.
type balanceOf int64

func (b balanceOf) Balance(context.Context) (Balance, error) { return Balance{Stamps: int64(b)}, nil }

type memLedger struct {
	mu   sync.Mutex
	last map[string]Balance
}

func (m *memLedger) SaveBalance(_ context.Context, b Balance) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last[b.IssuerRFC] = b
	return nil
}
func (m *memLedger) LastBalance(_ context.Context, rfc string) (Balance, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.last[rfc]
	return b, ok, nil
}
func (m *memLedger) AddMovement(context.Context, Movement) error { return nil }
func (m *memLedger) Movements(context.Context, string, int) ([]Movement, error) {
	return nil, nil
}
func (m *memLedger) SetLowThreshold(context.Context, string, int64) error { return nil }
func (m *memLedger) LowThreshold(context.Context, string) (int64, error) {
	return DefaultLowThreshold, nil
}

// TestCancellationsAndLedgerUseTheIssuersAccount: a cancellation goes to the
// document's issuer's account and the balance is the issuer's account's.
func TestCancellationsAndLedgerUseTheIssuersAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newMemStore()
	cancelA, cancelB := &fakeCanceller{}, &fakeCanceller{}
	pacs := newFakePACs()
	pacs.set(rfcA, Account{Key: "A", PAC: newFakePAC(0), Canceller: cancelA, Balance: balanceOf(10)})
	pacs.set(rfcB, Account{Key: "B", PAC: newFakePAC(0), Canceller: cancelB, Balance: balanceOf(20)})
	w := NewWorker(store, pacs, nil, routingOptions(2))
	ids := append(postFor(t, w, rfcB, "CACX", 1), postFor(t, w, rfcC, "XOJI", 1)...)
	for i, id := range ids {
		store.docs[id].State, store.docs[id].UUID = StateStamped, fmt.Sprintf("UUID-%d", i)
	}

	cs := &Cancellations{Documents: store, Store: &memCancels{}, PACs: pacs}
	if _, err := cs.Request(ctx, ids[0], "02", ""); err != nil {
		t.Fatal(err)
	}
	if len(cancelA.uuid) != 0 || len(cancelB.uuid) != 1 || cancelB.uuid[0] != "UUID-0" {
		t.Errorf("cancellations: A %v, B %v; want B's document at B", cancelA.uuid, cancelB.uuid)
	}
	if _, err := cs.Request(ctx, ids[1], "02", ""); !strings.Contains(domain.UserMessage(err), "Empresa › PAC") {
		t.Errorf("cancellation of an issuer without account = %v, want what to configure", err)
	}

	l := &Ledger{Store: &memLedger{last: map[string]Balance{}}, PACs: pacs}
	for rfc, want := range map[string]int64{rfcA: 10, rfcB: 20} {
		if b, err := l.Balance(ctx, rfc); err != nil || b.Stamps != want || !b.Live || b.IssuerRFC != rfc {
			t.Errorf("balance of %s = %+v, %v; want %d live", rfc, b, err, want)
		}
	}
	if _, err := l.Balance(ctx, rfcC); !strings.Contains(domain.UserMessage(err), "Empresa › PAC") {
		t.Errorf("balance of an issuer without account = %v, want what to configure", err)
	}
}

// flakyPACs cannot find the account for its first fails calls (the store
// was busy), then finds it.
type flakyPACs struct {
	mu    sync.Mutex
	fails int
	acct  Account
}

func (f *flakyPACs) PACFor(context.Context, string) (Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return Account{}, domain.E(domain.Unavailable, "flakyPACs", "No se pudo leer la base de datos.", nil)
	}
	return f.acct, nil
}

// TestWorkerRetriesAPassingAccountProblemSoon: only a missing or unusable
// account waits for the user; a passing failure to look it up is retried
// with the network backoff.
func TestWorkerRetriesAPassingAccountProblemSoon(t *testing.T) {
	t.Parallel()
	store, p := newMemStore(), newFakePAC(0)
	opts := routingOptions(1)
	opts.CredentialsDelay = time.Hour
	w := NewWorker(store, &flakyPACs{fails: 2, acct: account("A", p)}, nil, opts)
	id := postFor(t, w, rfcA, "EKU", 1)[0]
	drain(t, w)
	if d := docOf(t, store, id); d.State != StateStamped || d.Attempts != 3 {
		t.Errorf("%s after %d attempts, want stamped after 3", d.State, d.Attempts)
	}
}
