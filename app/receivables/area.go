package receivables

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/payments"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

// AreaDeps is what the "Cobranza" area needs: the aging and statements,
// the payment form's dependencies, and the statement's PDF for a customer
// and period (off the UI goroutine). Status, when set, tells the status
// bar what happened.
type AreaDeps struct {
	Source       Source
	Payments     payments.Deps
	StatementPDF func(ctx context.Context, customerID int64, from, to time.Time) ([]byte, error)
	// MailStatement, when set, queues a customer's statement for the
	// period in the mail outbox for rcpts and returns what to tell the
	// user; CustomerEmails proposes the customer's addresses.
	MailStatement  func(ctx context.Context, customerID int64, from, to time.Time, rcpts []string) (string, error)
	CustomerEmails func(ctx context.Context, customerID int64) ([]string, error)
	// AllStatements, when set, writes into dir the statement of every
	// customer with a balance, queueing each for e-mail when send, and
	// reports its progress (from its own goroutine); it stops between two
	// statements when ctx ends.
	AllStatements func(ctx context.Context, dir string, from, to time.Time, send bool, progress func(done, total int)) (AllResult, error)
	Status        func(string)
	Clock         domain.Clock
	Accounts      Accounts // the "Cuentas" page; nil hides it
}

// Area is "Cobranza": the aging and a customer's movements, and the
// "Registrar cobro" form in their place.
type Area struct {
	widget.BaseWidget

	deps   AreaDeps
	issuer *sales.Company
	screen *Screen
	form   *payments.Form
	body   *fyne.Container
	pay    *widget.Button
	accts  *widget.Button
	allBtn *widget.Button
	page   *AccountsPage
	stmt   *statementDialog // the open statement dialog (for tests)
	all    *allDialog       // the statements of every customer (for tests)
}

// NewArea builds the area for issuer.
func NewArea(deps AreaDeps, issuer *sales.Company) *Area {
	a := &Area{deps: deps, issuer: issuer}
	a.screen = NewScreen(Deps{Source: deps.Source, Clock: deps.Clock, StatementPDF: a.askStatement}, issuer.RFC)
	a.pay = widget.NewButtonWithIcon(lang.L("Registrar cobro…"), theme.ContentAddIcon(), a.ShowPayment)
	a.pay.Importance = widget.HighImportance
	if deps.Payments.Store == nil {
		a.pay.Hide()
	}
	a.accts = widget.NewButton(lang.L("Cuentas…"), a.ShowAccounts)
	if deps.Accounts == nil {
		a.accts.Hide()
	}
	a.allBtn = widget.NewButtonWithIcon(lang.L("Estados de cuenta de todos…"), theme.DocumentSaveIcon(), a.ShowAllStatements)
	if deps.AllStatements == nil {
		a.allBtn.Hide()
	}
	a.body = container.NewStack(container.NewBorder(container.NewHBox(a.pay, a.accts, a.allBtn), nil, nil, nil, a.screen))
	a.ExtendBaseWidget(a)
	return a
}

// CreateRenderer shows the area.
func (a *Area) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.body) }

// Reload reads the aging again.
func (a *Area) Reload() { a.screen.Reload() }

// Changed follows the data while the aging is shown.
func (a *Area) Changed(events []event.Event) {
	if a.form == nil {
		a.screen.Changed(events)
	}
}

// Screen is the aging screen (for tests).
func (a *Area) Screen() *Screen { return a.screen }

// Export is the aging's while it is shown (Archivo › Exportar lista…).
func (a *Area) Export() (widgets.ListExport, bool) {
	if a.form != nil || a.page != nil {
		return widgets.ListExport{}, false
	}
	return a.screen.Export()
}

// Form is the payment form when shown, else nil.
func (a *Area) Form() *payments.Form { return a.form }

// ShowPayment opens "Registrar cobro" for the customer selected in the
// aging, if any.
func (a *Area) ShowPayment() {
	d := a.deps.Payments
	posted := d.OnPosted
	d.OnPosted = func(r sales.Invoice) {
		if a.deps.Status != nil {
			a.deps.Status(lang.L("Recibo de pago {{.Folio}} emitido y sellado; queda en cola para timbrar.", map[string]any{"Folio": r.FolioText()}))
		}
		if posted != nil {
			posted(r)
		}
	}
	collected := d.OnCollected
	d.OnCollected = func(ms []banks.Movement) {
		if a.deps.Status != nil {
			a.deps.Status(lang.L("Cobro de {{.N}} facturas de contado registrado, sin recibo de pago.", map[string]any{"N": len(ms)}))
		}
		if collected != nil {
			collected(ms)
		}
	}
	f := payments.NewForm(d, a.issuer)
	f.OnClose = a.ShowAging
	a.form = f
	back := widget.NewButtonWithIcon(lang.L("Volver a cobranza"), theme.NavigateBackIcon(), a.ShowAging)
	a.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(back), nil, nil, nil, f)}
	a.body.Refresh()
	f.Load()
	if c, ok := a.screen.SelectedCustomer(); ok {
		f.SelectCustomer(sales.Customer{ID: c.CustomerID, RFC: c.CustomerRFC, Name: c.CustomerName})
	}
	if w := widgets.WindowOf(a); w != nil {
		w.Canvas().Focus(f.FocusTarget())
	}
}

// ShowAccounts opens "Cuentas": the company's cash and bank accounts.
func (a *Area) ShowAccounts() {
	if a.deps.Accounts == nil {
		return
	}
	a.form = nil
	a.page = NewAccountsPage(a.deps.Accounts, a.issuer.RFC)
	back := widget.NewButtonWithIcon(lang.L("Volver a cobranza"), theme.NavigateBackIcon(), a.ShowAging)
	a.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(back), nil, nil, nil, a.page)}
	a.body.Refresh()
	a.page.Reload()
}

// Accounts is the "Cuentas" page when shown, else nil.
func (a *Area) Accounts() *AccountsPage { return a.page }

// ShowAging closes the form and reloads the aging.
func (a *Area) ShowAging() {
	a.form, a.page = nil, nil
	a.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(a.pay, a.accts, a.allBtn), nil, nil, nil, a.screen)}
	a.body.Refresh()
	a.screen.Reload()
}
