package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/folio-mx/folio/app/catalogs"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/customers"
	dealerapp "github.com/folio-mx/folio/app/dealer"
	"github.com/folio-mx/folio/app/inventory"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/app/receivables"
	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/app/settings"
	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/sales"
)

// Route names an area of the main window.
type Route string

// The areas that exist today.
const (
	RouteInvoices  Route = "facturas"
	RouteCredits   Route = "notas"
	RouteCobranza  Route = "cobranza"
	RouteReceipts  Route = "recibos"
	RouteCustomers Route = "clientes"
	RouteProducts  Route = "productos"
	RouteStamps    Route = "timbres"
	RouteCatalogs  Route = "catalogos"
	RouteCompany   Route = "empresa"
	RouteMail      Route = "correo"
	RouteReceived  Route = "externos"
	RouteTerceros  Route = "terceros"
	RouteStock     Route = "existencias"
	RouteQuotes    Route = "cotizaciones"
	RouteDealer    Route = "distribuidor"
)

// area is one entry of the sidebar, of the "Ir a" menu and of the
// Ctrl+1…9, 0 shortcuts (in this order). Adding an area is adding one entry to
// areas: only areas that work are listed.
type area struct {
	route Route
	title string               // Spanish source text, shown through lang.L
	icon  func() fyne.Resource // a theme icon
	build func(a *App) fyne.CanvasObject
	// visible, when set, says whether the area is offered now (the
	// company's settings enable it); nil: always.
	visible func(a *App) bool
}

// areas is the navigation table. It is filled in init because some
// builders refer back to it (through App.shown).
var areas []area

func init() { areas = areaTable() }

// longestTitle is the longest title of the sidebar's areas, in the
// language shown.
func longestTitle() string {
	longest := ""
	for _, ar := range areas {
		if t := lang.L(ar.title); len([]rune(t)) > len([]rune(longest)) {
			longest = t
		}
	}
	return longest
}

