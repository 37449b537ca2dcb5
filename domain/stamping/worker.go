package stamping

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Options tune a Worker. Zero values take the defaults in brackets.
type Options struct {
	Concurrency      int           // documents in flight at once [4]
	Backoff          Backoff       // retry delays [2 s doubling up to 10 min]
	Timeout          time.Duration // per attempt; a timeout is an unknown outcome [120 s]
	LeaseMargin      time.Duration // lease = Timeout + LeaseMargin [30 s]
	Poll             time.Duration // idle re-check interval [30 s]
	OutOfStampsDelay time.Duration // wait after "out of stamps" [15 min]
	CredentialsDelay time.Duration // wait after bad credentials [15 min]
	ProbeEvery       time.Duration // while failed over, probe the primary this often [1 min]
	// OnChange, when set, is called after a document changes state. It runs
	// on worker goroutines and must not block.
	OnChange func(id int64, s State)
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Backoff.Base <= 0 {
		o.Backoff.Base = 2 * time.Second
	}
	if o.Backoff.Max <= 0 {
		o.Backoff.Max = 10 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 120 * time.Second
	}
	if o.LeaseMargin <= 0 {
		o.LeaseMargin = 30 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 30 * time.Second
	}
	if o.OutOfStampsDelay <= 0 {
		o.OutOfStampsDelay = 15 * time.Minute
	}
	if o.CredentialsDelay <= 0 {
		o.CredentialsDelay = 15 * time.Minute
	}
	if o.ProbeEvery <= 0 {
		o.ProbeEvery = time.Minute
	}
}

// Status is the worker's view of the PAC connection.
type Status struct {
	Online    bool
	InFlight  int
	LastCode  string // code of the last non-stamp answer, if any
	LastError string // Spanish text of the last problem, "" when none
	// FailedOver lists the issuers whose new documents go to their
	// secondary PAC account now (the primary unreachable past its
	// threshold, or out of stamps), sorted; empty when none.
	FailedOver []string
}

// Worker drains the stamp queue, sending each document to its issuer's PAC
// account. Create it with NewWorker; Post, Redate and Resubmit may be called
// from any goroutine while Run is active.
type Worker struct {
	store Store
	pacs  PACs
	now   domain.Clock
	opts  Options
	wake  chan struct{}

	mu        sync.Mutex
	status    Status
	failures  int       // consecutive network failures
	probeAt   time.Time // while offline, no send before this instant
	runActive bool
	health    map[string]*health // by account key (failover)
	// failedOver holds the issuers whose last routed document went to
	// the secondary account.
	failedOver map[string]bool
}

// NewWorker returns a worker for store that asks pacs for the account of
// each document's issuer on every attempt. now may be nil (system clock).
func NewWorker(store Store, pacs PACs, now domain.Clock, opts Options) *Worker {
	opts.defaults()
	if now == nil {
		now = domain.SystemClock
	}
	return &Worker{store: store, pacs: pacs, now: now, opts: opts, wake: make(chan struct{}, 1), status: Status{Online: true}}
}

// Post queues a sealed document (document and job in one transaction) and
// wakes the worker.
func (w *Worker) Post(ctx context.Context, d NewDocument) (int64, error) {
	const op = "stamping.Post"
	if len(d.SealedXML) == 0 || d.CustomID == "" || len(d.CustomID) > 100 {
		return 0, domain.E(domain.Invalid, op, "El documento sellado o su identificador de envío no es válido.", nil)
	}
	id, err := w.store.Post(ctx, d)
	if err != nil {
		return 0, fmt.Errorf("post %s-%s: %w", d.Serie, d.Folio, err)
	}
	w.Kick()
	return id, nil
}

// Reseal re-dates a sealed document to fecha and seals it again with the
// same serie and folio, returning the new sealed bytes.
type Reseal func(ctx context.Context, sealed []byte, fecha time.Time) ([]byte, error)

