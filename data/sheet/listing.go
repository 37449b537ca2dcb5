package sheet

import (
	"context"
	"io"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
)

// Number formats of a listing's cells: Excel shows them after the
// workbook's locale (1,234.56 or 1.234,56).
const (
	fmtMoney    = "#,##0.00"
	fmtDate     = "dd/mm/yyyy"
	fmtDateTime = "dd/mm/yyyy hh:mm"
)

// WriteListing writes t as an XLSX workbook with one sheet: the title
// row, the column titles (bold, frozen) and the rows through the streaming
// writer. Money cells are numbers with two decimals, Quantity cells
// numbers, Date and DateTime cells dates (an instant in Mexico City), Text
// cells text. progress, when not nil, is called with the rows written
// every 1,000 rows; a cancelled ctx stops the writing with its error.
func WriteListing(ctx context.Context, w io.Writer, t listing.Table, progress func(done int)) error {
	const op = "write listing"
	fail := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return domain.E(domain.Internal, op, "No se pudo escribir el archivo de Excel.", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(t.Title)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fail(err)
	}
	styles := make([]int, len(t.Columns))
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	for i, c := range t.Columns {
		var numFmt string
		switch c.Kind {
		case listing.Money:
			numFmt = fmtMoney
		case listing.Date:
			numFmt = fmtDate
		case listing.DateTime:
			numFmt = fmtDateTime
		default:
			continue
		}
		if styles[i], err = f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt}); err != nil {
			return fail(err)
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fail(err)
	}
	for i, width := range columnWidths(t) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: t.Title}}); err != nil {
		return fail(err)
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c.Title}
	}
	if err := sw.SetRow("A2", header); err != nil {
		return fail(err)
	}
	cells := make([]any, len(t.Columns))
	for n, r := range t.Rows {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil && n > 0 {
				progress(n)
			}
		}
		if err := listing.Check(t.Columns, r); err != nil {
			return err
		}
		for i, c := range t.Columns {
			cells[i] = excelize.Cell{StyleID: styles[i], Value: cellValue(c.Kind, r[i])}
		}
		cell, err := excelize.CoordinatesToCellName(1, n+3)
		if err != nil {
			return fail(err)
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return fail(err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return domain.E(domain.Unavailable, op, "No se pudo guardar el archivo de Excel; revise el espacio y los permisos de la carpeta.", err)
	}
	if progress != nil {
		progress(len(t.Rows))
	}
	return nil
}

// cellValue is v as excelize writes it: an amount or a quantity as a
// number — XLSX keeps numbers as IEEE doubles, and a decimal of up to 15
// significant digits survives the trip exactly as text, which is what the
// file stores ("1234.56") —, an instant at its Mexico City wall clock.
func cellValue(k listing.Kind, v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.InexactFloat64()
	case time.Time:
		if x.IsZero() {
			return nil
		}
		if k == listing.DateTime {
			return x.In(domain.MexicoCity)
		}
		return x
	}
	return v
}

// columnWidths gives each column the width of its longest text (title or
// the first 200 rows as shown), between 8 and 60 characters.
func columnWidths(t listing.Table) []float64 {
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		w := utf8.RuneCountInString(c.Title)
		for _, r := range t.Rows[:min(200, len(t.Rows))] {
			if i < len(r) {
				w = max(w, utf8.RuneCountInString(listing.Format(c.Kind, r[i])))
			}
		}
		out[i] = float64(min(max(w+2, 8), 60))
	}
	return out
}

// sheetName is title as Excel accepts a sheet's name: at most 31
// characters, none of : \ / ? * [ ].
func sheetName(title string) string {
	out := make([]rune, 0, 31)
	for _, r := range title {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = ' '
		}
		if len(out) == 31 {
			break
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return "Lista"
	}
	return string(out)
}
