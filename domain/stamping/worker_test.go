package stamping

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

// memStore is an in-memory Store for the worker's unit tests.
type memStore struct {
	mu    sync.Mutex
	docs  map[int64]*Document
	jobs  map[int64]*memJob
	next  int64
	sends []string // account of every SendingTo, in order
}

type memJob struct{ due, lease time.Time }

func newMemStore() *memStore {
	return &memStore{docs: map[int64]*Document{}, jobs: map[int64]*memJob{}}
}

func (m *memStore) Post(_ context.Context, d NewDocument) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	m.docs[m.next] = &Document{ID: m.next, IssuerRFC: d.IssuerRFC, Serie: d.Serie, Folio: d.Folio, Fecha: d.Fecha,
		CustomID: d.CustomID, SealedXML: d.SealedXML, State: StateQueued}
	m.jobs[m.next] = &memJob{}
	return m.next, nil
}

func (m *memStore) Claim(_ context.Context, now, leaseUntil time.Time, limit int) ([]Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int64
	for id, j := range m.jobs {
		if !j.due.After(now) && !j.lease.After(now) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, k int) bool { return ids[i] < ids[k] })
	var out []Job
	for _, id := range ids[:min(limit, len(ids))] {
		d := m.docs[id]
		d.Attempts++
		d.State = StateSending
		m.jobs[id].lease = leaseUntil
		out = append(out, Job{DocumentID: id, IssuerRFC: d.IssuerRFC, CustomID: d.CustomID, SealedXML: d.SealedXML, Fecha: d.Fecha, Attempts: d.Attempts,
			Account: d.Account, Unsettled: d.Unsettled})
	}
	return out, nil
}

func (m *memStore) NextDue(context.Context) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var t time.Time
	ok := false
	for _, j := range m.jobs {
		due := j.due
		if j.lease.After(due) {
			due = j.lease
		}
		if !ok || due.Before(t) {
			t, ok = due, true
		}
	}
	return t, ok, nil
}

func (m *memStore) ReleaseLeases(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, j := range m.jobs {
		j.lease = time.Time{}
	}
	return nil
}

func (m *memStore) SendingTo(_ context.Context, id int64, account string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[id].Account, m.docs[id].Unsettled = account, true
	m.sends = append(m.sends, account)
	return nil
}

// settle records an answer of o.Account, as data/sqlite does.
func (m *memStore) settle(id int64, o Outcome) {
	if d := m.docs[id]; o.Account != "" && o.Account == d.Account {
		d.Unsettled = !o.Settled()
	}
}

func (m *memStore) end(id int64, s State, o Outcome, hint string) {
	d := m.docs[id]
	delete(m.jobs, id)
	d.State, d.ErrorCode, d.ErrorMessage, d.ErrorHint = s, o.Code, o.Message, hint
	m.settle(id, o)
}

func (m *memStore) MarkStamped(_ context.Context, id int64, xml []byte, uuid string, o Outcome, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.end(id, StateStamped, o, "")
	m.docs[id].StampedXML, m.docs[id].UUID = xml, uuid
	return nil
}

func (m *memStore) Retry(_ context.Context, id int64, next time.Time, o Outcome, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j := m.jobs[id]; j != nil {
		j.due, j.lease = next, time.Time{}
		m.docs[id].State, m.docs[id].ErrorCode, m.docs[id].ErrorMessage = StateQueued, o.Code, o.Message
		m.settle(id, o)
	}
	return nil
}

func (m *memStore) Reject(_ context.Context, id int64, o Outcome, hint string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.end(id, StateRejected, o, hint)
	return nil
}

func (m *memStore) Expire(_ context.Context, id int64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.end(id, StateExpired, Outcome{Code: "401"}, "")
	return nil
}

func (m *memStore) Replace(_ context.Context, id int64, sealed []byte, fecha, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.docs[id]
	d.SealedXML, d.Fecha, d.State = sealed, fecha, StateQueued
	m.jobs[id] = &memJob{}
	return nil
}

func (m *memStore) Document(_ context.Context, id int64) (Document, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.docs[id]
	if !ok {
		return Document{}, domain.E(domain.NotFound, "memStore", "no existe", nil)
	}
	return *d, nil
}

func (m *memStore) Documents(context.Context, string, ...State) ([]Document, error) { return nil, nil }

