package stampsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
)

// ErrCancelHeld refuses a second cancellation request while one is asked
// (stamping.CancelHolder).
var ErrCancelHeld = domain.E(domain.Conflict, "hold cancellation",
	"En este momento ya se está pidiendo al SAT la cancelación de este documento (quizá desde otra estación): espere su respuesta.", nil)

// HoldCancel holds document docID until until in the caller's
// transaction, which has already checked that its life allows the
// request (and, on a server, locked its company); a hold still running at
// now is ErrCancelHeld. Holds live in cancel_holds (SQLite text, fixed
// width; PostgreSQL timestamptz).
func HoldCancel(ctx context.Context, tx Q, docID int64, until, now time.Time) error {
	held, err := heldUntil(ctx, tx, `document_id = ?`, docID)
	if err != nil {
		return err
	}
	if held.After(now) {
		return ErrCancelHeld
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cancel_holds (document_id, until) VALUES (?, ?)
		ON CONFLICT (document_id) DO UPDATE SET until = excluded.until`, docID, TimeText(until)); err != nil {
		return fmt.Errorf("hold cancellation of %d: %w", docID, err)
	}
	return nil
}

// ReleaseCancel ends the hold on document docID.
func ReleaseCancel(ctx context.Context, q Q, docID int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM cancel_holds WHERE document_id = ?`, docID); err != nil {
		return fmt.Errorf("release cancellation hold of %d: %w", docID, err)
	}
	return nil
}

// CancelHeldUntil is when the hold on invoice id's cancellation ends
// (sales.CancelHoldTx); the zero time when none.
func CancelHeldUntil(ctx context.Context, q Q, invoiceID int64) (time.Time, error) {
	return heldUntil(ctx, q, `document_id = (SELECT document_id FROM invoices WHERE id = ?)`, invoiceID)
}

func heldUntil(ctx context.Context, q Q, where string, arg any) (time.Time, error) {
	var at Instant
	err := q.QueryRowContext(ctx, `SELECT until FROM cancel_holds WHERE `+where, arg).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("cancellation hold: %w", err)
	}
	return at.Time, nil
}
