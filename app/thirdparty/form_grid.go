package thirdparty

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// Column widths of the grids: cantidad, producto, descripción (0: takes
// the rest), precio, % desc., tercero (third-party grid only), importe,
// quitar.
var (
	ownWidths   = []float32{80, 100, 0, 95, 75, 105, 40}
	thirdWidths = []float32{80, 100, 0, 95, 75, 150, 105, 40}
)

// descMin is the narrowest the description column gets.
const descMin = 120

// gridLayout lays one row out with widths; the 0 column stretches.
type gridLayout struct{ widths []float32 }

func (l gridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		cw := l.widths[i]
		if cw == 0 {
			cw = descMin
		}
		w += cw + theme.Padding()
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w-theme.Padding(), h)
}

func (l gridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	flex := size.Width - l.MinSize(objs).Width + descMin
	x := float32(0)
	for i, o := range objs {
		cw := l.widths[i]
		if cw == 0 {
			cw = max(flex, descMin)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw + theme.Padding()
	}
}

// itemGrid is one of the two item grids: "Ítems a cuenta propia" or
// "Ítems a cuenta de terceros" (third). It always keeps one row, empty
// when nothing is typed.
type itemGrid struct {
	f      *DocumentForm
	third  bool
	widths []float32
	rows   []*itemRow
	box    *fyne.Container
	Add    *widget.Button
	object fyne.CanvasObject
}

func (f *DocumentForm) newGrid(third bool) *itemGrid {
	g := &itemGrid{f: f, third: third, widths: ownWidths, box: container.NewVBox()}
	title := lang.L("Ítems a cuenta propia")
	titles := []string{lang.L("Cantidad"), lang.L("Producto"), lang.L("Descripción"), lang.L("Precio"), lang.L("% desc."), lang.L("Total"), ""}
	if third {
		g.widths = thirdWidths
		title = lang.L("Ítems a cuenta de terceros")
		titles = []string{lang.L("Cantidad"), lang.L("Producto"), lang.L("Descripción"), lang.L("Precio"), lang.L("% desc."), lang.L("Tercero"), lang.L("Total"), ""}
	}
	heads := make([]fyne.CanvasObject, len(titles))
	for i, t := range titles {
		l := widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		heads[i] = l
	}
	g.Add = widget.NewButtonWithIcon(lang.L("Agregar ítem"), theme.ContentAddIcon(), func() { g.addRow(true) })
	g.object = container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(gridLayout{g.widths}, heads...), g.box, container.NewHBox(g.Add))
	return g
}

// Rows returns the grid's rows.
func (g *itemGrid) Rows() []*itemRow { return g.rows }

// fill shows lines, or one empty row; the caller guards change events.
func (g *itemGrid) fill(lines []sales.Line) {
	g.rows = nil
	g.box.RemoveAll()
	for _, l := range lines {
		r := g.newRow()
		r.fill(l)
		g.append(r)
	}
	if len(g.rows) == 0 {
		g.append(g.newRow())
	}
}

func (g *itemGrid) append(r *itemRow) {
	g.rows = append(g.rows, r)
	g.box.Add(r.box)
}

// addRow adds an empty row (Enter in a row's last field, or "Agregar
// ítem"), focusing its quantity when focus is set.
func (g *itemGrid) addRow(focus bool) *itemRow {
	if g.f.locked {
		return nil
	}
	g.f.filling = true
	r := g.newRow()
	g.f.filling = false
	g.append(r)
	if c := fyne.CurrentApp().Driver().CanvasForObject(g.f); c != nil && focus {
		c.Focus(r.Qty)
	}
	return r
}

func (g *itemGrid) remove(r *itemRow) {
	if g.f.locked {
		return
	}
	for i, x := range g.rows {
		if x == r {
			g.rows = append(g.rows[:i], g.rows[i+1:]...)
		}
	}
	g.box.Remove(r.box)
	if len(g.rows) == 0 {
		g.f.filling = true
		g.append(g.newRow())
		g.f.filling = false
	}
	g.f.changed()
}

