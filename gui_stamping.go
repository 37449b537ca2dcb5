package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// stampingRuntime is the stamp queue of the window: the worker that drains
// it, the ledger and cancellations, all against the PAC account of the
// company active when Folio started (the local PAC of demo mode when that
// company has none, or none is set up yet).
type stampingRuntime struct {
	local   *sim.Server
	queue   *sqlite.StampStore
	worker  *stamping.Worker
	cancels *stamping.Cancellations
	deps    stamps.Deps
}

// newStamping builds the worker against the active company's PAC account,
// starting the local PAC on loopback when that account is the local one;
// run starts draining. The caller closes it.
func newStamping(ctx context.Context, store *sqlite.Store) (*stampingRuntime, error) {
	var local *sim.Server
	var client *pac.Client
	p := sales.PACSettings{Environment: sales.PACLocal}
	if co, err := store.ActiveCompany(ctx); err == nil {
		if p, err = store.CompanyPACSettings(ctx, co.ID); err != nil {
			return nil, err
		}
	}
	var err error
	if p.Environment == sales.PACLocal {
		local, client, err = newLocalPAC()
	} else {
		client, err = pac.NewClient(pacConfig(p))
	}
	if err != nil {
		return nil, err
	}
	queue := sqlite.NewStampStore(store)
	worker := stamping.NewWorker(queue, client, domain.SystemClock, stamping.Options{})
	signer := func(ctx context.Context, rfc string) (cfdi.Signer, error) { return companySigner(ctx, store, rfc) }
	return &stampingRuntime{
		local:   local,
		queue:   queue,
		worker:  worker,
		cancels: &stamping.Cancellations{Documents: queue, Store: queue, PAC: client},
		deps: stamps.Deps{
			Store: queue, Worker: worker,
			Ledger: &stamping.Ledger{Store: queue, Source: client},
			Reseal: stamping.ResealWith(signer),
		},
	}, nil
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
func (r *stampingRuntime) Close() error {
	if r.local == nil {
		return nil
	}
	return r.local.Close()
}

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
