package company

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// SeriesPanelStore is what the series tab reads and writes.
type SeriesPanelStore interface {
	ActiveCompany(ctx context.Context) (*sales.Company, error)
	SeriesStore
}

// seriesTipos are the document types that take a series, with their
// translated labels (literal lang.L calls, so the translation check sees
// them).
var seriesTipos = []struct {
	tipo  string
	label func() string
}{
	{sales.TipoIngreso, func() string { return lang.L("I — Ingreso (facturas)") }},
	{sales.TipoEgreso, func() string { return lang.L("E — Egreso (notas de crédito)") }},
	{sales.TipoPago, func() string { return lang.L("P — Pago (complementos de pago)") }},
}

// SeriesPanel is the "Series" tab: the active company's series, each with
// its document type and the folio the next document will take, and a form
// to add one. Changing the number proposed when posting asks for the
// administrator password in the invoice editor, not here.
type SeriesPanel struct {
	widget.BaseWidget

	store SeriesPanelStore

	company *sales.Company
	rows    []string
	busy    bool

	list    *widget.List
	serie   *widget.Entry
	tipo    *widget.Select
	next    *widget.Entry
	add     *widget.Button
	message *widget.Label
}

// NewSeriesPanel returns the tab; Reload fills it.
func NewSeriesPanel(store SeriesPanelStore) *SeriesPanel {
	p := &SeriesPanel{store: store}
	p.list = widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(p.rows) {
				o.(*widget.Label).SetText(p.rows[id])
			}
		})
	p.serie = widget.NewEntry()
	opts := make([]string, len(seriesTipos))
	for i, t := range seriesTipos {
		opts[i] = t.label()
	}
	p.tipo = widgets.NewSelect(opts, nil)
	p.tipo.SetSelectedIndex(0)
	p.next = widget.NewEntry()
	p.next.SetText("1")
	p.add = widget.NewButtonWithIcon(lang.L("Agregar serie"), theme.ContentAddIcon(), p.Add)
	p.add.Disable()
	p.message = newMessage()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the add form above the list.
func (p *SeriesPanel) CreateRenderer() fyne.WidgetRenderer {
	form := container.NewGridWithColumns(4,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Serie")), nil, p.serie),
		p.tipo,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Siguiente folio")), nil, p.next),
		p.add)
	// The example goes below the row: a grey "A" in the empty entry read as
	// a series already typed.
	hint := widget.NewLabelWithStyle(lang.L("Letras que anteceden al folio; p. ej. A o FAC"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	hint.SizeName = theme.SizeNameCaptionText
	top := container.NewVBox(heading(lang.L("Series y folios")), form, hint, p.message)
	return widget.NewSimpleRenderer(container.NewPadded(container.NewBorder(top, nil, nil, nil, p.list)))
}

// load reads the active company and its series, formatted.
func (p *SeriesPanel) load(ctx context.Context) (*sales.Company, []string, error) {
	co, err := p.store.ActiveCompany(ctx)
	if err != nil {
		return nil, nil, err
	}
	list, err := p.store.FindSeries(ctx, co.RFC)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]string, len(list))
	for i, s := range list {
		rows[i] = seriesRow(s)
	}
	return co, rows, nil
}

// seriesRow formats one series for the list.
func seriesRow(s sales.Series) string {
	tipo := s.TipoDeComprobante
	for _, t := range seriesTipos {
		if t.tipo == s.TipoDeComprobante {
			tipo = t.label()
		}
	}
	row := lang.L("Serie {{.Serie}} · {{.Tipo}} · siguiente folio {{.Next}}", map[string]any{"Serie": s.Serie, "Tipo": tipo, "Next": s.NextFolio})
	if !s.Active {
		row += " · " + lang.L("desactivada")
	}
	return row
}

// Reload reads the series off the UI goroutine and shows them.
func (p *SeriesPanel) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		co, rows, err := p.load(ctx)
		fyne.Do(func() { p.apply(co, rows, err) })
	}()
}

// apply shows the series (or err) on the UI goroutine.
func (p *SeriesPanel) apply(co *sales.Company, rows []string, err error) {
	if err != nil {
		p.company, p.rows = nil, nil
		p.list.Refresh()
		p.add.Disable()
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	p.company, p.rows = co, rows
	p.list.Refresh()
	if !p.busy {
		p.add.Enable()
	}
	if len(rows) == 0 {
		showMessage(p.message, widget.WarningImportance, lang.L("La empresa no tiene series: agregue al menos una de ingreso (I) para facturar."))
	}
}

// series returns the series typed in the form, normalised.
func (p *SeriesPanel) series() (*sales.Series, error) {
	next, err := strconv.ParseInt(strings.TrimSpace(p.next.Text), 10, 64)
	if err != nil {
		return nil, domain.E(domain.Invalid, "company.series", lang.L("El siguiente folio debe ser un número entero, 1 o mayor."), err)
	}
	s := &sales.Series{Issuer: p.company.RFC, Serie: p.serie.Text, NextFolio: next, Active: true}
	if i := p.tipo.SelectedIndex(); i >= 0 && i < len(seriesTipos) {
		s.TipoDeComprobante = seriesTipos[i].tipo
	}
	s.Normalize()
	return s, s.Validate()
}

// Add validates the series and stores it off the UI goroutine.
func (p *SeriesPanel) Add() {
	if p.busy || p.company == nil {
		return
	}
	s, err := p.series()
	if err != nil {
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	p.busy = true
	p.add.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := p.store.CreateSeries(ctx, s)
		var co *sales.Company
		var rows []string
		if err == nil {
			co, rows, err = p.load(ctx)
		}
		fyne.Do(func() {
			p.busy = false
			p.add.Enable()
			if err != nil {
				showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.apply(co, rows, nil)
			p.serie.SetText("")
			p.next.SetText("1")
			showMessage(p.message, widget.SuccessImportance, lang.L("Serie {{.Serie}} agregada.", map[string]any{"Serie": s.Serie}))
		})
	}()
}
