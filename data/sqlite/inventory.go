package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// stockTx is inventory.StoreTx on one SQL transaction; postTx embeds the
// same reads and writes (inventory.Tx) so posting moves stock in its own
// transaction.
type stockTx struct{ q querier }

var (
	_ inventory.StoreTx = stockTx{}
	_ inventory.Tx      = postTx{}
	_ inventory.Store   = (*Store)(nil)
)

// StockTx runs fn inside one write transaction.
func (s *Store) StockTx(ctx context.Context, fn func(tx inventory.StoreTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return fn(stockTx{q: tx}) })
}

func (t postTx) Item(ctx context.Context, id int64) (inventory.Item, error) {
	return stockItem(ctx, t.q, id)
}
func (t postTx) Level(ctx context.Context, p, w int64) (inventory.Level, error) {
	return stockLevel(ctx, t.q, p, w)
}
func (t postTx) Warehouse(ctx context.Context, id int64) (inventory.Warehouse, error) {
	return findWarehouse(ctx, t.q, `id = ?`, id)
}
func (t postTx) DefaultWarehouse(ctx context.Context, issuer string) (inventory.Warehouse, error) {
	return findWarehouse(ctx, t.q, `issuer = ? AND is_default = 1`, issuer)
}
func (t postTx) CreateWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	return saveWarehouse(ctx, t.q, w)
}
func (t postTx) Record(ctx context.Context, m *inventory.Movement, after inventory.Level) error {
	return recordStock(ctx, t.q, m, after)
}
func (t postTx) DocumentMovements(ctx context.Context, id int64) ([]inventory.Movement, error) {
	return documentMovements(ctx, t.q, id)
}

// InvoiceReverted tells whether the warehouse reverted invoice id's exit.
func (t postTx) InvoiceReverted(ctx context.Context, id int64) (bool, error) {
	var rev bool
	err := t.q.QueryRowContext(ctx, `SELECT reverted_at IS NOT NULL FROM invoices WHERE id = ?`, id).Scan(&rev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("invoice %d reverted: %w", id, err)
	}
	return rev, nil
}

func (t stockTx) Item(ctx context.Context, id int64) (inventory.Item, error) {
	return stockItem(ctx, t.q, id)
}
func (t stockTx) Level(ctx context.Context, p, w int64) (inventory.Level, error) {
	return stockLevel(ctx, t.q, p, w)
}
func (t stockTx) Warehouse(ctx context.Context, id int64) (inventory.Warehouse, error) {
	return findWarehouse(ctx, t.q, `id = ?`, id)
}
func (t stockTx) DefaultWarehouse(ctx context.Context, issuer string) (inventory.Warehouse, error) {
	return findWarehouse(ctx, t.q, `issuer = ? AND is_default = 1`, issuer)
}
func (t stockTx) CreateWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	return saveWarehouse(ctx, t.q, w)
}
func (t stockTx) SaveWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	return saveWarehouse(ctx, t.q, w)
}
func (t stockTx) Record(ctx context.Context, m *inventory.Movement, after inventory.Level) error {
	return recordStock(ctx, t.q, m, after)
}
func (t stockTx) DocumentMovements(ctx context.Context, id int64) ([]inventory.Movement, error) {
	return documentMovements(ctx, t.q, id)
}

