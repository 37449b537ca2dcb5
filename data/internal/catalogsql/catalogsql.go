// Package catalogsql is the SQL of the customers and products catalogs
// that the SQLite and PostgreSQL stores share: a row of each (columns,
// insert, scan) and the catalogs' import and export (package catalogio).
// Statements use ? placeholders (the PostgreSQL store rewrites them) and
// RETURNING for new ids; each store keeps its transactions, its search
// (SQLite's FTS4 tables filled by triggers, PostgreSQL's generated search
// columns: both follow every insert) and its driver's errors. Decimals are
// written as text and instants as UTC RFC 3339 text, which PostgreSQL
// reads into its NUMERIC and timestamptz columns; both read back as text.
package catalogsql

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// Execer runs statements in a transaction (*sql.Tx and the PostgreSQL
// store's Tx).
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Querier reads (*sql.DB, the PostgreSQL store's DB, or a transaction).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const timeFormat = "2006-01-02T15:04:05Z"

func timeText(t time.Time) string { return t.UTC().Format(timeFormat) }

// scanner parses stored text into decimals and times, keeping the first
// error so a row is checked once.
type scanner struct{ err error }

func (s *scanner) dec(text string) decimal.Decimal {
	d, err := decimal.NewFromString(text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored decimal %q: %w", text, err)
	}
	return d
}

// time reads SQLite's text as written, and PostgreSQL's timestamptz as
// database/sql writes it (RFC 3339 with nanoseconds).
func (s *scanner) time(text string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored time %q: %w", text, err)
	}
	return t.UTC()
}

// ProductColumns are the columns ScanProduct reads, in its order.
const ProductColumns = `id, code, description, unit, clave_prod_serv, clave_unidad, price, iva_exento, iva_tasa,
	ieps_factor, ieps_valor, ret_iva, ret_isr, objeto_imp, track_stock, active, created_at, updated_at, sell_without_stock, min_stock`

