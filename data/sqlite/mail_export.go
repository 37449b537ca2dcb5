package sqlite

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain/delivery"
)

// ExportDocuments returns the issuer's stamped documents whose Fecha is in
// [from, to) — a zero bound is open — oldest first, ready for
// delivery.Export: the stamped XML as stored, serie, folio, UUID and
// whether SAT accepted their cancellation.
func (m *MailStore) ExportDocuments(ctx context.Context, issuerRFC string, from, to time.Time) ([]delivery.ExportDoc, error) {
	const op = "sqlite.MailStore.ExportDocuments"
	query := `SELECT d.id, d.serie, d.folio, COALESCE(d.uuid, ''), d.stamped_xml, ` + cancelledSQL + `
		FROM documents d WHERE d.issuer_rfc = ? AND d.state = 'stamped'`
	args := []any{issuerRFC}
	if !from.IsZero() {
		query += ` AND d.fecha >= ?`
		args = append(args, stampTime(from))
	}
	if !to.IsZero() {
		query += ` AND d.fecha < ?`
		args = append(args, stampTime(to))
	}
	rows, err := m.s.ReadDB().QueryContext(ctx, query+` ORDER BY d.fecha, d.id`, args...)
	if err != nil {
		return nil, mapErr(op, m.s.path, err)
	}
	defer rows.Close()
	var out []delivery.ExportDoc
	for rows.Next() {
		var d delivery.ExportDoc
		if err := rows.Scan(&d.ID, &d.Serie, &d.Folio, &d.UUID, &d.XML, &d.Cancelled); err != nil {
			return nil, mapErr(op, m.s.path, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, m.s.path, rows.Err())
}
