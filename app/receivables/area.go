package receivables

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	Status       func(string)
	Clock        domain.Clock
	Accounts     Accounts // the "Cuentas" page; nil hides it
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
	page   *AccountsPage
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
	a.body = container.NewStack(container.NewBorder(container.NewHBox(a.pay, a.accts), nil, nil, nil, a.screen))
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
	a.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(a.pay, a.accts), nil, nil, nil, a.screen)}
	a.body.Refresh()
	a.screen.Reload()
}

// askStatement asks for the period and where to save the statement of a
// customer, then writes it off the UI goroutine.
func (a *Area) askStatement(customerID int64, name string) {
	w := widgets.WindowOf(a)
	if w == nil || a.deps.StatementPDF == nil {
		return
	}
	now := a.screen.now().In(domain.MexicoCity)
	from := widget.NewEntry()
	from.SetText(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.MexicoCity).Format("02/01/2006"))
	to := widget.NewEntry()
	to.SetText(now.Format("02/01/2006"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Desde"), from), widget.NewFormItem(lang.L("Hasta"), to)}
	dialog.ShowForm(lang.L("Estado de cuenta de {{.Name}}", map[string]any{"Name": name}), lang.L("Guardar PDF…"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		d1, err1 := sales.ParseDay(from.Text, domain.MexicoCity)
		d2, err2 := sales.ParseDay(to.Text, domain.MexicoCity)
		if err1 != nil || err2 != nil || d2.Before(d1) {
			a.screen.status.SetText(lang.L("Escriba el periodo como dd/mm/aaaa, la fecha final no antes de la inicial."))
			return
		}
		file := "estado-de-cuenta-" + strings.ReplaceAll(name, " ", "-") + ".pdf"
		widgets.ShowFileSave(w, lang.L("Guardar estado de cuenta"), file, []string{".pdf"}, func(wc fyne.URIWriteCloser, err error) {
			if err != nil || wc == nil {
				return
			}
			a.screen.status.SetText(lang.L("Generando el estado de cuenta…"))
			go func() {
				defer wc.Close()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				pdf, err := a.deps.StatementPDF(ctx, customerID, d1, d2)
				if err == nil {
					_, err = wc.Write(pdf)
				}
				fyne.Do(func() {
					if err != nil {
						a.screen.status.SetText(domain.UserMessage(err))
						return
					}
					a.screen.status.SetText(lang.L("Estado de cuenta guardado en {{.Path}}.", map[string]any{"Path": wc.URI().Path()}))
				})
			}()
		})
	}, w)
}
