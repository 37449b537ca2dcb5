package stamps

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/uitest"
)

const issuer = "EKU9003173C9"

// now is the fixed clock of the screen tests (12:00 in Mexico City).
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, domain.MexicoCity)

func clock() time.Time { return now }

// fakeStore keeps the queue and ledger in memory and records the calls.
type fakeStore struct {
	mu        sync.Mutex
	docs      []stamping.Document
	moves     []stamping.Movement
	balance   stamping.Balance
	hasBal    bool
	threshold int64
	waiting   int
	retried   []int64
	ranges    [][2]time.Time
}

func (s *fakeStore) Document(_ context.Context, id int64) (stamping.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.ID == id {
			return d, nil
		}
	}
	return stamping.Document{}, domain.E(domain.NotFound, "fake", "No se encontró el documento.", nil)
}

func (s *fakeStore) Documents(_ context.Context, rfc string, states ...stamping.State) ([]stamping.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stamping.Document
	for _, d := range s.docs {
		if d.IssuerRFC == rfc && slices.Contains(states, d.State) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *fakeStore) QueueCounts(context.Context) (int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting, 0, nil
}

func (s *fakeStore) MovementsBetween(_ context.Context, rfc string, from, to time.Time, limit int) ([]stamping.Movement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ranges = append(s.ranges, [2]time.Time{from, to})
	var out []stamping.Movement
	for _, m := range s.moves {
		if m.IssuerRFC == rfc && !m.At.Before(from) && m.At.Before(to) && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *fakeStore) LastBalance(_ context.Context, rfc string) (stamping.Balance, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance, s.hasBal, nil
}

func (s *fakeStore) LowThreshold(context.Context, string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.threshold, nil
}

func (s *fakeStore) SetLowThreshold(_ context.Context, _ string, n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.threshold = n
	return nil
}

func (s *fakeStore) RetryNow(_ context.Context, id int64, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retried = append(s.retried, id)
	return nil
}

func (s *fakeStore) calls() (retried []int64, ranges [][2]time.Time, threshold int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.retried), slices.Clone(s.ranges), s.threshold
}

// fakeWorker records what the screen asks of the worker.
type fakeWorker struct {
	mu         sync.Mutex
	status     stamping.Status
	kicks      int
	resubmits  map[int64][]byte
	redated    []int64
	resealedOK bool
}

func (w *fakeWorker) Status() stamping.Status { w.mu.Lock(); defer w.mu.Unlock(); return w.status }
func (w *fakeWorker) Kick()                   { w.mu.Lock(); w.kicks++; w.mu.Unlock() }

func (w *fakeWorker) Resubmit(_ context.Context, id int64, sealed []byte, _ time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.resubmits == nil {
		w.resubmits = map[int64][]byte{}
	}
	w.resubmits[id] = sealed
	return nil
}

func (w *fakeWorker) Redate(ctx context.Context, id int64, reseal stamping.Reseal) error {
	out, err := reseal(ctx, []byte("<sealed/>"), now)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.redated = append(w.redated, id)
	w.resealedOK = err == nil && string(out) == "<resealed/>"
	return nil
}

func (w *fakeWorker) snapshot() (kicks int, resubmits map[int64][]byte, redated []int64, resealed bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.kicks, w.resubmits, slices.Clone(w.redated), w.resealedOK
}

// fakeLedger answers Balance with a fixed live balance.
type fakeLedger struct {
	store *fakeStore
	live  stamping.Balance
}

func (l *fakeLedger) Balance(context.Context, string) (stamping.Balance, error) {
	b := l.live
	b.Live = true
	return b, nil
}

func (l *fakeLedger) Low(ctx context.Context, b stamping.Balance) (bool, error) {
	n, _ := l.store.LowThreshold(ctx, b.IssuerRFC)
	return !b.Unlimited && b.Stamps <= n, nil
}

// queueFixture is one document of each kind the queue shows.
func queueFixture() *fakeStore {
	doc := func(id int64, folio string, state stamping.State, age time.Duration) stamping.Document {
		return stamping.Document{ID: id, IssuerRFC: issuer, Serie: "A", Folio: folio, State: state,
			Fecha: now.Add(-age), SealedXML: []byte("<sealed id=\"" + folio + "\"/>"), Attempts: 1}
	}
	fresh := doc(1, "1", stamping.StateQueued, time.Hour)
	failed := doc(2, "2", stamping.StateQueued, 2*time.Hour)
	failed.ErrorMessage, failed.Attempts, failed.NextAttemptAt = "Tiempo de espera agotado", 3, now.Add(time.Minute)
	rejected := doc(3, "3", stamping.StateRejected, time.Hour)
	rejected.ErrorCode, rejected.ErrorMessage = "CFDI40102", "El resultado de la digestión debe ser igual al resultado de la desencripción del sello."
	rejected.ErrorHint = "Vuelva a sellar el comprobante con el CSD vigente."
	late := doc(4, "4", stamping.StateQueued, 80*time.Hour)
	gone := doc(5, "5", stamping.StateExpired, 100*time.Hour)
	gone.ErrorCode, gone.ErrorMessage = "401", "Pasaron más de 72 horas desde la fecha del comprobante."
	other := doc(6, "6", stamping.StateQueued, time.Hour)
	other.IssuerRFC = "CACX7605101P8"
	return &fakeStore{docs: []stamping.Document{fresh, failed, rejected, late, gone, other}, threshold: 20}
}

func newScreen(t *testing.T, store *fakeStore) (*StampsScreen, *fakeWorker, *uitest.Queue, fyne.Window) {
	t.Helper()
	_, q := uitest.NewApp(t)
	w := &fakeWorker{status: stamping.Status{Online: true}}
	s := NewStampsScreen(Deps{Store: store, Worker: w, Ledger: &fakeLedger{store: store}, Now: clock, Poll: 10 * time.Millisecond,
		Reseal: func(context.Context, []byte, time.Time) ([]byte, error) { return []byte("<resealed/>"), nil }}, issuer)
	win := test.NewWindow(s)
	win.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(func() {
		s.Close()
		waitIdle(t, "screen", &s.background)
		win.Close()
	})
	return s, w, q, win
}

// waitIdle waits until the goroutines counted by n have returned, so none
// calls fyne.Do after the test app is gone.
func waitIdle(t *testing.T, what string, n *atomic.Int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for n.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("background work of the %s still running after 20 s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func folios(rows []queueRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.folio)
	}
	return out
}

func TestQueueViews(t *testing.T) {
	s, _, q, _ := newScreen(t, queueFixture())
	tests := []struct {
		f    filter
		want []string
	}{
		{filterQueued, []string{"A-1", "A-2"}},
		{filterFailed, []string{"A-2"}},
		{filterRejected, []string{"A-3"}},
		{filterExpired, []string{"A-4", "A-5"}}, // A-4 is still queued but past 72 h
	}
	for _, tt := range tests {
		v, err := s.loadQueue(context.Background(), tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := folios(v.rows); !slices.Equal(got, tt.want) {
			t.Errorf("view %d = %v, want %v", tt.f, got, tt.want)
		}
		if v.counts != [filterCount]int{2, 1, 1, 2, 0} {
			t.Errorf("counts = %v", v.counts)
		}
	}
	// The columns are formatted for the table.
	v, _ := s.loadQueue(context.Background(), filterFailed)
	if r := v.rows[0]; r.fecha != "2026-11-25 10:00" || r.intentos != "3" || r.lastError != "Tiempo de espera agotado" ||
		r.estado != "En cola: reintento a las 12:01:00" {
		t.Errorf("row = %+v", r)
	}

	// Choosing a view in the filter shows its documents.
	s.Reload()
	q.RunUntil(t, "queued view", func() bool { return slices.Equal(folios(s.rows), []string{"A-1", "A-2"}) })
	if !strings.Contains(s.status.Text, "Rechazadas: 1") {
		t.Errorf("status = %q", s.status.Text)
	}
	s.filter.SetSelected("Rechazadas")
	q.RunUntil(t, "rejected view", func() bool { return slices.Equal(folios(s.rows), []string{"A-3"}) })
	s.filter.SetSelected("Vencidas (72 h)")
	q.RunUntil(t, "expired view", func() bool { return slices.Equal(folios(s.rows), []string{"A-4", "A-5"}) })
	if s.rows[0].estado != "Vencida: requiere nueva fecha" {
		t.Errorf("estado = %q", s.rows[0].estado)
	}
}

func TestRetryOpenAndActions(t *testing.T) {
	store := queueFixture()
	s, w, q, _ := newScreen(t, store)
	var opened []int64
	s.OnOpen = func(id int64) { opened = append(opened, id) }
	s.Reload()
	q.RunUntil(t, "queue", func() bool { return len(s.rows) == 2 })

	// Without a selection no action applies.
	for _, b := range []*widget.Button{s.retry, s.showError, s.open, s.redate} {
		if !b.Disabled() {
			t.Errorf("%q enabled without a selection", b.Text)
		}
	}
	// Given a failed queued document, Reintentar makes it due and wakes the worker.
	s.table.Select(widget.TableCellID{Row: 1})
	if s.current().ID != 2 || s.retry.Disabled() || s.showError.Disabled() || !s.redate.Disabled() {
		t.Fatalf("selected %d; retry disabled %v, error disabled %v, redate disabled %v",
			s.current().ID, s.retry.Disabled(), s.showError.Disabled(), s.redate.Disabled())
	}
	test.Tap(s.retry)
	q.RunUntil(t, "retry", func() bool { r, _, _ := store.calls(); k, _, _, _ := w.snapshot(); return len(r) == 1 && k == 1 })
	if r, _, _ := store.calls(); r[0] != 2 {
		t.Errorf("RetryNow(%d), want document 2", r[0])
	}
	test.Tap(s.open)
	if !slices.Equal(opened, []int64{2}) {
		t.Errorf("opened %v", opened)
	}

	// Given a rejected document, Reintentar resubmits its stored bytes.
	s.filter.SetSelected("Rechazadas")
	q.RunUntil(t, "rejected view", func() bool { return len(s.rows) == 1 && s.rows[0].folio == "A-3" })
	s.table.Select(widget.TableCellID{Row: 0})
	test.Tap(s.retry)
	q.RunUntil(t, "resubmit", func() bool { _, r, _, _ := w.snapshot(); return r[3] != nil })
	if _, r, _, _ := w.snapshot(); string(r[3]) != `<sealed id="3"/>` {
		t.Errorf("resubmitted %q", r[3])
	}
}

// overlayText renders the top dialog of win as markup.
func overlayText(t *testing.T, win fyne.Window) string {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	return test.RenderObjectToMarkup(top)
}

// overlayButton finds a button of the top dialog by its text.
func overlayButton(t *testing.T, win fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q in the dialog", text)
	return nil
}

func TestErrorDialog(t *testing.T) {
	s, _, q, win := newScreen(t, queueFixture())
	s.filter.Selected = "Rechazadas"
	s.Reload()
	q.RunUntil(t, "rejected view", func() bool { return len(s.rows) == 1 })
	s.table.Select(widget.TableCellID{Row: 0})
	test.Tap(s.showError)
	text := overlayText(t, win)
	for _, want := range []string{"Error de timbrado", "Documento A-3", "Código del SAT: CFDI40102",
		"El resultado de la digestión", "Vuelva a sellar el comprobante con el CSD vigente."} {
		if !strings.Contains(text, want) {
			t.Errorf("dialog lacks %q:\n%s", want, text)
		}
	}

	// An expired or still-queued document explains the rule and the next step.
	store := queueFixture()
	for _, tt := range []struct {
		doc              stamping.Document
		code, expl, hint string
	}{
		{store.docs[3], "401", "72 horas siguientes a su fecha (2026-11-22 04:00)", "Volver a fechar y sellar"},
		{store.docs[1], "Sin código", "Tiempo de espera agotado", "reenviará automáticamente"},
		{store.docs[2], "CFDI40102", "digestión", "CSD vigente"},
	} {
		code, expl, hint := errorDetails(&tt.doc, now)
		if code != tt.code || !strings.Contains(expl, tt.expl) || !strings.Contains(hint, tt.hint) {
			t.Errorf("A-%s: errorDetails = %q, %q, %q", tt.doc.Folio, code, expl, hint)
		}
	}
}

func TestRedateAsksFirst(t *testing.T) {
	s, w, q, win := newScreen(t, queueFixture())
	s.filter.Selected = "Vencidas (72 h)"
	s.Reload()
	q.RunUntil(t, "expired view", func() bool { return len(s.rows) == 2 })
	s.table.Select(widget.TableCellID{Row: 1})
	if s.redate.Disabled() || !s.retry.Disabled() {
		t.Fatalf("expired document: redate disabled %v, retry disabled %v", s.redate.Disabled(), s.retry.Disabled())
	}
	// The confirmation explains the 72-hour rule; cancelling does nothing.
	test.Tap(s.redate)
	if text := overlayText(t, win); !strings.Contains(text, "72 horas") || !strings.Contains(text, "A-5") {
		t.Errorf("confirmation:\n%s", text)
	}
	test.Tap(overlayButton(t, win, "Cancelar"))
	q.Drain(50 * time.Millisecond)
	if _, _, r, _ := w.snapshot(); len(r) != 0 {
		t.Fatalf("redated %v without confirmation", r)
	}
	// Confirming re-dates through the Reseal callback.
	test.Tap(s.redate)
	test.Tap(overlayButton(t, win, "Volver a fechar y sellar"))
	q.RunUntil(t, "redated", func() bool { _, _, r, _ := w.snapshot(); return len(r) == 1 })
	if _, _, r, ok := w.snapshot(); r[0] != 5 || !ok {
		t.Errorf("redated %v, reseal used %v", r, ok)
	}
}

func TestBalanceAndThreshold(t *testing.T) {
	store := queueFixture()
	store.balance = stamping.Balance{IssuerRFC: issuer, Stamps: 5, AsOf: now.Add(-time.Hour)}
	store.hasBal = true
	s, _, q, _ := newScreen(t, store)
	s.deps.Ledger.(*fakeLedger).live = stamping.Balance{IssuerRFC: issuer, Stamps: 100, AsOf: now}

	// The last known balance is shown with its date and, below the threshold, a warning.
	s.Reload()
	q.RunUntil(t, "balance", func() bool { return s.balance.Text == "Saldo: 5 timbres" })
	if !strings.Contains(s.asOf.Text, "último saldo conocido, del 2026-11-25 11:00") || !s.lowWarning.Visible() ||
		!strings.Contains(s.lowWarning.Text, "quedan 5 timbres") || s.threshold.Text != "20" {
		t.Errorf("asOf %q, warning %v %q, threshold %q", s.asOf.Text, s.lowWarning.Visible(), s.lowWarning.Text, s.threshold.Text)
	}
	// Actualizar saldo asks the PAC.
	test.Tap(s.refresh)
	q.RunUntil(t, "live balance", func() bool { return s.balance.Text == "Saldo: 100 timbres" })
	if !strings.HasPrefix(s.asOf.Text, "consultado el") || s.lowWarning.Visible() {
		t.Errorf("asOf %q, warning visible %v", s.asOf.Text, s.lowWarning.Visible())
	}
	// A bad threshold is refused; a good one is stored.
	s.threshold.SetText("-3")
	test.Tap(s.saveLow)
	if !strings.Contains(s.asOf.Text, "número entero") {
		t.Errorf("asOf = %q", s.asOf.Text)
	}
	s.threshold.SetText("150")
	test.Tap(s.saveLow)
	q.RunUntil(t, "threshold saved", func() bool { _, _, n := store.calls(); return n == 150 && s.lowWarning.Visible() })
}

func TestMovementPeriods(t *testing.T) {
	mx := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, domain.MexicoCity) }
	tests := []struct {
		name     string
		p        period
		from, to string
		want     [2]time.Time
		wantErr  bool
	}{
		{"today", periodToday, "", "", [2]time.Time{mx(2026, 11, 25), mx(2026, 11, 26)}, false},
		{"week from Monday", periodWeek, "", "", [2]time.Time{mx(2026, 11, 23), mx(2026, 11, 30)}, false},
		{"month", periodMonth, "", "", [2]time.Time{mx(2026, 11, 1), mx(2026, 12, 1)}, false},
		{"custom includes the last day", periodCustom, "2026-10-01", "2026-10-31", [2]time.Time{mx(2026, 10, 1), mx(2026, 11, 1)}, false},
		{"custom bad date", periodCustom, "01/10/2026", "2026-10-31", [2]time.Time{}, true},
		{"custom reversed", periodCustom, "2026-10-31", "2026-10-01", [2]time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, err := periodRange(tt.p, now, tt.from, tt.to)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && (!from.Equal(tt.want[0]) || !to.Equal(tt.want[1])) {
				t.Errorf("range = %v – %v, want %v – %v", from, to, tt.want[0], tt.want[1])
			}
		})
	}

	store := queueFixture()
	store.moves = []stamping.Movement{
		{IssuerRFC: issuer, At: now.Add(-time.Hour), Kind: stamping.MovementStamp, Stamps: -1, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"},
		{IssuerRFC: issuer, At: mx(2026, 10, 15), Kind: stamping.MovementTopUp, Stamps: 100, Comment: "Paquete 100"},
	}
	s, _, q, _ := newScreen(t, store)
	s.Reload()
	q.RunUntil(t, "this month", func() bool { return len(s.movRows) == 1 && s.movStatus.Text == "Movimientos: 1" })
	if r := s.movRows[0]; r.kind != "Timbrado" || r.stamps != "-1" || r.fecha != "2026-11-25 11:00" {
		t.Errorf("row = %+v", r)
	}
	// Especial shows the two dates and loads their range.
	s.period.SetSelected("Especial")
	if !s.custom.Visible() || !strings.Contains(s.movStatus.Text, "dos fechas") {
		t.Fatalf("custom visible %v, status %q", s.custom.Visible(), s.movStatus.Text)
	}
	test.Type(s.from, "2026-10-01")
	test.Type(s.to, "2026-10-31")
	s.reloadMovements()
	q.RunUntil(t, "october", func() bool { return len(s.movRows) == 1 && s.movRows[0].kind == "Compra de timbres" })
	if s.movRows[0].stamps != "+100" {
		t.Errorf("stamps = %q", s.movRows[0].stamps)
	}
}

