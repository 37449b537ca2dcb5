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

// amountWidth is the width the total keeps for its amount.
const amountWidth = 190

// totalsView is the editor's totals bar: importe, descuento, subtotal, the
// taxes and the total, as sales.Totals.Summary states them (the amounts
// that get sealed). It computes nothing. It sits outside the editor's
// scroll, so the total is always in sight whatever the window's size;
// amounts that are zero and change nothing (descuento, IEPS, retenciones,
// and importe when it equals the subtotal) are left out to keep it short.
type totalsView struct {
	widget.BaseWidget

	importe, descuento, subtotal, iva, ieps, retIVA, retISR, total *widget.Label

	// items holds each amount with its caption, in order; grid lays them out.
	items map[*widget.Label]*fyne.Container
	grid  *fyne.Container
}

func newTotalsView() *totalsView {
	money := func() *widget.Label { return widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}) }
	v := &totalsView{importe: money(), descuento: money(), subtotal: money(), iva: money(), ieps: money(),
		retIVA: money(), retISR: money(), items: map[*widget.Label]*fyne.Container{}}
	v.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	var objs []fyne.CanvasObject
	for _, it := range []struct {
		caption string
		amount  *widget.Label
	}{{lang.L("Importe"), v.importe}, {lang.L("Descuento"), v.descuento}, {lang.L("Subtotal"), v.subtotal},
		{lang.L("IVA"), v.iva}, {lang.L("IEPS"), v.ieps}, {lang.L("Retención IVA"), v.retIVA}, {lang.L("Retención ISR"), v.retISR}} {
		c := container.NewBorder(nil, nil, widget.NewLabel(it.caption), nil, it.amount)
		v.items[it.amount] = c
		objs = append(objs, c)
	}
	v.grid = container.NewGridWithColumns(3, objs...)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer lays the amounts out in a grid with the total, larger,
// on the right.
func (v *totalsView) CreateRenderer() fyne.WidgetRenderer {
	total := container.NewHBox(widget.NewLabelWithStyle(lang.L("Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		minWidth(v.total, amountWidth))
	return widget.NewSimpleRenderer(container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), total), v.grid)))
}

// setColumns lays the amounts out in n columns (fewer on narrow screens).
func (v *totalsView) setColumns(n int) {
	v.grid.Layout = layout.NewGridLayoutWithColumns(n)
	v.grid.Refresh()
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
	show(v.items[v.importe], !s.Descuento.IsZero())
	show(v.items[v.descuento], !s.Descuento.IsZero())
	show(v.items[v.ieps], !s.IEPS.IsZero())
	show(v.items[v.retIVA], !s.RetIVA.IsZero())
	show(v.items[v.retISR], !s.RetISR.IsZero())
	v.grid.Refresh()
}

// clear shows "—" for every amount: what the editor holds cannot be
// computed yet, and the last amounts would no longer be true.
func (v *totalsView) clear() {
	for _, l := range []*widget.Label{v.importe, v.descuento, v.subtotal, v.iva, v.ieps, v.retIVA, v.retISR, v.total} {
		l.SetText("—")
	}
}
