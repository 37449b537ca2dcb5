package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain/sales"
)

// eventFacts are the values an event brings to the issued document besides
// its new state: the UUID of a stamp, the Fecha of a re-seal.
type eventFacts struct {
	uuid  string
	fecha time.Time
}

// recordEvent records, in the caller's transaction, the state the domain's
// lifecycle (sales.State.Next) decides for event e on the issued document
// linked to stamped document docID (design decision 11: no trigger moves a
// document). A stamped document with no issued document (queued on its own)
// has nothing to record. A refused event is returned as the domain's error,
// which rolls the caller's transaction back.
func recordEvent(ctx context.Context, q querier, docID int64, e sales.Event, at time.Time, f eventFacts) error {
	var id int64
	var st, issuer string
	if e == sales.EventCancelAccepted {
		// A cancellation gives balances back (recordCancelBalances): it
		// waits for the company's posts in progress, and they for it. The
		// cancellation store's methods took the lock already, before any
		// invoice row; taking it again is free.
		err := q.QueryRowContext(ctx, `SELECT issuer FROM invoices WHERE document_id = ?`, docID).Scan(&issuer)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("find document %d: %w", docID, err)
		}
		if err := lockCompany(ctx, q, issuer); err != nil {
			return err
		}
	}
	err := q.QueryRowContext(ctx, `SELECT id, state, issuer FROM invoices WHERE document_id = ?`, docID).Scan(&id, &st, &issuer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find document %d: %w", docID, err)
	}
	next, err := sales.State(st).Next(e)
	if err != nil {
		return err
	}
	set := `state = ?, status = ?, updated_at = ?`
	args := []any{string(next), string(next.Status()), salesTimeText(at)}
	if f.uuid != "" {
		set += `, uuid = ?`
		args = append(args, f.uuid)
	}
	if !f.fecha.IsZero() {
		set += `, fecha = ?`
		args = append(args, salesTimeText(f.fecha))
	}
	if _, err := q.ExecContext(ctx, `UPDATE invoices SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
		return fmt.Errorf("record %s on document %d: %w", e, docID, err)
	}
	if k, ok := lifecycleKinds[e]; ok {
		if err := notify(ctx, q, change{Kind: k, Issuer: issuer, Document: docID, InvoiceID: id}); err != nil {
			return err
		}
	}
	if next == sales.StateCancelled && sales.State(st) != sales.StateCancelled {
		if err := recordCancelBalances(ctx, q, id); err != nil {
			return err
		}
		if err := recordCancelMovements(ctx, q, id, at); err != nil {
			return err
		}
		return recordCancelStock(ctx, q, id, at)
	}
	return nil
}

// documentState returns the lifecycle state of the issued document linked to
// stamped document docID; found is false when there is none.
func documentState(ctx context.Context, q querier, docID int64) (st sales.State, found bool, err error) {
	var s string
	err = q.QueryRowContext(ctx, `SELECT state FROM invoices WHERE document_id = ?`, docID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("document state %d: %w", docID, err)
	}
	return sales.State(s), true, nil
}

// AllowCancel tells whether the life of stamped document docID allows a
// cancellation request now: the domain refuses one while another is in
// process or once cancelled (stamping.CancelGuard), and refuses to cancel an
// invoice while live credit notes or payment receipts relate to it, or a
// document whose stock reversal would leave a product below zero that may
// not be sold without stock.
func (q *StampStore) AllowCancel(ctx context.Context, docID int64) error {
	return allowCancel(ctx, q.s.ReadDB(), docID)
}

// allowCancel is AllowCancel as q sees the database (HoldCancel's
// transaction).
func allowCancel(ctx context.Context, q querier, docID int64) error {
	st, found, err := documentState(ctx, q, docID)
	if err != nil || !found {
		return err
	}
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT id FROM invoices WHERE document_id = ?`, docID).Scan(&id); err != nil {
		return fmt.Errorf("invoice of document %d: %w", docID, err)
	}
	notes, err := creditNotesOf(ctx, q, id)
	if err != nil {
		return err
	}
	payments, err := paymentsOf(ctx, q, id)
	if err != nil {
		return err
	}
	if err := sales.AllowCancelPaidInvoice(st, notes, payments); err != nil {
		return err
	}
	return allowCancelStock(ctx, q, id)
}
