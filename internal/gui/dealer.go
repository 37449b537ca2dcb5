package gui

import (
	"context"

	dealerapp "github.com/folio-mx/folio/app/dealer"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
)

// dealerStore is what the Administrador de timbres needs of the database
// (*sqlite.Store and *postgres.Store): the record of its actions and the
// companies a dealer account may serve.
type dealerStore interface {
	dealer.Store
	ListCompanies(ctx context.Context) ([]sales.Company, error)
}

// dealerDeps wires the Administrador de timbres: the dealer API of the
// active company's PAC account (wire.Accounts.Dealer; the demo company's
// local PAC acts as a dealer), Folio's record of its actions in the store,
// and "Usar como cuenta PAC de una empresa" through the companies' PAC
// accounts (saving one sends that company's waiting documents at once).
func dealerDeps(store dealerStore, secrets pacSaved, accounts *wire.Accounts) dealerapp.Deps {
	return dealerapp.Deps{
		Open: func(ctx context.Context, companyID int64) (dealerapp.Service, error) {
			return accounts.Dealer(ctx, secrets.Companies, store, companyID)
		},
		Account: func(ctx context.Context, companyID int64) (string, string, error) {
			p, err := secrets.CompanyPACSettings(ctx, companyID)
			if err != nil {
				return "", "", err
			}
			user := p.User
			switch {
			case p.Environment == sales.PACLocal:
				user = sim.DemoUser.Email
			case user == "":
				user = "(token de acceso)"
			}
			return wire.AccountName(p), user, nil
		},
		Companies: func(ctx context.Context) ([]sales.Company, error) { return store.ListCompanies(ctx) },
		UseAsPAC: func(ctx context.Context, dealerCompanyID, companyID int64, c dealer.Client) error {
			return wire.UseAsCompanyPAC(ctx, secrets, dealerCompanyID, companyID, c)
		},
	}
}