// fakePAC answers from a script per customid and records every call.
type fakePAC struct {
	mu       sync.Mutex
	script   map[string][]Reply // replies in order, then stamps
	calls    map[string][][]byte
	inflight map[string]int
	cur, max int
	overlap  bool
	delay    time.Duration
}

func newFakePAC(delay time.Duration) *fakePAC {
	return &fakePAC{script: map[string][]Reply{}, calls: map[string][][]byte{}, inflight: map[string]int{}, delay: delay}
}

func (p *fakePAC) Stamp(ctx context.Context, customID string, sealed []byte) (Reply, error) {
	p.mu.Lock()
	p.calls[customID] = append(p.calls[customID], append([]byte(nil), sealed...))
	p.inflight[customID]++
	if p.inflight[customID] > 1 {
		p.overlap = true
	}
	p.cur++
	p.max = max(p.max, p.cur)
	var r Reply
	if s := p.script[customID]; len(s) > 0 {
		r, p.script[customID] = s[0], s[1:]
	} else {
		r = Reply{Class: Stamped, StampedXML: append([]byte("stamped:"), sealed...), UUID: "UUID-" + customID}
	}
	p.mu.Unlock()
	select {
	case <-time.After(p.delay):
	case <-ctx.Done():
	}
	p.mu.Lock()
	p.inflight[customID]--
	p.cur--
	p.mu.Unlock()
	if r.Class.HasStamp() {
		return r, nil
	}
	return r, fmt.Errorf("%v", r.Class)
}

func fastOptions(conc int) Options {
	return Options{Concurrency: conc, Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}, Timeout: time.Second,
		Poll: 20 * time.Millisecond, OutOfStampsDelay: 5 * time.Millisecond, CredentialsDelay: 5 * time.Millisecond}
}

