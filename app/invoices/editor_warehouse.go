package invoices

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// WarehouseLister lists a company's warehouses, the default first
// (*sqlite.Store satisfies it).
type WarehouseLister interface {
	Warehouses(ctx context.Context, issuer string) ([]inventory.Warehouse, error)
}

// warehouseField is "Bodega": the warehouse an invoice's stock exit leaves
// from (sales.Invoice.WarehouseID), shown only on an invoice when the
// company keeps stock in more than one active warehouse. A new invoice
// starts with the default warehouse; a quote has none.
type warehouseField struct {
	sel        *widget.Select
	box        *fyne.Container
	warehouses []inventory.Warehouse // the active ones, in the select's order
	off        bool                  // the editor edits quotes
}

func newWarehouseField(changed func()) *warehouseField {
	w := &warehouseField{}
	w.sel = widgets.NewSelect(nil, func(string) { changed() })
	w.box = container.NewBorder(nil, nil, widget.NewLabel(lang.L("Bodega")), nil, w.sel)
	w.box.Hide()
	return w
}

// setWarehouses offers all's active warehouses.
func (w *warehouseField) setWarehouses(all []inventory.Warehouse) {
	w.warehouses = w.warehouses[:0]
	var opts []string
	for _, wh := range all {
		if wh.Active {
			w.warehouses = append(w.warehouses, wh)
			opts = append(opts, wh.Name)
		}
	}
	w.sel.Options = opts
	w.sel.Refresh()
}

// selectWarehouse shows id chosen; 0, or a warehouse no longer offered,
// is the default warehouse.
func (w *warehouseField) selectWarehouse(id int64) {
	def := -1
	for i, wh := range w.warehouses {
		if wh.ID == id {
			w.sel.SetSelectedIndex(i)
			return
		}
		if wh.Default {
			def = i
		}
	}
	if def >= 0 {
		w.sel.SetSelectedIndex(def)
	} else {
		w.sel.ClearSelected()
	}
}

// chosen is the warehouse chosen, 0 for none (the default at posting).
func (w *warehouseField) chosen() int64 {
	i := w.sel.SelectedIndex()
	if i < 0 || i >= len(w.warehouses) {
		return 0
	}
	return w.warehouses[i].ID
}

// present shows the field on an invoice when there is a choice to make.
func (w *warehouseField) present(tipo string, locked bool) {
	show(w.box, !w.off && tipo == sales.TipoIngreso && len(w.warehouses) > 1)
	enable(w.sel, !locked)
}

// loadWarehouses reads the company's warehouses off the UI goroutine and
// offers them, with the invoice's (or the default) chosen.
func (ed *InvoiceEditor) loadWarehouses() {
	if ed.deps.Warehouses == nil || ed.warehouse.off {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		all, err := ed.deps.Warehouses.Warehouses(ctx, ed.issuer.RFC)
		fyne.Do(func() {
			if err != nil {
				return // the field stays hidden: the default warehouse is used
			}
			ed.filling = true
			ed.warehouse.setWarehouses(all)
			ed.warehouse.selectWarehouse(ed.inv.WarehouseID)
			ed.warehouse.present(ed.inv.TipoDeComprobante, ed.locked)
			ed.filling = false
			ed.changed()
		})
	}()
}

// Warehouse is the name of the warehouse "Bodega" shows, "" when the field
// is hidden.
func (ed *InvoiceEditor) Warehouse() string {
	if !ed.warehouse.box.Visible() {
		return ""
	}
	return ed.warehouse.sel.Selected
}

// SetWarehouse chooses the warehouse by name as the user does; it reports
// whether the name was offered.
func (ed *InvoiceEditor) SetWarehouse(name string) bool {
	for i, wh := range ed.warehouse.warehouses {
		if wh.Name == name {
			ed.warehouse.sel.SetSelectedIndex(i)
			return true
		}
	}
	return false
}
