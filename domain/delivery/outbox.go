package delivery

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/print"
)

// MsgNoSettings is the last error of a delivery waiting for its company's
// SMTP settings. It names where the window keeps them: the "Correo" area,
// in the side bar and in the "Ir a" menu (app's tests check that it exists).
const MsgNoSettings = "Configure el servidor de correo de la empresa en «Correo» (barra lateral o menú Ir a › Correo); el envío queda en espera."

// Options tune an Outbox. Zero values take the defaults in brackets.
type Options struct {
	Concurrency   int           // deliveries in flight at once [2]
	BackoffBase   time.Duration // first retry delay; doubles per attempt [30 s]
	BackoffMax    time.Duration // longest retry delay [1 h]
	Timeout       time.Duration // per attempt [2 min]
	LeaseMargin   time.Duration // lease = Timeout + LeaseMargin [30 s]
	Poll          time.Duration // idle re-check interval (stamps arriving…) [30 s]
	SettingsDelay time.Duration // wait while the company has no SMTP settings [15 min]
	// Print returns the print options (logo, colours, footer) of an issuer;
	// nil prints with the defaults. Cancelled is set by the outbox.
	Print func(ctx context.Context, issuerRFC string) print.Options
	// Sections returns the non-fiscal data a document's PDF prints (a
	// sale's shipping and handling, print.Options.Sections) by document
	// id; nil prints none.
	Sections func(ctx context.Context, documentID int64) []print.Section
	// Rand returns a uniform value in [0, n) for the jitter; nil means
	// math/rand/v2.
	Rand func(n int64) int64
	// OnChange, when set, is called with the document id (0 for a
	// message) after a delivery changes state. It runs on worker
	// goroutines and must not block.
	OnChange func(documentID int64, s State)
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 2
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 30 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = time.Hour
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.LeaseMargin <= 0 {
		o.LeaseMargin = 30 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 30 * time.Second
	}
	if o.SettingsDelay <= 0 {
		o.SettingsDelay = 15 * time.Minute
	}
	if o.Rand == nil {
		o.Rand = rand.Int64N
	}
}

// Backoff returns the wait after the n-th failed attempt (1-based): a
// random time in [d/2, d] with d = min(BackoffBase·2^(n-1), BackoffMax), so
// that deliveries that failed together do not retry together.
func (o Options) Backoff(n int) time.Duration {
	o.defaults()
	return domain.Backoff{Base: o.BackoffBase, Max: o.BackoffMax, Rand: o.Rand}.Delay(n)
}

// Outbox sends queued deliveries. Create it with NewOutbox; Enqueue and Kick
// may be called from any goroutine while Run is active.
type Outbox struct {
	store    Store
	settings SettingsStore
	mailer   Mailer
	now      domain.Clock
	opts     Options
	wake     chan struct{}

	mu        sync.Mutex
	runActive bool
}

// NewOutbox returns an outbox over store that reads SMTP settings from
// settings and sends through mailer. now may be nil (system clock).
func NewOutbox(store Store, settings SettingsStore, mailer Mailer, now domain.Clock, opts Options) *Outbox {
	opts.defaults()
	if now == nil {
		now = domain.SystemClock
	}
	return &Outbox{store: store, settings: settings, mailer: mailer, now: now, opts: opts, wake: make(chan struct{}, 1)}
}

// Enqueue checks the recipients and queues the delivery of a document (one
// transaction in the store), then wakes the worker. It returns the delivery
// id. Bad addresses are Invalid; a rejected or expired document is Conflict.
func (o *Outbox) Enqueue(ctx context.Context, documentID int64, to []string) (int64, error) {
	rcpts, err := ParseRecipients(to...)
	if err != nil {
		return 0, err
	}
	id, err := o.store.Enqueue(ctx, documentID, rcpts, o.now())
	if err != nil {
		return 0, fmt.Errorf("enqueue delivery of document %d: %w", documentID, err)
	}
	o.changed(documentID, StateQueued)
	o.Kick()
	return id, nil
}

// EnqueueMessage checks the recipients and m and queues m's delivery from
// the company with RFC issuerRFC (one transaction in the store), then wakes
// the worker; it is sent, retried and reported like a document's. It
// returns the delivery id. Bad addresses, or a message without a subject,
// are Invalid.
func (o *Outbox) EnqueueMessage(ctx context.Context, issuerRFC string, to []string, m Message) (int64, error) {
	const op = "delivery.Outbox.EnqueueMessage"
	rcpts, err := ParseRecipients(to...)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(m.Subject) == "" || issuerRFC == "" {
		return 0, domain.E(domain.Invalid, op, "El correo no tiene asunto o empresa que lo envíe.", nil)
	}
	id, err := o.store.EnqueueMessage(ctx, issuerRFC, rcpts, m, o.now())
	if err != nil {
		return 0, fmt.Errorf("enqueue message %q: %w", m.Subject, err)
	}
	o.changed(0, StateQueued)
	o.Kick()
	return id, nil
}

