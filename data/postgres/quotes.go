package postgres

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/data/internal/quotesql"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

var _ quotes.Store = (*Store)(nil)

// The quotes' SQL is the SQLite store's (data/internal/quotesql).

// quoteLockClass is the first key of the lock a company's quote numbering
// takes (the second is hashtext of its RFC), apart from the posting lock
// (companyLockClass) so a quote never waits for a post.
const quoteLockClass = 0x466f7174

// SaveQuote inserts (ID 0, with the company's next number) or updates a
// quote (also when it is sent or accepted) and tells the other
// workstations. The number is taken under the company's quote lock, so
// two workstations saving a new quote at once get consecutive numbers.
func (s *Store) SaveQuote(ctx context.Context, q *quotes.Quote) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		if q.ID == 0 {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(?))`, int32(quoteLockClass), q.Issuer); err != nil {
				return fmt.Errorf("lock quotes of %s: %w", q.Issuer, err)
			}
		}
		if err := quotesql.Save(ctx, tx, q); err != nil {
			return err
		}
		return notify(ctx, tx, change{Kind: event.QuoteChanged, Issuer: q.Issuer})
	})
}

// FindQuote returns a quote; NotFound if absent.
func (s *Store) FindQuote(ctx context.Context, id int64) (quotes.Quote, error) {
	q, err := quotesql.Find(ctx, s.ReadDB(), id)
	return q, mapErr("postgres.FindQuote", s.name, err)
}

// FindQuotes returns a company's quotes, newest first.
func (s *Store) FindQuotes(ctx context.Context, issuer string, limit int) ([]quotes.Quote, error) {
	qs, err := quotesql.FindAll(ctx, s.ReadDB(), issuer, limit)
	return qs, mapErr("postgres.FindQuotes", s.name, err)
}

// InvoiceQuote stores draft and marks the accepted quote id facturada with
// its link, in one transaction, and announces the new draft to the other
// workstations as SaveDraft does.
func (s *Store) InvoiceQuote(ctx context.Context, id int64, draft *sales.Invoice) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		draft.CreatedAt, draft.UpdatedAt = s.Now(), s.Now()
		if err := insertInvoice(ctx, tx, draft); err != nil {
			return err
		}
		if err := quotesql.Link(ctx, tx, id, draft.ID); err != nil {
			return err
		}
		return notify(ctx, tx, change{Kind: event.DocumentDraftSaved, Issuer: draft.Issuer, InvoiceID: draft.ID})
	})
}

// QuoteOfInvoice returns the quote an invoice was made from; found is
// false when none.
func (s *Store) QuoteOfInvoice(ctx context.Context, invoiceID int64) (q quotes.Quote, found bool, err error) {
	q, found, err = quotesql.OfInvoice(ctx, s.ReadDB(), invoiceID)
	return q, found, mapErr("postgres.QuoteOfInvoice", s.name, err)
}

// ListQuotes returns one page of the quotes f selects, newest first
// (quotesql.List); the search names customers as the invoice list does.
func (s *Store) ListQuotes(ctx context.Context, f quotes.Filter) ([]quotes.Quote, error) {
	qs, err := quotesql.List(ctx, s.ReadDB(), f, customerIDs)
	return qs, mapErr("postgres.ListQuotes", s.name, err)
}
