// Package mailsql is the SQL of the mail settings (mail_settings) and the
// delivery outbox (deliveries, delivery_attachments) that the SQLite and
// PostgreSQL stores share, written with ? placeholders (the PostgreSQL
// store rewrites them). Each store keeps its transactions, its error
// mapping and what only it does: PostgreSQL leases a delivery to one
// workstation at a time (Dialect) and releases only dead workers' leases;
// SQLite asks for the newest states in chunks of bound ids, PostgreSQL
// with one array.
package mailsql

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/internal/stampsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

// Q runs statements: *sql.Tx and *sql.DB on SQLite, the PostgreSQL
// store's Tx and DB.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Dialect is what differs between the stores' outbox statements.
type Dialect struct {
	// ClaimLock ends the claim's SELECT: on PostgreSQL "FOR UPDATE OF x
	// SKIP LOCKED", so two workstations claiming at once never lease the
	// same delivery; "" on SQLite (one writer).
	ClaimLock string
	// LeaseOwner is set where deliveries have lease_owner (PostgreSQL: the
	// worker holding the lease), which every lease change writes.
	LeaseOwner bool
}

// TimeText is t as deliveries store it, the stamp queue's format; "" for
// the zero time.
func TimeText(t time.Time) string { return stampsql.TimeText(t) }

// CancelledSQL is true for a document d whose cancellation SAT accepted
// (stamping.Cancellation.Label's rule) or whose invoice is cancelled.
const CancelledSQL = `(EXISTS (SELECT 1 FROM cancellations c WHERE c.document_id = d.id AND (c.estado = 'Cancelado' OR c.estatus_uuid = '202'))
	OR EXISTS (SELECT 1 FROM invoices i WHERE i.document_id = d.id AND i.status = 'cancelled'))`

// Enqueue stores, in tx, a queued delivery of a document to the addresses
// to (at least one) and returns its id.
func Enqueue(ctx context.Context, tx Q, op string, documentID int64, to []string, now time.Time) (int64, error) {
	n := TimeText(now)
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM documents WHERE id = ?`, documentID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.E(domain.NotFound, op, "No se encontró el comprobante que se quiere enviar.", err)
	}
	if err != nil {
		return 0, err
	}
	if state == "rejected" || state == "expired" {
		return 0, domain.E(domain.Conflict, op, "El comprobante no está timbrado (fue rechazado o venció su plazo); corríjalo y tímbrelo antes de enviarlo.", nil)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (document_id, recipients, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, 'queued', ?, ?, ?)`, documentID, strings.Join(to, "\n"), n, n, n)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// EnqueueMessage stores, in tx, a queued delivery of msg with its
