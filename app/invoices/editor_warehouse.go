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

// WarehouseField is "Bodega": the warehouse an invoice's stock exit leaves
// from (sales.Invoice.WarehouseID), shown only on an invoice when the
// company keeps stock in more than one active warehouse. A new invoice
// starts with the default warehouse; a quote has none. The third-party
// document form shows it too.
type WarehouseField struct {
	Box        *fyne.Container // the label and the select; hidden until there is a choice
	sel        *widget.Select
	warehouses []inventory.Warehouse // the active ones, in the select's order
	off        bool                  // the editor edits quotes
}

// NewWarehouseField returns the field, hidden; changed is called when the
// user picks a warehouse.
func NewWarehouseField(changed func()) *WarehouseField {
	w := &WarehouseField{}
	w.sel = widgets.NewSelect(nil, func(string) { changed() })
	w.Box = container.NewBorder(nil, nil, widget.NewLabel(lang.L("Bodega")), nil, w.sel)
	w.Box.Hide()
	return w
}

// SetWarehouses offers all's active warehouses.
func (w *WarehouseField) SetWarehouses(all []inventory.Warehouse) {
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

// SelectWarehouse shows id chosen; 0, or a warehouse no longer offered,
// is the default warehouse.
func (w *WarehouseField) SelectWarehouse(id int64) {
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

// Chosen is the warehouse chosen, 0 for none (the default at posting).
func (w *WarehouseField) Chosen() int64 {
	i := w.sel.SelectedIndex()
	if i < 0 || i >= len(w.warehouses) {
		return 0
	}
	return w.warehouses[i].ID
}

// Present shows the field on an invoice when there is a choice to make,
// disabled when locked.
func (w *WarehouseField) Present(tipo string, locked bool) {
	show(w.Box, !w.off && tipo == sales.TipoIngreso && len(w.warehouses) > 1)
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
			ed.warehouse.SetWarehouses(all)
			ed.warehouse.SelectWarehouse(ed.inv.WarehouseID)
			ed.warehouse.Present(ed.inv.TipoDeComprobante, ed.locked)
			ed.filling = false
			ed.changed()
		})
	}()
}

// Warehouse is the name of the warehouse "Bodega" shows, "" when the field
// is hidden.
func (ed *InvoiceEditor) Warehouse() string { return ed.warehouse.Selected() }

// SetWarehouse chooses the warehouse by name as the user does; it reports
// whether the name was offered.
func (ed *InvoiceEditor) SetWarehouse(name string) bool { return ed.warehouse.SetByName(name) }

// Selected is the name of the warehouse chosen, "" when the field is hidden.
func (w *WarehouseField) Selected() string {
	if !w.Box.Visible() {
		return ""
	}
	return w.sel.Selected
}

// SetByName chooses the warehouse by name as the user does; it reports
// whether the name was offered.
func (w *WarehouseField) SetByName(name string) bool {
	for i, wh := range w.warehouses {
		if wh.Name == name {
			w.sel.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

// Offered is how many warehouses the field offers.
func (w *WarehouseField) Offered() int { return len(w.warehouses) }

// Disabled reports whether the select is disabled.
func (w *WarehouseField) Disabled() bool { return w.sel.Disabled() }

// Input is the select, to lock it with a form.
func (w *WarehouseField) Input() fyne.Disableable { return w.sel }
