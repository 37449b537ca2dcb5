package app

import (
	"context"
	"sync"
	"testing"

	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/domain/sales"
)

// fakeSalesSettings keeps sales settings in memory.
type fakeSalesSettings struct {
	mu sync.Mutex
	s  map[string]sales.SalesSettings
}

func (f *fakeSalesSettings) SalesSettings(_ context.Context, issuer string) (sales.SalesSettings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s[issuer], nil
}

func (f *fakeSalesSettings) SetSalesSettings(_ context.Context, issuer string, s sales.SalesSettings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.s[issuer] = s
	return nil
}

// navRoutes returns the routes the sidebar lists.
func navRoutes(a *App) []Route {
	var out []Route
	for _, ar := range a.navAreas {
		out = append(out, ar.route)
	}
	return out
}

func has(rs []Route, r Route) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestThirdPartyAreaFollowsSettings: "Saldos contra terceros" is in the
// sidebar only while the company's sales settings turn third parties on,
// read when the main view opens and applied at once when changed.
func TestThirdPartyAreaFollowsSettings(t *testing.T) {
	co := &sales.Company{ID: 3, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}
	settings := &fakeSalesSettings{s: map[string]sales.SalesSettings{co.RFC: {ThirdParties: true}}}
	fa, q := newTestAppWith(t, &fakeStore{company: co}, func(s *Services) {
		s.SalesSettings = settings
		s.ThirdParty = thirdparty.AreaDeps{Catalog: &sales.ThirdParties{}}
	})
	a := fa
	a.Start()
	q.RunUntil(t, "settings applied", func() bool { return has(navRoutes(a), RouteTerceros) })
	// The areas always shown, and this one (Existencias is hidden: no
	// stock store in this test).
	always := 0
	for _, ar := range areas {
		if ar.visible == nil || ar.route == RouteTerceros {
			always++
		}
	}
	if n := a.nav.Length(); n != always {
		t.Errorf("sidebar rows = %d, want %d", n, always)
	}
	// Turned off (as the "Ventas" tab does): the area leaves the sidebar
	// and cannot be shown.
	a.setSalesSettings(sales.SalesSettings{})
	if has(navRoutes(a), RouteTerceros) || a.nav.Length() != always-1 {
		t.Fatalf("after turning it off the sidebar lists %v", navRoutes(a))
	}
	a.Show(RouteTerceros)
	if a.Current() == RouteTerceros {
		t.Error("a hidden area was shown")
	}
	a.Show(RouteCustomers)
	if a.Current() != RouteCustomers {
		t.Errorf("current = %q, want clientes", a.Current())
	}
	// On again: back in the sidebar, the shown area stays selected.
	a.setSalesSettings(sales.SalesSettings{ThirdParties: true})
	if !has(navRoutes(a), RouteTerceros) || a.Current() != RouteCustomers {
		t.Errorf("after turning it on: %v, current %q", navRoutes(a), a.Current())
	}
}
