package receivables

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	recv "github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// TestCobranzaAccountsPage: "Cuentas…" opens the company's accounts; a
// new account with problems shows the domain's Spanish messages, a good
// one is saved in the real store and listed with its balance.
func TestCobranzaAccountsPage(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := sqlite.MustOpenTest(t)
	co := sales.DemoCompany()
	area := NewArea(AreaDeps{Source: &recv.Service{Store: store}, Accounts: &banks.Service{Store: store}}, co)
	w := test.NewWindow(area)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))

	area.ShowAccounts()
	p := area.Accounts()
	if p == nil {
		t.Fatal("no Cuentas page")
	}
	p.Fill("", "Banco", "MXN", "", "12AB")
	p.Add()
	q.RunUntil(t, "refusal shown", func() bool { return p.Problem() != "" })
	for _, want := range []string{"Escriba el nombre de la cuenta.", "Escriba el banco de la cuenta.", "solo dígitos"} {
		if !strings.Contains(p.Problem(), want) {
			t.Errorf("problem %q lacks %q", p.Problem(), want)
		}
	}
	p.Fill("Cheques", "Banco", "MXN", "BBVA", "002010077777777771")
	p.Add()
	q.RunUntil(t, "account listed", func() bool { return len(p.Rows()) == 1 })
	if got, want := p.Rows()[0], "Cheques — Banco BBVA 002010077777777771 — $0.00 MXN"; got != want {
		t.Errorf("row %q, want %q", got, want)
	}
	if p.Problem() != "" {
		t.Errorf("problem after saving: %q", p.Problem())
	}
	list, err := store.FindAccounts(t.Context(), co.RFC)
	if err != nil || len(list) != 1 || !list[0].Active || list[0].Kind != banks.Banco {
		t.Errorf("stored accounts = %+v, %v", list, err)
	}
	area.ShowAging()
	if area.Accounts() != nil {
		t.Error("the page stayed after going back")
	}
}
