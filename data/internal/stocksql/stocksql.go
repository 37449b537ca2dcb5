// Package stocksql is the SQL of stock (package inventory) that the SQLite
// and PostgreSQL stores share: warehouses, stock levels and movements,
// purchases, the suppliers catalog and the invoices whose exit was
// reverted. The statements are written with ? placeholders (the
// PostgreSQL store rewrites them) over whatever transaction or pool the
// store passes; each store keeps its own transactions. Where the two
// dialects differ (a join order SQLite is told, a filter it reads as REAL)
// a Dialect picks the statement.
//
// Quantities and costs are integer micro-units (× 10^6) on both stores so
// sums are exact; instants are written as the sales tables write them
// (UTC, fixed width: text order is time order on SQLite; timestamptz on
// PostgreSQL).
package stocksql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// Querier runs statements: a transaction or a pool of either store.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Dialect is what the package needs to know of the store's database.
type Dialect struct {
	// Postgres selects the PostgreSQL form of the statements that differ.
	Postgres bool
	// Unique tells whether err is the violation of a UNIQUE constraint.
	Unique func(err error) bool
}

const timeFormat = "2006-01-02T15:04:05Z"

// TimeText is how stock writes an instant: UTC, fixed width.
func TimeText(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(text string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, text)
	if err != nil {
		return t, fmt.Errorf("stored time %q: %w", text, err)
	}
	return t.UTC(), nil
}

// Micro turns a quantity or cost into micro-units; more than six decimals
// is an Internal error rather than a silent rounding.
func Micro(d decimal.Decimal) (int64, error) {
	m := d.Shift(6)
	if !m.Equal(m.Truncate(0)) || !m.BigInt().IsInt64() {
		return 0, domain.E(domain.Internal, "stock micro", "", fmt.Errorf("amount %s does not fit in micro-units", d))
	}
	return m.IntPart(), nil
}

// FromMicro is the inverse of Micro.
func FromMicro(n int64) decimal.Decimal { return decimal.New(n, -6) }

// Tx is inventory.StoreTx over one write transaction. A store whose
// transactions run side by side (PostgreSQL) sets Lock: it is called with
// the company before a level of its warehouses or one of its invoices is
// read and before a warehouse or purchase of it is written, so two
// workstations moving the same product wait for each other instead of
// both writing a level computed from the same old one (Lock is called
// again for a company already locked: it must be cheap then).
type Tx struct {
	Q    Querier
	D    Dialect
	Lock func(ctx context.Context, issuer string) error
}

var _ inventory.StoreTx = Tx{}

// lockWarehouse takes the lock of the company warehouse id belongs to (an
// unknown warehouse takes none: the reads that follow report it).
func (t Tx) lockWarehouse(ctx context.Context, id int64) error {
	if t.Lock == nil {
		return nil
	}
	var issuer string
	err := t.Q.QueryRowContext(ctx, `SELECT issuer FROM warehouses WHERE id = ?`, id).Scan(&issuer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("company of warehouse %d: %w", id, err)
	}
	return t.Lock(ctx, issuer)
}

// Item returns what stock control knows of a product; NotFound if absent.
func (t Tx) Item(ctx context.Context, id int64) (inventory.Item, error) {
	return Item(ctx, t.Q, id)
}

// Level returns a product's level in a warehouse, zero when it never moved
// there, under the company's lock (Lock).
func (t Tx) Level(ctx context.Context, p, w int64) (inventory.Level, error) {
	if err := t.lockWarehouse(ctx, w); err != nil {
		return inventory.Level{}, err
	}
	return Level(ctx, t.Q, p, w)
}

// Warehouse returns a warehouse; NotFound if absent.
func (t Tx) Warehouse(ctx context.Context, id int64) (inventory.Warehouse, error) {
	return findWarehouse(ctx, t.Q, `id = ?`, id)
}

