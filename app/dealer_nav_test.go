package app

import (
	"context"
	"sync"
	"testing"

	dealerapp "github.com/folio-mx/folio/app/dealer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// fakeDealerFlag keeps the dealer flag per company in memory.
type fakeDealerFlag struct {
	mu sync.Mutex
	on map[int64]bool
}

func (f *fakeDealerFlag) DealerEnabled(_ context.Context, id int64) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.on[id], nil
}

func (f *fakeDealerFlag) SetDealerEnabled(_ context.Context, id int64, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on[id] = on
	return nil
}

// TestDealerAreaFollowsTheFlag: "Administrador de timbres" is in the
// sidebar only while the active company's PAC account is flagged as a
// dealer account, read when the main view opens and applied at once when
// Empresa › PAC saves it.
func TestDealerAreaFollowsTheFlag(t *testing.T) {
	co := &sales.Company{ID: 3, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}
	flag := &fakeDealerFlag{on: map[int64]bool{co.ID: true}}
	a, q := newTestAppWith(t, &fakeStore{company: co}, func(s *Services) {
		s.DealerFlag = flag
		s.Dealer = dealerapp.Deps{Open: func(context.Context, int64) (dealerapp.Service, error) {
			return nil, domain.E(domain.Unavailable, "test", "Sin conexión.", nil)
		}}
	})
	a.Start()
	q.RunUntil(t, "flag applied", func() bool { return has(navRoutes(a), RouteDealer) })
	a.Show(RouteDealer)
	if a.Current() != RouteDealer {
		t.Fatalf("current = %q", a.Current())
	}
	// The area connects off the UI goroutine and says why it could not.
	area := a.screens[RouteDealer].(*dealerapp.Area)
	q.RunUntil(t, "connection refused shown", func() bool { return area.Status.Text == "Sin conexión." })
	a.Show(RouteCustomers)
	a.setDealer(false)
	if has(navRoutes(a), RouteDealer) {
		t.Fatalf("after unflagging the sidebar lists %v", navRoutes(a))
	}
	a.Show(RouteDealer)
	if a.Current() == RouteDealer {
		t.Error("a hidden area was shown")
	}
	// Without the wiring the area is never offered.
	b, q2 := newTestAppWith(t, &fakeStore{company: co}, nil)
	b.Start()
	q2.RunUntil(t, "second window started", func() bool { return b.nav != nil })
	if has(navRoutes(b), RouteDealer) {
		t.Error("offered without a dealer service")
	}
}
