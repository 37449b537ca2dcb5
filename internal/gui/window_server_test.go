package gui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/event"
	dq "github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
	"github.com/folio-mx/folio/internal/wire"
)

// TestWindowOnAServer: the window's services over a PostgreSQL server
// with the demo company open Facturas and list its invoices; every area
// is offered there, as on a file, and opens; and an invoice another workstation posts (a second store handle
// on the same database) reaches the window's bus through LISTEN/NOTIFY and
// appears in the list without any action here. Needs FOLIO_TEST_POSTGRES
// (postgres.TestServer: skipped without it, failed under CI=true).
func TestWindowOnAServer(t *testing.T) {
	postgres.TestServer(t)
	ctx := context.Background()
	dsn := postgres.NewTestDatabase(t)
	dir := t.TempDir()
	open := func() *postgres.Store {
		t.Helper()
		s, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(dir, "folio.secret"), KeyDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	here := open()
	co, err := wire.SeedDemo(ctx, here, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	// (Saldos contra terceros is offered to a company that bills for them,
	// the Administrador de timbres to one whose PAC account is a dealer's.)
	if err := here.SetSalesSettings(ctx, co.RFC, sales.SalesSettings{ThirdParties: true}); err != nil {
		t.Fatal(err)
	}
	if err := here.SetDealerEnabled(ctx, co.ID, true); err != nil {
		t.Fatal(err)
	}

	// Given the window open on the server,
	w := newWindow(serverBackend(here), rules, nil)
	fa, q := uitest.NewApp(t)
	wctx, cancel := context.WithCancel(ctx)
	t.Cleanup(func() { cancel(); w.Close() })
	listening := make(chan struct{})
	w.start(wctx, fa, listening)
	select {
	case <-listening:
	case <-time.After(30 * time.Second):
		t.Fatal("the window does not follow the server")
	}
	win := w.ui.Window()
	win.Resize(fyne.NewSize(1400, 900))
	w.ui.Start()
	q.RunUntil(t, "Facturas listing the demo invoices", func() bool {
		return w.ui.Current() == app.RouteInvoices && shows(win, listed(3)...)
	})

	// every area is offered, as on a file, and opens (the dealer's once
	// its flag is read);
	q.RunUntil(t, "the Administrador de timbres offered", func() bool { return slices.Contains(w.ui.Offered(), app.RouteDealer) })
	offered := w.ui.Offered()
	for _, r := range []app.Route{app.RouteInvoices, app.RouteCredits, app.RouteCobranza, app.RouteReceipts, app.RouteCustomers,
		app.RouteProducts, app.RouteCatalogs, app.RouteStamps, app.RouteCompany, app.RouteMail, app.RouteQuotes, app.RouteTerceros, app.RouteStock, app.RouteReceived, app.RouteDealer} {
		if !slices.Contains(offered, r) {
			t.Errorf("%s not offered on the server: %v", r, offered)
		}
	}
	for _, r := range offered {
		w.ui.Show(r)
		q.RunUntil(t, string(r), func() bool { return w.ui.Current() == r })
	}
	facturarOnServer(t, w, here, co)
	w.ui.Show(app.RouteInvoices)
	q.RunUntil(t, "back to Facturas", func() bool { return w.ui.Current() == app.RouteInvoices && shows(win, listed(4)...) })

	// when another workstation posts an invoice,
	sub := w.bus.Subscribe(256)
	defer sub.Close()
	inv := postElsewhere(t, open(), co)
	// then the change arrives through the server (nothing here posted it)
	// and the list shows the new invoice (a fifth row).
	notified := false
	q.RunUntil(t, "the other workstation's invoice listed", func() bool {
		for !notified {
			select {
			case e := <-sub.C():
				notified = e.Kind == event.DocumentPosted && e.InvoiceID == inv.ID
				continue
			default:
			}
			break
		}
		return notified && shows(win, listed(5)...)
	})
}

// facturarOnServer: "Cotizaciones" on the server saves a quote of the demo
// company's first invoice, accepts it and turns it into an invoice draft
// (Facturar) with the link both ways.
func facturarOnServer(t *testing.T, w *window, s *postgres.Store, co *sales.Company) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: co.RFC, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo invoices: %v", err)
	}
	doc, err := s.FindInvoiceByID(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	doc.ID, doc.Folio, doc.UUID, doc.SealedXML = 0, 0, "", nil
	qt := dq.Quote{Issuer: co.RFC, ValidUntil: time.Now().AddDate(0, 0, 15), Doc: doc}
	deps := w.svc.Quotes
	if err := deps.Save(ctx, &qt); err != nil {
		t.Fatal(err)
	}
	if err := deps.Accept(ctx, qt.ID); err != nil {
		t.Fatal(err)
	}
	draft, err := deps.Facturar(ctx, qt.ID)
	if err != nil {
		t.Fatalf("Facturar on the server: %v", err)
	}
	back, err := s.FindQuote(ctx, qt.ID)
	if err != nil || back.Status != dq.Invoiced || back.InvoiceID != draft.ID {
		t.Errorf("quote after Facturar on the server: %+v, %v; want facturada with draft %d", back, err, draft.ID)
	}
	if inv, err := s.FindInvoiceByID(ctx, draft.ID); err != nil || inv.State != sales.StateDraft || len(inv.Lines) != len(doc.Lines) {
		t.Errorf("the quote's draft on the server: %+v, %v", inv, err)
	}
}

// postElsewhere posts one invoice of the demo company through s, another
// workstation's store handle, with the demo CSD.
func postElsewhere(t *testing.T, s *postgres.Store, co *sales.Company) sales.Invoice {
	t.Helper()
	ctx := context.Background()
	cs, err := s.FindCustomers(ctx, sales.CustomerFilter{Query: "CACX7605101P8"})
	if err != nil || len(cs) == 0 {
		t.Fatalf("customer: %v", err)
	}
	ps, err := s.FindProducts(ctx, sales.ProductFilter{Query: "MOU-01"})
	if err != nil || len(ps) == 0 {
		t.Fatalf("product: %v", err)
	}
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := csd.Load(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword)
	if err != nil {
		t.Fatal(err)
	}
	svc := &sales.Service{Invoices: s, Catalogs: rules}
	inv := sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: cs[0].ID, Customer: cs[0], UsoCFDI: "G03", FormaPago: "03",
		Lines: []sales.Line{sales.LineFromProduct(&ps[0], decimal.NewFromInt(2))}}
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	posted, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return posted
}

// listed is the invoice list's count line for n invoices, in Spanish and
// English.
func listed(n int) []string {
	return []string{fmt.Sprintf("Facturas mostradas: %d", n), fmt.Sprintf("Invoices shown: %d", n)}
}

// shows reports whether a label in win's content reads one of texts.
func shows(win fyne.Window, texts ...string) bool {
	for _, o := range test.LaidOutObjects(win.Content()) {
		if l, ok := o.(*widget.Label); ok && slices.Contains(texts, l.Text) && l.Visible() {
			return true
		}
	}
	return false
}
