package gui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// stampingRuntime is the stamp queue of the window: the worker that drains
// it, the ledger and cancellations, each document at its issuer's PAC
// account (wire.Accounts), whichever company is active.
type stampingRuntime struct {
	store    windowStore
	warned   string // the deadline warning last shown
	accounts *wire.Accounts
	queue    windowQueue
	worker   *stamping.Worker
	cancels  *stamping.Cancellations
	deps     stamps.Deps
}

// newStamping builds the worker, the ledger and cancellations over the
// companies' PAC accounts; run starts draining. No account is read here: a
// company whose account is missing or unreadable still opens Folio, its
// documents wait in the queue with the reason in the status bar, and the
// local PAC of demo mode starts only when the demo company has something
// to stamp. The caller closes it.
func newStamping(b backend, events event.Publisher) *stampingRuntime {
	store, queue := b.store, b.queue
	accounts := wire.NewAccounts(store)
	worker := stamping.NewWorker(queue, accounts, domain.SystemClock, stamping.Options{
		OnChange: func(id int64, s stamping.State) {
			event.Publish(events, event.Event{Kind: stateEvent[s], DocumentID: id})
		},
	})
	signer := func(ctx context.Context, rfc string) (cfdi.Signer, error) { return wire.CompanySigner(ctx, store, rfc) }
	return &stampingRuntime{
		store:    store,
		accounts: accounts,
		queue:    queue,
		worker:   worker,
		cancels:  &stamping.Cancellations{Documents: queue, Store: queue, PACs: accounts, Guard: queue, Events: events},
		deps: stamps.Deps{
			Store: queue, Worker: worker,
			Ledger: &stamping.Ledger{Store: queue, PACs: accounts},
			PACs:   newPACStatus(accounts, worker),
			Reseal: stamping.ResealWith(signer),
		},
	}
}

// accountSaved makes the issuer's waiting documents try its new PAC
// account at once (instead of after their backoff) and wakes the worker.
func (r *stampingRuntime) accountSaved(ctx context.Context, issuerRFC string) {
	if _, err := r.queue.RetryIssuerNow(ctx, issuerRFC, time.Now()); err != nil {
		slog.Warn("retry after PAC account change", "rfc", issuerRFC, "err", err)
	}
	r.worker.Kick()
}

// stateEvent is the announcement of each stamping state a document enters.
var stateEvent = map[stamping.State]event.Kind{
	stamping.StateQueued:   event.DocumentQueued,
	stamping.StateSending:  event.DocumentSending,
	stamping.StateStamped:  event.DocumentStamped,
	stamping.StateRejected: event.DocumentRejected,
	stamping.StateExpired:  event.DocumentExpired,
}

// follow wakes the worker as soon as a document is posted (it would
// otherwise find it at its next idle check) until sub closes or ctx ends.
func (r *stampingRuntime) follow(ctx context.Context, sub *event.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			if e.Kind == event.DocumentPosted {
				r.worker.Kick()
			}
		}
	}
}

// refreshStatus reads the queue figures off the UI goroutine and shows them
// in the status bar: called when the data changed, besides the periodic
// reading of watchQueue.
func (r *stampingRuntime) refreshStatus(ctx context.Context, ui *app.App) {
	go func() {
		waiting, attention, err := r.queue.QueueCounts(ctx)
		st := r.worker.Status()
		if err == nil {
			fyne.Do(func() { ui.SetQueueStatus(st.Online, waiting, attention, st.LastError, len(st.FailedOver) > 0) })
		}
		r.warnDeadlines(ctx, ui)
	}()
}

// warnDeadlines tells the status bar, three days ahead, of payment
// receipts that are still not stamped when SAT's deadline for them comes
// (sales.DeadlineWarning); a warning is shown once until it changes.
func (r *stampingRuntime) warnDeadlines(ctx context.Context, ui *app.App) {
	pending, err := r.store.PendingReceipts(ctx)
	if err != nil {
		slog.Warn("pending receipts", "err", err)
		return
	}
	w := sales.DeadlineWarning(pending, time.Now())
	fyne.Do(func() {
		if w != "" && w != r.warned {
			ui.StatusBar().SetMessage(w)
		}
		r.warned = w
	})
}

// run drains the queue until ctx ends and keeps the status bar's
// connection and queue figures current.
func (r *stampingRuntime) run(ctx context.Context, ui *app.App) {
	go watchQueue(ctx, r.queue, r.worker, ui)
	go func() {
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			r.warnDeadlines(ctx, ui)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	if err := r.worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("stamp worker", "err", err)
	}
}

// Close stops the local PAC, if one was started.
func (r *stampingRuntime) Close() error { return r.accounts.Close() }

// watchQueue refreshes the status bar every two seconds: connection state,
// documents waiting and documents that need the user.
func watchQueue(ctx context.Context, queue windowQueue, w *stamping.Worker, ui *app.App) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		waiting, attention, err := queue.QueueCounts(ctx)
		st := w.Status()
		if err == nil {
			fyne.Do(func() { ui.SetQueueStatus(st.Online, waiting, attention, st.LastError, len(st.FailedOver) > 0) })
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
