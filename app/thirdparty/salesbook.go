package thirdparty

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	tp "github.com/folio-mx/folio/domain/thirdparty"
)

// SalesBookScreen is the "Libro de ventas" of a month: every invoice and
// credit note with its own and third-party amounts, taxes and status, and
// the voided folios.
type SalesBookScreen struct {
	widget.BaseWidget

	deps  ReportsDeps
	book  tp.Book
	month time.Time

	Mes    *widget.Entry
	table  *widget.Table
	totals *widget.Label
	status *widget.Label
	body   fyne.CanvasObject
}

// NewSalesBookScreen builds the screen on the current month and starts
// loading it.
func NewSalesBookScreen(deps ReportsDeps) fyne.CanvasObject {
	s := newSalesBookScreen(deps)
	s.Reload()
	return s
}

func newSalesBookScreen(deps ReportsDeps) *SalesBookScreen {
	s := &SalesBookScreen{deps: deps}
	s.Mes = widget.NewEntry()
	s.Mes.SetPlaceHolder("AAAA-MM")
	s.Mes.SetText(deps.now().In(domain.MexicoCity).Format("2006-01"))
	s.Mes.OnSubmitted = func(string) { s.Reload() }
	day := func(r tp.BookRow) string { return r.Fecha.In(domain.MexicoCity).Format("02/01/2006") }
	cols := []column[tp.BookRow]{
		{lang.L("Documento"), 90, func(r tp.BookRow) string { return r.Number() }},
		{lang.L("Fecha"), 90, day},
		{lang.L("Cliente"), 220, func(r tp.BookRow) string {
			if r.Status == tp.Anulado {
				return r.Note
			}
			return r.CustomerName + " (" + r.CustomerRFC + ")"
		}},
		{lang.L("Propio"), 105, func(r tp.BookRow) string { return tax.FormatMXN(r.Own) }},
		{lang.L("Terceros"), 105, func(r tp.BookRow) string { return tax.FormatMXN(r.ThirdParty) }},
		{lang.L("IVA"), 95, func(r tp.BookRow) string { return tax.FormatMXN(r.IVA) }},
		{lang.L("IEPS"), 85, func(r tp.BookRow) string { return tax.FormatMXN(r.IEPS) }},
		{lang.L("Retenciones"), 95, func(r tp.BookRow) string { return tax.FormatMXN(r.Retenciones) }},
		{lang.L("Total"), 110, func(r tp.BookRow) string { return tax.FormatMXN(r.Total) }},
		{lang.L("Estado"), 100, func(r tp.BookRow) string { return bookStatus(r.Status) }},
	}
	s.table = newTable(func() []tp.BookRow { return s.book.Rows }, cols, nil)
	s.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.totals.Wrapping = fyne.TextWrapWord
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { s.shift(-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.shift(1) })
	show := widget.NewButtonWithIcon(lang.L("Mostrar"), theme.ViewRefreshIcon(), s.Reload)
	bar := []fyne.CanvasObject{widget.NewLabel(lang.L("Mes")), prev, sized(s.Mes, 100), next, show}
	bar = append(bar, fileButtons(func() fyne.CanvasObject { return s }, s.status,
		func() string { return "libro-de-ventas-" + strings.TrimSpace(s.Mes.Text) }, s.writeFile)...)
	s.body = container.NewBorder(container.NewHBox(bar...), container.NewVBox(s.totals, s.status), nil, nil, s.table)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the screen.
func (s *SalesBookScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.body)
}

func bookStatus(st tp.BookStatus) string {
	switch st {
	case tp.Cancelada:
		return lang.L("Cancelada")
	case tp.Anulado:
		return lang.L("Anulado")
	}
	return lang.L("Vigente")
}

func (s *SalesBookScreen) writeFile(ctx context.Context, f Format) ([]byte, error) {
	if s.deps.SalesBookFile == nil {
		return nil, domain.E(domain.Internal, "sales book file", lang.L("Los reportes no están disponibles en esta instalación."), nil)
	}
	b := s.book
	return s.deps.SalesBookFile(ctx, f, &b)
}

// parseMonth reads AAAA-MM.
func parseMonth(text string) (time.Time, error) {
	m, err := time.ParseInLocation("2006-01", strings.TrimSpace(text), domain.MexicoCity)
	if err != nil {
		return m, domain.E(domain.Invalid, "mes", lang.L("Escriba el mes como AAAA-MM (p. ej. 2026-11)."), err)
	}
	return m, nil
}

// shift moves the month by n and reloads.
func (s *SalesBookScreen) shift(n int) {
	m, err := parseMonth(s.Mes.Text)
	if err != nil {
		s.status.SetText(domain.UserMessage(err))
		return
	}
	s.Mes.SetText(m.AddDate(0, n, 0).Format("2006-01"))
	s.Reload()
}

// load reads the book of the month in the entry.
func (s *SalesBookScreen) load(ctx context.Context) (tp.Book, error) {
	m, err := parseMonth(s.Mes.Text)
	if err != nil {
		return tp.Book{}, err
	}
	return s.deps.Source.SalesBook(ctx, s.deps.Issuer, m)
}

// Reload reads the book off the UI goroutine and shows it.
func (s *SalesBookScreen) Reload() {
	if s.deps.Source == nil {
		s.status.SetText(lang.L("El libro de ventas no está disponible en esta instalación."))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b, err := s.load(ctx)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.show(b)
		})
	}()
}

func (s *SalesBookScreen) show(b tp.Book) {
	s.book = b
	t := b.Totals
	s.totals.SetText(lang.L("Vigentes: {{.N}} · canceladas: {{.C}} · anulados: {{.V}} · propio {{.Own}} · terceros {{.TP}} · IVA {{.IVA}} · total {{.Total}} (MXN)",
		map[string]any{"N": b.Counts[tp.Vigente], "C": b.Counts[tp.Cancelada], "V": b.Counts[tp.Anulado], "Own": tax.FormatMXN(t.Own),
			"TP": tax.FormatMXN(t.ThirdParty), "IVA": tax.FormatMXN(t.IVA), "Total": tax.FormatMXN(t.Total)}))
	s.status.SetText("")
	s.table.Refresh()
}

// Rows returns the rows shown.
func (s *SalesBookScreen) Rows() []tp.BookRow { return s.book.Rows }

// Totals is the totals line's text.
func (s *SalesBookScreen) Totals() string { return s.totals.Text }
