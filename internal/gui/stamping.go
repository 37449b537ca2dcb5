package gui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// stampingRuntime is the stamp queue of the window: the worker that drains
// it, the ledger and cancellations, each document at its issuer's PAC
// account (wire.Accounts), whichever company is active.
type stampingRuntime struct {
	accounts *wire.Accounts
	queue    *sqlite.StampStore
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
func newStamping(store *sqlite.Store) *stampingRuntime {
	accounts := wire.NewAccounts(store)
	queue := sqlite.NewStampStore(store)
	worker := stamping.NewWorker(queue, accounts, domain.SystemClock, stamping.Options{})
	signer := func(ctx context.Context, rfc string) (cfdi.Signer, error) { return wire.CompanySigner(ctx, store, rfc) }
	return &stampingRuntime{
		accounts: accounts,
		queue:    queue,
		worker:   worker,
		cancels:  &stamping.Cancellations{Documents: queue, Store: queue, PACs: accounts, Guard: queue},
		deps: stamps.Deps{
			Store: queue, Worker: worker,
			Ledger: &stamping.Ledger{Store: queue, PACs: accounts},
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

// run drains the queue until ctx ends and keeps the status bar's
// connection and queue figures current.
func (r *stampingRuntime) run(ctx context.Context, ui *app.App) {
	go watchQueue(ctx, r.queue, r.worker, ui)
	if err := r.worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("stamp worker", "err", err)
	}
}

// Close stops the local PAC, if one was started.
func (r *stampingRuntime) Close() error { return r.accounts.Close() }

// watchQueue refreshes the status bar every two seconds: connection state,
// documents waiting and documents that need the user.
func watchQueue(ctx context.Context, queue *sqlite.StampStore, w *stamping.Worker, ui *app.App) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		waiting, attention, err := queue.QueueCounts(ctx)
		st := w.Status()
		if err == nil {
			fyne.Do(func() { ui.SetQueueStatus(st.Online, waiting, attention, st.LastError) })
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
