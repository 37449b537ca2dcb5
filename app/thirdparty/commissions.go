package thirdparty

import (
	"context"
	"strconv"
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

// CommissionsScreen is "Comisiones": the sellers' commissions of a period
// (from the sellers tab of each invoice), per seller and per document.
type CommissionsScreen struct {
	widget.BaseWidget

	deps ReportsDeps
	com  tp.Commissions

	Desde, Hasta *widget.Entry
	sellers      *widget.Table
	rows         *widget.Table
	status       *widget.Label
	body         fyne.CanvasObject
}

// NewCommissionsScreen builds the screen on the current month and starts
// loading it.
func NewCommissionsScreen(deps ReportsDeps) fyne.CanvasObject {
	s := newCommissionsScreen(deps)
	s.Reload()
	return s
}

func newCommissionsScreen(deps ReportsDeps) *CommissionsScreen {
	s := &CommissionsScreen{deps: deps}
	from, _ := tp.MonthRange(deps.now())
	s.Desde, s.Hasta = widget.NewEntry(), widget.NewEntry()
	s.Desde.SetText(from.Format("2006-01-02"))
	s.Hasta.SetText(deps.now().In(domain.MexicoCity).Format("2006-01-02"))
	s.sellers = newTable(func() []tp.SellerTotal { return s.com.Sellers }, []column[tp.SellerTotal]{
		{lang.L("Vendedor"), 220, func(r tp.SellerTotal) string { return r.Seller }},
		{lang.L("Documentos"), 100, func(r tp.SellerTotal) string { return itoa(r.Documents) }},
		{lang.L("Base MXN"), 130, func(r tp.SellerTotal) string { return tax.FormatMXN(r.BaseMXN) }},
		{lang.L("Comisión MXN"), 130, func(r tp.SellerTotal) string { return tax.FormatMXN(r.Amount) }},
	}, nil)
	s.rows = newTable(func() []tp.CommissionRow { return s.com.Rows }, []column[tp.CommissionRow]{
		{lang.L("Fecha"), 90, func(r tp.CommissionRow) string { return r.Fecha.In(domain.MexicoCity).Format("02/01/2006") }},
		{lang.L("Documento"), 90, func(r tp.CommissionRow) string { return r.Number() }},
		{lang.L("Cliente"), 220, func(r tp.CommissionRow) string { return r.CustomerName }},
		{lang.L("Vendedor"), 160, func(r tp.CommissionRow) string { return r.Seller }},
		{lang.L("Base MXN"), 120, func(r tp.CommissionRow) string { return tax.FormatMXN(r.BaseMXN) }},
		{"%", 60, func(r tp.CommissionRow) string { return r.Percent.String() }},
		{lang.L("Comisión MXN"), 120, func(r tp.CommissionRow) string { return tax.FormatMXN(r.Amount) }},
	}, nil)
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	show := widget.NewButtonWithIcon(lang.L("Actualizar"), theme.ViewRefreshIcon(), s.Reload)
	bar := []fyne.CanvasObject{widget.NewLabel(lang.L("Desde")), sized(s.Desde, 130), widget.NewLabel(lang.L("Hasta")), sized(s.Hasta, 130), show}
	bar = append(bar, fileButtons(func() fyne.CanvasObject { return s }, s.status, func() string { return "comisiones" }, s.writeFile)...)
	split := container.NewVSplit(s.sellers, s.rows)
	split.Offset = 0.35
	s.body = container.NewBorder(container.NewHBox(bar...), s.status, nil, nil, split)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the screen.
func (s *CommissionsScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.body)
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *CommissionsScreen) writeFile(ctx context.Context, f Format) ([]byte, error) {
	if s.deps.CommissionsFile == nil {
		return nil, domain.E(domain.Internal, "commissions file", lang.L("Los reportes no están disponibles en esta instalación."), nil)
	}
	c := s.com
	return s.deps.CommissionsFile(ctx, f, &c)
}

// load reads the commissions of the period in the entries.
func (s *CommissionsScreen) load(ctx context.Context) (tp.Commissions, error) {
	from, to, err := period(s.Desde.Text, s.Hasta.Text)
	if err != nil {
		return tp.Commissions{}, err
	}
	if from.IsZero() || to.IsZero() {
		return tp.Commissions{}, domain.E(domain.Invalid, "comisiones", lang.L("Escriba las dos fechas del periodo."), nil)
	}
	return s.deps.Source.Commissions(ctx, s.deps.Issuer, from, to)
}

// Reload reads the commissions off the UI goroutine and shows them.
func (s *CommissionsScreen) Reload() {
	if s.deps.Source == nil {
		s.status.SetText(lang.L("Las comisiones no están disponibles en esta instalación."))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := s.load(ctx)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.com = c
			s.status.SetText(lang.L("Total de comisiones: {{.Total}} (MXN).", map[string]any{"Total": tax.FormatMXN(c.Total)}))
			s.sellers.Refresh()
			s.rows.Refresh()
		})
	}()
}

// Sellers returns the totals per seller shown.
func (s *CommissionsScreen) Sellers() []tp.SellerTotal { return s.com.Sellers }

// Status is the status line's text.
func (s *CommissionsScreen) Status() string { return s.status.Text }
