package postgres

import (
	"context"
	"time"

	"github.com/folio-mx/folio/data/internal/stampsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// MovementsBetween returns an issuer's ledger movements with from ≤ At < to,
// newest first, at most limit (100 when limit ≤ 0). A zero from or to leaves
// that side of the range open. It is what the "Timbres" screen pages by date.
func (q *StampStore) MovementsBetween(ctx context.Context, issuerRFC string, from, to time.Time, limit int) ([]stamping.Movement, error) {
	out, err := stampsql.MovementsBetween(ctx, q.s.ReadDB(), issuerRFC, from, to, limit)
	if err != nil {
		return nil, mapErr("postgres.StampStore.MovementsBetween", q.s.name, err)
	}
	return out, nil
}

// RetryNow makes a queued document's next attempt due at now, so the worker
// sends it on its next wake-up (Worker.Kick) instead of after its backoff.
// A document whose attempt is in flight (leased), or that is no longer
// pending, is a Conflict: the bytes and customid never change, so nothing is
// sent twice.
func (q *StampStore) RetryNow(ctx context.Context, id int64, now time.Time) error {
	const op = "postgres.StampStore.RetryNow"
	var changed int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		changed, err = stampsql.RetryNow(ctx, tx, id, now)
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
	return q.RetryIssuerNow(ctx, "", now)
}

// RetryIssuerNow makes every queued document of issuerRFC ("": of every
// issuer) that is not in flight due at now and returns how many it
// changed: after the issuer's PAC account is saved, its waiting documents
// try the new account at once instead of after their backoff.
func (q *StampStore) RetryIssuerNow(ctx context.Context, issuerRFC string, now time.Time) (int, error) {
	var changed int64
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		changed, err = stampsql.RetryAllNow(ctx, tx, issuerRFC, now)
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
	sending, due, err = stampsql.QueueActivity(ctx, q.s.ReadDB(), now)
	return sending, due, mapErr("postgres.StampStore.QueueActivity", q.s.name, err)
}
