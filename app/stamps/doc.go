// Package stamps is the "Timbres" screen and the cancellation dialog: the
// PAC stamp balance with its low-balance warning, the movement history by
// date, the stamp queue (waiting, failed, rejected and expired documents)
// with its actions and the progress of a drain, and the request and
// follow-up of a CFDI cancellation until SAT's final answer. It reaches the
// store, the worker and the PAC only through the narrow interfaces declared
// here; it never imports data/.
package stamps

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// Store is what the screen reads and writes in the stamp queue and ledger
// (*sqlite.StampStore satisfies it). Errors carry Spanish user messages
// (domain.Error).
type Store interface {
	// Document returns one document with its sealed XML; NotFound if absent.
	Document(ctx context.Context, id int64) (stamping.Document, error)
	// Documents returns the issuer's documents in the given states, newest first.
	Documents(ctx context.Context, issuerRFC string, states ...stamping.State) ([]stamping.Document, error)
	// QueueCounts returns documents waiting and documents needing the user.
	QueueCounts(ctx context.Context) (waiting, attention int, err error)
	// MovementsBetween returns movements with from ≤ At < to, newest first.
	MovementsBetween(ctx context.Context, issuerRFC string, from, to time.Time, limit int) ([]stamping.Movement, error)
	// LastBalance returns the last known balance; ok is false if none.
	LastBalance(ctx context.Context, issuerRFC string) (b stamping.Balance, ok bool, err error)
	LowThreshold(ctx context.Context, issuerRFC string) (int64, error)
	SetLowThreshold(ctx context.Context, issuerRFC string, n int64) error
	// RetryNow makes a queued document due at now; Conflict while it is in flight.
	RetryNow(ctx context.Context, id int64, now time.Time) error
}

// Worker is the running stamp worker (*stamping.Worker satisfies it).
type Worker interface {
	Status() stamping.Status
	Kick()
	Resubmit(ctx context.Context, id int64, sealed []byte, fecha time.Time) error
	Redate(ctx context.Context, id int64, reseal stamping.Reseal) error
}

// Ledger asks the PAC for the balance, falling back to the last known one,
// and applies the low-balance rule (*stamping.Ledger satisfies it).
type Ledger interface {
	Balance(ctx context.Context, issuerRFC string) (stamping.Balance, error)
	Low(ctx context.Context, b stamping.Balance) (bool, error)
}

// Deps are the screen's dependencies. Store, Worker and Ledger are required.
type Deps struct {
	Store  Store
	Worker Worker
	Ledger Ledger
	// PACs shows each configured PAC account's balance and health and
	// names the accounts in the PAC column; nil hides that section.
	PACs PACStatus
	// Reseal re-dates and re-seals a document for "Volver a fechar y
	// sellar"; nil hides the action.
	Reseal stamping.Reseal
	// Window shows the screen's dialogs; nil means the window that holds
	// the screen.
	Window fyne.Window
	// Now is the clock [domain.SystemClock].
	Now domain.Clock
	// Poll is how often the drain progress is read while the screen lives
	// [1 s].
	Poll time.Duration
}

// storeTimeout bounds one call made by the screen.
const storeTimeout = 30 * time.Second
