package thirdparty

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain/inventory"
)

// TestDocumentWarehouse: with two active warehouses the document shows
// "Bodega" with the default chosen, and the warehouse picked is saved with
// the draft; with no warehouse listing it stays hidden.
func TestDocumentWarehouse(t *testing.T) {
	f := newFixture(t)
	fm, _ := f.open(t, fyne.NewSize(1366, 900))
	if fm.Warehouse.Box.Visible() {
		t.Fatal("«Bodega» shown though the form lists no warehouses")
	}

	ctx := context.Background()
	svc := &inventory.Service{Store: f.store}
	var sucursal inventory.Warehouse
	for _, w := range []inventory.Warehouse{{Name: "Matriz", Default: true}, {Name: "Sucursal"}} {
		w.Issuer, w.Active = f.co.RFC, true
		if err := svc.SaveWarehouse(ctx, &w); err != nil {
			t.Fatal(err)
		}
		sucursal = w
	}
	f.deps.Editor.Warehouses = f.store
	fm, w := f.open(t, fyne.NewSize(1366, 900))
	f.q.RunUntil(t, "warehouses loaded", func() bool { return fm.Warehouse.Offered() == 2 })
	if !fm.Warehouse.Box.Visible() || fm.Warehouse.Selected() != "Matriz" {
		t.Fatalf("«Bodega» visible %v showing %q; want it shown with the default (Matriz)", fm.Warehouse.Box.Visible(), fm.Warehouse.Selected())
	}
	draftWithItems(t, f, fm, w, "xoch", "CACX7605101P8")
	if !fm.Warehouse.SetByName("Sucursal") {
		t.Fatal("Sucursal not offered")
	}
	test.Tap(fm.SaveBtn)
	f.q.RunUntil(t, "draft saved", func() bool { return fm.inv.ID != 0 && !fm.busy })
	inv, err := f.store.FindInvoiceByID(ctx, fm.inv.ID)
	if err != nil || inv.WarehouseID != sucursal.ID {
		t.Fatalf("stored warehouse %d, %v; want Sucursal (%d)", inv.WarehouseID, err, sucursal.ID)
	}
}
