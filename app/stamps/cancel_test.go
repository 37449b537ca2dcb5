package stamps

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeCanceller answers Request with request and Refresh with the next of
// refreshes (the last one repeats), recording the calls.
type fakeCanceller struct {
	mu        sync.Mutex
	request   stamping.Cancellation
	requestEr error
	refreshes []stamping.Cancellation
	requests  []string // "motivo|folio"
	refreshed int
}

func (c *fakeCanceller) Request(_ context.Context, id int64, motivo, folio string) (stamping.Cancellation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, motivo+"|"+folio)
	return c.request, c.requestEr
}

func (c *fakeCanceller) Refresh(context.Context, int64) (stamping.Cancellation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.refreshes[min(c.refreshed, len(c.refreshes)-1)]
	c.refreshed++
	return r, nil
}

func (c *fakeCanceller) calls() ([]string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...), c.refreshed
}

const docUUID = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"

func newCancelDialog(t *testing.T, c Canceller, doc DocumentRef) (*CancelDialog, *uitest.Queue) {
	t.Helper()
	_, q := uitest.NewApp(t)
	win := test.NewWindow(nil)
	win.Resize(fyne.NewSize(800, 600))
	d := NewCancelDialog(win, c, doc)
	d.PollEvery = 5 * time.Millisecond
	d.Show()
	t.Cleanup(func() {
		d.Close()
		waitIdle(t, "cancel dialog", &d.background)
		win.Close()
	})
	return d, q
}

func TestCancelDialogValidation(t *testing.T) {
	fc := &fakeCanceller{request: stamping.Cancellation{Receipt: stamping.CancelReceipt{EstatusUUID: "202"}}}
	d, q := newCancelDialog(t, fc, DocumentRef{ID: 7, Name: "A-7", UUID: docUUID})

	// Given no motivo, nothing is sent.
	d.Submit()
	if !strings.Contains(d.Message(), "Elija el motivo") {
		t.Errorf("message = %q", d.Message())
	}
	// Motivo 01 needs the substitute's UUID, in UUID shape, and not this one.
	d.motivo.SetSelectedIndex(0)
	if d.substitute.Disabled() {
		t.Fatal("substitute disabled for motivo 01")
	}
	for _, tt := range []struct{ text, want string }{
		{"", "requiere el folio fiscal (UUID)"},
		{"12345", "debe tener la forma"},
		{"5FB2822E-396D-4725-8521-CDC4BDD20CCG", "debe tener la forma"},
		{strings.ToLower(docUUID), "debe ser otro"},
	} {
		d.substitute.SetText(tt.text)
		d.Submit()
		if !strings.Contains(d.Message(), tt.want) {
			t.Errorf("substitute %q: message %q, want %q", tt.text, d.Message(), tt.want)
		}
	}
	if reqs, _ := fc.calls(); len(reqs) != 0 {
		t.Fatalf("requests sent with invalid input: %v", reqs)
	}
	// Other motivos take no substitute.
	d.motivo.SetSelectedIndex(2)
	if !d.substitute.Disabled() || d.substitute.Text != "" {
		t.Errorf("substitute for motivo 03: disabled %v, text %q", d.substitute.Disabled(), d.substitute.Text)
	}
	// A valid 01 is sent with the substitute in upper case.
	d.motivo.SetSelectedIndex(0)
	test.Type(d.substitute, "0a1b2c3d-0000-4000-8000-00000000abcd")
	d.Submit()
	q.RunUntil(t, "request answered", func() bool { return d.State() == "Cancelada" })
	if reqs, _ := fc.calls(); len(reqs) != 1 || reqs[0] != "01|0A1B2C3D-0000-4000-8000-00000000ABCD" {
		t.Errorf("requests = %v", reqs)
	}
}