// Redate handles a document whose 72-hour window has passed. Call it only
// after the user confirmed re-dating: it re-seals the document with today's
// date through reseal (same folio, same customid, so a hidden earlier stamp is
// still caught by the PAC's CFDI3307) and queues it again.
func (w *Worker) Redate(ctx context.Context, id int64, reseal Reseal) error {
	const op = "stamping.Redate"
	d, err := w.store.Document(ctx, id)
	if err != nil {
		return err
	}
	now := w.now()
	expired := d.State == StateExpired || (d.State.Pending() && WindowAt(d.Fecha, now) == WindowExpired)
	if !expired {
		return domain.E(domain.Conflict, op, "El documento todavía puede timbrarse con su fecha original.", nil)
	}
	fecha := now.In(domain.MexicoCity).Truncate(time.Second)
	sealed, err := reseal(ctx, d.SealedXML, fecha)
	if err != nil {
		return fmt.Errorf("redate %d: %w", id, err)
	}
	if err := w.store.Replace(ctx, id, sealed, fecha, now); err != nil {
		return fmt.Errorf("redate %d: %w", id, err)
	}
	w.changed(id, StateQueued)
	w.Kick()
	return nil
}

// Resubmit queues again a rejected document that the user corrected and
// re-sealed with the same serie and folio.
func (w *Worker) Resubmit(ctx context.Context, id int64, sealed []byte, fecha time.Time) error {
	const op = "stamping.Resubmit"
	d, err := w.store.Document(ctx, id)
	if err != nil {
		return err
	}
	if d.State != StateRejected {
		return domain.E(domain.Conflict, op, "Solo un documento rechazado puede enviarse de nuevo.", nil)
	}
	if err := w.store.Replace(ctx, id, sealed, fecha, w.now()); err != nil {
		return fmt.Errorf("resubmit %d: %w", id, err)
	}
	w.changed(id, StateQueued)
	w.Kick()
	return nil
}

// Kick wakes the worker (a document was posted, the network came back…).
func (w *Worker) Kick() {
	w.mu.Lock()
	w.probeAt = time.Time{}
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Status returns the current connection status.
func (w *Worker) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.status
	st.FailedOver = nil
	for rfc := range w.failedOver {
		st.FailedOver = append(st.FailedOver, rfc)
	}
	slices.Sort(st.FailedOver)
	return st
}

// Run drains the queue until ctx ends. It first releases the leases of
// attempts interrupted by a crash, so they are resent with the same bytes and
// customid. Only one Run may be active per database.
func (w *Worker) Run(ctx context.Context) error { return w.loop(ctx, false) }

// Drain is Run that returns nil once no document is pending (all stamped,
// rejected or expired).
func (w *Worker) Drain(ctx context.Context) error { return w.loop(ctx, true) }

func (w *Worker) loop(ctx context.Context, untilIdle bool) error {
	w.mu.Lock()
	if w.runActive {
		w.mu.Unlock()
		return errors.New("stamping worker already running")
	}
	w.runActive = true
	w.mu.Unlock()
	defer func() { w.mu.Lock(); w.runActive = false; w.mu.Unlock() }()

	if err := w.store.ReleaseLeases(ctx); err != nil {
		return fmt.Errorf("release leases: %w", err)
	}
	conc := w.opts.Concurrency
	// A claimed job may wait in ready for one attempt's time before it is
	// sent, so the lease covers two attempts. active guards single flight
	// even if a lease ran out under a slow store.
	lease := 2*w.opts.Timeout + w.opts.LeaseMargin
	done := make(chan int64, conc)
	inflight := 0
	var ready []Job
	active := map[int64]bool{}
	wait := func() {
		for ; inflight > 0; inflight-- {
			<-done
		}
	}
	for {
		if ctx.Err() != nil {
			wait()
			return ctx.Err()
		}
		now := w.now()
		slots := conc - inflight
		var hold time.Time // while offline: next probe instant
		w.mu.Lock()
		online := w.status.Online
		if !online {
			slots = 0
			if inflight == 0 {
				slots = 1
			}
			if now.Before(w.probeAt) {
				hold, slots = w.probeAt, 0
			}
		}
		w.mu.Unlock()

		// When the buffer cannot fill the free slots, claim for them plus,
		// when online, one round ahead: fewer write transactions per document.
		want := slots - len(ready)
		if online {
			want += conc
		}
		var claimErr error
		full := false
		if len(ready) < slots {
			jobs, err := w.store.Claim(ctx, now, now.Add(lease), want)
			claimErr = err
			full = len(jobs) == want
			for _, j := range jobs {
				if !active[j.DocumentID] {
					active[j.DocumentID] = true
					ready = append(ready, j)
				}
			}
		}
		for ; slots > 0 && len(ready) > 0; slots-- {
			j := ready[0]
			ready = ready[1:]
			inflight++
			w.changed(j.DocumentID, StateSending)
			go func(j Job) {
				w.attempt(ctx, j)
				done <- j.DocumentID
			}(j)
		}
		w.setInFlight(inflight)
		if slots > 0 && full {
			continue // maybe more are due
		}

		var timer <-chan time.Time
		if slots > 0 || !hold.IsZero() {
			next, ok, err := w.store.NextDue(ctx)
			switch {
			case err != nil || claimErr != nil:
				timer = time.After(time.Second) // the store hiccupped; try again soon
			case !ok && inflight == 0 && len(ready) == 0 && untilIdle:
				return nil
			default:
				d := w.opts.Poll
				if ok {
					d = min(d, max(next.Sub(now), 0))
				}
				if !hold.IsZero() {
					d = max(d, hold.Sub(now))
				}
				if ok || !untilIdle {
					timer = time.After(d)
				}
			}
		}
		select {
		case <-ctx.Done():
		case id := <-done:
			inflight--
			delete(active, id)
			w.setInFlight(inflight)
		case <-w.wake:
		case <-timer:
		}
	}
}

