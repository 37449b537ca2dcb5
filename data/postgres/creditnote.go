package postgres

import (
	"context"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/sales"
)

var _ sales.Directory = (*Store)(nil)

// Credited returns what the live credit notes of invoice id took from each
// of its lines (sales.PostTx.Credited).
func (t postTx) Credited(ctx context.Context, id int64) (sales.Credited, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return sales.Credited{}, err
	}
	return credited(ctx, t.q, id)
}

// Credited returns what the live credit notes of invoice id took from each
// of its lines: what the credit-note form may still offer.
func (s *Store) Credited(ctx context.Context, id int64) (sales.Credited, error) {
	return credited(ctx, s.ReadDB(), id)
}

// CreditNotesOf returns the credit notes posted against invoice id, live
// or cancelled, oldest first: the invoice's trace and the reason it may not
// be cancelled yet.
func (s *Store) CreditNotesOf(ctx context.Context, id int64) ([]sales.CreditNoteRow, error) {
	return creditNotesOf(ctx, s.ReadDB(), id)
}

// FindDocument returns issuer's posted document named ref: its
// "SERIE-FOLIO" (the serie in any case) or its UUID (sales.Directory, for
// the invoices a credit note of `folio post` names). A draft has no folio
// and is never found; an unknown name is NotFound.
func (s *Store) FindDocument(ctx context.Context, issuer, ref string) (sales.Invoice, error) {
	id, err := salessql.FindDocument(ctx, s.ReadDB(), issuer, ref)
	if err != nil {
		return sales.Invoice{}, err
	}
	return s.FindInvoiceByID(ctx, id)
}
