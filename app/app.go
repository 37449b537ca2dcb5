// Package app is Folio's Fyne user interface: the main window, its menus,
// navigation, shortcuts and status bar, and the first-run flow. Each area has
// its own subpackage (app/catalogs, app/company…); reusable widgets live in
// app/widgets. The UI reaches the rest of Folio only through the interfaces
// in services.go: it never imports data/, and all store work runs off the UI
// goroutine with results applied through fyne.Do.
package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/app/translation"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// WindowSize is the initial size of the main window.
var WindowSize = fyne.NewSize(1280, 760)

// storeTimeout bounds one store call made by the shell.
const storeTimeout = 30 * time.Second

// App is the main window and what it shows. Create it with New; its methods
// must be called on the UI goroutine unless documented otherwise.
type App struct {
	svc Services
	win fyne.Window

	status *widgets.StatusBar
	center *fyne.Container // loading text, welcome screen or main view

	company     *sales.Company // nil until the first-run question is answered
	companyName *widget.Label
	companyMode *widget.Label
	nav         *widget.List
	content     *fyne.Container // the current area's screen
	screens     map[Route]fyne.CanvasObject
	current     Route
	navAreas    []area              // the areas the sidebar shows (shown)
	sales       sales.SalesSettings // the active company's, once loaded
	dealerOn    bool                // the active company's PAC account is a dealer account

	// OnChanged, when set, also receives the announced changes, on the UI
	// goroutine (the window's wiring refreshes the status bar's figures).
	OnChanged func(events []event.Event)
	// OnServerConnected, when set, is called on the UI goroutine once the
	// first run's "Conectar a un servidor" connected this workstation: the
	// window's wiring reopens the window on the server (Reopen). Unset,
	// a dialog says the connection is saved for the commands.
	OnServerConnected func(company.Server)

	sub *event.Subscription // the changes followed, from svc.Events
}

// New builds the main window titled "Folio" with its menu, shortcuts and
// status bar. It shows "Abriendo…" until Start (called by ShowAndRun) finds
// the active company.
func New(a fyne.App, svc Services) *App {
	translation.Load()
	app := &App{svc: svc, screens: map[Route]fyne.CanvasObject{}}
	app.win = a.NewWindow("Folio")
	app.win.Resize(WindowSize)
	app.win.CenterOnScreen()
	app.win.SetMaster()

	app.status = widgets.NewStatusBar()
	loading := widget.NewLabelWithStyle(lang.L("Abriendo…"), fyne.TextAlignCenter, fyne.TextStyle{})
	app.center = container.NewStack(container.NewCenter(loading))
	app.win.SetContent(container.NewBorder(nil, app.status, nil, nil, app.center))
	app.win.SetMainMenu(app.mainMenu())
	app.registerShortcuts()
	app.followEvents()
	return app
}

// followEvents follows svc.Events, if any, until Reopen.
func (a *App) followEvents() {
	if a.svc.Events != nil {
		a.sub = a.svc.Events.Subscribe(256)
		go a.follow(a.sub)
	}
}

// Reopen makes the window work on svc, the services over another database
// (the server this workstation just connected to): the areas built so far
// are dropped, the changes of svc.Events followed instead, and Start finds
// the active company there (the first-run welcome when it has none).
func (a *App) Reopen(svc Services) {
	if a.sub != nil {
		a.sub.Close()
		a.sub = nil
	}
	a.svc = svc
	a.company, a.nav, a.content = nil, nil, nil
	a.screens = map[Route]fyne.CanvasObject{}
	a.current = ""
	a.navAreas = nil
	a.sales = sales.SalesSettings{}
	a.followEvents()
	loading := widget.NewLabelWithStyle(lang.L("Abriendo…"), fyne.TextAlignCenter, fyne.TextStyle{})
	a.setCenter(container.NewCenter(loading))
	a.Start()
}

// Window returns the main window.
func (a *App) Window() fyne.Window { return a.win }

// StatusBar returns the status bar of the main window.
func (a *App) StatusBar() *widgets.StatusBar { return a.status }

// ShowAndRun starts the app (see Start), shows the window and runs the event
// loop until the user quits.
func (a *App) ShowAndRun() {
	a.Start()
	a.win.ShowAndRun()
}

