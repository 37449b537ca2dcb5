// Package quotesql is the SQL of the quotes table (package quotes) that
// the SQLite and PostgreSQL stores share: the same statements, written
// with ? placeholders (the PostgreSQL store rewrites them), over whatever
// transaction or pool the store passes. Each store keeps its own
// transactions, and the PostgreSQL one its lock on a company's numbering.
// Instants are stored as the sales tables store them: UTC, fixed width
// (text order is time order on SQLite; timestamptz on PostgreSQL).
package quotesql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
)

// Execer runs statements in a transaction (*sql.Tx and the PostgreSQL
// store's Tx).
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Querier reads (*sql.DB and the PostgreSQL store's DB).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// CustomerIDs is the store's query selecting the ids of the customers a
// search text names, with its arguments ("" when text names none): the
// invoice list's customer search.
type CustomerIDs func(text string) (string, []any)

const timeFormat = "2006-01-02T15:04:05Z"

func timeText(t time.Time) string { return t.UTC().Format(timeFormat) }

// Save inserts q (ID 0, with the company's next number) or updates it
// while it is not facturada (Conflict otherwise). On PostgreSQL the
// caller holds the company's numbering lock.
func Save(ctx context.Context, tx Execer, q *quotes.Quote) error {
	doc, err := json.Marshal(q.Doc)
	if err != nil {
		return fmt.Errorf("encode quote: %w", err)
	}
	if q.ID == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM quotes WHERE issuer = ?`, q.Issuer).Scan(&q.Number); err != nil {
			return fmt.Errorf("next quote number: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO quotes (issuer, number, fecha, valid_until, status, customer_id, doc, notes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, q.Issuer, q.Number, timeText(q.Fecha), timeText(q.ValidUntil),
			string(q.Status), q.Doc.CustomerID, string(doc), q.Notes)
		if err != nil {
			return fmt.Errorf("insert quote: %w", err)
		}
		q.ID, err = res.LastInsertId()
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE quotes SET valid_until = ?, status = ?, customer_id = ?, doc = ?, notes = ?
		WHERE id = ? AND status <> 'facturada'`, timeText(q.ValidUntil), string(q.Status), q.Doc.CustomerID, string(doc), q.Notes, q.ID)
	if err != nil {
		return fmt.Errorf("update quote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.E(domain.Conflict, "save quote", "La cotización ya se facturó o no existe; no se puede cambiar.", nil)
	}
	return nil
}

// Link marks accepted quote id facturada with invoice draft invoiceID, in
// the transaction that stored the draft; a quote no longer accepted is a
// Conflict.
func Link(ctx context.Context, tx Execer, id, invoiceID int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE quotes SET status = 'facturada', invoice_id = ? WHERE id = ? AND status = 'aceptada'`, invoiceID, id)
	if err != nil {
		return fmt.Errorf("link quote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.E(domain.Conflict, "invoice quote", "La cotización ya se facturó o dejó de estar aceptada.", nil)
	}
	return nil
}

// KeepsDraft refuses to delete invoice draft id when a quote was invoiced
// into it (Facturar): the quote keeps the link to its invoice.
func KeepsDraft(ctx context.Context, tx Execer, id int64) error {
	var number int64
	err := tx.QueryRowContext(ctx, `SELECT number FROM quotes WHERE invoice_id = ?`, id).Scan(&number)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("quote of draft %d: %w", id, err)
	}
	return domain.E(domain.Conflict, "delete draft", fmt.Sprintf("Este borrador es la factura de la cotización %d y no se elimina; corríjalo y emítalo, o déjelo como borrador.", number), nil)
}

// columns reads a quote and, from its invoice, the "SERIE-FOLIO" it got
// when posted (quotes.Quote.InvoiceFolio).
const columns = `id, issuer, number, fecha, valid_until, status, doc, notes, coalesce(invoice_id, 0),
	coalesce((SELECT i.serie || '-' || i.folio FROM invoices i WHERE i.id = quotes.invoice_id AND i.folio IS NOT NULL), '')`

func scan(sc interface{ Scan(...any) error }) (quotes.Quote, error) {
	var (
		q             quotes.Quote
		f, v, st, doc string
	)
	if err := sc.Scan(&q.ID, &q.Issuer, &q.Number, &f, &v, &st, &doc, &q.Notes, &q.InvoiceID, &q.InvoiceFolio); err != nil {
		return q, err
	}
	var err error
	if q.Fecha, err = time.Parse(time.RFC3339, f); err != nil {
		return q, fmt.Errorf("quote %d fecha %q: %w", q.ID, f, err)
	}
	if q.ValidUntil, err = time.Parse(time.RFC3339, v); err != nil {
		return q, fmt.Errorf("quote %d valid_until %q: %w", q.ID, v, err)
	}
	q.Status = quotes.Status(st)
	if err := json.Unmarshal([]byte(doc), &q.Doc); err != nil {
		return q, fmt.Errorf("decode quote %d: %w", q.ID, err)
	}
	return q, nil
}

// Find returns quote id; NotFound if absent.
func Find(ctx context.Context, db Querier, id int64) (quotes.Quote, error) {
	q, err := scan(db.QueryRowContext(ctx, `SELECT `+columns+` FROM quotes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, domain.E(domain.NotFound, "find quote", "La cotización no existe.", err)
	}
	return q, err
}