func postN(t *testing.T, w *Worker, n int, fecha time.Time) []int64 {
	t.Helper()
	var ids []int64
	for i := 1; i <= n; i++ {
		id, err := w.Post(context.Background(), NewDocument{IssuerRFC: "EKU9003173C9", Serie: "A", Folio: fmt.Sprint(i),
			Fecha: fecha, CustomID: fmt.Sprintf("A-%d", i), SealedXML: []byte(fmt.Sprintf("<sealed %d/>", i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func drain(t *testing.T, w *Worker) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestWorkerConcurrencyAndSingleFlight(t *testing.T) {
	t.Parallel()
	store, p := newMemStore(), newFakePAC(15*time.Millisecond)
	w := NewWorker(store, OnePAC{Key: "fake", Name: "PAC de prueba", PAC: p}, nil, fastOptions(3))
	ids := postN(t, w, 12, time.Now())
	// Every document fails twice with an unknown outcome before it is stamped.
	for i := 1; i <= 12; i++ {
		p.script[fmt.Sprintf("A-%d", i)] = []Reply{{Class: Retryable, Unknown: true}, {Class: Retryable, Unknown: true}}
	}
	drain(t, w)
	if p.max != 3 {
		t.Errorf("max in flight = %d, want 3", p.max)
	}
	if p.overlap {
		t.Error("two sends of the same document were in flight at once")
	}
	for i, id := range ids {
		d, _ := store.Document(context.Background(), id)
		calls := p.calls[d.CustomID]
		if d.State != StateStamped || d.Attempts != 3 || len(calls) != 3 {
			t.Errorf("doc %d: %s after %d attempts (%d calls), want stamped after 3", i+1, d.State, d.Attempts, len(calls))
		}
		for _, c := range calls {
			if !bytes.Equal(c, d.SealedXML) {
				t.Errorf("doc %d: a retry sent different bytes", i+1)
			}
		}
	}
}

func TestWorkerEndStates(t *testing.T) {
	t.Parallel()
	store, p := newMemStore(), newFakePAC(0)
	var mu sync.Mutex
	changes := map[int64][]State{}
	opts := fastOptions(2)
	opts.OnChange = func(id int64, s State) { mu.Lock(); changes[id] = append(changes[id], s); mu.Unlock() }
	w := NewWorker(store, OnePAC{Key: "fake", Name: "PAC de prueba", PAC: p}, nil, opts)
	now := time.Now()
	ids := postN(t, w, 6, now)
	p.script["A-1"] = []Reply{{Class: NeedsUser, Code: "CFDI40102", Message: "sello", Hint: "Vuelva a sellar"}}
	p.script["A-2"] = []Reply{{Class: NeedsUser, Code: "401", Message: "72 horas"}}
	p.script["A-3"] = []Reply{{Class: OutOfStamps}, {Class: OutOfStamps}, {Class: AlreadyStamped, StampedXML: []byte("x"), UUID: "U3"}}
	p.script["A-4"] = []Reply{{Class: BadCredentials}, {Class: DuplicateCustomID, StampedXML: []byte("y"), UUID: "U4"}}
	p.script["A-5"] = []Reply{{Class: Stamped}, {Class: Stamped, StampedXML: []byte("z"), UUID: "U5"}} // a stamp without XML is retried
	// A-6 was dated 73 hours ago: it must never be sent.
	store.docs[ids[5]].Fecha = now.Add(-73 * time.Hour)
	drain(t, w)
	want := []struct {
		state State
		code  string
	}{{StateRejected, "CFDI40102"}, {StateExpired, "401"}, {StateStamped, ""}, {StateStamped, ""}, {StateStamped, ""}, {StateExpired, "401"}}
	for i, id := range ids {
		d, _ := store.Document(context.Background(), id)
		if d.State != want[i].state || d.ErrorCode != want[i].code {
			t.Errorf("A-%d: %s %q, want %s %q", i+1, d.State, d.ErrorCode, want[i].state, want[i].code)
		}
	}
	if d, _ := store.Document(context.Background(), ids[0]); d.ErrorHint != "Vuelva a sellar" || d.State.Label() != "Rechazada" {
		t.Errorf("rejected: hint %q label %q", d.ErrorHint, d.State.Label())
	}
	if len(p.calls["A-6"]) != 0 {
		t.Error("an expired document was sent")
	}
	mu.Lock()
	if got := changes[ids[0]]; len(got) != 2 || got[0] != StateSending || got[1] != StateRejected {
		t.Errorf("changes of A-1 = %v", got)
	}
	mu.Unlock()

	// Redate: only after the window passed; the callback re-seals.
	if err := w.Redate(context.Background(), ids[2], nil); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Redate of a stamped document = %v, want conflict", err)
	}
	var gotFecha time.Time
	err := w.Redate(context.Background(), ids[5], func(_ context.Context, b []byte, f time.Time) ([]byte, error) {
		gotFecha = f
		return append([]byte("redated "), b...), nil
	})
	if err != nil || time.Since(gotFecha) > time.Minute {
		t.Fatalf("Redate = %v, fecha %v", err, gotFecha)
	}
	// Resubmit: only for rejected documents.
	if err := w.Resubmit(context.Background(), ids[1], []byte("x"), now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Resubmit of an expired document = %v, want conflict", err)
	}
	if err := w.Resubmit(context.Background(), ids[0], []byte("<fixed/>"), now); err != nil {
		t.Fatal(err)
	}
	drain(t, w)
	for _, i := range []int{0, 5} {
		d, _ := store.Document(context.Background(), ids[i])
		calls := p.calls[d.CustomID]
		if d.State != StateStamped || !bytes.Equal(calls[len(calls)-1], d.SealedXML) {
			t.Errorf("A-%d after re-seal: %s", i+1, d.State)
		}
	}
}

func TestWorkerOffline(t *testing.T) {
	t.Parallel()
	store, p := newMemStore(), newFakePAC(0)
	w := NewWorker(store, OnePAC{Key: "fake", Name: "PAC de prueba", PAC: p}, nil, fastOptions(4))
	postN(t, w, 3, time.Now())
	off := Reply{Class: Retryable, Unknown: true, Offline: true}
	p.script["A-1"] = []Reply{off, off, off}
	p.script["A-2"] = []Reply{off, off, off}
	p.script["A-3"] = []Reply{off, off, off}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	sawOffline := false
	for time.Now().Before(deadline) {
		p.mu.Lock()
		cur := p.cur
		p.mu.Unlock()
		st := w.Status()
		if !st.Online {
			sawOffline = true
			if cur > 1 {
				t.Errorf("%d sends in flight while offline, want 1 probe", cur)
			}
		}
		if sawOffline && st.Online {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if !sawOffline || !w.Status().Online {
		t.Errorf("offline seen %v, online at end %v", sawOffline, w.Status().Online)
	}
}
