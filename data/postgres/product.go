package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/data/internal/catalogsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// A product's row (columns, insert, update, scan) is the SQLite store's
// too (data/internal/catalogsql).
const productColumns = catalogsql.ProductColumns

func insertProduct(ctx context.Context, q querier, p *sales.Product) error {
	return catalogsql.InsertProduct(ctx, q, p, isUniqueViolation)
}

func updateProduct(ctx context.Context, q querier, p *sales.Product) error {
	return catalogsql.UpdateProduct(ctx, q, p, isUniqueViolation)
}

func scanProduct(sc interface{ Scan(...any) error }) (sales.Product, error) {
	return catalogsql.ScanProduct(sc)
}

func findProduct(ctx context.Context, q querier, id int64) (sales.Product, error) {
	p, err := scanProduct(q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return p, domain.E(domain.NotFound, "find product", "El producto no existe.", err)
	}
	if err != nil {
		return p, fmt.Errorf("find product %d: %w", id, err)
	}
	return p, nil
}

func findProducts(ctx context.Context, q querier, f sales.ProductFilter) ([]sales.Product, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var (
		where []string
		args  []any
	)
	if !f.IncludeInactive {
		where = append(where, "active")
	}
	if hasWords(f.Query) {
		cond, wargs := matchWords("search", f.Query)
		where = append(where, "(code = ? OR "+cond+")")
		args = append(append(args, strings.TrimSpace(f.Query)), wargs...)
	}
	query := `SELECT ` + productColumns + ` FROM products`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY lower(description), id LIMIT ?"
	if f.All {
		args = append(args, nil) // LIMIT NULL: no limit
	} else {
		args = append(args, limit)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
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

func setActive(ctx context.Context, q querier, table string, id int64, active bool, now string) error {
	// table is one of two literals chosen by the callers below.
	res, err := q.ExecContext(ctx, `UPDATE `+table+` SET active = ?, updated_at = ? WHERE id = ?`, active, now, id)
	if err != nil {
		return fmt.Errorf("set %s %d active: %w", table, id, err)
	}
	return salesAffected(res, "set active", "El registro no existe.")
}

var _ sales.ProductStore = (*Store)(nil)

// CreateProduct stores a new product (already validated); a duplicate code
// is a Conflict.
func (s *Store) CreateProduct(ctx context.Context, p *sales.Product) error {
	p.CreatedAt = s.Now()
	p.UpdatedAt = p.CreatedAt
	return s.WriteTx(ctx, func(tx *Tx) error { return insertProduct(ctx, tx, p) })
}

// UpdateProduct rewrites a product; NotFound if absent, Conflict if its new
// code is taken. Invoice lines keep the values they were created with.
func (s *Store) UpdateProduct(ctx context.Context, p *sales.Product) error {
	p.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *Tx) error { return updateProduct(ctx, tx, p) })
}

// SetProductActive activates or deactivates a product.
func (s *Store) SetProductActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		return setActive(ctx, tx, "products", id, active, salesTimeText(s.Now()))
	})
}

// FindProductByID returns one product; NotFound if absent.
func (s *Store) FindProductByID(ctx context.Context, id int64) (sales.Product, error) {
	return findProduct(ctx, s.ReadDB(), id)
}

// FindProducts searches products by exact code or words of code and
// description, ordered by description.
func (s *Store) FindProducts(ctx context.Context, f sales.ProductFilter) ([]sales.Product, error) {
	return findProducts(ctx, s.ReadDB(), f)
}
