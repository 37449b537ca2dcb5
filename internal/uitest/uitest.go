// Package uitest runs Folio's screen tests on Fyne's test driver with one
// change: work that screens hand to the UI goroutine with fyne.Do is queued
// and executed on the test goroutine by Queue.RunUntil, so the race detector
// sees the same ordering as in the real application (where fyne.Do runs the
// function on the UI goroutine).
package uitest

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/app/translation"
)

// Queue holds the functions given to fyne.Do until the test runs them.
type Queue struct {
	mu      sync.Mutex
	pending []func()
	signal  chan struct{}
}

// NewApp starts a temporary test app (test.NewTempApp, with the test theme
// and Folio's translations) whose driver queues fyne.Do work on the returned
// Queue.
func NewApp(t testing.TB) (fyne.App, *Queue) {
	t.Helper()
	translation.Load()
	// Registered before NewTempApp's, so it runs after it: the app the
	// next tests inherit drops the fyne.Do work of this test's goroutines
	// that outlive it (a screen's load still running at its end), which
	// the plain test driver would run at once on their own goroutine,
	// racing with the next test's UI.
	t.Cleanup(func() {
		cur := fyne.CurrentApp()
		fyne.SetCurrentApp(&queuedApp{App: cur, driver: &queuedDriver{Driver: cur.Driver(), drop: true}})
	})
	a := test.NewTempApp(t)
	if tt, ok := t.(*testing.T); ok {
		test.ApplyTheme(tt, test.Theme())
	} else {
		a.Settings().SetTheme(test.Theme()) // a benchmark: same theme, no per-test restore needed
	}
	q := &Queue{signal: make(chan struct{}, 1)}
	qa := &queuedApp{App: a, driver: &queuedDriver{Driver: a.Driver(), q: q}}
	fyne.SetCurrentApp(qa)
	return qa, q
}

type queuedApp struct {
	fyne.App
	driver *queuedDriver
}

func (a *queuedApp) Driver() fyne.Driver { return a.driver }

type queuedDriver struct {
	fyne.Driver
	q    *Queue
	drop bool // after the test: nobody runs the queue any more
}

// DoFromGoroutine queues fn; with wait it blocks until the test ran it.
// After the test it drops fn.
func (d *queuedDriver) DoFromGoroutine(fn func(), wait bool) {
	if d.drop {
		return
	}
	if !wait {
		d.q.push(fn)
		return
	}
	done := make(chan struct{})
	d.q.push(func() { fn(); close(done) })
	<-done
}

func (q *Queue) push(fn func()) {
	q.mu.Lock()
	q.pending = append(q.pending, fn)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// runPending runs what is queued now and reports how many ran.
func (q *Queue) runPending() int {
	q.mu.Lock()
	fns := q.pending
	q.pending = nil
	q.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
	return len(fns)
}

// RunUntil runs queued UI work on the calling goroutine until done reports
// true, failing the test after 20 s (generous: CI machines can be slow).
func (q *Queue) RunUntil(tb testing.TB, what string, done func() bool) {
	tb.Helper()
	deadline := time.After(20 * time.Second)
	for {
		q.runPending()
		if done() {
			return
		}
		select {
		case <-q.signal:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("waited 20s for %s", what)
		}
	}
}

// Drain runs queued UI work for d, for tests that check nothing more happens.
func (q *Queue) Drain(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		q.runPending()
		time.Sleep(5 * time.Millisecond)
	}
	q.runPending()
}