func (t stockTx) Invoice(ctx context.Context, id int64) (inventory.DocumentFacts, error) {
	var (
		d     inventory.DocumentFacts
		state string
		rev   sql.NullString
	)
	err := t.q.QueryRowContext(ctx, `SELECT id, issuer, tipo, state, reverted_at FROM invoices WHERE id = ?`, id).
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

func (t stockTx) MarkReverted(ctx context.Context, id int64, at time.Time) error {
	_, err := t.q.ExecContext(ctx, `UPDATE invoices SET reverted_at = ? WHERE id = ?`, salesTimeText(at), id)
	if err != nil {
		return fmt.Errorf("mark invoice %d reverted: %w", id, err)
	}
	return nil
}

func (t stockTx) InsertPurchase(ctx context.Context, p *inventory.Purchase) error {
	var received any
	if p.ReceivedID != 0 {
		received = p.ReceivedID
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO purchases (issuer, supplier_id, warehouse_id, fecha, reference, received_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Issuer, p.SupplierID, p.WarehouseID, salesTimeText(p.Fecha), p.Reference, received,
		salesTimeText(p.Fecha))
	if err != nil {
		return fmt.Errorf("insert purchase: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

func stockItem(ctx context.Context, q querier, id int64) (inventory.Item, error) {
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
	var s salesScan
	it.Minimum = s.parse(min)
	return it, s.err
}

func stockLevel(ctx context.Context, q querier, productID, warehouseID int64) (inventory.Level, error) {
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
	l.Qty, l.AvgCost = fromMicro(qty), fromMicro(cost)
	return l, nil
}

const warehouseColumns = `id, issuer, name, is_default, active`

func findWarehouse(ctx context.Context, q querier, where string, arg any) (inventory.Warehouse, error) {
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

func saveWarehouse(ctx context.Context, q querier, w *inventory.Warehouse) error {
	if w.Default {
		if _, err := q.ExecContext(ctx, `UPDATE warehouses SET is_default = 0 WHERE issuer = ? AND id <> ?`, w.Issuer, w.ID); err != nil {
			return fmt.Errorf("unset default warehouse: %w", err)
		}
	}
	var err error
	if w.ID == 0 {
		var res sql.Result
		res, err = q.ExecContext(ctx, `INSERT INTO warehouses (issuer, name, is_default, active, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.Issuer, w.Name, w.Default, w.Active, salesTimeText(time.Now()))
		if err == nil {
			w.ID, err = res.LastInsertId()
		}
	} else {
		_, err = q.ExecContext(ctx, `UPDATE warehouses SET name = ?, is_default = ?, active = ? WHERE id = ?`, w.Name, w.Default, w.Active, w.ID)
	}
	if isUniqueViolation(err) {
		return domain.E(domain.Conflict, "save warehouse", "Ya existe una bodega con ese nombre.", err)
	}
	if err != nil {
		return fmt.Errorf("save warehouse: %w", err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// recordStock inserts m, marks what it reverses, and writes the level
// after it: the on-hand row changes in the movement's own transaction.
func recordStock(ctx context.Context, q querier, m *inventory.Movement, after inventory.Level) error {
	qty, err := micro(m.Qty)
	if err != nil {
		return err
	}
	cost, err := micro(m.UnitCost)
	if err != nil {
		return err
	}
	aq, err := micro(after.Qty)
	if err != nil {
		return err
	}
	ac, err := micro(after.AvgCost)
	if err != nil {
		return err
	}
	res, err := q.ExecContext(ctx, `INSERT INTO stock_movements (issuer, product_id, warehouse_id, kind, qty_micro, cost_micro,
		fecha, invoice_id, purchase_id, transfer_id, reverses, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Issuer, m.ProductID, m.WarehouseID, string(m.Kind), qty, cost, salesTimeText(m.Fecha), nullID(m.InvoiceID),
		nullID(m.PurchaseID), nullID(m.TransferID), nullID(m.Reverses), m.Reason)
	if err != nil {
		return fmt.Errorf("insert stock movement: %w", err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if m.Reverses != 0 {
		if _, err := q.ExecContext(ctx, `UPDATE stock_movements SET reversed = 1 WHERE id = ?`, m.Reverses); err != nil {
			return fmt.Errorf("mark movement reversed: %w", err)
		}
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO stock_levels (product_id, warehouse_id, qty_micro, avg_cost_micro) VALUES (?, ?, ?, ?)
		ON CONFLICT (product_id, warehouse_id) DO UPDATE SET qty_micro = excluded.qty_micro, avg_cost_micro = excluded.avg_cost_micro`,
		m.ProductID, m.WarehouseID, aq, ac); err != nil {
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
	var s salesScan
	m.Kind, m.Qty, m.UnitCost, m.Fecha = inventory.Kind(kind), fromMicro(qty), fromMicro(cost), s.time(f)
	return m, s.err
}

func documentMovements(ctx context.Context, q querier, invoiceID int64) ([]inventory.Movement, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+movementColumns+` FROM stock_movements m
		WHERE m.invoice_id = ? AND m.kind <> 'reversa' AND m.reversed = 0 ORDER BY m.id`, invoiceID)
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

// recordCancelStock undoes, in the transaction that records a document's
// cancellation, the stock it moved (inventory.Reverse, forced: SAT has
// cancelled it; AllowCancelStock refused beforehand what would go below
// zero).
func recordCancelStock(ctx context.Context, q querier, id int64, at time.Time) error {
	_, err := inventory.Reverse(ctx, stockTx{q: q}, id, at, true)
	return err
}

// allowCancelStock refuses to ask for the cancellation of a document
// whose reversal would leave below zero a product that may not be sold
// without stock (a return whose goods were sold again).
func allowCancelStock(ctx context.Context, q querier, id int64) error {
	moves, err := documentMovements(ctx, q, id)
	if err != nil {
		return err
	}
	need := map[[2]int64]int64{}
	for _, m := range moves {
		if m.Qty.IsPositive() {
			n, _ := micro(m.Qty)
			need[[2]int64{m.ProductID, m.WarehouseID}] += n
		}
	}
	for k, n := range need {
		it, err := stockItem(ctx, q, k[0])
		if err != nil {
			return err
		}
		l, err := stockLevel(ctx, q, k[0], k[1])
		if err != nil {
			return err
		}
		lq, _ := micro(l.Qty)
		if !it.SellWithoutStock && lq < n {
			return domain.E(domain.Invalid, "cancel document", fmt.Sprintf(
				"Cancelar este documento sacaría de la bodega %s de «%s» y solo hay %s. Registre primero la entrada o un ajuste.",
				fromMicro(n).String(), it.Description, l.Qty.String()), nil)
		}
	}
	return nil
}

// Warehouses returns a company's warehouses, the default first.
func (s *Store) Warehouses(ctx context.Context, issuer string) ([]inventory.Warehouse, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+warehouseColumns+` FROM warehouses WHERE issuer = ?
		ORDER BY is_default DESC, name COLLATE NOCASE`, issuer)
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
// by primary key, so a page costs the same at any catalog size.
func (s *Store) OnHand(ctx context.Context, f inventory.LevelFilter) ([]inventory.LevelRow, error) {
	where := []string{"w.issuer = ?", "(p.code, l.warehouse_id) > (?, ?)"}
	args := []any{f.Issuer, f.AfterCode, f.AfterWH}
	if f.WarehouseID != 0 {
		where = append(where, "l.warehouse_id = ?")
		args = append(args, f.WarehouseID)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT l.product_id, l.warehouse_id, l.qty_micro, l.avg_cost_micro, p.code,
		p.description, w.name, p.min_stock FROM products p CROSS JOIN stock_levels l ON l.product_id = p.id
		JOIN warehouses w ON w.id = l.warehouse_id WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.code, l.warehouse_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("stock on hand: %w", err)
	}
	return scanLevelRows(rows)
}

func scanLevelRows(rows *sql.Rows) ([]inventory.LevelRow, error) {
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
		var s salesScan
		r.Qty, r.AvgCost, r.Minimum = fromMicro(qty), fromMicro(cost), s.parse(min)
		if s.err != nil {
			return nil, s.err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Short returns the tracked products with a minimum whose quantity in all
// of the company's warehouses together is below it, by code, at most
// limit (pageLimit); Warehouse is empty and Qty the total.
//
// The company's quantity of each product is summed from its levels by
// primary key, and a coarse filter in SQL — that quantity in micro-units
// below the minimum read as REAL, plus one micro-unit of slack so a
// rounding of the REAL never drops a product — keeps well-stocked products
// out of Go; the exact decimal comparison below decides. The products are
// read in table order (NOT INDEXED) and only the short ones sorted by code:
// walking the code index looked every product up out of order. Reading
// every tracked product into Go took about 1 s over 100,000 products
// (BenchmarkStock/short).
func (s *Store) Short(ctx context.Context, issuer string, limit int) ([]inventory.LevelRow, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT p.id, q, p.code, p.description, p.min_stock FROM (
			SELECT p.id, p.code, p.description, p.min_stock, coalesce((SELECT sum(l.qty_micro) FROM stock_levels l
				WHERE l.product_id = p.id AND l.warehouse_id IN (SELECT id FROM warehouses WHERE issuer = ?)), 0) AS q
			FROM products p NOT INDEXED WHERE p.track_stock = 1 AND p.active = 1 AND p.min_stock <> '0') p
		WHERE q < CAST(p.min_stock AS REAL) * 1000000 + 1
		ORDER BY p.code`, issuer)
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
			sc  salesScan
		)
		if err := rows.Scan(&r.ProductID, &qty, &r.Code, &r.Description, &min); err != nil {
			return nil, fmt.Errorf("scan short product: %w", err)
		}
		r.Qty, r.Minimum = fromMicro(qty), sc.parse(min)
		if sc.err != nil {
			return nil, sc.err
		}
		if r.Qty.LessThan(r.Minimum) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// StockMovements returns a page of a company's movements, newest first, each
// with the document behind it; it walks stock_movements_fecha backwards
// from To, so a page costs the same however long the history.
func (s *Store) StockMovements(ctx context.Context, f inventory.MovementFilter) ([]inventory.MovementRow, error) {
	where := []string{"m.issuer = ?"}
	args := []any{f.Issuer}
	if f.ProductID != 0 {
		where = append(where, "m.product_id = ?")
		args = append(args, f.ProductID)
	}
	if !f.From.IsZero() {
		where = append(where, "m.fecha >= ?")
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "m.fecha < ?")
		args = append(args, salesTimeText(f.To))
	}
	if f.Before != nil {
		where = append(where, "(m.fecha, m.id) < (?, ?)")
		args = append(args, salesTimeText(f.Before.Fecha), f.Before.ID)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+movementColumns+`, p.code, p.description, w.name,
		CASE WHEN i.id IS NOT NULL THEN i.serie || '-' || coalesce(i.folio, 'borrador')
		     WHEN m.purchase_id IS NOT NULL THEN 'Compra ' || m.purchase_id
		     WHEN m.transfer_id IS NOT NULL THEN 'Traspaso ' || m.transfer_id
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

// RevertedPending counts a company's invoices whose stock exit was
// reverted and that are not cancelled yet: the app reminds the user until
// it is zero.
func (s *Store) RevertedPending(ctx context.Context, issuer string) (int, error) {
	var n int
	err := s.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM invoices WHERE issuer = ? AND `+revertedLive, issuer).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("reverted invoices: %w", err)
	}
	return n, nil
}

var _ inventory.SupplierStore = (*Store)(nil)

// SupplierCatalog returns a company's suppliers by name, inactive too.
func (s *Store) SupplierCatalog(ctx context.Context, issuer string) ([]inventory.Supplier, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT id, issuer, rfc, name, regimen, codigo_postal, contact, email, phone,
		credit_days, active FROM suppliers WHERE issuer = ? ORDER BY name COLLATE NOCASE, rfc`, issuer)
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

// SaveSupplier inserts (ID 0) or updates a supplier; an RFC already in the
// company's catalog is a Conflict.
func (s *Store) SaveSupplier(ctx context.Context, p *inventory.Supplier) error {
	now := salesTimeText(s.Now())
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if p.ID == 0 {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `INSERT INTO suppliers (issuer, rfc, name, regimen, codigo_postal, contact, email, phone,
				credit_days, active, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.Issuer, p.RFC, p.Name, p.Regimen, p.CodigoPostal, p.Contact, p.Email, p.Phone, p.CreditDays, p.Active, now, now)
			if err == nil {
				p.ID, err = res.LastInsertId()
			}
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE suppliers SET rfc = ?, name = ?, regimen = ?, codigo_postal = ?, contact = ?,
				email = ?, phone = ?, credit_days = ?, active = ? WHERE id = ? AND issuer = ?`,
				p.RFC, p.Name, p.Regimen, p.CodigoPostal, p.Contact, p.Email, p.Phone, p.CreditDays, p.Active, p.ID, p.Issuer)
		}
		if isUniqueViolation(err) {
			return domain.E(domain.Conflict, "save supplier", "Ya existe un proveedor con ese RFC.", err)
		}
		if err != nil {
			return fmt.Errorf("save supplier: %w", err)
		}
		return nil
	})
}
