package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/catalogs"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeStore is CatalogSearcher and CompanyStore in memory.
type fakeStore struct {
	mu         sync.Mutex
	company    *sales.Company
	companyErr error
	searches   int
	lists      int      // FindInvoices calls
	tipos      []string // the Tipo of each FindInvoices call
}

func (s *fakeStore) SearchCatalog(_ context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.searches++
	return []sat.Entry{{Catalog: catalog, Key: "01010101", Description: "No existe en el catálogo"}}, nil
}

func (s *fakeStore) Searches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.searches
}

func (s *fakeStore) ActiveCompany(context.Context) (*sales.Company, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.companyErr != nil {
		return nil, s.companyErr
	}
	if s.company == nil {
		return nil, domain.E(domain.NotFound, "fake.ActiveCompany", "No hay empresa configurada.", nil)
	}
	c := *s.company
	return &c, nil
}

func (s *fakeStore) SaveCompany(_ context.Context, c *sales.Company) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = 1
	cp := *c
	s.company = &cp
	return nil
}

// The customer and product screens only list here: empty stores.
func (s *fakeStore) FindCustomers(context.Context, sales.CustomerFilter) ([]sales.Customer, error) {
	return nil, nil
}
func (s *fakeStore) CreateCustomer(context.Context, *sales.Customer) error { return nil }
func (s *fakeStore) UpdateCustomer(context.Context, *sales.Customer) error { return nil }
func (s *fakeStore) SetCustomerActive(context.Context, int64, bool) error  { return nil }
func (s *fakeStore) FindProducts(context.Context, sales.ProductFilter) ([]sales.Product, error) {
	return nil, nil
}
func (s *fakeStore) CreateProduct(context.Context, *sales.Product) error { return nil }
func (s *fakeStore) UpdateProduct(context.Context, *sales.Product) error { return nil }
func (s *fakeStore) SetProductActive(context.Context, int64, bool) error { return nil }

// The invoice list is empty here.
func (s *fakeStore) FindInvoices(_ context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	s.tipos = append(s.tipos, f.Tipo)
	return nil, nil
}

// Tipos returns the Tipo of every list asked for, in order.
func (s *fakeStore) Tipos() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tipos)
}

func (s *fakeStore) Lists() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists
}
func (s *fakeStore) FindInvoiceByID(context.Context, int64) (sales.Invoice, error) {
	return sales.Invoice{}, domain.E(domain.NotFound, "fake.FindInvoiceByID", "No existe la factura.", nil)
}

func (s *fakeStore) SaveDraft(context.Context, *sales.Invoice) error { return nil }
func (s *fakeStore) DeleteDraft(context.Context, int64) error        { return nil }
func (s *fakeStore) InvoiceXML(context.Context, int64) ([]byte, bool, error) {
	return nil, false, domain.E(domain.NotFound, "fake.InvoiceXML", "No existe la factura.", nil)
}
func (s *fakeStore) DocumentsRelatingTo(context.Context, string, string) ([][]byte, error) {
	return nil, nil
}
func (s *fakeStore) CreditNotesOf(context.Context, int64) ([]sales.CreditNoteRow, error) {
	return nil, nil
}
func (s *fakeStore) InvoiceDocument(context.Context, int64) (int64, string, string, error) {
	return 0, "", "", domain.E(domain.NotFound, "fake.InvoiceDocument", "No existe la factura.", nil)
}

var satCatalogs = sync.OnceValues(func() (*sat.Catalogs, error) { return sat.NewCatalogs(assets.Catalogs) })

// newTestApp starts the app on Fyne's test driver with store behind it.
func newTestApp(t *testing.T, store *fakeStore) (*App, *uitest.Queue) {
	t.Helper()
	return newTestAppWith(t, store, nil)
}

// newTestAppWith is newTestApp with the services changed by more first.
func newTestAppWith(t *testing.T, store *fakeStore, more func(*Services)) (*App, *uitest.Queue) {
	t.Helper()
	fa, q := uitest.NewApp(t)
	rules, err := satCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	svc := Services{Catalogs: store, Rules: rules, Companies: store,
		Customers: store, Products: store, SalesRules: rules, Invoices: store}
	if more != nil {
		more(&svc)
	}
	return New(fa, svc), q
}

// centerIs reports whether the window's central area shows an object of type T.
func centerIs[T any](a *App) func() bool {
	return func() bool {
		_, ok := a.center.Objects[0].(T)
		return ok
	}
}

