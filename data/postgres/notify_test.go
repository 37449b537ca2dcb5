package postgres_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
	"github.com/shopspring/decimal"
)

// TestListenSeesAnotherWorkstation: what one workstation posts reaches the
// bus of another that listens, after the commit, with the document's ids.
func TestListenSeesAnotherWorkstation(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	a, err := open(t, dsn)
	if err != nil {
		t.Fatal(err)
	}
	b, err := postgres.Open(context.Background(), dsn, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "b"), KeyDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bus := event.NewBus()
	sub := bus.Subscribe(256)
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- b.Listen(ctx, bus, ready) }()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("Listen did not start")
	}

	co, err := wire.SeedDemo(context.Background(), a, io.Discard) // 3 drafts saved and posted
	if err != nil {
		t.Fatal(err)
	}
	posted := map[int64]bool{}
	drafts := 0
	deadline := time.After(30 * time.Second)
	for len(posted) < 3 {
		select {
		case e := <-sub.C():
			switch e.Kind {
			case event.DocumentPosted:
				if e.IssuerRFC != co.RFC || e.InvoiceID == 0 || e.DocumentID == 0 {
					t.Fatalf("posted event %+v: want issuer %s and both ids", e, co.RFC)
				}
				posted[e.InvoiceID] = true
			case event.DocumentDraftSaved:
				drafts++
			}
		case <-deadline:
			t.Fatalf("after 30 s: %d posted events, %d drafts saved; want 3 posted", len(posted), drafts)
		}
	}
	if drafts < 3 {
		t.Errorf("%d draft-saved events, want 3", drafts)
	}

	// A quote saved on A (new, sent or accepted: each a save) refreshes
	// B's Cotizaciones.
	var id int64
	for k := range posted {
		id = k
	}
	doc, err := a.FindInvoiceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	doc.ID, doc.Folio = 0, 0
	q := quotes.Quote{Issuer: co.RFC, Fecha: time.Now(), ValidUntil: time.Now().AddDate(0, 0, 15), Status: quotes.Open, Doc: doc}
	if err := a.SaveQuote(context.Background(), &q); err != nil {
		t.Fatal(err)
	}
	for quoted := false; !quoted; {
		select {
		case e := <-sub.C():
			quoted = e.Kind == event.QuoteChanged && e.IssuerRFC == co.RFC
		case <-time.After(30 * time.Second):
			t.Fatal("after 30 s no quote-changed event reached the other workstation")
		}
	}

	// A warehouse saved and an adjustment made on A (stock moved outside a
	// post) refresh B's lists of that company.
	inv := &inventory.Service{Store: a}
	w := inventory.Warehouse{Issuer: co.RFC, Name: "Bodega norte", Active: true}
	if err := inv.SaveWarehouse(context.Background(), &w); err != nil {
		t.Fatal(err)
	}
	prods, err := a.FindProducts(context.Background(), sales.ProductFilter{Query: "LAP-14", Limit: 1})
	if err != nil || len(prods) != 1 {
		t.Fatalf("product LAP-14: %+v, %v", prods, err)
	}
	if err := inv.Adjust(context.Background(), co.RFC, prods[0].ID, w.ID, decimal.NewFromInt(3), decimal.NewFromInt(10), "Conteo"); err != nil {
		t.Fatal(err)
	}
	for stock := 0; stock < 2; {
		select {
		case e := <-sub.C():
			if e.Kind == event.StockChanged && e.IssuerRFC == co.RFC {
				stock++
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("after 30 s %d stock-changed events reached the other workstation, want 2", stock)
		}
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Listen = %v, want context.Canceled", err)
	}
}
