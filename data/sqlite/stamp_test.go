package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

var stampClock = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

func openStampStore(tb testing.TB) *StampStore {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), Options{Now: func() time.Time { return stampClock }})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return NewStampStore(s)
}

func newStampDoc(folio string) stamping.NewDocument {
	return stamping.NewDocument{IssuerRFC: "EKU9003173C9", Serie: "F", Folio: folio, TipoDeComprobante: "I",
		Fecha: stampClock.Add(-time.Hour), CustomID: "F-" + folio, SealedXML: []byte("<cfdi:Comprobante Folio=\"" + folio + "\"/>\r\n")}
}

func TestStampStorePostAndClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	for i := 1; i <= 3; i++ {
		if _, err := q.Post(ctx, newStampDoc(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	// Given a duplicate serie/folio or customid, then Post is a Conflict and stores nothing.
	dup := newStampDoc("1")
	if _, err := q.Post(ctx, dup); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate folio: %v, want conflict", err)
	}
	dup.Folio = "9"
	if _, err := q.Post(ctx, dup); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate customid: %v, want conflict", err)
	}
	now := stampClock
	jobs, err := q.Claim(ctx, now, now.Add(time.Minute), 2)
	if err != nil || len(jobs) != 2 || jobs[0].Attempts != 1 {
		t.Fatalf("Claim = %+v, %v", jobs, err)
	}
	if want := newStampDoc("1").SealedXML; !bytes.Equal(jobs[0].SealedXML, want) {
		t.Errorf("sealed bytes changed: %q, want %q", jobs[0].SealedXML, want)
	}
	// Leased jobs are not claimed again while the lease holds.
	more, _ := q.Claim(ctx, now, now.Add(time.Minute), 10)
	if len(more) != 1 || more[0].DocumentID == jobs[0].DocumentID || more[0].DocumentID == jobs[1].DocumentID {
		t.Fatalf("second Claim = %+v, want only the third document", more)
	}
	if again, _ := q.Claim(ctx, now.Add(30*time.Second), now.Add(2*time.Minute), 10); len(again) != 0 {
		t.Errorf("claimed %d leased jobs", len(again))
	}
	// After a crash the leases are released and the same jobs come back.
	if err := q.ReleaseLeases(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := q.Claim(ctx, now, now.Add(time.Minute), 10)
	if len(again) != 3 || again[0].Attempts != 2 {
		t.Fatalf("after release = %+v", again)
	}
	next, ok, err := q.NextDue(ctx)
	if err != nil || !ok || !next.Equal(now.Add(time.Minute)) {
		t.Errorf("NextDue = %v %v %v, want the lease end", next, ok, err)
	}
	// Retry schedules: not claimable before next.
	o := stamping.Outcome{Class: stamping.Retryable, Message: "sin red", Unknown: true}
	if err := q.Retry(ctx, jobs[0].DocumentID, now.Add(5*time.Second), o, now); err != nil {
		t.Fatal(err)
	}
	d, _ := q.Document(ctx, jobs[0].DocumentID)
	if d.State != stamping.StateQueued || !d.NextAttemptAt.Equal(now.Add(5*time.Second)) || d.ErrorMessage != "sin red" {
		t.Errorf("after Retry: %+v", d)
	}
	if got, _ := q.Claim(ctx, now.Add(4*time.Second), now.Add(time.Minute), 10); len(got) != 0 {
		t.Errorf("claimed before its next attempt: %+v", got)
	}
}

func TestStampStoreOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	now := stampClock
	var ids []int64
	for i := 1; i <= 3; i++ {
		id, _ := q.Post(ctx, newStampDoc(fmt.Sprint(i)))
		ids = append(ids, id)
	}
	if err := q.SaveBalance(ctx, stamping.Balance{IssuerRFC: "EKU9003173C9", Stamps: 10, Used: 4, AsOf: now}); err != nil {
		t.Fatal(err)
	}
	q.Claim(ctx, now, now.Add(time.Minute), 3)
	o := stamping.Outcome{Class: stamping.Stamped}
	// MarkStamped twice (a lost commit reply replayed) records one stamp.
	for i := 0; i < 2; i++ {
		if err := q.MarkStamped(ctx, ids[0], []byte("<stamped/>"), "ab-cd", o, now); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := q.Document(ctx, ids[0])
	if d.State != stamping.StateStamped || d.UUID != "AB-CD" || string(d.StampedXML) != "<stamped/>" || !d.StampedAt.Equal(now) || !d.NextAttemptAt.IsZero() {
		t.Errorf("stamped doc = %+v", d)
	}
	mv, _ := q.Movements(ctx, "EKU9003173C9", 10)
	if len(mv) != 1 || mv[0].Kind != stamping.MovementStamp || mv[0].Stamps != -1 || mv[0].DocumentID != ids[0] {
		t.Errorf("movements = %+v", mv)
	}
	if b, ok, _ := q.LastBalance(ctx, "EKU9003173C9"); !ok || b.Stamps != 9 || b.Used != 5 {
		t.Errorf("balance = %+v, want 9 left 5 used", b)
	}
	// Reject keeps the code, message and hint; Expire marks the 72-hour window.
	rej := stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102", Message: "sello"}
	if err := q.Reject(ctx, ids[1], rej, "Vuelva a sellar", now); err != nil {
		t.Fatal(err)
	}
	if err := q.Expire(ctx, ids[2], now); err != nil {
		t.Fatal(err)
	}
	list, _ := q.Documents(ctx, "EKU9003173C9", stamping.StateRejected, stamping.StateExpired)
	if len(list) != 2 || list[0].State != stamping.StateExpired || list[1].ErrorCode != "CFDI40102" || list[1].ErrorHint != "Vuelva a sellar" {
		t.Fatalf("rejected/expired = %+v", list)
	}
	if _, ok, _ := q.NextDue(ctx); ok {
		t.Error("finished documents still have jobs")
	}
	// Replace re-queues with new bytes and the same customid; a stamped one cannot be replaced.
	fecha := now.Add(time.Minute)
	if err := q.Replace(ctx, ids[2], []byte("<redated/>"), fecha, now); err != nil {
		t.Fatal(err)
	}
	jobs, _ := q.Claim(ctx, now, now.Add(time.Minute), 10)
	if len(jobs) != 1 || string(jobs[0].SealedXML) != "<redated/>" || jobs[0].CustomID != "F-3" || !jobs[0].Fecha.Equal(fecha) {
		t.Errorf("after Replace: %+v", jobs)
	}
	if err := q.Replace(ctx, ids[0], []byte("x"), now, now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Replace of stamped = %v, want conflict", err)
	}
	if _, err := q.Document(ctx, 999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("missing document: %v", err)
	}
	// Low threshold: default, then set.
	if n, _ := q.LowThreshold(ctx, "AAA010101AAA"); n != stamping.DefaultLowThreshold {
		t.Errorf("default threshold = %d", n)
	}
	q.SetLowThreshold(ctx, "EKU9003173C9", 3)
	if n, _ := q.LowThreshold(ctx, "EKU9003173C9"); n != 3 {
		t.Errorf("threshold = %d, want 3", n)
	}
	if _, ok, _ := q.LastBalance(ctx, "AAA010101AAA"); ok {
		t.Error("balance for an unknown issuer")
	}
}

func TestStampStoreGroupCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	const n = 40
	var ids []int64
	for i := 1; i <= n; i++ {
		id, err := q.Post(ctx, newStampDoc(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	q.Claim(ctx, stampClock, stampClock.Add(time.Minute), n)
	// Given concurrent marks, one of them colliding on a UUID, then every
	// other document is stamped once and the collision alone fails.
	errs := make(chan error, n)
	for i, id := range ids {
		uuid := fmt.Sprintf("uuid-%d", i)
		if i == n-1 {
			uuid = "uuid-0"
		}
		go func() {
			errs <- q.MarkStamped(ctx, id, []byte("<x/>"), uuid, stamping.Outcome{Class: stamping.Stamped}, stampClock)
		}()
	}
	failed := 0
	for range ids {
		if err := <-errs; err != nil {
			failed++
			if domain.KindOf(err) != domain.Conflict {
				t.Errorf("collision error kind = %v", domain.KindOf(err))
			}
		}
	}
	mv, _ := q.Movements(ctx, "EKU9003173C9", 1000)
	stamped, _ := q.Documents(ctx, "EKU9003173C9", stamping.StateStamped)
	if failed != 1 || len(mv) != n-1 || len(stamped) != n-1 {
		t.Errorf("failed %d, movements %d, stamped %d; want 1, %d, %d", failed, len(mv), len(stamped), n-1, n-1)
	}
}

func TestQueueCounts(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	q := NewStampStore(s)
	// given an empty queue
	if w, a, err := q.QueueCounts(ctx); err != nil || w != 0 || a != 0 {
		t.Fatalf("QueueCounts = %d, %d, %v; want 0, 0, nil", w, a, err)
	}
	// when one document is queued, one stamped and one rejected
	for i, state := range []string{"queued", "stamped", "rejected"} {
		_, err := s.WriteDB().ExecContext(ctx, `INSERT INTO documents
			(issuer_rfc, fecha, custom_id, sealed_xml, state, created_at, updated_at)
			VALUES ('EKU9003173C9', '2026-01-01T00:00:00Z', ?, x'3c', ?, '', '')`, fmt.Sprint("c", i), state)
		if err != nil {
			t.Fatal(err)
		}
	}
	// then one waits and one needs attention
	if w, a, err := q.QueueCounts(ctx); err != nil || w != 1 || a != 1 {
		t.Fatalf("QueueCounts = %d, %d, %v; want 1, 1, nil", w, a, err)
	}
}

// TestStampStorePACAccount: the account a document was sent to is recorded
// before the send and stays unsettled until that account's answer settles
// it (decision 13); Claim hands both to the worker.
func TestStampStorePACAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := openStampStore(t)
	now := stampClock
	id, _ := q.Post(ctx, newStampDoc("1"))
	other := newStampDoc("2")
	other.IssuerRFC, other.CustomID = "CACX7605101P8", "G-2"
	otherID, _ := q.Post(ctx, other)
	check := func(step, account string, unsettled bool) {
		t.Helper()
		d, err := q.Document(ctx, id)
		if err != nil || d.Account != account || d.Unsettled != unsettled {
			t.Errorf("%s: account %q unsettled %v (%v); want %q %v", step, d.Account, d.Unsettled, err, account, unsettled)
		}
	}
	claim := func() stamping.Job {
		t.Helper()
		if err := q.RetryNow(ctx, id, now); err != nil && domain.KindOf(err) != domain.Conflict {
			t.Fatal(err)
		}
		jobs, err := q.Claim(ctx, now, now.Add(time.Minute), 1)
		if err != nil || len(jobs) != 1 || jobs[0].DocumentID != id {
			t.Fatalf("Claim = %+v, %v", jobs, err)
		}
		return jobs[0]
	}
	if j := claim(); j.Account != "" || j.Unsettled {
		t.Errorf("first claim: %q %v, want never sent", j.Account, j.Unsettled)
	}
	check("posted", "", false)

	// Sent to X, and the reply is lost: unsettled at X.
	if err := q.SendingTo(ctx, id, "X"); err != nil {
		t.Fatal(err)
	}
	check("sending", "X", true)
	lost := stamping.Outcome{Class: stamping.Retryable, Unknown: true, Account: "X"}
	if err := q.Retry(ctx, id, now, lost, now); err != nil {
		t.Fatal(err)
	}
	check("lost reply", "X", true)
	if j := claim(); j.Account != "X" || !j.Unsettled {
		t.Errorf("claim after a lost reply: %q %v, want X unsettled", j.Account, j.Unsettled)
	}
	// A hold (nothing sent) changes nothing; a refusal from X settles it.
	if err := q.Retry(ctx, id, now, stamping.Outcome{Class: stamping.Held, Message: "espera"}, now); err != nil {
		t.Fatal(err)
	}
	check("held", "X", true)
	claim()
	if err := q.Retry(ctx, id, now, stamping.Outcome{Class: stamping.OutOfStamps, Account: "X"}, now); err != nil {
		t.Fatal(err)
	}
	check("refused by X", "X", false)

	// Sent to Y: a late answer of X does not settle Y's outcome; Y's does.
	claim()
	if err := q.SendingTo(ctx, id, "Y"); err != nil {
		t.Fatal(err)
	}
	if err := q.Retry(ctx, id, now, stamping.Outcome{Class: stamping.BadCredentials, Account: "X"}, now); err != nil {
		t.Fatal(err)
	}
	check("late answer of X", "Y", true)
	claim()
	if err := q.Reject(ctx, id, stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102", Account: "Y"}, "", now); err != nil {
		t.Fatal(err)
	}
	check("rejected by Y", "Y", false)

	var accounts string
	if err := q.s.ReadDB().QueryRowContext(ctx, `SELECT group_concat(pac_account, ',') FROM (SELECT pac_account FROM stamp_attempts WHERE document_id = ? ORDER BY id)`, id).Scan(&accounts); err != nil || accounts != "X,,X,X,Y" {
		t.Errorf("attempt log accounts = %q, %v; want X,,X,X,Y", accounts, err)
	}

	// RetryIssuerNow makes only that issuer's waiting documents due.
	later := now.Add(time.Hour)
	if err := q.Retry(ctx, otherID, later, stamping.Outcome{Class: stamping.Held}, now); err != nil {
		t.Fatal(err)
	}
	if n, err := q.RetryIssuerNow(ctx, "EKU9003173C9", now); err != nil || n != 0 {
		t.Errorf("RetryIssuerNow(other issuer) = %d, %v; want 0", n, err)
	}
	if n, err := q.RetryIssuerNow(ctx, "CACX7605101P8", now); err != nil || n != 1 {
		t.Errorf("RetryIssuerNow = %d, %v; want 1", n, err)
	}
	if d, _ := q.Document(ctx, otherID); !d.NextAttemptAt.Equal(now) {
		t.Errorf("next attempt = %v, want %v", d.NextAttemptAt, now)
	}
}
