package pac_test

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

func newFinkok(t *testing.T, s *sim.Server, timeout time.Duration) *pac.Finkok {
	t.Helper()
	f, err := pac.NewFinkok(pac.FinkokConfig{URL: s.URL(), User: " " + user + " ", Password: password + " ", RFC: "EKU9003173C9",
		Cer: []byte("cer"), Key: []byte("key"), Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFinkokOverLoopback runs the Finkok adapter against the local PAC's
// Finkok dialect over HTTP: stamp, 307 with and without the earlier xml,
// stamped/603, a lost reply settled by stamped, query_pending, credits,
// cancel and SAT status; one stamp per document at the simulator.
func TestFinkokOverLoopback(t *testing.T) {
	ctx := context.Background()
	for _, bare := range []bool{false, true} {
		s := startSim(t, sim.Options{Finkok307WithoutXML: bare, SkipQR: true})
		f := newFinkok(t, s, 5*time.Second)
		sealed := simtest.Sealed(t, "F", "1", time.Now())

		if r, err := f.Lookup(ctx, "x", sealed); r.Class != stamping.NotStamped || err == nil {
			t.Fatalf("Lookup before stamping = %v, %v; want not stamped (603)", r.Class, err)
		}
		r, err := f.Stamp(ctx, "x", sealed)
		if err != nil || r.Class != stamping.Stamped || r.UUID == "" {
			t.Fatalf("Stamp = %v %v", r.Class, err)
		}
		doc, err := cfdi.Parse(r.StampedXML)
		if err != nil || cfdi.VerifySeal(doc) != nil {
			t.Fatalf("stamped XML: %v", err)
		}
		again, err := f.Stamp(ctx, "x", sealed)
		if err != nil || again.Class != stamping.AlreadyStamped || again.UUID != r.UUID {
			t.Fatalf("resubmission (bare 307 = %v) = %v %q %v; want already stamped %s", bare, again.Class, again.UUID, err, r.UUID)
		}
		if l, err := f.Lookup(ctx, "x", sealed); err != nil || l.Class != stamping.AlreadyStamped || l.UUID != r.UUID {
			t.Fatalf("Lookup = %v %v", l.Class, err)
		}
		if n := s.StampCount("EKU9003173C9", "F", "1"); n != 1 {
			t.Fatalf("stamps at the simulator = %d, want 1", n)
		}
		p, err := f.QueryPending(ctx, r.UUID)
		if err != nil || p.UUID != r.UUID {
			t.Fatalf("QueryPending = %+v %v", p, err)
		}
		if _, err := f.QueryPending(ctx, "01234567-0123-0123-0123-012345678901"); domain.KindOf(err) != domain.NotFound {
			t.Fatalf("QueryPending unknown = %v", err)
		}
		b, err := f.Balance(ctx)
		if err != nil || b.Stamps != 99 || b.Unlimited {
			t.Fatalf("Balance = %+v %v", b, err)
		}
		q := stamping.StatusQuery{Emisor: doc.Emisor.Rfc, Receptor: doc.Receptor.Rfc, Total: doc.Total, UUID: r.UUID}
		st, err := f.CancelStatus(ctx, q)
		if err != nil || st.Estado != "Vigente" {
			t.Fatalf("CancelStatus = %+v %v", st, err)
		}
		rc, err := f.Cancel(ctx, stamping.CancelRequest{IssuerRFC: doc.Emisor.Rfc, UUID: r.UUID, Motivo: "02"})
		if err != nil || rc.EstatusUUID != "201" {
			t.Fatalf("Cancel = %+v %v", rc, err)
		}
		if st, _ := f.CancelStatus(ctx, q); st.Estado != "Cancelado" {
			t.Fatalf("after cancel: %+v", st)
		}
	}
}

// TestFinkokLostReply: the stamp is committed but the reply is lost; the
// answer is an unknown outcome, and stamped then returns the stamp without
// stamping again.
func TestFinkokLostReply(t *testing.T) {
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true})
	f := newFinkok(t, s, 5*time.Second)
	sealed := simtest.Sealed(t, "F", "2", time.Now())
	s.InjectFaults(sim.Fault{Kind: sim.LostReply})
	r, err := f.Stamp(ctx, "x", sealed)
	if r.Class != stamping.Retryable || !r.Unknown || domain.KindOf(err) != domain.Unavailable {
		t.Fatalf("lost reply = %v unknown=%v %v", r.Class, r.Unknown, err)
	}
	l, err := f.Lookup(ctx, "x", sealed)
	if err != nil || l.Class != stamping.AlreadyStamped {
		t.Fatalf("Lookup = %v %v", l.Class, err)
	}
	s.SetDown(true)
	if r, _ := f.Lookup(ctx, "x", sealed); r.Class != stamping.Retryable || !r.Offline {
		t.Fatalf("Lookup while down = %+v", r)
	}
	s.SetDown(false)
	if n := s.StampCount("EKU9003173C9", "F", "2"); n != 1 {
		t.Fatalf("stamps = %d, want 1", n)
	}
}

// TestFinkokRefusals classifies the simulator's refusals: bad credentials
// (300), an out-of-window Fecha (401), no credits (718).
func TestFinkokRefusals(t *testing.T) {
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true, Users: []sim.User{{Name: "V", Email: user, Password: password, Stamps: 1}}})
	f := newFinkok(t, s, 5*time.Second)
	bad, _ := pac.NewFinkok(pac.FinkokConfig{URL: s.URL(), User: user, Password: "otra"})
	if r, _ := bad.Stamp(ctx, "x", simtest.Sealed(t, "F", "9", time.Now())); r.Class != stamping.BadCredentials || r.Code != "300" {
		t.Errorf("bad password = %v %q", r.Class, r.Code)
	}
	if r, _ := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "3", time.Now().Add(-80*time.Hour))); r.Class != stamping.NeedsUser || r.Code != "401" {
		t.Errorf("old Fecha = %v %q", r.Class, r.Code)
	}
	if _, err := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "4", time.Now())); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "5", time.Now())); r.Class != stamping.OutOfStamps || r.Code != "718" {
		t.Errorf("no credits = %v %q", r.Class, r.Code)
	}
}
