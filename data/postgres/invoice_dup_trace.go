package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// maxRelating caps how many documents DocumentsRelatingTo returns.
const maxRelating = 200

// DocumentsRelatingTo returns the fiscal XML (stamped once the PAC returned
// it, sealed before) of issuer's documents whose XML mentions uuid, oldest
// first, leaving out the document stamped with uuid itself; at most 200.
// It matches text, so callers check that the UUID really is in a
// CfdiRelacionados node (a mention in an Addenda is not a relation). It
// scans the issuer's documents: meant for an occasional user request, not
// for lists. The SQLite store's, over BYTEA.
func (s *Store) DocumentsRelatingTo(ctx context.Context, issuer, uuid string) ([][]byte, error) {
	const op = "postgres.DocumentsRelatingTo"
	uuid = strings.ToUpper(strings.TrimSpace(uuid))
	if uuid == "" {
		return nil, nil
	}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT CASE WHEN length(stamped_xml) > 0 THEN stamped_xml ELSE sealed_xml END
		FROM documents
		WHERE issuer_rfc = ? AND (uuid IS NULL OR uuid <> ?) AND strpos(upper(convert_from(sealed_xml, 'UTF8')), ?) > 0
		ORDER BY fecha, id LIMIT ?`, issuer, uuid, uuid, maxRelating)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var xml []byte
		if err := rows.Scan(&xml); err != nil {
			return nil, mapErr(op, s.name, err)
		}
		out = append(out, xml)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// InvoiceOfDocument returns the invoice whose fiscal document (documents.id)
// is documentID; NotFound when the document is no invoice's (an imported
// one, a payment receipt of another system).
func (s *Store) InvoiceOfDocument(ctx context.Context, documentID int64) (int64, error) {
	var id int64
	err := s.ReadDB().QueryRowContext(ctx, `SELECT id FROM invoices WHERE document_id = ?`, documentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.E(domain.NotFound, "postgres.InvoiceOfDocument", "El comprobante no es de ninguna factura de Folio.", err)
	}
	if err != nil {
		return 0, mapErr("postgres.InvoiceOfDocument", s.name, err)
	}
	return id, nil
}