// Start looks up the active company off the UI goroutine, then shows the
// main view, or the first-run welcome when there is none (NotFound).
func (a *App) Start() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		c, err := a.svc.Companies.ActiveCompany(ctx)
		fyne.Do(func() { a.applyCompany(c, err) })
	}()
}

// applyCompany routes the answer of ActiveCompany.
func (a *App) applyCompany(c *sales.Company, err error) {
	switch {
	case err == nil:
		a.showMain(c)
	case domain.IsKind(err, domain.NotFound):
		a.showWelcome()
	default:
		slog.Error("active company", "err", err)
		msg := widget.NewLabel(domain.UserMessage(err))
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.DangerImportance
		retry := widget.NewButtonWithIcon(lang.L("Reintentar"), theme.ViewRefreshIcon(), a.Start)
		a.setCenter(container.NewCenter(container.NewVBox(msg, container.NewCenter(retry))))
	}
}

// LoadCatalogs runs load off the UI goroutine, with its progress in the
// status bar. When it ends, the screens that depend on the SAT catalogs are
// told (and reloaded). It may be called before or after Start; ctx cancels
// the load.
func (a *App) LoadCatalogs(ctx context.Context, load CatalogLoader) {
	a.status.SetMessage(lang.L("Cargando catálogos del SAT…"))
	a.status.SetProgress(0, 0)
	go func() {
		last := -1
		progress := func(done, total int) {
			pct := 0
			if total > 0 {
				pct = done * 100 / total
			}
			if pct == last {
				return // one UI update per percent is plenty
			}
			last = pct
			fyne.Do(func() { a.status.SetProgress(done, total) })
		}
		err := load(ctx, progress)
		fyne.Do(func() { a.catalogsLoaded(err) })
	}()
}

// catalogsLoaded reports the end of the catalog load on the UI goroutine.
func (a *App) catalogsLoaded(err error) {
	a.status.HideProgress()
	if errors.Is(err, context.Canceled) {
		return // the window closed or reopened on a server: nothing to report
	}
	if err != nil {
		slog.Error("load catalogs", "err", err)
		a.status.SetMessage(lang.L("No se pudieron cargar los catálogos del SAT: {{.Msg}}", map[string]any{"Msg": domain.UserMessage(err)}))
		return
	}
	a.status.SetMessage(lang.L("Catálogos del SAT listos."))
	for _, s := range a.screens {
		if r, ok := s.(reloader); ok {
			r.Reload()
		}
	}
}

// showWelcome shows the first-run screen.
func (a *App) showWelcome() {
	w := company.NewWelcome(a.svc.Companies, a.svc.Rules)
	w.OnDone = a.showMain
	if a.svc.Server != nil {
		w.SetConnector(a.svc.Server)
		w.OnConnected = a.serverConnected
	}
	a.setCenter(w)
}

// serverConnected hands the connection to the window's wiring
// (OnServerConnected), which reopens the window on the server; without it
// the user is told the connection is saved and which commands use it.
func (a *App) serverConnected(s company.Server) {
	if a.OnServerConnected != nil {
		a.OnServerConnected(s)
		return
	}
	dialog.ShowInformation(lang.L("Conectado al servidor"), lang.L("Esta computadora quedó conectada a {{.Server}}: las órdenes de «folio» trabajan en él sin indicar --db, y Folio se abrirá sobre él la próxima vez que lo inicie.", map[string]any{"Server": s.Name}), a.win)
}

// showMain shows the sidebar and the first area for company c.
func (a *App) showMain(c *sales.Company) {
	a.company = c
	a.companyName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.companyName.Truncation = fyne.TextTruncateEllipsis
	a.companyMode = widget.NewLabel("")
	a.companyMode.SizeName = theme.SizeNameCaptionText
	a.setCompany(c)

	a.navAreas = a.shown()
	a.nav = widget.NewList(
		func() int { return len(a.navAreas) },
		func() fyne.CanvasObject {
			// The longest title sizes the row, so the split never clips
			// a title (on a tablet the content gives way instead).
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel(longestTitle()))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			if id < len(a.navAreas) {
				row.Objects[0].(*widget.Icon).SetResource(a.navAreas[id].icon())
				row.Objects[1].(*widget.Label).SetText(lang.L(a.navAreas[id].title))
			}
		})
	a.nav.OnSelected = func(id widget.ListItemID) {
		if id < len(a.navAreas) {
			a.showArea(a.navAreas[id].route)
		}
	}

	header := container.NewVBox(a.companyName, a.companyMode, widget.NewSeparator())
	sidebar := container.NewBorder(header, nil, nil, nil, a.nav)
	a.content = container.NewStack()
	split := container.NewHSplit(sidebar, a.content)
	split.Offset = 0.2
	a.setCenter(split)
	a.nav.Select(0)
	a.registerDrop()
	a.loadSalesSettings()
	a.loadDealer()
}