// inputs returns the grid's widgets that lock with the document.
func (g *itemGrid) inputs() []fyne.Disableable {
	in := []fyne.Disableable{g.Add}
	for _, r := range g.rows {
		in = append(in, r.Qty, r.Product, r.Desc, r.Price, r.Disc, r.remove)
		if r.TP != nil {
			in = append(in, r.TP)
		}
	}
	return in
}

// lines returns the concepts the grid shows, skipping empty rows; text
// that does not parse goes to bad under "<name> renglón n".
func (g *itemGrid) lines(inv *sales.Invoice, name string, bad map[string]string) []sales.Line {
	decimals, ok := g.f.deps.Editor.Rules.MonedaDecimals(inv.Moneda)
	if !ok {
		decimals = 2
	}
	var out []sales.Line
	for i, r := range g.rows {
		if r.blank() {
			continue
		}
		out = append(out, r.line(name+" "+strconv.Itoa(i+1), decimals, bad))
	}
	return out
}

// itemRow is one item: its widgets and the keys that came from the
// product (base), which the user does not type.
type itemRow struct {
	g    *itemGrid
	base sales.Line
	tp   *sales.ThirdPartyRef // third-party grid: the third party chosen

	Qty, Product, Desc, Price, Disc *entry
	TP                              *widget.Select // third-party grid only
	tpOptions                       []sales.ThirdParty
	Importe                         *widget.Label
	remove                          *widget.Button
	box                             *fyne.Container
	looked                          string // the code last looked up
}

func (g *itemGrid) newRow() *itemRow {
	f := g.f
	r := &itemRow{g: g, base: sales.Line{ObjetoImp: sales.ObjetoImpSi, Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}}}
	r.Qty = f.newEntry("")
	r.Product = f.newEntry(lang.L("Código"))
	r.Desc = f.newEntry("")
	r.Price = f.newEntry("")
	r.Disc = f.newEntry("")
	r.Importe = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { g.remove(r) })
	r.remove.Importance = widget.LowImportance
	// Tab (or Enter) after a product code fills the rest of the row from
	// the product catalog.
	r.Product.onBlur = func() { r.lookup(r.Product.Text) }
	r.Product.OnSubmitted = func(s string) { r.lookup(s) }
	last := r.Disc
	objs := []fyne.CanvasObject{r.Qty, r.Product, r.Desc, r.Price, r.Disc}
	if g.third {
		r.TP = widgets.NewSelect(nil, func(string) {
			if i := r.TP.SelectedIndex(); i >= 0 && i < len(r.tpOptions) {
				r.tp = r.tpOptions[i].Ref()
			}
			f.changed()
		})
		r.TP.PlaceHolder = lang.L("Elija el tercero")
		r.offerThirdParties(f.tps)
		objs = append(objs, r.TP)
	}
	last.OnSubmitted = func(string) { g.addRow(true) }
	objs = append(objs, r.Importe, r.remove)
	r.box = container.New(gridLayout{g.widths}, objs...)
	return r
}

// offerThirdParties sets the third parties the row's select offers,
// keeping the chosen one.
func (r *itemRow) offerThirdParties(tps []sales.ThirdParty) {
	if r.TP == nil {
		return
	}
	r.tpOptions = tps
	opts := make([]string, len(tps))
	for i, t := range tps {
		opts[i] = t.Name + " (" + t.RFC + ")"
	}
	was := r.g.f.filling
	r.g.f.filling = true
	r.TP.Options = opts
	r.TP.ClearSelected()
	if r.tp != nil {
		found := false
		for i, t := range tps {
			if t.ID == r.tp.ID {
				r.TP.SetSelectedIndex(i)
				found = true
			}
		}
		if !found { // a third party since deactivated: keep the snapshot
			r.TP.Options = append(r.TP.Options, r.tp.Name+" ("+r.tp.RFC+")")
			r.TP.SetSelectedIndex(len(r.TP.Options) - 1)
		}
	}
	r.TP.Refresh()
	r.g.f.filling = was
}

