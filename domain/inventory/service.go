package inventory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// Store keeps warehouses, movements and levels.
type Store interface {
	// StockTx runs fn inside one write transaction.
	StockTx(ctx context.Context, fn func(tx StoreTx) error) error
	// Warehouses returns a company's warehouses, the default first.
	Warehouses(ctx context.Context, issuer string) ([]Warehouse, error)
	// OnHand returns a page of levels (see LevelFilter).
	OnHand(ctx context.Context, f LevelFilter) ([]LevelRow, error)
	// StockMovements returns a page of movements (see MovementFilter), newest first.
	StockMovements(ctx context.Context, f MovementFilter) ([]MovementRow, error)
	// Short returns the tracked products whose total on hand in the
	// company's warehouses is below their minimum.
	Short(ctx context.Context, issuer string, limit int) ([]LevelRow, error)
}

// StoreTx is Tx plus what the use cases of Service record.
type StoreTx interface {
	Tx
	// Invoice returns what reverting needs of an issued document; NotFound if absent.
	Invoice(ctx context.Context, id int64) (DocumentFacts, error)
	// MarkReverted records that the invoice's exit was reverted at at.
	MarkReverted(ctx context.Context, id int64, at time.Time) error
	// SaveWarehouse inserts (ID 0) or updates a warehouse; making one the
	// default unsets the previous default.
	SaveWarehouse(ctx context.Context, w *Warehouse) error
	// InsertPurchase stores a purchase's header and lines and sets its ID.
	InsertPurchase(ctx context.Context, p *Purchase) error
}

// DocumentFacts is what reverting an invoice checks.
type DocumentFacts struct {
	ID       int64
	Issuer   string
	Tipo     string // TipoDeComprobante
	Posted   bool   // sealed, stamped or in cancellation: not a draft
	Canceled bool
	Reverted bool
}

// LevelFilter selects a page of levels: one company, optionally one
// warehouse, after the cursor (product code, warehouse id).
type LevelFilter struct {
	Issuer      string
	WarehouseID int64
	AfterCode   string
	AfterWH     int64
	Limit       int
}

// LevelRow is a level with its product and warehouse as the screen shows them.
type LevelRow struct {
	Level
	Code, Description, Warehouse string
	Minimum                      decimal.Decimal
}

// MovementFilter selects movements of a company between two instants
// (From inclusive, To exclusive, zero for open ends), optionally of one
// product, newest first, after the cursor Before (the last row shown).
type MovementFilter struct {
	Issuer    string
	ProductID int64
	From, To  time.Time
	Before    *Movement
	Limit     int
}

// MovementRow is a movement with the names the screen shows: its product,
// warehouse and the document behind it ("A-12", "NC-3", "Compra 4").
type MovementRow struct {
	Movement
	Code, Description, Warehouse, Document string
}

// Service is stock's use cases outside posting.
type Service struct {
	Store Store
	Clock func() time.Time
	// Suppliers and Rules keep and check the suppliers catalog.
	Suppliers SupplierStore
	Rules     SupplierRules
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// SaveWarehouse validates and stores a warehouse.
func (s *Service) SaveWarehouse(ctx context.Context, w *Warehouse) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return s.Store.StockTx(ctx, func(tx StoreTx) error { return tx.SaveWarehouse(ctx, w) })
}

// Transfer moves qty of a product from one warehouse to another of the
// same company at the source's average cost.
func (s *Service) Transfer(ctx context.Context, issuer string, productID, from, to int64, qty decimal.Decimal) error {
	const op = "transfer stock"
	if from == to {
		return domain.E(domain.Invalid, op, "Elija bodegas de origen y destino distintas.", nil)
	}
	if !qty.IsPositive() {
		return domain.E(domain.Invalid, op, "La cantidad a traspasar debe ser mayor que cero.", nil)
	}
	at := s.now()
	return s.Store.StockTx(ctx, func(tx StoreTx) error {
		out, err := Apply(ctx, tx, []Movement{{Issuer: issuer, ProductID: productID, WarehouseID: from, Kind: Transfer, Qty: qty.Neg(), Fecha: at}}, false)
		if err != nil {
			return err
		}
		_, err = Apply(ctx, tx, []Movement{{Issuer: issuer, ProductID: productID, WarehouseID: to, Kind: Transfer, Qty: qty,
			UnitCost: out[0].UnitCost, Fecha: at, TransferID: out[0].ID}}, false)
		return err
	})
}

