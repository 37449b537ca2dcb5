package gui

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
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
	seeder := demoSeeder{store}

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
// must not keep Folio from opening; its documents wait with the reason.
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
	st, err := newStamping(ctx, store)
	if err != nil {
		t.Fatalf("newStamping without a PAC account = %v; Folio must still open", err)
	}
	defer st.Close()
	if st.local != nil {
		t.Error("the local PAC was started for a company that is not the demo one")
	}
	r, err := noPAC{errors.New("x")}.Stamp(ctx, "id", nil)
	if err != nil || r.Class != stamping.BadCredentials || r.Message == "" {
		t.Errorf("noPAC.Stamp = %+v, %v; want a credentials answer with the reason", r, err)
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