func TestDrainProgress(t *testing.T) {
	var p drainProgress
	steps := []struct {
		waiting, inFlight int
		active            bool
		done, total       int
	}{
		{0, 0, false, 0, 0},
		{3, 0, true, 0, 3}, // a drain starts with three documents
		{3, 3, true, 0, 3},
		{2, 2, true, 1, 3},
		{4, 2, true, 1, 5}, // two more posted meanwhile
		{1, 1, true, 4, 5},
		{0, 0, false, 0, 0},
	}
	for i, st := range steps {
		if got := p.observe(st.waiting, st.inFlight); got != st.active || p.done != st.done || p.total != st.total {
			t.Errorf("step %d: active %v, %d of %d; want %v, %d of %d", i, got, p.done, p.total, st.active, st.done, st.total)
		}
	}

	// The screen polls the worker and shows the progress while it drains.
	store := queueFixture()
	store.waiting = 3
	s, w, q, _ := newScreen(t, store)
	s.Reload()
	q.RunUntil(t, "drain shown", func() bool { return s.drainText.Visible() && s.drainText.Text == "Enviados al PAC: 0 de 3" })
	store.mu.Lock()
	store.waiting = 1
	store.mu.Unlock()
	q.RunUntil(t, "progress", func() bool { return s.drainText.Text == "Enviados al PAC: 2 de 3" && s.drainBar.Value == 2 })
	w.mu.Lock()
	w.status.Online = false
	w.mu.Unlock()
	q.RunUntil(t, "offline", func() bool { return s.drainText.Text == "Sin conexión con el PAC: 1 en espera" })
	store.mu.Lock()
	store.waiting = 0
	store.mu.Unlock()
	q.RunUntil(t, "drain over", func() bool { return !s.drainText.Visible() && !s.drainBar.Visible() })
}

