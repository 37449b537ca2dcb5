package invoices

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/domain/inventory"
)

// TestEditorWarehouse: "Bodega" stays hidden while the company has one
// active warehouse; with two it shows on a new invoice with the default
// chosen (an inactive one is not offered), the warehouse chosen is saved
// with the draft and shown again, editable, when the draft is opened.
func TestEditorWarehouse(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	svc := &inventory.Service{Store: f.store}
	save := func(name string, def, active bool) inventory.Warehouse {
		w := inventory.Warehouse{Issuer: f.co.RFC, Name: name, Default: def, Active: active}
		if err := svc.SaveWarehouse(ctx, &w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	save("Matriz", true, true)
	save("Vieja", false, false)
	f.deps.Warehouses = f.store

	ed, _ := f.open(t)
	f.q.RunUntil(t, "warehouses loaded", func() bool { return ed.warehouse.Offered() == 1 })
	if ed.warehouse.Box.Visible() || ed.Warehouse() != "" {
		t.Fatal("«Bodega» shown with a single active warehouse")
	}
	if inv, _ := ed.invoice(); inv.WarehouseID != 0 {
		t.Errorf("a hidden «Bodega» set warehouse %d", inv.WarehouseID)
	}

	sucursal := save("Sucursal", false, true)
	ed, w := f.open(t)
	c := w.Canvas()
	f.q.RunUntil(t, "warehouses loaded", func() bool { return ed.warehouse.Offered() == 2 })
	if !ed.warehouse.Box.Visible() || ed.Warehouse() != "Matriz" {
		t.Fatalf("«Bodega» visible %v showing %q; want it shown with the default (Matriz)", ed.warehouse.Box.Visible(), ed.Warehouse())
	}
	if ed.SetWarehouse("Vieja") {
		t.Error("an inactive warehouse is offered")
	}
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "2", "LAP-14", false)
	if !ed.SetWarehouse("Sucursal") {
		t.Fatal("Sucursal not offered")
	}
	ed.SaveDraft()
	f.q.RunUntil(t, "draft saved", func() bool { return ed.inv.ID != 0 && !ed.busy })
	draft, err := f.store.FindInvoiceByID(ctx, ed.inv.ID)
	if err != nil || draft.WarehouseID != sucursal.ID {
		t.Fatalf("stored draft's warehouse %d, %v; want Sucursal (%d)", draft.WarehouseID, err, sucursal.ID)
	}

	again := NewInvoiceEditor(f.deps, f.co, &draft)
	again.Reload()
	f.q.RunUntil(t, "warehouses loaded", func() bool { return again.warehouse.Offered() == 2 })
	if got := again.Warehouse(); got != "Sucursal" {
		t.Errorf("the reopened draft shows «Bodega» %q, want Sucursal", got)
	}
	if again.warehouse.Disabled() {
		t.Error("«Bodega» disabled on a draft")
	}
}
