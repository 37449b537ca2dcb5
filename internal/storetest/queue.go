package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// testQueueLeases: claims from many goroutines never return a document
// twice while its lease holds; an expired lease or ReleaseLeases makes it
// claimable again; a stamped, rejected or expired document is never
// claimed again, and MarkStamped records the lifecycle once.
func testQueueLeases(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	const n = 12
	var posted []sales.Invoice
	byDoc := map[int64]sales.Invoice{}
	for range n {
		inv := f.mustPost(f.draft("A").ID)
		posted = append(posted, inv)
		byDoc[f.document(inv).ID] = inv
	}
	now := base.Add(time.Minute)
	lease := now.Add(time.Minute)

	// Four workers claim two at a time until nothing is due.
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		claimed = map[int64]int{}
		errs    []error
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				jobs, err := f.q.Claim(f.ctx, now, lease, 2)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				for _, j := range jobs {
					claimed[j.DocumentID]++
					if inv, ok := byDoc[j.DocumentID]; !ok || j.Attempts != 1 || string(j.SealedXML) != string(inv.SealedXML) ||
						j.CustomID != sales.CustomID(inv.Issuer, inv.Serie, inv.Folio) || j.IssuerRFC != inv.Issuer {
						errs = append(errs, fmt.Errorf("job of document %d does not match it: %+v", j.DocumentID, j))
					}
				}
				mu.Unlock()
				if err != nil || len(jobs) == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d claim errors, first: %v", len(errs), errs[0])
	}
	if len(claimed) != n {
		t.Errorf("claimed %d documents, want %d", len(claimed), n)
	}
	for id, times := range claimed {
		if times != 1 {
			t.Errorf("document %d claimed %d times while its lease held", id, times)
		}
	}
	claim := func(at, until time.Time) []stamping.Job {
		t.Helper()
		jobs, err := f.q.Claim(f.ctx, at, until, 100)
		if err != nil {
			t.Fatal(err)
		}
		return jobs
	}
	if jobs := claim(now.Add(30*time.Second), lease.Add(time.Minute)); len(jobs) != 0 {
		t.Errorf("claimed %d jobs again while their leases held", len(jobs))
	}
	if due, ok, err := f.q.NextDue(f.ctx); err != nil || !ok || !due.Equal(lease) {
		t.Errorf("NextDue = %v, %v, %v; want the end of the leases %v", due, ok, err, lease)
	}
	// An expired lease makes the job claimable again: the attempt counts.
	later := lease.Add(time.Second)
	attempts := func(jobs []stamping.Job, want int) {
		t.Helper()
		if len(jobs) != n {
			t.Fatalf("claimed %d jobs, want %d", len(jobs), n)
		}
		for _, j := range jobs {
			if j.Attempts != want {
				t.Errorf("document %d: attempt %d, want %d", j.DocumentID, j.Attempts, want)
			}
		}
	}
	attempts(claim(later, later.Add(time.Hour)), 2)
	// ReleaseLeases (start-up after a crash) frees them before their time.
	if err := f.q.ReleaseLeases(f.ctx); err != nil {
		t.Fatal(err)
	}
	attempts(claim(later, later.Add(time.Hour)), 3)

	// The PAC's answers end or postpone the jobs.
	uuid := f.stamp(posted[0], later)
	stamped := f.wantState(posted[0].ID, sales.StateStamped)
	if stamped.UUID != uuid {
		t.Errorf("stamped invoice UUID %q, want %q", stamped.UUID, uuid)
	}
	doc := f.document(posted[0])
	if doc.State != stamping.StateStamped || doc.UUID != uuid || len(doc.StampedXML) == 0 || !doc.StampedAt.Equal(later) ||
		string(doc.SealedXML) != string(posted[0].SealedXML) {
		t.Errorf("stamped document = state %s uuid %s, %d stamped bytes, at %v", doc.State, doc.UUID, len(doc.StampedXML), doc.StampedAt)
	}
	// The same stamp recorded twice changes nothing.
	if err := f.q.MarkStamped(f.ctx, doc.ID, doc.StampedXML, uuid, stamping.Outcome{Class: stamping.AlreadyStamped}, later.Add(time.Hour)); err != nil {
		t.Errorf("MarkStamped twice = %v", err)
	}
	if again := f.wantState(posted[0].ID, sales.StateStamped); again.UUID != uuid || !again.UpdatedAt.Equal(stamped.UpdatedAt) {
		t.Errorf("second MarkStamped changed the invoice: %+v", again)
	}
	if again := f.document(posted[0]); !again.StampedAt.Equal(later) || string(again.StampedXML) != string(doc.StampedXML) {
		t.Errorf("second MarkStamped changed the document: stamped at %v", again.StampedAt)
	}
	rows, err := f.s.FindInvoices(f.ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Status: sales.StatusStamped, Search: uuid})
	if err != nil || len(rows) != 1 || rows[0].ID != posted[0].ID || rows[0].UUID != uuid {
		t.Errorf("Emitidas with the UUID = %+v, %v", rows, err)
	}
	retryAt := later.Add(10 * time.Minute)
	if err := f.q.Retry(f.ctx, f.document(posted[1]).ID, retryAt, stamping.Outcome{Class: stamping.Retryable, Unknown: true}, later); err != nil {
		t.Fatal(err)
	}
	if err := f.q.Reject(f.ctx, f.document(posted[2]).ID, stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102"}, "corrija", later); err != nil {
		t.Fatal(err)
	}
	f.wantState(posted[2].ID, sales.StateRejected)
	if err := f.q.Expire(f.ctx, f.document(posted[3]).ID, later); err != nil {
		t.Fatal(err)
	}
	f.wantState(posted[3].ID, sales.StateSealed) // the lifecycle waits for the re-seal
	if err := f.q.ReleaseLeases(f.ctx); err != nil {
		t.Fatal(err)
	}
	if jobs := claim(later, later.Add(time.Hour)); len(jobs) != n-4 {
		t.Errorf("claimed %d jobs, want %d: not the stamped, rejected or expired ones, nor the one retried later", len(jobs), n-4)
	}
	if jobs := claim(retryAt, retryAt.Add(time.Hour)); len(jobs) != 1 || jobs[0].DocumentID != f.document(posted[1]).ID {
		t.Errorf("at its retry time: %+v, want the retried document", jobs)
	}
}

