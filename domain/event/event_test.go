package event

import (
	"sync"
	"testing"
)

func TestBusDeliversToEverySubscriber(t *testing.T) {
	b := NewBus()
	s1, s2 := b.Subscribe(4), b.Subscribe(4)
	defer s1.Close()
	b.Publish(Event{Kind: DocumentStamped, DocumentID: 7})
	for i, s := range []*Subscription{s1, s2} {
		if e := <-s.C(); e.Kind != DocumentStamped || e.DocumentID != 7 {
			t.Errorf("subscriber %d got %+v", i, e)
		}
	}
	s2.Close()
	s2.Close() // twice is fine
	b.Publish(Event{Kind: DocumentPosted})
	if _, open := <-s2.C(); open {
		t.Error("a closed subscription still receives")
	}
	if e := <-s1.C(); e.Kind != DocumentPosted {
		t.Errorf("after another closed: %+v", e)
	}
}

// TestBusNeverBlocks: a subscriber that does not read loses the oldest
// events, keeps the newest, and learns how many it lost.
func TestBusNeverBlocks(t *testing.T) {
	b := NewBus()
	s := b.Subscribe(2)
	for i := range 5 {
		b.Publish(Event{Kind: DocumentStamped, DocumentID: int64(i)})
	}
	if got := s.Dropped(); got != 3 {
		t.Errorf("Dropped = %d, want 3", got)
	}
	if a, b := <-s.C(), <-s.C(); a.DocumentID != 3 || b.DocumentID != 4 {
		t.Errorf("kept %d and %d, want the newest 3 and 4", a.DocumentID, b.DocumentID)
	}
}

func TestBusConcurrent(t *testing.T) {
	b := NewBus()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s := b.Subscribe(8)
			for range 50 {
				select {
				case <-s.C():
				default:
				}
			}
			s.Close()
		}()
		go func() {
			defer wg.Done()
			for range 100 {
				b.Publish(Event{Kind: DocumentStamped})
			}
		}()
	}
	wg.Wait()
	Publish(nil, Event{Kind: DocumentStamped}) // a nil publisher is allowed
}
