package thirdparty

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

// AreaDeps is what the "Saldos contra terceros" area needs. Form is the
// document's; List lists the company's documents ("Listado"); Catalog and
// Rules serve "Terceros". Printing, when set, prints posted documents and
// saves their PDF, with progress in Status. Balances, SalesBook and
// Commissions, when set, build the tabs "Saldos", "Libro de ventas" and
// "Comisiones"; a nil one leaves its tab out. Reports, when set, builds
// the three from the company's ReportsDeps (NewBalancesScreen,
// NewSalesBookScreen, NewCommissionsScreen) where they are nil.
type AreaDeps struct {
	Form     FormDeps
	List     invoices.Store
	Catalog  Catalog
	Rules    Rules
	Printing invoices.Printing
	Status   invoices.StatusSink

	Balances, SalesBook, Commissions func() fyne.CanvasObject
	Reports                          func(issuer *sales.Company) ReportsDeps
}

// withReports fills the report tabs deps leaves nil from deps.Reports.
func (deps AreaDeps) withReports(issuer *sales.Company) AreaDeps {
	if deps.Reports == nil {
		return deps
	}
	r := deps.Reports(issuer)
	if deps.Balances == nil {
		deps.Balances = func() fyne.CanvasObject { return NewBalancesScreen(r) }
	}
	if deps.SalesBook == nil {
		deps.SalesBook = func() fyne.CanvasObject { return NewSalesBookScreen(r) }
	}
	if deps.Commissions == nil {
		deps.Commissions = func() fyne.CanvasObject { return NewCommissionsScreen(r) }
	}
	return deps
}

// optionalTabs are the titles of AreaDeps' Balances, SalesBook and
// Commissions tabs (Spanish source text).
var optionalTabs = []string{"Saldos", "Libro de ventas", "Comisiones"}

// Area is the "Saldos contra terceros" area: tabs "Listado" (the
// company's documents; opening one shows it in "Documento"), "Documento"
// (DocumentForm), "Terceros" (the catalog) and the optional tabs of
// AreaDeps. Create it with NewArea; its methods run on the UI goroutine.
type Area struct {
	widget.BaseWidget

	List    *invoices.InvoiceList
	Form    *DocumentForm
	Catalog *CatalogList
	Tabs    *container.AppTabs
	doc     *container.TabItem
	issuer  string
}

// NewArea builds the area for issuer; it loads nothing until Reload.
func NewArea(deps AreaDeps, issuer *sales.Company) *Area {
	deps = deps.withReports(issuer)
	a := &Area{issuer: issuer.RFC}
	a.List = invoices.NewInvoiceList(deps.List, issuer.RFC)
	a.List.Tipo = sales.TipoIngreso
	a.List.ThirdParty = true
	a.Form = NewDocumentForm(deps.Form, issuer)
	a.Catalog = NewCatalogList(deps.Catalog, deps.Rules, issuer.RFC)
	a.Catalog.OnSaved = func(*sales.ThirdParty) { a.Form.Reload() }
	if deps.Printing != nil {
		print, choose, pdf := invoices.PrintActions(deps.Printing, deps.Status, func() fyne.Window { return widgets.WindowOf(a) })
		a.List.OnPrint, a.List.OnChoosePrinter, a.List.OnSavePDF = print, choose, pdf
		if a.Form.deps.Print == nil {
			a.Form.deps.Print = print
		}
	}
	a.List.OnNew = func() {
		a.Form.Reset()
		a.Tabs.Select(a.doc)
	}
	a.List.OnOpen = func(id int64) {
		a.Form.Open(id)
		a.Tabs.Select(a.doc)
	}
	a.Form.OnPosted = func(*sales.Invoice) { a.List.Reload() }
	a.doc = container.NewTabItem(lang.L("Documento"), a.Form)
	a.Tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Listado"), a.List),
		a.doc,
		container.NewTabItem(lang.L("Terceros"), a.Catalog),
	)
	for i, build := range []func() fyne.CanvasObject{deps.Balances, deps.SalesBook, deps.Commissions} {
		if build != nil {
			a.Tabs.Append(container.NewTabItem(lang.L(optionalTabs[i]), build()))
		}
	}
	a.ExtendBaseWidget(a)
	return a
}

// CreateRenderer shows the tabs.
func (a *Area) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.Tabs) }

// Reload reloads the list, the form's series and third parties, the
// catalog and the optional tabs that can reload.
func (a *Area) Reload() {
	a.List.Reload()
	a.Form.Reload()
	a.Catalog.Reload()
	for _, it := range a.Tabs.Items[3:] {
		if r, ok := it.Content.(interface{ Reload() }); ok {
			r.Reload()
		}
	}
}

// FocusTarget is the search of the tab shown (Ctrl+F).
func (a *Area) FocusTarget() fyne.Focusable {
	switch a.Tabs.Selected() {
	case a.doc:
		return a.Form.FocusTarget()
	case a.Tabs.Items[2]:
		return a.Catalog.FocusTarget()
	}
	return a.List.FocusTarget()
}

// Save saves the document's draft (Ctrl+S) when "Documento" is shown.
func (a *Area) Save() {
	if a.Tabs.Selected() == a.doc {
		a.Form.Save()
	}
}

// Print runs "Imprimir" (Ctrl+P) when "Documento" is shown.
func (a *Area) Print() {
	if a.Tabs.Selected() == a.doc {
		a.Form.Print()
	}
}

// Changed follows the data (the app's change listener): when a document of
// this company is posted, stamped, cancelled or refused, or a draft
// changes, the list reloads; the report tabs (balances, sales book,
// commissions) reload on every change but a draft's or an e-mail's, and
// alone when a payout to a third party is recorded or cancelled.
func (a *Area) Changed(events []event.Event) {
	list, reports := false, false
	for _, e := range events {
		if e.IssuerRFC != "" && e.IssuerRFC != a.issuer {
			continue
		}
		switch e.Kind {
		case event.DeliverySent, event.DeliveryFailed, event.DocumentPrinted, event.DocumentSending:
			continue
		case event.DocumentDraftSaved:
			list = true
		case event.ThirdPartyPayout:
			reports = true
		default:
			list, reports = true, true
		}
	}
	if list {
		a.List.Reload()
	}
	if !reports {
		return
	}
	for _, it := range a.Tabs.Items[3:] {
		if r, ok := it.Content.(interface{ Reload() }); ok {
			r.Reload()
		}
	}
}