func press(a *App, key fyne.KeyName) {
	a.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

func TestWindow(t *testing.T) {
	a, _ := newTestApp(t, &fakeStore{})
	if got := a.Window().Title(); got != "Folio" {
		t.Errorf("title = %q, want Folio", got)
	}
	menu := a.Window().MainMenu()
	if menu == nil {
		t.Fatal("no main menu")
	}
	var labels []string
	for _, m := range menu.Items {
		labels = append(labels, m.Label)
	}
	if want := 4; len(labels) != want {
		t.Fatalf("menus = %v, want %d", labels, want)
	}
	goTo := menu.Items[2].Items
	if len(goTo) != len(areas) {
		t.Fatalf("'Ir a' has %d items, want one per area (%d)", len(goTo), len(areas))
	}
	for i, it := range goTo {
		if i >= len(areaKeys) {
			if it.Shortcut != nil {
				t.Errorf("item %q past the ninth has shortcut %#v", it.Label, it.Shortcut)
			}
			continue
		}
		sc, ok := it.Shortcut.(*desktop.CustomShortcut)
		if !ok || sc.KeyName != areaKeys[i] || sc.Modifier != fyne.KeyModifierShortcutDefault {
			t.Errorf("item %q shortcut = %#v, want Ctrl+%s", it.Label, it.Shortcut, areaKeys[i])
		}
	}
	file := menu.Items[0].Items
	if quit := file[len(file)-1]; !quit.IsQuit || quit.Shortcut == nil {
		t.Errorf("last item of Archivo = %+v, want the quit item with its shortcut", quit)
	}
	if first := file[0]; first.Label != "Nueva factura" && first.Label != "New invoice" || first.Shortcut == nil {
		t.Errorf("first item of Archivo = %+v, want Nueva factura with its shortcut", first)
	}
}

func TestShortcutTable(t *testing.T) {
	seen := map[fyne.KeyName]string{}
	for _, s := range shortcuts() {
		if prev, dup := seen[s.key]; dup {
			t.Errorf("Ctrl+%s used by %q and %q", s.key, prev, s.command)
		}
		seen[s.key] = s.command
	}
	// Every area always offered has its Ctrl+number; areas the company's
	// settings enable come last and may have none (they are in "Ir a").
	always := 0
	for i, ar := range areas {
		if ar.visible == nil {
			always++
		} else if i < len(areas)-1 && areas[i+1].visible == nil {
			t.Errorf("conditional area %q before an always-offered one: it would shift their shortcuts", ar.route)
		}
	}
	if always > len(areaKeys) {
		t.Errorf("%d areas but only %d area shortcuts", always, len(areaKeys))
	}
	routes := map[Route]bool{}
	for _, ar := range areas {
		if routes[ar.route] || ar.title == "" || ar.build == nil || ar.icon == nil {
			t.Errorf("bad area %+v", ar)
		}
		routes[ar.route] = true
	}
}

func TestFirstRunDemoCompany(t *testing.T) {
	store := &fakeStore{}
	a, q := newTestApp(t, store)
	press(a, fyne.Key2) // before a company exists, areas cannot be opened
	a.Start()
	q.RunUntil(t, "welcome screen", centerIs[*company.Welcome](a))
	if a.Current() != "" {
		t.Errorf("current area = %q before choosing a company", a.Current())
	}

	w := a.center.Objects[0].(*company.Welcome)
	// Tapping through the rendered tree keeps the test on public behaviour.
	demo := findButton(t, w, "Usar la empresa de demostración", "Use the demo company")
	test.Tap(demo)
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })

	if a.company == nil || !a.company.Demo {
		t.Fatalf("company = %+v, want the demo company", a.company)
	}
	if got := a.companyName.Text; got != sales.DemoCompany().Nombre {
		t.Errorf("sidebar company = %q", got)
	}
}

func TestExistingCompanyOpensMainView(t *testing.T) {
	store := &fakeStore{company: &sales.Company{ID: 3, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}}
	a, q := newTestApp(t, store)
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == RouteInvoices })
	if got := a.companyMode.Text; got != "CACX7605101P8" {
		t.Errorf("sidebar RFC = %q", got)
	}
	if _, ok := a.content.Objects[0].(*invoices.Screen); !ok {
		t.Fatalf("first area shows %T, want the invoices", a.content.Objects[0])
	}
}

