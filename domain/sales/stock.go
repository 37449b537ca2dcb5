package sales

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
)

// moveStock records, inside the posting unit of work, the stock an
// invoice or a return takes out of or puts back into the warehouses
// (package inventory): an invoice's own-account lines of products under
// stock control leave its warehouse (Invoice.WarehouseID, the company's
// default warehouse when zero; refused when it is gone, another company's
// or inactive) at its average cost, refused when a product that may not be
// sold without stock would go below zero; a return's lines come back into
// the warehouse and at the cost the invoice's exit of that product had
// (the default warehouse and its average cost when the invoice moved none
// of it), whatever warehouse the note names. Lines on behalf of a
// third party and lines typed by hand are not stock. A store whose
// PostTx does not keep stock (no inventory.Tx) moves none.
func moveStock(ctx context.Context, tx PostTx, inv *Invoice) error {
	itx, ok := tx.(inventory.Tx)
	if !ok {
		return nil
	}
	var moves []inventory.Movement
	var exitFrom int64 // the invoice's warehouse, once checked
	for _, l := range inv.Lines {
		if l.ProductID == 0 || l.OnBehalf() {
			continue
		}
		switch {
		case inv.TipoDeComprobante == TipoIngreso:
		case inv.TipoDeComprobante == TipoEgreso && inv.CreditKind == Devolucion && l.Credits != nil:
		default:
			continue
		}
		it, err := itx.Item(ctx, l.ProductID)
		if err != nil {
			return err
		}
		if !it.Tracked {
			continue
		}
		m := inventory.Movement{Issuer: inv.Issuer, ProductID: l.ProductID, Kind: inventory.Sale, Qty: l.Cantidad.Neg(),
			Fecha: inv.Fecha, InvoiceID: inv.ID}
		if inv.TipoDeComprobante == TipoEgreso {
			if rt, ok := tx.(revertedTx); ok {
				rev, err := rt.InvoiceReverted(ctx, l.Credits.InvoiceID)
				if err != nil {
					return err
				}
				if rev {
					return domain.E(domain.Invalid, "post credit note", "La salida de almacén de la factura ya se revirtió: su mercancía ya regresó. Cancele la factura en lugar de hacer una devolución.", nil)
				}
			}
			m.Kind, m.Qty = inventory.Return, l.Cantidad
			if err := returnTo(ctx, itx, &m, l.Credits.InvoiceID); err != nil {
				return err
			}
		}
		if m.WarehouseID == 0 && inv.TipoDeComprobante == TipoIngreso && inv.WarehouseID != 0 {
			if exitFrom == 0 {
				if err := checkExitWarehouse(ctx, itx, inv); err != nil {
					return err
				}
				exitFrom = inv.WarehouseID
			}
			m.WarehouseID = exitFrom
		}
		if m.WarehouseID == 0 {
			w, err := inventory.DefaultWarehouse(ctx, itx, inv.Issuer)
			if err != nil {
				return err
			}
			m.WarehouseID = w.ID
			if m.Qty.IsPositive() {
				lv, err := itx.Level(ctx, m.ProductID, w.ID)
				if err != nil {
					return err
				}
				m.UnitCost = lv.AvgCost
			}
		}
		moves = append(moves, m)
	}
	_, err := inventory.Apply(ctx, itx, moves, false)
	return err
}

// checkExitWarehouse refuses an invoice's chosen warehouse when it does
// not exist, is another company's or is inactive.
func checkExitWarehouse(ctx context.Context, tx inventory.Tx, inv *Invoice) error {
	const op = "post invoice"
	w, err := tx.Warehouse(ctx, inv.WarehouseID)
	if domain.KindOf(err) == domain.NotFound {
		return domain.E(domain.Invalid, op, "La bodega elegida ya no existe; elija otra bodega en la factura.", err)
	}
	if err != nil {
		return err
	}
	if w.Issuer != inv.Issuer {
		return domain.E(domain.Invalid, op, "La bodega elegida es de otra empresa; elija una bodega de esta empresa en la factura.", nil)
	}
	if !w.Active {
		return domain.E(domain.Invalid, op, fmt.Sprintf("La bodega «%s» está inactiva; elija otra bodega en la factura o actívela en Existencias.", w.Name), nil)
	}
	return nil
}

// revertedTx tells, inside the posting transaction, whether the
// warehouse reverted an invoice's stock exit (inventory.Service.RevertInvoice).
type revertedTx interface {
	InvoiceReverted(ctx context.Context, invoiceID int64) (bool, error)
}

// returnTo sets the warehouse and cost of a return's entry m to those of
// the exit of the same product by invoice invoiceID, when it had one.
func returnTo(ctx context.Context, tx inventory.Tx, m *inventory.Movement, invoiceID int64) error {
	exits, err := tx.DocumentMovements(ctx, invoiceID)
	if err != nil {
		return err
	}
	for _, e := range exits {
		if e.ProductID == m.ProductID && e.Kind == inventory.Sale {
			m.WarehouseID, m.UnitCost = e.WarehouseID, e.UnitCost
			return nil
		}
	}
	return nil
}
