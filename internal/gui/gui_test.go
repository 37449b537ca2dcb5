package gui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// TestDemoSeederSeedsOnFirstRun: choosing the demo company on the welcome
// screen creates what `folio demo` creates, and makes it active; saving
// any other company only saves it.
func TestDemoSeederSeedsOnFirstRun(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	seeder := demoSeeder{store, nil}

	// given the welcome screen's demo choice
	c := sales.DemoCompany()
	if err := seeder.SaveCompany(ctx, c); err != nil {
		t.Fatal(err)
	}
	// then the company is active, with series, customers, products and invoices
	active, err := store.ActiveCompany(ctx)
	if err != nil || active.ID != c.ID || !active.Demo {
		t.Fatalf("active company = %+v, %v; want the demo company %d", active, err, c.ID)
	}
	if series, err := store.FindSeries(ctx, c.RFC); err != nil || len(series) == 0 {
		t.Errorf("series = %v, %v", series, err)
	}
	if cs, err := store.FindCustomers(ctx, sales.CustomerFilter{}); err != nil || len(cs) != len(sales.DemoCustomers()) {
		t.Errorf("customers = %d, %v; want %d", len(cs), err, len(sales.DemoCustomers()))
	}
	rows, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: c.RFC, Limit: 10})
	if err != nil || len(rows) == 0 {
		t.Fatalf("invoices = %d, %v; want the demo invoices", len(rows), err)
	}
	for _, r := range rows {
		if r.Status != sales.StatusSealed {
			t.Errorf("invoice %d status %s, want sealed and queued for stamping", r.ID, r.Status)
		}
	}
	// and choosing it again adds nothing
	n := len(rows)
	if err := seeder.SaveCompany(ctx, sales.DemoCompany()); err != nil {
		t.Fatal(err)
	}
	if rows, _ := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: c.RFC, Limit: 10}); len(rows) != n {
		t.Errorf("second choice: %d invoices, want %d", len(rows), n)
	}
}

// TestStampingWithoutPACAccount: a company of its own without a PAC account
// must not keep Folio from opening; its documents wait with the reason, and
// the local PAC of demo mode is not started for it.
func TestStampingWithoutPACAccount(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	if err := store.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	st := newStamping(fileBackend(store), nil)
	defer st.Close()
	if _, err := st.accounts.PACFor(ctx, co.RFC); !strings.Contains(domain.UserMessage(err), "Empresa › PAC") {
		t.Errorf("PACFor without an account = %v; want what to configure", err)
	}
	if st.accounts.LocalStarted() {
		t.Error("the local PAC was started for a company that is not the demo one")
	}
}

// TestSavingAPACAccountSendsWaitingDocuments: saving a company's PAC account
// in the window makes its waiting documents try the new account at once,
// with no restart; other companies' documents keep their schedule.
func TestSavingAPACAccountSendsWaitingDocuments(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	if err := store.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	st := newStamping(fileBackend(store), nil)
	defer st.Close()
	later := time.Now().Add(time.Hour)
	var ids []int64
	for i, rfc := range []string{co.RFC, sales.DemoRFC} {
		id, err := st.queue.Post(ctx, stamping.NewDocument{IssuerRFC: rfc, Serie: "A", Folio: fmt.Sprint(i + 1), Fecha: time.Now(),
			CustomID: fmt.Sprintf("doc-%d", i), SealedXML: []byte("<sellado/>")})
		if err != nil {
			t.Fatal(err)
		}
		// given a document waiting for a PAC account
		if err := st.queue.Retry(ctx, id, later, stamping.Outcome{Class: stamping.Held, Message: "Configure Empresa › PAC"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// when the company's account is saved in the window
	setup := pacSaved{wire.NewCompanies(store), st.accountSaved}
	if err := setup.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, Token: "t"}); err != nil {
		t.Fatal(err)
	}
	// then its document is due now, and the other company's is not
	if d, _ := st.queue.Document(ctx, ids[0]); d.NextAttemptAt.After(time.Now()) {
		t.Errorf("document of %s due at %v, want now", co.RFC, d.NextAttemptAt)
	}
	if d, _ := st.queue.Document(ctx, ids[1]); d.NextAttemptAt.Before(later.Add(-time.Second)) {
		t.Errorf("document of another company due at %v, want %v", d.NextAttemptAt, later)
	}
}

// TestExportAllWithNothingStamped: exporting before anything is stamped says
// so instead of writing an empty folder.
func TestExportAllWithNothingStamped(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := exportAll(store, sqlite.NewMailStore(store))(ctx, sales.DemoRFC, t.TempDir(), nil)
	if n != 0 || !domain.IsKind(err, domain.NotFound) {
		t.Errorf("exportAll = %d, %v; want 0 and NotFound", n, err)
	}
}
