package app

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/domain/event"
)

// EventSource is where the domain announces changes (*event.Bus).
type EventSource interface {
	Subscribe(size int) *event.Subscription
}

// changeListener is a screen that follows the data: Changed gets the
// changes announced since the last call, on the UI goroutine, and the
// screen refreshes what it shows of them (DESIGN decision 9; STYLE §11
// "Live screens").
type changeListener interface {
	Changed(events []event.Event)
}

// followDelay groups a burst of changes (a queue drained at once, a batch
// posted) into one refresh.
const followDelay = 150 * time.Millisecond

// follow hands every announced change to the screens built so far (the one
// on screen and the ones kept for a later visit), grouped by followDelay,
// until the subscription closes. A subscriber that fell behind is told of
// a change of every kind so that each screen reloads everything.
func (a *App) follow(sub *event.Subscription) {
	var batch []event.Event
	var flush <-chan time.Time
	dropped := 0
	for {
		select {
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			batch = append(batch, e)
			if flush == nil {
				flush = time.After(followDelay)
			}
		case <-flush:
			if n := sub.Dropped(); n != dropped {
				dropped = n
				batch = append(batch, event.Event{Kind: event.Resync})
			}
			out := batch
			batch, flush = nil, nil
			fyne.Do(func() { a.changed(out) })
		}
	}
}

// changed tells every built screen and the status bar about events.
func (a *App) changed(events []event.Event) {
	for _, s := range a.screens {
		if l, ok := s.(changeListener); ok {
			l.Changed(events)
		}
	}
	if a.OnChanged != nil {
		a.OnChanged(events)
	}
}
