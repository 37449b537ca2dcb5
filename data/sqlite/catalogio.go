package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

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

// importBatch is the rows of one multi-row INSERT of an import: 19 values
// a product, well under SQLite's 32,766 variables.
const importBatch = 500

// ImportProducts stores ps (validated by catalogio.PlanProducts) in one
// transaction: all of them or, on any failure (a code taken meanwhile),
// none. Rows go in multi-row INSERTs of importBatch: each statement makes
// the FTS4 index of products flush its pending terms (fts3 syncs at every
// statement savepoint), so one statement per row spent ~85% of a 50,000
// product import writing tiny index segments. IDs come back through
// RETURNING, matched by code (unique).
func (s *Store) ImportProducts(ctx context.Context, ps []sales.Product) error {
	now := s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		for start := 0; start < len(ps); start += importBatch {
			chunk := ps[start:min(start+importBatch, len(ps))]
			var stmt *sql.Stmt
			var err error
			if len(chunk) == importBatch && full != nil {
				stmt = full
			} else {
				if stmt, err = tx.PrepareContext(ctx, insertProductsSQL(len(chunk))); err != nil {
					return fmt.Errorf("prepare product insert: %w", err)
				}
				if len(chunk) == importBatch {
					full = stmt
				} else {
					defer stmt.Close()
				}
			}
			if err := insertProductChunk(ctx, tx, stmt, chunk, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertProductsSQL is insertProductSQL with n rows of values, returning
// each new row's id and code.
func insertProductsSQL(n int) string {
	_, values, _ := strings.Cut(insertProductSQL, "VALUES ")
	return insertProductSQL + strings.Repeat(", "+values, n-1) + " RETURNING id, code"
}

// insertProductChunk inserts chunk with stmt (insertProductsSQL of its
// length) and sets each product's ID. On a UNIQUE violation it names the
// code taken: the failed statement left nothing, so the rows are tried one
// by one until the taken one is found.
func insertProductChunk(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, chunk []sales.Product, now time.Time) error {
	args := make([]any, 0, 19*len(chunk))
	for i := range chunk {
		chunk[i].CreatedAt, chunk[i].UpdatedAt = now, now
		args = append(args, productArgs(&chunk[i])...)
	}
	ids := make(map[string]int64, len(chunk))
	rows, err := stmt.QueryContext(ctx, args...)
	if err == nil {
		for rows.Next() {
			var id int64
			var code string
			if err = rows.Scan(&id, &code); err != nil {
				break
			}
			ids[code] = id
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
	}
	if isUniqueViolation(err) {
		for i := range chunk {
			if e := insertProduct(ctx, tx, &chunk[i]); domain.KindOf(e) == domain.Conflict {
				return domain.E(domain.Conflict, "import products", fmt.Sprintf("El código %s ya existe; no se importó ningún producto.", chunk[i].Code), err)
			}
		}
		return domain.E(domain.Conflict, "import products", "Un código del archivo ya existe; no se importó ningún producto.", err)
	}
	if err != nil {
		return fmt.Errorf("import products: %w", err)
	}
	for i := range chunk {
		id, ok := ids[chunk[i].Code]
		if !ok {
			return fmt.Errorf("import product %s: no id returned", chunk[i].Code)
		}
		chunk[i].ID = id
	}
	return nil
}

// ImportCustomers stores cs (validated by catalogio.PlanCustomers) in one
// transaction: all of them or none. An RFC that is not generic (público
// en general, extranjero: sales.Customer says which) and was stored since
// the plan — another workstation — refuses the whole import, as a code
// taken meanwhile does for products: customers.rfc is not UNIQUE, so the
// check is made here, inside the transaction.
func (s *Store) ImportCustomers(ctx context.Context, cs []sales.Customer) error {
	now := s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		taken, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM customers WHERE rfc = ?)`)
		if err != nil {
			return fmt.Errorf("prepare customer check: %w", err)
		}
		defer taken.Close()
		for i := range cs {
			c := &cs[i]
			if !c.IsPublicoGeneral() && !c.IsForeign() {
				var exists bool
				if err := taken.QueryRowContext(ctx, c.RFC).Scan(&exists); err != nil {
					return fmt.Errorf("check customer %s: %w", c.RFC, err)
				}
				if exists {
					return domain.E(domain.Conflict, "import customers", fmt.Sprintf("Ya existe un cliente con el RFC %s; no se importó ningún cliente.", c.RFC), nil)
				}
			}
			c.CreatedAt, c.UpdatedAt = now, now
			if err := insertCustomer(ctx, tx, c); err != nil {
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
