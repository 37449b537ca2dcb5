package received

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
)

// Concordance is concordancia's use case (*received.Concordancer).
type Concordance interface {
	Start(ctx context.Context, docID int64) (*received.Concordance, error)
	Refresh(ctx context.Context, c *received.Concordance) error
	Accept(ctx context.Context, c *received.Concordance, link bool) (received.Accepted, error)
}

// ConcordanceView is the "Crear factura (concordancia)" dialog: each
// concepto of the XML with its product (a picker per line), the totals of
// the draft, the report (ERROR in red, Aviso), "Actualizar", "Vincular"
// and "Aceptar". Every figure and finding comes from received.Concordance.
type ConcordanceView struct {
	C       *received.Concordance
	Lines   *fyne.Container
	Totals  *widget.Label
	Report  *fyne.Container
	Message *widget.Label
	Update  *widget.Button
	Accept  *widget.Button
	LinkIt  *widget.Check

	s   *Screen
	dlg dialog.Dialog
	// Picker is the open product picker (for tests): Search and Results.
	Picker *ProductPicker
}

// openConcordance starts the concordancia of the selected document.
func (s *Screen) openConcordance() {
	d := s.selected()
	if d == nil {
		return
	}
	id := d.ID
	s.Note.SetText(lang.L("Leyendo el CFDI…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		c, err := s.deps.Concordance.Start(ctx, id)
		fyne.Do(func() {
			if err != nil {
				s.Note.SetText(domain.UserMessage(err))
				return
			}
			s.Note.SetText("")
			s.showConcordance(c)
		})
	}()
}

func (s *Screen) showConcordance(c *received.Concordance) {
	v := &ConcordanceView{C: c, s: s}
	s.ConcordView = v
	v.Lines = container.NewVBox()
	v.Report = container.NewVBox()
	v.Totals = widget.NewLabel("")
	v.Message = widget.NewLabel("")
	v.Message.Wrapping = fyne.TextWrapWord
	v.Update = widget.NewButton(lang.L("Actualizar"), v.refresh)
	v.Accept = widget.NewButton(lang.L("Aceptar"), v.accept)
	v.Accept.Importance = widget.HighImportance
	v.LinkIt = widget.NewCheck(lang.L("Vincular el CFDI a la factura (recomendado: así no se timbra dos veces)"), nil)
	v.LinkIt.SetChecked(true)
	head := widget.NewLabel(lang.L("CFDI {{.UUID}} · cliente {{.Name}} ({{.RFC}})", map[string]any{
		"UUID": c.Doc.UUID, "Name": c.Invoice.Customer.Name, "RFC": c.Invoice.Customer.RFC}))
	head.Wrapping = fyne.TextWrapWord
	v.show()
	cancel := widget.NewButton(lang.L("Cancelar"), func() {
		if v.dlg != nil {
			v.dlg.Hide()
		}
	})
	scroll := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Conceptos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.Lines, v.Totals,
		widget.NewLabelWithStyle(lang.L("Reporte de concordancia"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.Report))
	bottom := container.NewVBox(v.Message, v.LinkIt, container.NewHBox(cancel, v.Update, v.Accept))
	body := container.NewBorder(head, bottom, nil, nil, scroll)
	if win := widgets.WindowOf(s); win != nil {
		v.dlg = dialog.NewCustomWithoutButtons(lang.L("Crear factura (concordancia)"), body, win)
		v.dlg.Resize(fyne.NewSize(900, 620))
		v.dlg.Show()
	}
}

// show draws the lines, the totals and the report of v.C.
func (v *ConcordanceView) show() {
	c := v.C
	v.Lines.RemoveAll()
	for i := range c.Lines {
		i := i
		l := c.Lines[i]
		k := l.Concepto
		what := widget.NewLabel(fmt.Sprintf("%d. %s — %s × %s = %s", i+1, k.Descripcion, k.Cantidad, k.ValorUnitario, k.Importe))
		what.Wrapping = fyne.TextWrapWord
		prod := lang.L("Sin producto")
		if l.ProductID != 0 && l.Product != "" {
			prod = l.Product
		}
		for _, m := range l.Suggested {
			if m.ProductID == l.ProductID {
				prod += " " + lang.L("(confirmado {{.N}} veces)", map[string]any{"N": m.Confirmations})
				break
			}
		}
		pl := widget.NewLabel(prod)
		if l.ProductID == 0 {
			pl.Importance = widget.DangerImportance
		}
		pick := widget.NewButton(lang.L("Elegir producto…"), func() { v.pick(i) })
		v.Lines.Add(container.NewBorder(nil, nil, nil, container.NewHBox(pl, pick), what))
	}
	t := c.Totals
	dec := t.Decimals
	v.Totals.SetText(lang.L("Documento: subtotal {{.S}} + impuestos {{.I}} − retenciones {{.R}} = {{.T}} (XML: {{.X}})", map[string]any{
		"S": t.SubTotal.StringFixed(dec), "I": t.TotalImpuestosTrasladados.StringFixed(dec), "R": t.TotalImpuestosRetenidos.StringFixed(dec),
		"T": t.Total.StringFixed(dec), "X": c.Comprobante.Total}))
	v.Report.RemoveAll()
	if len(c.Report) == 0 {
		ok := widget.NewLabel(lang.L("Sin diferencias: el documento coincide con el XML."))
		ok.Importance = widget.SuccessImportance
		v.Report.Add(ok)
	}
	for _, f := range c.Report {
		l := widget.NewLabel(lang.L("Aviso") + ": " + f.Msg)
		l.Wrapping = fyne.TextWrapWord
		if f.Error {
			l.SetText("ERROR: " + f.Msg)
			l.Importance = widget.DangerImportance
		} else {
			l.Importance = widget.WarningImportance
		}
		v.Report.Add(l)
	}
	if c.Blocked() {
		v.Accept.Disable()
	} else {
		v.Accept.Enable()
	}
}

// Findings returns the report as shown: "ERROR: …" or "Aviso: …" (tests).
func (v *ConcordanceView) Findings() []string {
	var out []string
	for _, o := range v.Report.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

// busy disables the actions while a request runs.
func (v *ConcordanceView) busy(on bool) {
	if on {
		v.Update.Disable()
		v.Accept.Disable()
		return
	}
	v.Update.Enable()
	v.show()
}

// refresh recomputes with the products chosen (Actualizar).
func (v *ConcordanceView) refresh() {
	v.busy(true)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := v.s.deps.Concordance.Refresh(ctx, v.C)
		fyne.Do(func() {
			v.Message.SetText("")
			if err != nil {
				v.Message.SetText(domain.UserMessage(err))
			}
			v.busy(false)
		})
	}()
}

// accept saves the draft and the memory, and links it when asked.
func (v *ConcordanceView) accept() {
	link := v.LinkIt.Checked
	v.busy(true)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		acc, err := v.s.deps.Concordance.Accept(ctx, v.C, link)
		fyne.Do(func() {
			if err != nil {
				v.Message.SetText(domain.UserMessage(err))
				v.busy(false)
				return
			}
			if v.dlg != nil {
				v.dlg.Hide()
			}
			v.s.List.Reload()
			switch {
			case acc.Linked:
				v.s.Note.SetText(linkedText(acc.Invoice))
			case acc.LinkRefusal != "":
				v.s.Note.SetText(lang.L("Borrador {{.ID}} guardado en Facturas › Borradores; no se vinculó: {{.Why}}", map[string]any{"ID": acc.Invoice.ID, "Why": acc.LinkRefusal}))
			default:
				v.s.Note.SetText(lang.L("Borrador {{.ID}} guardado en Facturas › Borradores.", map[string]any{"ID": acc.Invoice.ID}))
			}
		})
	}()
}

