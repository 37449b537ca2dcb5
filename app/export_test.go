package app

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// TestExportListMenu: Archivo › Exportar lista… opens the export of the
// list on screen (Facturas here) and, on a screen without a list, says
// which screens have one.
func TestExportListMenu(t *testing.T) {
	a, q := newTestAppWith(t, &fakeStore{company: sales.DemoCompany()}, func(s *Services) {
		s.Sheets = sheets.Deps{
			WriteListing: func(context.Context, io.Writer, listing.Table, func(int)) error { return nil },
			PDF:          func(*print.Listing) ([]byte, error) { return nil, nil },
		}
	})
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == RouteInvoices })
	a.exportList()
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Exportar lista opened nothing on Facturas")
	}
	a.win.Canvas().Overlays().Remove(top)
	a.Show(RouteCatalogs)
	a.exportList()
	if a.win.Canvas().Overlays().Top() != nil || !strings.Contains(a.status.Message(), "no muestra una lista") {
		t.Errorf("on the SAT catalogs: dialog %v, status %q", a.win.Canvas().Overlays().Top() != nil, a.status.Message())
	}
}
