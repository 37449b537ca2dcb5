package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

func TestStampStoreMovementsBetween(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	const rfc = "EKU9003173C9"
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, domain.MexicoCity) }
	for i, m := range []stamping.Movement{
		{IssuerRFC: rfc, At: day(1), Kind: stamping.MovementTopUp, Stamps: 100},
		{IssuerRFC: rfc, At: day(10), Kind: stamping.MovementStamp, Stamps: -1},
		{IssuerRFC: rfc, At: day(20), Kind: stamping.MovementStamp, Stamps: -1},
		{IssuerRFC: "CACX7605101P8", At: day(10), Kind: stamping.MovementStamp, Stamps: -1},
	} {
		m.Comment = fmt.Sprint(i)
		if err := q.AddMovement(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		from, to time.Time
		limit    int
		want     string // comments, newest first
	}{
		{"open range", time.Time{}, time.Time{}, 0, "210"},
		{"from is included, to is not", day(10), day(20), 0, "1"},
		{"only from", day(2), time.Time{}, 0, "21"},
		{"only to", time.Time{}, day(10), 0, "0"},
		{"limit keeps the newest", time.Time{}, time.Time{}, 2, "21"},
		{"empty", day(21), day(30), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := q.MovementsBetween(ctx, rfc, tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, m := range ms {
				got += m.Comment
			}
			if got != tt.want {
				t.Errorf("movements = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStampStoreRetryNowAndActivity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	now := stampClock
	var ids []int64
	for i := 1; i <= 3; i++ {
		id, err := q.Post(ctx, newStampDoc(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	activity := func(at time.Time) [2]int {
		t.Helper()
		s, d, err := q.QueueActivity(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return [2]int{s, d}
	}
	if got := activity(now); got != [2]int{0, 3} {
		t.Fatalf("fresh queue: sending, due = %v, want 0, 3", got)
	}
	// Given one document in flight and one waiting for its backoff…
	jobs, err := q.Claim(ctx, now, now.Add(time.Minute), 2)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("Claim = %v, %v", jobs, err)
	}
	if err := q.Retry(ctx, jobs[1].DocumentID, now.Add(10*time.Minute), stamping.Outcome{Class: stamping.Retryable, Message: "timeout"}, now); err != nil {
		t.Fatal(err)
	}
	if got := activity(now); got != [2]int{1, 1} {
		t.Errorf("sending, due = %v, want 1, 1", got)
	}
	// …RetryNow refuses the one in flight and makes the other due at once.
	if err := q.RetryNow(ctx, jobs[0].DocumentID, now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("RetryNow in flight: %v, want conflict", err)
	}
	if err := q.RetryNow(ctx, jobs[1].DocumentID, now); err != nil {
		t.Fatal(err)
	}
	if got := activity(now); got != [2]int{1, 2} {
		t.Errorf("after RetryNow: sending, due = %v, want 1, 2", got)
	}
	// A stamped document is no longer in the queue.
	if err := q.MarkStamped(ctx, jobs[0].DocumentID, []byte("<stamped/>"), "5FB2822E-396D-4725-8521-CDC4BDD20CCF", stamping.Outcome{Class: stamping.Stamped}, now); err != nil {
		t.Fatal(err)
	}
	if err := q.RetryNow(ctx, jobs[0].DocumentID, now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("RetryNow stamped: %v, want conflict", err)
	}
	if got := activity(now); got != [2]int{0, 2} {
		t.Errorf("after stamp: sending, due = %v, want 0, 2", got)
	}
	// RetryAllNow brings every backoff forward.
	for _, id := range ids[1:] {
		if err := q.Retry(ctx, id, now.Add(time.Hour), stamping.Outcome{Class: stamping.Retryable}, now); err != nil {
			t.Fatal(err)
		}
	}
	if got := activity(now); got != [2]int{0, 0} {
		t.Errorf("all backing off: sending, due = %v, want 0, 0", got)
	}
	n, err := q.RetryAllNow(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("RetryAllNow = %d, %v; want 2", n, err)
	}
	if got := activity(now); got != [2]int{0, 2} {
		t.Errorf("after RetryAllNow: sending, due = %v, want 0, 2", got)
	}
}