// TestScreensFollowTheDomain: a change announced on the bus reaches the
// screens already built (the invoice list reloads) with no user action;
// another issuer's change does not.
func TestScreensFollowTheDomain(t *testing.T) {
	store := &fakeStore{company: &sales.Company{ID: 3, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}}
	fa, q := uitest.NewApp(t)
	rules, err := satCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	bus := event.NewBus()
	a := New(fa, Services{Catalogs: store, Rules: rules, Companies: store, Customers: store, Products: store,
		SalesRules: rules, Invoices: store, Events: bus})
	var seen []event.Event
	a.OnChanged = func(e []event.Event) { seen = append(seen, e...) }
	a.Start()
	q.RunUntil(t, "main view and list", func() bool { return a.Current() == RouteInvoices && store.Lists() == 1 })

	bus.Publish(event.Event{Kind: event.DocumentStamped, IssuerRFC: "EKU9003173C9"})
	bus.Publish(event.Event{Kind: event.DocumentStamped, IssuerRFC: "CACX7605101P8", DocumentID: 9})
	q.RunUntil(t, "the list reloads", func() bool { return store.Lists() == 2 && len(seen) == 2 })
	bus.Publish(event.Event{Kind: event.DocumentStamped, IssuerRFC: "EKU9003173C9"})
	q.RunUntil(t, "the other issuer's change is seen", func() bool { return len(seen) == 3 })
	// A reload would have started in the same call; give its goroutine
	// the time to reach the store before checking that none did.
	time.Sleep(200 * time.Millisecond)
	if n := store.Lists(); n != 2 {
		t.Errorf("list loads = %d after another issuer's change, want 2", n)
	}
}

func TestStartErrorOffersRetry(t *testing.T) {
	store := &fakeStore{companyErr: domain.E(domain.Unavailable, "fake", "No se pudo abrir la base de datos.", errors.New("disk"))}
	a, q := newTestApp(t, store)
	a.Start()
	var retry *widget.Button
	q.RunUntil(t, "error screen", func() bool {
		retry = findButtonOrNil(a.center, "Reintentar", "Retry")
		return retry != nil
	})
	store.mu.Lock()
	store.companyErr = nil
	store.mu.Unlock()
	test.Tap(retry)
	q.RunUntil(t, "welcome after retry", centerIs[*company.Welcome](a))
}

// TestCreditNotesArea: "Notas de crédito" comes right after "Facturas" and
// lists credit notes, while "Facturas" lists invoices.
func TestCreditNotesArea(t *testing.T) {
	store := &fakeStore{company: sales.DemoCompany()}
	a, q := newTestApp(t, store)
	a.Start()
	q.RunUntil(t, "invoices listed", func() bool { return a.Current() == RouteInvoices && store.Lists() == 1 })
	if i := areaIndex(RouteCredits); i != areaIndex(RouteInvoices)+1 || areas[i].title != "Notas de crédito" {
		t.Fatalf("area %d is %q", i, areas[i].title)
	}
	a.Show(RouteCredits)
	q.RunUntil(t, "credit notes listed", func() bool { return store.Lists() == 2 })
	if got := store.Tipos(); !slices.Equal(got, []string{"I", "E"}) {
		t.Errorf("Tipo of the lists = %q, want [I E]", got)
	}
	if _, ok := a.screens[RouteCredits].(*invoices.Screen); !ok {
		t.Errorf("Notas de crédito shows a %T", a.screens[RouteCredits])
	}
}

func TestShortcuts(t *testing.T) {
	store := &fakeStore{company: sales.DemoCompany()}
	a, q := newTestApp(t, store)
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })

	press(a, fyne.Key2)
	if a.Current() != areas[1].route {
		t.Errorf("Ctrl+2 shows %q, want %q", a.Current(), areas[1].route)
	}
	press(a, fyne.Key1)
	if a.Current() != areas[0].route {
		t.Errorf("Ctrl+1 shows %q, want %q", a.Current(), areas[0].route)
	}
	a.Show(RouteCatalogs)
	press(a, fyne.KeyF)
	b := a.content.Objects[0].(*catalogs.Browser)
	if got := a.win.Canvas().Focused(); got != b.FocusTarget() {
		t.Errorf("Ctrl+F focused %T, want the search entry", got)
	}
	closed := false
	a.win.SetOnClosed(func() { closed = true })
	press(a, fyne.KeyQ)
	if !closed {
		t.Error("Ctrl+Q did not close the window")
	}
}