func TestCancelDialogFollowsUntilFinal(t *testing.T) {
	inProcess := stamping.Cancellation{Receipt: stamping.CancelReceipt{EstatusUUID: "201"},
		Status: stamping.SATStatus{Estado: "Vigente", EstatusCancelacion: "En proceso"}}
	rejected := inProcess
	rejected.Status.EstatusCancelacion = "Solicitud rechazada"
	fc := &fakeCanceller{request: stamping.Cancellation{Receipt: stamping.CancelReceipt{EstatusUUID: "201"}},
		refreshes: []stamping.Cancellation{inProcess, inProcess, rejected}}
	d, q := newCancelDialog(t, fc, DocumentRef{ID: 7, Name: "A-7", UUID: docUUID})
	var finished []stamping.Cancellation
	d.OnFinished = func(c stamping.Cancellation) { finished = append(finished, c) }

	d.motivo.SetSelectedIndex(1)
	d.Submit()
	q.RunUntil(t, "in process", func() bool { return d.State() == "Cancelación en proceso" })
	q.RunUntil(t, "final answer", func() bool { return d.State() == "Cancelación rechazada" })
	if _, n := fc.calls(); n != 3 || len(finished) != 1 || !strings.Contains(d.detail.Text, "sigue vigente") {
		t.Errorf("refreshes %d, finished %d, detail %q", n, len(finished), d.detail.Text)
	}
	// Once final, it stops asking.
	q.Drain(50 * time.Millisecond)
	if _, n := fc.calls(); n != 3 {
		t.Errorf("refreshes after the final answer: %d", n)
	}

	// A refused request is shown and the form can be used again.
	fc2 := &fakeCanceller{requestEr: domain.E(domain.Rejected, "pac.Cancel", "El comprobante no es cancelable (p. ej. tiene documentos relacionados vigentes).", nil)}
	d2, q2 := newCancelDialog(t, fc2, DocumentRef{ID: 8, Name: "A-8", UUID: docUUID})
	d2.motivo.SetSelectedIndex(1)
	d2.Submit()
	q2.RunUntil(t, "refusal shown", func() bool { return strings.Contains(d2.Message(), "no es cancelable") })
	if d2.submit.Disabled() || d2.motivo.Disabled() || d2.State() != "" {
		t.Errorf("after refusal: submit disabled %v, motivo disabled %v, state %q", d2.submit.Disabled(), d2.motivo.Disabled(), d2.State())
	}
}

func TestCancelDialogAgainstLocalPAC(t *testing.T) {
	// Given a document stamped by the local PAC through the real client and
	// store, with a Total (116.00) that needs no acceptance by the receiver…
	local, err := sim.Start(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	client, err := pac.NewClient(pac.Config{ServicesURL: local.URL(), APIURL: local.URL(), SATStatusURL: local.StatusURL(),
		Token: sim.DemoUser.Token, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	queue := sqlite.NewStampStore(sqlite.MustOpenTest(t))
	ctx := context.Background()
	nd, err := stamping.Describe(simtest.Sealed(t, "A", "1", time.Now().Add(-time.Minute)), "folio-test-A-1")
	if err != nil {
		t.Fatal(err)
	}
	account := stamping.OnePAC{Key: "local", PAC: client, Canceller: client}
	w := stamping.NewWorker(queue, account, nil, stamping.Options{})
	id, err := w.Post(ctx, nd)
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	doc, err := queue.Document(ctx, id)
	if err != nil || doc.State != stamping.StateStamped {
		t.Fatalf("document %+v, %v; want stamped", doc.State, err)
	}

	// …cancelling it with motivo 02 from the dialog reaches "Cancelada".
	cs := &stamping.Cancellations{Documents: queue, Store: queue, PACs: account}
	d, q := newCancelDialog(t, cs, DocumentRef{ID: id, Name: "A-1", UUID: doc.UUID})
	d.motivo.SetSelectedIndex(1)
	d.Submit()
	q.RunUntil(t, "cancelled", func() bool { return d.State() == "Cancelada" })
	if d.Message() != "" {
		t.Errorf("message = %q", d.Message())
	}
	c, err := queue.LastCancellation(ctx, id)
	if err != nil || c.Request.Motivo != "02" || c.Status.Estado != "Cancelado" || c.Receipt.EstatusUUID != "201" || len(c.Receipt.Acuse) == 0 {
		t.Errorf("stored cancellation %+v, %v", c, err)
	}
	if estado, estatus := local.CancelStatus(doc.UUID); estado != "Cancelado" || estatus != sim.SinAceptacion {
		t.Errorf("SAT side: %s / %s", estado, estatus)
	}
}
