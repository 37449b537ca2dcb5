package invoices

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// amountWidth is the width the totals keep for their amounts.
const amountWidth = 190

// totalsView is the editor's totals block: importe, descuento, subtotal,
// the taxes and the total, as sales.Totals.Summary states them (the
// amounts that get sealed). It computes nothing.
type totalsView struct {
	widget.BaseWidget

	importe, descuento, subtotal, iva, ieps, retIVA, retISR, total *widget.Label
}

func newTotalsView() *totalsView {
	money := func() *widget.Label { return widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}) }
	v := &totalsView{importe: money(), descuento: money(), subtotal: money(), iva: money(), ieps: money(),
		retIVA: money(), retISR: money()}
	v.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer lays the amounts out as a form, labels on the left.
func (v *totalsView) CreateRenderer() fyne.WidgetRenderer {
	label := func(text string) fyne.CanvasObject { return widget.NewLabel(text) }
	return widget.NewSimpleRenderer(container.New(layout.NewFormLayout(),
		label(lang.L("Importe")), minWidth(v.importe, amountWidth),
		label(lang.L("Descuento")), v.descuento,
		label(lang.L("Subtotal")), v.subtotal,
		label(lang.L("IVA")), v.iva,
		label(lang.L("IEPS")), v.ieps,
		label(lang.L("Retención IVA")), v.retIVA,
		label(lang.L("Retención ISR")), v.retISR,
		widget.NewLabelWithStyle(lang.L("Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.total,
	))
}

// present shows s; the total carries the currency's code.
func (v *totalsView) present(s sales.Summary, moneda string) {
	v.importe.SetText(tax.FormatMXN(s.Importe))
	v.descuento.SetText(tax.FormatMXN(s.Descuento))
	v.subtotal.SetText(tax.FormatMXN(s.Base))
	v.iva.SetText(tax.FormatMXN(s.IVA))
	v.ieps.SetText(tax.FormatMXN(s.IEPS))
	v.retIVA.SetText(tax.FormatMXN(s.RetIVA))
	v.retISR.SetText(tax.FormatMXN(s.RetISR))
	v.total.SetText(tax.FormatMXN(s.Total) + " " + moneda)
}

// clear shows "—" for every amount: what the editor holds cannot be
// computed yet, and the last amounts would no longer be true.
func (v *totalsView) clear() {
	for _, l := range []*widget.Label{v.importe, v.descuento, v.subtotal, v.iva, v.ieps, v.retIVA, v.retISR, v.total} {
		l.SetText("—")
	}
}