// Kick wakes the worker (a delivery was queued, a document was stamped, the
// SMTP settings changed…).
func (o *Outbox) Kick() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run sends deliveries until ctx ends. It first releases the leases of
// attempts interrupted by a crash. Only one Run may be active per database.
func (o *Outbox) Run(ctx context.Context) error {
	o.mu.Lock()
	if o.runActive {
		o.mu.Unlock()
		return errors.New("delivery outbox already running")
	}
	o.runActive = true
	o.mu.Unlock()
	defer func() { o.mu.Lock(); o.runActive = false; o.mu.Unlock() }()

	if err := o.store.ReleaseLeases(ctx); err != nil {
		return fmt.Errorf("release delivery leases: %w", err)
	}
	for {
		n, err := o.RunOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil && n == o.opts.Concurrency {
			continue // maybe more are due
		}
		wait := o.opts.Poll
		if err != nil {
			wait = time.Second // the store hiccupped; try again soon
		} else if next, ok, err := o.store.NextDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(o.now()), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-o.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims the deliveries due now (up to Concurrency), attempts them
// in parallel and returns how many it claimed once all are recorded.
func (o *Outbox) RunOnce(ctx context.Context) (int, error) {
	now := o.now()
	jobs, err := o.store.Claim(ctx, now, now.Add(o.opts.Timeout+o.opts.LeaseMargin), o.opts.Concurrency)
	if err != nil {
		return 0, fmt.Errorf("claim deliveries: %w", err)
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		o.changed(j.DocumentID, StateSending)
		wg.Go(func() { o.attempt(ctx, j) })
	}
	wg.Wait()
	return len(jobs), nil
}

// attempt renders and sends one claimed delivery and records the outcome.
// A failure to record leaves the lease to expire: the delivery is attempted
// again.
func (o *Outbox) attempt(ctx context.Context, j Job) {
	if j.Message != nil {
		s, ok := o.settingsFor(ctx, j)
		if ok {
			o.send(ctx, j, func(actx context.Context) error { return o.mailer.SendMessage(actx, s, j.To, *j.Message) })
		}
		return
	}
	switch j.DocState {
	case DocumentRejected:
		o.fail(ctx, j, "El comprobante no se timbró (fue rechazado o venció su plazo de 72 horas); no se envió al cliente.")
		return
	case DocumentPending: // the store should not claim these; wait for the stamp
		o.retry(ctx, j, o.now().Add(o.opts.Poll), "El comprobante espera su timbre; se enviará en cuanto esté timbrado.")
		return
	}
	c, err := cfdi.Parse(j.XML)
	if err != nil {
		o.fail(ctx, j, "El XML guardado del comprobante no se pudo leer; no se envió.")
		return
	}
	if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
		o.fail(ctx, j, "El XML guardado del comprobante no tiene timbre fiscal; no se envió.")
		return
	}
	s, ok := o.settingsFor(ctx, j)
	if !ok {
		return
	}
	var popt print.Options
	if o.opts.Print != nil {
		popt = o.opts.Print(ctx, j.IssuerRFC)
	}
	popt.Cancelled = j.Cancelled
	if o.opts.Sections != nil {
		popt.Sections = o.opts.Sections(ctx, j.DocumentID)
	}
	pdf, err := print.Render(c, popt)
	if err != nil {
		o.fail(ctx, j, "No se pudo generar el PDF del comprobante; no se envió. "+domain.UserMessage(err))
		return
	}
	o.send(ctx, j, func(actx context.Context) error { return o.mailer.SendDocument(actx, s, j.To, c, j.XML, pdf) })
}

// settingsFor returns the SMTP settings of j's company, or schedules j's
// next attempt and returns false.
func (o *Outbox) settingsFor(ctx context.Context, j Job) (SMTPSettings, bool) {
	s, err := o.settings.MailSettings(ctx, j.IssuerRFC)
	if err == nil {
		return s, true
	}
	switch {
	case ctx.Err() != nil:
	case domain.KindOf(err) == domain.NotFound:
		o.retry(ctx, j, o.now().Add(o.opts.SettingsDelay), MsgNoSettings)
	default:
		o.retry(ctx, j, o.now().Add(o.opts.Backoff(j.Attempts)), domain.UserMessage(err))
	}
	return s, false
}

// send makes one attempt with the per-attempt timeout and records its
// outcome.
func (o *Outbox) send(ctx context.Context, j Job, attempt func(context.Context) error) {
	actx, cancel := context.WithTimeout(ctx, o.opts.Timeout)
	err := attempt(actx)
	cancel()
	if ctx.Err() != nil {
		return // shutting down: the lease makes the next run send it again
	}
	switch kind := domain.KindOf(err); {
	case err == nil:
		if o.store.MarkSent(ctx, j.ID, o.now()) == nil {
			o.changed(j.DocumentID, StateSent)
		}
	case retryable(err, kind):
		o.retry(ctx, j, o.now().Add(o.opts.Backoff(j.Attempts)), domain.UserMessage(err))
	default:
		o.fail(ctx, j, domain.UserMessage(err))
	}
}

// retryable tells whether a send error may succeed later: the server could
// not be reached, or something failed that is not a domain verdict (a
// timeout, a broken connection).
func retryable(err error, kind domain.Kind) bool {
	var de *domain.Error
	return kind == domain.Unavailable || !errors.As(err, &de)
}

func (o *Outbox) retry(ctx context.Context, j Job, next time.Time, reason string) {
	if o.store.Retry(ctx, j.ID, next, reason, o.now()) == nil {
		o.changed(j.DocumentID, StateQueued)
	}
}

func (o *Outbox) fail(ctx context.Context, j Job, reason string) {
	if o.store.Fail(ctx, j.ID, reason, o.now()) == nil {
		o.changed(j.DocumentID, StateFailed)
	}
}

func (o *Outbox) changed(documentID int64, s State) {
	if o.opts.OnChange != nil {
		o.opts.OnChange(documentID, s)
	}
}
