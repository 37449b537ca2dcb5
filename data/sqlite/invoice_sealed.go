package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// loadSealed fills inv.SealedXML of a posted invoice.
func loadSealed(ctx context.Context, q querier, inv *sales.Invoice) error {
	if inv.State == sales.StateDraft {
		return nil
	}
	err := q.QueryRowContext(ctx, `SELECT d.sealed_xml FROM invoices i JOIN documents d ON d.id = i.document_id
		WHERE i.id = ?`, inv.ID).Scan(&inv.SealedXML)
	if err == sql.ErrNoRows {
		return nil // rows made by "folio dev seed" carry no document
	}
	if err != nil {
		return fmt.Errorf("load sealed xml: %w", err)
	}
	return nil
}

// InvoiceOfDocument returns the id of the invoice whose fiscal document is
// documents.id documentID (a NotFound domain.Error when none is).
func (s *Store) InvoiceOfDocument(ctx context.Context, documentID int64) (int64, error) {
	var id int64
	err := s.ReadDB().QueryRowContext(ctx, `SELECT id FROM invoices WHERE document_id = ?`, documentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.E(domain.NotFound, "sqlite.InvoiceOfDocument", "El comprobante no es de ninguna factura de Folio.", err)
	}
	return id, err
}