func areaTable() []area {
	return []area{
		{RouteInvoices, "Facturas", theme.DocumentIcon, func(a *App) fyne.CanvasObject {
			return invoices.NewScreen(a.invoiceDeps(sales.TipoIngreso), a.company)
		}, nil},
		// Credit notes are made from an invoice ("Devolver…", "Rebajar…" in
		// Facturas); here they are listed, printed, sent and cancelled.
		{RouteCredits, "Notas de crédito", theme.ContentUndoIcon, func(a *App) fyne.CanvasObject {
			return invoices.NewScreen(a.invoiceDeps(sales.TipoEgreso), a.company)
		}, nil},
		{RouteCobranza, "Cobranza", theme.ListIcon, func(a *App) fyne.CanvasObject {
			d := a.svc.Receivables
			d.Status = a.status.SetMessage
			return receivables.NewArea(d, a.company)
		}, nil},
		// Payment receipts are issued from Cobranza ("Registrar cobro…"); here
		// they are listed, printed, sent and cancelled.
		{RouteReceipts, "Recibos de pago", theme.ConfirmIcon, func(a *App) fyne.CanvasObject {
			return invoices.NewScreen(a.invoiceDeps(sales.TipoPago), a.company)
		}, nil},
		{RouteCustomers, "Clientes", theme.AccountIcon, func(a *App) fyne.CanvasObject {
			l := customers.NewCustomerList(a.svc.Customers, a.svc.SalesRules)
			if a.svc.Sheets.Service == nil {
				return l
			}
			return sheets.Wrap(l, a.svc.Sheets, sheets.Customers)
		}, nil},
		{RouteProducts, "Productos", theme.ListIcon, func(a *App) fyne.CanvasObject {
			l := products.NewProductList(a.svc.Products, a.svc.SalesRules, a.svc.Catalogs)
			if a.svc.Sheets.Service == nil {
				return l
			}
			return sheets.Wrap(l, a.svc.Sheets, sheets.Products)
		}, nil},
		{RouteCatalogs, "Catálogos SAT", theme.SearchIcon, func(a *App) fyne.CanvasObject {
			return catalogs.NewBrowser(a.svc.Catalogs)
		}, nil},
		{RouteStamps, "Timbres", theme.UploadIcon, func(a *App) fyne.CanvasObject {
			d := a.svc.Stamps
			d.Window = a.win
			return stamps.NewStampsScreen(d, a.company.RFC)
		}, nil},
		{RouteCompany, "Empresa", theme.HomeIcon, func(a *App) fyne.CanvasObject {
			s := company.NewSetup(a.svc.Setup, a.svc.Secrets, a.svc.Rules, a.svc.TestPAC)
			s.OnChanged = a.setCompany
			if a.svc.DealerFlag != nil && a.svc.Dealer.Open != nil {
				s.PAC.SetDealerFlag(a.svc.DealerFlag, a.setDealer)
			}
			if a.svc.SalesSettings != nil {
				p := company.NewSalesPanel(a.svc.SalesSettings, func() string { return a.company.RFC })
				p.OnChanged = a.setSalesSettings
				s.AddSalesPanel(p)
			}
			return s
		}, nil},
		{RouteMail, "Correo", theme.MailComposeIcon, func(a *App) fyne.CanvasObject {
			f := settings.NewMailSettingsForm(a.svc.Mail, a.svc.MailTester, a.company.RFC)
			f.OnSaved = func(delivery.SMTPSettings) {
				if a.svc.KickOutbox != nil {
					a.svc.KickOutbox()
				}
			}
			return f
		}, nil},
		// CFDI imported from files: Recibidos and Emitidos (app/received);
		// offered when the window's wiring gives it a store.
		{RouteReceived, "CFDI externos", theme.DownloadIcon, func(a *App) fyne.CanvasObject {
			return received.NewScreen(a.svc.Received, a.company.RFC)
		}, func(a *App) bool { return a.svc.Received.Store != nil }},
		// Documents with items on behalf of third parties, the third-party
		// catalog and (tabs the balances side adds) what is owed to each; only
		// when the company's sales settings turn it on.
		{RouteTerceros, "Saldos contra terceros", theme.FolderOpenIcon, func(a *App) fyne.CanvasObject {
			d := a.svc.ThirdParty
			d.Status = a.status
			d.Form.MultipleSellers = a.sales.MultipleSellers
			return thirdparty.NewArea(d, a.company)
		}, func(a *App) bool { return a.sales.ThirdParties && a.svc.ThirdParty.Catalog != nil }},
		// Stock on hand, movements and the products below their minimum;
		// offered when the window's wiring gives it a store.
		{RouteStock, "Existencias", theme.StorageIcon, func(a *App) fyne.CanvasObject {
			return inventory.NewScreen(a.svc.Stock, a.company.RFC)
		}, func(a *App) bool { return a.svc.Stock.Store != nil }},
		// Quotes (cotizaciones) captured in the invoice editor, sent,
		// accepted and turned into invoice drafts; offered when the
		// window's wiring gives it a store. Last, like the other
		// conditional areas, so the Ctrl+number of the rest stay.
		{RouteQuotes, "Cotizaciones", theme.DocumentIcon, func(a *App) fyne.CanvasObject {
			d := a.svc.Quotes
			if d.Editor.Invoices == nil {
				d.Editor = a.svc.Editor
			}
			d.Status = a.status
			d.OpenInvoice = a.openInvoice
			return quotes.NewScreen(d, a.company)
		}, func(a *App) bool { return a.svc.Quotes.Store != nil }},
		// Client accounts of a reseller's SW dealer account and the stamps
		// handed out to them; offered while the active company's PAC
		// account is flagged as a dealer account in Empresa › PAC.
		{RouteDealer, "Administrador de timbres", theme.AccountIcon, func(a *App) fyne.CanvasObject {
			return dealerapp.NewArea(a.svc.Dealer, a.company)
		}, func(a *App) bool { return a.dealerOn && a.svc.Dealer.Open != nil && a.svc.DealerFlag != nil }},
	}
}

// invoiceDeps are the dependencies of the list of documents of type tipo
// ("I" Facturas, "E" Notas de crédito): the same for both.
func (a *App) invoiceDeps(tipo string) invoices.ScreenDeps {
	var revert invoices.Reverter
	if a.svc.Stock.Service != nil {
		revert = a.svc.Stock.Service
	}
	return invoices.ScreenDeps{Revert: revert,
		List: a.svc.Invoices, Loader: a.svc.Invoices, Editor: a.svc.Editor,
		Printing: a.svc.Printing, Status: a.status, OnCancel: a.cancelInvoice, OnSend: a.svc.SendInvoice,
		Deliveries: a.svc.Deliveries, Tipo: tipo, Credit: a.svc.Credit,
	}
}

// shown returns the areas offered now, in order: the sidebar's rows.
func (a *App) shown() []area {
	var out []area
	for _, ar := range areas {
		if ar.visible == nil || ar.visible(a) {
			out = append(out, ar)
		}
	}
	return out
}

// Offered returns the routes of the areas offered now, in the sidebar's
// order.
func (a *App) Offered() []Route {
	var out []Route
	for _, ar := range a.shown() {
		out = append(out, ar.route)
	}
	return out
}

// areaIndex returns the position of r in areas, or -1.
func areaIndex(r Route) int {
	for i, ar := range areas {
		if ar.route == r {
			return i
		}
	}
	return -1
}

// Optional behaviours of a screen, discovered by the app.
type (
	// reloader screens load their data off the UI goroutine when first
	// shown and again when the store's SAT catalogs are loaded.
	reloader interface{ Reload() }
	// searchable screens have a search entry that Ctrl+F focuses.
	searchable interface{ FocusTarget() fyne.Focusable }
)
