// Package stamping is Folio's offline stamp queue: a sealed document and its
// stamp job are stored together, and a Worker sends jobs to the PAC with
// bounded concurrency, exponential backoff with jitter, one send in flight per
// document and the same bytes and customid on every retry. Replies lost in
// transit are recovered through the PAC's idempotency (307 / CFDI3307), so a
// document is never stamped twice. The 72-hour window of SAT is watched.
//
// Each issuer stamps at its own PAC account (decision 13): the worker, the
// ledger and cancellations ask PACs for the account of the document's issuer
// on every use, so a changed account takes effect at once. A document whose
// outcome at one account is unknown (a timeout, a lost reply) is never sent
// to another account until the first one settles it.
//
// The package defines the ports it needs (Store, PACs, PAC, LedgerStore,
// BalanceSource, Canceller); implementations live in data/sqlite and
// data/pac. It imports no database or network package.
package stamping

import (
	"context"
	"time"
)

// Class is what a PAC answer means for the queue.
type Class int

// The answer classes (pac/README.md §4.1 and §8).
const (
	Stamped           Class = iota // a new stamp was issued
	AlreadyStamped                 // 307: the same document was stamped before; the previous stamp came back
	DuplicateCustomID              // CFDI3307: the customid was used by an earlier version; its stamp came back
	Retryable                      // network, timeout, 5xx, SAT unreachable: outcome unknown, resend the same bytes
	NeedsUser                      // validation codes 301–308, 401–403, CFDI40xxx…: the document must change
	OutOfStamps                    // the PAC account has no stamps left
	BadCredentials                 // user, password or token rejected
	// Held is not a PAC answer: the worker did not send the document because
	// its issuer has no usable PAC account, or because the outcome of its
	// last attempt at another account is unknown (decision 13). It waits for
	// the user.
	Held
	// NotStamped is the answer to a Checker's query: the account confirms
	// it never stamped the document (Finkok 603), so it may go to another
	// account.
	NotStamped
)

var classNames = [...]string{"stamped", "already stamped", "duplicate customid", "retryable", "needs user", "out of stamps", "bad credentials", "held", "not stamped"}

func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(?)"
}

// HasStamp reports whether answers of class c carry a stamped CFDI.
func (c Class) HasStamp() bool { return c == Stamped || c == AlreadyStamped || c == DuplicateCustomID }

// Reply is a classified PAC answer to a stamp request.
type Reply struct {
	Class Class
	// StampedXML is the full stamped CFDI when Class.HasStamp().
	StampedXML []byte
	UUID       string
	// Code, Message and Hint describe a non-stamp answer: the PAC/SAT code
	// (e.g. "CFDI40102"), the PAC's message and a Spanish hint of what to change.
	Code, Message, Hint string
	// Unknown is true when the request may have reached the PAC but no answer
	// came back (timeout, connection lost, 5xx): the outcome is unknown.
	Unknown bool
	// Offline is true when the PAC could not be reached at all.
	Offline bool
	// NotSent is true when the request provably never left (the
	// connection was refused): the PAC cannot have stamped it.
	NotSent bool
}

// PAC stamps sealed CFDI. Implementations must send sealed unchanged, use
// customID as the idempotency key, honour ctx, and classify every answer; the
// error is non-nil exactly when the reply carries no stamp.
type PAC interface {
	Stamp(ctx context.Context, customID string, sealed []byte) (Reply, error)
}

// Checker asks a PAC account, without stamping, whether it stamped a
// document: a reply with a stamp (AlreadyStamped), NotStamped when the
// account confirms it never did, or Retryable when it cannot tell now.
// Finkok answers it (stamped); SW cannot without a UUID, so its accounts
// settle an unknown outcome by receiving the same bytes again (307).
type Checker interface {
	Lookup(ctx context.Context, customID string, sealed []byte) (Reply, error)
}

// Account is one PAC account, as the queue, the ledger and cancellations
// use it.
type Account struct {
	// Key names the account without secrets (no password or token): equal
	// keys are the same account, and a changed key is another account. It
	// is recorded with every attempt and must not be empty.
	Key string
	// Name is how users know the account, in Spanish.
	Name      string
	PAC       PAC
	Canceller Canceller     // nil when the account cannot cancel
	Balance   BalanceSource // nil when the account reports no balance
	Checker   Checker       // nil when the account cannot be asked without stamping
}

// PACs finds each issuer's PAC account (decision 13: each company stamps at
// its own PAC).
type PACs interface {
	// PACFor returns the account that stamps issuerRFC's documents now; an
	// account changed since the last call is returned at once. When the
	// issuer has no usable account the error carries a Spanish message
	// saying what to configure (Empresa › PAC); the issuer's documents then
	// stay queued and other issuers are not held up.
	PACFor(ctx context.Context, issuerRFC string) (Account, error)
}

// OnePAC is PACs with the same account for every issuer: an installation
// with one PAC account, or a test.
type OnePAC Account

// PACFor returns the account.
func (a OnePAC) PACFor(context.Context, string) (Account, error) { return Account(a), nil }

// State is the stamping state of a document.
type State string

// Document states. Queued and Sending are pending; the others wait for
// nothing from the worker.
const (
	StateQueued   State = "queued"   // waiting for its next attempt
	StateSending  State = "sending"  // an attempt is in flight (or was, when the process died)
	StateStamped  State = "stamped"  // the PAC issued (or returned) the stamp; stamped XML stored
	StateRejected State = "rejected" // the PAC/SAT rejected it: the user must fix and re-seal
	StateExpired  State = "expired"  // its Fecha left the 72-hour window before it was stamped
)

