package stamping

import (
	"math/rand/v2"
	"time"
)

// SAT accepts a CFDI for stamping only within 72 hours of its Fecha
// (PAC error 401, "El rango de la fecha de generación no debe de ser mayor a
// 72 horas para la emisión del timbre"). Folio warns at 48 hours.
const (
	StampWindow  = 72 * time.Hour
	WarningAfter = 48 * time.Hour
)

// Window is where a pending document stands in SAT's 72-hour window.
type Window int

// Window positions.
const (
	WindowOK      Window = iota // less than 48 hours old
	WindowWarning               // 48 hours or older: stamp it soon
	WindowExpired               // older than 72 hours: it must be re-dated and re-sealed
)

// WindowAt tells where a document with the given Fecha stands at now.
func WindowAt(fecha, now time.Time) Window {
	age := now.Sub(fecha)
	switch {
	case age > StampWindow:
		return WindowExpired
	case age >= WarningAfter:
		return WindowWarning
	}
	return WindowOK
}

// Deadline is the last instant a document with the given Fecha can be stamped.
func Deadline(fecha time.Time) time.Time { return fecha.Add(StampWindow) }

// Backoff is an exponential backoff with full jitter in its upper half:
// attempt n (1-based) waits a random time in [d/2, d] with
// d = min(Base·2^(n-1), Max).
type Backoff struct {
	Base, Max time.Duration
	// Rand returns a uniform value in [0, n); nil means math/rand/v2.
	Rand func(n int64) int64
}

// Delay returns the wait before the attempt after the n-th failed one.
func (b Backoff) Delay(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	if d <= 1 {
		return d
	}
	r := b.Rand
	if r == nil {
		r = rand.Int64N
	}
	half := int64(d / 2)
	return time.Duration(half + r(int64(d)-half+1))
}

// Window tells where the document stands in SAT's 72-hour window at now.
func (d Document) Window(now time.Time) Window { return WindowAt(d.Fecha, now) }
