package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

var _ stamping.CancelStore = (*StampStore)(nil)

// SaveCancellation stores a cancellation request with its acuse.
func (q *StampStore) SaveCancellation(ctx context.Context, c stamping.Cancellation) (int64, error) {
	var id int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		// The company's lock before any invoice row: an accepted
		// cancellation gives balances back (recordEvent), and a post
		// holding the lock may be waiting for the invoice's row.
		if err := lockCompany(ctx, tx, c.Request.IssuerRFC); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO cancellations (document_id, issuer_rfc, uuid, motivo, folio_sustitucion, estatus_uuid, acuse, requested_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.DocumentID, c.Request.IssuerRFC, c.Request.UUID, c.Request.Motivo, c.Request.FolioSustitucion,
			c.Receipt.EstatusUUID, c.Receipt.Acuse, stampTime(c.RequestedAt))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO stamp_movements (issuer_rfc, at, kind, stamps, document_id, uuid, comment) VALUES (?, ?, 'cancel', 0, ?, ?, ?)`,
			c.Request.IssuerRFC, stampTime(c.RequestedAt), c.DocumentID, c.Request.UUID, "Motivo "+c.Request.Motivo)
		if err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, c.DocumentID, sales.EventRequestCancel, c.RequestedAt, eventFacts{}); err != nil {
			return err
		}
		if e, ok := sales.CancelEvent(c.Status.Estado, c.Receipt.EstatusUUID, c.Status.EstatusCancelacion); ok {
			return recordEvent(ctx, tx, c.DocumentID, e, c.RequestedAt, eventFacts{})
		}
		return nil
	})
	return id, err
}

// UpdateCancelStatus stores the status SAT reported for a cancellation.
func (q *StampStore) UpdateCancelStatus(ctx context.Context, id int64, s stamping.SATStatus, checkedAt time.Time) error {
	return q.s.WriteTx(ctx, func(tx *Tx) error {
		var issuer string
		err := tx.QueryRowContext(ctx, `SELECT issuer_rfc FROM cancellations WHERE id = ?`, id).Scan(&issuer)
		if err == nil {
			err = lockCompany(ctx, tx, issuer) // before any invoice row, as SaveCancellation
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var docID int64
		var estatusUUID string
		err = tx.QueryRowContext(ctx, `UPDATE cancellations SET estado = ?, es_cancelable = ?, estatus_cancelacion = ?, checked_at = ? WHERE id = ?
			RETURNING document_id, estatus_uuid`, s.Estado, s.EsCancelable, s.EstatusCancelacion, stampTime(checkedAt), id).Scan(&docID, &estatusUUID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.E(domain.NotFound, "postgres.StampStore.UpdateCancelStatus", "La solicitud de cancelación no existe.", err)
		}
		if err != nil {
			return err
		}
		if e, ok := sales.CancelEvent(s.Estado, estatusUUID, s.EstatusCancelacion); ok {
			return recordEvent(ctx, tx, docID, e, checkedAt, eventFacts{})
		}
		return nil
	})
}

// LastCancellation returns the newest cancellation of a document.
func (q *StampStore) LastCancellation(ctx context.Context, documentID int64) (stamping.Cancellation, error) {
	const op = "postgres.StampStore.LastCancellation"
	var c stamping.Cancellation
	var requested, checked string
	err := q.s.ReadDB().QueryRowContext(ctx, `SELECT id, document_id, issuer_rfc, uuid, motivo, folio_sustitucion, estatus_uuid, acuse,
		estado, es_cancelable, estatus_cancelacion, requested_at, checked_at FROM cancellations WHERE document_id = ? ORDER BY id DESC LIMIT 1`, documentID).
		Scan(&c.ID, &c.DocumentID, &c.Request.IssuerRFC, &c.Request.UUID, &c.Request.Motivo, &c.Request.FolioSustitucion, &c.Receipt.EstatusUUID,
			&c.Receipt.Acuse, &c.Status.Estado, &c.Status.EsCancelable, &c.Status.EstatusCancelacion, &requested, &checked)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.E(domain.NotFound, op, "El documento no tiene solicitudes de cancelación.", err)
	}
	if err != nil {
		return c, mapErr(op, q.s.name, err)
	}
	c.RequestedAt, c.CheckedAt = parseStampTime(requested), parseStampTime(checked)
	return c, nil
}
