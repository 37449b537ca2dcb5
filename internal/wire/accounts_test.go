package wire

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
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

// ownPAC starts a local PAC over HTTP on loopback with one account that
// accepts only rfc's documents (SAT's LCO), as a company's own PAC.
func ownPAC(t *testing.T, rfc, user, password string) *sim.Server {
	t.Helper()
	s, err := sim.Start(sim.Options{Users: []sim.User{{Email: user, Password: password, Stamps: 100}}, LCO: []string{rfc}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// demoStore is a store holding the demo company.
func demoStore(t *testing.T) (*sqlite.Store, *sales.Company) {
	t.Helper()
	store := openStore(t)
	demo := sales.DemoCompany()
	if err := store.SaveCompany(context.Background(), demo); err != nil {
		t.Fatal(err)
	}
	return store, demo
}

// swAndFinkok is demoStore with two local PACs for the demo company: sw,
// stored as its primary account (kemper@pac.test, Kemper-1), and fk, a
// Finkok account (kemper@finkok.test, Finkok-2) the test stores as the
// secondary when it needs it.
func swAndFinkok(t *testing.T) (store *sqlite.Store, demo *sales.Company, companies *sales.Companies, sw, fk *sim.Server) {
	t.Helper()
	store, demo = demoStore(t)
	sw = ownPAC(t, demo.RFC, "kemper@pac.test", "Kemper-1")
	fk = ownPAC(t, demo.RFC, "kemper@finkok.test", "Finkok-2")
	companies = NewCompanies(store)
	if err := companies.SavePACSettings(context.Background(), demo.ID, sales.PACSettings{Environment: sales.PACPruebas,
		User: "kemper@pac.test", Password: "Kemper-1", URL: sw.URL()}); err != nil {
		t.Fatal(err)
	}
	return store, demo, companies, sw, fk
}

// TestEachCompanyStampsAtItsOwnPAC (decision 13): two companies, each with
// an account at its own PAC, their documents posted in turns: every
// document reaches its issuer's PAC and no other, and each company's
// balance is its own account's.
func TestEachCompanyStampsAtItsOwnPAC(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	const rfcA, rfcB = "EKU9003173C9", "CACX7605101P8"
	demo := sales.DemoCompany()
	own := &sales.Company{RFC: rfcB, Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	for _, c := range []*sales.Company{demo, own} {
		if err := store.SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	pacA, pacB := ownPAC(t, rfcA, "kemper@pac.test", "Kemper-1"), ownPAC(t, rfcB, "xochilt@pac.test", "Xochilt-2")
	for id, p := range map[int64]sales.PACSettings{
		demo.ID: {Environment: sales.PACPruebas, User: "kemper@pac.test", Password: "Kemper-1", URL: pacA.URL()},
		own.ID:  {Environment: sales.PACPruebas, User: "xochilt@pac.test", Password: "Xochilt-2", URL: pacB.URL()},
	} {
		if err := NewCompanies(store).SavePACSettings(ctx, id, p); err != nil {
			t.Fatal(err)
		}
	}
	cer, key, password := testpack.CSD(t, rfcB)
	signerB, err := csd.Load(cer, key, password)
	if err != nil {
		t.Fatal(err)
	}
	emisorB := cfdi.Emisor{Rfc: rfcB, Nombre: own.Nombre, RegimenFiscal: own.RegimenFiscal}

	queue := sqlite.NewStampStore(store)
	accounts := NewAccounts(store)
	defer accounts.Close()
	w := stamping.NewWorker(queue, accounts, nil, stamping.Options{Concurrency: 4, Timeout: 10 * time.Second})
	const n = 6
	fecha := time.Now().Add(-time.Minute)
	for i := 1; i <= n; i++ {
		for serie, sealed := range map[string][]byte{"A": simtest.Sealed(t, "A", fmt.Sprint(i), fecha), "B": simtest.SealedBy(t, signerB, emisorB, "B", fmt.Sprint(i), fecha)} {
			nd, err := stamping.Describe(sealed, fmt.Sprintf("folio-%s-%d", serie, i))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Post(ctx, nd); err != nil {
				t.Fatal(err)
			}
		}
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name string
		pac  *sim.Server
		rfc  string
	}{{"A", pacA, rfcA}, {"B", pacB, rfcB}} {
		// Each PAC saw its company's documents and nothing else: a
		// document of the other company would have been a request (and
		// a 402 refusal) too.
		if got := tt.pac.StampRequests(); got != n {
			t.Errorf("PAC %s received %d stamp requests, want %d", tt.name, got, n)
		}
		counts := tt.pac.StampCounts()
		for doc, c := range counts {
			if !strings.HasPrefix(doc, tt.rfc+"|") || c != 1 {
				t.Errorf("PAC %s stamped %s %d times; want only %s's documents, once each", tt.name, doc, c, tt.rfc)
			}
		}
		if len(counts) != n {
			t.Errorf("PAC %s stamped %d documents, want %d", tt.name, len(counts), n)
		}
		docs, err := queue.Documents(ctx, tt.rfc)
		if err != nil || len(docs) != n {
			t.Fatalf("%s: %d documents, %v", tt.rfc, len(docs), err)
		}
		for _, d := range docs {
			if d.State != stamping.StateStamped || !strings.Contains(d.Account, tt.pac.URL()) || d.Unsettled {
				t.Errorf("%s %s-%s: %s at %q (unsettled %v); want stamped at %s", d.IssuerRFC, d.Serie, d.Folio, d.State, d.Account, d.Unsettled, tt.pac.URL())
			}
		}
		l := &stamping.Ledger{Store: queue, PACs: accounts}
		if b, err := l.Balance(ctx, tt.rfc); err != nil || !b.Live || b.Stamps != 100-n {
			t.Errorf("balance of %s = %+v, %v; want %d live from its own PAC", tt.rfc, b, err, 100-n)
		}
	}
	if accounts.LocalStarted() {
		t.Error("the local PAC of demo mode started though no company uses it")
	}
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
		if err := NewCompanies(store).SavePACSettings(ctx, own.ID, p); err != nil {
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

func TestAccountKeyAndConfig(t *testing.T) {
	user := sales.PACSettings{Environment: sales.PACPruebas, User: "u@example.mx", Password: "p"}
	if k := AccountKey(user); !strings.HasPrefix(k, "pruebas https://services.test.sw.com.mx usuario ") {
		t.Errorf("key = %q", k)
	}
	for name, other := range map[string]sales.PACSettings{
		"production": {Environment: sales.PACProduccion, User: "u@example.mx", Password: "p"},
		"own URL":    {Environment: sales.PACPruebas, User: "u@example.mx", Password: "p", URL: "https://pac.example.mx"},
		"token":      {Environment: sales.PACPruebas, Token: "t"},
	} {
		if AccountKey(other) == AccountKey(user) {
			t.Errorf("%s: same key as the user account", name)
		}
	}
	if AccountKey(sales.PACSettings{Environment: sales.PACLocal}) != "local" {
		t.Error("local key")
	}

	for _, tt := range []struct {
		url, api, status string
	}{
		{"", "", ""}, // the environment's hosts (pac.NewClient fills them)
		{"http://127.0.0.1:8089", "http://127.0.0.1:8089", "http://127.0.0.1:8089/ConsultaCFDIService.svc"},
		{"https://services.pac.example.mx", "https://api.pac.example.mx", ""},
		{"https://timbrado.example.mx/sw", "https://timbrado.example.mx/sw", ""},
	} {
		cfg := PACConfig(sales.PACSettings{Environment: sales.PACPruebas, Token: "t", URL: tt.url})
		if cfg.ServicesURL != tt.url || cfg.APIURL != tt.api || cfg.SATStatusURL != tt.status || cfg.Token != "t" {
			t.Errorf("PACConfig(%q) = services %q api %q status %q; want %q %q %q", tt.url, cfg.ServicesURL, cfg.APIURL, cfg.SATStatusURL, tt.url, tt.api, tt.status)
		}
	}
}