// attachments and returns its id.
func EnqueueMessage(ctx context.Context, tx Q, issuerRFC string, to []string, msg delivery.Message, now time.Time) (int64, error) {
	n := TimeText(now)
	res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (issuer_rfc, subject, body, recipients, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`, issuerRFC, msg.Subject, msg.Body, strings.Join(to, "\n"), n, n, n)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for i, a := range msg.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_attachments (delivery_id, n, name, content_type, data) VALUES (?, ?, ?, ?, ?)`,
			id, i, a.Name, a.ContentType, a.Data); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Claim leases, in tx, up to limit due deliveries whose document is not
// waiting for its stamp, to owner (written where d.LeaseOwner) until
// leaseUntil. Each job carries the stored stamped XML.
func (d Dialect) Claim(ctx context.Context, tx Q, now, leaseUntil time.Time, limit int, owner int64) ([]delivery.Job, error) {
	n, l := TimeText(now), TimeText(leaseUntil)
	rows, err := tx.QueryContext(ctx, `SELECT x.id, COALESCE(x.document_id, 0), COALESCE(d.issuer_rfc, x.issuer_rfc), x.recipients,
			COALESCE(d.state, ''), d.stamped_xml, x.attempts + 1, x.subject, x.body, x.document_id IS NOT NULL AND `+CancelledSQL+`
		FROM deliveries x LEFT JOIN documents d ON d.id = x.document_id
		WHERE x.state IN ('queued', 'sending') AND x.next_attempt_at <= ?1 AND (x.lease_until = '' OR x.lease_until <= ?1)
			AND (x.document_id IS NULL OR d.state NOT IN ('queued', 'sending'))
		ORDER BY x.next_attempt_at, x.id LIMIT ?2 `+d.ClaimLock, n, limit)
	if err != nil {
		return nil, err
	}
	var jobs []delivery.Job
	for rows.Next() {
		var j delivery.Job
		var rcpts, state, subject, body string
		if err := rows.Scan(&j.ID, &j.DocumentID, &j.IssuerRFC, &rcpts, &state, &j.XML, &j.Attempts, &subject, &body, &j.Cancelled); err != nil {
			rows.Close()
			return nil, err
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
		return nil, err
	}
	for _, j := range jobs {
		if j.Message == nil {
			continue
		}
		if err := ReadAttachments(ctx, tx, j.ID, j.Message); err != nil {
			return nil, err
		}
	}
	for _, j := range jobs {
		var err error
		if d.LeaseOwner {
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sending', lease_until = ?, lease_owner = ?, attempts = attempts + 1, updated_at = ?
				WHERE id = ?`, l, owner, n, j.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`,
				l, n, j.ID)
		}
		if err != nil {
			return nil, err
		}
	}
	return jobs, nil
}

// ReadAttachments reads the files of message delivery id into m.
func ReadAttachments(ctx context.Context, q Q, id int64, m *delivery.Message) error {
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

// NextDue returns the earliest instant a pending delivery whose document
// is not waiting for its stamp may be claimed; false when none is pending.
func NextDue(ctx context.Context, q Q) (time.Time, bool, error) {
	var s sql.NullString
	err := q.QueryRowContext(ctx, `SELECT MIN(CASE WHEN x.lease_until > x.next_attempt_at THEN x.lease_until ELSE x.next_attempt_at END)
		FROM deliveries x LEFT JOIN documents d ON d.id = x.document_id
		WHERE x.state IN ('queued', 'sending') AND (x.document_id IS NULL OR d.state NOT IN ('queued', 'sending'))`).Scan(&s)
	if err != nil {
		return time.Time{}, false, err
	}
	if !s.Valid || s.String == "" {
		return time.Time{}, false, nil
	}
	return stampsql.ParseTime(s.String), true, nil
}

// clearOwner is the assignment that ends a lease's owner, where there is one.
func (d Dialect) clearOwner() string {
	if d.LeaseOwner {
		return "lease_owner = 0, "
	}
	return ""
}

// MarkSent ends a pending delivery as sent; a final one is left unchanged.
func (d Dialect) MarkSent(ctx context.Context, tx Q, id int64, now time.Time) error {
	n := TimeText(now)
	_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sent', sent_at = ?, lease_until = '', `+d.clearOwner()+`next_attempt_at = '',
		last_error = '', updated_at = ? WHERE id = ? AND state IN ('queued', 'sending')`, n, n, id)
	return err
}

// Retry schedules the next attempt of a pending delivery with its reason.
func (d Dialect) Retry(ctx context.Context, tx Q, id int64, next time.Time, reason string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'queued', next_attempt_at = ?, lease_until = '', `+d.clearOwner()+`last_error = ?, updated_at = ?
		WHERE id = ? AND state IN ('queued', 'sending')`, TimeText(next), reason, TimeText(now), id)
	return err
}

// Fail ends a pending delivery as failed with its reason.
func (d Dialect) Fail(ctx context.Context, tx Q, id int64, reason string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'failed', next_attempt_at = '', lease_until = '', `+d.clearOwner()+`last_error = ?, updated_at = ?
		WHERE id = ? AND state IN ('queued', 'sending')`, reason, TimeText(now), id)
	return err
}

// Delivery returns one delivery; NotFound when absent.
func Delivery(ctx context.Context, q Q, op string, id int64) (delivery.Delivery, error) {
	var d delivery.Delivery
	var rcpts, state string
	var next, created, sent stampsql.Instant
	err := q.QueryRowContext(ctx, `SELECT id, COALESCE(document_id, 0), subject, recipients, state, attempts, next_attempt_at, last_error, created_at, sent_at
		FROM deliveries WHERE id = ?`, id).Scan(&d.ID, &d.DocumentID, &d.Subject, &rcpts, &state, &d.Attempts, &next, &d.LastError, &created, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, op, "No se encontró el envío.", err)
	}
	if err != nil {
		return d, err
	}
	d.To = strings.Split(rcpts, "\n")
	d.State = delivery.State(state)
	d.NextAttemptAt, d.CreatedAt, d.SentAt = next.Time, created.Time, sent.Time
	return d, nil
}
