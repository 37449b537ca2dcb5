package gui

import (
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// "Saldos contra terceros" on a server: *postgres.Store keeps every port
// the window takes from the SQLite file for the area (the catalog behind
// sales.ThirdParties, the list, the document loader, and the balances,
// payouts, accounts and logo of thirdPartyReports), so the area can be
// wired from the window's store on either database. Compile-time proof.
var (
	_ sales.ThirdPartyStore    = (*postgres.Store)(nil) // tps := &sales.ThirdParties{Store: f, …}
	_ invoices.Store           = (*postgres.Store)(nil) // AreaDeps.List
	_ thirdparty.InvoiceLoader = (*postgres.Store)(nil) // FormDeps.Loader
	_ thirdPartyStore          = (*postgres.Store)(nil) // thirdPartyReports(f, rules)
	_ thirdPartyStore          = (*sqlite.Store)(nil)

	_ = thirdPartyAreaOn[*postgres.Store]
	_ = thirdPartyAreaOn[*sqlite.Store]
)

// thirdPartyAreaOn is window.go's wiring of the area over store f, for
// either store: what compiles here compiles there with f the window's
// store.
func thirdPartyAreaOn[S interface {
	sales.ThirdPartyStore
	invoices.Store
	thirdparty.InvoiceLoader
	thirdPartyStore
}](f S, editor invoices.EditorDeps, rules *sat.Catalogs, prints printing) thirdparty.AreaDeps {
	tps := &sales.ThirdParties{Store: f, Catalogs: rules}
	return thirdparty.AreaDeps{
		Form: thirdparty.FormDeps{Editor: editor, ThirdParties: tps, Loader: f},
		List: f, Catalog: tps, Rules: rules, Printing: prints,
		Reports: thirdPartyReports(f, rules),
	}
}
