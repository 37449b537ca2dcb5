// Package company holds the screens about the issuing company: the first-run
// welcome (demo company or own company), the company form, and the
// "Empresa" area (Setup) with its tabs: fiscal data (Profile), CSD upload
// checked on the spot and logo (CSDPanel), PAC account (PACPanel), series
// (SeriesPanel), the companies of the installation with the active one
// (Switcher) and the administrator password (AdminPanel). They reach the
// store only through the narrow interfaces declared here and in setup.go,
// and the company's secrets (CSD, PAC account, administrator password)
// only through the domain service behind Secrets (sales.Companies); the
// package never imports data/. Files the user picks are read behind
// small methods taking bytes (SetCertificate, SetKey, SetLogo), because
// Fyne's file dialogs cannot be driven in tests.
package company

import (
	"context"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Store reads and writes the company profile.
//
// ActiveCompany returns a domain.Error of kind NotFound when no company has
// been configured yet. SaveCompany inserts c (ID 0) or updates it, makes it
// the active company and sets c.ID.
type Store interface {
	ActiveCompany(ctx context.Context) (*sales.Company, error)
	SaveCompany(ctx context.Context, c *sales.Company) error
}

// Rules answers the catalog questions of the company form in memory:
// sales.Company.Validate's port plus List for the régimen options.
// *sat.Catalogs satisfies it. CodigoPostalExists may read a big catalog on
// first use, so it is only called off the UI goroutine.
type Rules interface {
	sales.CompanyCatalogs
	List(catalog string) []sat.Entry
}