// Label is the Spanish name of the state shown to users.
func (s State) Label() string {
	switch s {
	case StateQueued:
		return "En cola"
	case StateSending:
		return "Enviando"
	case StateStamped:
		return "Timbrada"
	case StateRejected:
		return "Rechazada"
	case StateExpired:
		return "Vencida: requiere nueva fecha"
	}
	return string(s)
}

// Pending reports whether the worker still has to send the document.
func (s State) Pending() bool { return s == StateQueued || s == StateSending }

// NewDocument is a sealed CFDI to be queued. SealedXML is stored verbatim and
// sent byte for byte on every attempt; CustomID is the idempotency key (≤ 100
// characters, unique per document, kept across re-seals of the same folio).
type NewDocument struct {
	IssuerRFC, Serie, Folio string
	TipoDeComprobante       string
	Fecha                   time.Time // Comprobante/@Fecha as an instant (Mexico City local time)
	CustomID                string
	SealedXML               []byte
}

// Document is a document in the stamp queue, with its stamping outcome.
type Document struct {
	ID                      int64
	IssuerRFC, Serie, Folio string
	TipoDeComprobante       string
	Fecha                   time.Time
	CustomID                string
	SealedXML               []byte
	StampedXML              []byte // nil until stamped
	UUID                    string
	State                   State
	Attempts                int
	NextAttemptAt           time.Time
	ErrorCode, ErrorMessage string
	ErrorHint               string
	CreatedAt, UpdatedAt    time.Time
	StampedAt               time.Time // zero until stamped
	// Account is the key of the PAC account the document was last sent to
	// ("" if never) and Unsettled whether that account has yet to say
	// whether it stamped it (see Job).
	Account   string
	Unsettled bool
}

// Job is a claimed stamp job: what the worker needs for one attempt.
type Job struct {
	DocumentID int64
	IssuerRFC  string
	CustomID   string
	SealedXML  []byte
	Fecha      time.Time
	Attempts   int // including the attempt just claimed
	// Account is the key of the PAC account the document was last sent to
	// ("" if never), and Unsettled whether that account has yet to say
	// whether it stamped it (see Outcome.Settled): while it has not, the
	// document goes to no other account.
	Account   string
	Unsettled bool
}

// Outcome is the result of one attempt, as recorded by the store.
type Outcome struct {
	Class         Class
	Code, Message string
	Unknown       bool // the reply's own flag: no answer came back
	NotSent       bool // the request never reached the account (Reply.NotSent)
	// Account is the key of the account that answered; "" when the
	// document was not sent (Held, or expired before sending).
	Account string
}

// Settled reports whether the answer tells for certain whether Account
// stamped the document: a stamp, or a refusal that stamped nothing
// (validation, credentials, balance). A retryable answer never does, even
// when the reply is not flagged Unknown: the PAC may hold a stamp it could
// not hand back yet (CFDI3307 with the XML not in its storage, a stamp that
// failed our checks). Until an answer from Account settles it, the
// document is sent to no other account (decision 13).
//
// A request that provably never left (NotSent: connection refused) settles
// it too: the account cannot have stamped what it never received.
func (o Outcome) Settled() bool {
	return o.Account != "" && (o.Class != Retryable && o.Class != Held || o.Class == Retryable && o.NotSent)
}

// Store is the queue's persistence. Every method is atomic; implementations
// keep the document and its job consistent in one transaction.
type Store interface {
	// Post stores a sealed document and its stamp job in ONE transaction and
	// returns the document id. A duplicate (issuer, serie, folio) or customid
	// is a domain Conflict.
	Post(ctx context.Context, d NewDocument) (int64, error)
	// Claim marks up to limit due jobs (queued with next attempt ≤ now, or
	// sending with an expired lease) as sending with a lease until
	// leaseUntil, counts the attempt and returns them. A document is never
	// returned twice while its lease holds.
	Claim(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Job, error)
	// NextDue returns the earliest next-attempt time of pending jobs.
	NextDue(ctx context.Context) (t time.Time, ok bool, err error)
	// ReleaseLeases makes every sending job claimable at once. Call it only
	// when no other worker uses the database (start-up after a crash).
	ReleaseLeases(ctx context.Context) error
	// SendingTo records, before the attempt is sent, that document id goes
	// to the PAC account with that key and that its outcome there is not
	// settled: a crash or a lost reply after this leaves it so, and Claim
	// returns both in the Job. Every outcome recorded later with the same
	// Account settles it or not as Outcome.Settled says.
	SendingTo(ctx context.Context, id int64, account string) error
	// MarkStamped stores the stamped XML and UUID, ends the job and records
	// the stamp in the issuer's ledger, in one transaction.
	MarkStamped(ctx context.Context, id int64, stampedXML []byte, uuid string, o Outcome, now time.Time) error
	// Retry schedules the next attempt and records the outcome.
	Retry(ctx context.Context, id int64, next time.Time, o Outcome, now time.Time) error
	// Reject ends the job with state rejected, keeping code, message and hint.
	Reject(ctx context.Context, id int64, o Outcome, hint string, now time.Time) error
	// Expire ends the job with state expired (72-hour window passed).
	Expire(ctx context.Context, id int64, now time.Time) error
	// Replace swaps the sealed XML of an expired or rejected document for a
	// re-dated/re-sealed one with the same folio and customid, and queues it.
	Replace(ctx context.Context, id int64, sealed []byte, fecha, now time.Time) error
	// Document returns one document; NotFound if absent.
	Document(ctx context.Context, id int64) (Document, error)
	// Documents returns the documents of an issuer in the given states (all
	// states if none), newest first.
	Documents(ctx context.Context, issuerRFC string, states ...State) ([]Document, error)
}