func (w *Worker) setInFlight(n int) {
	w.mu.Lock()
	w.status.InFlight = n
	w.mu.Unlock()
}

func (w *Worker) changed(id int64, s State) {
	if w.opts.OnChange != nil {
		w.opts.OnChange(id, s)
	}
}

// attempt sends one claimed job to its issuer's PAC account and records the
// outcome.
func (w *Worker) attempt(ctx context.Context, j Job) {
	now := w.now()
	if WindowAt(j.Fecha, now) == WindowExpired {
		if err := w.store.Expire(ctx, j.DocumentID, now); err == nil {
			w.changed(j.DocumentID, StateExpired)
		}
		return
	}
	var acct Account
	var err error
	router, routed := w.pacs.(Router)
	var route Route
	if routed {
		route, err = router.RouteFor(ctx, j.IssuerRFC)
		acct = route.Primary
	} else {
		acct, err = w.pacs.PACFor(ctx, j.IssuerRFC)
	}
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		// A missing or unusable account waits for the user; a passing
		// problem (the store busy, the local PAC not starting) is retried
		// like a network failure.
		delay := w.opts.CredentialsDelay
		if k := domain.KindOf(err); k != domain.NotFound && k != domain.Invalid {
			delay = w.opts.Backoff.Delay(j.Attempts)
		}
		w.hold(ctx, j, domain.UserMessage(err), delay)
		return
	}
	if routed {
		var ok bool
		if acct, ok = w.routeJob(ctx, j, route); !ok {
			return
		}
	}
	if j.Unsettled && j.Account != "" && j.Account != acct.Key {
		w.hold(ctx, j, fmt.Sprintf("El último envío de este documento fue a otra cuenta del PAC (%s) y no se sabe si lo timbró. "+
			"Para no timbrarlo dos veces no se enviará a la cuenta actual (%s) hasta que aquella responda: "+
			"vuelva a configurarla en Empresa › PAC, o consulte en el portal de ese PAC si el documento ya tiene timbre.", j.Account, acct.Name),
			w.opts.CredentialsDelay)
		return
	}
	if !j.Unsettled || j.Account != acct.Key {
		// Recorded before sending: if the reply is lost, or the process
		// dies mid-send, the document stays bound to this account.
		if err := w.store.SendingTo(ctx, j.DocumentID, acct.Key); err != nil {
			w.mu.Lock()
			w.status.LastError = domain.UserMessage(err)
			w.mu.Unlock()
			return // the lease expires and the job is attempted again
		}
	}
	actx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	reply, err := acct.PAC.Stamp(actx, j.CustomID, j.SealedXML)
	cancel()
	if ctx.Err() != nil {
		return // shutting down: the lease makes the next run resend the same bytes
	}
	if err != nil && reply.Class.HasStamp() || reply.Class.HasStamp() && len(reply.StampedXML) == 0 {
		reply = Reply{Class: Retryable, Unknown: true, Message: "respuesta sin CFDI timbrado"}
	}
	now = w.now()
	w.observe(reply, now)
	w.note(acct.Key, reply, now)
	// The reply is in hand: record it even if a shutdown or the end of a
	// drain comes meanwhile, so the outcome and its announcement (OnChange)
	// are never split — `folio sync` stops as soon as nothing is in flight,
	// and a cancelled write after the commit used to drop the announcement.
	ctx = context.WithoutCancel(ctx)
	o := Outcome{Class: reply.Class, Code: reply.Code, Message: reply.Message, Unknown: reply.Unknown, NotSent: reply.NotSent, Account: acct.Key}
	if j.Unsettled && j.Account == acct.Key {
		// A request that never left proves nothing about an EARLIER
		// attempt whose reply was lost: the outcome stays unsettled.
		o.NotSent = false
	}
	var serr error
	state := StateQueued
	switch reply.Class {
	case Stamped, AlreadyStamped, DuplicateCustomID:
		serr, state = w.store.MarkStamped(ctx, j.DocumentID, reply.StampedXML, reply.UUID, o, now), StateStamped
	case NeedsUser:
		if reply.Code == "401" { // the PAC says the 72-hour window has passed
			serr, state = w.store.Expire(ctx, j.DocumentID, now), StateExpired
		} else {
			serr, state = w.store.Reject(ctx, j.DocumentID, o, reply.Hint, now), StateRejected
		}
	case OutOfStamps:
		delay := w.opts.OutOfStampsDelay
		if routed && route.Secondary != nil {
			delay = w.opts.Backoff.Delay(1) // the other account may take it at once
		}
		serr = w.store.Retry(ctx, j.DocumentID, now.Add(delay), o, now)
	case BadCredentials:
		serr = w.store.Retry(ctx, j.DocumentID, now.Add(w.opts.CredentialsDelay), o, now)
	default: // Retryable
		serr = w.store.Retry(ctx, j.DocumentID, now.Add(w.opts.Backoff.Delay(j.Attempts)), o, now)
	}
	if serr != nil {
		w.mu.Lock()
		w.status.LastError = domain.UserMessage(serr)
		w.mu.Unlock()
		return // the lease expires and the job is attempted again
	}
	w.changed(j.DocumentID, state)
}

