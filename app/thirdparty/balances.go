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

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	tp "github.com/folio-mx/folio/domain/thirdparty"
)

// Source answers the third-party reports (*thirdparty.Service satisfies
// it).
type Source interface {
	Balances(ctx context.Context, issuer string, from, to time.Time, thirdPartyID int64) (tp.Report, error)
	SalesBook(ctx context.Context, issuer string, month time.Time) (tp.Book, error)
	Commissions(ctx context.Context, issuer string, from, to time.Time) (tp.Commissions, error)
	RecordPayout(ctx context.Context, p tp.Payout) (tp.PayoutResult, error)
	ThirdParties(ctx context.Context, issuer string) ([]sales.ThirdParty, error)
}

// Format is the kind of file a report is saved as: "pdf" or "csv".
type Format string

// The report files.
const (
	PDF Format = "pdf"
	CSV Format = "csv"
)

// ReportsDeps is what the balances, sales-book and commissions screens
// need. The File functions write a report as PDF or CSV (off the UI
// goroutine); nil hides the buttons. Accounts lists the company's cash and
// bank accounts for the payout form. Clock is domain.SystemClock when nil.
type ReportsDeps struct {
	Issuer          string
	Source          Source
	Accounts        func(ctx context.Context, issuer string) ([]banks.Account, error)
	BalancesFile    func(ctx context.Context, f Format, rep *tp.Report) ([]byte, error)
	SalesBookFile   func(ctx context.Context, f Format, b *tp.Book) ([]byte, error)
	CommissionsFile func(ctx context.Context, f Format, c *tp.Commissions) ([]byte, error)
	Clock           domain.Clock
}

func (d ReportsDeps) now() time.Time {
	if d.Clock == nil {
		return domain.SystemClock()
	}
	return d.Clock()
}

// column is one column of a report table.
type column[T any] struct {
	title string
	width float32
	text  func(T) string
}

// newTable is a read-only table of rows() with cols; selecting a row calls
// selected (may be nil).
func newTable[T any](rows func() []T, cols []column[T], selected func(int)) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(rows()), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			rs := rows()
			if id.Row >= 0 && id.Row < len(rs) {
				o.(*widget.Label).SetText(cols[id.Col].text(rs[id.Row]))
			}
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	if selected != nil {
		t.OnSelected = func(id widget.TableCellID) { selected(id.Row) }
	}
	return t
}

// parseDay reads a day AAAA-MM-DD (Mexico City); "" is zero.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, domain.MexicoCity)
	if err != nil {
		return t, domain.E(domain.Invalid, "fecha", lang.L("Escriba las fechas como AAAA-MM-DD (p. ej. 2026-11-30)."), err)
	}
	return t, nil
}

// period reads two day entries as [from, to): to is the day after hasta.
func period(desde, hasta string) (time.Time, time.Time, error) {
	from, err := parseDay(desde)
	if err != nil {
		return from, from, err
	}
	to, err := parseDay(hasta)
	if err != nil {
		return from, to, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	return from, to, nil
}

// saveFile asks where to save a report and writes it off the UI goroutine;
// status shows the outcome.
func saveFile(owner fyne.CanvasObject, status *widget.Label, name string, f Format, write func(context.Context, Format) ([]byte, error)) {
	w := widgets.WindowOf(owner)
	if w == nil {
		return
	}
	widgets.ShowFileSave(w, lang.L("Guardar reporte"), name+"."+string(f), []string{"." + string(f)}, func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		status.SetText(lang.L("Generando el reporte…"))
		go func() {
			defer wc.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			data, err := write(ctx, f)
			if err == nil {
				_, err = wc.Write(data)
			}
			fyne.Do(func() {
				if err != nil {
					status.SetText(domain.UserMessage(err))
					return
				}
				status.SetText(lang.L("Reporte guardado en {{.Path}}.", map[string]any{"Path": wc.URI().Path()}))
			})
		}()
	})
}

