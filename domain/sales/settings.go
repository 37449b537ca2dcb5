package sales

import "context"

// SalesSettings are a company's switches for the sales area. The zero value
// is what a company has until someone changes them: everything off.
type SalesSettings struct {
	// ThirdParties is "Manejar facturación / cobros a terceros (dinero no
	// propio)": the third-party catalog, concepts on behalf of third
	// parties and their balances and payouts.
	ThirdParties bool
	// MultipleSellers is "Permitir múltiples vendedores por venta": the
	// sellers tab of a sale (SaleDetails.Sellers).
	MultipleSellers bool
}

// SalesSettingsStore keeps each company's SalesSettings, by the company's
// RFC (issuer).
type SalesSettingsStore interface {
	// SalesSettings returns issuer's settings; the zero value when none
	// were ever saved.
	SalesSettings(ctx context.Context, issuer string) (SalesSettings, error)
	SetSalesSettings(ctx context.Context, issuer string, s SalesSettings) error
}