// DefaultWarehouse returns the company's default warehouse; NotFound if it
// has none. It is read under the company's lock (Lock), so the one a
// workstation creates when there is none is there for the next.
func (t Tx) DefaultWarehouse(ctx context.Context, issuer string) (inventory.Warehouse, error) {
	if t.Lock != nil {
		if err := t.Lock(ctx, issuer); err != nil {
			return inventory.Warehouse{}, err
		}
	}
	return findWarehouse(ctx, t.Q, `issuer = ? AND is_default = TRUE`, issuer)
}

// CreateWarehouse stores a new warehouse.
func (t Tx) CreateWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	return t.SaveWarehouse(ctx, w)
}

// SaveWarehouse inserts (ID 0) or updates a warehouse; making one the
// default unsets the previous default. A name the company already uses is
// a Conflict.
func (t Tx) SaveWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	q := t.Q
	if t.Lock != nil {
		if err := t.Lock(ctx, w.Issuer); err != nil {
			return err
		}
	}
	if w.Default {
		if _, err := q.ExecContext(ctx, `UPDATE warehouses SET is_default = FALSE WHERE issuer = ? AND id <> ?`, w.Issuer, w.ID); err != nil {
			return fmt.Errorf("unset default warehouse: %w", err)
		}
	}
	var err error
	if w.ID == 0 {
		var res sql.Result
		res, err = q.ExecContext(ctx, `INSERT INTO warehouses (issuer, name, is_default, active, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.Issuer, w.Name, w.Default, w.Active, TimeText(time.Now()))
		if err == nil {
			w.ID, err = res.LastInsertId()
		}
	} else {
		_, err = q.ExecContext(ctx, `UPDATE warehouses SET name = ?, is_default = ?, active = ? WHERE id = ?`, w.Name, w.Default, w.Active, w.ID)
	}
	if err != nil && t.D.Unique(err) {
		return domain.E(domain.Conflict, "save warehouse", "Ya existe una bodega con ese nombre.", err)
	}
	if err != nil {
		return fmt.Errorf("save warehouse: %w", err)
	}
	return nil
}

// Record inserts m, marks what it reverses, and writes the level after
// it: the on-hand row changes in the movement's own transaction.
func (t Tx) Record(ctx context.Context, m *inventory.Movement, after inventory.Level) error {
	if err := t.lockWarehouse(ctx, m.WarehouseID); err != nil {
		return err
	}
	return record(ctx, t.Q, m, after)
}

// DocumentMovements returns the movements of an invoice or credit note
// that no reversal has undone, reversals excluded, oldest first.
func (t Tx) DocumentMovements(ctx context.Context, id int64) ([]inventory.Movement, error) {
	return DocumentMovements(ctx, t.Q, id)
}

// Invoice returns what reverting needs of an issued document (after
// taking its company's lock); NotFound if absent.
func (t Tx) Invoice(ctx context.Context, id int64) (inventory.DocumentFacts, error) {
	var (
		d     inventory.DocumentFacts
		state string
		rev   sql.NullString
	)
	if t.Lock != nil {
		var issuer string
		err := t.Q.QueryRowContext(ctx, `SELECT issuer FROM invoices WHERE id = ?`, id).Scan(&issuer)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return d, fmt.Errorf("company of invoice %d: %w", id, err)
		}
		if err == nil {
			if err := t.Lock(ctx, issuer); err != nil {
				return d, err
			}
		}
	}
	err := t.Q.QueryRowContext(ctx, `SELECT id, issuer, tipo, state, reverted_at FROM invoices WHERE id = ?`, id).
		Scan(&d.ID, &d.Issuer, &d.Tipo, &state, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, "find invoice", "La factura no existe.", err)
	}
	if err != nil {
		return d, fmt.Errorf("invoice %d: %w", id, err)
	}
	st := sales.State(state)
	d.Posted = st != sales.StateDraft
	d.Canceled = st.Status() == sales.StatusCancelled
	d.Reverted = rev.Valid
	return d, nil
}

// MarkReverted records that the invoice's exit was reverted at at.
func (t Tx) MarkReverted(ctx context.Context, id int64, at time.Time) error {
	_, err := t.Q.ExecContext(ctx, `UPDATE invoices SET reverted_at = ? WHERE id = ?`, TimeText(at), id)
	if err != nil {
		return fmt.Errorf("mark invoice %d reverted: %w", id, err)
	}
	return nil
}

// InsertPurchase stores a purchase's header and sets its ID.
func (t Tx) InsertPurchase(ctx context.Context, p *inventory.Purchase) error {
	if t.Lock != nil {
		if err := t.Lock(ctx, p.Issuer); err != nil {
			return err
		}
	}
	var received any
	if p.ReceivedID != 0 {
		received = p.ReceivedID
	}
	res, err := t.Q.ExecContext(ctx, `INSERT INTO purchases (issuer, supplier_id, warehouse_id, fecha, reference, received_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Issuer, p.SupplierID, p.WarehouseID, TimeText(p.Fecha), p.Reference, received,
		TimeText(p.Fecha))
	if err != nil {
		return fmt.Errorf("insert purchase: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

// InvoiceReverted tells whether the warehouse reverted invoice id's exit
// (an unknown invoice was not).
func InvoiceReverted(ctx context.Context, q Querier, id int64) (bool, error) {
	var rev bool
	err := q.QueryRowContext(ctx, `SELECT reverted_at IS NOT NULL FROM invoices WHERE id = ?`, id).Scan(&rev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("invoice %d reverted: %w", id, err)
	}
	return rev, nil
}

// Item returns what stock control knows of a product; NotFound if absent.
func Item(ctx context.Context, q Querier, id int64) (inventory.Item, error) {
	it := inventory.Item{ProductID: id}
	var min string
	err := q.QueryRowContext(ctx, `SELECT code, description, track_stock, sell_without_stock, min_stock FROM products WHERE id = ?`, id).
		Scan(&it.Code, &it.Description, &it.Tracked, &it.SellWithoutStock, &min)
	if errors.Is(err, sql.ErrNoRows) {
		return it, domain.E(domain.NotFound, "stock item", "El producto no existe.", err)
	}
	if err != nil {
		return it, fmt.Errorf("stock item %d: %w", id, err)
	}
	if it.Minimum, err = decimal.NewFromString(min); err != nil {
		return it, fmt.Errorf("stock item %d minimum %q: %w", id, min, err)
	}
	return it, nil
}

// Level returns a product's level in a warehouse, zero when it never moved
// there.
func Level(ctx context.Context, q Querier, productID, warehouseID int64) (inventory.Level, error) {
	l := inventory.Level{ProductID: productID, WarehouseID: warehouseID}
	var qty, cost int64
	err := q.QueryRowContext(ctx, `SELECT qty_micro, avg_cost_micro FROM stock_levels WHERE product_id = ? AND warehouse_id = ?`,
		productID, warehouseID).Scan(&qty, &cost)
	if errors.Is(err, sql.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("stock level: %w", err)
	}
	l.Qty, l.AvgCost = FromMicro(qty), FromMicro(cost)
	return l, nil
}

const warehouseColumns = `id, issuer, name, is_default, active`

func findWarehouse(ctx context.Context, q Querier, where string, arg any) (inventory.Warehouse, error) {
	var w inventory.Warehouse
	// where is one of the literals of the callers in this file.
	err := q.QueryRowContext(ctx, `SELECT `+warehouseColumns+` FROM warehouses WHERE `+where, arg).
		Scan(&w.ID, &w.Issuer, &w.Name, &w.Default, &w.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return w, domain.E(domain.NotFound, "find warehouse", "La bodega no existe.", err)
	}
	if err != nil {
		return w, fmt.Errorf("find warehouse: %w", err)
	}
	return w, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func record(ctx context.Context, q Querier, m *inventory.Movement, after inventory.Level) error {
	var vals [4]int64
	for i, d := range []decimal.Decimal{m.Qty, m.UnitCost, after.Qty, after.AvgCost} {
		n, err := Micro(d)
		if err != nil {
			return err
		}
		vals[i] = n
	}
	res, err := q.ExecContext(ctx, `INSERT INTO stock_movements (issuer, product_id, warehouse_id, kind, qty_micro, cost_micro,
		fecha, invoice_id, purchase_id, transfer_id, reverses, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Issuer, m.ProductID, m.WarehouseID, string(m.Kind), vals[0], vals[1], TimeText(m.Fecha), nullID(m.InvoiceID),
		nullID(m.PurchaseID), nullID(m.TransferID), nullID(m.Reverses), m.Reason)
	if err != nil {
		return fmt.Errorf("insert stock movement: %w", err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if m.Reverses != 0 {
		if _, err := q.ExecContext(ctx, `UPDATE stock_movements SET reversed = TRUE WHERE id = ?`, m.Reverses); err != nil {
			return fmt.Errorf("mark movement reversed: %w", err)
		}
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO stock_levels (product_id, warehouse_id, qty_micro, avg_cost_micro) VALUES (?, ?, ?, ?)
		ON CONFLICT (product_id, warehouse_id) DO UPDATE SET qty_micro = excluded.qty_micro, avg_cost_micro = excluded.avg_cost_micro`,
		m.ProductID, m.WarehouseID, vals[2], vals[3]); err != nil {
		return fmt.Errorf("write stock level: %w", err)
	}
	return nil
}

const movementColumns = `m.id, m.issuer, m.product_id, m.warehouse_id, m.kind, m.qty_micro, m.cost_micro, m.fecha,
	coalesce(m.invoice_id, 0), coalesce(m.purchase_id, 0), coalesce(m.transfer_id, 0), coalesce(m.reverses, 0), m.reason, m.reversed`

func scanMovement(sc interface{ Scan(...any) error }, extra ...any) (inventory.Movement, error) {
	var (
		m         inventory.Movement
		kind, f   string
		qty, cost int64
	)
	dest := append([]any{&m.ID, &m.Issuer, &m.ProductID, &m.WarehouseID, &kind, &qty, &cost, &f, &m.InvoiceID, &m.PurchaseID,
		&m.TransferID, &m.Reverses, &m.Reason, &m.Reversed}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return m, err
	}
	var err error
	m.Kind, m.Qty, m.UnitCost = inventory.Kind(kind), FromMicro(qty), FromMicro(cost)
	m.Fecha, err = parseTime(f)
	return m, err
}

// DocumentMovements returns the movements of an invoice or credit note
// that no reversal has undone, reversals excluded, oldest first.
func DocumentMovements(ctx context.Context, q Querier, invoiceID int64) ([]inventory.Movement, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+movementColumns+` FROM stock_movements m
		WHERE m.invoice_id = ? AND m.kind <> 'reversa' AND m.reversed = FALSE ORDER BY m.id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("document movements: %w", err)
	}
	defer rows.Close()
	var out []inventory.Movement
	for rows.Next() {
		m, err := scanMovement(rows)
		if err != nil {
			return nil, fmt.Errorf("scan movement: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// RecordCancel undoes, in the transaction t that records a document's
// cancellation, the stock it moved (inventory.Reverse, forced: SAT has
// cancelled it; AllowCancel refused beforehand what would go below zero).
func RecordCancel(ctx context.Context, t Tx, id int64, at time.Time) error {
	_, err := inventory.Reverse(ctx, t, id, at, true)
	return err
}

// AllowCancel refuses to ask for the cancellation of a document whose
// reversal would leave below zero a product that may not be sold without
// stock (a return whose goods were sold again).
func AllowCancel(ctx context.Context, q Querier, id int64) error {
	moves, err := DocumentMovements(ctx, q, id)
	if err != nil {
		return err
	}
	need := map[[2]int64]int64{}
	for _, m := range moves {
		if m.Qty.IsPositive() {
			n, err := Micro(m.Qty)
			if err != nil {
				return err
			}
			need[[2]int64{m.ProductID, m.WarehouseID}] += n
		}
	}
	for k, n := range need {
		it, err := Item(ctx, q, k[0])
		if err != nil {
			return err
		}
		l, err := Level(ctx, q, k[0], k[1])
		if err != nil {
			return err
		}
		lq, err := Micro(l.Qty)
		if err != nil {
			return err
		}
		if !it.SellWithoutStock && lq < n {
			return domain.E(domain.Invalid, "cancel document", fmt.Sprintf(
				"Cancelar este documento sacaría de la bodega %s de «%s» y solo hay %s. Registre primero la entrada o un ajuste.",
				FromMicro(n).String(), it.Description, l.Qty.String()), nil)
		}
	}
	return nil
}

// Warehouses returns a company's warehouses, the default first, then by
// name without regard to case.
func Warehouses(ctx context.Context, q Querier, issuer string) ([]inventory.Warehouse, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+warehouseColumns+` FROM warehouses WHERE issuer = ?
		ORDER BY is_default DESC, lower(name), id`, issuer)
	if err != nil {
		return nil, fmt.Errorf("warehouses: %w", err)
	}
	defer rows.Close()
	var out []inventory.Warehouse
	for rows.Next() {
		var w inventory.Warehouse
		if err := rows.Scan(&w.ID, &w.Issuer, &w.Name, &w.Default, &w.Active); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func pageLimit(n int) int {
	if n <= 0 || n > 500 {
		return 50
	}
	return n
}

// OnHand returns a page of levels ordered by product code and warehouse.
// It walks the products by their unique code index and looks each level up
// by primary key, so a page costs the same at any catalog size (SQLite is
// told that join order with CROSS JOIN; PostgreSQL's planner picks it).
func OnHand(ctx context.Context, q Querier, d Dialect, f inventory.LevelFilter) ([]inventory.LevelRow, error) {
	where := []string{"w.issuer = ?", "(p.code, l.warehouse_id) > (?, ?)"}
	args := []any{f.Issuer, f.AfterCode, f.AfterWH}
	if f.WarehouseID != 0 {
		where = append(where, "l.warehouse_id = ?")
		args = append(args, f.WarehouseID)
	}
	args = append(args, pageLimit(f.Limit))
	join := "CROSS JOIN"
	if d.Postgres {
		join = "JOIN"
	}
	rows, err := q.QueryContext(ctx, `SELECT l.product_id, l.warehouse_id, l.qty_micro, l.avg_cost_micro, p.code,
		p.description, w.name, p.min_stock FROM products p `+join+` stock_levels l ON l.product_id = p.id
		JOIN warehouses w ON w.id = l.warehouse_id WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.code, l.warehouse_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("stock on hand: %w", err)
	}
	defer rows.Close()
	var out []inventory.LevelRow
	for rows.Next() {
		var (
			r         inventory.LevelRow
			qty, cost int64
			min       string
		)
		if err := rows.Scan(&r.ProductID, &r.WarehouseID, &qty, &cost, &r.Code, &r.Description, &r.Warehouse, &min); err != nil {
			return nil, fmt.Errorf("scan stock level: %w", err)
		}
		r.Qty, r.AvgCost = FromMicro(qty), FromMicro(cost)
		if r.Minimum, err = decimal.NewFromString(min); err != nil {
			return nil, fmt.Errorf("stock minimum %q: %w", min, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Short returns the tracked products with a minimum whose quantity in all
// of the company's warehouses together is below it, by code, at most
// limit (pageLimit); Warehouse is empty and Qty the total.
//
// A filter in SQL keeps well-stocked products out of Go; the exact
// decimal comparison in Go decides. On SQLite, where the minimum is TEXT,
// the filter is coarse — the company's quantity in micro-units (summed
// from its levels by primary key) below the minimum read as REAL, plus one
// micro-unit of slack so a rounding of the REAL never drops a product —
// and the products are read in table order (NOT INDEXED) and only the
// short ones sorted by code: walking the code index looked every product
// up out of order. Reading every tracked product into Go took about 1 s
// over 100,000 products (BenchmarkStock/short). On PostgreSQL the minimum
// is NUMERIC and the filter exact, and the company's quantities are summed
// in one pass over the levels joined to the products by hash: the
// per-product subquery SQLite runs cost several seconds there over
// 100,000 products, most of it compiling the plan (JIT).
func Short(ctx context.Context, q Querier, d Dialect, issuer string, limit int) ([]inventory.LevelRow, error) {
	query := `SELECT p.id, q, p.code, p.description, p.min_stock FROM (
			SELECT p.id, p.code, p.description, p.min_stock, coalesce((SELECT sum(l.qty_micro) FROM stock_levels l
				WHERE l.product_id = p.id AND l.warehouse_id IN (SELECT id FROM warehouses WHERE issuer = ?)), 0) AS q
			FROM products p NOT INDEXED WHERE p.track_stock = 1 AND p.active = 1 AND p.min_stock <> '0') p
		WHERE q < CAST(p.min_stock AS REAL) * 1000000 + 1
		ORDER BY p.code`
	if d.Postgres {
		query = `SELECT p.id, coalesce(s.q, 0), p.code, p.description, CAST(p.min_stock AS TEXT)
			FROM products p LEFT JOIN (SELECT l.product_id, CAST(sum(l.qty_micro) AS BIGINT) AS q FROM stock_levels l
				WHERE l.warehouse_id IN (SELECT id FROM warehouses WHERE issuer = ?) GROUP BY l.product_id) s ON s.product_id = p.id
			WHERE p.track_stock AND p.active AND p.min_stock <> 0 AND coalesce(s.q, 0) < p.min_stock * 1000000
			ORDER BY p.code`
	}
	rows, err := q.QueryContext(ctx, query, issuer)
	if err != nil {
		return nil, fmt.Errorf("short products: %w", err)
	}
	defer rows.Close()
	var out []inventory.LevelRow
	for rows.Next() && len(out) < pageLimit(limit) {
		var (
			r   inventory.LevelRow
			qty int64
			min string
		)
		if err := rows.Scan(&r.ProductID, &qty, &r.Code, &r.Description, &min); err != nil {
			return nil, fmt.Errorf("scan short product: %w", err)
		}
		r.Qty = FromMicro(qty)
		if r.Minimum, err = decimal.NewFromString(min); err != nil {
			return nil, fmt.Errorf("stock minimum %q: %w", min, err)
		}
		if r.Qty.LessThan(r.Minimum) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// Movements returns a page of a company's movements, newest first, each
// with the document behind it; it walks stock_movements_fecha backwards
// from To, so a page costs the same however long the history.
func Movements(ctx context.Context, q Querier, f inventory.MovementFilter) ([]inventory.MovementRow, error) {
	where := []string{"m.issuer = ?"}
	args := []any{f.Issuer}
	if f.ProductID != 0 {
		where = append(where, "m.product_id = ?")
		args = append(args, f.ProductID)
	}
	if !f.From.IsZero() {
		where = append(where, "m.fecha >= ?")
		args = append(args, TimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "m.fecha < ?")
		args = append(args, TimeText(f.To))
	}
	if f.Before != nil {
		where = append(where, "(m.fecha, m.id) < (?, ?)")
		args = append(args, TimeText(f.Before.Fecha), f.Before.ID)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := q.QueryContext(ctx, `SELECT `+movementColumns+`, p.code, p.description, w.name,
		CASE WHEN i.id IS NOT NULL THEN i.serie || '-' || coalesce(CAST(i.folio AS TEXT), 'borrador')
		     WHEN m.purchase_id IS NOT NULL THEN 'Compra ' || CAST(m.purchase_id AS TEXT)
		     WHEN m.transfer_id IS NOT NULL THEN 'Traspaso ' || CAST(m.transfer_id AS TEXT)
		     ELSE '' END
		FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id
		LEFT JOIN invoices i ON i.id = m.invoice_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY m.fecha DESC, m.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("stock movements: %w", err)
	}
	defer rows.Close()
	var out []inventory.MovementRow
	for rows.Next() {
		var r inventory.MovementRow
		m, err := scanMovement(rows, &r.Code, &r.Description, &r.Warehouse, &r.Document)
		if err != nil {
			return nil, fmt.Errorf("scan movement: %w", err)
		}
		r.Movement = m
		out = append(out, r)
	}
	return out, rows.Err()
}

// RevertedLive selects an invoice whose stock exit was reverted and that
// is not cancelled yet, written as SQLite's partial index
// invoices_reverted's condition so the Revertidas tab reads that index.
const RevertedLive = `(reverted_at IS NOT NULL AND status <> 'cancelled')`

// RevertedPending counts a company's invoices whose stock exit was
// reverted and that are not cancelled yet: the app reminds the user until
// it is zero.
func RevertedPending(ctx context.Context, q Querier, issuer string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM invoices WHERE issuer = ? AND `+RevertedLive, issuer).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("reverted invoices: %w", err)
	}
	return n, nil
}

// SupplierCatalog returns a company's suppliers by name, inactive too.
func SupplierCatalog(ctx context.Context, q Querier, issuer string) ([]inventory.Supplier, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, issuer, rfc, name, regimen, codigo_postal, contact, email, phone,
		credit_days, active FROM suppliers WHERE issuer = ? ORDER BY lower(name), rfc`, issuer)
	if err != nil {
		return nil, fmt.Errorf("supplier catalog: %w", err)
	}
	defer rows.Close()
	var out []inventory.Supplier
	for rows.Next() {
		var p inventory.Supplier
		if err := rows.Scan(&p.ID, &p.Issuer, &p.RFC, &p.Name, &p.Regimen, &p.CodigoPostal, &p.Contact, &p.Email, &p.Phone,
			&p.CreditDays, &p.Active); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SaveSupplier inserts (ID 0) or updates a supplier in tx; an RFC already
// in the company's catalog is a Conflict.
func SaveSupplier(ctx context.Context, tx Querier, d Dialect, now time.Time, p *inventory.Supplier) error {
	at := TimeText(now)
	var err error
	if p.ID == 0 {
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO suppliers (issuer, rfc, name, regimen, codigo_postal, contact, email, phone,
			credit_days, active, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Issuer, p.RFC, p.Name, p.Regimen, p.CodigoPostal, p.Contact, p.Email, p.Phone, p.CreditDays, p.Active, at, at)
		if err == nil {
			p.ID, err = res.LastInsertId()
		}
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE suppliers SET rfc = ?, name = ?, regimen = ?, codigo_postal = ?, contact = ?,
			email = ?, phone = ?, credit_days = ?, active = ? WHERE id = ? AND issuer = ?`,
			p.RFC, p.Name, p.Regimen, p.CodigoPostal, p.Contact, p.Email, p.Phone, p.CreditDays, p.Active, p.ID, p.Issuer)
	}
	if err != nil && d.Unique(err) {
		return domain.E(domain.Conflict, "save supplier", "Ya existe un proveedor con ese RFC.", err)
	}
	if err != nil {
		return fmt.Errorf("save supplier: %w", err)
	}
	return nil
}
