package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/folio-mx/folio/data/internal/stocksql"
	"github.com/folio-mx/folio/domain/inventory"
)

// Stock's SQL is the PostgreSQL store's too (data/internal/stocksql); the
// file's single writer needs no lock of its own (stocksql.Tx.Lock).

// dialect is what stocksql needs to know of SQLite.
var dialect = stocksql.Dialect{Unique: isUniqueViolation}

var (
	_ inventory.Tx            = postTx{}
	_ inventory.Store         = (*Store)(nil)
	_ inventory.SupplierStore = (*Store)(nil)
)

// StockTx runs fn inside one write transaction.
func (s *Store) StockTx(ctx context.Context, fn func(tx inventory.StoreTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return fn(stocksql.Tx{Q: tx, D: dialect}) })
}

// stock is the posting transaction's inventory.Tx: posting moves stock in
// its own transaction.
func (t postTx) stock() stocksql.Tx { return stocksql.Tx{Q: t.q, D: dialect} }

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
// cancellation, the stock it moved (stocksql.RecordCancel).
func recordCancelStock(ctx context.Context, q querier, id int64, at time.Time) error {
	return stocksql.RecordCancel(ctx, stocksql.Tx{Q: q, D: dialect}, id, at)
}

// allowCancelStock refuses to ask for the cancellation of a document
// whose reversal would leave below zero a product that may not be sold
// without stock (stocksql.AllowCancel).
func allowCancelStock(ctx context.Context, q querier, id int64) error {
	return stocksql.AllowCancel(ctx, q, id)
}

// Warehouses returns a company's warehouses, the default first.
func (s *Store) Warehouses(ctx context.Context, issuer string) ([]inventory.Warehouse, error) {
	return stocksql.Warehouses(ctx, s.ReadDB(), issuer)
}

// OnHand returns a page of levels ordered by product code and warehouse
// (stocksql.OnHand).
func (s *Store) OnHand(ctx context.Context, f inventory.LevelFilter) ([]inventory.LevelRow, error) {
	return stocksql.OnHand(ctx, s.ReadDB(), dialect, f)
}

// Short returns the tracked products whose total on hand in the company's
// warehouses is below their minimum (stocksql.Short).
func (s *Store) Short(ctx context.Context, issuer string, limit int) ([]inventory.LevelRow, error) {
	return stocksql.Short(ctx, s.ReadDB(), dialect, issuer, limit)
}

// StockMovements returns a page of a company's movements, newest first
// (stocksql.Movements).
func (s *Store) StockMovements(ctx context.Context, f inventory.MovementFilter) ([]inventory.MovementRow, error) {
	return stocksql.Movements(ctx, s.ReadDB(), f)
}

// RevertedPending counts a company's invoices whose stock exit was
// reverted and that are not cancelled yet.
func (s *Store) RevertedPending(ctx context.Context, issuer string) (int, error) {
	return stocksql.RevertedPending(ctx, s.ReadDB(), issuer)
}

// SupplierCatalog returns a company's suppliers by name, inactive too.
func (s *Store) SupplierCatalog(ctx context.Context, issuer string) ([]inventory.Supplier, error) {
	return stocksql.SupplierCatalog(ctx, s.ReadDB(), issuer)
}

// SaveSupplier inserts (ID 0) or updates a supplier; an RFC already in the
// company's catalog is a Conflict.
func (s *Store) SaveSupplier(ctx context.Context, p *inventory.Supplier) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return stocksql.SaveSupplier(ctx, tx, dialect, s.Now(), p) })
}
