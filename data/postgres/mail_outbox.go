package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

// cancelledSQL is true for a document d whose cancellation SAT accepted
// (stamping.Cancellation.Label's rule) or whose invoice is cancelled.
const cancelledSQL = `(EXISTS (SELECT 1 FROM cancellations c WHERE c.document_id = d.id AND (c.estado = 'Cancelado' OR c.estatus_uuid = '202'))
	OR EXISTS (SELECT 1 FROM invoices i WHERE i.document_id = d.id AND i.status = 'cancelled'))`

// Enqueue stores a queued delivery of a document in one transaction (see
// delivery.Store).
func (m *MailStore) Enqueue(ctx context.Context, documentID int64, to []string, now time.Time) (int64, error) {
	const op = "postgres.MailStore.Enqueue"
	if len(to) == 0 {
		return 0, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	n := stampTime(now)
	var id int64
	err := m.s.WriteTx(ctx, func(tx *Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM documents WHERE id = ?`, documentID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.E(domain.NotFound, op, "No se encontró el comprobante que se quiere enviar.", err)
		}
		if err != nil {
			return err
		}
		if state == "rejected" || state == "expired" {
			return domain.E(domain.Conflict, op, "El comprobante no está timbrado (fue rechazado o venció su plazo); corríjalo y tímbrelo antes de enviarlo.", nil)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (document_id, recipients, state, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, 'queued', ?, ?, ?)`, documentID, strings.Join(to, "\n"), n, n, n)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// EnqueueMessage stores a queued delivery of msg with its attachments in
// one transaction (see delivery.Store).
func (m *MailStore) EnqueueMessage(ctx context.Context, issuerRFC string, to []string, msg delivery.Message, now time.Time) (int64, error) {
	const op = "postgres.MailStore.EnqueueMessage"
	if len(to) == 0 {
		return 0, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	n := stampTime(now)
	var id int64
	err := m.s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (issuer_rfc, subject, body, recipients, state, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`, issuerRFC, msg.Subject, msg.Body, strings.Join(to, "\n"), n, n, n)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		for i, a := range msg.Attachments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_attachments (delivery_id, n, name, content_type, data) VALUES (?, ?, ?, ?, ?)`,
				id, i, a.Name, a.ContentType, a.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// Claim leases up to limit due deliveries whose document is not waiting for
// its stamp (see delivery.Store). Each job carries the stored stamped XML.
// Rows another workstation is claiming at the same moment are skipped, so
// a delivery is never leased twice.
func (m *MailStore) Claim(ctx context.Context, now, leaseUntil time.Time, limit int) ([]delivery.Job, error) {
	n, l := stampTime(now), stampTime(leaseUntil)
	me, err := m.s.workerID(ctx)
	if err != nil {
		return nil, err
	}
	var jobs []delivery.Job
	err = m.s.WriteTx(ctx, func(tx *Tx) error {
		jobs = jobs[:0]
		rows, err := tx.QueryContext(ctx, `SELECT x.id, COALESCE(x.document_id, 0), COALESCE(d.issuer_rfc, x.issuer_rfc), x.recipients,
				COALESCE(d.state, ''), d.stamped_xml, x.attempts + 1, x.subject, x.body, x.document_id IS NOT NULL AND `+cancelledSQL+`
			FROM deliveries x LEFT JOIN documents d ON d.id = x.document_id
			WHERE x.state IN ('queued', 'sending') AND x.next_attempt_at <= ?1 AND (x.lease_until = '' OR x.lease_until <= ?1)
				AND (x.document_id IS NULL OR d.state NOT IN ('queued', 'sending'))
			ORDER BY x.next_attempt_at, x.id LIMIT ?2
			FOR UPDATE OF x SKIP LOCKED`, n, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var j delivery.Job
			var rcpts, state, subject, body string
			if err := rows.Scan(&j.ID, &j.DocumentID, &j.IssuerRFC, &rcpts, &state, &j.XML, &j.Attempts, &subject, &body, &j.Cancelled); err != nil {
				rows.Close()
				return err
			}
			j.To = strings.Split(rcpts, "\n")
			switch {
			case j.DocumentID == 0:
				j.Message = &delivery.Message{Subject: subject, Body: body}
			case state == "stamped":
				j.DocState = delivery.DocumentStamped
			default:
				j.DocState, j.XML = delivery.DocumentRejected, nil
			}
			jobs = append(jobs, j)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, j := range jobs {
			if j.Message == nil {
				continue
			}
			if err := readAttachments(ctx, tx, j.ID, j.Message); err != nil {
				return err
			}
		}
		for _, j := range jobs {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sending', lease_until = ?, lease_owner = ?, attempts = attempts + 1, updated_at = ?
				WHERE id = ?`, l, me, n, j.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// readAttachments reads the files of message delivery id into m.
func readAttachments(ctx context.Context, q querier, id int64, m *delivery.Message) error {
	rows, err := q.QueryContext(ctx, `SELECT name, content_type, data FROM delivery_attachments WHERE delivery_id = ? ORDER BY n`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a delivery.Attachment
		if err := rows.Scan(&a.Name, &a.ContentType, &a.Data); err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, a)
	}
	return rows.Err()
}

// Attachments returns the files of message delivery id, in order.
func (m *MailStore) Attachments(ctx context.Context, id int64) ([]delivery.Attachment, error) {
	var msg delivery.Message
	if err := readAttachments(ctx, m.s.ReadDB(), id, &msg); err != nil {
		return nil, mapErr("postgres.MailStore.Attachments", m.s.name, err)
	}
	return msg.Attachments, nil
}

// NextDue returns the earliest instant a pending delivery whose document is
// not waiting for its stamp may be claimed.
func (m *MailStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	var s sql.NullString
	err := m.s.ReadDB().QueryRowContext(ctx, `SELECT MIN(CASE WHEN x.lease_until > x.next_attempt_at THEN x.lease_until ELSE x.next_attempt_at END)
		FROM deliveries x LEFT JOIN documents d ON d.id = x.document_id
		WHERE x.state IN ('queued', 'sending') AND (x.document_id IS NULL OR d.state NOT IN ('queued', 'sending'))`).Scan(&s)
	if err != nil {
		return time.Time{}, false, mapErr("postgres.MailStore.NextDue", m.s.name, err)
	}
	if !s.Valid || s.String == "" {
		return time.Time{}, false, nil
	}
	return parseStampTime(s.String), true, nil
}

// ReleaseLeases makes interrupted attempts claimable at once: this
// store's own and those of workers no longer alive (their worker lock is
// free), never a live workstation's (StampStore.ReleaseLeases).
func (m *MailStore) ReleaseLeases(ctx context.Context) error {
	me, err := m.s.workerID(ctx)
	if err != nil {
		return err
	}
	return m.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'queued', lease_until = '', lease_owner = 0
			WHERE state = 'sending' AND (lease_owner = ? OR lease_owner = 0 OR NOT EXISTS (
				SELECT FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = ?::bigint::oid
					AND l.objid = lease_owner::bigint::oid AND l.objsubid = 2 AND l.granted))`, me, int64(workerLockClass))
		return err
	})
}

// MarkSent ends a pending delivery as sent; a final one is left unchanged.
func (m *MailStore) MarkSent(ctx context.Context, id int64, now time.Time) error {
	n := stampTime(now)
	return m.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sent', sent_at = ?, lease_until = '', lease_owner = 0, next_attempt_at = '',
			last_error = '', updated_at = ? WHERE id = ? AND state IN ('queued', 'sending')`, n, n, id)
		return err
	})
}

// Retry schedules the next attempt of a pending delivery with its reason.
func (m *MailStore) Retry(ctx context.Context, id int64, next time.Time, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'queued', next_attempt_at = ?, lease_until = '', lease_owner = 0, last_error = ?, updated_at = ?
			WHERE id = ? AND state IN ('queued', 'sending')`, stampTime(next), reason, stampTime(now), id)
		return err
	})
}

// Fail ends a pending delivery as failed with its reason.
func (m *MailStore) Fail(ctx context.Context, id int64, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'failed', next_attempt_at = '', lease_until = '', lease_owner = 0, last_error = ?, updated_at = ?
			WHERE id = ? AND state IN ('queued', 'sending')`, reason, stampTime(now), id)
		return err
	})
}

// Delivery returns one delivery; NotFound when absent.
func (m *MailStore) Delivery(ctx context.Context, id int64) (delivery.Delivery, error) {
	const op = "postgres.MailStore.Delivery"
	var d delivery.Delivery
	var rcpts, state, next, sent string
	err := m.s.ReadDB().QueryRowContext(ctx, `SELECT id, COALESCE(document_id, 0), subject, recipients, state, attempts, next_attempt_at, last_error, created_at, sent_at
		FROM deliveries WHERE id = ?`, id).Scan(&d.ID, &d.DocumentID, &d.Subject, &rcpts, &state, &d.Attempts, &next, &d.LastError, &d.CreatedAt, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, op, "No se encontró el envío.", err)
	}
	if err != nil {
		return d, mapErr(op, m.s.name, err)
	}
	d.To = strings.Split(rcpts, "\n")
	d.State = delivery.State(state)
	d.NextAttemptAt, d.SentAt = parseStampTime(next), parseStampTime(sent)
	return d, nil
}

// DeliveryStates returns the state of the newest delivery of each given
// document that has one. Documents never e-mailed are absent.
func (m *MailStore) DeliveryStates(ctx context.Context, documentIDs []int64) (map[int64]delivery.State, error) {
	return m.newestStates(ctx, "postgres.MailStore.DeliveryStates", `SELECT x.document_id, x.state FROM deliveries x
		WHERE x.id IN (SELECT max(id) FROM deliveries WHERE document_id = ANY(?) GROUP BY document_id)`, documentIDs)
}

// InvoiceDeliveryStates is DeliveryStates keyed by invoice id, for the
// invoice list (whose rows carry invoice ids). Invoices never e-mailed, and
// drafts, are absent.
func (m *MailStore) InvoiceDeliveryStates(ctx context.Context, invoiceIDs []int64) (map[int64]delivery.State, error) {
	return m.newestStates(ctx, "postgres.MailStore.InvoiceDeliveryStates", `SELECT i.id, x.state FROM invoices i JOIN deliveries x ON x.document_id = i.document_id
		WHERE i.id = ANY(?) AND x.id = (SELECT max(id) FROM deliveries WHERE document_id = i.document_id)`, invoiceIDs)
}

// newestStates runs query, whose one parameter is the array of ids; each
// row is (key id, state).
func (m *MailStore) newestStates(ctx context.Context, op, query string, ids []int64) (map[int64]delivery.State, error) {
	out := make(map[int64]delivery.State)
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := m.s.ReadDB().QueryContext(ctx, query, ids)
	if err != nil {
		return nil, mapErr(op, m.s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, mapErr(op, m.s.name, err)
		}
		out[id] = delivery.State(state)
	}
	return out, mapErr(op, m.s.name, rows.Err())
}

// DocumentOfInvoice returns the id of the sealed document of a posted
// invoice, what Outbox.Enqueue takes. A draft (no document yet) or a
// missing invoice is NotFound (Store.InvoiceDocument).
func (m *MailStore) DocumentOfInvoice(ctx context.Context, invoiceID int64) (int64, error) {
	id, _, _, err := m.s.InvoiceDocument(ctx, invoiceID)
	return id, err
}

// ExportDocuments returns the issuer's stamped documents whose Fecha is in
// [from, to) — a zero bound is open — oldest first, ready for
// delivery.Export: the stamped XML as stored, serie, folio, UUID and
// whether SAT accepted their cancellation.
func (m *MailStore) ExportDocuments(ctx context.Context, issuerRFC string, from, to time.Time) ([]delivery.ExportDoc, error) {
	const op = "postgres.MailStore.ExportDocuments"
	query := `SELECT d.id, d.serie, d.folio, COALESCE(d.uuid, ''), d.stamped_xml, ` + cancelledSQL + `
		FROM documents d WHERE d.issuer_rfc = ? AND d.state = 'stamped'`
	args := []any{issuerRFC}
	if !from.IsZero() {
		query += ` AND d.fecha >= ?`
		args = append(args, from.UTC())
	}
	if !to.IsZero() {
		query += ` AND d.fecha < ?`
		args = append(args, to.UTC())
	}
	rows, err := m.s.ReadDB().QueryContext(ctx, query+` ORDER BY d.fecha, d.id`, args...)
	if err != nil {
		return nil, mapErr(op, m.s.name, err)
	}
	defer rows.Close()
	var out []delivery.ExportDoc
	for rows.Next() {
		var d delivery.ExportDoc
		if err := rows.Scan(&d.ID, &d.Serie, &d.Folio, &d.UUID, &d.XML, &d.Cancelled); err != nil {
			return nil, mapErr(op, m.s.name, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, m.s.name, rows.Err())
}