// loadDealer reads off the UI goroutine whether the active company's PAC
// account is a dealer account, and offers the Administrador de timbres if
// so.
func (a *App) loadDealer() {
	if a.svc.DealerFlag == nil || a.svc.Dealer.Open == nil || a.company == nil {
		return
	}
	id := a.company.ID
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		on, err := a.svc.DealerFlag.DealerEnabled(ctx, id)
		fyne.Do(func() {
			if err != nil {
				slog.Error("dealer flag", "err", err)
				return
			}
			if a.company != nil && a.company.ID == id {
				a.setDealer(on)
			}
		})
	}()
}

// setDealer shows or hides the Administrador de timbres at once (the
// flag was loaded or saved in Empresa › PAC); its screen is built again on
// the next visit.
func (a *App) setDealer(on bool) {
	a.dealerOn = on
	if scr, ok := a.screens[RouteDealer]; ok && a.current != RouteDealer {
		if cl, ok := scr.(interface{ Close() }); ok {
			cl.Close()
		}
		delete(a.screens, RouteDealer)
	}
	if a.nav == nil {
		return
	}
	a.navAreas = a.shown()
	a.nav.Refresh()
	if i := a.navIndex(a.current); i >= 0 {
		a.nav.Select(i)
	} else if len(a.navAreas) > 0 {
		a.nav.Select(0)
	}
}

// loadSalesSettings reads the active company's sales settings off the UI
// goroutine and applies them (the areas they enable appear).
func (a *App) loadSalesSettings() {
	if a.svc.SalesSettings == nil || a.company == nil {
		return
	}
	rfc := a.company.RFC
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		s, err := a.svc.SalesSettings.SalesSettings(ctx, rfc)
		fyne.Do(func() {
			if err != nil {
				slog.Error("sales settings", "err", err)
				return
			}
			if a.company != nil && a.company.RFC == rfc {
				a.setSalesSettings(s)
			}
		})
	}()
}

// setSalesSettings applies the active company's sales settings: the
// sidebar shows or hides the areas they enable at once, and screens built
// with the old ones are built again on their next visit.
func (a *App) setSalesSettings(s sales.SalesSettings) {
	changed := a.sales != s
	a.sales = s
	if a.nav == nil {
		return
	}
	a.navAreas = a.shown()
	if changed {
		if scr, ok := a.screens[RouteTerceros]; ok && a.current != RouteTerceros {
			if cl, ok := scr.(interface{ Close() }); ok {
				cl.Close()
			}
			delete(a.screens, RouteTerceros)
		}
	}
	a.nav.Refresh()
	if i := a.navIndex(a.current); i >= 0 {
		a.nav.Select(i)
	} else if len(a.navAreas) > 0 {
		a.nav.Select(0)
	}
}

// navIndex returns the row of r in the sidebar, or -1 when not shown.
func (a *App) navIndex(r Route) int {
	for i, ar := range a.navAreas {
		if ar.route == r {
			return i
		}
	}
	return -1
}

// setCompany shows c in the sidebar header.
func (a *App) setCompany(c *sales.Company) {
	if prev := a.company; prev != nil && (prev.ID != c.ID || prev.RFC != c.RFC) {
		// Screens show one company's data: rebuild them on their next visit,
		// except the one on screen (the company setup that switched).
		for r, s := range a.screens {
			if r == a.current {
				continue
			}
			if cl, ok := s.(interface{ Close() }); ok {
				cl.Close()
			}
			delete(a.screens, r)
		}
	}
	switched := a.company != nil && a.company.RFC != c.RFC
	a.company = c
	if switched {
		a.loadSalesSettings()
		a.loadDealer()
	}
	a.companyName.SetText(c.Nombre)
	if c.Demo {
		a.companyMode.SetText(lang.L("{{.RFC}} · demostración", map[string]any{"RFC": c.RFC}))
	} else {
		a.companyMode.SetText(c.RFC)
	}
}