// ProductPicker searches the catalog as the user types (the same query as
// the invoice editor's product search, sales.ProductFilter) and sets the
// line's product.
type ProductPicker struct {
	Search  *widget.Entry
	Results *widget.List
	Found   []sales.Product
	gen     int
}

// pick opens the picker for line i.
func (v *ConcordanceView) pick(i int) {
	p := &ProductPicker{Search: widget.NewEntry()}
	v.Picker = p
	var dlg dialog.Dialog
	p.Results = widget.NewList(func() int { return len(p.Found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(j widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(p.Found[j].Code + " · " + p.Found[j].Description)
		})
	choose := func(j int) {
		if j < 0 || j >= len(p.Found) {
			return
		}
		pr := p.Found[j]
		v.C.Lines[i].ProductID, v.C.Lines[i].Product = pr.ID, pr.Code+" "+pr.Description
		if dlg != nil {
			dlg.Hide()
		}
		v.show()
		v.Accept.Disable() // until "Actualizar" recomputes
		v.Message.SetText(lang.L("Pulse «Actualizar» para recalcular los impuestos con el catálogo."))
	}
	p.Results.OnSelected = func(j widget.ListItemID) { choose(j) }
	p.Search.SetPlaceHolder(lang.L("Buscar producto por código o descripción"))
	p.Search.OnChanged = func(q string) { v.searchProducts(p, q) }
	p.Search.OnSubmitted = func(string) { choose(0) }
	sc := container.NewVScroll(p.Results)
	sc.SetMinSize(fyne.NewSize(480, 240))
	if win := widgets.WindowOf(v.s); win != nil {
		dlg = dialog.NewCustom(lang.L("Elegir producto"), lang.L("Cancelar"), container.NewBorder(p.Search, nil, nil, nil, sc), win)
		dlg.Show()
		win.Canvas().Focus(p.Search)
	}
	p.Search.SetText(v.C.Lines[i].Concepto.Descripcion)
}

func (v *ConcordanceView) searchProducts(p *ProductPicker, q string) {
	p.gen++
	gen := p.gen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		found, err := v.s.deps.Products(ctx, q)
		fyne.Do(func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				v.Message.SetText(domain.UserMessage(err))
				return
			}
			p.Found = found
			p.Results.UnselectAll()
			p.Results.Refresh()
		})
	}()
}
