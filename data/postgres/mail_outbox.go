package postgres

import (
	"context"
	"time"

	"github.com/folio-mx/folio/data/internal/mailsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

// mailDialect is this store's outbox SQL (mailsql.Dialect).
var mailDialect = mailsql.Dialect{ClaimLock: "FOR UPDATE OF x SKIP LOCKED", LeaseOwner: true}

// cancelledSQL is true for a document d whose cancellation SAT accepted.
const cancelledSQL = mailsql.CancelledSQL

// Enqueue stores a queued delivery of a document in one transaction (see
// delivery.Store).
func (m *MailStore) Enqueue(ctx context.Context, documentID int64, to []string, now time.Time) (int64, error) {
	const op = "postgres.MailStore.Enqueue"
	if len(to) == 0 {
		return 0, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	var id int64
	err := m.s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		id, err = mailsql.Enqueue(ctx, tx, op, documentID, to, now)
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
	var id int64
	err := m.s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		id, err = mailsql.EnqueueMessage(ctx, tx, issuerRFC, to, msg, now)
		return err
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
	me, err := m.s.workerID(ctx)
	if err != nil {
		return nil, err
	}
	var jobs []delivery.Job
	err = m.s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		jobs, err = mailDialect.Claim(ctx, tx, now, leaseUntil, limit, int64(me))
		return err
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// Attachments returns the files of message delivery id, in order.
func (m *MailStore) Attachments(ctx context.Context, id int64) ([]delivery.Attachment, error) {
	var msg delivery.Message
	if err := mailsql.ReadAttachments(ctx, m.s.ReadDB(), id, &msg); err != nil {
		return nil, mapErr("postgres.MailStore.Attachments", m.s.name, err)
	}
	return msg.Attachments, nil
}

// NextDue returns the earliest instant a pending delivery whose document is
// not waiting for its stamp may be claimed.
func (m *MailStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	t, ok, err := mailsql.NextDue(ctx, m.s.ReadDB())
	return t, ok, mapErr("postgres.MailStore.NextDue", m.s.name, err)
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
	return m.s.WriteTx(ctx, func(tx *Tx) error { return mailDialect.MarkSent(ctx, tx, id, now) })
}

// Retry schedules the next attempt of a pending delivery with its reason.
func (m *MailStore) Retry(ctx context.Context, id int64, next time.Time, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *Tx) error { return mailDialect.Retry(ctx, tx, id, next, reason, now) })
}

// Fail ends a pending delivery as failed with its reason.
func (m *MailStore) Fail(ctx context.Context, id int64, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *Tx) error { return mailDialect.Fail(ctx, tx, id, reason, now) })
}

// Delivery returns one delivery; NotFound when absent.
func (m *MailStore) Delivery(ctx context.Context, id int64) (delivery.Delivery, error) {
	const op = "postgres.MailStore.Delivery"
	d, err := mailsql.Delivery(ctx, m.s.ReadDB(), op, id)
	return d, mapErr(op, m.s.name, err)
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