// fakePACs is a PACStatus with a fixed overview; it counts live asks.
type fakePACs struct {
	mu    sync.Mutex
	o     PACOverview
	lives int
}

func (f *fakePACs) PACAccounts(_ context.Context, _ string, live bool) (PACOverview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if live {
		f.lives++
	}
	return f.o, nil
}

// TestStampsScreenShowsEachPAC (issue 16): the header shows each
// configured PAC with its balance and health and warns while documents go
// to the secondary; the "Timbradas" view names the PAC that stamped each
// document, and a waiting document the PAC it was last sent to.
func TestStampsScreenShowsEachPAC(t *testing.T) {
	store := queueFixture()
	store.docs[1].Account = "sw-key" // failed at the primary
	for i, acct := range []string{"sw-key", "finkok-key", "local"} {
		store.docs = append(store.docs, stamping.Document{ID: int64(10 + i), IssuerRFC: issuer, Serie: "B", Folio: fmt.Sprint(i + 1),
			State: stamping.StateStamped, Fecha: now.Add(-time.Hour), UUID: fmt.Sprintf("uuid-%d", i), Account: acct, Attempts: 1})
	}
	pacs := &fakePACs{o: PACOverview{FailedOver: true, Accounts: []PACAccount{
		{Key: "sw-key", Name: "PAC de pruebas (services.test.sw.com.mx)", DownSince: now.Add(-10 * time.Minute),
			Balance: &stamping.Balance{Stamps: 40}},
		{Key: "finkok-key", Name: "Finkok de pruebas (demo-facturacion.finkok.com)", Secondary: true, BalanceError: "Finkok no entregó el saldo de timbres."},
	}}}
	_, q := uitest.NewApp(t)
	w := &fakeWorker{status: stamping.Status{Online: true}}
	s := NewStampsScreen(Deps{Store: store, Worker: w, Ledger: &fakeLedger{store: store}, PACs: pacs, Now: clock, Poll: 10 * time.Millisecond}, issuer)
	win := test.NewWindow(s)
	win.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(func() {
		s.Close()
		waitIdle(t, "screen", &s.background)
		win.Close()
	})
	s.Reload()
	q.RunUntil(t, "PACs shown", func() bool { return s.pacs.Visible() && s.failover.Visible() })
	lines := strings.Split(s.pacs.Text, "\n")
	wantLines := []string{
		"PAC principal: PAC de pruebas (services.test.sw.com.mx) · 40 timbres · sin respuesta desde el 2026-11-25 11:50",
		"PAC secundario: Finkok de pruebas (demo-facturacion.finkok.com) · Finkok no entregó el saldo de timbres. · responde",
	}
	if !slices.Equal(lines, wantLines) {
		t.Errorf("PAC lines:\n%q\nwant\n%q", lines, wantLines)
	}
	if !strings.Contains(s.failover.Text, "se timbran con el secundario") || s.failover.Importance != widget.WarningImportance {
		t.Errorf("failover warning %q", s.failover.Text)
	}

	q.RunUntil(t, "queue with the PAC named", func() bool {
		return len(s.rows) == 2 && s.rows[1].pac == "PAC de pruebas (services.test.sw.com.mx)"
	})
	if s.rows[0].pac != "" {
		t.Errorf("a document never sent names a PAC: %q", s.rows[0].pac)
	}
	s.filter.SetSelected("Timbradas")
	q.RunUntil(t, "stamped view", func() bool { return len(s.rows) == 3 && s.rows[0].estado == "Timbrada" })
	got := []string{s.rows[0].pac, s.rows[1].pac, s.rows[2].pac}
	want := []string{"PAC de pruebas (services.test.sw.com.mx)", "Finkok de pruebas (demo-facturacion.finkok.com)", "PAC local de demostración"}
	if !slices.Equal(got, want) {
		t.Errorf("PAC column %q, want %q", got, want)
	}

	// "Actualizar saldo" asks the accounts live; back on the primary the
	// warning goes.
	pacs.mu.Lock()
	pacs.o.FailedOver = false
	pacs.o.Accounts[0].DownSince = time.Time{}
	pacs.mu.Unlock()
	test.Tap(s.refresh)
	q.RunUntil(t, "refreshed", func() bool { return !s.failover.Visible() && strings.Contains(s.pacs.Text, "40 timbres · responde") })
	pacs.mu.Lock()
	lives := pacs.lives
	pacs.mu.Unlock()
	if lives != 1 {
		t.Errorf("live asks = %d, want 1 (only Actualizar saldo asks the PACs)", lives)
	}
}
