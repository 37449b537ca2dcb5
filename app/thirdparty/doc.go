// Package thirdparty is the "Saldos contra terceros" area: documents that
// mix items on the company's own account with items billed on behalf of
// third parties (CFDI 4.0 Concepto/ACuentaTerceros), posted when printed,
// and the catalog of third parties. The balances, payouts, sales book and
// commissions screens plug into the area as further tabs (AreaDeps).
//
//	area.go        the area: Documentos | Terceros | optional tabs
//	catalog*.go    the third-party catalog: list and form
//	form.go        the document: header, sub-tabs, totals, actions
//	form_header.go Datos encabezado and the sub-tabs
//	form_grid.go   the two item grids (own account, third parties)
//	form_post.go   Imprimir: retention warning, confirm, correlative, print
//
// It reaches the rest of Folio only through the narrow interfaces declared
// here and the invoice editor's (invoices.EditorDeps); it never imports
// data/.
package thirdparty

import (
	"context"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Catalog is the third-party catalog's service (*sales.ThirdParties
// satisfies it): errors carry Spanish user messages (domain.Error);
// Create and Update normalize and validate, reporting every problem as
// sales.FieldErrors.
type Catalog interface {
	Create(ctx context.Context, t *sales.ThirdParty) error
	Update(ctx context.Context, t *sales.ThirdParty) error
	List(ctx context.Context, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error)
	Deactivate(ctx context.Context, id int64) error
	Activate(ctx context.Context, id int64) error
}

// Rules answers the catalog questions of the third-party form in memory:
// sales.ThirdParty.Validate's port plus List for the régimen picker.
// *sat.Catalogs satisfies it.
type Rules interface {
	sales.CompanyCatalogs
	List(catalog string) []sat.Entry
}

// InvoiceLoader reads one invoice with its lines and sale details
// (*sqlite.Store satisfies it).
type InvoiceLoader interface {
	FindInvoiceByID(ctx context.Context, id int64) (sales.Invoice, error)
}
