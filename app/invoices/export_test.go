package invoices

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// TestInvoiceListExport: the export reads every page of the list under the
// tab and search shown (keyset, 500 at a time), not the 100 rows loaded,
// with Moneda after Total and typed Fecha and Total; a bad date fails the
// export with its Spanish message.
func TestInvoiceListExport(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := newFakeStore(1234)
	l := NewInvoiceList(store, "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	l.Reload()
	q.RunUntil(t, "first page", func() bool { return len(l.rows) == PageSize })
	l.tab = 3 // Emitidas
	l.search.SetText("URE180429TM6")
	e, ok := l.Export()
	if !ok || e.Title != "Facturas (Emitidas)" {
		t.Fatalf("Export = %q, %v", e.Title, ok)
	}
	if len(e.Columns) != len(columns)+1 || e.Columns[5].Kind != listing.Money || e.Columns[6].Title != "Moneda" || e.Columns[1].Kind != listing.DateTime {
		t.Errorf("columns %+v", e.Columns)
	}
	var rows []listing.Row
	if err := e.Rows(context.Background(), func(r listing.Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1234 {
		t.Fatalf("exported %d rows, want every one of 1234", len(rows))
	}
	for _, r := range rows {
		if err := listing.Check(e.Columns, r); err != nil {
			t.Fatal(err)
		}
	}
	if rows[0][0] != "A-1234" || rows[1233][0] != "A-1" || !rows[7][5].(decimal.Decimal).Equal(decimal.RequireFromString("1234567.5")) || rows[7][6] != "MXN" {
		t.Errorf("first %v, last %v", rows[0], rows[1233])
	}
	f := store.lastFilter()
	if f.Status != sales.StatusStamped || f.Search != "URE180429TM6" || f.Limit != exportPage || f.After == nil {
		t.Errorf("last filter asked %+v, want the tab, the search and keyset pages of %d", f, exportPage)
	}
	l.from.SetText("31/02/2026")
	e, _ = l.Export()
	if err := e.Rows(context.Background(), func(listing.Row) error { return nil }); err == nil {
		t.Error("a bad date exported")
	}
}
