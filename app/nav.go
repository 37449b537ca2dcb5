package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/folio-mx/folio/app/catalogs"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/customers"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/receivables"
	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/app/settings"
	"github.com/folio-mx/folio/app/stamps"
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
)

// area is one entry of the sidebar, of the "Ir a" menu and of the
// Ctrl+1…9, 0 shortcuts (in this order). Adding an area is adding one entry to
// areas: only areas that work are listed.
type area struct {
	route Route
	title string               // Spanish source text, shown through lang.L
	icon  func() fyne.Resource // a theme icon
	build func(a *App) fyne.CanvasObject
}

// areas is the navigation table.
var areas = []area{
	{RouteInvoices, "Facturas", theme.DocumentIcon, func(a *App) fyne.CanvasObject {
		return invoices.NewScreen(a.invoiceDeps(sales.TipoIngreso), a.company)
	}},
	// Credit notes are made from an invoice ("Devolver…", "Rebajar…" in
	// Facturas); here they are listed, printed, sent and cancelled.
	{RouteCredits, "Notas de crédito", theme.ContentUndoIcon, func(a *App) fyne.CanvasObject {
		return invoices.NewScreen(a.invoiceDeps(sales.TipoEgreso), a.company)
	}},
	{RouteCobranza, "Cobranza", theme.ListIcon, func(a *App) fyne.CanvasObject {
		d := a.svc.Receivables
		d.Status = a.status.SetMessage
		return receivables.NewArea(d, a.company)
	}},
	// Payment receipts are issued from Cobranza ("Registrar cobro…"); here
	// they are listed, printed, sent and cancelled.
	{RouteReceipts, "Recibos de pago", theme.ConfirmIcon, func(a *App) fyne.CanvasObject {
		return invoices.NewScreen(a.invoiceDeps(sales.TipoPago), a.company)
	}},
	{RouteCustomers, "Clientes", theme.AccountIcon, func(a *App) fyne.CanvasObject {
		return customers.NewCustomerList(a.svc.Customers, a.svc.SalesRules)
	}},
	{RouteProducts, "Productos", theme.ListIcon, func(a *App) fyne.CanvasObject {
		return products.NewProductList(a.svc.Products, a.svc.SalesRules, a.svc.Catalogs)
	}},
	{RouteCatalogs, "Catálogos SAT", theme.SearchIcon, func(a *App) fyne.CanvasObject {
		return catalogs.NewBrowser(a.svc.Catalogs)
	}},
	{RouteStamps, "Timbres", theme.UploadIcon, func(a *App) fyne.CanvasObject {
		d := a.svc.Stamps
		d.Window = a.win
		return stamps.NewStampsScreen(d, a.company.RFC)
	}},
	{RouteCompany, "Empresa", theme.HomeIcon, func(a *App) fyne.CanvasObject {
		s := company.NewSetup(a.svc.Setup, a.svc.Secrets, a.svc.Rules, a.svc.TestPAC)
		s.OnChanged = a.setCompany
		return s
	}},
	{RouteMail, "Correo", theme.MailComposeIcon, func(a *App) fyne.CanvasObject {
		f := settings.NewMailSettingsForm(a.svc.Mail, a.svc.MailTester, a.company.RFC)
		f.OnSaved = func(delivery.SMTPSettings) {
			if a.svc.KickOutbox != nil {
				a.svc.KickOutbox()
			}
		}
		return f
	}},
	// CFDI imported from files: Recibidos and Emitidos (app/received).
	{RouteReceived, "CFDI externos", theme.DownloadIcon, func(a *App) fyne.CanvasObject {
		return received.NewScreen(a.svc.Received, a.company.RFC)
	}},
}

// invoiceDeps are the dependencies of the list of documents of type tipo
// ("I" Facturas, "E" Notas de crédito): the same for both.
func (a *App) invoiceDeps(tipo string) invoices.ScreenDeps {
	return invoices.ScreenDeps{
		List: a.svc.Invoices, Loader: a.svc.Invoices, Editor: a.svc.Editor,
		Printing: a.svc.Printing, Status: a.status, OnCancel: a.cancelInvoice, OnSend: a.svc.SendInvoice,
		Deliveries: a.svc.Deliveries, Tipo: tipo, Credit: a.svc.Credit,
	}
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