// SelectThirdParty chooses the third party with RFC rfc in the row.
func (r *itemRow) SelectThirdParty(rfc string) bool {
	for i, t := range r.tpOptions {
		if t.RFC == rfc {
			r.TP.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

// fill shows l; the caller guards change events.
func (r *itemRow) fill(l sales.Line) {
	r.base = l
	r.tp = l.ThirdParty
	if l.Cantidad.IsPositive() {
		r.Qty.SetText(l.Cantidad.String())
	}
	r.Product.SetText(l.NoIdentificacion)
	r.looked = l.NoIdentificacion
	r.Desc.SetText(l.Descripcion)
	r.Price.SetText(l.ValorUnitario.StringFixed(2))
	r.Disc.SetText("")
	if gross := l.Cantidad.Mul(l.ValorUnitario); l.Descuento.IsPositive() && gross.IsPositive() {
		r.Disc.SetText(l.Descuento.Mul(decimal.NewFromInt(100)).DivRound(gross, 2).String())
	}
	r.offerThirdParties(r.tpOptions)
}

// blank reports whether nothing was typed in the row.
func (r *itemRow) blank() bool {
	for _, e := range []*entry{r.Qty, r.Product, r.Desc, r.Price, r.Disc} {
		if strings.TrimSpace(e.Text) != "" {
			return false
		}
	}
	return r.base.ProductID == 0
}

// line returns the concept the row shows; text that does not parse goes to
// bad. The discount % becomes the concept's Descuento amount, rounded as
// SAT's rule for it says (tax.RoundDescuento).
func (r *itemRow) line(where string, decimals int32, bad map[string]string) sales.Line {
	l := r.base
	num := func(e *entry, what string) decimal.Decimal {
		t := strings.TrimSpace(e.Text)
		if t == "" {
			return decimal.Zero
		}
		d, err := tax.ParseAmount(t)
		if err != nil {
			bad[where+" "+what] = lang.L("{{.Where}}: {{.What}} no es un número; escríbalo con dígitos y punto decimal.", map[string]any{"Where": where, "What": what})
		}
		return d
	}
	l.Cantidad = num(r.Qty, lang.L("la cantidad"))
	l.Descripcion = r.Desc.Text
	l.ValorUnitario = num(r.Price, lang.L("el precio"))
	pct := num(r.Disc, lang.L("el % de descuento"))
	l.Descuento = decimal.Zero
	if pct.IsPositive() {
		l.Descuento = tax.RoundDescuento(l.Cantidad.Mul(l.ValorUnitario).Mul(pct).Div(decimal.NewFromInt(100)), decimals)
	}
	l.ThirdParty = nil
	if r.g.third {
		if r.tp == nil {
			bad[where+" tercero"] = lang.L("{{.Where}}: elija el tercero por cuya cuenta se factura.", map[string]any{"Where": where})
		} else {
			tp := *r.tp
			l.ThirdParty = &tp
		}
	}
	return l
}

// lookup fills the row from the product whose code is code (or the first
// the search finds), off the UI goroutine, keeping a quantity typed.
func (r *itemRow) lookup(code string) {
	f := r.g.f
	code = strings.TrimSpace(code)
	if f.filling || code == "" || code == r.looked {
		return
	}
	r.looked = code
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		found, err := f.deps.Editor.Products.FindProducts(ctx, sales.ProductFilter{Query: code, Limit: searchLimit})
		fyne.Do(func() {
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			if len(found) == 0 {
				f.Status.SetText(lang.L("Ningún producto coincide con «{{.Query}}».", map[string]any{"Query": code}))
				return
			}
			p := found[0]
			for _, x := range found {
				if strings.EqualFold(x.Code, code) {
					p = x
				}
			}
			r.applyProduct(&p)
		})
	}()
}

// applyProduct fills the row from p (its taxes and withholdings
// included), keeping a quantity and a discount already typed.
func (r *itemRow) applyProduct(p *sales.Product) {
	f := r.g.f
	qty := decimal.NewFromInt(1)
	if d, err := tax.ParseAmount(r.Qty.Text); err == nil && d.IsPositive() {
		qty = d
	}
	disc := r.Disc.Text
	f.filling = true
	l := sales.LineFromProduct(p, qty)
	l.ThirdParty = r.tp
	r.fill(l)
	r.Disc.SetText(disc)
	f.filling = false
	f.Status.SetText("")
	f.recompute()
}