// OfInvoice returns the quote invoice invoiceID was made from; found is
// false when none.
func OfInvoice(ctx context.Context, db Querier, invoiceID int64) (q quotes.Quote, found bool, err error) {
	q, err = scan(db.QueryRowContext(ctx, `SELECT `+columns+` FROM quotes WHERE invoice_id = ?`, invoiceID))
	if errors.Is(err, sql.ErrNoRows) {
		return q, false, nil
	}
	return q, err == nil, err
}

// FindAll returns a company's quotes, newest first.
func FindAll(ctx context.Context, db Querier, issuer string, limit int) ([]quotes.Quote, error) {
	return query(ctx, db, `SELECT `+columns+` FROM quotes WHERE issuer = ? ORDER BY fecha DESC, id DESC LIMIT ?`,
		issuer, pageLimit(limit))
}

// List returns one page of the quotes f selects, newest first. The derived
// status vencida is chosen in SQL the way Quote.StatusOn decides it: open
// or sent, with a validity day before f.Now's day in Mexico City. A search
// matches the customer's name words or RFC prefix (customerIDs, as the
// invoice list) or the quote's number.
func List(ctx context.Context, db Querier, f quotes.Filter, customerIDs CustomerIDs) ([]quotes.Quote, error) {
	where := []string{"issuer = ?"}
	args := []any{f.Issuer}
	today := timeText(quotes.Day(f.Now))
	switch f.Status {
	case "":
	case quotes.Expired:
		where = append(where, "status IN ('abierta', 'enviada') AND valid_until < ?")
		args = append(args, today)
	case quotes.Open, quotes.Sent:
		where = append(where, "status = ? AND valid_until >= ?")
		args = append(args, string(f.Status), today)
	default:
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if text := strings.TrimSpace(f.Search); text != "" {
		var or []string
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			or = append(or, "number = ?")
			args = append(args, n)
		}
		if cond, cargs := customerIDs(text); cond != "" {
			or = append(or, "customer_id IN ("+cond+")")
			args = append(args, cargs...)
		}
		if len(or) == 0 {
			return nil, nil
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if !f.From.IsZero() {
		where = append(where, "fecha >= ?")
		args = append(args, timeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "fecha < ?")
		args = append(args, timeText(f.To))
	}
	if f.After != nil {
		where = append(where, "(fecha < ? OR (fecha = ? AND id < ?))")
		fecha := timeText(f.After.Fecha)
		args = append(args, fecha, fecha, f.After.ID)
	}
	args = append(args, pageLimit(f.Limit))
	return query(ctx, db, `SELECT `+columns+` FROM quotes WHERE `+strings.Join(where, " AND ")+
		` ORDER BY fecha DESC, id DESC LIMIT ?`, args...)
}

func query(ctx context.Context, db Querier, q string, args ...any) ([]quotes.Quote, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list quotes: %w", err)
	}
	defer rows.Close()
	var out []quotes.Quote
	for rows.Next() {
		q, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// pageLimit is the rows a page holds: 50 unless 1 to 500 are asked for.
func pageLimit(n int) int {
	if n <= 0 || n > 500 {
		return 50
	}
	return n
}
