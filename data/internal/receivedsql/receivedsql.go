// Package receivedsql is the SQL of the CFDI issued elsewhere ("CFDI
// externos", package received) that the SQLite and PostgreSQL stores
// share: the import and its lists, the suppliers it records, SAT's status
// of each document, concordancia's memory and the link of a document to an
// invoice of Folio. Statements are written with ? placeholders (the
// PostgreSQL store rewrites them) over whatever transaction or pool the
// store passes; each store keeps its transactions and maps its driver's
// errors. Instants the tables keep as timestamptz on PostgreSQL (import,
// suppliers, memory) are TEXT in UTC RFC 3339 on SQLite: they are written
// as that text and read back into it.
package receivedsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Execer runs statements in a transaction (*sql.Tx and the PostgreSQL
// store's Tx).
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Querier reads (*sql.DB, the PostgreSQL store's DB, or a transaction).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// instant is how an instant is written: UTC RFC 3339, to the second.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// readInstant is an instant as read back: SQLite's text as stored,
// PostgreSQL's timestamptz (database/sql writes it as RFC 3339 with
// nanoseconds) as instant writes it.
func readInstant(s string) string {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return instant(t)
	}
	return s
}

// CompanyRFCs returns the RFC of every company.
func CompanyRFCs(ctx context.Context, db Querier) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT rfc FROM companies ORDER BY rfc`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Save stores docs in tx (received.Store.SaveReceived): a document whose
// doc_key is already stored, or repeated in docs, is reported false and
// left as it was. Each stored one gets its ID and ImportedAt (now); the
// Emisor of each received one is upserted into suppliers.
func Save(ctx context.Context, tx Execer, docs []received.Doc, now time.Time) ([]bool, error) {
	stored := make([]bool, len(docs))
	at := instant(now)
	for i := range docs {
		d := &docs[i]
		var totalMicro any
		if m := d.TotalDecimal().Shift(6); m.Equal(m.Truncate(0)) && m.BigInt().IsInt64() {
			totalMicro = m.IntPart()
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO received_cfdi (issuer, direction, doc_key, uuid, version,
			serie, folio, rfc_emisor, nombre_emisor, rfc_receptor, nombre_receptor, fecha, tipo, moneda, total, total_micro,
			ok, historical, verdict, xml, source, imported_at, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (doc_key) DO NOTHING RETURNING id`, d.Issuer, string(d.Direction), d.Key, d.UUID, d.Version,
			d.Serie, d.Folio, d.RfcEmisor, d.NombreEmisor, d.RfcReceptor, d.NombreReceptor, d.Fecha, d.Tipo, d.Moneda,
			d.Total, totalMicro, d.OK, d.Historical, d.Verdict, d.XML, d.Source, at, searchText(d)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("insert %s: %w", d.Source, err)
		}
		stored[i], d.ID, d.ImportedAt = true, id, at
		if d.Direction == received.Recibido && d.RfcEmisor != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO suppliers (issuer, rfc, name, regimen, created_at, last_seen)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (issuer, rfc) DO UPDATE SET
					name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE suppliers.name END,
					regimen = CASE WHEN excluded.regimen <> '' THEN excluded.regimen ELSE suppliers.regimen END,
					last_seen = excluded.last_seen`, d.Issuer, d.RfcEmisor, d.NombreEmisor, d.RegimenEmisor, at, at); err != nil {
				return nil, fmt.Errorf("supplier %s: %w", d.RfcEmisor, err)
			}
		}
	}
	return stored, nil
}

// searchText is the normalised words the lists search, space-separated.
func searchText(d *received.Doc) string {
	return " " + strings.Join(sat.Words(strings.Join([]string{d.UUID, d.Serie, d.Folio, d.RfcEmisor, d.NombreEmisor,
		d.RfcReceptor, d.NombreReceptor}, " ")), " ") + " "
}

const columns = `id, issuer, direction, doc_key, uuid, version, serie, folio, rfc_emisor, nombre_emisor, rfc_receptor,
	nombre_receptor, fecha, tipo, moneda, total, ok, historical, verdict, sat_status, source, imported_at,
	sat_checked_at, COALESCE(invoice_id, 0)`

// scan reads columns (and xml after them when withXML).
func scan(r interface{ Scan(...any) error }, withXML bool) (received.Doc, error) {
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
	d.ImportedAt = readInstant(d.ImportedAt)
	return d, nil
}

func scanAll(rows *sql.Rows, withXML bool) ([]received.Doc, error) {
	defer rows.Close()
	var out []received.Doc
	for rows.Next() {
		d, err := scan(rows, withXML)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Find lists the documents f selects, newest Fecha first, without their
// XML. At most f.Limit rows (1000 by default).
func Find(ctx context.Context, db Querier, f received.Filter) ([]received.Doc, error) {
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
	q := `SELECT ` + columns + ` FROM received_cfdi`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += ` ORDER BY fecha DESC, id DESC LIMIT ?`
	rows, err := db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, false)
}

// XML returns the stored bytes of one imported document; NotFound when
// there is none with id.
func XML(ctx context.Context, db Querier, id int64) ([]byte, error) {
	var b []byte
	err := db.QueryRowContext(ctx, `SELECT xml FROM received_cfdi WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, "received xml", "El comprobante ya no está en la base de datos.", err)
	}
	return b, err
}