const insertProduct = `INSERT INTO products (code, description, unit, clave_prod_serv, clave_unidad,
		price, iva_exento, iva_tasa, ieps_factor, ieps_valor, ret_iva, ret_isr, objeto_imp, track_stock, active,
		created_at, updated_at, sell_without_stock, min_stock) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// productValues is the number of values a product row takes.
const productValues = 19

// productArgs are the values of insertProduct for p.
func productArgs(p *sales.Product) []any {
	t := p.Taxes
	return []any{p.Code, p.Description, p.Unit, p.ClaveProdServ, p.ClaveUnidad, p.Price.String(), t.IVAExento,
		t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String(),
		p.ObjetoImp, p.TrackStock, p.Active, timeText(p.CreatedAt), timeText(p.UpdatedAt), p.SellWithoutStock,
		p.MinStock.String()}
}

// DuplicateProduct is the Conflict of a product code already taken.
func DuplicateProduct(err error) error {
	return domain.E(domain.Conflict, "save product", "Ya existe un producto con ese código.", err)
}

// InsertProduct stores p and sets its ID; a code already taken is
// DuplicateProduct (isUnique recognises the driver's UNIQUE violation).
func InsertProduct(ctx context.Context, tx Execer, p *sales.Product, isUnique func(error) bool) error {
	err := tx.QueryRowContext(ctx, insertProduct+` RETURNING id`, productArgs(p)...).Scan(&p.ID)
	if err != nil && isUnique(err) {
		return DuplicateProduct(err)
	}
	if err != nil {
		return fmt.Errorf("insert product: %w", err)
	}
	return nil
}

// UpdateProduct rewrites product p (found by its ID); a code already
// taken is DuplicateProduct, a product that does not exist NotFound.
func UpdateProduct(ctx context.Context, tx Execer, p *sales.Product, isUnique func(error) bool) error {
	t := p.Taxes
	res, err := tx.ExecContext(ctx, `UPDATE products SET code = ?, description = ?, unit = ?, clave_prod_serv = ?,
		clave_unidad = ?, price = ?, iva_exento = ?, iva_tasa = ?, ieps_factor = ?, ieps_valor = ?, ret_iva = ?,
		ret_isr = ?, objeto_imp = ?, track_stock = ?, active = ?, updated_at = ?, sell_without_stock = ?, min_stock = ? WHERE id = ?`,
		p.Code, p.Description, p.Unit, p.ClaveProdServ, p.ClaveUnidad, p.Price.String(), t.IVAExento,
		t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String(),
		p.ObjetoImp, p.TrackStock, p.Active, timeText(p.UpdatedAt), p.SellWithoutStock, p.MinStock.String(), p.ID)
	if err != nil && isUnique(err) {
		return DuplicateProduct(err)
	}
	if err != nil {
		return fmt.Errorf("update product %d: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return domain.E(domain.NotFound, "update product", "El producto no existe.", nil)
	}
	return nil
}

// ScanProduct reads ProductColumns.
func ScanProduct(sc interface{ Scan(...any) error }) (sales.Product, error) {
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
	var s scanner
	p.Price = s.dec(price)
	p.Taxes.IVATasa = s.dec(iva)
	p.Taxes.IEPSValor = s.dec(ieps)
	p.Taxes.RetIVA = s.dec(retIVA)
	p.Taxes.RetISR = s.dec(retISR)
	p.CreatedAt = s.time(ca)
	p.UpdatedAt = s.time(ua)
	p.MinStock = s.dec(min)
	return p, s.err
}

// CustomerColumns are the columns ScanCustomer reads, in its order.
const CustomerColumns = `id, rfc, name, regimen_fiscal, codigo_postal, uso_cfdi, forma_pago, metodo_pago,
	emails, credit_days, credit_limit, retencion_iva, retencion_isr, pais, num_reg_id_trib, notes, active,
	created_at, updated_at`

// InsertCustomer stores c and sets its ID.
func InsertCustomer(ctx context.Context, tx Execer, c *sales.Customer) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO customers (rfc, name, regimen_fiscal, codigo_postal, uso_cfdi,
		forma_pago, metodo_pago, emails, credit_days, credit_limit, retencion_iva, retencion_isr, pais,
		num_reg_id_trib, notes, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.RFC, c.Name, c.RegimenFiscal, c.CodigoPostal, c.UsoCFDI, c.FormaPago, c.MetodoPago,
		strings.Join(c.Emails, "\n"), c.CreditDays, c.CreditLimit.String(), c.RetencionIVA.String(),
		c.RetencionISR.String(), c.Pais, c.NumRegIdTrib, c.Notes, c.Active,
		timeText(c.CreatedAt), timeText(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert customer: %w", err)
	}
	return nil
}

// ScanCustomer reads CustomerColumns.
func ScanCustomer(sc interface{ Scan(...any) error }) (sales.Customer, error) {
	var (
		c                                     sales.Customer
		emails, limit, retIVA, retISR, ca, ua string
	)
	err := sc.Scan(&c.ID, &c.RFC, &c.Name, &c.RegimenFiscal, &c.CodigoPostal, &c.UsoCFDI, &c.FormaPago,
		&c.MetodoPago, &emails, &c.CreditDays, &limit, &retIVA, &retISR, &c.Pais, &c.NumRegIdTrib, &c.Notes,
		&c.Active, &ca, &ua)
	if err != nil {
		return c, err
	}
	if emails != "" {
		c.Emails = strings.Split(emails, "\n")
	}
	var s scanner
	c.CreditLimit = s.dec(limit)
	c.RetencionIVA = s.dec(retIVA)
	c.RetencionISR = s.dec(retISR)
	c.CreatedAt = s.time(ca)
	c.UpdatedAt = s.time(ua)
	return c, s.err
}

// ProductCodes returns every product code in the catalog, upper-cased as
// the import's plan compares them (strings.ToUpper, the same on both
// databases).
func ProductCodes(ctx context.Context, db Querier) (map[string]bool, error) {
	codes, err := stringSet(ctx, db, `SELECT code FROM products`)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(codes))
	for c := range codes {
		out[strings.ToUpper(c)] = true
	}
	return out, nil
}

// CustomerRFCs returns every customer RFC in the catalog.
func CustomerRFCs(ctx context.Context, db Querier) (map[string]bool, error) {
	return stringSet(ctx, db, `SELECT rfc FROM customers`)
}

func stringSet(ctx context.Context, db Querier, query string, args ...any) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, query, args...)
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

// ImportBatch is the rows of one multi-row INSERT of an import: 19 values
// a product, well under SQLite's 32,766 variables and PostgreSQL's 65,535
// parameters. One statement per row made SQLite's FTS4 index of products
// flush its pending terms at every statement (~85% of a 50,000 product
// import), and costs PostgreSQL a round trip per row.
const ImportBatch = 500

// ImportProducts stores ps (validated by catalogio.PlanProducts) in tx,
// with created and updated at now, in multi-row INSERTs of ImportBatch,
// and sets their IDs. A code already taken (another user, since the plan)
// inserts nothing of its row (ON CONFLICT DO NOTHING, so PostgreSQL's
// transaction stays usable) and refuses the import naming the code: the
// caller rolls the transaction back, so it is all or none.
func ImportProducts(ctx context.Context, tx Execer, ps []sales.Product, now time.Time) error {
	_, values, _ := strings.Cut(insertProduct, "VALUES ")
	full := ""
	for start := 0; start < len(ps); start += ImportBatch {
		chunk := ps[start:min(start+ImportBatch, len(ps))]
		q := full
		if len(chunk) != ImportBatch || q == "" {
			q = insertProduct + strings.Repeat(", "+values, len(chunk)-1) + " ON CONFLICT (code) DO NOTHING RETURNING id, code"
			if len(chunk) == ImportBatch {
				full = q
			}
		}
		if err := insertProducts(ctx, tx, q, chunk, now); err != nil {
			return err
		}
	}
	return nil
}

// insertProducts inserts chunk with q and sets each product's ID.
func insertProducts(ctx context.Context, tx Execer, q string, chunk []sales.Product, now time.Time) error {
	args := make([]any, 0, productValues*len(chunk))
	for i := range chunk {
		chunk[i].CreatedAt, chunk[i].UpdatedAt = now, now
		args = append(args, productArgs(&chunk[i])...)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("import products: %w", err)
	}
	defer rows.Close()
	ids := make(map[string]int64, len(chunk))
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return fmt.Errorf("import products: %w", err)
		}
		ids[code] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import products: %w", err)
	}
	for i := range chunk {
		id, ok := ids[chunk[i].Code]
		if !ok {
			return domain.E(domain.Conflict, "import products", fmt.Sprintf("El código %s ya existe; no se importó ningún producto.", chunk[i].Code), nil)
		}
		chunk[i].ID = id
	}
	return nil
}

// ImportCustomers stores cs (validated by catalogio.PlanCustomers) in tx,
// with created and updated at now, and sets their IDs. An RFC that is not
// generic (público en general, extranjero: sales.Customer says which) and
// is stored already (another user, since the plan) refuses the import
// naming the first such RFC of cs: customers.rfc is not UNIQUE, so the
// check is made here, inside the transaction (on PostgreSQL the caller
// serialises imports, so two at once cannot both pass it).
func ImportCustomers(ctx context.Context, tx Execer, cs []sales.Customer, now time.Time) error {
	var rfcs []any
	for i := range cs {
		if !cs[i].IsPublicoGeneral() && !cs[i].IsForeign() {
			rfcs = append(rfcs, cs[i].RFC)
		}
	}
	taken := map[string]bool{}
	for start := 0; start < len(rfcs); start += ImportBatch {
		part := rfcs[start:min(start+ImportBatch, len(rfcs))]
		found, err := stringSet(ctx, tx, `SELECT rfc FROM customers WHERE rfc IN (?`+strings.Repeat(", ?", len(part)-1)+`)`, part...)
		if err != nil {
			return fmt.Errorf("check customers: %w", err)
		}
		for r := range found {
			taken[r] = true
		}
	}
	for i := range cs {
		c := &cs[i]
		if taken[c.RFC] && !c.IsPublicoGeneral() && !c.IsForeign() {
			return domain.E(domain.Conflict, "import customers", fmt.Sprintf("Ya existe un cliente con el RFC %s; no se importó ningún cliente.", c.RFC), nil)
		}
	}
	for i := range cs {
		c := &cs[i]
		c.CreatedAt, c.UpdatedAt = now, now
		if err := InsertCustomer(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// AllProducts returns the whole products catalog (inactive too) by code
// in byte order: what an export writes. The order is made here, the same
// on both databases (their text collations differ).
func AllProducts(ctx context.Context, db Querier) ([]sales.Product, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+ProductColumns+` FROM products`)
	if err != nil {
		return nil, fmt.Errorf("all products: %w", err)
	}
	defer rows.Close()
	var out []sales.Product
	for rows.Next() {
		p, err := ScanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("scan product: %w", err)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, rows.Err()
}

// AllCustomers returns the whole customers catalog (inactive too) by name,
// A to Z folded to a to z only (SQLite's NOCASE), then by id.
func AllCustomers(ctx context.Context, db Querier) ([]sales.Customer, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+CustomerColumns+` FROM customers`)
	if err != nil {
		return nil, fmt.Errorf("all customers: %w", err)
	}
	defer rows.Close()
	var out []sales.Customer
	var keys []string // nocase of each name, made once
	for rows.Next() {
		c, err := ScanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan customer: %w", err)
		}
		out, keys = append(out, c), append(keys, nocase(c.Name))
	}
	sort.Sort(byName{out, keys})
	return out, rows.Err()
}

// byName orders customers by their nocase key, then by id.
type byName struct {
	cs   []sales.Customer
	keys []string
}

func (b byName) Len() int { return len(b.cs) }
func (b byName) Less(i, j int) bool {
	if b.keys[i] != b.keys[j] {
		return b.keys[i] < b.keys[j]
	}
	return b.cs[i].ID < b.cs[j].ID
}
func (b byName) Swap(i, j int) {
	b.cs[i], b.cs[j] = b.cs[j], b.cs[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

// nocase folds ASCII upper case to lower case and leaves every other byte.
func nocase(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
