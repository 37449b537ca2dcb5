package sim_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/stamping"
)

// TestStateSurvivesRestart: with a state file the local PAC of demo mode
// remembers, after Close and Start, what it stamped (the same document
// gets its earlier stamp back, 307, and the stamp still verifies with the
// server's certificate), a cancellation of yesterday's document is
// accepted instead of «SAT does not know the UUID», and the dealer's
// client accounts keep their stamps.
func TestStateSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pac-local.json")
	start := func() (*sim.Server, *pac.Client) {
		t.Helper()
		s, err := sim.Start(sim.Options{SkipQR: true, StatePath: path})
		if err != nil {
			t.Fatal(err)
		}
		c, err := pac.NewClient(pac.Config{ServicesURL: s.URL(), APIURL: s.URL(), Token: sim.DemoUser.Token, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return s, c
	}

	s, c := start()
	sealed := simtest.Sealed(t, "R", "1", time.Now().Add(-time.Minute))
	first, err := c.Stamp(ctx, "r-1", sealed)
	if err != nil || first.Class != stamping.Stamped {
		t.Fatalf("stamp: %+v, %v", first, err)
	}
	other, err := c.Stamp(ctx, "r-2", simtest.Sealed(t, "R", "2", time.Now().Add(-time.Minute)))
	if err != nil || other.Class != stamping.Stamped {
		t.Fatalf("stamp: %+v, %v", other, err)
	}
	cl, err := c.Dealer().CreateClient(ctx, dealer.NewClient{Name: "Papelería Luna", RFC: "PLU200101AB1", Email: "luna@cliente.mx",
		Password: "Luna-2026!", Stamps: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dealer().AddStamps(ctx, cl.ID, 5, "más"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no state file after Close: %v", err)
	}

	s, c = start()
	defer s.Close()
	again, err := c.Stamp(ctx, "r-1", sealed)
	if err != nil || again.Class != stamping.AlreadyStamped || again.UUID != first.UUID {
		t.Errorf("the same document after a restart: %+v, %v; want its earlier stamp %s", again, err, first.UUID)
	}
	doc, err := cfdi.Parse(first.StampedXML)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfdi.VerifyTFD(doc, s.Certificate()); err != nil {
		t.Errorf("yesterday's stamp does not verify with the restarted server's certificate: %v", err)
	}
	rec, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: "EKU9003173C9", UUID: other.UUID, Motivo: "02"})
	if err != nil || rec.EstatusUUID != "201" {
		t.Errorf("cancelling a document stamped before the restart: %+v, %v; want 201", rec, err)
	}
	p, err := c.Dealer().Clients(ctx, dealer.Filter{Query: "luna@cliente.mx"})
	if err != nil || len(p.Clients) != 1 || p.Clients[0].Stamps != 15 {
		t.Errorf("dealer client after a restart: %+v, %v; want 15 stamps", p, err)
	}
	if s.Stamped() != 2 {
		t.Errorf("stamped count after a restart = %d, want 2", s.Stamped())
	}

	// A damaged file is refused, not silently replaced by an empty PAC.
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{no es json"), 0o600)
	if _, err := sim.Start(sim.Options{StatePath: bad}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Start over a damaged state file = %v", err)
	}
}
