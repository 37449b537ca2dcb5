package postgres

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// MovementsBetween returns an issuer's ledger movements with from ≤ At < to,
// newest first, at most limit (100 when limit ≤ 0). A zero from or to leaves
// that side of the range open. It is what the "Timbres" screen pages by date.
func (q *StampStore) MovementsBetween(ctx context.Context, issuerRFC string, from, to time.Time, limit int) ([]stamping.Movement, error) {
	const op = "postgres.StampStore.MovementsBetween"
	if limit <= 0 {
		limit = 100
	}
	query := `SELECT id, issuer_rfc, at, kind, stamps, COALESCE(document_id, 0), uuid, comment
		FROM stamp_movements WHERE issuer_rfc = ?`
	args := []any{issuerRFC}
	if !from.IsZero() {
		query += ` AND at >= ?`
		args = append(args, stampTime(from))
	}
	if !to.IsZero() {
		query += ` AND at < ?`
		args = append(args, stampTime(to))
	}
	rows, err := q.s.ReadDB().QueryContext(ctx, query+` ORDER BY at DESC, id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, mapErr(op, q.s.name, err)
	}
	defer rows.Close()
	var out []stamping.Movement
	for rows.Next() {
		var m stamping.Movement
		var at, kind string
		if err := rows.Scan(&m.ID, &m.IssuerRFC, &at, &kind, &m.Stamps, &m.DocumentID, &m.UUID, &m.Comment); err != nil {
			return nil, mapErr(op, q.s.name, err)
		}
		m.At, m.Kind = parseStampTime(at), stamping.MovementKind(kind)
		out = append(out, m)
	}
	return out, mapErr(op, q.s.name, rows.Err())
}

// RetryNow makes a queued document's next attempt due at now, so the worker
// sends it on its next wake-up (Worker.Kick) instead of after its backoff.
// A document whose attempt is in flight (leased), or that is no longer
// pending, is a Conflict: the bytes and customid never change, so nothing is
// sent twice.
func (q *StampStore) RetryNow(ctx context.Context, id int64, now time.Time) error {
	const op = "postgres.StampStore.RetryNow"
	n := stampTime(now)
	var changed int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET next_attempt_at = ?
			WHERE document_id = ? AND (lease_until = '' OR lease_until <= ?)`, n, id, n)
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return err
	}
	if changed == 0 {
		return domain.E(domain.Conflict, op, "El documento se está enviando en este momento o ya no está en la cola.", nil)
	}
	return nil
}

// RetryAllNow makes every queued document that is not in flight due at now
// and returns how many it changed: `folio sync` attempts the whole queue at
// once instead of waiting for each document's backoff.
func (q *StampStore) RetryAllNow(ctx context.Context, now time.Time) (int, error) {
	n := stampTime(now)
	var changed int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET next_attempt_at = ?
			WHERE next_attempt_at > ? AND (lease_until = '' OR lease_until <= ?)`, n, n, n)
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	return int(changed), err
}

// RetryIssuerNow makes every queued document of issuerRFC that is not in
// flight due at now and returns how many it changed: after the issuer's PAC
// account is saved, its waiting documents try the new account at once
// instead of after their backoff.
func (q *StampStore) RetryIssuerNow(ctx context.Context, issuerRFC string, now time.Time) (int, error) {
	n := stampTime(now)
	var changed int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET next_attempt_at = ?
			WHERE next_attempt_at > ? AND (lease_until = '' OR lease_until <= ?)
			AND document_id IN (SELECT id FROM documents WHERE issuer_rfc = ?)`, n, n, n, issuerRFC)
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	return int(changed), err
}

// QueueActivity returns, in one consistent read, how many documents have an
// attempt in flight — being sent (state sending) or claimed by the worker
// and waiting for a free slot (still queued, under a lease that has not run
// out) — and how many are due for an attempt at now, across every issuer.
// Both zero means a drain pass is over: what is left waits for a later
// retry. (A claimed job counted as neither once ended `folio sync` before
// it was sent, under load.)
func (q *StampStore) QueueActivity(ctx context.Context, now time.Time) (sending, due int, err error) {
	const op = "postgres.StampStore.QueueActivity"
	n := stampTime(now)
	err = q.s.ReadDB().QueryRowContext(ctx, `SELECT
		COALESCE(SUM((d.state = 'sending' OR (d.state = 'queued' AND j.lease_until > ?))::int), 0),
		COALESCE(SUM((d.state = 'queued' AND j.next_attempt_at <= ? AND (j.lease_until = '' OR j.lease_until <= ?))::int), 0)
		FROM stamp_jobs j JOIN documents d ON d.id = j.document_id`, n, n, n).Scan(&sending, &due)
	return sending, due, mapErr(op, q.s.name, err)
}