// Show switches to the area r; it does nothing before a company is chosen
// or for an unknown route or one the company's settings hide.
func (a *App) Show(r Route) {
	if a.nav == nil {
		return
	}
	i := a.navIndex(r)
	if i < 0 {
		return
	}
	a.nav.Select(i) // OnSelected shows it
}

// Current returns the area shown ("" before the main view).
func (a *App) Current() Route { return a.current }

// showArea builds the screen of r on first use and shows it.
func (a *App) showArea(r Route) {
	s, ok := a.screens[r]
	if !ok {
		s = areas[areaIndex(r)].build(a)
		a.screens[r] = s
		if l, ok := s.(reloader); ok {
			l.Reload()
		}
	}
	a.current = r
	a.content.Objects = []fyne.CanvasObject{s}
	a.content.Refresh()
}

func (a *App) setCenter(o fyne.CanvasObject) {
	a.center.Objects = []fyne.CanvasObject{o}
	a.center.Refresh()
}

// focusSearch focuses the search entry of the current screen, if it has one.
func (a *App) focusSearch() {
	if s, ok := a.screens[a.current].(searchable); ok && a.content != nil {
		a.win.Canvas().Focus(s.FocusTarget())
	}
}

// Optional commands of a screen, run by Ctrl+S and Ctrl+E.
type (
	saver   interface{ Save() }
	poster  interface{ Post() }
	printer interface{ Print() }
)

// print runs the current screen's Print (Ctrl+P), if it has one.
func (a *App) print() {
	if s, ok := a.screens[a.current].(printer); ok {
		s.Print()
	}
}

// exportList exports the list the current screen shows, with its search
// and filters, to Excel or PDF (widgets.Exportable, app/sheets).
func (a *App) exportList() {
	s, ok := a.screens[a.current].(widgets.Exportable)
	var e widgets.ListExport
	if ok && a.svc.Sheets.WriteListing != nil && a.svc.Sheets.PDF != nil {
		e, ok = s.Export()
	} else {
		ok = false
	}
	if !ok {
		a.status.SetMessage(lang.L("Esta pantalla no muestra una lista que se pueda exportar; abra Clientes, Productos, Facturas, Cobranza, Existencias o CFDI externos."))
		return
	}
	sheets.ShowListExport(a.win, a.svc.Sheets, e, func(msg string, _ bool) { a.status.SetMessage(msg) })
}

// newInvoice shows "Facturas" with a new invoice in the editor (Ctrl+N).
func (a *App) newInvoice() {
	a.Show(RouteInvoices)
	if s, ok := a.screens[RouteInvoices].(*invoices.Screen); ok && a.current == RouteInvoices {
		s.New()
	}
}

// openInvoice shows "Facturas" with invoice id in the editor (a quote's
// invoice).
func (a *App) openInvoice(id int64) {
	a.Show(RouteInvoices)
	if s, ok := a.screens[RouteInvoices].(*invoices.Screen); ok && a.current == RouteInvoices {
		s.Open(id)
	}
}

// save runs the current screen's Save (Ctrl+S), if it has one.
func (a *App) save() {
	if s, ok := a.screens[a.current].(saver); ok {
		s.Save()
	}
}

// post runs the current screen's Post (Ctrl+E), if it has one.
func (a *App) post() {
	if s, ok := a.screens[a.current].(poster); ok {
		s.Post()
	}
}

// askExport asks for a folder and exports there the XML and PDF of every
// stamped document of the active company, with progress in the status bar.
func (a *App) askExport() {
	if a.svc.ExportAll == nil || a.company == nil {
		return
	}
	rfc := a.company.RFC
	widgets.ShowFolderOpen(a.win, lang.L("Carpeta donde exportar XML y PDF"), func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		a.export(rfc, dir.Path())
	})
}

// export runs ExportAll off the UI goroutine, showing its progress.
func (a *App) export(rfc, dir string) {
	a.status.SetMessage(lang.L("Exportando XML y PDF…"))
	go func() {
		n, err := a.svc.ExportAll(context.Background(), rfc, dir, func(done, total int) {
			fyne.Do(func() { a.status.SetProgress(done, total) })
		})
		fyne.Do(func() {
			a.status.HideProgress()
			if err != nil {
				a.status.SetMessage(domain.UserMessage(err))
				return
			}
			a.status.SetMessage(lang.L("Comprobantes exportados: {{.Count}} en {{.Dir}}", map[string]any{"Count": n, "Dir": dir}))
		})
	}()
}

