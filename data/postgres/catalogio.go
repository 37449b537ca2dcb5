package postgres

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/data/internal/catalogsql"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/sales"
)

var _ catalogio.Store = (*Store)(nil)

// The catalogs' import and export SQL is the SQLite store's
// (data/internal/catalogsql).

// customerImportLockClass is the key of the lock customer imports take
// (pg_advisory_xact_lock), so that two workstations importing at once
// check their RFCs one after the other.
const customerImportLockClass = 0x46637573

// ProductCodes returns every product code in the catalog, upper-cased:
// what an import checks its codes against.
func (s *Store) ProductCodes(ctx context.Context) (map[string]bool, error) {
	codes, err := catalogsql.ProductCodes(ctx, s.db)
	return codes, mapErr("postgres.ProductCodes", s.name, err)
}

// CustomerRFCs returns every customer RFC in the catalog.
func (s *Store) CustomerRFCs(ctx context.Context) (map[string]bool, error) {
	rfcs, err := catalogsql.CustomerRFCs(ctx, s.db)
	return rfcs, mapErr("postgres.CustomerRFCs", s.name, err)
}

// ImportProducts stores ps (validated by catalogio.PlanProducts) in one
// transaction: all of them or, on any failure (a code taken meanwhile,
// also by a workstation whose import is still running: the insert waits
// for it), none. Rows go in multi-row INSERTs (catalogsql.ImportProducts);
// the search column is generated from code and description, as for a
// product saved alone.
func (s *Store) ImportProducts(ctx context.Context, ps []sales.Product) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return catalogsql.ImportProducts(ctx, tx, ps, s.Now()) })
}

// ImportCustomers stores cs (validated by catalogio.PlanCustomers) in one
// transaction: all of them or none; an RFC stored since the plan refuses
// it (catalogsql.ImportCustomers). Imports take a lock first, so one
// committed by another workstation meanwhile is seen by the check.
func (s *Store) ImportCustomers(ctx context.Context, cs []sales.Customer) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, 0)`, int32(customerImportLockClass)); err != nil {
			return fmt.Errorf("lock customer import: %w", err)
		}
		return catalogsql.ImportCustomers(ctx, tx, cs, s.Now())
	})
}

// AllProducts returns the whole products catalog (inactive too) by code:
// what an export writes.
func (s *Store) AllProducts(ctx context.Context) ([]sales.Product, error) {
	ps, err := catalogsql.AllProducts(ctx, s.db)
	return ps, mapErr("postgres.AllProducts", s.name, err)
}

// AllCustomers returns the whole customers catalog (inactive too) by name.
func (s *Store) AllCustomers(ctx context.Context) ([]sales.Customer, error) {
	cs, err := catalogsql.AllCustomers(ctx, s.db)
	return cs, mapErr("postgres.AllCustomers", s.name, err)
}
