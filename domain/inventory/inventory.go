// Package inventory keeps the stock of the products that opt in to stock
// control (sales.Product.TrackStock): the company's warehouses (bodegas),
// the movements that change what each holds, the quantity on hand and the
// average cost per product and warehouse.
//
// Every change goes through Apply inside one write transaction (Tx): it
// reads the level a movement changes, refuses an exit that would leave a
// negative quantity of a product that may not be sold without stock, works
// out the new average cost and asks the store to record the movement and
// the new level together, so the level is always the sum of its movements.
package inventory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// Kind is why stock moved.
type Kind string

// The kinds of movement.
const (
	Sale       Kind = "venta"      // exit of a posted invoice
	Return     Kind = "devolucion" // entry of a posted return credit note
	Bought     Kind = "compra"     // entry of goods received from a supplier
	Transfer   Kind = "traspaso"   // exit from one warehouse and entry into another
	Adjustment Kind = "ajuste"     // a count's correction, with a reason
	Reversal   Kind = "reversa"    // undoes a document's movement: its cancellation or an invoice's revert
)

// Kinds returns every kind of movement.
func Kinds() []Kind { return []Kind{Sale, Return, Bought, Transfer, Adjustment, Reversal} }

// Label is the kind as the screens show it.
func (k Kind) Label() string {
	switch k {
	case Sale:
		return "Venta"
	case Return:
		return "Devolución"
	case Bought:
		return "Compra"
	case Transfer:
		return "Traspaso"
	case Adjustment:
		return "Ajuste"
	case Reversal:
		return "Reversa"
	}
	return string(k)
}

// Warehouse is one of a company's bodegas. Each company has one default
// warehouse, the one invoices take their goods from.
type Warehouse struct {
	ID      int64
	Issuer  string // RFC of the company
	Name    string
	Default bool
	Active  bool
}

// DefaultName is the name of the warehouse created the first time a
// company moves stock without having one.
const DefaultName = "Bodega principal"

// Validate reports the problems of w (Invalid, Spanish).
func (w *Warehouse) Validate() error {
	w.Name = strings.Join(strings.Fields(w.Name), " ")
	if w.Issuer == "" {
		return domain.E(domain.Invalid, "validate warehouse", "Elija la empresa de la bodega.", nil)
	}
	if w.Name == "" || len([]rune(w.Name)) > 100 {
		return domain.E(domain.Invalid, "validate warehouse", "Escriba un nombre de bodega de hasta 100 caracteres.", nil)
	}
	return nil
}

// Item is what stock control needs to know of a product.
type Item struct {
	ProductID        int64
	Code             string
	Description      string
	Tracked          bool            // the product opts in to stock control
	SellWithoutStock bool            // its quantity on hand may go below zero
	Minimum          decimal.Decimal // below it the product is listed as short
}

// Level is the quantity on hand of a product in a warehouse and its
// average unit cost.
type Level struct {
	ProductID   int64
	WarehouseID int64
	Qty         decimal.Decimal
	AvgCost     decimal.Decimal
}

// Movement is one change of a level: Qty is positive for an entry and
// negative for an exit. UnitCost is the cost of an entry; Apply sets an
// exit's to the average cost it leaves at.
type Movement struct {
	ID          int64
	Issuer      string
	ProductID   int64
	WarehouseID int64
	Kind        Kind
	Qty         decimal.Decimal
	UnitCost    decimal.Decimal
	Fecha       time.Time
	InvoiceID   int64  // the invoice or credit note behind it, 0 when none
	PurchaseID  int64  // the purchase behind it, 0 when none
	TransferID  int64  // both halves of a transfer share it (the exit's ID)
	Reverses    int64  // the movement a reversal undoes
	Reason      string // why an adjustment was made
	Reversed    bool   // a later reversal undid it
}

// Tx is what a stock change reads and writes inside one write transaction.
type Tx interface {
	// Item returns what stock control knows of a product; NotFound if absent.
	Item(ctx context.Context, productID int64) (Item, error)
	// Level returns a product's level in a warehouse, zero when it never moved there.
	Level(ctx context.Context, productID, warehouseID int64) (Level, error)
	// Warehouse returns a warehouse; NotFound if absent.
	Warehouse(ctx context.Context, id int64) (Warehouse, error)
	// DefaultWarehouse returns the company's default warehouse; NotFound if it has none.
	DefaultWarehouse(ctx context.Context, issuer string) (Warehouse, error)
	// CreateWarehouse stores a new warehouse and sets its ID.
	CreateWarehouse(ctx context.Context, w *Warehouse) error
	// Record stores m (setting its ID), marks the movement it reverses as
	// reversed, and sets the level it changes to after.
	Record(ctx context.Context, m *Movement, after Level) error
	// DocumentMovements returns the movements of an invoice or credit note
	// that no reversal has undone, reversals excluded, oldest first.
	DocumentMovements(ctx context.Context, invoiceID int64) ([]Movement, error)
}

