package gui

import (
	"context"

	appinv "github.com/folio-mx/folio/app/inventory"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// stockArea is what "Existencias" needs: the store, the stock use cases
// (which also revert invoices' exits in Facturas) and the product lookup
// of its forms.
func stockArea(store *sqlite.Store) appinv.Deps {
	return appinv.Deps{
		Store:   store,
		Service: &inventory.Service{Store: store},
		Products: func(ctx context.Context, q string) ([]sales.Product, error) {
			return store.FindProducts(ctx, sales.ProductFilter{Query: q, Limit: 20})
		},
	}
}
