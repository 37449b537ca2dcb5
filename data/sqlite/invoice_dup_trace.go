package sqlite

import (
	"context"
	"strings"
)

// maxRelating caps how many documents DocumentsRelatingTo returns.
const maxRelating = 200

// DocumentsRelatingTo returns the fiscal XML (stamped once the PAC returned
// it, sealed before) of issuer's documents whose XML mentions uuid, oldest
// first, leaving out the document stamped with uuid itself; at most 200.
// It matches text, so callers check that the UUID really is in a
// CfdiRelacionados node (a mention in an Addenda is not a relation). It
// scans the issuer's documents: meant for an occasional user request, not
// for lists.
func (s *Store) DocumentsRelatingTo(ctx context.Context, issuer, uuid string) ([][]byte, error) {
	const op = "sqlite.DocumentsRelatingTo"
	uuid = strings.ToUpper(strings.TrimSpace(uuid))
	if uuid == "" {
		return nil, nil
	}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT CASE WHEN length(stamped_xml) > 0 THEN stamped_xml ELSE sealed_xml END
		FROM documents
		WHERE issuer_rfc = ? AND (uuid IS NULL OR uuid <> ?) AND instr(upper(CAST(sealed_xml AS TEXT)), ?) > 0
		ORDER BY fecha, id LIMIT ?`, issuer, uuid, uuid, maxRelating)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var xml []byte
		if err := rows.Scan(&xml); err != nil {
			return nil, mapErr(op, s.path, err)
		}
		out = append(out, xml)
	}
	return out, mapErr(op, s.path, rows.Err())
}
