package postgres

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

// A customer's row (columns, insert, scan) is the SQLite store's
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
// prefix uses the rfc index; any other text goes through the trigram index with
// every word as a prefix term, so "kemp urg" finds "ESCUELA KEMPER URGATE".
func findCustomers(ctx context.Context, q querier, f sales.CustomerFilter) ([]sales.Customer, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var (
		where []string
		args  []any
	)
	if !f.IncludeInactive {
		where = append(where, "c.active")
	}
	from := "customers c"
	if hasWords(f.Query) {
		rfcish := strings.ToUpper(strings.TrimSpace(f.Query))
		if looksLikeRFC(rfcish) {
			// rfc >= prefix AND rfc < prefix+high rune: an index range scan.
			cond, wargs := matchWords("c.search", f.Query)
			where = append(where, "(c.rfc >= ? AND c.rfc < ? OR "+cond+")")
			args = append(append(args, rfcish, rfcish+"\U0010FFFF"), wargs...)
		} else {
			cond, wargs := matchWords("c.search", f.Query)
			where = append(where, cond)
			args = append(args, wargs...)
		}
	}
	query := `SELECT ` + prefixed("c.", customerColumns) + ` FROM ` + from
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY lower(c.name), c.id LIMIT ?"
	if f.All {
		args = append(args, nil) // LIMIT NULL: no limit
	} else {
		args = append(args, limit)
	}
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

// hasWords reports whether text has a word to search for (sat.Words).
func hasWords(text string) bool { return len(sat.Words(text)) > 0 }

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
	return s.WriteTx(ctx, func(tx *Tx) error { return insertCustomer(ctx, tx, c) })
}

// UpdateCustomer rewrites a customer; NotFound if its ID does not exist.
// Invoices already posted keep the receptor data they were sealed with.
func (s *Store) UpdateCustomer(ctx context.Context, c *sales.Customer) error {
	c.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *Tx) error { return updateCustomer(ctx, tx, c) })
}

// SetCustomerActive activates or deactivates a customer (customers are never
// deleted: invoices refer to them).
func (s *Store) SetCustomerActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		return setActive(ctx, tx, "customers", id, active, salesTimeText(s.Now()))
	})
}

// FindCustomerByID returns one customer; NotFound if absent.
func (s *Store) FindCustomerByID(ctx context.Context, id int64) (sales.Customer, error) {
	return findCustomer(ctx, s.ReadDB(), id)
}

// FindCustomers searches customers by name words (trigram, prefix, accent- and
// case-insensitive) or RFC prefix, ordered by name.
func (s *Store) FindCustomers(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, error) {
	return findCustomers(ctx, s.ReadDB(), f)
}

// matchWords is the condition that every word of text (folded with
// sat.Words, at most 8) begins a word of col, a column folded by the
// schema's folio_fold (lower case, no accents, one space before each
// word): the accent- and case-insensitive prefix search of the SQLite
// store's FTS4 tables, served by a trigram index.
func matchWords(col, text string) (string, []any) {
	words := sat.Words(text)
	if len(words) > 8 {
		words = words[:8]
	}
	var conds []string
	var args []any
	for _, w := range words {
		conds = append(conds, col+" LIKE ?")
		args = append(args, "% "+likeEscape(foldWord(w))+"%")
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return "(" + strings.Join(conds, " AND ") + ")", args
}

// foldWord folds a word the way folio_fold folds the column: lower case
// and without accents (unaccent also turns ñ into n).
func foldWord(w string) string {
	w = strings.ToLower(w)
	return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n", "à", "a", "è", "e", "ì", "i", "ò", "o", "ù", "u").Replace(w)
}

// likeEscape escapes LIKE's wildcards and escape character.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
