package sheet

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
)

// TestWriteListing: amounts are number cells shown with two decimals,
// quantities numbers, days and instants date cells (an instant at its
// Mexico City wall clock), text stays text with its leading zeros; empty
// values are empty cells.
func TestWriteListing(t *testing.T) {
	tab := listing.Table{Title: "Facturas: enero/febrero", Columns: []listing.Column{
		{Title: "Código", Kind: listing.Text}, {Title: "Total", Kind: listing.Money}, {Title: "Cantidad", Kind: listing.Quantity},
		{Title: "Vence", Kind: listing.Date}, {Title: "Fecha", Kind: listing.DateTime},
	}, Rows: []listing.Row{
		{"01010101", decimal.RequireFromString("1234567.891"), decimal.RequireFromString("2.125"),
			time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 5, 30, 0, 0, time.UTC)},
		{"B", nil, decimal.Zero, time.Time{}, nil},
	}}
	var buf bytes.Buffer
	var seen int
	if err := WriteListing(context.Background(), &buf, tab, func(n int) { seen = n }); err != nil {
		t.Fatal(err)
	}
	if seen != 2 {
		t.Errorf("progress ended at %d, want 2", seen)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	if sh != "Facturas  enero febrero" {
		t.Errorf("sheet name %q", sh)
	}
	for _, tt := range []struct {
		cell, raw, shown string
		typ              excelize.CellType
		numFmt           string
	}{
		{"A1", "Facturas: enero/febrero", "", excelize.CellTypeInlineString, ""},
		{"B2", "Total", "", excelize.CellTypeInlineString, ""},
		{"A3", "01010101", "01010101", excelize.CellTypeInlineString, ""},
		{"B3", "1234567.891", "1,234,567.89", excelize.CellTypeUnset, fmtMoney},
		{"C3", "2.125", "", excelize.CellTypeUnset, ""},
		{"D3", "46387", "31/12/2026", excelize.CellTypeUnset, fmtDate},
		{"E3", "46081.979166666664", "28/02/2026 23:30", excelize.CellTypeUnset, fmtDateTime},
		{"B4", "", "", excelize.CellTypeUnset, fmtMoney},
		{"D4", "", "", excelize.CellTypeUnset, fmtDate},
	} {
		raw, err := f.GetCellValue(sh, tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		typ, _ := f.GetCellType(sh, tt.cell)
		if raw != tt.raw || typ != tt.typ {
			t.Errorf("%s = %q (type %v), want %q (type %v)", tt.cell, raw, typ, tt.raw, tt.typ)
		}
		if tt.shown != "" {
			if shown, _ := f.GetCellValue(sh, tt.cell); shown != tt.shown {
				t.Errorf("%s shows %q, want %q", tt.cell, shown, tt.shown)
			}
		}
		if tt.numFmt != "" {
			id, _ := f.GetCellStyle(sh, tt.cell)
			st, err := f.GetStyle(id)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != tt.numFmt {
				t.Errorf("%s style %+v, want number format %q", tt.cell, st, tt.numFmt)
			}
		}
	}
}

// TestWriteListingRefuses: a cancelled export stops with the context's
// error, and a value of the wrong type for its column is an Internal error,
// not a wrong file.
func TestWriteListingRefuses(t *testing.T) {
	cols := []listing.Column{{Title: "Total", Kind: listing.Money}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteListing(ctx, &bytes.Buffer{}, listing.Table{Title: "x", Columns: cols, Rows: []listing.Row{{decimal.Zero}}}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	err := WriteListing(context.Background(), &bytes.Buffer{}, listing.Table{Title: "x", Columns: cols, Rows: []listing.Row{{"1.00"}}}, nil)
	if domain.KindOf(err) != domain.Internal {
		t.Errorf("text in a money column: %v", err)
	}
}
