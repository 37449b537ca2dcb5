package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/data/internal/catalogsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// A product's row (columns, insert, scan) is the PostgreSQL store's too
// (data/internal/catalogsql).
const productColumns = catalogsql.ProductColumns

func insertProduct(ctx context.Context, q querier, p *sales.Product) error {
	return catalogsql.InsertProduct(ctx, q, p, isUniqueViolation)
}

func updateProduct(ctx context.Context, q querier, p *sales.Product) error {
	return catalogsql.UpdateProduct(ctx, q, p, isUniqueViolation)
}

func findProduct(ctx context.Context, q querier, id int64) (sales.Product, error) {
	p, err := catalogsql.ScanProduct(q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products WHERE id = ?`, id))
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
	if f.All {
		limit = -1 // SQLite: no limit
	}
	var (
		where []string
		args  []any
	)
	if !f.IncludeInactive {
		where = append(where, "active = 1")
	}
	if match := ftsMatch(f.Query); match != "" {
		where = append(where, "(code = ? OR id IN (SELECT docid FROM products_fts WHERE products_fts MATCH ?))")
		args = append(args, strings.TrimSpace(f.Query), match)
	}
	query := `SELECT ` + productColumns + ` FROM products`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY description COLLATE NOCASE, id LIMIT ?"
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	defer rows.Close()
	var out []sales.Product
	for rows.Next() {
		p, err := catalogsql.ScanProduct(rows)
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
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return insertProduct(ctx, tx, p) })
}

// UpdateProduct rewrites a product; NotFound if absent, Conflict if its new
// code is taken. Invoice lines keep the values they were created with.
func (s *Store) UpdateProduct(ctx context.Context, p *sales.Product) error {
	p.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return updateProduct(ctx, tx, p) })
}

// SetProductActive activates or deactivates a product.
func (s *Store) SetProductActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
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
