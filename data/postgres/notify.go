package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

// Workstations learn of each other's changes through PostgreSQL's
// LISTEN/NOTIFY: every transaction that posts, stamps, rejects, cancels
// or saves a document sends a notification on notifyChannel, delivered to
// the listeners when (and only if) it commits; Listen turns them into
// domain events on the workstation's bus, so its lists and status bar
// refresh as when the change is its own.

// notifyChannel is the channel of document changes.
const notifyChannel = "folio_changes"

// change is a notification's payload.
type change struct {
	Kind      event.Kind `json:"k"`
	Issuer    string     `json:"i"`
	Document  int64      `json:"d,omitempty"`
	InvoiceID int64      `json:"v,omitempty"`
}

// notify sends ch on notifyChannel inside q's transaction.
func notify(ctx context.Context, q querier, ch change) error {
	b, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `SELECT pg_notify('`+notifyChannel+`', ?)`, string(b))
	return err
}

// lifecycleKinds are the domain events a document's lifecycle event
// announces.
var lifecycleKinds = map[sales.Event]event.Kind{
	sales.EventPost:           event.DocumentPosted,
	sales.EventStamp:          event.DocumentStamped,
	sales.EventReject:         event.DocumentRejected,
	sales.EventReseal:         event.DocumentQueued,
	sales.EventRequestCancel:  event.CancellationRequested,
	sales.EventCancelAccepted: event.CancellationAnswered,
	sales.EventCancelRefused:  event.CancellationAnswered,
}

// Listen publishes on pub the changes other workstations (and this one)
// commit, until ctx ends. It keeps its own connection; when the
// connection drops it reconnects, waiting a little longer each time, and
// publishes event.Resync: changes may have been missed meanwhile. ready,
// when not nil, is closed once the first LISTEN is in place.
func (s *Store) Listen(ctx context.Context, pub event.Publisher, ready chan<- struct{}) error {
	wait := time.Second
	first := true
	for {
		err := s.listenOnce(ctx, pub, func() {
			if first {
				first = false
				if ready != nil {
					close(ready)
				}
			} else {
				event.Publish(pub, event.Event{Kind: event.Resync})
			}
			wait = time.Second
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		slog.Warn("postgres listen", "server", s.name, "err", err, "retry", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, pub event.Publisher, listening func()) error {
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ch change
		if err := json.Unmarshal([]byte(n.Payload), &ch); err != nil {
			slog.Warn("postgres listen: bad payload", "payload", n.Payload, "err", fmt.Errorf("%w", err))
			continue
		}
		event.Publish(pub, event.Event{Kind: ch.Kind, IssuerRFC: ch.Issuer, DocumentID: ch.Document, InvoiceID: ch.InvoiceID})
	}
}
