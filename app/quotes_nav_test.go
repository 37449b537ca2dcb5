package app

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/domain"
	dq "github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

type noQuotes struct{}

func (noQuotes) ListQuotes(context.Context, dq.Filter) ([]dq.Quote, error) { return nil, nil }
func (noQuotes) FindQuote(context.Context, int64) (dq.Quote, error) {
	return dq.Quote{}, domain.E(domain.NotFound, "find quote", "La cotización no existe.", nil)
}

// TestQuotesAreaAndItsInvoice: "Cotizaciones" is in the sidebar when the
// wiring gives it a store (and not otherwise), and the invoice a quote
// made opens in "Facturas".
func TestQuotesAreaAndItsInvoice(t *testing.T) {
	co := &sales.Company{ID: 3, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}
	without, q0 := newTestApp(t, &fakeStore{company: co})
	without.Start()
	q0.RunUntil(t, "main view", func() bool { return without.Current() == RouteInvoices })
	if has(navRoutes(without), RouteQuotes) {
		t.Error("Cotizaciones offered without a store")
	}

	a, q := newTestAppWith(t, &fakeStore{company: co}, func(s *Services) { s.Quotes = quotes.Deps{Store: noQuotes{}} })
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == RouteInvoices })
	if !has(navRoutes(a), RouteQuotes) {
		t.Fatalf("sidebar %v lacks Cotizaciones", navRoutes(a))
	}
	a.Show(RouteQuotes)
	if _, ok := a.screens[RouteQuotes].(*quotes.Screen); !ok || a.Current() != RouteQuotes {
		t.Fatalf("Cotizaciones shows %T", a.screens[RouteQuotes])
	}
	a.openInvoice(7)
	if a.Current() != RouteInvoices {
		t.Errorf("the quote's invoice opened in %q, want facturas", a.Current())
	}
	// The fake store has no invoice 7: wait for the load's refusal, so its
	// goroutine does not outlive the test and draw into the next one's app.
	q.RunUntil(t, "the invoice's load answered", func() bool { return a.win.Canvas().Overlays().Top() != nil })
}
