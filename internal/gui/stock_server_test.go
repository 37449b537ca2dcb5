package gui

import (
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/data/postgres"
)

// The server keeps stock (data/internal/stocksql): *postgres.Store is all
// that "Existencias" (stockDeps), the invoice editor's "Bodega"
// (editor.Warehouses) and the invoice list's reminder of reverted
// invoices (invoices.RevertedCounter) need. On a server the window wires
// stockDeps(s, rules, nil) with s the *postgres.Store: no "Exportar…" of
// the stock until the catalogs' sheets (sheetsDeps) run on the server.
var (
	_ stockStore               = (*postgres.Store)(nil)
	_ invoices.WarehouseLister = (*postgres.Store)(nil)
	_ invoices.RevertedCounter = (*postgres.Store)(nil)
)