// costPlaces is the precision of costs: micro-units, like amounts.
const costPlaces = 6

// next is the level after m and m with its unit cost decided: an entry
// averages its cost with what is on hand (at its own cost when nothing
// positive is); an exit leaves the average as it is and costs at it.
func next(l Level, m Movement) (Level, Movement) {
	after := l
	after.Qty = l.Qty.Add(m.Qty)
	switch {
	case m.Qty.IsNegative():
		m.UnitCost = l.AvgCost
	case m.Qty.IsPositive():
		if !l.Qty.IsPositive() || !after.Qty.IsPositive() {
			after.AvgCost = m.UnitCost
		} else {
			value := l.Qty.Mul(l.AvgCost).Add(m.Qty.Mul(m.UnitCost))
			after.AvgCost = value.DivRound(after.Qty, costPlaces)
		}
	}
	return after, m
}

// Apply records moves in order, each against the level the previous ones
// left. An exit that would leave a negative quantity of a product that may
// not be sold without stock refuses the whole change (Invalid, naming the
// product, the warehouse and the figures), unless force is set: a
// cancellation SAT already accepted is recorded whatever it leaves.
// Untracked products are refused: callers move tracked products only.
func Apply(ctx context.Context, tx Tx, moves []Movement, force bool) ([]Movement, error) {
	const op = "move stock"
	out := make([]Movement, 0, len(moves))
	for _, m := range moves {
		if m.Qty.IsZero() {
			continue
		}
		if !maxPlaces(m.Qty, 6) || m.UnitCost.IsNegative() || !maxPlaces(m.UnitCost, costPlaces) {
			return nil, domain.E(domain.Invalid, op, "La cantidad y el costo llevan máximo seis decimales, y el costo no puede ser negativo.", nil)
		}
		it, err := tx.Item(ctx, m.ProductID)
		if err != nil {
			return nil, err
		}
		if !it.Tracked {
			return nil, domain.E(domain.Invalid, op, fmt.Sprintf("El producto «%s» no lleva control de existencias; actívelo en Productos.", it.Description), nil)
		}
		w, err := tx.Warehouse(ctx, m.WarehouseID)
		if err != nil {
			return nil, err
		}
		if w.Issuer != m.Issuer {
			return nil, domain.E(domain.Invalid, op, "La bodega es de otra empresa.", nil)
		}
		l, err := tx.Level(ctx, m.ProductID, m.WarehouseID)
		if err != nil {
			return nil, err
		}
		after, m := next(l, m)
		if !force && m.Qty.IsNegative() && after.Qty.IsNegative() && !it.SellWithoutStock {
			return nil, domain.E(domain.Invalid, op, fmt.Sprintf(
				"No hay existencia suficiente de «%s» (%s) en %s: hay %s y se necesitan %s. Registre la compra o un ajuste, o permita en Productos venderlo sin existencia.",
				it.Description, it.Code, w.Name, l.Qty.String(), m.Qty.Neg().String()), nil)
		}
		if err := tx.Record(ctx, &m, after); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Reverse undoes the live movements of an invoice or credit note with
// reversals dated at, each at its movement's own cost; it returns them
// (none when the document moved no stock or was already undone). force is
// Apply's.
func Reverse(ctx context.Context, tx Tx, invoiceID int64, at time.Time, force bool) ([]Movement, error) {
	live, err := tx.DocumentMovements(ctx, invoiceID)
	if err != nil {
		return nil, err
	}
	moves := make([]Movement, 0, len(live))
	for _, m := range live {
		moves = append(moves, Movement{Issuer: m.Issuer, ProductID: m.ProductID, WarehouseID: m.WarehouseID, Kind: Reversal,
			Qty: m.Qty.Neg(), UnitCost: m.UnitCost, Fecha: at, InvoiceID: invoiceID, Reverses: m.ID})
	}
	return Apply(ctx, tx, moves, force)
}

// DefaultWarehouse returns the company's default warehouse, creating
// DefaultName the first time.
func DefaultWarehouse(ctx context.Context, tx Tx, issuer string) (Warehouse, error) {
	w, err := tx.DefaultWarehouse(ctx, issuer)
	if domain.KindOf(err) != domain.NotFound {
		return w, err
	}
	w = Warehouse{Issuer: issuer, Name: DefaultName, Default: true, Active: true}
	return w, tx.CreateWarehouse(ctx, &w)
}

func maxPlaces(d decimal.Decimal, n int32) bool { return d.Equal(d.Truncate(n)) }
