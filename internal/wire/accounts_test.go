package wire

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestAccountsFollowTheStoredSettings: each call reads the issuer's
// settings; an unchanged account keeps its client (and its token), a new
// password makes a new client under the same key, another user is another
// account; the demo company without settings gets the local PAC, started
// then; an issuer without an account is told what to configure.
func TestAccountsFollowTheStoredSettings(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	demo := sales.DemoCompany()
	own := &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	for _, c := range []*sales.Company{demo, own} {
		if err := store.SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	accounts := NewAccounts(store)
	defer accounts.Close()

	if _, err := accounts.PACFor(ctx, own.RFC); !strings.Contains(domain.UserMessage(err), "Empresa › PAC") {
		t.Errorf("no account: %v, want what to configure", err)
	}
	if _, err := accounts.PACFor(ctx, "XAXX010101000"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("unknown issuer: %v, want NotFound", err)
	}
	if accounts.LocalStarted() {
		t.Fatal("the local PAC started before the demo company needed it")
	}
	local, err := accounts.PACFor(ctx, demo.RFC)
	if err != nil || local.Key != "local" || local.PAC == nil || !accounts.LocalStarted() {
		t.Fatalf("demo company: %+v, %v; want the local PAC", local, err)
	}

	save := func(p sales.PACSettings) stamping.Account {
		t.Helper()
		if err := store.SavePACSettings(ctx, own.ID, p); err != nil {
			t.Fatal(err)
		}
		a, err := accounts.PACFor(ctx, own.RFC)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	p := sales.PACSettings{Environment: sales.PACPruebas, User: "Facturas@Xochilt.example", Password: "uno"}
	first := save(p)
	if again, _ := accounts.PACFor(ctx, own.RFC); again.PAC != first.PAC {
		t.Error("an unchanged account got a new client")
	}
	p.Password = "dos"
	second := save(p)
	if second.Key != first.Key || second.PAC == first.PAC {
		t.Errorf("new password: key %q → %q, same client %v; want the same account with a new client", first.Key, second.Key, second.PAC == first.PAC)
	}
	p.User = "otra@xochilt.example"
	if third := save(p); third.Key == second.Key {
		t.Errorf("another user kept the key %q", third.Key)
	}
	for _, k := range []string{first.Key, second.Key} {
		if strings.Contains(strings.ToLower(k), "xochilt.example") || strings.Contains(k, "uno") || strings.Contains(k, "dos") {
			t.Errorf("key %q shows the user or the password", k)
		}
	}
}

func TestAccountKey(t *testing.T) {
	user := sales.PACSettings{Environment: sales.PACPruebas, User: "u@example.mx", Password: "p"}
	if k := AccountKey(user); !strings.HasPrefix(k, "pruebas https://services.test.sw.com.mx usuario ") {
		t.Errorf("key = %q", k)
	}
	for name, other := range map[string]sales.PACSettings{
		"production": {Environment: sales.PACProduccion, User: "u@example.mx", Password: "p"},
		"token":      {Environment: sales.PACPruebas, Token: "t"},
	} {
		if AccountKey(other) == AccountKey(user) {
			t.Errorf("%s: same key as the user account", name)
		}
	}
	if AccountKey(sales.PACSettings{Environment: sales.PACLocal}) != "local" {
		t.Error("local key")
	}
}
