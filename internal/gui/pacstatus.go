package gui

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// pacStatus is the Timbres screen's view of an issuer's PAC accounts: the
// route the worker uses (wire.Accounts), each account's health from the
// worker and its balance, asked live when the user refreshes and kept in
// memory for this session otherwise.
type pacStatus struct {
	routes  routeDescriber
	worker  *stamping.Worker
	timeout time.Duration

	mu   sync.Mutex
	last map[string]stamping.Balance // by account key
}

var _ stamps.PACStatus = (*pacStatus)(nil)

// routeDescriber is wire.Accounts: RouteFor, and Describe, which names the
// accounts without starting the local PAC of demo mode.
type routeDescriber interface {
	RouteFor(ctx context.Context, issuerRFC string) (stamping.Route, error)
	Describe(ctx context.Context, issuerRFC string) (stamping.Route, error)
}

func newPACStatus(routes routeDescriber, worker *stamping.Worker) *pacStatus {
	return &pacStatus{routes: routes, worker: worker, timeout: 15 * time.Second, last: map[string]stamping.Balance{}}
}

// PACAccounts returns issuerRFC's accounts, primary first.
func (p *pacStatus) PACAccounts(ctx context.Context, issuerRFC string, live bool) (stamps.PACOverview, error) {
	route := p.routes.Describe
	if live {
		route = p.routes.RouteFor
	}
	r, err := route(ctx, issuerRFC)
	if err != nil {
		return stamps.PACOverview{}, err
	}
	health := map[string]stamping.AccountHealth{}
	for _, h := range p.worker.Health() {
		health[h.Key] = h
	}
	accts := []stamping.Account{r.Primary}
	if r.Secondary != nil {
		accts = append(accts, *r.Secondary)
	}
	out := stamps.PACOverview{FailedOver: r.Secondary != nil && slices.Contains(p.worker.Status().FailedOver, issuerRFC)}
	for i, a := range accts {
		pa := stamps.PACAccount{Key: a.Key, Name: a.Name, Secondary: i == 1,
			DownSince: health[a.Key].DownSince, NoStamps: health[a.Key].NoStamps}
		if live && a.Balance != nil {
			bctx, cancel := context.WithTimeout(ctx, p.timeout)
			b, err := a.Balance.Balance(bctx)
			cancel()
			p.mu.Lock()
			if err == nil {
				p.last[a.Key] = b
			} else {
				pa.BalanceError = domain.UserMessage(err)
			}
			p.mu.Unlock()
		}
		p.mu.Lock()
		if b, ok := p.last[a.Key]; ok {
			pa.Balance = &b
		}
		p.mu.Unlock()
		out.Accounts = append(out.Accounts, pa)
	}
	return out, nil
}
