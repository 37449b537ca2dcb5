package wire

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
)

// TestPrintOptionsCarryTheLogo: the PDF of an issuer that uploaded a logo
// is printed with it (the window, the outbox and folio export share this).
func TestPrintOptionsCarryTheLogo(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := sales.DemoCompany()
	if err := store.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	if opt := PrintOptions(ctx, store, co.RFC); opt.Logo != nil || !opt.Demo {
		t.Fatalf("before upload: logo %d bytes, demo mark %v; want none and the mark", len(opt.Logo), opt.Demo)
	}
	stored, err := store.SaveCompanyLogo(ctx, co.ID, assets.Icon)
	if err != nil {
		t.Fatal(err)
	}
	if opt := PrintOptions(ctx, store, co.RFC); !bytes.Equal(opt.Logo, stored) || len(stored) == 0 {
		t.Errorf("print logo = %d bytes, want the stored %d", len(opt.Logo), len(stored))
	}
}

// TestPrintOptionsDemoMarkOnlyForTheDemoCompany: a real company's documents
// never carry the demo mark.
func TestPrintOptionsDemoMarkOnlyForTheDemoCompany(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := sales.DemoCompany()
	co.Demo = false
	co.RFC = "AAA010101AAA"
	if err := store.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	if opt := PrintOptions(ctx, store, co.RFC); opt.Demo {
		t.Error("a real company's print options carry the demo mark")
	}
}