// Adjust corrects the quantity of a product in a warehouse by delta (an
// entry when positive, at unitCost; an exit when negative) for reason.
func (s *Service) Adjust(ctx context.Context, issuer string, productID, warehouseID int64, delta, unitCost decimal.Decimal, reason string) error {
	const op = "adjust stock"
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.E(domain.Invalid, op, "Escriba el motivo del ajuste (conteo físico, merma, daño…).", nil)
	}
	if delta.IsZero() {
		return domain.E(domain.Invalid, op, "La cantidad del ajuste no puede ser cero.", nil)
	}
	return s.Store.StockTx(ctx, func(tx StoreTx) error {
		_, err := Apply(ctx, tx, []Movement{{Issuer: issuer, ProductID: productID, WarehouseID: warehouseID, Kind: Adjustment,
			Qty: delta, UnitCost: unitCost, Fecha: s.now(), Reason: reason}}, false)
		return err
	})
}

// Purchase is goods received from a supplier into a warehouse, optionally
// linked to the supplier's CFDI imported in "CFDI externos".
type Purchase struct {
	ID          int64
	Issuer      string
	SupplierID  int64
	WarehouseID int64
	Fecha       time.Time
	Reference   string // the supplier's invoice number or remission
	ReceivedID  int64  // received_cfdi row, 0 when none
	Lines       []PurchaseLine
}

// PurchaseLine is a product received at a unit cost.
type PurchaseLine struct {
	ProductID int64
	Qty       decimal.Decimal
	UnitCost  decimal.Decimal
}

// Receive records a purchase and its entries in one transaction.
func (s *Service) Receive(ctx context.Context, p *Purchase) error {
	const op = "receive purchase"
	if p.SupplierID == 0 {
		return domain.E(domain.Invalid, op, "Elija el proveedor.", nil)
	}
	if p.WarehouseID == 0 {
		return domain.E(domain.Invalid, op, "Elija la bodega que recibe la mercancía.", nil)
	}
	if len(p.Lines) == 0 {
		return domain.E(domain.Invalid, op, "Agregue al menos un producto recibido.", nil)
	}
	for i, l := range p.Lines {
		if !l.Qty.IsPositive() || l.UnitCost.IsNegative() {
			return domain.E(domain.Invalid, op, fmt.Sprintf("Renglón %d: la cantidad debe ser mayor que cero y el costo no negativo.", i+1), nil)
		}
	}
	if p.Fecha.IsZero() {
		p.Fecha = s.now()
	}
	return s.Store.StockTx(ctx, func(tx StoreTx) error {
		if err := tx.InsertPurchase(ctx, p); err != nil {
			return err
		}
		moves := make([]Movement, len(p.Lines))
		for i, l := range p.Lines {
			moves[i] = Movement{Issuer: p.Issuer, ProductID: l.ProductID, WarehouseID: p.WarehouseID, Kind: Bought,
				Qty: l.Qty, UnitCost: l.UnitCost, Fecha: p.Fecha, PurchaseID: p.ID}
		}
		_, err := Apply(ctx, tx, moves, false)
		return err
	})
}

// ErrNothingToRevert is the refusal to revert an invoice that moved no stock.
var ErrNothingToRevert = domain.E(domain.Invalid, "revert invoice", "Esta factura no movió existencias; no hay salida que revertir.", nil)

// RevertInvoice puts back the goods a posted invoice took out of the
// warehouses (the warehouse person's "Revertir salida"): the invoice then
// shows as Revertida until it is cancelled at SAT, which it must be. An
// invoice that moved no stock, a draft, a cancelled or an already reverted
// invoice is refused.
func (s *Service) RevertInvoice(ctx context.Context, id int64) error {
	const op = "revert invoice"
	at := s.now()
	return s.Store.StockTx(ctx, func(tx StoreTx) error {
		d, err := tx.Invoice(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case d.Tipo != "I":
			return domain.E(domain.Invalid, op, "Solo se revierte la salida de una factura.", nil)
		case !d.Posted:
			return domain.E(domain.Invalid, op, "Un borrador no ha movido existencias.", nil)
		case d.Canceled:
			return domain.E(domain.Invalid, op, "La factura está cancelada: sus existencias ya regresaron.", nil)
		case d.Reverted:
			return domain.E(domain.Conflict, op, "La salida de esta factura ya se revirtió; falta cancelarla.", nil)
		}
		moves, err := Reverse(ctx, tx, id, at, false)
		if err != nil {
			return err
		}
		if len(moves) == 0 {
			return ErrNothingToRevert
		}
		return tx.MarkReverted(ctx, id, at)
	})
}
