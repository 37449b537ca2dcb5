package company

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeConnector answers Connect with the next of its results and Unlock
// with unlockErr unless the password is admin; it records the calls.
type fakeConnector struct {
	mu        sync.Mutex
	results   []error // nil: connected
	server    Server
	admin     string
	conns     []ServerConnection
	unlocks   []string
	unlockErr error
}

func (f *fakeConnector) Connect(_ context.Context, c ServerConnection) (Server, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conns = append(f.conns, c)
	var err error
	if len(f.results) > 0 {
		err, f.results = f.results[0], f.results[1:]
	}
	if err != nil {
		return Server{}, err
	}
	return f.server, nil
}

func (f *fakeConnector) Unlock(_ context.Context, pw string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unlocks = append(f.unlocks, pw)
	if pw != f.admin {
		return "", domain.E(domain.Invalid, "fake.Unlock", "La contraseña de administrador no es correcta.", nil)
	}
	return "el llavero del sistema", nil
}

func (f *fakeConnector) calls() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns), len(f.unlocks)
}

// TestWelcomeConnectServer walks the "Conectar a un servidor" choice: each
// refusal of the server shows its Spanish message and keeps the form; a
// server whose secrets are locked here asks for the administrator
// password, refuses a wrong one and reports the connection only after the
// right one.
func TestWelcomeConnectServer(t *testing.T) {
	_, q := uitest.NewApp(t)
	refusals := []struct{ name, msg string }{
		{"unreachable", "No se pudo conectar con el servidor PostgreSQL postgres://folio@servidor.local:5432/folio. Revise que el servidor esté encendido y accesible desde esta computadora, y vuelva a intentarlo."},
		{"wrong password", "El servidor postgres://folio@servidor.local:5432/folio rechazó el usuario o la contraseña. Revise la dirección de conexión."},
		{"database missing", "La base de datos de postgres://folio@servidor.local:5432/folio no existe en el servidor. Créela (createdb) o revise la dirección."},
		{"schema newer", "La base de datos fue creada por una versión más reciente de Folio. Actualice Folio para abrirla; la base de datos no se modificó."},
	}
	conn := &fakeConnector{admin: "administrador-1", server: Server{Name: "postgres://folio@servidor.local:5432/folio", Companies: []string{"EKU9003173C9"}, Locked: true}}
	for _, r := range refusals {
		conn.results = append(conn.results, domain.E(domain.Unavailable, "fake.Connect", r.msg, nil))
	}
	w := NewWelcome(&fakeStore{}, rules(t))
	w.SetConnector(conn)
	win := test.NewWindow(w)
	win.Resize(fyne.NewSize(1100, 800))
	var connected []Server
	w.OnConnected = func(s Server) { connected = append(connected, s) }
	w.OnDone = nil

	test.Tap(w.serverButton)
	p := w.server
	if p == nil || w.page.Objects[0] != p {
		t.Fatal("the server page is not shown")
	}
	p.host.SetText("")
	test.Type(p.host, "servidor.local")
	test.Type(p.password, "clave-del-servidor")
	p.ssl.SetSelectedIndex(1)

	for i, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			test.Tap(p.connect)
			q.RunUntil(t, "connect answered", func() bool { n, _ := conn.calls(); return n == i+1 && !p.busy })
			if p.message.Text != r.msg || !p.message.Visible() {
				t.Errorf("message = %q, want %q", p.message.Text, r.msg)
			}
			if p.unlockBox.Visible() || len(connected) != 0 {
				t.Error("a refused connection went on")
			}
			if p.connect.Disabled() || p.host.Disabled() {
				t.Error("the form stays disabled after a refusal")
			}
		})
	}
	if got, want := conn.conns[0], (ServerConnection{Host: "servidor.local", Port: "5432", Database: "folio", User: "folio",
		Password: "clave-del-servidor", SSLMode: "require"}); got != want {
		t.Errorf("Connect got %+v, want %+v", got, want)
	}

	// Connected: the server's secrets are locked here.
	test.Tap(p.connect)
	q.RunUntil(t, "connected", func() bool { return p.unlockBox.Visible() && !p.busy })
	if want := "Conectado a postgres://folio@servidor.local:5432/folio. Empresas: EKU9003173C9."; p.message.Text != want {
		t.Errorf("message = %q, want %q", p.message.Text, want)
	}
	if p.password.Text != "" {
		t.Error("the server password stays in its entry after connecting")
	}
	if len(connected) != 0 {
		t.Fatal("OnConnected before unlocking")
	}
	test.Type(p.adminPw, "otra")
	test.Tap(p.unlock)
	q.RunUntil(t, "unlock refused", func() bool { _, n := conn.calls(); return n == 1 && !p.busy })
	if p.unlockStatus.Text != "La contraseña de administrador no es correcta." || p.adminPw.Text != "" || len(connected) != 0 {
		t.Fatalf("after a wrong password: status %q, entry %q, connected %d", p.unlockStatus.Text, p.adminPw.Text, len(connected))
	}
	test.Type(p.adminPw, "administrador-1")
	p.adminPw.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter unlocks
	q.RunUntil(t, "unlocked", func() bool { return len(connected) == 1 })
	if connected[0].Locked || connected[0].Name != conn.server.Name {
		t.Errorf("OnConnected got %+v", connected[0])
	}
	if want := "Estación desbloqueada; la clave quedó en el llavero del sistema."; p.unlockStatus.Text != want {
		t.Errorf("unlock status = %q, want %q", p.unlockStatus.Text, want)
	}
}

// TestServerConnectUnlocked: a server with nothing to unlock reports the
// connection at once; Volver brings the choices back.
func TestServerConnectUnlocked(t *testing.T) {
	_, q := uitest.NewApp(t)
	conn := &fakeConnector{server: Server{Name: "postgres://folio@db/folio"}}
	w := NewWelcome(&fakeStore{}, rules(t))
	w.SetConnector(conn)
	test.NewWindow(w)
	var connected []Server
	w.OnConnected = func(s Server) { connected = append(connected, s) }
	test.Tap(w.serverButton)
	test.Type(w.server.host, "db")
	test.Tap(w.server.connect)
	q.RunUntil(t, "connected", func() bool { return len(connected) == 1 })
	if w.server.unlockBox.Visible() {
		t.Error("asked for the administrator password with nothing to unlock")
	}
	if want := "Conectado a postgres://folio@db/folio. El servidor todavía no tiene empresas."; w.server.message.Text != want {
		t.Errorf("message = %q, want %q", w.server.message.Text, want)
	}
	test.Tap(w.server.back)
	if w.page.Objects[0] != w.choices {
		t.Error("Volver did not bring the choices back")
	}
}
