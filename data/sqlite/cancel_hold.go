package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/folio-mx/folio/data/internal/stampsql"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

var (
	_ stamping.CancelHolder = (*StampStore)(nil)
	_ sales.CancelHoldTx    = postTx{}
)

// The holds' SQL is the PostgreSQL store's too (data/internal/stampsql).

// HoldCancel checks what AllowCancel checks and holds stamped document
// docID until until, in one write transaction (stamping.CancelHolder): a
// hold still running is another request in progress, a Conflict.
func (q *StampStore) HoldCancel(ctx context.Context, docID int64, until time.Time) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		if err := allowCancel(ctx, tx, docID); err != nil {
			return err
		}
		return stampsql.HoldCancel(ctx, tx, docID, until, q.s.Now())
	})
}

// ReleaseCancel ends the hold HoldCancel took.
func (q *StampStore) ReleaseCancel(ctx context.Context, docID int64) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error { return stampsql.ReleaseCancel(ctx, tx, docID) })
}

// CancelHeldUntil is when the hold on invoice id's cancellation ends
// (sales.CancelHoldTx); the zero time when none.
func (t postTx) CancelHeldUntil(ctx context.Context, id int64) (time.Time, error) {
	return stampsql.CancelHeldUntil(ctx, t.q, id)
}
