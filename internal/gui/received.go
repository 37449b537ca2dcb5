package gui

import (
	"context"

	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/print"
	dreceived "github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/wire"
)

// receivedArea wires "CFDI externos": the store's imported documents, the
// import (wire.ImportItems over files, folders and ZIPs, then the
// received.Service), and the PDF of a CFDI 4.0 drawn from its stored XML
// without the issuer's logo (it is another company's document).
func receivedArea(store *sqlite.Store, rules *sat.Catalogs) received.Deps {
	svc := &dreceived.Service{Store: store, Checker: wire.NewChecker(rules)}
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
		PDF: func(_ context.Context, xml []byte) ([]byte, error) { return print.RenderXML(xml, print.Options{}) },
	}
}
