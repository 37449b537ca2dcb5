package invoices

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// creditEntry is an Entry of the credit-note form that hands the form its
// shortcuts (Ctrl+E issues the note) and keeps Tab for moving on.
type creditEntry struct {
	widget.Entry
	f *CreditForm
}

func (f *CreditForm) newEntry(placeholder string) *creditEntry {
	e := &creditEntry{f: f}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	return e
}

// TypedShortcut issues the note on Ctrl+E and passes the rest (copy,
// paste…) to the Entry.
func (e *creditEntry) TypedShortcut(s fyne.Shortcut) {
	if s.ShortcutName() == ShortcutPost.ShortcutName() {
		e.f.Post()
		return
	}
	e.Entry.TypedShortcut(s)
}

// AcceptsTab is false: Tab moves to the next field, also in observations.
func (e *creditEntry) AcceptsTab() bool { return false }

// recomputeKeepingFocus recomputes after a keystroke in a line's entry;
// the list refreshes its rows without taking the focus from the entry.
func (f *CreditForm) recomputeKeepingFocus() { f.recompute() }

// Post asks to confirm and issues the credit note: it is stored and posted
// in one transaction, sealed and queued for stamping like an invoice.
func (f *CreditForm) Post() {
	if f.busy {
		return
	}
	f.recompute()
	if msg := f.Problem(); msg != "" {
		return
	}
	w := windowOf(f)
	s := f.totals.Summary()
	msg := lang.L("¿Emitir la nota de crédito {{.Folio}} por {{.Total}} {{.Moneda}} sobre la factura {{.Factura}}? Se sella y queda en cola para timbrar.",
		map[string]any{"Folio": f.folio.Text, "Total": tax.FormatMXN(s.Total), "Moneda": f.inv.Moneda, "Factura": f.folios()})
	if w == nil {
		f.doPost()
		return
	}
	dialog.ShowConfirm(lang.L("Emitir nota de crédito"), msg, func(ok bool) {
		if ok {
			f.doPost()
		}
	}, w)
}

// doPost posts the note off the UI goroutine.
func (f *CreditForm) doPost() {
	note := f.note
	f.busy = true
	f.postBtn.Disable()
	f.problem.SetText(lang.L("Emitiendo la nota de crédito…"))
	show(f.problem, true)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		posted, err := f.post(ctx, note)
		fyne.Do(func() {
			f.busy = false
			if err != nil {
				f.showPostError(err)
				return
			}
			if f.deps.OnPosted != nil {
				f.deps.OnPosted(posted)
			}
			if f.OnClose != nil {
				f.OnClose()
			}
		})
	}()
}

// post stores and posts note in one unit of work; synchronous and UI-free.
func (f *CreditForm) post(ctx context.Context, note sales.Invoice) (sales.Invoice, error) {
	signer, err := f.deps.Signer(ctx)
	if err != nil {
		return sales.Invoice{}, err
	}
	return f.deps.Notes.PostNew(ctx, f.issuer, signer, note)
}

// showPostError shows why the note was refused: on its lines when the
// domain names them, below the grid otherwise. Nothing typed is lost.
func (f *CreditForm) showPostError(err error) {
	f.recompute()
	fields := sales.FieldErrors(err)
	for j, l := range f.note.Lines {
		if msg := lineProblem(fields, j); msg != "" && l.Credits != nil {
			f.rowOf(*l.Credits).problem = msg
		}
	}
	f.lines.Refresh()
	f.problem.SetText(domain.UserMessage(err))
	show(f.problem, true)
	f.postBtn.Enable()
}

// creditHeaderLayout lays the header's visible fields out in two
// columns, or one when the form is narrow; each row is as tall as its
// tallest field.
type creditHeaderLayout struct{ narrow *bool }

func (l *creditHeaderLayout) cols() int {
	if *l.narrow {
		return 1
	}
	return 2
}

// rows returns the visible fields in rows of cols.
func (l *creditHeaderLayout) rows(objs []fyne.CanvasObject) [][]fyne.CanvasObject {
	var out [][]fyne.CanvasObject
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if n := len(out); n == 0 || len(out[n-1]) == l.cols() {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], o)
	}
	return out
}

func (l *creditHeaderLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i, r := range l.rows(objs) {
		var rw, rh float32
		for _, o := range r {
			rw += o.MinSize().Width + pad
			rh = max(rh, o.MinSize().Height)
		}
		w = max(w, rw-pad)
		if i > 0 {
			h += pad
		}
		h += rh
	}
	return fyne.NewSize(w, h)
}

func (l *creditHeaderLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	cols := float32(l.cols())
	cw := (size.Width - (cols-1)*pad) / cols
	y := float32(0)
	for _, r := range l.rows(objs) {
		var rh float32
		for _, o := range r {
			rh = max(rh, o.MinSize().Height)
		}
		for i, o := range r {
			o.Move(fyne.NewPos(float32(i)*(cw+pad), y))
			o.Resize(fyne.NewSize(cw, rh))
		}
		y += rh + pad
	}
}
