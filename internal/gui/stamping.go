package gui

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
	"github.com/folio-mx/folio/internal/wire"
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
// starting the local PAC on loopback when that account is the local one
// (the demo company, or no company yet); run starts draining. A company
// whose PAC account is missing or unreadable still opens Folio: its
// documents wait in the queue (noPAC) and the status bar says why. The
// caller closes it.
func newStamping(ctx context.Context, store *sqlite.Store) (*stampingRuntime, error) {
	var local *sim.Server
	var client interface {
		stamping.PAC
		stamping.Canceller
		stamping.BalanceSource
	}
	p := sales.PACSettings{Environment: sales.PACLocal}
	var why error
	if co, err := store.ActiveCompany(ctx); err == nil {
		p, why = store.CompanyPACSettings(ctx, co.ID)
	}
	switch {
	case why != nil:
		client = noPAC{why}
	case p.Environment == sales.PACLocal:
		var c *pac.Client
		var err error
		if local, c, err = wire.NewLocalPAC(); err != nil {
			return nil, err
		}
		client = c
	default:
		c, err := pac.NewClient(wire.PACConfig(p))
		if err != nil {
			client = noPAC{err}
		} else {
			client = c
		}
	}
	queue := sqlite.NewStampStore(store)
	worker := stamping.NewWorker(queue, client, domain.SystemClock, stamping.Options{})
	signer := func(ctx context.Context, rfc string) (cfdi.Signer, error) { return wire.CompanySigner(ctx, store, rfc) }
	return &stampingRuntime{
		local:   local,
		queue:   queue,
		worker:  worker,
		cancels: &stamping.Cancellations{Documents: queue, Store: queue, PAC: client, Guard: queue},
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

// noPAC stands in for a PAC account that is missing or unusable: stamping
// answers as a credentials problem carrying the reason, so documents stay
// queued (nothing is rejected, the retry waits 15 minutes), the status bar
// shows what to do, and the account takes effect when Folio restarts.
type noPAC struct{ why error }

func (n noPAC) Stamp(context.Context, string, []byte) (stamping.Reply, error) {
	return stamping.Reply{Class: stamping.BadCredentials, Message: domain.UserMessage(n.why)}, nil
}

func (n noPAC) Cancel(context.Context, stamping.CancelRequest) (stamping.CancelReceipt, error) {
	return stamping.CancelReceipt{}, n.err()
}

func (n noPAC) CancelStatus(context.Context, stamping.StatusQuery) (stamping.SATStatus, error) {
	return stamping.SATStatus{}, n.err()
}

func (n noPAC) Balance(context.Context) (stamping.Balance, error) { return stamping.Balance{}, n.err() }

func (n noPAC) err() error {
	return domain.E(domain.Unavailable, "gui.noPAC", domain.UserMessage(n.why), n.why)
}