// fileButtons are the PDF… and CSV… buttons of a report (none without
// write).
func fileButtons(owner func() fyne.CanvasObject, status *widget.Label, name func() string, write func(context.Context, Format) ([]byte, error)) []fyne.CanvasObject {
	if write == nil {
		return nil
	}
	pdf := widget.NewButtonWithIcon(lang.L("PDF…"), theme.DocumentSaveIcon(), func() { saveFile(owner(), status, name(), PDF, write) })
	csv := widget.NewButtonWithIcon(lang.L("CSV…"), theme.DocumentSaveIcon(), func() { saveFile(owner(), status, name(), CSV, write) })
	return []fyne.CanvasObject{pdf, csv}
}

// BalancesScreen is "Saldos con terceros": per third party and currency
// what was billed on its behalf, collected, paid out, what is pending to
// pay out of what was collected and what is still owed; selecting a row
// lists its documents and payouts.
type BalancesScreen struct {
	widget.BaseWidget

	deps     ReportsDeps
	report   tp.Report
	selected int

	Desde, Hasta *widget.Entry
	table        *widget.Table
	totals       *widget.Label
	docs         *widget.List
	docLines     []string
	status       *widget.Label
	payoutBtn    *widget.Button
	body         fyne.CanvasObject
}

// NewBalancesScreen builds the screen for deps.Issuer, from the first day
// of the year to today, and starts loading it.
func NewBalancesScreen(deps ReportsDeps) fyne.CanvasObject {
	s := newBalancesScreen(deps)
	s.Reload()
	return s
}

func newBalancesScreen(deps ReportsDeps) *BalancesScreen {
	s := &BalancesScreen{deps: deps, selected: -1}
	today := deps.now().In(domain.MexicoCity)
	s.Desde, s.Hasta = widget.NewEntry(), widget.NewEntry()
	s.Desde.SetText(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, domain.MexicoCity).Format("2006-01-02"))
	s.Hasta.SetText(today.Format("2006-01-02"))
	s.Desde.SetPlaceHolder("AAAA-MM-DD")
	s.Hasta.SetPlaceHolder("AAAA-MM-DD")
	cols := []column[tp.Balance]{
		{lang.L("Tercero"), 260, func(b tp.Balance) string { return b.Name + " (" + b.RFC + ")" }},
		{lang.L("Moneda"), 70, func(b tp.Balance) string { return b.Moneda }},
		{lang.L("Facturado"), 120, func(b tp.Balance) string { return tax.FormatMXN(b.Billed) }},
		{lang.L("Cobrado"), 120, func(b tp.Balance) string { return tax.FormatMXN(b.Collected) }},
		{lang.L("Liquidado"), 120, func(b tp.Balance) string { return tax.FormatMXN(b.PaidOut) }},
		{lang.L("Por pagar"), 120, func(b tp.Balance) string { return tax.FormatMXN(b.PendingPayout) }},
		{lang.L("Saldo"), 120, func(b tp.Balance) string { return tax.FormatMXN(b.Owed) }},
	}
	s.table = newTable(func() []tp.Balance { return s.report.Balances }, cols, s.Select)
	s.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.totals.Wrapping = fyne.TextWrapWord
	s.docs = widget.NewList(func() int { return len(s.docLines) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.docLines[i]) })
	s.status = widget.NewLabel(lang.L("Elija un tercero para ver sus documentos."))
	s.status.Wrapping = fyne.TextWrapWord
	refresh := widget.NewButtonWithIcon(lang.L("Actualizar"), theme.ViewRefreshIcon(), s.Reload)
	s.payoutBtn = widget.NewButtonWithIcon(lang.L("Registrar liquidación…"), theme.ContentAddIcon(), s.showPayout)
	bar := []fyne.CanvasObject{widget.NewLabel(lang.L("Desde")), sized(s.Desde, 130), widget.NewLabel(lang.L("Hasta")), sized(s.Hasta, 130), refresh, s.payoutBtn}
	bar = append(bar, fileButtons(func() fyne.CanvasObject { return s }, s.status, func() string { return "saldos-terceros" },
		s.writeFile)...)
	split := container.NewVSplit(container.NewBorder(nil, s.totals, nil, nil, s.table), s.docs)
	split.Offset = 0.6
	s.body = container.NewBorder(container.NewHBox(bar...), s.status, nil, nil, split)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the screen.
func (s *BalancesScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.body)
}

