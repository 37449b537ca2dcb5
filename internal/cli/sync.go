package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

const syncUsage = "sync [--watch]"

// syncPollInterval is how often `folio sync` checks whether its pass over
// the queue is over, and how often `--watch` looks for documents posted by
// another process.
var syncPollInterval = 100 * time.Millisecond

// runSync drains the stamp queue, each document at its issuer's PAC account
// as configured in Empresa › PAC or with `folio company pac` (the local PAC
// of demo mode for the demo company). Without --watch it makes every queued
// document due, attempts each once (a retryable failure, or an issuer
// without a usable account, is reported and left for a later run) and exits
// 1 when a document was rejected or left SAT's 72-hour window. With --watch it keeps the worker running until ctx ends
// (Ctrl+C), printing each document as its state changes.
func runSync(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	watch := fs.Bool("watch", false, "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 {
		return errUsage{syncUsage}
	}
	store, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close()
	queue := wire.QueueOf(store)
	if _, err := queue.RetryAllNow(ctx, store.Now()); err != nil {
		return err
	}
	accounts := wire.NewAccounts(store)
	defer accounts.Close()

	rep := &syncReport{queue: queue, out: e.Stdout, signal: make(chan struct{}, 1)}
	opts := stamping.Options{OnChange: rep.changed}
	if *watch {
		opts.Poll = syncWatchPoll // pick up documents posted by the window
	}
	worker := stamping.NewWorker(queue, accounts, domain.SystemClock, opts)
	if *watch {
		// On a server, another workstation's post wakes the worker at once.
		bus := event.NewBus()
		sub := bus.Subscribe(64)
		if wire.FollowServer(ctx, store, bus, nil) {
			go kickOnPost(ctx, sub, worker)
		} else {
			sub.Close()
		}
	}
	printCtx, stopPrint := context.WithCancel(context.Background())
	printed := make(chan struct{})
	go func() { rep.print(printCtx); close(printed) }()

	if *watch {
		fmt.Fprintln(e.Stdout, "Sincronizando con el PAC; Ctrl+C para terminar.")
		err = worker.Run(ctx)
	} else {
		err = drainOnce(ctx, queue, worker)
	}
	stopPrint()
	<-printed
	rep.flush(context.Background())
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	waiting, attention, cerr := queue.QueueCounts(context.Background())
	if cerr != nil {
		return cerr
	}
	rep.summary(waiting, attention)
	if !*watch && rep.failed() {
		return errSilent
	}
	return nil
}

// syncWatchPoll is how often `folio sync --watch` looks for documents
// that no notification announced (a SQLite file, or a notification lost).
var syncWatchPoll = 5 * time.Second

// kickOnPost wakes the worker whenever sub announces a document posted or
// re-sealed, or that changes may have been missed (event.Resync), until
// ctx ends.
func kickOnPost(ctx context.Context, sub *event.Subscription, w *stamping.Worker) {
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			if e.Kind == event.DocumentPosted || e.Kind == event.DocumentQueued || e.Kind == event.Resync {
				w.Kick()
			}
		}
	}
}

// drainOnce runs the worker until no attempt is in flight and no document is
// due: every document due when it started has had one attempt.
func drainOnce(ctx context.Context, queue wire.StampQueue, w *stamping.Worker) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Drain(runCtx) }()
	tick := time.NewTicker(syncPollInterval)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
		sending, due, err := queue.QueueActivity(runCtx, time.Now())
		if err == nil && sending == 0 && due == 0 {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			return ctx.Err()
		}
	}
}

// syncEvent is one state change reported by the worker.
type syncEvent struct {
	id    int64
	state stamping.State
}

// syncReport prints the worker's state changes as lines. The worker's
// OnChange must not block, so changed only queues the event; print reads
// the document from the store and writes its line.
type syncReport struct {
	queue  wire.StampQueue
	out    io.Writer
	signal chan struct{}

	mu     sync.Mutex
	events []syncEvent
	counts map[stamping.State]int
}

func (r *syncReport) changed(id int64, s stamping.State) {
	if s == stamping.StateSending {
		return
	}
	r.mu.Lock()
	r.events = append(r.events, syncEvent{id, s})
	r.mu.Unlock()
	select {
	case r.signal <- struct{}{}:
	default:
	}
}

// print writes lines as events arrive until ctx ends. The store reads use
// their own context, so a line being written when ctx ends is finished.
func (r *syncReport) print(ctx context.Context) {
	for {
		r.flush(context.Background())
		select {
		case <-ctx.Done():
			return
		case <-r.signal:
		}
	}
}

// flush writes the lines of the events queued so far.
func (r *syncReport) flush(ctx context.Context) {
	r.mu.Lock()
	events := r.events
	r.events = nil
	r.mu.Unlock()
	for _, ev := range events {
		d, err := r.queue.Document(ctx, ev.id)
		if err != nil {
			fmt.Fprintf(r.out, "documento %d: %s\n", ev.id, domain.UserMessage(err))
			continue
		}
		r.mu.Lock()
		if r.counts == nil {
			r.counts = map[stamping.State]int{}
		}
		r.counts[ev.state]++
		r.mu.Unlock()
		fmt.Fprintln(r.out, syncLine(d, ev.state))
	}
}

// syncLine is the line of one document: serie-folio, what happened and the
// UUID or the problem.
func syncLine(d stamping.Document, s stamping.State) string {
	name := d.Folio
	if d.Serie != "" {
		name = d.Serie + "-" + d.Folio
	}
	problem := d.ErrorMessage
	if d.ErrorCode != "" {
		problem = d.ErrorCode + ": " + problem
	}
	if d.ErrorHint != "" {
		problem += " — " + d.ErrorHint
	}
	switch s {
	case stamping.StateStamped:
		return fmt.Sprintf("%-12s timbrada    %s", name, d.UUID)
	case stamping.StateRejected:
		return fmt.Sprintf("%-12s rechazada   %s", name, problem)
	case stamping.StateExpired:
		return fmt.Sprintf("%-12s vencida     pasaron más de 72 horas desde su fecha; vuelva a fecharla y sellarla", name)
	}
	if problem == "" {
		problem = "sin respuesta del PAC"
	}
	return fmt.Sprintf("%-12s en cola     %s (se reintentará a las %s)", name, problem,
		d.NextAttemptAt.In(domain.MexicoCity).Format("15:04:05"))
}

// summary writes the totals of the run and of the queue.
func (r *syncReport) summary(waiting, attention int) {
	r.mu.Lock()
	c := r.counts
	r.mu.Unlock()
	if len(c) == 0 {
		fmt.Fprintln(r.out, "No hubo documentos que enviar.")
	} else {
		fmt.Fprintf(r.out, "Timbradas: %d, rechazadas: %d, vencidas: %d, reintentos pendientes: %d.\n",
			c[stamping.StateStamped], c[stamping.StateRejected], c[stamping.StateExpired], c[stamping.StateQueued])
	}
	fmt.Fprintf(r.out, "En cola: %d; requieren atención: %d.\n", waiting, attention)
}

// failed reports whether a document was rejected or expired in this run.
func (r *syncReport) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[stamping.StateRejected] > 0 || r.counts[stamping.StateExpired] > 0
}
