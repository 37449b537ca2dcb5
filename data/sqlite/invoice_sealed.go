package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/folio-mx/folio/domain/sales"
)

// invoiceCustomID is the stamp idempotency key of an invoice: one per
// (issuer, serie, folio), so every re-seal of the same folio keeps it.
func invoiceCustomID(inv *sales.Invoice) string {
	return "folio-" + inv.Issuer + "-" + inv.Serie + "-" + strconv.FormatInt(inv.Folio, 10)
}

// storeSealed writes the sealed XML of a posted invoice verbatim into
// documents and queues its stamp job, inside the post transaction, then
// links the invoice to the document. The rows are those StampStore.Post
// writes; it cannot be called here because it opens its own transaction.
func storeSealed(ctx context.Context, q querier, inv *sales.Invoice, now string) error {
	res, err := q.ExecContext(ctx, `INSERT INTO documents (issuer_rfc, tipo, serie, folio, fecha, custom_id, sealed_xml,
		state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
		inv.Issuer, inv.TipoDeComprobante, inv.Serie, strconv.FormatInt(inv.Folio, 10), stampTime(inv.Fecha),
		invoiceCustomID(inv), inv.SealedXML, now, now)
	if err != nil {
		return fmt.Errorf("store sealed document: %w", err)
	}
	doc, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO stamp_jobs (document_id, next_attempt_at, created_at) VALUES (?, ?, ?)`, doc, now, now); err != nil {
		return fmt.Errorf("queue stamp job: %w", err)
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
