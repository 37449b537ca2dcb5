package gui

import (
	"context"

	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/data/sheet"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sat"

	appinv "github.com/folio-mx/folio/app/inventory"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// stockArea is what "Existencias" needs, on a file or a server: stockDeps
// with the stock's export (sheetsDeps).
func stockArea(store stockStore, catalogs catalogio.Store, rules *sat.Catalogs) appinv.Deps {
	sh := sheetsDeps(catalogs, rules)
	return stockDeps(store, rules, &sh)
}

// stockStore is what "Existencias" needs of a store, a file or a server:
// the stock's reads and transactions, the suppliers catalog and the
// product lookup of its forms.
type stockStore interface {
	appinv.Store
	inventory.Store
	inventory.SupplierStore
	FindProducts(ctx context.Context, f sales.ProductFilter) ([]sales.Product, error)
}

// stockDeps is what "Existencias" needs: the store, the stock use cases
// (which also revert invoices' exits in Facturas) and the product lookup
// of its forms; sh, when not nil, adds "Exportar…" of the stock.
func stockDeps(store stockStore, rules *sat.Catalogs, sh *sheets.Deps) appinv.Deps {
	return appinv.Deps{
		Sheets:    sh,
		Suppliers: store,
		Store:     store,
		Service:   &inventory.Service{Store: store, Suppliers: store, Rules: rules},
		Products: func(ctx context.Context, q string) ([]sales.Product, error) {
			return store.FindProducts(ctx, sales.ProductFilter{Query: q, Limit: 20})
		},
	}
}

// sheetsDeps is what the catalogs' import and export and the stock's
// export need: the use cases over the store, the CSV/XLSX reader and
// writer, and the printed listing.
func sheetsDeps(store catalogio.Store, rules *sat.Catalogs) sheets.Deps {
	return sheets.Deps{
		Service:      &catalogio.Service{Store: store, Catalogs: rules},
		Read:         sheet.Read,
		WriteXLSX:    sheet.WriteXLSX,
		PDF:          func(l *print.Listing) ([]byte, error) { return print.RenderListing(l, print.Options{}) },
		WriteListing: sheet.WriteListing,
	}
}
