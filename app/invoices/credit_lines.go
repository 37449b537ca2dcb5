package invoices

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// creditWidths are the minimum widths of the credit-note grid's columns:
// code, description (0: takes the rest), invoiced, already credited, the
// value typed, importe, taxes taken away, remove. Together they fit the
// form beside the sidebar at 1024 px; narrower, each line is a card.
var creditWidths = []float32{65, 0, 105, 80, 90, 90, 200, touchSize}

// creditDescMin is the narrowest the description column gets in a row.
const creditDescMin = 90

// creditGridLayout lays out one row of the credit-note grid: columns when
// the form is wide enough, a card of three rows (code and description;
// figures; taxes) when *narrow.
type creditGridLayout struct {
	narrow   *bool
	taxLines *int // nil for the header
}

// taxesHeight is the height the taxes column needs.
func (l creditGridLayout) taxesHeight() float32 {
	if l.taxLines == nil {
		return 0
	}
	return taxesHeight(*l.taxLines)
}

// creditRowWidth is the width the columns need.
func creditRowWidth() float32 {
	w := float32(0)
	for _, cw := range creditWidths {
		if cw == 0 {
			cw = creditDescMin
		}
		w += cw + theme.Padding()
	}
	return w - theme.Padding()
}

func (l creditGridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if *l.narrow {
		if len(objs) < len(creditWidths) { // the header: nothing in card mode
			return fyne.Size{}
		}
		pad := theme.Padding()
		h1 := max(objs[0].MinSize().Height, objs[1].MinSize().Height, objs[7].MinSize().Height)
		h2 := max(objs[2].MinSize().Height, objs[4].MinSize().Height)
		return fyne.NewSize(320, h1+h2+max(objs[6].MinSize().Height, l.taxesHeight())+2*pad)
	}
	h := l.taxesHeight()
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(creditRowWidth(), h)
}

