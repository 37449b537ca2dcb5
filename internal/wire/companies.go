package wire

import (
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/sales"
)

// NewCompanies returns the domain service that keeps the companies'
// secrets in store: the store keeps the sealed bytes and the installation
// key file beside the database, the domain decides (checks the CSD, seals
// and opens, verifies the administrator password), and the demo company
// seals with SAT's test CSD embedded in assets. The window and the
// commands share it.
func NewCompanies(store interface {
	sales.CompanySecretStore
	sales.SecretKeys
	Now() time.Time
}) *sales.Companies {
	return &sales.Companies{Store: store, Keys: store, Clock: store.Now,
		Demo: sales.DemoCSD{Certificate: assets.DemoCertificate, Key: assets.DemoKey, Password: assets.DemoKeyPassword}}
}