// Doc returns one imported document with its XML; NotFound when there is
// none with id.
func Doc(ctx context.Context, db Querier, id int64) (received.Doc, error) {
	d, err := scan(db.QueryRowContext(ctx, `SELECT `+columns+`, xml FROM received_cfdi WHERE id = ?`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, "received doc", "El comprobante ya no está en la base de datos.", err)
	}
	return d, err
}

// Suppliers lists the suppliers import recorded for issuer, by name and
// RFC in byte order (sorted here: the two databases collate text apart).
func Suppliers(ctx context.Context, db Querier, issuer string) ([]received.Supplier, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, issuer, rfc, name, regimen, created_at, last_seen FROM suppliers
		WHERE issuer = ?`, issuer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []received.Supplier
	for rows.Next() {
		var p received.Supplier
		if err := rows.Scan(&p.ID, &p.Issuer, &p.RFC, &p.Name, &p.Regimen, &p.Created, &p.LastSeen); err != nil {
			return nil, err
		}
		p.Created, p.LastSeen = readInstant(p.Created), readInstant(p.LastSeen)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].RFC < out[j].RFC
	})
	return out, rows.Err()
}

// StatusPending returns the documents to consult at SAT, with their XML:
// those of ids, or when ids is empty every stamped one never consulted;
// of issuer ("": every company).
func StatusPending(ctx context.Context, db Querier, issuer string, ids []int64) ([]received.Doc, error) {
	where, args := []string{"uuid <> ''"}, []any{}
	if issuer != "" {
		where, args = append(where, "issuer = ?"), append(args, issuer)
	}
	if len(ids) == 0 {
		where = append(where, "sat_status = ''")
	} else {
		marks := make([]string, len(ids))
		for i, id := range ids {
			marks[i], args = "?", append(args, id)
		}
		where = append(where, "id IN ("+strings.Join(marks, ", ")+")")
	}
	rows, err := db.QueryContext(ctx, `SELECT `+columns+`, xml FROM received_cfdi WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, true)
}

// SetSATStatus records SAT's answer for one document and when it was
// consulted.
func SetSATStatus(ctx context.Context, tx Execer, id int64, status string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE received_cfdi SET sat_status = ?, sat_checked_at = ? WHERE id = ?`,
		status, instant(at), id)
	return err
}

// CustomerByRFC returns the id of the active customer with rfc, the oldest
// when several; false when there is none.
func CustomerByRFC(ctx context.Context, db Querier, rfc string) (int64, bool, error) {
	var id int64
	err := db.QueryRowContext(ctx, `SELECT id FROM customers WHERE rfc = ? AND active ORDER BY id LIMIT 1`,
		strings.ToUpper(strings.TrimSpace(rfc))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// Mappings returns concordancia's memory of issuer for customerID, by
// description, the most confirmed and latest used first.
func Mappings(ctx context.Context, db Querier, issuer string, customerID int64) ([]received.Mapping, error) {
	rows, err := db.QueryContext(ctx, `SELECT description, product_id, confirmations, last_used FROM concordance_memory
		WHERE issuer = ? AND customer_id = ? ORDER BY confirmations DESC, last_used DESC`, issuer, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []received.Mapping
	for rows.Next() {
		var m received.Mapping
		var last string
		if err := rows.Scan(&m.Description, &m.ProductID, &m.Confirmations, &last); err != nil {
			return nil, err
		}
		m.LastUsed, _ = time.Parse(time.RFC3339Nano, last)
		m.LastUsed = m.LastUsed.UTC()
		out = append(out, m)
	}
	// By description in byte order (the databases collate text apart);
	// stable, so each description keeps the order above.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Description < out[j].Description })
	return out, rows.Err()
}

// Remember adds one confirmation to each mapping of customerID (a new one
// starts at 1) and sets its last use to now.
func Remember(ctx context.Context, tx Execer, issuer string, customerID int64, ms []received.Mapping, now time.Time) error {
	at := instant(now)
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO concordance_memory (issuer, customer_id, description, product_id, confirmations, last_used)
			VALUES (?, ?, ?, ?, 1, ?)
			ON CONFLICT (issuer, customer_id, description, product_id) DO UPDATE SET
				confirmations = concordance_memory.confirmations + 1, last_used = excluded.last_used`,
			issuer, customerID, m.Description, m.ProductID, at); err != nil {
			return fmt.Errorf("remember %q: %w", m.Description, err)
		}
	}
	return nil
}

