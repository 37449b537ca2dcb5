package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/quotesql"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

var _ quotes.Store = (*Store)(nil)

// The quotes' SQL is the PostgreSQL store's too (data/internal/quotesql).

// SaveQuote inserts (ID 0, with the company's next number) or updates a quote.
func (s *Store) SaveQuote(ctx context.Context, q *quotes.Quote) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return quotesql.Save(ctx, tx, q) })
}

// FindQuote returns a quote; NotFound if absent.
func (s *Store) FindQuote(ctx context.Context, id int64) (quotes.Quote, error) {
	return quotesql.Find(ctx, s.ReadDB(), id)
}

// FindQuotes returns a company's quotes, newest first.
func (s *Store) FindQuotes(ctx context.Context, issuer string, limit int) ([]quotes.Quote, error) {
	return quotesql.FindAll(ctx, s.ReadDB(), issuer, limit)
}

// InvoiceQuote stores draft and marks the accepted quote id facturada with
// its link, in one transaction.
func (s *Store) InvoiceQuote(ctx context.Context, id int64, draft *sales.Invoice) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		draft.CreatedAt, draft.UpdatedAt = s.Now(), s.Now()
		if err := insertInvoice(ctx, tx, draft); err != nil {
			return err
		}
		return quotesql.Link(ctx, tx, id, draft.ID)
	})
}

// QuoteOfInvoice returns the quote an invoice was made from; found is
// false when none.
func (s *Store) QuoteOfInvoice(ctx context.Context, invoiceID int64) (q quotes.Quote, found bool, err error) {
	return quotesql.OfInvoice(ctx, s.ReadDB(), invoiceID)
}

// ListQuotes returns one page of the quotes f selects, newest first
// (quotesql.List); the search names customers as the invoice list does.
func (s *Store) ListQuotes(ctx context.Context, f quotes.Filter) ([]quotes.Quote, error) {
	return quotesql.List(ctx, s.ReadDB(), f, customerIDs)
}
