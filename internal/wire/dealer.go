package wire

import (
	"context"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
)

// PACAccounts reads and keeps companies' PAC accounts (*sales.Companies).
type PACAccounts interface {
	CompanyPACSettings(ctx context.Context, companyID int64) (sales.PACSettings, error)
	SavePACSettings(ctx context.Context, companyID int64, p sales.PACSettings) error
}

// Dealer returns the Administrador de timbres of company companyID's PAC
// account: SW sapien's dealer API over that account, or, for the demo
// company on the local PAC, the local PAC's (whose demo account is a
// dealer), started on first use. Actions are recorded in actions under
// the account's non-secret key. A Finkok account is refused.
func (a *Accounts) Dealer(ctx context.Context, secrets PACAccounts, actions dealer.Store, companyID int64) (*dealer.Service, error) {
	const op = "wire.Accounts.Dealer"
	p, err := secrets.CompanyPACSettings(ctx, companyID)
	if err != nil {
		return nil, err
	}
	var client *pac.Client
	switch {
	case p.Environment == sales.PACLocal:
		acct, err := a.localAccount()
		if err != nil {
			return nil, err
		}
		client = acct.PAC.(*pac.Client)
	case p.Vendor == sales.PACFinkok:
		return nil, domain.E(domain.Invalid, op, "El Administrador de timbres usa la API de distribuidores de SW sapien; la cuenta de esta empresa es de Finkok. "+
			"Configure su cuenta de distribuidor de SW en Empresa › PAC.", nil)
	default:
		if client, err = pac.NewClient(PACConfig(p)); err != nil {
			return nil, err
		}
	}
	return &dealer.Service{API: client.Dealer(), Store: actions, Dealer: AccountKey(p), Now: domain.SystemClock}, nil
}

// UseAsCompanyPAC makes client account c of company dealerCompanyID's
// dealer account the PAC account of company companyID
// (dealer.PACSettingsFor), through the same path as Empresa › PAC.
func UseAsCompanyPAC(ctx context.Context, secrets PACAccounts, dealerCompanyID, companyID int64, c dealer.Client) error {
	d, err := secrets.CompanyPACSettings(ctx, dealerCompanyID)
	if err != nil {
		return err
	}
	p, err := dealer.PACSettingsFor(d, c)
	if err != nil {
		return err
	}
	return secrets.SavePACSettings(ctx, companyID, p)
}
