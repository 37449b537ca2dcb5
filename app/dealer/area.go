// Package dealer is the "Administrador de timbres" area: for a reseller or
// an accountant whose PAC account is a dealer account, the client
// accounts (create, edit, hand out and take back stamps, deactivate,
// delete, use as a company's PAC account), their documents and issuers,
// the dealer's own account and history, what Folio did through it, and a
// report per client. Every rule lives in domain/dealer; the screens only
// present its verdicts. It never imports data.
package dealer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
)

// Service is what the area asks of the dealer account (*dealer.Service).
type Service interface {
	Clients(ctx context.Context, f dealer.Filter) (dealer.Page, error)
	Create(ctx context.Context, c dealer.NewClient) (dealer.Client, error)
	Update(ctx context.Context, u dealer.ClientUpdate) (bool, error)
	ChangePassword(ctx context.Context, c dealer.Client, password string) error
	SetActive(ctx context.Context, c dealer.Client, active bool) error
	Delete(ctx context.Context, c dealer.Client) error
	AddStamps(ctx context.Context, ch dealer.StampsChange) (int64, error)
	RemoveStamps(ctx context.Context, ch dealer.StampsChange) (int64, error)
	OwnBalance(ctx context.Context) (dealer.Balance, error)
	ClientBalance(ctx context.Context, id string) (dealer.Balance, error)
	Documents(ctx context.Context, id string, from, to time.Time) ([]dealer.Document, error)
	DocumentXML(ctx context.Context, d dealer.Document) ([]byte, error)
	Issuers(ctx context.Context, id string) ([]string, error)
	SetIssuers(ctx context.Context, c dealer.Client, rfcs []string) error
	History(ctx context.Context, id string, from, to time.Time) ([]dealer.Movement, bool, error)
	Actions(ctx context.Context, f dealer.ActionFilter) ([]dealer.Action, error)
	Report(ctx context.Context, from, to time.Time) ([]dealer.ClientReport, error)
	RecordUseAsPAC(ctx context.Context, c dealer.Client, companyRFC string)
}

// Deps are the area's dependencies. Open is required.
type Deps struct {
	// Open returns the Administrador de timbres of the company's PAC
	// account; it may start a local PAC or reach the network, and runs off
	// the UI goroutine.
	Open func(ctx context.Context, companyID int64) (Service, error)
	// Account names the dealer account (PAC and environment, user) for
	// "Mi cuenta"; never a secret.
	Account func(ctx context.Context, companyID int64) (name, user string, err error)
	// Companies lists the installation's companies; UseAsPAC makes client
	// account c the PAC account of company companyID. Both nil hide "Usar
	// como cuenta PAC de una empresa".
	Companies func(ctx context.Context) ([]sales.Company, error)
	UseAsPAC  func(ctx context.Context, dealerCompanyID, companyID int64, c dealer.Client) error
	// Now is the clock of the default periods [time.Now].
	Now domain.Clock
}

const callTimeout = 60 * time.Second

// Area is the "Administrador de timbres": its tabs over one dealer
// account. Create it with NewArea; its methods run on the UI goroutine.
type Area struct {
	widget.BaseWidget

	deps    Deps
	company *sales.Company
	svc     Service

	Tabs      *container.AppTabs
	Clients   *ClientsTab
	Documents *DocumentsTab
	Issuers   *IssuersTab
	Account   *AccountTab
	History   *MovementsView
	Actions   *ActionsTab
	Report    *ReportTab
	Status    *widget.Label
}

// NewArea builds the area for company co; Reload connects to its dealer
// account.
func NewArea(deps Deps, co *sales.Company) *Area {
	if deps.Now == nil {
		deps.Now = domain.SystemClock
	}
	a := &Area{deps: deps, company: co, Status: widget.NewLabel("")}
	a.Status.Wrapping = fyne.TextWrapWord
	a.Clients = newClientsTab(a)
	a.Documents = newDocumentsTab(a)
	a.Issuers = newIssuersTab(a)
	a.Account = newAccountTab(a)
	a.History = newMovementsView(a, "")
	a.Actions = newActionsTab(a)
	a.Report = newReportTab(a)
	a.Tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Clientes"), a.Clients),
		container.NewTabItem(lang.L("Comprobantes"), a.Documents),
		container.NewTabItem(lang.L("Emisores"), a.Issuers),
		container.NewTabItem(lang.L("Mi cuenta"), a.Account),
		container.NewTabItem(lang.L("Mi historial"), a.History),
		container.NewTabItem(lang.L("Mis acciones"), a.Actions),
		container.NewTabItem(lang.L("Reporte de clientes"), a.Report),
	)
	a.Tabs.OnSelected = func(*container.TabItem) { a.reloadTab() }
	a.ExtendBaseWidget(a)
	return a
}

// CreateRenderer shows the tabs above the status line.
func (a *Area) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, a.Status, nil, nil, a.Tabs))
}

// Service returns the dealer account's service once connected (nil before).
func (a *Area) Service() Service { return a.svc }

// Connect opens the dealer account synchronously (tests call it).
func (a *Area) Connect(ctx context.Context) (Service, error) {
	return a.deps.Open(ctx, a.company.ID)
}