// testLifecycle: what the stamp queue and the cancellation store record
// moves the issued document through the states the domain's lifecycle
// decides, in the same transaction (no trigger does it), and the guard
// refuses a cancellation while one is in process or once cancelled.
func testLifecycle(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.setClock(base.Add(time.Hour))
	inv := f.mustPost(f.draft("A").ID)
	docID := f.document(inv).ID
	now := base.Add(2 * time.Hour)
	// Given the PAC rejects it, then it is corrected and re-sealed with a new Fecha.
	if err := f.q.Reject(f.ctx, docID, stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102"}, "corrija", now); err != nil {
		t.Fatal(err)
	}
	f.wantState(inv.ID, sales.StateRejected)
	if err := f.q.AllowCancel(f.ctx, docID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel of a rejected document = %v, want Conflict", err)
	}
	redated := base.Add(5 * 24 * time.Hour)
	if err := f.q.Replace(f.ctx, docID, inv.SealedXML, redated, now); err != nil {
		t.Fatal(err)
	}
	if got := f.wantState(inv.ID, sales.StateSealed); !got.Fecha.Equal(redated) {
		t.Fatalf("after re-seal: fecha %v, want %v", got.Fecha, redated)
	}
	if d := f.document(inv); !d.Fecha.Equal(redated) || d.State != stamping.StateQueued {
		t.Errorf("re-sealed document: fecha %v state %s", d.Fecha, d.State)
	}
	// When it is stamped.
	uuid := f.stamp(inv, now)
	if got := f.wantState(inv.ID, sales.StateStamped); got.UUID != uuid {
		t.Fatalf("stamped uuid %q, want %q", got.UUID, uuid)
	}
	if err := f.q.Replace(f.ctx, docID, inv.SealedXML, redated, now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Replace of a stamped document = %v, want Conflict", err)
	}
	// Then a cancellation request puts it in process and a second is refused.
	if err := f.q.AllowCancel(f.ctx, docID); err != nil {
		t.Errorf("AllowCancel of a stamped document = %v", err)
	}
	cid := f.requestCancel(inv, uuid, now)
	f.wantState(inv.ID, sales.StateCancelRequested)
	if err := f.q.AllowCancel(f.ctx, docID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel while in process = %v, want Conflict", err)
	}
	// The receptor refuses it; then SAT confirms it.
	if err := f.q.UpdateCancelStatus(f.ctx, cid, stamping.SATStatus{Estado: "Vigente", EstatusCancelacion: "Solicitud rechazada"}, now); err != nil {
		t.Fatal(err)
	}
	f.wantState(inv.ID, sales.StateCancelRejected)
	if err := f.q.AllowCancel(f.ctx, docID); err != nil {
		t.Errorf("AllowCancel after a refusal = %v, want nil", err)
	}
	if err := f.q.UpdateCancelStatus(f.ctx, cid, stamping.SATStatus{Estado: "Cancelado", EstatusCancelacion: "Cancelado con aceptación"}, now); err != nil {
		t.Fatal(err)
	}
	f.wantState(inv.ID, sales.StateCancelled)
	if err := f.q.AllowCancel(f.ctx, docID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("AllowCancel once cancelled = %v, want Conflict", err)
	}
	c, err := f.q.LastCancellation(f.ctx, docID)
	if err != nil || c.ID != cid || c.Status.Estado != "Cancelado" || string(c.Receipt.Acuse) != "<Acuse/>" {
		t.Errorf("LastCancellation = %+v, %v", c, err)
	}
	// SAT's code 202 (cancelled before) at the request cancels at once.
	other := f.mustPost(f.draft("A").ID)
	u2 := f.stamp(other, now)
	if _, err := f.q.SaveCancellation(f.ctx, stamping.Cancellation{DocumentID: f.document(other).ID, RequestedAt: now,
		Request: stamping.CancelRequest{IssuerRFC: other.Issuer, UUID: u2, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "202"}}); err != nil {
		t.Fatal(err)
	}
	f.wantState(other.ID, sales.StateCancelled)
}
