package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/internal/mailsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

// mailDialect is this store's outbox SQL (mailsql.Dialect).
var mailDialect = mailsql.Dialect{}

// cancelledSQL is true for a document d whose cancellation SAT accepted.
const cancelledSQL = mailsql.CancelledSQL

// Enqueue stores a queued delivery of a document in one transaction (see
// delivery.Store).
func (m *MailStore) Enqueue(ctx context.Context, documentID int64, to []string, now time.Time) (int64, error) {
	const op = "sqlite.MailStore.Enqueue"
	if len(to) == 0 {
		return 0, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	var id int64
	err := m.s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = mailsql.Enqueue(ctx, tx, op, documentID, to, now)
		return err
	})
	return id, err
}

// EnqueueMessage stores a queued delivery of m with its attachments in one
// transaction (see delivery.Store).
func (m *MailStore) EnqueueMessage(ctx context.Context, issuerRFC string, to []string, msg delivery.Message, now time.Time) (int64, error) {
	const op = "sqlite.MailStore.EnqueueMessage"
	if len(to) == 0 {
		return 0, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	var id int64
	err := m.s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = mailsql.EnqueueMessage(ctx, tx, issuerRFC, to, msg, now)
		return err
	})
	if err != nil {
		return 0, mapErr(op, m.s.path, err)
	}
	return id, nil
}

// Claim leases up to limit due deliveries whose document is not waiting for
// its stamp (see delivery.Store). Each job carries the stored stamped XML.
func (m *MailStore) Claim(ctx context.Context, now, leaseUntil time.Time, limit int) ([]delivery.Job, error) {
	var jobs []delivery.Job
	err := m.s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		jobs, err = mailDialect.Claim(ctx, tx, now, leaseUntil, limit, 0)
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
		return nil, mapErr("sqlite.MailStore.Attachments", m.s.path, err)
	}
	return msg.Attachments, nil
}

// NextDue returns the earliest instant a pending delivery whose document is
// not waiting for its stamp may be claimed.
func (m *MailStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	t, ok, err := mailsql.NextDue(ctx, m.s.ReadDB())
	return t, ok, mapErr("sqlite.MailStore.NextDue", m.s.path, err)
}

// ReleaseLeases makes interrupted attempts claimable at once.
func (m *MailStore) ReleaseLeases(ctx context.Context) error {
	return m.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'queued', lease_until = '' WHERE state = 'sending'`)
		return err
	})
}

// MarkSent ends a pending delivery as sent; a final one is left unchanged.
func (m *MailStore) MarkSent(ctx context.Context, id int64, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *sql.Tx) error { return mailDialect.MarkSent(ctx, tx, id, now) })
}

// Retry schedules the next attempt of a pending delivery with its reason.
func (m *MailStore) Retry(ctx context.Context, id int64, next time.Time, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *sql.Tx) error { return mailDialect.Retry(ctx, tx, id, next, reason, now) })
}

// Fail ends a pending delivery as failed with its reason.
func (m *MailStore) Fail(ctx context.Context, id int64, reason string, now time.Time) error {
	return m.s.WriteTx(ctx, func(tx *sql.Tx) error { return mailDialect.Fail(ctx, tx, id, reason, now) })
}

// Delivery returns one delivery; NotFound when absent.
func (m *MailStore) Delivery(ctx context.Context, id int64) (delivery.Delivery, error) {
	const op = "sqlite.MailStore.Delivery"
	d, err := mailsql.Delivery(ctx, m.s.ReadDB(), op, id)
	return d, mapErr(op, m.s.path, err)
}

// DeliveryStates returns the state of the newest delivery of each given
// document that has one. Documents never e-mailed are absent.
func (m *MailStore) DeliveryStates(ctx context.Context, documentIDs []int64) (map[int64]delivery.State, error) {
	return m.newestStates(ctx, "sqlite.MailStore.DeliveryStates", `SELECT x.document_id, x.state FROM deliveries x
		WHERE x.id IN (SELECT max(id) FROM deliveries WHERE document_id IN (%s) GROUP BY document_id)`, documentIDs)
}

// InvoiceDeliveryStates is DeliveryStates keyed by invoice id, for the
// invoice list (whose rows carry invoice ids). Invoices never e-mailed, and
// drafts, are absent.
func (m *MailStore) InvoiceDeliveryStates(ctx context.Context, invoiceIDs []int64) (map[int64]delivery.State, error) {
	return m.newestStates(ctx, "sqlite.MailStore.InvoiceDeliveryStates", `SELECT i.id, x.state FROM invoices i JOIN deliveries x ON x.document_id = i.document_id
		WHERE i.id IN (%[1]s) AND x.id = (SELECT max(id) FROM deliveries WHERE document_id = i.document_id)`, invoiceIDs)
}

// newestStates runs query (with %s standing for the id placeholders) over
// ids in chunks of 500; each row is (key id, state). The lookups use the
// deliveries_document index only.
func (m *MailStore) newestStates(ctx context.Context, op, query string, ids []int64) (map[int64]delivery.State, error) {
	out := make(map[int64]delivery.State)
	for len(ids) > 0 {
		chunk := ids[:min(500, len(ids))]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := "?" + strings.Repeat(", ?", len(chunk)-1)
		rows, err := m.s.ReadDB().QueryContext(ctx, fmt.Sprintf(query, marks), args...)
		if err != nil {
			return nil, mapErr(op, m.s.path, err)
		}
		for rows.Next() {
			var id int64
			var state string
			if err := rows.Scan(&id, &state); err != nil {
				rows.Close()
				return nil, mapErr(op, m.s.path, err)
			}
			out[id] = delivery.State(state)
		}
		if err := rows.Close(); err != nil {
			return nil, mapErr(op, m.s.path, err)
		}
	}
	return out, nil
}

// DocumentOfInvoice returns the id of the sealed document of a posted
// invoice, what Outbox.Enqueue takes. A draft (no document yet) or a
// missing invoice is NotFound (Store.InvoiceDocument).
func (m *MailStore) DocumentOfInvoice(ctx context.Context, invoiceID int64) (int64, error) {
	id, _, _, err := m.s.InvoiceDocument(ctx, invoiceID)
	return id, err
}
