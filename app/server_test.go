package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/domain/sales"
)

// openServer is a Connector to a server with nothing to unlock.
type openServer struct{ conns int }

func (s *openServer) Connect(context.Context, company.ServerConnection) (company.Server, error) {
	s.conns++
	return company.Server{Name: "postgres://folio@servidor.local:5432/folio"}, nil
}

func (s *openServer) Unlock(context.Context, string) (string, error) { return "", nil }

// TestFirstRunConnectServer: the welcome offers "Conectar a un servidor"
// only when the window has a Connector; after connecting it says, in
// Spanish, what the connection is for and that the window keeps working
// on this computer's file.
func TestFirstRunConnectServer(t *testing.T) {
	t.Run("without a connector", func(t *testing.T) {
		a, q := newTestApp(t, &fakeStore{})
		a.Start()
		q.RunUntil(t, "welcome screen", centerIs[*company.Welcome](a))
		if b := findButtonOrNil(a.center.Objects[0], "Conectar a un servidor", "Connect to a server"); b != nil {
			t.Error("the server choice is offered without a connector")
		}
	})
	srv := &openServer{}
	a, q := newTestAppWith(t, &fakeStore{}, func(s *Services) { s.Server = srv })
	a.win.Resize(fyne.NewSize(1200, 900))
	a.Start()
	q.RunUntil(t, "welcome screen", centerIs[*company.Welcome](a))
	test.Tap(findButton(t, a.center.Objects[0], "Conectar a un servidor", "Connect to a server"))
	test.Tap(findButton(t, a.center.Objects[0], "Conectar", "Connect"))
	q.RunUntil(t, "connected dialog", func() bool { return a.win.Canvas().Overlays().Top() != nil })
	if srv.conns != 1 {
		t.Fatalf("Connect called %d times", srv.conns)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(a.win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.RichText:
			texts = append(texts, w.String())
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Conectado al servidor", "postgres://folio@servidor.local:5432/folio", "Folio se abrirá sobre él la próxima vez que lo inicie"} {
		if !strings.Contains(all, want) {
			t.Errorf("dialog without %q:\n%s", want, all)
		}
	}
	if !centerIs[*company.Welcome](a)() {
		t.Error("the welcome screen left after connecting, with no wiring to reopen the window on the server")
	}
}

// TestServerConnectedReopensTheWindow: with OnServerConnected set (the
// window's wiring), connecting shows no "cannot yet" dialog; Reopen with
// the server's services leaves the welcome for the main view of the
// server's active company, and the server's invoices are the ones listed.
func TestServerConnectedReopensTheWindow(t *testing.T) {
	srv := &openServer{}
	a, q := newTestAppWith(t, &fakeStore{}, func(s *Services) { s.Server = srv })
	a.win.Resize(fyne.NewSize(1200, 900))
	server := &fakeStore{company: &sales.Company{ID: 7, RFC: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE"}}
	rules, err := satCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	connected := 0
	a.OnServerConnected = func(company.Server) {
		connected++
		a.Reopen(Services{Catalogs: server, Rules: rules, Companies: server,
			Customers: server, Products: server, SalesRules: rules, Invoices: server})
	}
	a.Start()
	q.RunUntil(t, "welcome screen", centerIs[*company.Welcome](a))
	test.Tap(findButton(t, a.center.Objects[0], "Conectar a un servidor", "Connect to a server"))
	test.Tap(findButton(t, a.center.Objects[0], "Conectar", "Connect"))
	q.RunUntil(t, "the main view on the server", func() bool { return a.Current() == RouteInvoices })
	if connected != 1 {
		t.Fatalf("OnServerConnected called %d times", connected)
	}
	if top := a.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is shown after reopening: %T", top)
	}
	if a.company == nil || a.company.RFC != "EKU9003173C9" {
		t.Errorf("company = %+v, want the server's", a.company)
	}
	q.RunUntil(t, "the server's invoices listed", func() bool {
		server.mu.Lock()
		defer server.mu.Unlock()
		return server.lists > 0
	})
}
