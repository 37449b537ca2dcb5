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
)

// Reverter reverts the stock exit of an invoice (inventory.Service) and
// counts the company's reverted invoices not cancelled yet (*sqlite.Store).
type Reverter interface {
	RevertInvoice(ctx context.Context, id int64) error
}

// RevertedCounter counts a company's reverted invoices waiting for their
// cancellation (*sqlite.Store).
type RevertedCounter interface {
	RevertedPending(ctx context.Context, issuer string) (int, error)
}

// revertable reports whether the warehouse may revert r's exit: a posted,
// live invoice not reverted yet (the domain refuses one that moved no
// stock, with its reason).
func revertable(r row) bool {
	return r.tipo == sales.TipoIngreso && posted(r) && !r.cancelled && !r.reverted
}

// buildRevert adds "Revertir salida…" to the actions of a list of
// invoices that has a Reverter (set before the list is shown).
func (l *InvoiceList) buildRevert() {
	b := widget.NewButtonWithIcon(lang.L("Revertir salida…"), theme.ContentUndoIcon(), func() {
		if r, ok := l.current(); ok {
			l.confirmRevert(r)
		}
	})
	l.btnRevert = b
	l.actions = append(l.actions, action{button: b, allowed: func(r row) bool { return l.Revert != nil && revertable(r) }})
}

// confirmRevert asks before putting the invoice's goods back: the invoice
// must then be cancelled.
func (l *InvoiceList) confirmRevert(r row) {
	w := windowOf(l)
	if w == nil {
		return
	}
	msg := lang.L("La mercancía de la factura {{.Num}} regresará a la bodega y la factura quedará «Revertida» hasta que la cancele en el SAT. ¿Revertir la salida?", map[string]any{"Num": r.num})
	dialog.ShowConfirm(lang.L("Revertir salida"), msg, func(ok bool) {
		if ok {
			l.revert(r.id)
		}
	}, w)
}

// revert runs the revert off the UI goroutine, then reloads.
func (l *InvoiceList) revert(id int64) {
	go func() {
		ctx, cancel := actionContext()
		defer cancel()
		err := l.Revert.RevertInvoice(ctx, id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			l.Reload()
		})
	}()
}

// refreshBanner shows, above the list, how many reverted invoices still
// wait for their cancellation (hidden when none or unknown).
func (l *InvoiceList) refreshBanner() {
	counter, ok := l.store.(RevertedCounter)
	if !ok || l.Tipo != sales.TipoIngreso {
		return
	}
	go func() {
		n, err := counter.RevertedPending(context.Background(), l.issuer)
		fyne.Do(func() {
			if err != nil || n == 0 {
				l.banner.Hide()
				return
			}
			l.banner.SetText(lang.L("Facturas revertidas sin cancelar: {{.Count}}. Cancélelas en el SAT desde la pestaña «Revertidas».", map[string]any{"Count": n}))
			l.banner.Show()
		})
	}()
}
