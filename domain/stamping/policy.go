package stamping

import (
	"time"

	"github.com/folio-mx/folio/domain"
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

// Backoff is the retry policy of the queue: exponential with jitter
// (domain.Backoff, shared with the mail outbox).
type Backoff = domain.Backoff

// Window tells where the document stands in SAT's 72-hour window at now.
func (d Document) Window(now time.Time) Window { return WindowAt(d.Fecha, now) }
