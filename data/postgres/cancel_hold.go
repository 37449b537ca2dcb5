package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/data/internal/stampsql"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

var (
	_ stamping.CancelHolder = (*StampStore)(nil)
	_ sales.CancelHoldTx    = postTx{}
)

// The holds' SQL is the SQLite store's too (data/internal/stampsql).

// HoldCancel checks what AllowCancel checks and holds stamped document
// docID until until, in one transaction under its company's posting lock
// (companylock.go): a payment or credit note posted at another
// workstation at the same moment either committed before, and the check
// sees it, or waits for the lock and then sees the hold. A hold still
// running is another request in progress, a Conflict.
func (q *StampStore) HoldCancel(ctx context.Context, docID int64, until time.Time) error {
	err := q.s.WriteTx(ctx, func(tx *Tx) error {
		var issuer string
		if err := tx.QueryRowContext(ctx, `SELECT issuer_rfc FROM documents WHERE id = ?`, docID).Scan(&issuer); err != nil {
			return fmt.Errorf("document %d: %w", docID, err)
		}
		if err := lockCompany(ctx, tx, issuer); err != nil {
			return err
		}
		if err := allowCancel(ctx, tx, docID); err != nil {
			return err
		}
		return stampsql.HoldCancel(ctx, tx, docID, until, q.s.Now())
	})
	return mapErr("postgres.HoldCancel", q.s.name, err)
}

// ReleaseCancel ends the hold HoldCancel took.
func (q *StampStore) ReleaseCancel(ctx context.Context, docID int64) error {
	return mapErr("postgres.ReleaseCancel", q.s.name, stampsql.ReleaseCancel(ctx, q.s.db, docID))
}

// CancelHeldUntil is when the hold on invoice id's cancellation ends
// (sales.CancelHoldTx), read after the invoice's company lock; the zero
// time when none.
func (t postTx) CancelHeldUntil(ctx context.Context, id int64) (time.Time, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return time.Time{}, err
	}
	return stampsql.CancelHeldUntil(ctx, t.q, id)
}
