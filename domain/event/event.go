// Package event is Folio's in-process change announcements: the domain
// says what changed (a document saved, posted, stamped, rejected, printed,
// its cancellation requested or answered, a delivery sent) and every open
// screen that cares refreshes what it shows. No
// screen polls another's data.
//
// Publishing never blocks: a subscriber that is slow to read gets the
// newest events and a Dropped count instead of holding up the worker that
// published. It imports only the standard library.
package event

import "sync"

// Kind is what changed.
type Kind string

// The kinds of change.
const (
	DocumentPosted        Kind = "document.posted"        // a draft was sealed and queued
	DocumentStamped       Kind = "document.stamped"       // the PAC stamped it
	DocumentRejected      Kind = "document.rejected"      // the PAC or SAT refused it
	DocumentQueued        Kind = "document.queued"        // re-sealed or retried: back in the queue
	DocumentExpired       Kind = "document.expired"       // it left SAT's 72-hour window unstamped
	DocumentSending       Kind = "document.sending"       // an attempt is in flight
	DocumentDraftSaved    Kind = "document.draft_saved"   // a draft was created, changed or deleted
	CancellationRequested Kind = "cancellation.requested" // SAT received a cancellation request
	CancellationAnswered  Kind = "cancellation.answered"  // SAT's status of a cancellation was read
	DeliverySent          Kind = "delivery.sent"          // XML and PDF went out by e-mail
	DeliveryFailed        Kind = "delivery.failed"        // an e-mail attempt failed
	DocumentPrinted       Kind = "document.printed"       // a document's PDF was produced
	QuoteChanged          Kind = "quote.changed"          // a quote was created, edited, sent or accepted
	ThirdPartyPayout      Kind = "thirdparty.payout"      // a payout to a third party was recorded or cancelled
	StockChanged          Kind = "stock.changed"          // stock moved outside a post (purchase, transfer, adjustment, revert) or a warehouse changed
)

// Resync tells a subscriber that some events were lost while it was behind:
// it should reload everything it shows.
const Resync Kind = "resync"

// Event is one change. IDs that do not apply are zero.
type Event struct {
	Kind       Kind
	IssuerRFC  string
	DocumentID int64 // the stamped document (documents table), when known
	InvoiceID  int64 // the issued document (invoice, credit note…), when known
}

// Publisher is what the domain's use cases need to announce a change.
// *Bus implements it; a nil Publisher is allowed where the port is
// optional (use Publish).
type Publisher interface {
	Publish(e Event)
}

// Publish announces e through p when p is not nil.
func Publish(p Publisher, e Event) {
	if p != nil {
		p.Publish(e)
	}
}

// Bus delivers every published event to every subscription.
type Bus struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[*Subscription]struct{}{}} }

// Publish delivers e to every subscription without blocking: when a
// subscription's buffer is full its oldest event is dropped and counted.
func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.c <- e:
		default:
			select {
			case <-s.c:
				s.dropped++
			default:
			}
			select {
			case s.c <- e:
			default:
			}
		}
	}
}

// Subscribe returns a subscription with a buffer of size events (64 when
// size < 1). Close it when the screen goes away.
func (b *Bus) Subscribe(size int) *Subscription {
	if size < 1 {
		size = 64
	}
	s := &Subscription{bus: b, c: make(chan Event, size)}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Subscription receives the events published after it was made.
type Subscription struct {
	bus     *Bus
	c       chan Event
	dropped int
	once    sync.Once
}

// C is the channel of events; it is closed by Close.
func (s *Subscription) C() <-chan Event { return s.c }

// Dropped returns how many events were dropped because the subscriber was
// behind (a screen should then reload everything it shows).
func (s *Subscription) Dropped() int {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	return s.dropped
}

// Close stops the subscription and closes its channel.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.bus.mu.Lock()
		delete(s.bus.subs, s)
		close(s.c)
		s.bus.mu.Unlock()
	})
}
