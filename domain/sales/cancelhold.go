package sales

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
)

// CancelHoldTx is the posting unit of work of a store that holds an
// invoice while its cancellation is being asked of SAT (the hold
// stamping.Cancellations takes through stamping.CancelHolder before it
// calls the PAC). A payment receipt or a document that relates to a held
// invoice is refused until the answer: otherwise a payment posted at one
// workstation while another asks to cancel the invoice would pay an
// invoice SAT then cancels, since the cancellation checked the payments
// before the PAC call. A store whose PostTx lacks it holds nothing.
type CancelHoldTx interface {
	// CancelHeldUntil returns when the hold on invoice id's cancellation
	// ends (the zero time when there is none); inside the posting
	// transaction, after the invoice's company is locked where the store
	// locks companies.
	CancelHeldUntil(ctx context.Context, invoiceID int64) (time.Time, error)
}

// notHeld refuses to relate to invoice id (named name) while its
// cancellation is being asked of SAT at instant now.
func notHeld(ctx context.Context, tx PostTx, id int64, name string, now time.Time) error {
	h, ok := tx.(CancelHoldTx)
	if !ok || id == 0 {
		return nil
	}
	until, err := h.CancelHeldUntil(ctx, id)
	if err != nil {
		return err
	}
	if until.After(now) {
		return domain.E(domain.Conflict, "post", fmt.Sprintf("En este momento se está pidiendo al SAT la cancelación de %s: "+
			"espere su respuesta (unos segundos) y vuelva a intentar; si el SAT la acepta, ya no podrá relacionarla.", name), nil)
	}
	return nil
}
