// Package products is the "Productos" screen: search products and services
// by code or description, create and edit them with their SAT keys, price
// and taxes, deactivate and reactivate them. It reaches the store only
// through the narrow interfaces declared here; it never imports data/.
package products

import (
	"context"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Store is what the screen needs from the product store (*sqlite.Store
// satisfies it). Errors carry Spanish user messages (domain.Error).
type Store interface {
	FindProducts(ctx context.Context, f sales.ProductFilter) ([]sales.Product, error)
	CreateProduct(ctx context.Context, p *sales.Product) error
	UpdateProduct(ctx context.Context, p *sales.Product) error
	SetProductActive(ctx context.Context, id int64, active bool) error
}

// Rules answers the catalog questions of the form in memory: the port of
// sales.Product.Validate plus List for the pickers. *sat.Catalogs
// satisfies it.
type Rules interface {
	sales.Catalogs
	List(catalog string) []sat.Entry
}

// Searcher searches a SAT catalog as the user types, for the form's
// c_ClaveProdServ and c_ClaveUnidad pickers (*sqlite.Store satisfies it;
// see widgets.CatalogSearcher).
type Searcher interface {
	SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error)
}
