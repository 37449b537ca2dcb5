package salessql

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// SumAmounts adds up the amounts stored with the posted documents f selects
// (sales.AmountsStore). The sums are integer sums of micro-units,
// exact to the last micro-unit; an overflow is an error, never a rounding.
func SumAmounts(ctx context.Context, q Q, f sales.AmountsFilter) (sales.AmountsSum, error) {
	where := []string{"issuer = ?", "state <> 'draft'", "total_micro IS NOT NULL"}
	args := []any{f.Issuer}
	if f.TipoDeComprobante != "" {
		where = append(where, "tipo = ?")
		args = append(args, f.TipoDeComprobante)
	}
	if f.Moneda != "" {
		where = append(where, "moneda = ?")
		args = append(args, f.Moneda)
	}
	if !f.From.IsZero() {
		where = append(where, "fecha >= ?")
		args = append(args, TimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "fecha < ?")
		args = append(args, TimeText(f.To))
	}
	if len(f.States) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(f.States)-1)+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	var sum sales.AmountsSum
	var m [6]int64
	err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(subtotal_micro), 0), coalesce(sum(descuento_micro), 0),
		coalesce(sum(traslados_micro), 0), coalesce(sum(retenciones_micro), 0), coalesce(sum(total_micro), 0),
		coalesce(sum(total_mxn_micro), 0) FROM invoices WHERE `+strings.Join(where, " AND "), args...).
		Scan(&sum.Documents, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5])
	if err != nil {
		return sum, err
	}
	sum.SubTotal, sum.Descuento, sum.Traslados = FromMicro(m[0]), FromMicro(m[1]), FromMicro(m[2])
	sum.Retenciones, sum.Total, sum.TotalMXN = FromMicro(m[3]), FromMicro(m[4]), FromMicro(m[5])
	return sum, nil
}

// InvoiceXML returns the fiscal XML of a posted invoice exactly as stored:
// the stamped XML once the PAC returned it, the sealed XML before (stamped
// tells which). A draft has none (NotFound).
func InvoiceXML(ctx context.Context, q Q, op string, invoiceID int64) (xml []byte, stamped bool, err error) {
	var stampedXML []byte
	err = q.QueryRowContext(ctx, `SELECT d.sealed_xml, d.stamped_xml FROM invoices i
		JOIN documents d ON d.id = i.document_id WHERE i.id = ?`, invoiceID).Scan(&xml, &stampedXML)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, domain.E(domain.NotFound, op, "La factura aún no está sellada: guárdela y emítala primero.", err)
	}
	if err != nil {
		return nil, false, err
	}
	if len(stampedXML) > 0 {
		return stampedXML, true, nil
	}
	return xml, false, nil
}

// MarkInvoicePrinted records that invoice id's PDF was produced (the first
// time only), for the list's CFDI column.
func MarkInvoicePrinted(ctx context.Context, q Q, id int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE invoices SET printed_at = ? WHERE id = ? AND printed_at = ''`, TimeText(now), id)
	return err
}

// InvoiceDocument returns the stamp-queue document of a posted invoice:
// its id, the UUID once stamped ("" before) and "SERIE-FOLIO" for dialogs.
func InvoiceDocument(ctx context.Context, q Q, op string, invoiceID int64) (docID int64, uuid, name string, err error) {
	var u sql.NullString
	err = q.QueryRowContext(ctx, `SELECT i.document_id, i.uuid, i.serie || '-' || i.folio FROM invoices i
		WHERE i.id = ? AND i.document_id IS NOT NULL`, invoiceID).Scan(&docID, &u, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", domain.E(domain.NotFound, op, "La factura aún no está sellada.", err)
	}
	return docID, u.String, name, err
}
