package wire

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// TestRouteFromTheStoredAccounts (issue 16): a company with an SW primary
// and a Finkok secondary stored through sales.Companies gets a Route of
// both with its threshold; with the primary down past the threshold the
// worker stamps every document once at the secondary, which the queue
// records; removing the secondary leaves the primary alone.
func TestRouteFromTheStoredAccounts(t *testing.T) {
	ctx := context.Background()
	store, demo, companies, sw, fk := swAndFinkok(t)
	accounts := NewAccounts(store)
	defer accounts.Close()
	if r, err := accounts.RouteFor(ctx, demo.RFC); err != nil || r.Secondary != nil {
		t.Fatalf("no secondary: %+v, %v", r, err)
	}
	second := sales.PACSettings{Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: " kemper@finkok.test ", Password: "Finkok-2", URL: fk.URL()}
	if err := companies.SaveSecondaryPAC(ctx, demo.ID, &sales.PACFailover{Secondary: second, AfterMinutes: 1}); err != nil {
		t.Fatal(err)
	}
	if err := TestPACSettings(ctx, second); err != nil {
		t.Errorf("Probar conexión with Finkok: %v", err)
	}
	wrong := second
	wrong.Password = "otra"
	if err := TestPACSettings(ctx, wrong); err == nil {
		t.Error("Probar conexión with a wrong Finkok password passed")
	}
	r, err := accounts.RouteFor(ctx, demo.RFC)
	if err != nil || r.Secondary == nil || r.After != time.Minute {
		t.Fatalf("route = %+v, %v; want a secondary after 1 min", r, err)
	}
	if r.Secondary.Checker == nil || r.Primary.Checker != nil || r.Secondary.Key == r.Primary.Key ||
		r.Secondary.Name != "Finkok de pruebas ("+hostOf(fk.URL())+")" {
		t.Errorf("accounts: primary %q, secondary %q (%s), Finkok checker %v", r.Primary.Key, r.Secondary.Key, r.Secondary.Name, r.Secondary.Checker != nil)
	}
	if again, _ := accounts.RouteFor(ctx, demo.RFC); again.Secondary.PAC != r.Secondary.PAC {
		t.Error("an unchanged secondary got a new client")
	}
	// Finkok cancels with a request signed here with the company's CSD:
	// the local PAC verifies it, and SAT does not know this UUID (205).
	_, err = r.Secondary.Canceller.Cancel(ctx, stamping.CancelRequest{IssuerRFC: demo.RFC, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Motivo: "02"})
	if n, bad := fk.CancelRequests(); domain.KindOf(err) != domain.Unavailable || !strings.Contains(domain.UserMessage(err), "más tarde") || n != 1 || bad != 0 {
		t.Errorf("Finkok cancel: %v (%d requests, %d bad signatures); want 205 from one verified request", err, n, bad)
	}
	if b, err := r.Secondary.Balance.Balance(ctx); err != nil || b.Stamps != 100 {
		t.Errorf("Finkok balance = %+v, %v; want 100 credits of %s", b, err, demo.RFC)
	}

	// The worker's clock moves two minutes at every reading, so the
	// primary is past its threshold after its first unanswered attempt.
	sw.SetDown(true)
	var ticks atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * 2 * time.Minute) }
	queue := sqlite.NewStampStore(store)
	w := stamping.NewWorker(queue, accounts, clock, stamping.Options{Concurrency: 2, Timeout: 3 * time.Second,
		Backoff: stamping.Backoff{Base: 10 * time.Millisecond, Max: 100 * time.Millisecond}, Poll: 50 * time.Millisecond,
		ProbeEvery: time.Minute, CredentialsDelay: 50 * time.Millisecond, OutOfStampsDelay: 50 * time.Millisecond})
	const n = 5
	for i := 1; i <= n; i++ {
		nd, err := stamping.Describe(simtest.Sealed(t, "F", fmt.Sprint(i), base), fmt.Sprintf("failover-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Post(ctx, nd); err != nil {
			t.Fatal(err)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	docs, err := queue.Documents(ctx, demo.RFC)
	if err != nil || len(docs) != n {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for _, d := range docs {
		if d.State != stamping.StateStamped || d.Account != r.Secondary.Key || fk.StampCount(d.IssuerRFC, d.Serie, d.Folio) != 1 {
			t.Errorf("%s-%s: %s at %q, %d stamps at Finkok; want stamped once at %q", d.Serie, d.Folio, d.State, d.Account,
				fk.StampCount(d.IssuerRFC, d.Serie, d.Folio), r.Secondary.Key)
		}
	}
	if sw.Stamped() != 0 {
		t.Errorf("the primary, down, stamped %d", sw.Stamped())
	}
	var sawDown bool
	for _, h := range w.Health() {
		sawDown = sawDown || h.Key == r.Primary.Key && !h.DownSince.IsZero()
	}
	if st := w.Status(); len(st.FailedOver) != 1 || st.FailedOver[0] != demo.RFC {
		t.Errorf("status failed over %v; want [%s]", st.FailedOver, demo.RFC)
	}
	if !sawDown {
		t.Errorf("health %+v does not show the primary down", w.Health())
	}

	if err := companies.SaveSecondaryPAC(ctx, demo.ID, nil); err != nil {
		t.Fatal(err)
	}
	if r, err := accounts.RouteFor(ctx, demo.RFC); err != nil || r.Secondary != nil {
		t.Errorf("after removing the secondary: %+v, %v", r, err)
	}
}

// TestDescribeDoesNotStartTheLocalPAC: the Timbres screen names the demo
// company's account without starting the local PAC; RouteFor starts it.
func TestDescribeDoesNotStartTheLocalPAC(t *testing.T) {
	ctx := context.Background()
	store, demo := demoStore(t)
	accounts := NewAccounts(store)
	defer accounts.Close()
	r, err := accounts.Describe(ctx, demo.RFC)
	if err != nil || r.Primary.Key != "local" || r.Primary.Name != "PAC local de demostración" || r.Primary.PAC != nil || r.Secondary != nil {
		t.Fatalf("Describe = %+v, %v", r, err)
	}
	if accounts.LocalStarted() {
		t.Fatal("Describe started the local PAC")
	}
	if r, err := accounts.RouteFor(ctx, demo.RFC); err != nil || r.Primary.PAC == nil || !accounts.LocalStarted() {
		t.Errorf("RouteFor = %+v, %v; want the local PAC started", r, err)
	}
}
