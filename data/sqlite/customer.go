package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/data/internal/catalogsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// querier is what the repository helpers need: a *sql.Tx or a *sql.DB.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// A customer's row (columns, insert, scan) is the PostgreSQL store's too
// (data/internal/catalogsql).
const customerColumns = catalogsql.CustomerColumns

func insertCustomer(ctx context.Context, q querier, c *sales.Customer) error {
	return catalogsql.InsertCustomer(ctx, q, c)
}

func updateCustomer(ctx context.Context, q querier, c *sales.Customer) error {
	res, err := q.ExecContext(ctx, `UPDATE customers SET rfc = ?, name = ?, regimen_fiscal = ?, codigo_postal = ?,
		uso_cfdi = ?, forma_pago = ?, metodo_pago = ?, emails = ?, credit_days = ?, credit_limit = ?,
		retencion_iva = ?, retencion_isr = ?, pais = ?, num_reg_id_trib = ?, notes = ?, active = ?, updated_at = ?
		WHERE id = ?`,
		c.RFC, c.Name, c.RegimenFiscal, c.CodigoPostal, c.UsoCFDI, c.FormaPago, c.MetodoPago,
		strings.Join(c.Emails, "\n"), c.CreditDays, c.CreditLimit.String(), c.RetencionIVA.String(),
		c.RetencionISR.String(), c.Pais, c.NumRegIdTrib, c.Notes, c.Active, salesTimeText(c.UpdatedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update customer %d: %w", c.ID, err)
	}
	return salesAffected(res, "update customer", "El cliente no existe.")
}

func findCustomer(ctx context.Context, q querier, id int64) (sales.Customer, error) {
	c, err := catalogsql.ScanCustomer(q.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return c, domain.E(domain.NotFound, "find customer", "El cliente no existe.", err)
	}
	if err != nil {
		return c, fmt.Errorf("find customer %d: %w", id, err)
	}
	return c, nil
}

// findCustomers runs a customer search. A query that looks like an RFC
// prefix uses the rfc index; any other text goes through the FTS4 index with
// every word as a prefix term, so "kemp urg" finds "ESCUELA KEMPER URGATE".
func findCustomers(ctx context.Context, q querier, f sales.CustomerFilter) ([]sales.Customer, error) {
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
		where = append(where, "c.active = 1")
	}
	from := "customers c"
	if match := ftsMatch(f.Query); match != "" {
		rfcish := strings.ToUpper(strings.TrimSpace(f.Query))
		if looksLikeRFC(rfcish) {
			// rfc >= prefix AND rfc < prefix+high rune: an index range scan.
			where = append(where, "(c.rfc >= ? AND c.rfc < ? OR c.id IN (SELECT docid FROM customers_fts WHERE customers_fts MATCH ?))")
			args = append(args, rfcish, rfcish+"\U0010FFFF", match)
		} else {
			where = append(where, "c.id IN (SELECT docid FROM customers_fts WHERE customers_fts MATCH ?)")
			args = append(args, match)
		}
	}
	query := `SELECT ` + prefixed("c.", customerColumns) + ` FROM ` + from
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?"
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find customers: %w", err)
	}
	defer rows.Close()
	var out []sales.Customer
	for rows.Next() {
		c, err := catalogsql.ScanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan customer: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ftsMatch turns user text into an FTS4 MATCH expression: every word,
// folded with sat.Words, becomes a prefix term, implicitly AND-ed. It
// returns "" when the text has no words. Quotes, operators and column
// filters typed by the user cannot reach the FTS parser.
func ftsMatch(text string) string {
	words := sat.Words(text)
	if len(words) == 0 {
		return ""
	}
	if len(words) > 8 {
		words = words[:8]
	}
	for i, w := range words {
		words[i] = w + "*"
	}
	return strings.Join(words, " ")
}

// looksLikeRFC reports whether s could be the beginning of an RFC: three or
// more characters, letters first, no spaces.
func looksLikeRFC(s string) bool {
	if len(s) < 3 || len(s) > 13 || strings.ContainsAny(s, " \t") {
		return false
	}
	for _, r := range s[:3] {
		if !(r >= 'A' && r <= 'Z' || r == '&' || r == 'Ñ') {
			return false
		}
	}
	return true
}

// prefixed qualifies every column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

var _ sales.CustomerStore = (*Store)(nil)

// CreateCustomer stores a new customer (already validated) and sets its ID
// and timestamps.
func (s *Store) CreateCustomer(ctx context.Context, c *sales.Customer) error {
	c.CreatedAt = s.Now()
	c.UpdatedAt = c.CreatedAt
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return insertCustomer(ctx, tx, c) })
}

// UpdateCustomer rewrites a customer; NotFound if its ID does not exist.
// Invoices already posted keep the receptor data they were sealed with.
func (s *Store) UpdateCustomer(ctx context.Context, c *sales.Customer) error {
	c.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return updateCustomer(ctx, tx, c) })
}

// SetCustomerActive activates or deactivates a customer (customers are never
// deleted: invoices refer to them).
func (s *Store) SetCustomerActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		return setActive(ctx, tx, "customers", id, active, salesTimeText(s.Now()))
	})
}

// FindCustomerByID returns one customer; NotFound if absent.
func (s *Store) FindCustomerByID(ctx context.Context, id int64) (sales.Customer, error) {
	return findCustomer(ctx, s.ReadDB(), id)
}

// FindCustomers searches customers by name words (FTS4, prefix, accent- and
// case-insensitive) or RFC prefix, ordered by name.
func (s *Store) FindCustomers(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, error) {
	return findCustomers(ctx, s.ReadDB(), f)
}
