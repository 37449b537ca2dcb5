package gui

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
)

// connectionOf is the form's fields for the test database dsn.
func connectionOf(t *testing.T, dsn string) company.ServerConnection {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return company.ServerConnection{Host: u.Hostname(), Port: u.Port(), Database: strings.TrimPrefix(u.Path, "/"),
		User: u.User.Username(), Password: pw, SSLMode: "disable"}
}

// TestServerConnectorForReal connects a new workstation to a real
// PostgreSQL server the way "Conectar a un servidor" does: each refusal
// (no server on the port, a database that does not exist, a newer Folio's
// schema) is a Spanish message and saves nothing; the right server is
// saved (its password sealed), reports its companies and that its secrets
// are locked here; a wrong administrator password unlocks nothing, the
// right one opens the PAC account stored by another workstation.
func TestServerConnectorForReal(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	t.Setenv("FOLIO_KEYCHAIN", "off")

	// Workstation A set the server up: a company, the administrator
	// password and a PAC account.
	a, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k"), KeyDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	co := sales.DemoCompany()
	if err := a.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	ca := wire.NewCompanies(a)
	if err := ca.SetAdminPassword(ctx, "", "administrador-1"); err != nil {
		t.Fatal(err)
	}
	if err := ca.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "u@x.mx", Password: "pac-secreto"}); err != nil {
		t.Fatal(err)
	}

	// A newer Folio's database.
	newer := postgres.NewTestDatabase(t)
	if s, err := postgres.Open(ctx, newer, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k"), KeyDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
	db, err := sql.Open("pgx", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', now())`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Workstation B.
	ws := wire.Workstation{Dir: filepath.Join(t.TempDir(), "folio"), Keys: keychain.Keys{Dir: filepath.Join(t.TempDir(), "keys")}}
	keyDir := t.TempDir()
	conn := &serverConnector{ws: ws, opt: postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k"), KeyDir: keyDir}}
	defer conn.Close()
	good := connectionOf(t, dsn)
	refusals := []struct {
		name string
		edit func(*company.ServerConnection)
		kind domain.Kind
		want string
	}{
		{"no server on the port", func(c *company.ServerConnection) { c.Port = "1" }, domain.Unavailable, "No se pudo conectar con el servidor PostgreSQL"},
		{"database missing", func(c *company.ServerConnection) { c.Database = "no_existe_folio" }, domain.NotFound, "no existe en el servidor"},
		{"schema newer", func(c *company.ServerConnection) { c.Database = connectionOf(t, newer).Database }, domain.Conflict, "versión más reciente de Folio"},
		{"field missing", func(c *company.ServerConnection) { c.User = "" }, domain.Invalid, "usuario de PostgreSQL"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			c := good
			r.edit(&c)
			_, err := conn.Connect(ctx, c)
			if domain.KindOf(err) != r.kind || !strings.Contains(domain.UserMessage(err), r.want) {
				t.Fatalf("Connect = %v; want %s with %q", err, r.kind, r.want)
			}
			if _, found, _ := ws.SavedServer(); found {
				t.Fatal("a refused connection was saved")
			}
		})
	}

	srv, err := conn.Connect(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Locked || len(srv.Companies) != 1 || !strings.HasPrefix(srv.Companies[0], sales.DemoRFC) || (good.Password != "" && strings.Contains(srv.Name, good.Password)) {
		t.Fatalf("server = %+v", srv)
	}
	saved, found, err := ws.SavedServer()
	if err != nil || !found || saved != wire.ServerConnection(good) {
		t.Fatalf("saved connection = %+v, %v, %v", saved, found, err)
	}
	if _, err := conn.Unlock(ctx, "administrador-2"); domain.UserMessage(err) != "La contraseña de administrador no es correcta." {
		t.Fatalf("Unlock with a wrong password: %v", err)
	}
	where, err := conn.Unlock(ctx, "administrador-1")
	if err != nil || !strings.HasPrefix(where, keyDir) {
		t.Fatalf("Unlock = %q, %v; want a file in %s", where, err, keyDir)
	}

	// The next start opens the saved server, unlocked.
	b, err := wire.ConnectServer(ctx, saved, conn.opt)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if p, err := wire.NewCompanies(b).CompanyPACSettings(ctx, co.ID); err != nil || p.Password != "pac-secreto" {
		t.Fatalf("PAC account on workstation B: %q, %v", p.Password, err)
	}
}