// Posting is what an adoption writes through the store's own invoice
// helpers (the invoice tables are not shared yet): Update rewrites the
// invoice's header only while it is still in from; Record stores its
// derived amounts and the receivable it opens.
type Posting struct {
	Update func(inv *sales.Invoice, from sales.State) error
	Record func(p *sales.Posted) error
	// IsUnique reports whether err is the driver's UNIQUE violation.
	IsUnique func(err error) bool
}

// stampTime is the stamp queue's fixed-width instant (both stores').
func stampTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

// RecordAdoption writes, in tx, what received.CheckLink decided: the
// invoice's new header (only if still in a.From), its amounts and
// receivable, the external XML verbatim as its document (stamped, no stamp
// job: Folio never sends it to a PAC), and the link on the imported row.
// Refusals are Conflicts that say why.
func RecordAdoption(ctx context.Context, tx Execer, a *received.Adoption, now time.Time, p Posting) error {
	inv := &a.Invoice
	inv.UpdatedAt = now
	if err := p.Update(inv, a.From); err != nil {
		if p.IsUnique(err) {
			return domain.E(domain.Conflict, "link received", "No se puede vincular: la serie y folio del CFDI ("+
				strings.Trim(inv.Serie+"-"+a.FolioText, "-")+") o su UUID ya los tiene otra factura de Folio.", err)
		}
		if domain.KindOf(err) == domain.Conflict {
			return domain.E(domain.Conflict, "link received", "No se puede vincular: la factura cambió mientras tanto. "+domain.UserMessage(err), err)
		}
		return err
	}
	if err := p.Record(&sales.Posted{Invoice: inv, From: a.From, Amounts: a.Amounts, DueDate: a.DueDate, Balances: a.Balances}); err != nil {
		return err
	}
	at := stampTime(now)
	var doc int64
	err := tx.QueryRowContext(ctx, `INSERT INTO documents (issuer_rfc, tipo, serie, folio, fecha, custom_id, sealed_xml,
		stamped_xml, uuid, state, created_at, updated_at, stamped_at)
		VALUES (?, 'I', ?, ?, ?, ?, ?, ?, ?, 'stamped', ?, ?, ?) RETURNING id`,
		inv.Issuer, inv.Serie, a.FolioText, stampTime(a.Fecha), "externo-"+a.UUID, a.XML, a.XML, a.UUID, at, at,
		stampTime(a.StampedAt)).Scan(&doc)
	if err != nil && p.IsUnique(err) {
		return domain.E(domain.Conflict, "link received", "No se puede vincular: Folio ya tiene un documento con ese UUID o con esa serie y folio.", err)
	}
	if err != nil {
		return fmt.Errorf("store external document: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invoices SET document_id = ? WHERE id = ?`, doc, inv.ID); err != nil {
		return fmt.Errorf("link document: %w", err)
	}
	r, err := tx.ExecContext(ctx, `UPDATE received_cfdi SET invoice_id = ? WHERE id = ? AND invoice_id IS NULL`, inv.ID, a.DocID)
	if err != nil {
		return fmt.Errorf("link received: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return domain.E(domain.Conflict, "link received", "No se puede vincular: el CFDI ya está vinculado a otra factura.", nil)
	}
	return nil
}
