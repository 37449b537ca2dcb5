package postgres

import (
	"context"
	"database/sql"
	"fmt"

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