// Reload connects off the UI goroutine, then loads the tab on screen.
func (a *Area) Reload() {
	a.Status.SetText(lang.L("Conectando con la cuenta de distribuidor…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		svc, err := a.Connect(ctx)
		fyne.Do(func() {
			if err != nil {
				a.Status.SetText(domain.UserMessage(err))
				return
			}
			a.svc = svc
			a.Status.SetText("")
			a.reloadTab()
		})
	}()
}

// reloadTab loads the tab on screen.
func (a *Area) reloadTab() {
	if a.svc == nil {
		return
	}
	switch a.Tabs.Selected().Content {
	case a.Clients:
		a.Clients.list.Reload()
	case a.Account:
		a.Account.Reload()
	case a.Issuers:
		a.Issuers.reloadClients()
	case a.Documents:
		a.Documents.reloadClients()
	case a.Actions:
		a.Actions.Reload()
	case a.History:
		a.History.Search()
	case a.Report:
		a.Report.Search()
	}
}

// run does fn off the UI goroutine with the service and calls done on the
// UI goroutine with its error (the status line shows it unless done
// handles it).
func (a *Area) run(fn func(ctx context.Context, svc Service) error, done func(error)) {
	svc := a.svc
	if svc == nil {
		a.Status.SetText(lang.L("Aún no hay conexión con la cuenta de distribuidor."))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		err := fn(ctx, svc)
		fyne.Do(func() { done(err) })
	}()
}

// periodTable is what the area's period tabs share: the period, the
// button that searches it, the table of rows and the note under it.
type periodTable[R any] struct {
	area   *Area
	Period Period
	Find   *widget.Button
	Table  *widget.Table
	Note   *widget.Label
	rows   []R
}

// init fills p in place (the table reads p.rows): find is the button's
// text and search what it does.
func (p *periodTable[R]) init(a *Area, cols []widgets.Column[R], find string, search func()) {
	p.area, p.Period, p.Note = a, newPeriod(a.deps.Now(), 30), widget.NewLabel("")
	p.Find = widget.NewButtonWithIcon(find, theme.SearchIcon(), search)
	p.Table = newTable(cols, &p.rows)
}

// view is the period above the table and the note below it.
func (p *periodTable[R]) view() fyne.CanvasObject {
	return container.NewBorder(p.Period.bar(p.Find), p.Note, nil, nil, p.Table)
}

// Rows returns the rows shown.
func (p *periodTable[R]) Rows() []R { return p.rows }

// searchPeriod is the period search of the area's tabs: it reads p (a
// wrong date goes to note), says busy in note while fetch runs off the UI
// goroutine (busy "" leaves note as is), then on the UI goroutine shows
// fetch's error in note or calls show.
func (a *Area) searchPeriod(p Period, note *widget.Label, busy string,
	fetch func(ctx context.Context, svc Service, from, to time.Time) error, show func()) {
	from, to, err := p.Range()
	if err != nil {
		note.SetText(domain.UserMessage(err))
		return
	}
	if busy != "" {
		note.SetText(busy)
	}
	a.run(func(ctx context.Context, svc Service) error {
		return fetch(ctx, svc, from, to)
	}, func(err error) {
		if err != nil {
			note.SetText(domain.UserMessage(err))
			return
		}
		show()
	})
}

// TableTexts returns the Spanish texts the area keeps in tables and
// translates where they are shown: the column titles.
func TableTexts() []string {
	var out []string
	for _, cols := range [][]string{titles(clientColumns), titles(movementColumns), titles(documentColumns),
		titles(actionColumns), titles(reportColumns)} {
		out = append(out, cols...)
	}
	return out
}

func titles[R any](cols []widgets.Column[R]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// newTable is a read-only table over *rows with the columns' headers.
func newTable[R any](cols []widgets.Column[R], rows *[]R) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(*rows), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(*rows) || id.Col < 0 || id.Col >= len(cols) {
				l.SetText("")
				return
			}
			l.SetText(cols[id.Col].Text((*rows)[id.Row]))
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(lang.L(cols[id.Col].Title))
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.Width)
	}
	return t
}

// Period is a "Desde"/"Hasta" pair of dates typed as dd/mm/aaaa, read in
// Mexico City as [Desde 00:00, the day after Hasta 00:00).
type Period struct {
	From, To *widget.Entry
}

func newPeriod(now time.Time, days int) Period {
	now = now.In(domain.MexicoCity)
	p := Period{From: widget.NewEntry(), To: widget.NewEntry()}
	p.From.SetText(now.AddDate(0, 0, -days).Format("02/01/2006"))
	p.To.SetText(now.Format("02/01/2006"))
	return p
}

// Range returns the period, or a Spanish error.
func (p Period) Range() (time.Time, time.Time, error) {
	const op = "dealer.Period"
	parse := func(s string) (time.Time, error) {
		return time.ParseInLocation("02/01/2006", strings.TrimSpace(s), domain.MexicoCity)
	}
	from, err := parse(p.From.Text)
	if err != nil {
		return time.Time{}, time.Time{}, domain.E(domain.Invalid, op, lang.L("Escriba la fecha inicial como dd/mm/aaaa."), err)
	}
	to, err := parse(p.To.Text)
	if err != nil {
		return time.Time{}, time.Time{}, domain.E(domain.Invalid, op, lang.L("Escriba la fecha final como dd/mm/aaaa."), err)
	}
	to = to.AddDate(0, 0, 1)
	if !from.Before(to) {
		return time.Time{}, time.Time{}, domain.E(domain.Invalid, op, lang.L("La fecha inicial debe ser anterior a la final."), nil)
	}
	return from, to, nil
}

// bar is the period's row: Desde, Hasta and the action button.
func (p Period) bar(button *widget.Button, extra ...fyne.CanvasObject) fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabel(lang.L("Desde")), sized(p.From), widget.NewLabel(lang.L("Hasta")), sized(p.To), button}
	return container.NewHBox(append(objs, extra...)...)
}

// sized gives a date entry room for dd/mm/aaaa.
func sized(e *widget.Entry) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(130, e.MinSize().Height), e)
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.MexicoCity).Format("02/01/2006 15:04")
}

func count(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
