package dealer

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// newArea shows the area over the local PAC's demo dealer account (1000
// stamps) through the real SW client and a real store, with two client
// accounts, and waits until it is connected.
func newArea(t *testing.T) (*Area, *uitest.Queue, *dealer.Service, []dealer.Client) {
	t.Helper()
	a, q, svc, clients, _ := newAreaWith(t, Deps{})
	return a, q, svc, clients
}

// newAreaWith is newArea with extra dependencies; it also returns the
// local PAC's URL.
func newAreaWith(t *testing.T, deps Deps, wrap ...func(Service) Service) (*Area, *uitest.Queue, *dealer.Service, []dealer.Client, string) {
	t.Helper()
	_, q := uitest.NewApp(t)
	local, err := sim.Start(sim.Options{SkipQR: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.Close() })
	client, err := pac.NewClient(pac.Config{ServicesURL: local.URL(), APIURL: local.URL(), Token: sim.DemoUser.Token, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	svc := &dealer.Service{API: client.Dealer(), Store: sqlite.MustOpenTest(t), Dealer: "local"}
	ctx := context.Background()
	var clients []dealer.Client
	for _, n := range []dealer.NewClient{
		{Name: "Papelería Luna", RFC: "PLU200101AB1", Email: "luna@cliente.mx", Password: "Luna-2026!", Stamps: 10},
		{Name: "Ferretería Sol", RFC: "FSO200101AB2", Email: "sol@cliente.mx", Password: "Sol-2026!x", Unlimited: true},
	} {
		c, err := svc.Create(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var open Service = svc
	for _, w := range wrap {
		open = w(open)
	}
	deps.Open = func(context.Context, int64) (Service, error) { return open, nil }
	deps.Account = func(context.Context, int64) (string, string, error) {
		return "PAC local de demostración", sim.DemoUser.Email, nil
	}
	a := NewArea(deps, &sales.Company{ID: 1, RFC: "EKU9003173C9"})
	w := test.NewWindow(a)
	w.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(w.Close)
	a.Reload()
	q.RunUntil(t, "connected and clients listed", func() bool { return a.Service() != nil && len(a.Clients.List().Rows()) == 2 })
	return a, q, svc, clients, local.URL()
}

func rowOf(a *Area, email string) *clientRow {
	for _, r := range a.Clients.List().Rows() {
		if r.email == email {
			return &r
		}
	}
	return nil
}

func TestClientsList(t *testing.T) {
	a, q, _, _ := newArea(t)
	// The rows show each account's stamps, or Ilimitado.
	if r := rowOf(a, "luna@cliente.mx"); r == nil || r.stamps != "10" || r.rfc != "PLU200101AB1" || r.estado != "Activa" {
		t.Errorf("luna = %+v", r)
	}
	if r := rowOf(a, "sol@cliente.mx"); r == nil || r.stamps != "Ilimitado" {
		t.Errorf("sol = %+v", r)
	}
	// A search by RFC reaches the PAC's filter.
	test.Type(a.Clients.List().Search, "FSO200101AB2")
	q.RunUntil(t, "search by RFC", func() bool {
		rows := a.Clients.List().Rows()
		return len(rows) == 1 && rows[0].email == "sol@cliente.mx"
	})
	// Deactivating hides the account unless "Mostrar cuentas dadas de baja".
	a.Clients.List().Table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(a.Clients.List().Toggle)
	q.RunUntil(t, "deactivated", func() bool { return len(a.Clients.List().Rows()) == 0 })
	test.Tap(a.Clients.List().Inactive)
	q.RunUntil(t, "inactive shown", func() bool {
		rows := a.Clients.List().Rows()
		return len(rows) == 1 && rows[0].estado == "Desactivada"
	})
}

// menuAction runs the menu item labelled label for account c.
func menuAction(t *testing.T, a *Area, c dealer.Client, label string) {
	t.Helper()
	for _, it := range a.Clients.MenuItems(c) {
		if it.Label == label {
			it.Action()
			return
		}
	}
	t.Fatalf("no menu item %q", label)
}

func TestClientActionsChangeTheBalanceShown(t *testing.T) {
	a, q, svc, clients := newArea(t)
	luna := clients[0]
	var labels []string
	for _, it := range a.Clients.MenuItems(luna) {
		labels = append(labels, it.Label)
	}
	want := "Agregar timbres…|Quitar timbres…|Ver reporte|Ver detalle de movimientos|Desactivar|Cambiar contraseña…|Editar…|Eliminar…"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("menu = %s\nwant   %s", got, want)
	}

	// Agregar timbres: 15 more, with a comment.
	menuAction(t, a, luna, "Agregar timbres…")
	test.Type(a.Clients.Field("Stamps"), "15")
	test.Type(a.Clients.Field("Comment"), "  recarga de diciembre ")
	a.Clients.Dialog.Save()
	q.RunUntil(t, "balance 25 shown", func() bool { r := rowOf(a, "luna@cliente.mx"); return r != nil && r.stamps == "25" })
	if !strings.Contains(a.Clients.Message.Text, "25 timbres") {
		t.Errorf("message = %q", a.Clients.Message.Text)
	}

	// Quitar timbres: more than it has is refused under the field, and
	// nothing changes.
	luna.Stamps = 25
	menuAction(t, a, luna, "Quitar timbres…")
	test.Type(a.Clients.Field("Stamps"), "30")
	a.Clients.Dialog.Save()
	q.RunUntil(t, "refusal shown", func() bool {
		return strings.Contains(a.Clients.Dialog.Message()+a.Clients.fieldError("Stamps"), "quite 25 o menos")
	})
	if b, _ := svc.ClientBalance(context.Background(), luna.ID); b.Stamps != 25 {
		t.Fatalf("balance after a refused removal = %d", b.Stamps)
	}
	a.Clients.Field("Stamps").SetText("")
	test.Type(a.Clients.Field("Stamps"), "5")
	a.Clients.Dialog.Save()
	q.RunUntil(t, "balance 20 shown", func() bool { r := rowOf(a, "luna@cliente.mx"); return r != nil && r.stamps == "20" })

	// The dealer's account lost 10 + 15 and got 5 back.
	if own, _ := svc.OwnBalance(context.Background()); own.Stamps != sim.DemoUser.Stamps-20 {
		t.Errorf("dealer balance = %d, want %d", own.Stamps, sim.DemoUser.Stamps-20)
	}

	// Ver detalle de movimientos: the PAC's history of the account.
	v := a.Clients.ShowMovements(luna)
	q.RunUntil(t, "movements", func() bool { return len(v.Rows()) == 3 })
	rows := v.Rows()
	if rows[1].entradas != "15" || rows[1].saldo != "25" || rows[1].descripcion != "recarga de diciembre" || rows[2].salidas != "5" || rows[2].saldo != "20" {
		t.Errorf("movements = %+v", rows)
	}
	if !strings.Contains(v.Note.Text, "3 movimientos") {
		t.Errorf("note = %q", v.Note.Text)
	}

	// Mis acciones: what Folio did, including the creations.
	a.Actions.Reload()
	q.RunUntil(t, "actions", func() bool { return len(a.Actions.Rows()) == 4 })
	if r := a.Actions.Rows()[2]; r.accion != "Asignación de timbres" || r.entradas != "15" || r.saldo != "25" {
		t.Errorf("action = %+v", r)
	}
}

func TestMyHistoryAndAccount(t *testing.T) {
	a, q, _, _ := newArea(t)
	// Mi historial, loaded as its tab is shown: the dealer's side of the
	// creation with 10 stamps.
	a.Tabs.SelectIndex(4)
	q.RunUntil(t, "history", func() bool { return len(a.History.Rows()) == 1 })
	if r := a.History.Rows()[0]; r.salidas != "10" || r.saldo != "990" || r.cuenta != "Papelería Luna" {
		t.Errorf("history = %+v", r)
	}
	// A bad date is said in Spanish.
	a.History.Period.From.SetText("31/02/2026")
	a.History.Search()
	if !strings.Contains(a.History.Note.Text, "dd/mm/aaaa") {
		t.Errorf("note = %q", a.History.Note.Text)
	}
	// Mi cuenta: access data and summary.
	a.Account.Reload()
	q.RunUntil(t, "account", func() bool { return a.Account.User.Text != "" })
	if a.Account.User.Text != sim.DemoUser.Email || !strings.Contains(a.Account.Note.Text, "990") {
		t.Errorf("account: user %q, note %q", a.Account.User.Text, a.Account.Note.Text)
	}
	// Reporte de clientes.
	a.Report.Search()
	q.RunUntil(t, "report", func() bool { return len(a.Report.Rows()) == 2 })
	for _, r := range a.Report.Rows() {
		if r.email == "luna@cliente.mx" && (r.in != "10" || r.saldo != "10") {
			t.Errorf("report row = %+v", r)
		}
	}
}

func TestNewAccountForm(t *testing.T) {
	a, q, svc, _ := newArea(t)
	a.Clients.ShowNew()
	// Required fields are marked, and missing ones are said under them.
	a.Clients.Dialog.Save()
	q.RunUntil(t, "problems shown", func() bool { return a.Clients.fieldError("Name") != "" })
	for _, f := range []string{"RFC", "Email", "Password"} {
		if a.Clients.fieldError(f) == "" {
			t.Errorf("no problem shown under %s", f)
		}
	}
	test.Type(a.Clients.Field("Name"), " Abarrotes Rio ")
	test.Type(a.Clients.Field("RFC"), "ari200101ab3")
	test.Type(a.Clients.Field("Email"), " rio@cliente.mx ")
	test.Type(a.Clients.Field("Password"), "Rio-2026!")
	a.Clients.Field("Stamps").SetText("")
	test.Type(a.Clients.Field("Stamps"), "2.5")
	a.Clients.Dialog.Save()
	q.RunUntil(t, "stamps problem", func() bool { return strings.Contains(a.Clients.fieldError("Stamps"), "entero") })
	a.Clients.Field("Stamps").SetText("")
	test.Type(a.Clients.Field("Stamps"), "7")
	a.Clients.Dialog.Save()
	q.RunUntil(t, "created", func() bool {
		r := rowOf(a, "rio@cliente.mx")
		return r != nil && r.stamps == "7" && r.name == "Abarrotes Rio"
	})
	p, err := svc.Clients(context.Background(), dealer.Filter{Query: "rio@cliente.mx"})
	if err != nil || len(p.Clients) != 1 || p.Clients[0].RFC != "ARI200101AB3" {
		t.Errorf("stored = %+v, %v", p, err)
	}
}

// TestDocumentsAndIssuers: Comprobantes lists what a client account
// stamped; Emisores limits the RFCs it may stamp for, and the PAC then
// refuses another issuer.
func TestDocumentsAndIssuers(t *testing.T) {
	a, q, _, clients, url := newAreaWith(t, Deps{})
	luna := clients[0]
	child, err := pac.NewClient(pac.Config{ServicesURL: url, APIURL: url, Token: luna.AccessToken, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := child.Stamp(ctx, "luna-1", simtest.Sealed(t, "L", "1", time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}

	a.Tabs.Select(a.Tabs.Items[1])
	q.RunUntil(t, "accounts in the picker", func() bool { return len(a.Documents.Client.Select.Options) == 2 })
	a.Documents.Client.Select.SetSelectedIndex(0)
	test.Tap(a.Documents.Find)
	q.RunUntil(t, "documents", func() bool { return len(a.Documents.rows) == 1 })
	if r := a.Documents.rows[0]; r.tipo != "Emitido" || r.serie != "L" || r.folio != "1" || r.emisor != "EKU9003173C9" || r.estatus != "Vigente" || len(r.uuid) != 36 {
		t.Errorf("document = %+v", r)
	}
	if !a.Documents.Save.Disabled() {
		t.Error("Guardar XML enabled without a selection")
	}

	a.Tabs.Select(a.Tabs.Items[2])
	q.RunUntil(t, "issuers picker", func() bool { return len(a.Issuers.Client.Select.Options) == 2 })
	a.Issuers.Client.Select.SetSelectedIndex(0)
	a.Issuers.List.SetText(" cacx7605101p8 \nNOESRFC")
	test.Tap(a.Issuers.Save)
	q.RunUntil(t, "bad RFC refused", func() bool { return strings.Contains(a.Issuers.Note.Text, "NOESRFC") })
	a.Issuers.List.SetText(" cacx7605101p8 ")
	test.Tap(a.Issuers.Save)
	q.RunUntil(t, "issuers saved", func() bool { return a.Issuers.List.Text == "CACX7605101P8" })
	if _, err := child.Stamp(ctx, "luna-2", simtest.Sealed(t, "L", "2", time.Now().Add(-time.Minute))); err == nil || !strings.Contains(err.Error(), "no está autorizado") {
		t.Errorf("stamp for an issuer not listed: %v", err)
	}
}

// slowIssuers answers Issuers only after a delay, like a PAC far away.
type slowIssuers struct {
	Service
	delay time.Duration
}

func (s slowIssuers) Issuers(ctx context.Context, id string) ([]string, error) {
	time.Sleep(s.delay)
	return s.Service.Issuers(ctx, id)
}

// TestIssuersSlowLoad: the account's issuers arrive after the user has
// already typed and saved; the late reply must not wipe what was typed
// nor the refusal shown for it.
func TestIssuersSlowLoad(t *testing.T) {
	a, q, _, _, _ := newAreaWith(t, Deps{}, func(s Service) Service { return slowIssuers{s, 400 * time.Millisecond} })
	a.Tabs.Select(a.Tabs.Items[2])
	q.RunUntil(t, "issuers picker", func() bool { return len(a.Issuers.Client.Select.Options) == 2 })
	a.Issuers.Client.Select.SetSelectedIndex(0) // starts the slow load
	a.Issuers.List.SetText("NOESRFC")
	test.Tap(a.Issuers.Save)
	q.RunUntil(t, "bad RFC refused", func() bool { return strings.Contains(a.Issuers.Note.Text, "NOESRFC") })
	q.Drain(time.Second)
	if !strings.Contains(a.Issuers.Note.Text, "NOESRFC") || a.Issuers.List.Text != "NOESRFC" {
		t.Errorf("after the late load: note %q, list %q", a.Issuers.Note.Text, a.Issuers.List.Text)
	}
}

// TestUseAsCompanyPAC: the menu offers "Usar como cuenta PAC de una
// empresa" when the wiring allows it, and the action is recorded.
func TestUseAsCompanyPAC(t *testing.T) {
	var used []int64
	other := sales.Company{ID: 2, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ"}
	a, q, svc, clients, _ := newAreaWith(t, Deps{
		Companies: func(context.Context) ([]sales.Company, error) { return []sales.Company{other}, nil },
		UseAsPAC: func(_ context.Context, dealerID, companyID int64, c dealer.Client) error {
			if dealerID != 1 || c.ID == "" {
				t.Errorf("UseAsPAC(%d, %d, %+v)", dealerID, companyID, c)
			}
			used = append(used, companyID)
			return nil
		},
	})
	items := a.Clients.MenuItems(clients[0])
	if last := items[len(items)-1]; last.Label != "Usar como cuenta PAC de una empresa…" {
		t.Fatalf("last menu item = %q", last.Label)
	}
	a.Clients.UseAsPAC(clients[0], other)
	q.RunUntil(t, "used", func() bool {
		return strings.Contains(a.Clients.Message.Text, "timbra ahora con la cuenta luna@cliente.mx")
	})
	acts, err := svc.Actions(context.Background(), dealer.ActionFilter{})
	if err != nil || len(used) != 1 || used[0] != 2 || acts[len(acts)-1].Kind != dealer.ActionUseAsPAC || acts[len(acts)-1].Comment != other.RFC {
		t.Errorf("used %v, actions %+v, %v", used, acts, err)
	}
}
