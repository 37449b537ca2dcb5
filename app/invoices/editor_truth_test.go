package invoices

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain/sales"
)

// TestEditorErrorsNameTheirCause: letters in a price are reported as a
// price that is not a number, next to the price, and compute nothing (no
// old amount, no CFDI rule blamed); fixing the price clears the message
// (issue "A window that tells the truth and fits the screen").
func TestEditorErrorsNameTheirCause(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "2", "TOR-01", false)
	r := ed.lines[0]
	if r.importe.Text != "$23.00" {
		t.Fatalf("line importe = %q, want $23.00", r.importe.Text)
	}

	r.price.SetText("12x")
	want := "El precio no es un número: escríbalo con dígitos y punto decimal, p. ej. 1250.50."
	if !r.errLabel.Visible() || r.errLabel.Text != want {
		t.Errorf("price error = %q (visible %v), want %q", r.errLabel.Text, r.errLabel.Visible(), want)
	}
	if strings.Contains(ed.status.Text, "CFDI40") || strings.Contains(ed.problems.Text, "CFDI40") {
		t.Errorf("a SAT rule is blamed: status %q problems %q", ed.status.Text, ed.problems.Text)
	}
	if r.importe.Text == "$23.00" || ed.totals.total.Text != "—" {
		t.Errorf("amounts computed from the old price: line %q total %q", r.importe.Text, ed.totals.total.Text)
	}

	r.price.SetText("12.00")
	if r.errLabel.Visible() || ed.problems.Visible() {
		t.Errorf("fixed price still reported: %q / %q", r.errLabel.Text, ed.problems.Text)
	}
	if r.importe.Text != "$24.00" {
		t.Errorf("line importe = %q, want $24.00", r.importe.Text)
	}
}

// TestEditorEmptyInvoiceSaysWhatIsMissing: saving or emitting a new,
// empty invoice says what it lacks next to each field, logs nothing as
// unexpected, and leaves nothing in the database; each message goes away
// once its field is filled.
func TestEditorEmptyInvoiceSaysWhatIsMissing(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	c.Focus(ed.customerSearch)
	generic := "Ocurrió un error inesperado"

	shortcut(t, c, ShortcutSave)
	f.q.RunUntil(t, "save refused", func() bool { return !ed.busy })
	if l := ed.errs["CustomerID"]; !l.Visible() || l.Text != "Elija el cliente antes de guardar el borrador." {
		t.Errorf("save: customer message = %q (visible %v)", l.Text, l.Visible())
	}
	shortcut(t, c, ShortcutPost)
	f.q.RunUntil(t, "post refused", func() bool { return !ed.busy })
	for field, msg := range map[string]string{"CustomerID": "Elija el cliente.", "Lines": "Agregue al menos un concepto."} {
		if l := ed.errs[field]; !l.Visible() || l.Text != msg {
			t.Errorf("post: %s message = %q (visible %v), want %q", field, l.Text, l.Visible(), msg)
		}
	}
	if strings.Contains(ed.problems.Text, generic) || strings.Contains(ed.status.Text, generic) || ed.confirmPost != nil {
		t.Errorf("problems %q status %q confirm asked %v", ed.problems.Text, ed.status.Text, ed.confirmPost != nil)
	}
	rows, err := f.store.FindInvoices(context.Background(), sales.InvoiceFilter{Issuer: f.co.RFC, Limit: 10})
	if err != nil || len(rows) != 0 || ed.inv.ID != 0 {
		t.Errorf("stored %d invoices (%v), editor id %d; want none", len(rows), err, ed.inv.ID)
	}

	// Choosing the customer clears its message at once; the concepts'
	// stays until a concept is added.
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	if l := ed.errs["CustomerID"]; l.Visible() {
		t.Errorf("customer message still shown: %q", l.Text)
	}
	if l := ed.errs["Lines"]; !l.Visible() {
		t.Error("concepts message gone before a concept was added")
	}
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "1", "TOR-01", false)
	if l := ed.errs["Lines"]; l.Visible() {
		t.Errorf("concepts message still shown: %q", l.Text)
	}
}