// cancelInvoice opens the cancellation dialog (motivo, substitute, SAT's
// answer) for a stamped invoice.
func (a *App) cancelInvoice(invoiceID int64) {
	if a.svc.Cancels == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		docID, uuid, name, err := a.svc.Invoices.InvoiceDocument(ctx, invoiceID)
		fyne.Do(func() {
			if err != nil {
				a.status.SetMessage(domain.UserMessage(err))
				return
			}
			d := stamps.ShowCancelDialog(a.win, a.svc.Cancels, stamps.DocumentRef{ID: docID, Name: name, UUID: uuid})
			d.OnFinished = func(stamping.Cancellation) {
				if s, ok := a.screens[RouteInvoices].(*invoices.Screen); ok {
					s.Reload()
				}
			}
		})
	}()
}

// quit closes the main window, which ends the app.
func (a *App) quit() { a.win.Close() }

// mainMenu builds Archivo / Ir a / Edición / Ayuda, with the shortcuts of
// shortcuts.go attached to their items.
func (a *App) mainMenu() *fyne.MainMenu {
	item := func(s shortcut) *fyne.MenuItem {
		run := s.run
		it := fyne.NewMenuItem(lang.L(s.command), func() { run(a) })
		it.Shortcut = s.desktopShortcut()
		return it
	}
	quit := item(shortcutQuit)
	quit.IsQuit = true
	var goTo []*fyne.MenuItem
	for _, s := range areaShortcuts() {
		goTo = append(goTo, item(s))
	}
	// Areas past the ninth have no Ctrl+number but are in the menu too.
	for _, ar := range areas[len(goTo):] {
		route := ar.route
		goTo = append(goTo, fyne.NewMenuItem(lang.L(ar.title), func() { a.Show(route) }))
	}
	about := fyne.NewMenuItem(lang.L("Acerca de Folio"), func() {
		dialog.ShowInformation(lang.L("Acerca de Folio"), lang.L("Folio — facturación electrónica CFDI 4.0 para pequeñas empresas de México."), a.win)
	})
	return fyne.NewMainMenu(
		fyne.NewMenu(lang.L("Archivo"), item(shortcutNewInvoice), item(shortcutSave), item(shortcutPost), item(shortcutPrint),
			fyne.NewMenuItemSeparator(), fyne.NewMenuItem(lang.L("Exportar XML y PDF…"), a.askExport),
			fyne.NewMenuItem(lang.L("Exportar lista (Excel o PDF)…"), a.exportList),
			fyne.NewMenuItemSeparator(), quit),
		fyne.NewMenu(lang.L("Edición"), item(shortcutSearch)),
		fyne.NewMenu(lang.L("Ir a"), goTo...),
		fyne.NewMenu(lang.L("Ayuda"), about),
	)
}

// NewStartupError builds the window shown instead of the main one when
// Folio cannot start (for example, its database cannot be opened): the
// user-safe message of err and a "Salir" button that closes it. The caller
// shows it with ShowAndRun.
func NewStartupError(a fyne.App, err error) fyne.Window {
	translation.Load()
	w := a.NewWindow("Folio")
	title := widget.NewLabelWithStyle(lang.L("Folio no pudo iniciar"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel(domain.UserMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton(lang.L("Salir"), w.Close)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewBorder(title, container.NewHBox(layout.NewSpacer(), quit), nil, nil, msg)))
	w.Resize(fyne.NewSize(520, 200))
	w.CenterOnScreen()
	return w
}

// SetQueueStatus shows the stamp queue in the status bar: the PAC
// connection, documents waiting to be stamped, documents that need the user
// (rejected or past SAT's 72-hour window), then whether new documents go to
// a secondary PAC (failedOver), then the last problem reported, in Spanish.
// Call it on the UI goroutine.
func (a *App) SetQueueStatus(online bool, waiting, attention int, lastError string, failedOver bool) {
	a.status.SetConnection(online)
	a.status.SetPending(waiting)
	switch {
	case attention > 0:
		a.status.SetMessage(lang.L("Documentos que requieren atención: {{.Count}}", map[string]any{"Count": attention}))
	case failedOver:
		a.status.SetMessage(lang.L("PAC principal sin respuesta o sin timbres: timbrando con el secundario. Vea Timbres."))
	case lastError != "":
		a.status.SetMessage(lastError)
	}
}
