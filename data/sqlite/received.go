package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sat"
)

var _ received.Store = (*Store)(nil)

// CompanyRFCs returns the RFC of every company (received.Store).
func (s *Store) CompanyRFCs(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rfc FROM companies ORDER BY rfc`)
	if err != nil {
		return nil, mapErr("sqlite.CompanyRFCs", s.path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, mapErr("sqlite.CompanyRFCs", s.path, err)
		}
		out = append(out, r)
	}
	return out, mapErr("sqlite.CompanyRFCs", s.path, rows.Err())
}

// SaveReceived stores docs in one transaction (received.Store): INSERT OR
// IGNORE on doc_key, so a document already stored (or repeated in docs) is
// reported false and left as it was. The Emisor of each received document
// stored is upserted into suppliers.
func (s *Store) SaveReceived(ctx context.Context, docs []received.Doc) ([]bool, error) {
	const op = "sqlite.SaveReceived"
	stored := make([]bool, len(docs))
	now := s.clock().UTC().Format(time.RFC3339)
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO received_cfdi (issuer, direction, doc_key, uuid, version,
			serie, folio, rfc_emisor, nombre_emisor, rfc_receptor, nombre_receptor, fecha, tipo, moneda, total, total_micro,
			ok, historical, verdict, xml, source, imported_at, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		sup, err := tx.PrepareContext(ctx, `INSERT INTO suppliers (issuer, rfc, name, regimen, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (issuer, rfc) DO UPDATE SET
				name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE suppliers.name END,
				regimen = CASE WHEN excluded.regimen <> '' THEN excluded.regimen ELSE suppliers.regimen END,
				last_seen = excluded.last_seen`)
		if err != nil {
			return err
		}
		defer sup.Close()
		for i := range docs {
			d := &docs[i]
			var totalMicro any
			if m, err := micro(d.TotalDecimal()); err == nil {
				totalMicro = m
			}
			res, err := ins.ExecContext(ctx, d.Issuer, string(d.Direction), d.Key, d.UUID, d.Version,
				d.Serie, d.Folio, d.RfcEmisor, d.NombreEmisor, d.RfcReceptor, d.NombreReceptor, d.Fecha, d.Tipo, d.Moneda,
				d.Total, totalMicro, d.OK, d.Historical, d.Verdict, d.XML, d.Source, now, searchText(d))
			if err != nil {
				return fmt.Errorf("insert %s: %w", d.Source, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			stored[i] = true
			if d.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			d.ImportedAt = now
			if d.Direction == received.Recibido && d.RfcEmisor != "" {
				if _, err := sup.ExecContext(ctx, d.Issuer, d.RfcEmisor, d.NombreEmisor, d.RegimenEmisor, now, now); err != nil {
					return fmt.Errorf("supplier %s: %w", d.RfcEmisor, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, mapErr(op, s.path, err)
	}
	return stored, nil
}

// searchText is the normalised words the lists search, space-separated.
func searchText(d *received.Doc) string {
	return " " + strings.Join(sat.Words(strings.Join([]string{d.UUID, d.Serie, d.Folio, d.RfcEmisor, d.NombreEmisor,
		d.RfcReceptor, d.NombreReceptor}, " ")), " ") + " "
}

const receivedColumns = `id, issuer, direction, doc_key, uuid, version, serie, folio, rfc_emisor, nombre_emisor, rfc_receptor,
	nombre_receptor, fecha, tipo, moneda, total, ok, historical, verdict, sat_status, source, imported_at,
	sat_checked_at, COALESCE(invoice_id, 0)`

// scanReceived reads receivedColumns (and xml after them when withXML).
func scanReceived(r interface{ Scan(...any) error }, withXML bool) (received.Doc, error) {
	var d received.Doc
	var dir string
	dest := []any{&d.ID, &d.Issuer, &dir, &d.Key, &d.UUID, &d.Version, &d.Serie, &d.Folio, &d.RfcEmisor,
		&d.NombreEmisor, &d.RfcReceptor, &d.NombreReceptor, &d.Fecha, &d.Tipo, &d.Moneda, &d.Total, &d.OK,
		&d.Historical, &d.Verdict, &d.SATStatus, &d.Source, &d.ImportedAt, &d.SATChecked, &d.InvoiceID}
	if withXML {
		dest = append(dest, &d.XML)
	}
	if err := r.Scan(dest...); err != nil {
		return received.Doc{}, err
	}
	d.Direction = received.Direction(dir)
	return d, nil
}

// FindReceived lists the documents f selects, newest Fecha first, without
// their XML (received.Store). At most f.Limit rows (1000 by default).
func (s *Store) FindReceived(ctx context.Context, f received.Filter) ([]received.Doc, error) {
	const op = "sqlite.FindReceived"
	var where []string
	var args []any
	if f.Issuer != "" {
		where, args = append(where, "issuer = ?"), append(args, f.Issuer)
	}
	if f.Direction != "" {
		where, args = append(where, "direction = ?"), append(args, string(f.Direction))
	}
	if f.From != "" {
		where, args = append(where, "fecha >= ?"), append(args, f.From)
	}
	if f.To != "" {
		// Fecha is "YYYY-MM-DDThh:mm:ss": every time of the day To is before To+"U".
		where, args = append(where, "fecha < ?"), append(args, f.To+"U")
	}
	for _, w := range sat.Words(f.Query) {
		w = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)
		where, args = append(where, `search LIKE ? ESCAPE '\'`), append(args, "%"+w+"%")
	}
	q := `SELECT ` + receivedColumns + ` FROM received_cfdi`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += ` ORDER BY fecha DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	var out []received.Doc
	for rows.Next() {
		d, err := scanReceived(rows, false)
		if err != nil {
			return nil, mapErr(op, s.path, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, s.path, rows.Err())
}

// ReceivedXML returns the stored bytes of one imported document; NotFound
// when there is none with id.
func (s *Store) ReceivedXML(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, `SELECT xml FROM received_cfdi WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, "sqlite.ReceivedXML", "El comprobante ya no está en la base de datos.", err)
	}
	return b, mapErr("sqlite.ReceivedXML", s.path, err)
}

// Suppliers lists the suppliers import recorded for issuer, by name
// (received.Store).
func (s *Store) Suppliers(ctx context.Context, issuer string) ([]received.Supplier, error) {
	const op = "sqlite.Suppliers"
	rows, err := s.r.QueryContext(ctx, `SELECT id, issuer, rfc, name, regimen, created_at, last_seen FROM suppliers
		WHERE issuer = ? ORDER BY name, rfc`, issuer)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	var out []received.Supplier
	for rows.Next() {
		var p received.Supplier
		if err := rows.Scan(&p.ID, &p.Issuer, &p.RFC, &p.Name, &p.Regimen, &p.Created, &p.LastSeen); err != nil {
			return nil, mapErr(op, s.path, err)
		}
		out = append(out, p)
	}
	return out, mapErr(op, s.path, rows.Err())
}
