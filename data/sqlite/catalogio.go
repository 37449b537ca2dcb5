package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/catalogsql"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/sales"
)

var _ catalogio.Store = (*Store)(nil)

// The catalogs' import and export SQL is the PostgreSQL store's too
// (data/internal/catalogsql).

// ProductCodes returns every product code in the catalog, upper-cased:
// what an import checks its codes against.
func (s *Store) ProductCodes(ctx context.Context) (map[string]bool, error) {
	return catalogsql.ProductCodes(ctx, s.ReadDB())
}

// CustomerRFCs returns every customer RFC in the catalog.
func (s *Store) CustomerRFCs(ctx context.Context) (map[string]bool, error) {
	return catalogsql.CustomerRFCs(ctx, s.ReadDB())
}

// ImportProducts stores ps (validated by catalogio.PlanProducts) in one
// transaction: all of them or, on any failure (a code taken meanwhile),
// none (catalogsql.ImportProducts: multi-row INSERTs, so the FTS4 index
// flushes once a batch rather than once a row).
func (s *Store) ImportProducts(ctx context.Context, ps []sales.Product) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return catalogsql.ImportProducts(ctx, tx, ps, s.Now()) })
}

// ImportCustomers stores cs (validated by catalogio.PlanCustomers) in one
// transaction: all of them or none; an RFC stored since the plan refuses
// it (catalogsql.ImportCustomers). Write transactions are immediate, so
// no other import or edit runs between the check and the inserts.
func (s *Store) ImportCustomers(ctx context.Context, cs []sales.Customer) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return catalogsql.ImportCustomers(ctx, tx, cs, s.Now()) })
}

// AllProducts returns the whole products catalog (inactive too) by code:
// what an export writes.
func (s *Store) AllProducts(ctx context.Context) ([]sales.Product, error) {
	return catalogsql.AllProducts(ctx, s.ReadDB())
}

// AllCustomers returns the whole customers catalog (inactive too) by name.
func (s *Store) AllCustomers(ctx context.Context) ([]sales.Customer, error) {
	return catalogsql.AllCustomers(ctx, s.ReadDB())
}