func (l creditGridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	if *l.narrow {
		for _, o := range objs {
			o.Show()
		}
		if len(objs) < len(creditWidths) {
			for _, o := range objs {
				o.Hide()
			}
			return
		}
		h1 := max(objs[0].MinSize().Height, objs[1].MinSize().Height, objs[7].MinSize().Height)
		h2 := max(objs[2].MinSize().Height, objs[4].MinSize().Height)
		place := func(o fyne.CanvasObject, x, y, w, h float32) { o.Move(fyne.NewPos(x, y)); o.Resize(fyne.NewSize(w, h)) }
		place(objs[0], 0, 0, creditWidths[0], h1)
		place(objs[1], creditWidths[0]+pad, 0, size.Width-creditWidths[0]-creditWidths[7]-2*pad, h1)
		place(objs[7], size.Width-creditWidths[7], 0, creditWidths[7], h1)
		// Invoiced, already credited, the value and the importe share the
		// second row.
		shares := []float32{0.32, 0.18, 0.26, 0.24}
		x, avail := float32(0), size.Width-3*pad
		for i, sh := range shares {
			w := avail * sh
			place(objs[2+i], x, h1+pad, w, h2)
			x += w + pad
		}
		place(objs[6], 0, h1+h2+2*pad, size.Width, size.Height-h1-h2-2*pad)
		return
	}
	flex := max(size.Width-creditRowWidth()+creditDescMin, creditDescMin)
	x := float32(0)
	for i, o := range objs {
		o.Show()
		cw := creditWidths[i]
		if cw == 0 {
			cw = flex
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw + pad
	}
}

// creditLineHeader is the title row of the grid.
func creditLineHeader(kind sales.CreditKind, narrow *bool) fyne.CanvasObject {
	done, value := lang.L("Devuelto"), lang.L("Cantidad a devolver")
	if kind == sales.Rebaja {
		done, value = lang.L("Rebajado"), lang.L("Rebaja por unidad")
	}
	titles := []string{lang.L("Código"), lang.L("Descripción"), lang.L("Facturado"), done, value,
		lang.L("Importe"), lang.L("Impuestos que se restan")}
	objs := make([]fyne.CanvasObject, len(titles))
	for i, t := range titles {
		l := widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		objs[i] = l
	}
	return container.New(creditGridLayout{narrow: narrow}, objs...)
}

// creditLineView is the template of one row; updateLineView fills it.
type creditLineView struct {
	code, desc, invoiced, done, importe, taxes, problem *widget.Label
	value                                               *creditEntry
	remove                                              *widget.Button
	index                                               int
}

func (f *CreditForm) newLineView() fyne.CanvasObject {
	v := &creditLineView{index: -1}
	lbl := func(align fyne.TextAlign) *widget.Label {
		l := widget.NewLabelWithStyle("", align, fyne.TextStyle{})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	v.code, v.desc, v.invoiced, v.done = lbl(fyne.TextAlignLeading), lbl(fyne.TextAlignLeading), lbl(fyne.TextAlignTrailing), lbl(fyne.TextAlignTrailing)
	v.importe = lbl(fyne.TextAlignTrailing)
	v.taxes = widget.NewLabel("")
	v.taxes.Truncation = fyne.TextTruncateEllipsis
	v.taxes.SizeName = theme.SizeNameCaptionText
	v.problem = newErrorLabel()
	v.problem.Truncation = fyne.TextTruncateEllipsis
	v.value = f.newEntry("")
	v.value.OnChanged = func(s string) {
		if v.index >= 0 && v.index < len(f.shown) && f.rows[f.shown[v.index]].text != s {
			f.rows[f.shown[v.index]].text = s
			f.recomputeKeepingFocus()
		}
	}
	v.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { f.Remove(v.index) })
	row := container.New(creditGridLayout{narrow: &f.narrow, taxLines: &f.taxLines}, v.code, v.desc, v.invoiced, v.done, v.value, v.importe, v.taxes, v.remove)
	c := &creditCell{view: v, content: container.NewVBox(row, v.problem)}
	c.ExtendBaseWidget(c)
	return c
}

// creditCell is one row of the grid; it carries its view so the list can
// fill it.
type creditCell struct {
	widget.BaseWidget
	view    *creditLineView
	content fyne.CanvasObject
}

func (c *creditCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }

func (f *CreditForm) updateLineView(i widget.ListItemID, o fyne.CanvasObject) {
	v := o.(*creditCell).view
	v.index = -1 // the entry's OnChanged must not write while it is filled
	if i >= len(f.shown) {
		return
	}
	r := f.rows[f.shown[i]]
	src := f.sources[r.src]
	l := src.Invoice.Lines[r.line]
	v.code.SetText(l.NoIdentificacion)
	if len(f.sources) > 1 {
		v.code.SetText(src.Invoice.FolioText() + " " + l.NoIdentificacion)
	}
	v.desc.SetText(l.Descripcion)
	v.invoiced.SetText(quantityText(l.Cantidad) + " × " + tax.FormatMXN(l.ValorUnitario))
	prior := src.Done.Returned[r.line]
	if f.kind == sales.Rebaja {
		prior = src.Done.Rebated[r.line]
	}
	v.done.SetText(quantityText(prior))
	if f.narrow {
		caption := lang.L("Devuelto")
		if f.kind == sales.Rebaja {
			caption = lang.L("Rebajado")
		}
		v.done.SetText(caption + ": " + quantityText(prior))
	}
	if v.value.Text != r.text {
		v.value.SetText(r.text)
	}
	if r.amounts != nil {
		v.importe.SetText(tax.FormatMXN(r.amounts.Importe.Sub(r.amounts.Descuento)))
		v.taxes.SetText(lineTaxes(*r.amounts))
	} else {
		v.importe.SetText("")
		v.taxes.SetText("")
	}
	v.problem.SetText(r.problem)
	show(v.problem, r.problem != "")
	v.index = i
}

// quantityText writes a quantity without trailing zeros.
func quantityText(d decimal.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	return d.String()
}

// lineTaxes writes the taxes a credit line takes away as tasa:importe, one
// per line: transfers first, then withholdings.
func lineTaxes(a sales.LineAmounts) string {
	var out []string
	for _, t := range a.Traslados {
		out = append(out, taxText(t, false))
	}
	for _, t := range a.Retenciones {
		out = append(out, taxText(t, true))
	}
	return strings.Join(out, "\n")
}

// taxRows is how many taxes the most taxed line of the form shows: every
// row of the grid is that tall (a list's rows share one height).
func (f *CreditForm) taxRows() int {
	n := 1
	for _, r := range f.rows {
		if r.amounts != nil {
			n = max(n, len(r.amounts.Traslados)+len(r.amounts.Retenciones))
		}
	}
	return n
}

// taxesHeight is the height of n lines of the taxes column's text.
func taxesHeight(n int) float32 {
	th := theme.Current()
	size := th.Size(theme.SizeNameCaptionText)
	line := fyne.MeasureText("Ág", size, fyne.TextStyle{}).Height
	return float32(n)*line + 2*th.Size(theme.SizeNameInnerPadding)
}

// taxText is "IVA 16%: $160.00", "IEPS $3.50/u: $35.00" or "Ret. ISR 10%:
// $100.00"; an exempt IVA is "IVA exento".
func taxText(t sales.TaxAmount, ret bool) string {
	name := map[string]string{sales.ImpuestoIVA: "IVA", sales.ImpuestoIEPS: "IEPS", sales.ImpuestoISR: "ISR"}[t.Impuesto]
	if ret {
		name = lang.L("Ret.") + " " + name
	}
	switch {
	case t.TipoFactor == sales.FactorExento:
		return name + " " + lang.L("exento")
	case t.TipoFactor == sales.FactorCuota:
		return name + " " + tax.FormatMXN(t.TasaOCuota) + "/u: " + tax.FormatMXN(t.Importe)
	}
	return name + " " + t.TasaOCuota.Mul(decimal.NewFromInt(100)).String() + "%: " + tax.FormatMXN(t.Importe)
}

// layoutSpacer is a flexible space in a box.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
