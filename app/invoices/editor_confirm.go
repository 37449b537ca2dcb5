package invoices

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// postConfirm is the question Emitir asks before it spends a folio and a
// stamp: the proposed serie-folio, the customer and the total. Enter (or
// "Emitir") confirms, Escape (or "Cancelar") goes back to the editor.
type postConfirm struct {
	dlg     *dialog.ConfirmDialog
	text    *widget.Label
	prevKey func(*fyne.KeyEvent)
	canvas  fyne.Canvas
}

// askPost finds the folio inv would take (the series' next number, or the
// administrator's override) off the UI goroutine, then asks to confirm.
func (ed *InvoiceEditor) askPost(inv sales.Invoice) {
	win := ed.window()
	if win == nil {
		ed.doPost(inv)
		return
	}
	override := ed.override
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		var next int64
		if override != nil {
			next = *override
		} else if all, err := ed.deps.Series.FindSeries(ctx, ed.issuer.RFC); err == nil {
			for _, s := range all {
				if s.Serie == inv.Serie && s.CanNumberInvoices() {
					next = s.NextFolio
				}
			}
		}
		fyne.Do(func() { ed.showPostConfirm(win, inv, next) })
	}()
}

// showPostConfirm shows the confirmation of posting inv as folio next (0:
// unknown, only the serie is shown).
func (ed *InvoiceEditor) showPostConfirm(win fyne.Window, inv sales.Invoice, next int64) {
	folio := inv.Serie
	if next > 0 {
		folio += "-" + strconv.FormatInt(next, 10)
	}
	total := "—"
	if t, err := ed.deps.Invoices.Totals(&inv); err == nil {
		total = tax.FormatMXN(t.Total) + " " + inv.Moneda
	}
	text := widget.NewLabel(lang.L("Se emitirá la factura {{.Folio}} a {{.Customer}} (RFC {{.RFC}}) por {{.Total}}.",
		map[string]any{"Folio": folio, "Customer": inv.Customer.Name, "RFC": inv.Customer.RFC, "Total": total}) +
		"\n" + lang.L("Emitir usa ese folio y un timbre; después sólo se puede cancelar ante el SAT."))
	text.Wrapping = fyne.TextWrapWord
	pc := &postConfirm{text: text, canvas: win.Canvas()}
	pc.dlg = dialog.NewCustomConfirm(lang.L("¿Emitir la factura {{.Folio}}?", map[string]any{"Folio": folio}),
		lang.L("Emitir"), lang.L("Cancelar"), container.NewPadded(text), func(ok bool) {
			pc.restoreKeys()
			if ok {
				ed.doPost(inv)
			}
		}, win)
	pc.dlg.SetConfirmImportance(widget.HighImportance)
	w := min(win.Canvas().Size().Width-40, 520)
	pc.dlg.Resize(fyne.NewSize(w, 0))
	// No widget has the focus while a dialog is up: the canvas gets Enter
	// and Escape.
	pc.prevKey = pc.canvas.OnTypedKey()
	pc.canvas.SetOnTypedKey(pc.typedKey)
	ed.confirmPost = pc
	pc.dlg.Show()
}

// typedKey confirms on Enter and cancels on Escape.
func (pc *postConfirm) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		pc.dlg.Confirm()
	case fyne.KeyEscape:
		pc.dlg.Dismiss()
	default:
		if pc.prevKey != nil {
			pc.prevKey(ev)
		}
	}
}

func (pc *postConfirm) restoreKeys() {
	if pc.prevKey != nil || pc.canvas.OnTypedKey() != nil {
		pc.canvas.SetOnTypedKey(pc.prevKey)
	}
}

// window returns the window that shows the editor, if any.
func (ed *InvoiceEditor) window() fyne.Window {
	return widgets.WindowOf(ed)
}