// hold leaves a job queued without sending it, with msg (Spanish) saying
// what the user must do, and looks at it again after delay (a caller that
// saves a PAC account can make it due at once and Kick). Nothing is
// recorded against any account, so an unsettled outcome stays unsettled.
func (w *Worker) hold(ctx context.Context, j Job, msg string, delay time.Duration) {
	now := w.now()
	w.mu.Lock()
	w.status.LastCode, w.status.LastError = "", msg
	w.mu.Unlock()
	o := Outcome{Class: Held, Message: msg}
	if err := w.store.Retry(ctx, j.DocumentID, now.Add(delay), o, now); err != nil {
		return // the lease expires and the job is attempted again
	}
	w.changed(j.DocumentID, StateQueued)
}

// observe updates the online status from a reply.
func (w *Worker) observe(r Reply, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if r.Offline {
		w.failures++
		w.status.Online = false
		w.probeAt = now.Add(w.opts.Backoff.Delay(w.failures))
		w.status.LastError = "Sin conexión con el PAC; los documentos se enviarán al recuperar la conexión."
		return
	}
	w.failures = 0
	w.status.Online = true
	w.probeAt = time.Time{}
	switch r.Class {
	case Stamped, AlreadyStamped, DuplicateCustomID:
		w.status.LastError, w.status.LastCode = "", ""
	default:
		w.status.LastCode = r.Code
		w.status.LastError = r.Message
		if r.Hint != "" {
			w.status.LastError = r.Hint
		}
	}
}
