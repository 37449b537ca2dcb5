package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// ProductCodes returns every product code in the catalog, upper-cased:
// what an import checks its codes against.
func (s *Store) ProductCodes(ctx context.Context) (map[string]bool, error) {
	return stringSet(ctx, s.ReadDB(), `SELECT upper(code) FROM products`)
}

// CustomerRFCs returns every customer RFC in the catalog.
func (s *Store) CustomerRFCs(ctx context.Context) (map[string]bool, error) {
	return stringSet(ctx, s.ReadDB(), `SELECT rfc FROM customers`)
}

func stringSet(ctx context.Context, q querier, query string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// ImportProducts stores ps (validated by catalogio.PlanProducts) in one
// transaction: all of them or, on any failure (a code taken meanwhile),
// none. The insert is prepared once for the whole batch.
func (s *Store) ImportProducts(ctx context.Context, ps []sales.Product) error {
	now := s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertProductSQL)
		if err != nil {
			return fmt.Errorf("prepare product insert: %w", err)
		}
		defer stmt.Close()
		for i := range ps {
			p := &ps[i]
			p.CreatedAt, p.UpdatedAt = now, now
			res, err := stmt.ExecContext(ctx, productArgs(p)...)
			if isUniqueViolation(err) {
				return domain.E(domain.Conflict, "import products", fmt.Sprintf("El código %s ya existe; no se importó ningún producto.", p.Code), err)
			}
			if err != nil {
				return fmt.Errorf("import product %s: %w", p.Code, err)
			}
			if p.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportCustomers stores cs (validated by catalogio.PlanCustomers) in one
// transaction: all of them or none.
func (s *Store) ImportCustomers(ctx context.Context, cs []sales.Customer) error {
	now := s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		for i := range cs {
			cs[i].CreatedAt, cs[i].UpdatedAt = now, now
			if err := insertCustomer(ctx, tx, &cs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// AllProducts returns the whole products catalog (inactive too) by code:
// what an export writes.
func (s *Store) AllProducts(ctx context.Context) ([]sales.Product, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+productColumns+` FROM products ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("all products: %w", err)
	}
	defer rows.Close()
	var out []sales.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("scan product: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AllCustomers returns the whole customers catalog (inactive too) by name.
func (s *Store) AllCustomers(ctx context.Context) ([]sales.Customer, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+customerColumns+` FROM customers ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("all customers: %w", err)
	}
	defer rows.Close()
	var out []sales.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan customer: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