func (s *BalancesScreen) writeFile(ctx context.Context, f Format) ([]byte, error) {
	if s.deps.BalancesFile == nil {
		return nil, domain.E(domain.Internal, "balances file", lang.L("Los reportes no están disponibles en esta instalación."), nil)
	}
	rep := s.report
	return s.deps.BalancesFile(ctx, f, &rep)
}

// load reads the report of the period in the entries.
func (s *BalancesScreen) load(ctx context.Context) (tp.Report, error) {
	from, to, err := period(s.Desde.Text, s.Hasta.Text)
	if err != nil {
		return tp.Report{}, err
	}
	return s.deps.Source.Balances(ctx, s.deps.Issuer, from, to, 0)
}

// Reload reads the balances off the UI goroutine and shows them.
func (s *BalancesScreen) Reload() {
	if s.deps.Source == nil {
		s.status.SetText(lang.L("Los saldos con terceros no están disponibles en esta instalación."))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		rep, err := s.load(ctx)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.show(rep)
		})
	}()
}

func (s *BalancesScreen) show(rep tp.Report) {
	s.report, s.selected, s.docLines = rep, -1, nil
	billed, collected, paid := rep.MXN()
	s.totals.SetText(lang.L("En pesos: facturado {{.Billed}} · cobrado {{.Collected}} · liquidado {{.Paid}} · saldo {{.Owed}}",
		map[string]any{"Billed": tax.FormatMXN(billed), "Collected": tax.FormatMXN(collected), "Paid": tax.FormatMXN(paid),
			"Owed": tax.FormatMXN(billed.Sub(paid))}))
	s.table.UnselectAll()
	s.table.Refresh()
	s.docs.Refresh()
	if len(rep.Balances) == 0 {
		s.status.SetText(lang.L("Ningún tercero tiene movimientos en el periodo."))
	} else {
		s.status.SetText(lang.L("Elija un tercero para ver sus documentos."))
	}
}

// Select shows the documents and payouts of row i.
func (s *BalancesScreen) Select(i int) {
	if i < 0 || i >= len(s.report.Balances) {
		return
	}
	s.selected = i
	b := s.report.Balances[i]
	s.docLines = nil
	for _, d := range s.report.DocsOf(b.ThirdPartyID) {
		if d.Moneda != b.Moneda {
			continue
		}
		s.docLines = append(s.docLines, lang.L("{{.Fecha}}  {{.Doc}}  {{.Customer}}  facturado {{.Billed}}  cobrado {{.Collected}}  {{.State}}",
			map[string]any{"Fecha": d.Fecha.In(domain.MexicoCity).Format("02/01/2006"), "Doc": d.Number(), "Customer": d.CustomerName,
				"Billed": tax.FormatMXN(d.Billed), "Collected": tax.FormatMXN(d.Collected), "State": stateText(d.State)}))
	}
	for _, p := range s.report.Payouts {
		if p.ThirdPartyID == b.ThirdPartyID && p.Moneda == b.Moneda {
			s.docLines = append(s.docLines, lang.L("{{.Fecha}}  Liquidación {{.ID}}  {{.Ref}}  −{{.Amount}}",
				map[string]any{"Fecha": p.Fecha.In(domain.MexicoCity).Format("02/01/2006"), "ID": p.ID, "Ref": p.Reference,
					"Amount": tax.FormatMXN(p.Amount)}))
		}
	}
	s.docs.Refresh()
	s.status.SetText(lang.L("{{.Name}}: {{.N}} documentos en el periodo.", map[string]any{"Name": b.Name, "N": b.Documents}))
}

// Rows returns the balances shown.
func (s *BalancesScreen) Rows() []tp.Balance { return s.report.Balances }

// DocLines returns the drill-down lines shown.
func (s *BalancesScreen) DocLines() []string { return s.docLines }

// Status is the status line's text.
func (s *BalancesScreen) Status() string { return s.status.Text }

// stateText is a document's collection state on screen.
func stateText(st tp.DocState) string {
	switch st {
	case tp.Collected:
		return lang.L("Cobrado")
	case tp.PartlyPaid:
		return lang.L("Cobro parcial")
	}
	return lang.L("Por cobrar")
}

// sized gives an entry in a toolbar a fixed width (an HBox gives it only
// its minimum, too narrow for a date).
func sized(e *widget.Entry, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, e.MinSize().Height), e)
}
