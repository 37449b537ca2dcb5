package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// invoiceCustomID is the stamp idempotency key of an invoice: one per
// (issuer, serie, folio), so every re-seal of the same folio keeps it.
func invoiceCustomID(inv *sales.Invoice) string {
	return "folio-" + inv.Issuer + "-" + inv.Serie + "-" + strconv.FormatInt(inv.Folio, 10)
}

// storeSealed writes the sealed XML of a posted invoice verbatim into
// documents and queues its stamp job through postDocument (the rows
// StampStore.Post writes), inside the post transaction, then links the
// invoice to the document.
func storeSealed(ctx context.Context, q querier, inv *sales.Invoice, now string) error {
	doc, err := postDocument(ctx, q, stamping.NewDocument{
		IssuerRFC: inv.Issuer, TipoDeComprobante: inv.TipoDeComprobante, Serie: inv.Serie,
		Folio: strconv.FormatInt(inv.Folio, 10), Fecha: inv.Fecha, CustomID: invoiceCustomID(inv),
		SealedXML: inv.SealedXML,
	}, now)
	if err != nil {
		return fmt.Errorf("store sealed document: %w", err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE invoices SET document_id = ? WHERE id = ?`, doc, inv.ID); err != nil {
		return fmt.Errorf("link document: %w", err)
	}
	return nil
}

// loadSealed fills inv.SealedXML (and the stamped UUID) of a posted invoice.
func loadSealed(ctx context.Context, q querier, inv *sales.Invoice) error {
	if inv.Status == sales.StatusDraft {
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
