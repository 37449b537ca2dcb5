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
	"github.com/folio-mx/folio/domain/sales"
)

var (
	_ received.LinkStore        = (*Store)(nil)
	_ received.ConcordanceStore = (*Store)(nil)
	_ received.StatusStore      = (*Store)(nil)
)

// LinkTx runs fn in one immediate write transaction (received.LinkStore).
func (s *Store) LinkTx(ctx context.Context, fn func(tx received.LinkTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return fn(linkTx{q: tx}) })
}

type linkTx struct{ q querier }

func (t linkTx) LoadDocument(ctx context.Context, id int64) (sales.Invoice, error) {
	return findInvoice(ctx, t.q, id)
}

func (t linkTx) LoadReceived(ctx context.Context, id int64) (received.Doc, error) {
	return findReceivedDoc(ctx, t.q, id)
}

// RecordAdoption writes what received.CheckLink decided: the invoice's new
// header (only if still in a.From), its amounts and receivable, the
// external XML verbatim as its document (stamped, no stamp job: Folio
// never sends it to a PAC), and the link on the imported row.
func (t linkTx) RecordAdoption(ctx context.Context, a *received.Adoption) error {
	inv := &a.Invoice
	inv.UpdatedAt = time.Now()
	if err := updateInvoice(ctx, t.q, inv, a.From, false); err != nil {
		if isUniqueViolation(err) {
			return domain.E(domain.Conflict, "link received", "No se puede vincular: la serie y folio del CFDI ("+
				strings.Trim(inv.Serie+"-"+a.FolioText, "-")+") o su UUID ya los tiene otra factura de Folio.", err)
		}
		if domain.KindOf(err) == domain.Conflict {
			return domain.E(domain.Conflict, "link received", "No se puede vincular: la factura cambió mientras tanto. "+domain.UserMessage(err), err)
		}
		return err
	}
	if err := writeAmounts(ctx, t.q, inv.ID, a.Amounts); err != nil {
		return err
	}
	if err := recordReceivable(ctx, t.q, &sales.Posted{Invoice: inv, From: a.From, Amounts: a.Amounts,
		DueDate: a.DueDate, Balances: a.Balances}); err != nil {
		return err
	}
	at := stampTime(time.Now())
	res, err := t.q.ExecContext(ctx, `INSERT INTO documents (issuer_rfc, tipo, serie, folio, fecha, custom_id, sealed_xml,
		stamped_xml, uuid, state, created_at, updated_at, stamped_at)
		VALUES (?, 'I', ?, ?, ?, ?, ?, ?, ?, 'stamped', ?, ?, ?)`,
		inv.Issuer, inv.Serie, a.FolioText, stampTime(a.Fecha), "externo-"+a.UUID, a.XML, a.XML, a.UUID, at, at, stampTime(a.StampedAt))
	if isUniqueViolation(err) {
		return domain.E(domain.Conflict, "link received", "No se puede vincular: Folio ya tiene un documento con ese UUID o con esa serie y folio.", err)
	}
	if err != nil {
		return fmt.Errorf("store external document: %w", err)
	}
	doc, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE invoices SET document_id = ? WHERE id = ?`, doc, inv.ID); err != nil {
		return fmt.Errorf("link document: %w", err)
	}
	r, err := t.q.ExecContext(ctx, `UPDATE received_cfdi SET invoice_id = ? WHERE id = ? AND invoice_id IS NULL`, inv.ID, a.DocID)
	if err != nil {
		return fmt.Errorf("link received: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return domain.E(domain.Conflict, "link received", "No se puede vincular: el CFDI ya está vinculado a otra factura.", nil)
	}
	return nil
}

// findReceivedDoc reads one imported document with its XML.
func findReceivedDoc(ctx context.Context, q querier, id int64) (received.Doc, error) {
	row := q.QueryRowContext(ctx, `SELECT `+receivedColumns+`, xml FROM received_cfdi WHERE id = ?`, id)
	d, err := scanReceived(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, "sqlite.ReceivedDoc", "El comprobante ya no está en la base de datos.", err)
	}
	return d, err
}

// ReceivedDoc returns an imported document with its XML
// (received.ConcordanceStore).
func (s *Store) ReceivedDoc(ctx context.Context, id int64) (received.Doc, error) {
	d, err := findReceivedDoc(ctx, s.r, id)
	if err != nil && domain.KindOf(err) != domain.NotFound {
		return d, mapErr("sqlite.ReceivedDoc", s.path, err)
	}
	return d, err
}

// CustomerByRFC returns the active customer with rfc, the oldest when
// several (received.ConcordanceStore).
func (s *Store) CustomerByRFC(ctx context.Context, rfc string) (sales.Customer, bool, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM customers WHERE rfc = ? AND active = 1 ORDER BY id LIMIT 1`,
		strings.ToUpper(strings.TrimSpace(rfc))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.Customer{}, false, nil
	}
	if err != nil {
		return sales.Customer{}, false, mapErr("sqlite.CustomerByRFC", s.path, err)
	}
	c, err := s.FindCustomerByID(ctx, id)
	return c, err == nil, err
}

// Mappings returns concordancia's memory of issuer for customerID
// (received.ConcordanceStore).
func (s *Store) Mappings(ctx context.Context, issuer string, customerID int64) ([]received.Mapping, error) {
	const op = "sqlite.Mappings"
	rows, err := s.r.QueryContext(ctx, `SELECT description, product_id, confirmations, last_used FROM concordance_memory
		WHERE issuer = ? AND customer_id = ? ORDER BY description, confirmations DESC, last_used DESC`, issuer, customerID)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	var out []received.Mapping
	for rows.Next() {
		var m received.Mapping
		var last string
		if err := rows.Scan(&m.Description, &m.ProductID, &m.Confirmations, &last); err != nil {
			return nil, mapErr(op, s.path, err)
		}
		m.LastUsed, _ = time.Parse(time.RFC3339, last)
		out = append(out, m)
	}
	return out, mapErr(op, s.path, rows.Err())
}

// Remember adds one confirmation to each mapping (received.ConcordanceStore).
func (s *Store) Remember(ctx context.Context, issuer string, customerID int64, ms []received.Mapping, now time.Time) error {
	at := now.UTC().Format(time.RFC3339)
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
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
	})
	return mapErr("sqlite.Remember", s.path, err)
}

// StatusPending returns the documents to consult at SAT, with their XML
// (received.StatusStore): ids, or every stamped one never consulted.
func (s *Store) StatusPending(ctx context.Context, issuer string, ids []int64) ([]received.Doc, error) {
	const op = "sqlite.StatusPending"
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
	rows, err := s.r.QueryContext(ctx, `SELECT `+receivedColumns+`, xml FROM received_cfdi WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	var out []received.Doc
	for rows.Next() {
		d, err := scanReceived(rows, true)
		if err != nil {
			return nil, mapErr(op, s.path, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, s.path, rows.Err())
}

// SetSATStatus records SAT's answer for one document (received.StatusStore).
func (s *Store) SetSATStatus(ctx context.Context, id int64, status string, at time.Time) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE received_cfdi SET sat_status = ?, sat_checked_at = ? WHERE id = ?`,
			status, at.UTC().Format(time.RFC3339), id)
		return err
	})
	return mapErr("sqlite.SetSATStatus", s.path, err)
}
