package received

import (
	"context"
	"fmt"
	"strings"
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
	"github.com/folio-mx/folio/domain/tax"
)

// LinkView is the "Vincular a factura…" dialog: the drafts of the
// document's customer (same RFC as its Receptor), one to choose, and the
// refusal of the link when a rule fails.
type LinkView struct {
	Doc     received.Doc
	Drafts  []sales.InvoiceRow
	List    *widget.List
	Message *widget.Label
	Link    *widget.Button

	chosen int
	dlg    dialog.Dialog
}

// openLink opens the dialog for the selected document.
func (s *Screen) openLink() {
	d := s.selected()
	if d == nil {
		return
	}
	if d.InvoiceID != 0 {
		s.Note.SetText(lang.L("Este CFDI ya está vinculado a una factura."))
		return
	}
	v := &LinkView{Doc: *d, chosen: -1}
	s.LinkView = v
	v.Message = widget.NewLabel(lang.L("Buscando borradores de {{.RFC}}…", map[string]any{"RFC": d.RfcReceptor}))
	v.Message.Wrapping = fyne.TextWrapWord
	v.List = widget.NewList(func() int { return len(v.Drafts) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(draftText(v.Drafts[i])) })
	v.List.OnSelected = func(i widget.ListItemID) { v.chosen = i; v.Link.Enable() }
	v.Link = widget.NewButton(lang.L("Vincular"), func() { s.link(v) })
	v.Link.Importance = widget.HighImportance
	v.Link.Disable()
	intro := widget.NewLabel(lang.L("La factura elegida toma este CFDI como su documento fiscal: queda emitida con su UUID, serie y folio y no se timbra otra vez. Solo se vincula un borrador del mismo cliente (RFC del receptor) y con el mismo total."))
	intro.Wrapping = fyne.TextWrapWord
	head := widget.NewLabel(lang.L("CFDI {{.Folio}} de {{.RFC}} por {{.Total}}", map[string]any{
		"Folio": strings.Trim(d.Serie+"-"+d.Folio, "-"), "RFC": d.RfcReceptor, "Total": totalText(*d)}))
	sc := container.NewVScroll(v.List)
	sc.SetMinSize(fyne.NewSize(560, 220))
	cancel := widget.NewButton(lang.L("Cancelar"), func() { v.dlg.Hide() })
	body := container.NewBorder(container.NewVBox(head, intro), container.NewVBox(v.Message, container.NewHBox(cancel, v.Link)), nil, nil, sc)
	if win := widgets.WindowOf(s); win != nil {
		v.dlg = dialog.NewCustomWithoutButtons(lang.L("Vincular a factura"), body, win)
		v.dlg.Resize(fyne.NewSize(640, 480))
		v.dlg.Show()
	}
	issuer := s.issuer
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rows, err := s.deps.Drafts(ctx, issuer, d.RfcReceptor)
		fyne.Do(func() {
			if err != nil {
				v.Message.SetText(domain.UserMessage(err))
				return
			}
			v.Drafts = rows
			v.List.Refresh()
			if len(rows) == 0 {
				v.Message.SetText(lang.L("No hay borradores de factura de {{.RFC}}. Cree uno en Facturas o use «Crear factura (concordancia)…».", map[string]any{"RFC": d.RfcReceptor}))
				return
			}
			v.Message.SetText(lang.L("Elija el borrador que corresponde a esta venta."))
		})
	}()
}

func draftText(r sales.InvoiceRow) string {
	return fmt.Sprintf("%s · %s · %s · %s", lang.L("Borrador {{.ID}}", map[string]any{"ID": r.ID}),
		r.CustomerName, r.Fecha.In(domain.MexicoCity).Format("2006-01-02"), tax.FormatMXN(r.Total))
}

func totalText(d received.Doc) string {
	if d.Moneda == "MXN" || d.Moneda == "" {
		return tax.FormatMXN(d.TotalDecimal())
	}
	return d.Total + " " + d.Moneda
}

// link ties the chosen draft to the document; a refusal stays in the
// dialog naming the rule.
func (s *Screen) link(v *LinkView) {
	if v.chosen < 0 || v.chosen >= len(v.Drafts) {
		return
	}
	id := v.Drafts[v.chosen].ID
	v.Link.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		inv, err := s.deps.Link(ctx, id, v.Doc.ID)
		fyne.Do(func() {
			if err != nil {
				v.Message.SetText(domain.UserMessage(err))
				v.Message.Importance = widget.DangerImportance
				v.Message.Refresh()
				v.Link.Enable()
				return
			}
			if v.dlg != nil {
				v.dlg.Hide()
			}
			s.List.Reload()
			s.Note.SetText(linkedText(inv))
		})
	}()
}

func linkedText(inv sales.Invoice) string {
	folio := inv.Serie
	if inv.Folio != 0 {
		folio = strings.Trim(fmt.Sprintf("%s-%d", inv.Serie, inv.Folio), "-")
	}
	return lang.L("Factura {{.Folio}} vinculada al CFDI {{.UUID}}: está en Facturas › Emitidas.", map[string]any{"Folio": folio, "UUID": inv.UUID})
}
