package stamping

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

// recordingHolder is a CancelHolder that logs its calls and what the PAC
// saw meanwhile.
type recordingHolder struct {
	log     []string
	refuse  error
	until   time.Time
	blocked bool // AllowCancel must not be called when holding is possible
}

func (h *recordingHolder) AllowCancel(context.Context, int64) error {
	h.blocked = true
	return nil
}

func (h *recordingHolder) HoldCancel(_ context.Context, _ int64, until time.Time) error {
	h.log = append(h.log, "hold")
	h.until = until
	return h.refuse
}

func (h *recordingHolder) ReleaseCancel(context.Context, int64) error {
	h.log = append(h.log, "release")
	return nil
}

// loggingCanceller answers as told and writes "pac" in the holder's log.
type loggingCanceller struct {
	h   *recordingHolder
	err error
}

func (c loggingCanceller) Cancel(context.Context, CancelRequest) (CancelReceipt, error) {
	c.h.log = append(c.h.log, "pac")
	return CancelReceipt{EstatusUUID: "201"}, c.err
}

func (c loggingCanceller) CancelStatus(context.Context, StatusQuery) (SATStatus, error) {
	return SATStatus{}, nil
}

// TestCancelRequestHoldsTheDocument: a guard that can hold is asked to
// hold the document before the PAC call, for longer than a call lasts, and
// to release it afterwards whether SAT accepted or the PAC failed; a hold
// refused (a payment came first, or another request is in progress) never
// reaches the PAC.
func TestCancelRequestHoldsTheDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		refuse  error
		pacErr  error
		wantLog string
	}{
		{"accepted", nil, nil, "[hold pac release]"},
		{"the PAC failed", nil, domain.E(domain.Unavailable, "pac", "sin conexión", nil), "[hold pac release]"},
		{"hold refused", domain.E(domain.Conflict, "hold", "tiene pagos", nil), nil, "[hold]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := newMemStore()
			w := NewWorker(store, OnePAC(Account{Key: "x"}), nil, routingOptions(1))
			id := postFor(t, w, rfcA, "F", 1)[0]
			d := store.docs[id]
			d.State, d.UUID = StateStamped, "UUID-1"
			h := &recordingHolder{refuse: tc.refuse}
			cs := &Cancellations{Documents: store, Store: &memCancels{}, Guard: h, Now: func() time.Time { return now },
				PACs: OnePAC(Account{Key: "x", Canceller: loggingCanceller{h: h, err: tc.pacErr}})}
			_, err := cs.Request(ctx, id, "02", "")
			want := tc.refuse
			if want == nil {
				want = tc.pacErr
			}
			if !errors.Is(err, want) && (want == nil) != (err == nil) {
				t.Errorf("Request = %v, want %v", err, want)
			}
			if got := fmt.Sprint(h.log); got != tc.wantLog {
				t.Errorf("calls %s, want %s", got, tc.wantLog)
			}
			if h.blocked {
				t.Error("AllowCancel called although the guard holds")
			}
			if d := h.until.Sub(now); d < time.Minute {
				t.Errorf("held for %v: shorter than a PAC call may last", d)
			}
		})
	}
}
