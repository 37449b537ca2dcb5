package print

import (
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
)

// Listing is a list to print as it is on screen or exported: a catalog, the
// stock. It carries no fiscal data.
type Listing struct {
	Title    string // "Productos", "Existencias"
	Subtitle string // the company, the date
	Header   []string
	Rows     [][]string
}

// RenderListing draws l as a landscape US Letter PDF: the title, then the
// table, its header repeated on every page, zebra rows, page numbers.
// Columns share the width by the length of their longest text.
func RenderListing(l *Listing, opt Options) ([]byte, error) {
	const op = "print.RenderListing"
	fail := func(err error) ([]byte, error) {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el PDF de la lista.", err)
	}
	ff, err := fonts(layoutStyles)
	if err != nil {
		return fail(err)
	}
	created := opt.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	accent := parseColor(opt.AccentColor)
	cfg := config.NewBuilder().
		WithPageSize(pagesize.Letter).WithOrientation(orientation.Horizontal).
		WithLeftMargin(marginX).WithRightMargin(marginX).
		WithTopMargin(marginTop).WithBottomMargin(marginBottom).
		WithMaxGridSize(gridSize).
		WithCustomFonts(ff).
		WithDefaultFont(&props.Font{Family: assets.FontFamily, Style: fontstyle.Normal, Size: sizeBody, Color: colorText}).
		WithPageNumber(props.PageNumber{Pattern: "Página {current} de {total}", Place: props.RightBottom, Size: sizeSmall, Color: colorMuted}).
		WithCreationDate(created).
		WithTitle(l.Title, true).
		WithCreator("Folio", true).
		Build()
	m := maroto.New(cfg)
	cols := listingCols(l)
	header := make([]core.Col, len(cols))
	for i, c := range cols {
		header[i] = col.New(c.size).Add(text.New(c.title, props.Text{Size: sizeTiny, Style: fontstyle.Bold, Align: c.al, Color: colorWhite, Left: 0.8, Right: 0.8, Top: 1, Bottom: 1}))
	}
	titleRow := row.New().Add(col.New(50).Add(heading(l.Title, accent)),
		col.New(50).Add(t(l.Subtitle, sizeTiny, fontstyle.Normal, align.Right, colorMuted)))
	if err := m.RegisterHeader(titleRow, row.New().Add(header...).WithStyle(&props.Cell{BackgroundColor: accent})); err != nil {
		return fail(err)
	}
	rows := make([]core.Row, 0, len(l.Rows))
	for i, r := range l.Rows {
		vals := make([]string, len(cols))
		copy(vals, r)
		rows = append(rows, tableRow(newTableLine(cols, vals...), i))
	}
	m.AddRows(rows...)
	doc, err := m.Generate()
	if err != nil {
		return fail(err)
	}
	return doc.GetBytes(), nil
}

// listingCols gives each column a share of the grid by its longest text
// (at least 4 of 100), the rest to the last.
func listingCols(l *Listing) []tableCol {
	n := len(l.Header)
	if n == 0 {
		return nil
	}
	width := make([]int, n)
	total := 0
	for i, h := range l.Header {
		width[i] = len([]rune(h))
		for _, r := range l.Rows {
			if i < len(r) && len([]rune(r[i])) > width[i] {
				width[i] = len([]rune(r[i]))
			}
		}
		if width[i] > 40 {
			width[i] = 40
		}
		total += width[i]
	}
	cols := make([]tableCol, n)
	used := 0
	for i := range cols {
		size := gridSize * width[i] / max(total, 1)
		if size < 4 {
			size = 4
		}
		cols[i] = tableCol{size: size, title: l.Header[i], al: align.Left}
		used += size
	}
	// Give back or take what rounding left over, from the widest column.
	widest := 0
	for i := range cols {
		if cols[i].size > cols[widest].size {
			widest = i
		}
	}
	cols[widest].size += gridSize - used
	return cols
}
