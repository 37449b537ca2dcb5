package stamping

import (
	"context"
	"time"
)

// Route is an issuer's PAC accounts for failover: new documents go to the
// primary; when it has been unreachable (timeouts, connection failures,
// 5xx, SAT unavailable) for After, or has run out of stamps, they go to the
// secondary, and back when a probe finds the primary working again. A
// document whose outcome at one account is unknown goes to no other account
// until that account settles it (decision 13): the same bytes are sent to
// it again, or, when it has a Checker, it is asked without stamping.
type Route struct {
	Primary   Account
	Secondary *Account      // nil: no failover
	After     time.Duration // unreachable this long before failing over [5 min]
}

// Router is PACs whose issuers may have a secondary account. A Worker
// whose PACs implement it routes with failover.
type Router interface {
	PACs
	RouteFor(ctx context.Context, issuerRFC string) (Route, error)
}

// health is what the worker knows of one account.
type health struct {
	downSince time.Time // first unreachable answer since the last good one; zero when up
	probeAt   time.Time // while failed over: no probe before this instant
	noStamps  bool      // the account answered "out of stamps"
}

// AccountHealth is an account's state as the worker sees it.
type AccountHealth struct {
	Key       string
	DownSince time.Time // zero when reachable
	NoStamps  bool
}

// Health returns what the worker knows of the accounts it used.
func (w *Worker) Health() []AccountHealth {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]AccountHealth, 0, len(w.health))
	for k, h := range w.health {
		out = append(out, AccountHealth{Key: k, DownSince: h.downSince, NoStamps: h.noStamps})
	}
	return out
}

func (w *Worker) healthOf(key string) *health {
	if w.health == nil {
		w.health = map[string]*health{}
	}
	h := w.health[key]
	if h == nil {
		h = &health{}
		w.health[key] = h
	}
	return h
}

// unreachable reports whether an answer says the account could not serve
// the request at all: the account is treated as down.
func unreachable(r Reply) bool {
	return r.Offline || r.Class == Retryable && (r.Unknown || r.NotSent)
}

// note records an account's answer in its health.
func (w *Worker) note(key string, r Reply, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	h := w.healthOf(key)
	switch {
	case unreachable(r):
		if h.downSince.IsZero() {
			h.downSince = now
		}
	case r.Class == OutOfStamps:
		h.downSince, h.noStamps = time.Time{}, true
	default:
		h.downSince = time.Time{}
		if r.Class.HasStamp() {
			h.noStamps = false
		}
	}
}

// preferred chooses the account for a document with no unsettled outcome
// elsewhere, probing a failed primary when its probe is due. warn is a
// Spanish note when the secondary is used.
func (w *Worker) preferred(ctx context.Context, r Route) (acct Account, warn string) {
	if r.Secondary == nil {
		return r.Primary, ""
	}
	after := r.After
	if after <= 0 {
		after = 5 * time.Minute
	}
	now := w.now()
	w.mu.Lock()
	p, s := w.healthOf(r.Primary.Key), w.healthOf(r.Secondary.Key)
	pDown := !p.downSince.IsZero() && now.Sub(p.downSince) >= after
	sDown := !s.downSince.IsZero() && now.Sub(s.downSince) >= after
	useSecondary := (pDown || p.noStamps) && !sDown && !s.noStamps
	probe := useSecondary && !now.Before(p.probeAt)
	if probe {
		p.probeAt = now.Add(w.opts.ProbeEvery)
	}
	noStamps := p.noStamps
	w.mu.Unlock()
	if probe && w.probe(ctx, r.Primary, now) {
		return r.Primary, ""
	}
	if !useSecondary {
		return r.Primary, ""
	}
	if noStamps {
		return *r.Secondary, "La cuenta principal del PAC (" + r.Primary.Name + ") no tiene timbres; los documentos se envían a la cuenta secundaria (" + r.Secondary.Name + "). Compre o asigne timbres a la principal."
	}
	return *r.Secondary, "El PAC principal (" + r.Primary.Name + ") no responde; los documentos nuevos se envían al PAC secundario (" + r.Secondary.Name + ")."
}

// probe asks a failed primary for its balance (it stamps nothing): an
// answer means it is reachable again, and with stamps when the balance says
// so.
func (w *Worker) probe(ctx context.Context, a Account, now time.Time) bool {
	if a.Balance == nil {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, min(w.opts.Timeout, 30*time.Second))
	b, err := a.Balance.Balance(pctx)
	cancel()
	if err != nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	h := w.healthOf(a.Key)
	h.downSince = time.Time{}
	if b.Unlimited || b.Stamps > 0 {
		h.noStamps = false
	}
	return !h.noStamps
}

// routeJob picks the account for job j under route r. It returns ok false
// when the job was dealt with here (settled through a Checker, or left
// waiting for the account that holds its unknown outcome).
func (w *Worker) routeJob(ctx context.Context, j Job, r Route) (acct Account, ok bool) {
	want, warn := w.preferred(ctx, r)
	w.mu.Lock()
	if warn != "" {
		w.status.LastError = warn
		if w.failedOver == nil {
			w.failedOver = map[string]bool{}
		}
		w.failedOver[j.IssuerRFC] = true
	} else {
		delete(w.failedOver, j.IssuerRFC)
	}
	w.mu.Unlock()
	if !j.Unsettled || j.Account == "" || j.Account == want.Key {
		return want, true
	}
	var old *Account
	for _, a := range []*Account{&r.Primary, r.Secondary} {
		if a != nil && a.Key == j.Account {
			old = a
		}
	}
	if old == nil {
		return want, true // not an account of the route: the caller holds it
	}
	if old.Checker == nil {
		// The only way to learn the outcome is to send the same bytes to
		// the same account again (SW answers 307 when it had stamped it).
		return *old, true
	}
	actx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	reply, _ := old.Checker.Lookup(actx, j.CustomID, j.SealedXML)
	cancel()
	if ctx.Err() != nil {
		return Account{}, false
	}
	now := w.now()
	w.note(old.Key, reply, now)
	ctx = context.WithoutCancel(ctx)
	switch {
	case reply.Class.HasStamp() && len(reply.StampedXML) > 0:
		o := Outcome{Class: AlreadyStamped, Code: reply.Code, Account: old.Key}
		if err := w.store.MarkStamped(ctx, j.DocumentID, reply.StampedXML, reply.UUID, o, now); err == nil {
			w.changed(j.DocumentID, StateStamped)
		}
	case reply.Class == NotStamped:
		// Settled: the account confirms it never stamped it; the next
		// attempt (due now) goes to the preferred account.
		o := Outcome{Class: NotStamped, Code: reply.Code, Message: reply.Message, Account: old.Key}
		if err := w.store.Retry(ctx, j.DocumentID, now, o, now); err == nil {
			w.changed(j.DocumentID, StateQueued)
			w.Kick()
		}
	default:
		msg := "Se espera a que " + old.Name + " confirme si timbró el documento; no se enviará a otro PAC hasta saberlo."
		o := Outcome{Class: Retryable, Unknown: true, Message: msg, Account: old.Key}
		if err := w.store.Retry(ctx, j.DocumentID, now.Add(w.opts.Backoff.Delay(j.Attempts)), o, now); err == nil {
			w.changed(j.DocumentID, StateQueued)
		}
	}
	return Account{}, false
}