// TestEditorShowsNoExampleAsData: a new invoice shows no example inside an
// entry (it looks like data) and no Select says Fyne's "(Select one)".
func TestEditorShowsNoExampleAsData(t *testing.T) {
	f := newEditorFixture(t)
	ed, _ := f.open(t)
	r := ed.lines[0]
	for name, e := range map[string]*entry{"cantidad": r.qty, "precio": r.price, "condiciones": ed.condiciones, "año": ed.anio} {
		for _, ex := range []string{"2026", "1", "0.00", "p. ej. 30 días"} {
			if e.PlaceHolder == ex {
				t.Errorf("%s shows the example %q as a placeholder", name, ex)
			}
		}
	}
	for name, s := range map[string]string{"serie": ed.serie.PlaceHolder, "IVA": r.iva.PlaceHolder, "moneda": ed.moneda.PlaceHolder,
		"periodicidad": ed.periodicidad.PlaceHolder} {
		if s == "" || s == "(Select one)" {
			t.Errorf("%s placeholder = %q", name, s)
		}
	}
}

// failingSaves is the service with a store that fails unexpectedly.
type failingSaves struct{ InvoiceService }

func (failingSaves) SaveDraft(context.Context, *sales.Invoice) (sales.Totals, error) {
	return sales.Totals{}, fmt.Errorf("save draft: %w", errors.New("disk I/O error"))
}

// TestEditorLogsUnexpectedErrors: an error that is not the user's to fix
// shows the generic message, which sends to the log, and the log has it
// with its cause.
func TestEditorLogsUnexpectedErrors(t *testing.T) {
	f := newEditorFixture(t)
	f.deps.Invoices = failingSaves{f.deps.Invoices}
	var log bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	shortcut(t, c, ShortcutSave)
	f.q.RunUntil(t, "save failed", func() bool { return !ed.busy && ed.status.Text != "" })
	if !strings.Contains(ed.status.Text, "revise el registro") {
		t.Errorf("status = %q, want the generic message", ed.status.Text)
	}
	if got := log.String(); !strings.Contains(got, "level=ERROR") || !strings.Contains(got, "disk I/O error") || !strings.Contains(got, "save draft") {
		t.Errorf("log = %q, want the error with its cause", got)
	}
}

// TestEditorKeepsTheMissingSeriesProblem: "no series" stays under Serie
// while the user types elsewhere; it is not a problem a keystroke fixes.
func TestEditorKeepsTheMissingSeriesProblem(t *testing.T) {
	f := newEditorFixture(t)
	co := *f.co
	co.RFC = "XIQB891116QE4" // an issuer without series
	ed := NewInvoiceEditor(f.deps, &co, nil)
	w := test.NewWindow(ed)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 800))
	ed.Reload()
	l := ed.errs["Serie"]
	f.q.RunUntil(t, "no series reported", func() bool { return l.Visible() })
	ed.lines[0].qty.SetText("2")
	if !l.Visible() || !strings.Contains(l.Text, "No hay series") {
		t.Errorf("after typing: serie message %q (visible %v)", l.Text, l.Visible())
	}
}

// TestEditorPostConfirmation: Ctrl+E asks before spending a folio and a
// stamp, naming the proposed serie-folio, the customer and the total;
// Escape goes back without posting anything.
func TestEditorPostConfirmation(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "2", "TOR-01", false)
	shortcut(t, c, ShortcutPost)
	f.q.RunUntil(t, "confirmation shown", func() bool { return ed.confirmPost != nil })
	text := ed.confirmPost.text.Text
	for _, want := range []string{"A-1", "UNIVERSIDAD ROBOTICA ESPAÑOLA", "URE180429TM6", "$26.68 MXN", "timbre"} {
		if !strings.Contains(text, want) {
			t.Errorf("confirmation %q lacks %q", text, want)
		}
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if ed.busy || ed.locked || ed.inv.ID != 0 || f.signs.Load() != 0 {
		t.Errorf("after Escape: busy %v locked %v id %d CSD asked %d times", ed.busy, ed.locked, ed.inv.ID, f.signs.Load())
	}
}