func TestLoadCatalogsShowsProgress(t *testing.T) {
	store := &fakeStore{company: sales.DemoCompany()}
	a, q := newTestApp(t, store)
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })
	a.Show(RouteCatalogs)
	q.RunUntil(t, "first search", func() bool { return store.Searches() == 1 })

	release := make(chan struct{})
	a.LoadCatalogs(context.Background(), func(ctx context.Context, progress func(done, total int)) error {
		for i := 0; i <= 40; i++ {
			progress(i, 80)
		}
		<-release
		return nil
	})
	q.RunUntil(t, "half-way progress", func() bool { v, on := a.status.Progress(); return on && v == 0.5 })
	close(release)
	q.RunUntil(t, "load finished", func() bool { _, on := a.status.Progress(); return !on })
	if got := a.status.Message(); got != "Catálogos del SAT listos." && got != "SAT catalogs ready." {
		t.Errorf("status = %q", got)
	}
	q.RunUntil(t, "browser reloaded", func() bool { return store.Searches() == 2 })
}

func TestLoadCatalogsFailure(t *testing.T) {
	a, q := newTestApp(t, &fakeStore{})
	a.LoadCatalogs(context.Background(), func(context.Context, func(int, int)) error {
		return domain.E(domain.Unavailable, "fake", "El disco está lleno.", nil)
	})
	q.RunUntil(t, "failure shown", func() bool { _, on := a.status.Progress(); return !on })
	if got := a.status.Message(); !slices.Contains([]string{
		"No se pudieron cargar los catálogos del SAT: El disco está lleno.",
		"The SAT catalogs could not be loaded: El disco está lleno.",
	}, got) {
		t.Errorf("status = %q", got)
	}
}

// findButtonOrNil walks o's rendered tree for a button with one of labels.
func findButtonOrNil(o fyne.CanvasObject, labels ...string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && slices.Contains(labels, b.Text) {
			return b
		}
	}
	return nil
}

func findButton(t *testing.T, o fyne.CanvasObject, labels ...string) *widget.Button {
	t.Helper()
	b := findButtonOrNil(o, labels...)
	if b == nil {
		t.Fatalf("no button %v", labels)
	}
	return b
}

func TestStartupErrorWindow(t *testing.T) {
	fa, _ := uitest.NewApp(t)
	w := NewStartupError(fa, domain.E(domain.Unavailable, "sqlite.Open", "La base de datos está en uso por otro programa.", errors.New("locked")))
	if w.Title() != "Folio" {
		t.Errorf("title = %q", w.Title())
	}
	found := false
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Text == "La base de datos está en uso por otro programa." {
			found = true
		}
	}
	if !found {
		t.Error("the user message is not shown")
	}
	closed := false
	w.SetOnClosed(func() { closed = true })
	test.Tap(findButton(t, w.Content(), "Salir", "Quit"))
	if !closed {
		t.Error("Salir did not close the window")
	}
}

// TestSwitchingCompanyRebuildsScreens: after another company becomes active,
// the areas built for the previous one are built again on their next visit.
func TestSwitchingCompanyRebuildsScreens(t *testing.T) {
	store := &fakeStore{company: sales.DemoCompany()}
	a, q := newTestApp(t, store)
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })
	first := a.screens[RouteInvoices]
	a.Show(RouteCatalogs)
	other := &sales.Company{ID: 9, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	a.setCompany(other)
	if _, kept := a.screens[RouteInvoices]; kept {
		t.Fatal("the invoices of the previous company are still cached")
	}
	if _, kept := a.screens[RouteCatalogs]; !kept {
		t.Error("the screen on display was dropped")
	}
	a.Show(RouteInvoices)
	if a.screens[RouteInvoices] == first {
		t.Error("the invoices screen was not rebuilt for the new company")
	}
}

// TestExportShowsProgressAndResult: "Exportar XML y PDF…" runs off the UI
// goroutine, shows progress, then how many documents went where.
func TestExportShowsProgressAndResult(t *testing.T) {
	store := &fakeStore{company: sales.DemoCompany()}
	a, q := newTestApp(t, store)
	a.svc.ExportAll = func(_ context.Context, rfc, dir string, progress func(done, total int)) (int, error) {
		if rfc != sales.DemoRFC {
			return 0, errors.New("wrong issuer " + rfc)
		}
		progress(1, 2)
		progress(2, 2)
		return 2, nil
	}
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })
	a.export(sales.DemoRFC, "/tmp/salida")
	q.RunUntil(t, "exported", func() bool {
		_, on := a.status.Progress()
		return !on && strings.Contains(a.status.Message(), "/tmp/salida")
	})
	if got := a.status.Message(); !strings.Contains(got, "2") {
		t.Errorf("status = %q, want the count", got)
	}
}
