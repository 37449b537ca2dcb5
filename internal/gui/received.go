package gui

import (
	"context"

	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/print"
	dreceived "github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// receivedStore is what "CFDI externos" needs of the database
// (*sqlite.Store and *postgres.Store): the imported documents with their
// suppliers, link, concordancia and SAT status, the drafts they are linked
// to and the products concordancia maps to.
type receivedStore interface {
	dreceived.Store
	dreceived.LinkStore
	dreceived.ConcordanceStore
	dreceived.StatusStore
	sales.InvoiceStore
	FindProducts(ctx context.Context, f sales.ProductFilter) ([]sales.Product, error)
}

// receivedArea wires "CFDI externos": the store's imported documents, the
// import (wire.ImportItems over files, folders and ZIPs, then the
// received.Service), the PDF of a CFDI 4.0 drawn from its stored XML
// without the issuer's logo (it is another company's document), the link
// of a document to a draft (received.Linker), concordancia
// (received.Concordancer over the sales service, so drafts are saved as
// the editor saves them) and SAT's status through each company's PAC
// account (received.StatusChecker over pacs, the stamp worker's accounts),
// consulted again when the area opens for what was left pending offline.
func receivedArea(store receivedStore, rules *sat.Catalogs, pacs stamping.PACs, bus event.Publisher) received.Deps {
	svc := &dreceived.Service{Store: store, Checker: wire.NewChecker(rules)}
	linker := &dreceived.Linker{Store: store, Decimals: rules.MonedaDecimals, Events: bus}
	conc := &dreceived.Concordancer{Store: store, Sales: &sales.Service{Invoices: store, Catalogs: rules, Events: bus}, Linker: linker}
	status := &dreceived.StatusChecker{Store: store, PACs: pacs}
	return received.Deps{
		Store: store,
		Import: func(ctx context.Context, paths []string, progress func(dreceived.Progress)) (dreceived.Result, error) {
			items, closeItems, err := wire.ImportItems(paths)
			if err != nil {
				return dreceived.Result{}, err
			}
			defer closeItems()
			return svc.Import(ctx, items, progress)
		},
		PDF:  func(_ context.Context, xml []byte) ([]byte, error) { return print.RenderXML(xml, print.Options{}) },
		Link: linker.Link,
		Drafts: func(ctx context.Context, issuer, rfc string) ([]sales.InvoiceRow, error) {
			return draftsOf(ctx, store, issuer, rfc)
		},
		Concordance: conc,
		Products: func(ctx context.Context, q string) ([]sales.Product, error) {
			return store.FindProducts(ctx, sales.ProductFilter{Query: q, Limit: 50})
		},
		CheckStatus: status.Check,
		AutoStatus:  true,
	}
}

// draftsOf lists issuer's draft invoices (Ingreso) whose customer has rfc.
func draftsOf(ctx context.Context, store sales.InvoiceStore, issuer, rfc string) ([]sales.InvoiceRow, error) {
	rows, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: issuer, Tipo: sales.TipoIngreso, Status: sales.StatusDraft, Search: rfc, Limit: 200})
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if r.CustomerRFC == rfc {
			out = append(out, r)
		}
	}
	return out, nil
}
