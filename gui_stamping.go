package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// startStamping starts the local PAC of demo mode on loopback and the worker
// that drains the stamp queue into it, and keeps the status bar's
// connection and queue figures current. It returns when ctx ends.
//
// The local PAC only accepts the demo company's RFC: a document of any other
// issuer is refused (402) instead of receiving a stamp without fiscal value.
// A production PAC account (SW sapien) is wired here once its settings exist.
func startStamping(ctx context.Context, store *sqlite.Store, ui *app.App) {
	queue := sqlite.NewStampStore(store)
	local, err := sim.Start(sim.Options{LCO: []string{sales.DemoRFC}})
	if err != nil {
		slog.Error("local PAC", "err", err)
		fyne.Do(func() { ui.SetQueueStatus(false, 0, 0, domain.UserMessage(err)) })
		return
	}
	defer local.Close()
	client, err := pac.NewClient(pac.Config{
		ServicesURL: local.URL(), APIURL: local.URL(), SATStatusURL: local.StatusURL(),
		Token: sim.DemoUser.Token, Timeout: 30 * time.Second,
	})
	if err != nil {
		slog.Error("PAC client", "err", err)
		return
	}
	worker := stamping.NewWorker(queue, client, domain.SystemClock, stamping.Options{})
	go watchQueue(ctx, queue, worker, ui)
	if err := worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("stamp worker", "err", err)
	}
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
