package postgres

import (
	"context"

	"github.com/folio-mx/folio/data/internal/salessql"
)

// InvoiceXML returns the fiscal XML of a posted invoice exactly as stored:
// the stamped XML once the PAC returned it, the sealed XML before (stamped
// tells which). A draft has none (NotFound).
func (s *Store) InvoiceXML(ctx context.Context, invoiceID int64) (xml []byte, stamped bool, err error) {
	const op = "postgres.InvoiceXML"
	xml, stamped, err = salessql.InvoiceXML(ctx, s.ReadDB(), op, invoiceID)
	return xml, stamped, mapErr(op, s.name, err)
}

// MarkInvoicePrinted records that invoice id's PDF was produced (the first
// time only), for the list's CFDI column.
func (s *Store) MarkInvoicePrinted(ctx context.Context, id int64) error {
	return mapErr("postgres.MarkInvoicePrinted", s.name, salessql.MarkInvoicePrinted(ctx, s.WriteDB(), id, s.Now()))
}

// InvoiceDocument returns the stamp-queue document of a posted invoice:
// its id, the UUID once stamped ("" before) and "SERIE-FOLIO" for dialogs.
func (s *Store) InvoiceDocument(ctx context.Context, invoiceID int64) (docID int64, uuid, name string, err error) {
	const op = "postgres.InvoiceDocument"
	docID, uuid, name, err = salessql.InvoiceDocument(ctx, s.ReadDB(), op, invoiceID)
	return docID, uuid, name, mapErr(op, s.name, err)
}
