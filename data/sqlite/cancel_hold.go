package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

var (
	_ stamping.CancelHolder = (*StampStore)(nil)
	_ sales.CancelHoldTx    = postTx{}
)

// HoldCancel checks what AllowCancel checks and holds stamped document
// docID until until, in one write transaction (stamping.CancelHolder): a
// hold still running is another request in progress, a Conflict.
func (q *StampStore) HoldCancel(ctx context.Context, docID int64, until time.Time) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		if err := allowCancel(ctx, tx, docID); err != nil {
			return err
		}
		held, err := cancelHeldUntil(ctx, tx, `document_id = ?`, docID)
		if err != nil {
			return err
		}
		if held.After(q.s.Now()) {
			return errCancelHeld
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cancel_holds (document_id, until) VALUES (?, ?)
			ON CONFLICT (document_id) DO UPDATE SET until = excluded.until`, docID, salesTimeText(until)); err != nil {
			return fmt.Errorf("hold cancellation of %d: %w", docID, err)
		}
		return nil
	})
}

// ReleaseCancel ends the hold HoldCancel took.
func (q *StampStore) ReleaseCancel(ctx context.Context, docID int64) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM cancel_holds WHERE document_id = ?`, docID)
		return err
	})
}

// CancelHeldUntil is when the hold on invoice id's cancellation ends
// (sales.CancelHoldTx); the zero time when none.
func (t postTx) CancelHeldUntil(ctx context.Context, id int64) (time.Time, error) {
	return cancelHeldUntil(ctx, t.q, `document_id = (SELECT document_id FROM invoices WHERE id = ?)`, id)
}

// errCancelHeld refuses a second cancellation request while one is asked.
var errCancelHeld = domain.E(domain.Conflict, "hold cancellation",
	"En este momento ya se está pidiendo al SAT la cancelación de este documento (quizá desde otra estación): espere su respuesta.", nil)

func cancelHeldUntil(ctx context.Context, q querier, where string, arg any) (time.Time, error) {
	var s string
	err := q.QueryRowContext(ctx, `SELECT until FROM cancel_holds WHERE `+where, arg).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("cancellation hold: %w", err)
	}
	t, err := time.Parse(salesTimeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("cancellation hold %q: %w", s, err)
	}
	return t, nil
}
