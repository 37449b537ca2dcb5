// Package listing is a list as the user sees it on screen, typed for
// export: its title, its columns (each with the kind of value it holds) and
// its rows. data/sheet writes a Table as XLSX with amounts and quantities as
// numbers and dates as dates; Texts gives the same list as text, formatted
// as on screen, for the printed PDF (print.RenderListing). It imports no
// UI, no database and no file format.
package listing

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
)

// Kind is what a column holds, and so how it is written.
type Kind int

// The kinds of column.
const (
	// Text is written as text (codes such as 01010101 keep their zeros).
	Text Kind = iota
	// Money is an amount: a number with two decimals in XLSX, FormatMXN in
	// the PDF.
	Money
	// Quantity is a number as it is (up to six decimals).
	Quantity
	// Date is a calendar day, shown dd/mm/aaaa.
	Date
	// DateTime is an instant, shown in Mexico City dd/mm/aaaa hh:mm.
	DateTime
)

// Column is one column of a list: its title (as shown, already
// translated) and its kind.
type Column struct {
	Title string
	Kind  Kind
}

// Row is one line: a value per column, of the column's kind's type —
// string for Text, decimal.Decimal for Money and Quantity, time.Time for
// Date and DateTime. A nil value is an empty cell; so is a zero time.
type Row []any

// Table is a whole list to export.
type Table struct {
	Title   string
	Columns []Column
	Rows    []Row
}

// Check reports the first value whose type does not match its column's
// kind (a programming error of the list that built r).
func Check(cols []Column, r Row) error {
	if len(r) != len(cols) {
		return domain.E(domain.Internal, "listing row", "La lista no se pudo exportar.", fmt.Errorf("row of %d values, %d columns", len(r), len(cols)))
	}
	for i, v := range r {
		if v == nil {
			continue
		}
		ok := false
		switch cols[i].Kind {
		case Text:
			_, ok = v.(string)
		case Money, Quantity:
			_, ok = v.(decimal.Decimal)
		case Date, DateTime:
			_, ok = v.(time.Time)
		}
		if !ok {
			return domain.E(domain.Internal, "listing row", "La lista no se pudo exportar.", fmt.Errorf("column %q holds %T", cols[i].Title, v))
		}
	}
	return nil
}

// Format is v as the screen shows it in a column of kind k: amounts with
// FormatMXN, quantities as they are, days dd/mm/aaaa, instants in Mexico
// City; nil and the zero time are "".
func Format(k Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case decimal.Decimal:
		if k == Money {
			return tax.FormatMXN(x)
		}
		return x.String()
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if k == DateTime {
			return x.In(domain.MexicoCity).Format("02/01/2006 15:04")
		}
		return x.Format("02/01/2006")
	}
	return fmt.Sprint(v)
}

// Texts returns the column titles and every row formatted with Format.
func (t Table) Texts() (header []string, rows [][]string) {
	header = make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Title
	}
	rows = make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		line := make([]string, len(t.Columns))
		for j := range line {
			if j < len(r) {
				line[j] = Format(t.Columns[j].Kind, r[j])
			}
		}
		rows[i] = line
	}
	return header, rows
}
