package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/folio-mx/folio/domain"
)

// InvoiceXML returns the fiscal XML of a posted invoice exactly as stored:
// the stamped XML once the PAC returned it, the sealed XML before (stamped
// tells which). A draft has none (NotFound).
func (s *Store) InvoiceXML(ctx context.Context, invoiceID int64) (xml []byte, stamped bool, err error) {
	const op = "postgres.InvoiceXML"
	var stampedXML []byte
	err = s.ReadDB().QueryRowContext(ctx, `SELECT d.sealed_xml, d.stamped_xml FROM invoices i
		JOIN documents d ON d.id = i.document_id WHERE i.id = ?`, invoiceID).Scan(&xml, &stampedXML)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, domain.E(domain.NotFound, op, "La factura aún no está sellada: guárdela y emítala primero.", err)
	}
	if err != nil {
		return nil, false, mapErr(op, s.name, err)
	}
	if len(stampedXML) > 0 {
		return stampedXML, true, nil
	}
	return xml, false, nil
}

// MarkInvoicePrinted records that invoice id's PDF was produced (the first
// time only), for the list's CFDI column.
func (s *Store) MarkInvoicePrinted(ctx context.Context, id int64) error {
	const op = "postgres.MarkInvoicePrinted"
	_, err := s.WriteDB().ExecContext(ctx, `UPDATE invoices SET printed_at = ? WHERE id = ? AND printed_at = ''`,
		timeText(s.Now()), id)
	return mapErr(op, s.name, err)
}

// InvoiceDocument returns the stamp-queue document of a posted invoice:
// its id, the UUID once stamped ("" before) and "SERIE-FOLIO" for dialogs.
func (s *Store) InvoiceDocument(ctx context.Context, invoiceID int64) (docID int64, uuid, name string, err error) {
	const op = "postgres.InvoiceDocument"
	var u sql.NullString
	err = s.ReadDB().QueryRowContext(ctx, `SELECT i.document_id, i.uuid, i.serie || '-' || i.folio FROM invoices i
		WHERE i.id = ? AND i.document_id IS NOT NULL`, invoiceID).Scan(&docID, &u, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", domain.E(domain.NotFound, op, "La factura aún no está sellada.", err)
	}
	return docID, u.String, name, mapErr(op, s.name, err)
}
