package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/folio-mx/folio/app/catalogs"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/customers"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
)

// Route names an area of the main window.
type Route string

// The areas that exist today.
const (
	RouteInvoices  Route = "facturas"
	RouteCustomers Route = "clientes"
	RouteProducts  Route = "productos"
	RouteCatalogs  Route = "catalogos"
	RouteCompany   Route = "empresa"
)

// area is one entry of the sidebar, of the "Ir a" menu and of the
// Ctrl+1…9 shortcuts (in this order). Adding an area is adding one entry to
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
		return invoices.NewScreen(invoices.ScreenDeps{
			List: a.svc.Invoices, Loader: a.svc.Invoices, Editor: a.svc.Editor, OnPrint: a.svc.PrintInvoice,
		}, a.company)
	}},
	{RouteCustomers, "Clientes", theme.AccountIcon, func(a *App) fyne.CanvasObject {
		return customers.NewCustomerList(a.svc.Customers, a.svc.SalesRules)
	}},
	{RouteProducts, "Productos", theme.ListIcon, func(a *App) fyne.CanvasObject {
		return products.NewProductList(a.svc.Products, a.svc.SalesRules)
	}},
	{RouteCatalogs, "Catálogos SAT", theme.SearchIcon, func(a *App) fyne.CanvasObject {
		return catalogs.NewBrowser(a.svc.Catalogs)
	}},
	{RouteCompany, "Empresa", theme.HomeIcon, func(a *App) fyne.CanvasObject {
		p := company.NewProfile(a.svc.Companies, a.svc.Rules)
		p.OnChanged = a.setCompany
		return p
	}},
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
