package postgres

import (
	"context"
	"time"

	"github.com/folio-mx/folio/data/internal/stocksql"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/inventory"
)

// Stock's SQL is the SQLite store's (data/internal/stocksql). Workstations
// move stock side by side here, so every stock write and every read of a
// level it is computed from happens under the company's posting lock
// (companylock.go, stocksql.Tx.Lock): a post, a purchase, a transfer, an
// adjustment, a revert and a cancellation of the same company wait for
// each other, and none writes a level computed from one another changed.
// One lock per company, taken before any invoice row, never deadlocks
// against the posts.

// dialect is what stocksql needs to know of PostgreSQL.
var dialect = stocksql.Dialect{Postgres: true, Unique: isUniqueViolation}

var (
	_ inventory.Tx            = postTx{}
	_ inventory.Store         = (*Store)(nil)
	_ inventory.SupplierStore = (*Store)(nil)
)

// stockTx is stocksql.Tx on q's transaction with the company locks taken
// through locked (once each).
func stockTx(q querier, locked locks) stocksql.Tx {
	return stocksql.Tx{Q: q, D: dialect, Lock: func(ctx context.Context, issuer string) error {
		if locked[issuer] {
			return nil
		}
		if err := lockCompany(ctx, q, issuer); err != nil {
			return err
		}
		locked[issuer] = true
		return nil
	}}
}

// StockTx runs fn inside one write transaction and tells the other
// workstations of each company whose stock or warehouses it changed.
func (s *Store) StockTx(ctx context.Context, fn func(tx inventory.StoreTx) error) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		locked := locks{}
		if err := fn(stockTx(tx, locked)); err != nil {
			return err
		}
		for issuer := range locked {
			if err := notify(ctx, tx, change{Kind: event.StockChanged, Issuer: issuer}); err != nil {
				return err
			}
		}
		return nil
	})
}

// stock is the posting transaction's inventory.Tx, under the company locks
// the post takes (postTx.company).
func (t postTx) stock() stocksql.Tx { return stockTx(t.q, t.locked) }

func (t postTx) Item(ctx context.Context, id int64) (inventory.Item, error) {
	return t.stock().Item(ctx, id)
}
func (t postTx) Level(ctx context.Context, p, w int64) (inventory.Level, error) {
	return t.stock().Level(ctx, p, w)
}
func (t postTx) Warehouse(ctx context.Context, id int64) (inventory.Warehouse, error) {
	return t.stock().Warehouse(ctx, id)
}
func (t postTx) DefaultWarehouse(ctx context.Context, issuer string) (inventory.Warehouse, error) {
	return t.stock().DefaultWarehouse(ctx, issuer)
}
func (t postTx) CreateWarehouse(ctx context.Context, w *inventory.Warehouse) error {
	return t.stock().CreateWarehouse(ctx, w)
}
func (t postTx) Record(ctx context.Context, m *inventory.Movement, after inventory.Level) error {
	return t.stock().Record(ctx, m, after)
}
func (t postTx) DocumentMovements(ctx context.Context, id int64) ([]inventory.Movement, error) {
	return t.stock().DocumentMovements(ctx, id)
}

// InvoiceReverted tells whether the warehouse reverted invoice id's exit.
func (t postTx) InvoiceReverted(ctx context.Context, id int64) (bool, error) {
	return stocksql.InvoiceReverted(ctx, t.q, id)
}

// recordCancelStock undoes, in the transaction that records a document's
// cancellation, the stock it moved (stocksql.RecordCancel), under its
// company's lock.
func recordCancelStock(ctx context.Context, q querier, id int64, at time.Time) error {
	return stocksql.RecordCancel(ctx, stockTx(q, locks{}), id, at)
}

// allowCancelStock refuses to ask for the cancellation of a document
// whose reversal would leave below zero a product that may not be sold
// without stock (stocksql.AllowCancel).
func allowCancelStock(ctx context.Context, q querier, id int64) error {
	return stocksql.AllowCancel(ctx, q, id)
}

// Warehouses returns a company's warehouses, the default first.
func (s *Store) Warehouses(ctx context.Context, issuer string) ([]inventory.Warehouse, error) {
	ws, err := stocksql.Warehouses(ctx, s.ReadDB(), issuer)
	return ws, mapErr("postgres.Warehouses", s.name, err)
}

// OnHand returns a page of levels ordered by product code and warehouse
// (stocksql.OnHand).
func (s *Store) OnHand(ctx context.Context, f inventory.LevelFilter) ([]inventory.LevelRow, error) {
	rows, err := stocksql.OnHand(ctx, s.ReadDB(), dialect, f)
	return rows, mapErr("postgres.OnHand", s.name, err)
}

// Short returns the tracked products whose total on hand in the company's
// warehouses is below their minimum (stocksql.Short).
func (s *Store) Short(ctx context.Context, issuer string, limit int) ([]inventory.LevelRow, error) {
	rows, err := stocksql.Short(ctx, s.ReadDB(), dialect, issuer, limit)
	return rows, mapErr("postgres.Short", s.name, err)
}

// StockMovements returns a page of a company's movements, newest first
// (stocksql.Movements).
func (s *Store) StockMovements(ctx context.Context, f inventory.MovementFilter) ([]inventory.MovementRow, error) {
	rows, err := stocksql.Movements(ctx, s.ReadDB(), f)
	return rows, mapErr("postgres.StockMovements", s.name, err)
}

// RevertedPending counts a company's invoices whose stock exit was
// reverted and that are not cancelled yet.
func (s *Store) RevertedPending(ctx context.Context, issuer string) (int, error) {
	n, err := stocksql.RevertedPending(ctx, s.ReadDB(), issuer)
	return n, mapErr("postgres.RevertedPending", s.name, err)
}

// SupplierCatalog returns a company's suppliers by name, inactive too.
func (s *Store) SupplierCatalog(ctx context.Context, issuer string) ([]inventory.Supplier, error) {
	ps, err := stocksql.SupplierCatalog(ctx, s.ReadDB(), issuer)
	return ps, mapErr("postgres.SupplierCatalog", s.name, err)
}

// SaveSupplier inserts (ID 0) or updates a supplier; an RFC already in the
// company's catalog is a Conflict.
func (s *Store) SaveSupplier(ctx context.Context, p *inventory.Supplier) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return stocksql.SaveSupplier(ctx, tx, dialect, s.Now(), p) })
}
