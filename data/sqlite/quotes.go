package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

var _ quotes.Store = (*Store)(nil)

// SaveQuote inserts (ID 0, with the company's next number) or updates a quote.
func (s *Store) SaveQuote(ctx context.Context, q *quotes.Quote) error {
	doc, err := json.Marshal(q.Doc)
	if err != nil {
		return fmt.Errorf("encode quote: %w", err)
	}
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		if q.ID == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM quotes WHERE issuer = ?`, q.Issuer).Scan(&q.Number); err != nil {
				return fmt.Errorf("next quote number: %w", err)
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO quotes (issuer, number, fecha, valid_until, status, customer_id, doc, notes)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, q.Issuer, q.Number, salesTimeText(q.Fecha), salesTimeText(q.ValidUntil),
				string(q.Status), q.Doc.CustomerID, string(doc), q.Notes)
			if err != nil {
				return fmt.Errorf("insert quote: %w", err)
			}
			q.ID, err = res.LastInsertId()
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE quotes SET valid_until = ?, status = ?, customer_id = ?, doc = ?, notes = ?
			WHERE id = ? AND status <> 'facturada'`, salesTimeText(q.ValidUntil), string(q.Status), q.Doc.CustomerID, string(doc), q.Notes, q.ID)
		if err != nil {
			return fmt.Errorf("update quote: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.E(domain.Conflict, "save quote", "La cotización ya se facturó o no existe; no se puede cambiar.", nil)
		}
		return nil
	})
}

// quoteColumns reads a quote and, from its invoice, the "SERIE-FOLIO" it
// got when posted (quotes.Quote.InvoiceFolio).
const quoteColumns = `id, issuer, number, fecha, valid_until, status, doc, notes, coalesce(invoice_id, 0),
	coalesce((SELECT i.serie || '-' || i.folio FROM invoices i WHERE i.id = quotes.invoice_id AND i.folio IS NOT NULL), '')`

func scanQuote(sc interface{ Scan(...any) error }) (quotes.Quote, error) {
	var (
		q             quotes.Quote
		f, v, st, doc string
	)
	if err := sc.Scan(&q.ID, &q.Issuer, &q.Number, &f, &v, &st, &doc, &q.Notes, &q.InvoiceID, &q.InvoiceFolio); err != nil {
		return q, err
	}
	var s salesScan
	q.Fecha, q.ValidUntil, q.Status = s.time(f), s.time(v), quotes.Status(st)
	if err := json.Unmarshal([]byte(doc), &q.Doc); err != nil {
		return q, fmt.Errorf("decode quote %d: %w", q.ID, err)
	}
	return q, s.err
}

// FindQuote returns a quote; NotFound if absent.
func (s *Store) FindQuote(ctx context.Context, id int64) (quotes.Quote, error) {
	q, err := scanQuote(s.ReadDB().QueryRowContext(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, domain.E(domain.NotFound, "find quote", "La cotización no existe.", err)
	}
	return q, err
}

// FindQuotes returns a company's quotes, newest first.
func (s *Store) FindQuotes(ctx context.Context, issuer string, limit int) ([]quotes.Quote, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE issuer = ? ORDER BY fecha DESC, id DESC LIMIT ?`,
		issuer, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("find quotes: %w", err)
	}
	defer rows.Close()
	var out []quotes.Quote
	for rows.Next() {
		q, err := scanQuote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// InvoiceQuote stores draft and marks the accepted quote id facturada with
// its link, in one transaction.
func (s *Store) InvoiceQuote(ctx context.Context, id int64, draft *sales.Invoice) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		draft.CreatedAt, draft.UpdatedAt = s.Now(), s.Now()
		if err := insertInvoice(ctx, tx, draft); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE quotes SET status = 'facturada', invoice_id = ? WHERE id = ? AND status = 'aceptada'`, draft.ID, id)
		if err != nil {
			return fmt.Errorf("link quote: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.E(domain.Conflict, "invoice quote", "La cotización ya se facturó o dejó de estar aceptada.", nil)
		}
		return nil
	})
}

// QuoteOfInvoice returns the quote an invoice was made from; found is
// false when none.
func (s *Store) QuoteOfInvoice(ctx context.Context, invoiceID int64) (q quotes.Quote, found bool, err error) {
	q, err = scanQuote(s.ReadDB().QueryRowContext(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE invoice_id = ?`, invoiceID))
	if errors.Is(err, sql.ErrNoRows) {
		return q, false, nil
	}
	return q, err == nil, err
}

// ListQuotes returns one page of the quotes f selects, newest first. The
// derived status vencida is chosen in SQL the way Quote.StatusOn decides
// it: open or sent, with a validity day before f.Now's day in Mexico City.
// A search matches the customer's name words or RFC prefix (the customers'
// index, as the invoice list) or the quote's number.
func (s *Store) ListQuotes(ctx context.Context, f quotes.Filter) ([]quotes.Quote, error) {
	where := []string{"issuer = ?"}
	args := []any{f.Issuer}
	today := salesTimeText(quotes.Day(f.Now))
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
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "fecha < ?")
		args = append(args, salesTimeText(f.To))
	}
	if f.After != nil {
		where = append(where, "(fecha < ? OR (fecha = ? AND id < ?))")
		fecha := salesTimeText(f.After.Fecha)
		args = append(args, fecha, fecha, f.After.ID)
	}
	args = append(args, pageLimit(f.Limit))
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+quoteColumns+` FROM quotes WHERE `+strings.Join(where, " AND ")+
		` ORDER BY fecha DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list quotes: %w", err)
	}
	defer rows.Close()
	var out []quotes.Quote
	for rows.Next() {
		q, err := scanQuote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// quoteKeepsDraft refuses to delete invoice draft id when a quote was
// invoiced into it (Facturar): the quote keeps the link to its invoice.
func quoteKeepsDraft(ctx context.Context, tx *sql.Tx, id int64) error {
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
