package postgres

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

var (
	_ received.Store       = (*Store)(nil)
	_ received.StatusStore = (*Store)(nil)
)

// CompanyRFCs returns the RFC of every company (received.Store).
func (s *Store) CompanyRFCs(ctx context.Context) ([]string, error) {
	const op = "postgres.CompanyRFCs"
	rows, err := s.db.QueryContext(ctx, `SELECT rfc FROM companies ORDER BY rfc`)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, mapErr(op, s.name, err)
		}
		out = append(out, r)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// SaveReceived stores docs in one transaction (received.Store): a document
// whose doc_key is already stored (or repeated in docs) is reported false
// and left as it was (ON CONFLICT DO NOTHING). The Emisor of each received
// document stored is upserted into suppliers.
func (s *Store) SaveReceived(ctx context.Context, docs []received.Doc) ([]bool, error) {
	stored := make([]bool, len(docs))
	now := s.clock().UTC().Format(time.RFC3339)
	err := s.WriteTx(ctx, func(tx *Tx) error {
		for i := range docs {
			d := &docs[i]
			var totalMicro any
			if m, err := micro(d.TotalDecimal()); err == nil {
				totalMicro = m
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO received_cfdi (issuer, direction, doc_key, uuid, version,
				serie, folio, rfc_emisor, nombre_emisor, rfc_receptor, nombre_receptor, fecha, tipo, moneda, total, total_micro,
				ok, historical, verdict, xml, source, imported_at, search)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (doc_key) DO NOTHING RETURNING id`, d.Issuer, string(d.Direction), d.Key, d.UUID, d.Version,
				d.Serie, d.Folio, d.RfcEmisor, d.NombreEmisor, d.RfcReceptor, d.NombreReceptor, d.Fecha, d.Tipo, d.Moneda,
				d.Total, totalMicro, d.OK, d.Historical, d.Verdict, d.XML, d.Source, now, receivedSearch(d)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("insert %s: %w", d.Source, err)
			}
			stored[i], d.ID, d.ImportedAt = true, id, now
			if d.Direction == received.Recibido && d.RfcEmisor != "" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO suppliers (issuer, rfc, name, regimen, created_at, last_seen)
					VALUES (?1, ?2, ?3, ?4, ?5, ?5)
					ON CONFLICT (issuer, rfc) DO UPDATE SET
						name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE suppliers.name END,
						regimen = CASE WHEN excluded.regimen <> '' THEN excluded.regimen ELSE suppliers.regimen END,
						last_seen = excluded.last_seen`, d.Issuer, d.RfcEmisor, d.NombreEmisor, d.RegimenEmisor, now); err != nil {
					return fmt.Errorf("supplier %s: %w", d.RfcEmisor, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// receivedSearch is the normalised words the lists search, space-separated
// (the SQLite store's text).
func receivedSearch(d *received.Doc) string {
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
	var imported time.Time
	dest := []any{&d.ID, &d.Issuer, &dir, &d.Key, &d.UUID, &d.Version, &d.Serie, &d.Folio, &d.RfcEmisor,
		&d.NombreEmisor, &d.RfcReceptor, &d.NombreReceptor, &d.Fecha, &d.Tipo, &d.Moneda, &d.Total, &d.OK,
		&d.Historical, &d.Verdict, &d.SATStatus, &d.Source, &imported, &d.SATChecked, &d.InvoiceID}
	if withXML {
		dest = append(dest, &d.XML)
	}
	if err := r.Scan(dest...); err != nil {
		return received.Doc{}, err
	}
	d.Direction = received.Direction(dir)
	d.ImportedAt = imported.UTC().Format(time.RFC3339)
	return d, nil
}

// FindReceived lists the documents f selects, newest Fecha first, without
// their XML (received.Store). At most f.Limit rows (1000 by default).
func (s *Store) FindReceived(ctx context.Context, f received.Filter) ([]received.Doc, error) {
	const op = "postgres.FindReceived"
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
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out []received.Doc
	for rows.Next() {
		d, err := scanReceived(rows, false)
		if err != nil {
			return nil, mapErr(op, s.name, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// ReceivedXML returns the stored bytes of one imported document; NotFound
// when there is none with id.
func (s *Store) ReceivedXML(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT xml FROM received_cfdi WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, "postgres.ReceivedXML", "El comprobante ya no está en la base de datos.", err)
	}
	return b, mapErr("postgres.ReceivedXML", s.name, err)
}

// Suppliers lists the suppliers import recorded for issuer, by name
// (received.Store).
func (s *Store) Suppliers(ctx context.Context, issuer string) ([]received.Supplier, error) {
	const op = "postgres.Suppliers"
	rows, err := s.db.QueryContext(ctx, `SELECT id, issuer, rfc, name, regimen, created_at, last_seen FROM suppliers
		WHERE issuer = ? ORDER BY name COLLATE "C", rfc COLLATE "C"`, issuer)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out []received.Supplier
	for rows.Next() {
		var p received.Supplier
		var created, seen time.Time
		if err := rows.Scan(&p.ID, &p.Issuer, &p.RFC, &p.Name, &p.Regimen, &created, &seen); err != nil {
			return nil, mapErr(op, s.name, err)
		}
		p.Created, p.LastSeen = created.UTC().Format(time.RFC3339), seen.UTC().Format(time.RFC3339)
		out = append(out, p)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// StatusPending returns the documents to consult at SAT, with their XML
// (received.StatusStore): ids, or every stamped one never consulted.
func (s *Store) StatusPending(ctx context.Context, issuer string, ids []int64) ([]received.Doc, error) {
	const op = "postgres.StatusPending"
	where, args := []string{"uuid <> ''"}, []any{}
	if issuer != "" {
		where, args = append(where, "issuer = ?"), append(args, issuer)
	}
	if len(ids) == 0 {
		where = append(where, "sat_status = ''")
	} else {
		where, args = append(where, "id = ANY(?)"), append(args, ids)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+receivedColumns+`, xml FROM received_cfdi WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out []received.Doc
	for rows.Next() {
		d, err := scanReceived(rows, true)
		if err != nil {
			return nil, mapErr(op, s.name, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// SetSATStatus records SAT's answer for one document (received.StatusStore).
func (s *Store) SetSATStatus(ctx context.Context, id int64, status string, at time.Time) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE received_cfdi SET sat_status = ?, sat_checked_at = ? WHERE id = ?`,
			status, at.UTC().Format(time.RFC3339), id)
		return err
	})
}
