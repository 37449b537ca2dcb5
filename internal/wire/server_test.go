package wire

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/domain"
)

func TestServerConnectionCheck(t *testing.T) {
	ok := ServerConnection{Host: "servidor.local", Port: "5432", Database: "folio", User: "folio", SSLMode: "prefer"}
	tests := []struct {
		name string
		edit func(*ServerConnection)
		want string // in the message; "" for no error
	}{
		{"complete", func(*ServerConnection) {}, ""},
		{"port empty means 5432", func(c *ServerConnection) { c.Port = "" }, ""},
		{"no host", func(c *ServerConnection) { c.Host = " " }, "nombre o la dirección del servidor"},
		{"host with a path", func(c *ServerConnection) { c.Host = "a/b" }, "nombre o la dirección del servidor"},
		{"port not a number", func(c *ServerConnection) { c.Port = "cinco" }, "puerto debe ser un número"},
		{"port out of range", func(c *ServerConnection) { c.Port = "70000" }, "puerto debe ser un número"},
		{"no database", func(c *ServerConnection) { c.Database = "" }, "nombre de la base de datos"},
		{"no user", func(c *ServerConnection) { c.User = "" }, "usuario de PostgreSQL"},
		{"unknown SSL mode", func(c *ServerConnection) { c.SSLMode = "siempre" }, "cifrado"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Check()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tt.want) {
				t.Fatalf("Check = %v, want Invalid with %q", err, tt.want)
			}
		})
	}
	if got, want := (ServerConnection{Host: "db", Database: "folio", User: "ana", Password: "p@ss/word"}).DSN(),
		"postgres://ana:p%40ss%2Fword@db:5432/folio?connect_timeout=10&sslmode=prefer"; got != want {
		t.Errorf("DSN = %s, want %s", got, want)
	}
}

// TestSavedServer: the connection survives a restart, its password is in
// the file only sealed, and a lost workstation key is a Spanish error.
func TestSavedServer(t *testing.T) {
	dir := t.TempDir()
	w := Workstation{Dir: filepath.Join(dir, "folio"), Keys: keychain.Keys{Dir: filepath.Join(dir, "keys")}}
	if _, found, err := w.SavedServer(); found || err != nil {
		t.Fatalf("before saving: found %v, %v", found, err)
	}
	c := ServerConnection{Host: "servidor.local", Port: "5433", Database: "oficina", User: "folio", Password: "Contraseña-Del-Servidor", SSLMode: "require"}
	if err := w.SaveServer(c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(w.Dir, "server.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("Contraseña-Del-Servidor")) || !bytes.Contains(raw, []byte(`"host": "servidor.local"`)) {
		t.Fatalf("server.json:\n%s", raw)
	}
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("server.json mode %v, want 0600", st.Mode().Perm())
	}
	got, found, err := w.SavedServer()
	if err != nil || !found || got != c {
		t.Fatalf("SavedServer = %+v, %v, %v; want %+v", got, found, err, c)
	}
	os.RemoveAll(w.Keys.Dir) // the workstation's key is lost
	if _, _, err := w.SavedServer(); domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "vuelva a conectarse") {
		t.Fatalf("with the key lost: %v", err)
	}
}
