package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

const productColumns = `id, code, description, unit, clave_prod_serv, clave_unidad, price, iva_exento, iva_tasa,
	ieps_factor, ieps_valor, ret_iva, ret_isr, objeto_imp, track_stock, active, created_at, updated_at, sell_without_stock,
	min_stock`

func insertProduct(ctx context.Context, q querier, p *sales.Product) error {
	t := p.Taxes
	res, err := q.ExecContext(ctx, `INSERT INTO products (code, description, unit, clave_prod_serv, clave_unidad,
		price, iva_exento, iva_tasa, ieps_factor, ieps_valor, ret_iva, ret_isr, objeto_imp, track_stock, active,
		created_at, updated_at, sell_without_stock, min_stock) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Code, p.Description, p.Unit, p.ClaveProdServ, p.ClaveUnidad, p.Price.String(), t.IVAExento,
		t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String(),
		p.ObjetoImp, p.TrackStock, p.Active, salesTimeText(p.CreatedAt), salesTimeText(p.UpdatedAt), p.SellWithoutStock,
		p.MinStock.String())
	if isUniqueViolation(err) {
		return duplicateProduct(err)
	}
	if err != nil {
		return fmt.Errorf("insert product: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

func duplicateProduct(err error) error {
	return domain.E(domain.Conflict, "save product", "Ya existe un producto con ese código.", err)
}

func updateProduct(ctx context.Context, q querier, p *sales.Product) error {
	t := p.Taxes
	res, err := q.ExecContext(ctx, `UPDATE products SET code = ?, description = ?, unit = ?, clave_prod_serv = ?,
		clave_unidad = ?, price = ?, iva_exento = ?, iva_tasa = ?, ieps_factor = ?, ieps_valor = ?, ret_iva = ?,
		ret_isr = ?, objeto_imp = ?, track_stock = ?, active = ?, updated_at = ?, sell_without_stock = ?, min_stock = ? WHERE id = ?`,
		p.Code, p.Description, p.Unit, p.ClaveProdServ, p.ClaveUnidad, p.Price.String(), t.IVAExento,
		t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String(),
		p.ObjetoImp, p.TrackStock, p.Active, salesTimeText(p.UpdatedAt), p.SellWithoutStock, p.MinStock.String(), p.ID)
	if isUniqueViolation(err) {
		return duplicateProduct(err)
	}
	if err != nil {
		return fmt.Errorf("update product %d: %w", p.ID, err)
	}
	return salesAffected(res, "update product", "El producto no existe.")
}

func scanProduct(sc interface{ Scan(...any) error }) (sales.Product, error) {
	var (
		p                                             sales.Product
		price, iva, ieps, retIVA, retISR, ca, ua, min string
	)
	err := sc.Scan(&p.ID, &p.Code, &p.Description, &p.Unit, &p.ClaveProdServ, &p.ClaveUnidad, &price,
		&p.Taxes.IVAExento, &iva, &p.Taxes.IEPSFactor, &ieps, &retIVA, &retISR, &p.ObjetoImp, &p.TrackStock,
		&p.Active, &ca, &ua, &p.SellWithoutStock, &min)
	if err != nil {
		return p, err
	}
	var s salesScan
	p.Price = s.parse(price)
	p.Taxes.IVATasa = s.parse(iva)
	p.Taxes.IEPSValor = s.parse(ieps)
	p.Taxes.RetIVA = s.parse(retIVA)
	p.Taxes.RetISR = s.parse(retISR)
	p.CreatedAt = s.time(ca)
	p.UpdatedAt = s.time(ua)
	p.MinStock = s.parse(min)
	return p, s.err
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
