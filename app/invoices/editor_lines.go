package invoices

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// IVA choices of a line: the key is what ivaChoice.key returns.
const (
	ivaNoObjeto = "no"
	ivaExento   = "exento"
)

// ivaChoice is one IVA option of a line: the key is what lineRow.ivaKey
// returns.
type ivaChoice struct{ key, label string }

// ivaChoices are the IVA options of a line, in the order shown.
func ivaChoices() []ivaChoice {
	return []ivaChoice{{"0.16", lang.L("IVA 16 %")}, {"0.08", lang.L("IVA 8 %")}, {"0", lang.L("IVA 0 %")},
		{ivaExento, lang.L("Exento")}, {ivaNoObjeto, lang.L("No objeto")}}
}

// lineWidths are the minimum widths of the columns of the concept grid
// (see lineHeader); the description column (0) takes the remaining width.
var lineWidths = []float32{70, 80, 90, 0, 85, 75, 95, 55, 70, 65, 95, touchSize}

// descriptionMin is the minimum width of the description column.
const descriptionMin = 130

// columnsLayout lays out one row of the grid with the widths of
// lineWidths; the description column stretches.
type columnsLayout struct{}

func (columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i, o := range objs {
		cw := lineWidths[i]
		if cw == 0 {
			cw = descriptionMin
		}
		w += cw
		if i > 0 {
			w += pad
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	flex := size.Width - l.MinSize(objs).Width + descriptionMin
	x := float32(0)
	for i, o := range objs {
		cw := lineWidths[i]
		if cw == 0 {
			cw = max(flex, descriptionMin)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw + pad
	}
}

// lineHeader returns the title row of the concept grid.
func lineHeader() fyne.CanvasObject {
	titles := []string{lang.L("Cantidad"), lang.L("Unidad"), lang.L("Producto"), lang.L("Descripción"),
		lang.L("Precio"), lang.L("Descuento"), lang.L("IVA"), lang.L("IEPS"), lang.L("Ret. IVA"), lang.L("Ret. ISR"),
		lang.L("Importe"), ""}
	objs := make([]fyne.CanvasObject, len(titles))
	for i, title := range titles {
		objs[i] = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	return container.New(columnsLayout{}, objs...)
}

// lineGrid is the editor's concepts: one lineRow per concept, the product
// suggestions of the row being searched (editor_search.go) and "Agregar
// concepto". The grid always keeps one line, empty when nothing is typed.
type lineGrid struct {
	lines          []*lineRow
	linesBox       *fyne.Container
	productFor     *lineRow // the row whose search productResults shows
	productFound   []sales.Product
	productQuery   string
	pickProduct    bool   // Enter was pressed before the results arrived
	prodGen        uint64 // generation of the newest product search
	productResults *pickList
	addLine        *widget.Button
	header         fyne.CanvasObject // the column titles, hidden when rows are cards

	object fyne.CanvasObject // title, column titles, rows, suggestions, error, button
}

// buildGrid creates the concepts section; rows are added by fillLines.
func (ed *InvoiceEditor) buildGrid() *lineGrid {
	g := &lineGrid{}
	ed.lineGrid = g
	g.productResults = newPickList(
		func() int { return len(g.productFound) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(g.productFound) {
				p := g.productFound[id]
				o.(*widget.Label).SetText(p.Code + " — " + p.Description + " — " + tax.FormatMXN(p.Price))
			}
		})
	g.productResults.OnSelected = func(id widget.ListItemID) {
		if r := g.productFor; id < len(g.productFound) && r != nil {
			fromList := ed.focused() == fyne.Focusable(g.productResults)
			ed.pickProductFor(r, g.productFound[id])
			if fromList {
				ed.focus(r.desc)
			}
		}
	}
	g.productResults.Hide()
	g.linesBox = container.NewVBox()
	g.header = lineHeader()
	g.addLine = widget.NewButtonWithIcon(lang.L("Agregar concepto"), theme.ContentAddIcon(), func() {
		ed.addLineAfter(nil)
	})
	g.object = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Conceptos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		g.header, g.linesBox, g.productResults, ed.errs["Lines"],
		container.NewHBox(touchTarget(g.addLine)))
	return g
}

// inputs returns the grid's widgets that lock with the editor.
func (g *lineGrid) inputs() []fyne.Disableable {
	inputs := []fyne.Disableable{g.addLine}
	for _, r := range g.lines {
		inputs = append(inputs, r.inputs()...)
	}
	return inputs
}

// fillLines shows lines, or one empty line when there are none; the caller
// guards against change events.
func (ed *InvoiceEditor) fillLines(lines []sales.Line) {
	ed.lines = nil
	ed.linesBox.RemoveAll()
	for i := range lines {
		ed.appendRow(ed.newLineRow(&lines[i]))
	}
	if len(ed.lines) == 0 {
		ed.appendRow(ed.newLineRow(nil))
	}
}

// readLines returns the concepts the grid shows, skipping empty rows; text
// that does not parse is reported in bad and required fields left empty in
// missing ("Lines[i].Cantidad"…).
func (g *lineGrid) readLines(bad, missing map[string]string) []sales.Line {
	var lines []sales.Line
	for _, r := range g.lines {
		if r.blank() {
			continue
		}
		lines = append(lines, r.line(len(lines), bad, missing))
	}
	return lines
}

// appendRow adds r at the end of the grid.
func (ed *InvoiceEditor) appendRow(r *lineRow) {
	r.arrange(ed.narrow)
	ed.lines = append(ed.lines, r)
	ed.linesBox.Add(r.box)
}

// addLineAfter adds an empty line (Enter in the last field of after, or the
// "Agregar concepto" button) and moves the focus to its quantity.
func (ed *InvoiceEditor) addLineAfter(after *lineRow) {
	if ed.locked {
		return
	}
	ed.filling = true
	r := ed.newLineRow(nil)
	ed.filling = false
	ed.appendRow(r)
	ed.focus(r.qty)
}

// removeLine deletes r; the grid always keeps one (empty) line.
func (ed *InvoiceEditor) removeLine(r *lineRow) {
	if ed.locked {
		return
	}
	i := slices.Index(ed.lines, r)
	if i < 0 {
		return
	}
	ed.lines = slices.Delete(ed.lines, i, i+1)
	ed.linesBox.Remove(r.box)
	if ed.productFor == r {
		ed.hideProducts()
	}
	if len(ed.lines) == 0 {
		ed.filling = true
		ed.appendRow(ed.newLineRow(nil))
		ed.filling = false
	}
	ed.changed()
}

// clearLineAmounts shows no importe on any row: the amounts cannot be
// computed from what the grid holds, and an old amount would be a lie.
func (g *lineGrid) clearLineAmounts() {
	for _, r := range g.lines {
		if r.blank() {
			r.importe.SetText("")
		} else {
			r.importe.SetText("—")
		}
	}
}

// showLineAmounts shows each non-empty row's importe from the computed
// lines (in the same order as readLines); empty rows show nothing.
func (g *lineGrid) showLineAmounts(amounts []sales.LineAmounts) {
	k := 0
	for _, r := range g.lines {
		if r.blank() || k >= len(amounts) {
			r.importe.SetText("")
			continue
		}
		r.importe.SetText(tax.FormatMXN(amounts[k].Importe))
		k++
	}
}

// lineRow is one concept of the grid: its widgets and the keys that came
// from the chosen product (base), which the user does not type.
type lineRow struct {
	ed   *InvoiceEditor
	base sales.Line

	qty, product, desc, price, disc, ieps, retIVA, retISR *entry
	iva                                                   *widget.Select
	unit, importe                                         *widget.Label
	remove                                                *widget.Button
	removeCard                                            *widget.Button // the card's delete button, when a card
	errLabel                                              *widget.Label
	box                                                   *fyne.Container
}

// newLineRow builds an empty row, or one showing l when l is not nil.
func (ed *InvoiceEditor) newLineRow(l *sales.Line) *lineRow {
	r := &lineRow{ed: ed, base: sales.Line{ObjetoImp: sales.ObjetoImpSi}}
	r.qty = ed.newEntry("")
	r.product = ed.newEntry(lang.L("Código o nombre"))
	r.desc = ed.newEntry("")
	r.price = ed.newEntry("")
	r.disc = ed.newEntry("")
	r.ieps = ed.newEntry("")
	r.retIVA = ed.newEntry("")
	r.retISR = ed.newEntry("")
	choices := ivaChoices()
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.label
	}
	r.iva = widgets.NewSelect(labels, func(string) { r.ivaChanged(); ed.changed() })
	r.iva.SetSelectedIndex(0)
	r.unit = widget.NewLabel("")
	r.unit.Truncation = fyne.TextTruncateEllipsis
	r.importe = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { ed.removeLine(r) })
	r.remove.Importance = widget.LowImportance
	r.errLabel = newErrorLabel()

	for _, e := range []*entry{r.qty, r.desc, r.price, r.disc, r.ieps, r.retIVA, r.retISR} {
		e.OnChanged = func(string) { ed.changed() }
	}
	r.product.OnChanged = func(text string) { ed.searchProducts(r, text, false) }
	r.product.OnSubmitted = func(text string) { ed.searchProducts(r, text, true) }
	r.product.onDown = func() {
		if ed.productFor == r && ed.productResults.Visible() {
			ed.focus(ed.productResults)
		}
	}
	// Enter in the last field of a line adds a new line.
	r.retISR.OnSubmitted = func(string) { ed.addLineAfter(r) }

	if l != nil {
		r.fill(*l)
	}
	r.box = container.NewVBox(r.wide(), r.errLabel)
	return r
}

// wide lays the row out as a line of the grid, under the column titles.
func (r *lineRow) wide() fyne.CanvasObject {
	return container.New(columnsLayout{}, r.qty, r.unit, r.product, r.desc, r.price, r.disc, r.iva, r.ieps,
		r.retIVA, r.retISR, r.importe, touchTarget(r.remove))
}

// card lays the row out as a card for narrow screens: each field with its
// caption, product and description across, the rest two by two (in the
// grid's Tab order), the importe and the delete button at the bottom.
func (r *lineRow) card() fyne.CanvasObject {
	captioned := func(title string, o fyne.CanvasObject) fyne.CanvasObject {
		c := widget.NewLabel(title)
		c.SizeName = theme.SizeNameCaptionText
		c.TextStyle.Bold = true
		return container.NewBorder(c, nil, nil, nil, o)
	}
	remove := widget.NewButtonWithIcon(lang.L("Quitar"), theme.DeleteIcon(), r.remove.OnTapped)
	if r.remove.Disabled() {
		remove.Disable()
	}
	r.removeCard = remove
	return container.NewVBox(
		widget.NewSeparator(),
		container.NewGridWithColumns(2, captioned(lang.L("Cantidad"), r.qty), captioned(lang.L("Unidad"), r.unit)),
		captioned(lang.L("Producto"), r.product),
		captioned(lang.L("Descripción"), r.desc),
		container.NewGridWithColumns(2,
			captioned(lang.L("Precio"), r.price), captioned(lang.L("Descuento"), r.disc),
			captioned(lang.L("IVA"), r.iva), captioned(lang.L("IEPS"), r.ieps),
			captioned(lang.L("Ret. IVA"), r.retIVA), captioned(lang.L("Ret. ISR"), r.retISR)),
		container.NewBorder(nil, nil, container.NewVBox(layout.NewSpacer(), touchTarget(remove)), nil, captioned(lang.L("Importe"), r.importe)))
}

// arrange shows the row as a card (narrow) or as a line of the grid.
func (r *lineRow) arrange(narrow bool) {
	r.removeCard = nil
	if narrow {
		r.box.Objects[0] = r.card()
	} else {
		r.box.Objects[0] = r.wide()
	}
	r.box.Refresh()
}

// inputs returns the row's widgets that lock with the editor.
func (r *lineRow) inputs() []fyne.Disableable {
	in := []fyne.Disableable{r.qty, r.product, r.desc, r.price, r.disc, r.iva, r.ieps, r.retIVA, r.retISR, r.remove}
	if r.removeCard != nil {
		in = append(in, r.removeCard)
	}
	return in
}

// fill shows l in the row; the caller guards against change events.
func (r *lineRow) fill(l sales.Line) {
	r.base = l
	if l.Cantidad.IsPositive() {
		r.qty.SetText(l.Cantidad.String())
	}
	r.product.SetText(l.NoIdentificacion)
	r.desc.SetText(l.Descripcion)
	r.price.SetText(amountText(l.ValorUnitario))
	r.disc.SetText(optionalText(l.Descuento))
	r.unit.SetText(strings.TrimSpace(l.ClaveUnidad + " " + l.Unidad))
	t := l.Taxes
	switch {
	case !l.TaxesApply():
		r.selectIVA(ivaNoObjeto)
	case t.IVAExento:
		r.selectIVA(ivaExento)
	default:
		r.selectIVA(t.IVATasa.StringFixed(2))
	}
	r.ieps.SetText(optionalText(t.IEPSValor))
	r.retIVA.SetText(optionalText(t.RetIVA))
	r.retISR.SetText(optionalText(t.RetISR))
	r.ivaChanged()
}

// selectIVA selects the IVA choice whose key is key (a rate with two
// decimals, ivaExento or ivaNoObjeto); an unknown rate selects nothing.
func (r *lineRow) selectIVA(key string) {
	for i, c := range ivaChoices() {
		if c.key == key || c.key != ivaExento && c.key != ivaNoObjeto && decimal.RequireFromString(c.key).StringFixed(2) == key {
			r.iva.SetSelectedIndex(i)
			return
		}
	}
	r.iva.ClearSelected()
}

func (r *lineRow) ivaKey() string {
	if i := r.iva.SelectedIndex(); i >= 0 {
		return ivaChoices()[i].key
	}
	return ""
}

// ivaChanged enables the other taxes only where the domain says the
// concept carries taxes (sales.Line.TaxesApply: "objeto de impuesto").
func (r *lineRow) ivaChanged() {
	l := r.line(0, map[string]string{}, map[string]string{})
	for _, e := range []*entry{r.ieps, r.retIVA, r.retISR} {
		enable(e, l.TaxesApply() && !r.ed.locked)
	}
}

// blank reports whether the user typed nothing in the row.
func (r *lineRow) blank() bool {
	for _, e := range []*entry{r.qty, r.product, r.desc, r.price, r.disc} {
		if strings.TrimSpace(e.Text) != "" {
			return false
		}
	}
	return r.base.ProductID == 0
}

// line returns the concept the row shows as line i of the invoice, under
// the domain's field names ("Lines[i].Cantidad"…): text that does not parse
// is reported in bad, a required field left empty in missing; both count as
// zero.
func (r *lineRow) line(i int, bad, missing map[string]string) sales.Line {
	l := r.base
	f := fmt.Sprintf("Lines[%d].", i)
	// num parses e; emptyMsg (if any) reports an empty field, badMsg (if
	// any) replaces the parser's money wording for quantities and rates.
	num := func(field string, e *entry, emptyMsg, badMsg string) decimal.Decimal {
		text := strings.TrimSpace(e.Text)
		if text == "" {
			if emptyMsg != "" {
				missing[f+field] = emptyMsg
			}
			return decimal.Zero
		}
		d, err := tax.ParseAmount(text)
		if err != nil {
			bad[f+field] = domain.UserMessage(err)
			if badMsg != "" {
				bad[f+field] = badMsg
			}
			return decimal.Zero
		}
		return d
	}
	notNumber := func(what string) string {
		return lang.L("{{.What}} no es un número: escríbalo con dígitos y punto decimal, p. ej. 1250.50.", map[string]any{"What": what})
	}
	rateMsg := lang.L("Escriba la tasa como fracción con punto decimal, p. ej. 0.106667.")
	l.Cantidad = num("Cantidad", r.qty, lang.L("Escriba la cantidad."),
		lang.L("Escriba la cantidad con dígitos y punto decimal, hasta seis decimales."))
	l.Descripcion = r.desc.Text
	l.ValorUnitario = num("ValorUnitario", r.price, lang.L("Escriba el precio."), numberMsg(r.price.Text, notNumber(lang.L("El precio"))))
	l.Descuento = num("Descuento", r.disc, "", numberMsg(r.disc.Text, notNumber(lang.L("El descuento"))))
	l.SetTaxable(r.ivaKey() != ivaNoObjeto)
	if !l.TaxesApply() {
		return l
	}
	t := sales.Taxes{IEPSFactor: r.base.Taxes.IEPSFactor}
	switch k := r.ivaKey(); k {
	case ivaExento:
		t.IVAExento = true
	case "":
		missing[f+"Taxes.IVATasa"] = lang.L("Elija la tasa de IVA.")
	default:
		t.IVATasa = decimal.RequireFromString(k)
	}
	t.SetIEPS(num("Taxes.IEPSValor", r.ieps, "", rateMsg))
	t.RetIVA = num("Taxes.RetIVA", r.retIVA, "", rateMsg)
	t.RetISR = num("Taxes.RetISR", r.retISR, "", rateMsg)
	l.Taxes = t
	return l
}

// numberMsg returns msg when text holds something no amount has (letters,
// spaces…), and "" otherwise, leaving the parser's own wording (too many
// decimals, misplaced commas) for text that is almost a number.
func numberMsg(text, msg string) string {
	for _, c := range strings.TrimSpace(text) {
		if !strings.ContainsRune("0123456789.,$-", c) {
			return msg
		}
	}
	return ""
}

// applyProduct fills the row from p, keeping a quantity already typed.
func (r *lineRow) applyProduct(p *sales.Product) {
	qty := decimal.NewFromInt(1)
	if d, err := tax.ParseAmount(r.qty.Text); err == nil && d.IsPositive() {
		qty = d
	}
	r.fill(sales.LineFromProduct(p, qty))
}

// amountText shows an amount with at least two decimals ("11.50",
// "0.123456").
func amountText(d decimal.Decimal) string {
	if d.Exponent() >= -2 {
		return d.StringFixed(2)
	}
	return d.String()
}

// optionalText shows a rate or amount, or nothing for zero.
func optionalText(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
