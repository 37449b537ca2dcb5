package print

import (
	"fmt"
	"strconv"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/shopspring/decimal"
)

// Report is who a company report (third-party balances, sales book,
// commissions) is for: every figure comes computed from domain/thirdparty
// and is printed as given.
type Report struct {
	IssuerName, IssuerRFC string
}

// tableReport is a titled table with a summary line above it, its header
// repeated on every page, and a totals row: the layout of the company
// reports.
type tableReport struct {
	title, period string
	landscape     bool
	summary       [][2]string
	cols          []tableCol
	rows          [][]string
	bold          map[int]bool // rows printed in bold (subtotals)
	totals        []string
}

func (r *tableReport) render(who Report, opt Options) ([]byte, error) {
	const op = "print.tableReport"
	fail := func(err error) ([]byte, error) {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el reporte "+r.title+".", err)
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
	cb := config.NewBuilder().
		WithPageSize(pagesize.Letter).
		WithLeftMargin(marginX).WithRightMargin(marginX).
		WithTopMargin(marginTop).WithBottomMargin(marginBottom).
		WithMaxGridSize(gridSize).
		WithCustomFonts(ff).
		WithDefaultFont(&props.Font{Family: assets.FontFamily, Style: fontstyle.Normal, Size: sizeBody, Color: colorText}).
		WithPageNumber(props.PageNumber{Pattern: "Página {current} de {total}", Place: props.RightBottom, Size: sizeSmall, Color: colorMuted}).
		WithCreationDate(created).
		WithTitle(r.title+" "+r.period, true).
		WithAuthor(who.IssuerName, true).
		WithCreator("Folio", true)
	if r.landscape {
		cb = cb.WithOrientation(orientation.Horizontal)
	}
	m := maroto.New(cb.Build())
	if opt.Demo {
		if err := m.RegisterFooter(row.New().Add(col.New(gridSize).Add(t(DemoMark, sizeBody, fontstyle.Bold, align.Center, colorAlert)))); err != nil {
			return fail(err)
		}
	}
	whoStack := newStack(0.5).
		add(t(who.IssuerName, 11, fontstyle.Bold, align.Left, colorText)).
		add(labelled("RFC", who.IssuerRFC))
	ident := newStack(1).
		add(t(r.title, 12, fontstyle.Bold, align.Right, accent)).
		add(pair("Periodo", r.period, sizeBody, fontstyle.Normal)...)
	m.AddRows(row.New().Add(col.New(55).Add(whoStack), col.New(45).Add(ident).WithStyle(&props.Cell{BackgroundColor: colorZebra})), spacer(2))
	if len(r.summary) > 0 {
		size := gridSize / len(r.summary)
		var cols []core.Col
		for _, it := range r.summary {
			cols = append(cols, col.New(size).Add(newStack(0.3).add(muted(it[0])).add(t(it[1], 10, fontstyle.Bold, align.Left, colorText))))
		}
		m.AddRows(row.New().Add(cols...).WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: colorRule, BorderThickness: 0.3}), spacer(3))
	}
	header := make([]core.Col, len(r.cols))
	for i, c := range r.cols {
		header[i] = col.New(c.size).Add(text.New(c.title, props.Text{Size: sizeTiny, Style: fontstyle.Bold, Align: c.al, Color: colorWhite, Left: 0.8, Right: 0.8, Top: 1, Bottom: 1}))
	}
	titleRow := row.New().Add(col.New(40).Add(heading(r.title, accent)),
		col.New(60).Add(t(r.title+" "+r.period+" · "+who.IssuerRFC, sizeTiny, fontstyle.Normal, align.Right, colorMuted)))
	if err := m.RegisterHeader(titleRow, row.New().Add(header...).WithStyle(&props.Cell{BackgroundColor: accent})); err != nil {
		return fail(err)
	}
	rows := make([]core.Row, 0, len(r.rows))
	for i, vals := range r.rows {
		cs := make([]core.Component, len(vals))
		for j, v := range vals {
			if r.bold[i] && v != "" {
				cs[j] = t(v, sizeSmall, fontstyle.Bold, r.cols[j].al, colorText)
			} else {
				cs[j] = cell(v, r.cols[j].al)
			}
		}
		rows = append(rows, zebraRow(r.cols, cs, i))
	}
	if len(rows) == 0 {
		rows = append(rows, row.New().Add(col.New(gridSize).Add(muted("Sin movimientos en el periodo."))))
	}
	m.AddRows(rows...)
	if err := m.RegisterHeader(); err != nil {
		return fail(err)
	}
	if r.totals != nil {
		cs := make([]core.Component, len(r.totals))
		for j, v := range r.totals {
			if v != "" {
				cs[j] = t(v, sizeSmall, fontstyle.Bold, r.cols[j].al, colorText)
			}
		}
		m.AddRows(zebraRow(r.cols, cs, 0).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: colorRule, BorderThickness: 0.3}))
	}
	out, err := m.Generate()
	if err != nil {
		return fail(err)
	}
	return out.GetBytes(), nil
}

func mxn(d decimal.Decimal) string { return tax.FormatMXN(d) }

// periodText is a report's period [from, to) as "dd/mm/aaaa a dd/mm/aaaa"
// (zero bounds: "el inicio", "hoy").
func periodText(from, to time.Time) string {
	a, b := "el inicio", "hoy"
	if !from.IsZero() {
		a = day(from)
	}
	if !to.IsZero() {
		b = day(to.Add(-time.Second))
	}
	return a + " a " + b
}

var balanceCols = []tableCol{
	{11, "RFC", align.Left}, {22, "Tercero", align.Left}, {5, "Mon.", align.Left}, {5, "Docs.", align.Right},
	{11, "Facturado", align.Right}, {11, "Cobrado", align.Right}, {11, "Liquidado", align.Right},
	{12, "Por liquidar", align.Right}, {12, "Saldo", align.Right},
}

var balanceDocCols = []tableCol{
	{10, "Fecha", align.Left}, {10, "Documento", align.Left}, {28, "Cliente", align.Left}, {5, "Mon.", align.Left},
	{12, "Terceros", align.Right}, {11, "Notas", align.Right}, {12, "Facturado", align.Right}, {12, "Cobrado", align.Right},
}

// RenderThirdPartyBalances draws rep: a line per third party and currency
// (facturado, cobrado, liquidado, por liquidar = cobrado − liquidado,
// saldo = facturado − liquidado) with the peso totals; with docs, each
// third party's documents follow, under its name.
func RenderThirdPartyBalances(who Report, rep *thirdparty.Report, docs bool, opt Options) ([]byte, error) {
	billed, collected, paid := rep.MXN()
	r := tableReport{title: "Saldos con terceros", period: periodText(rep.From, rep.To), cols: balanceCols,
		summary: [][2]string{{"Facturado (MXN)", mxn(billed)}, {"Cobrado (MXN)", mxn(collected)},
			{"Liquidado (MXN)", mxn(paid)}, {"Saldo (MXN)", mxn(billed.Sub(paid))}}}
	for _, b := range rep.Balances {
		r.rows = append(r.rows, []string{b.RFC, b.Name, b.Moneda, strconv.Itoa(b.Documents), mxn(b.Billed),
			mxn(b.Collected), mxn(b.PaidOut), mxn(b.PendingPayout), mxn(b.Owed)})
	}
	r.totals = []string{"", "Total en pesos", "MXN", "", mxn(billed), mxn(collected), mxn(paid),
		mxn(collected.Sub(paid)), mxn(billed.Sub(paid))}
	if !docs {
		return r.render(who, opt)
	}
	// The drill-down: the same table layout, one block per third party.
	d := tableReport{title: "Saldos con terceros", period: r.period, cols: balanceDocCols, summary: r.summary,
		bold: map[int]bool{}, totals: nil}
	for _, b := range rep.Balances {
		d.bold[len(d.rows)] = true
		d.rows = append(d.rows, []string{b.RFC, "Saldo " + mxn(b.Owed), b.Name, b.Moneda, "Liquidado", mxn(b.PaidOut),
			mxn(b.Billed), mxn(b.Collected)})
		for _, x := range rep.DocsOf(b.ThirdPartyID) {
			if x.Moneda != b.Moneda {
				continue
			}
			d.rows = append(d.rows, []string{day(x.Fecha), x.Number(), x.CustomerName, x.Moneda, mxn(x.Amount),
				mxn(x.Credited), mxn(x.Billed), mxn(x.Collected)})
		}
		for _, p := range rep.Payouts {
			if p.ThirdPartyID == b.ThirdPartyID && p.Moneda == b.Moneda {
				d.rows = append(d.rows, []string{day(p.Fecha), fmt.Sprintf("Liquidación %d", p.ID), p.Reference, p.Moneda,
					"", "", "−" + mxn(p.Amount), ""})
			}
		}
	}
	return d.render(who, opt)
}

var bookCols = []tableCol{
	{8, "Documento", align.Left}, {7, "Fecha", align.Left}, {10, "RFC", align.Left}, {17, "Cliente", align.Left},
	{8, "Propio", align.Right}, {8, "Terceros", align.Right}, {8, "IVA", align.Right}, {6, "IEPS", align.Right},
	{8, "Retenciones", align.Right}, {9, "Total", align.Right}, {11, "Estado", align.Left},
}

// RenderSalesBook draws the sales book (libro de ventas) of a month, in
// pesos, landscape: every invoice and credit note with its status, the
// voided folios, and the totals of the Vigente documents.
func RenderSalesBook(who Report, b *thirdparty.Book, opt Options) ([]byte, error) {
	r := tableReport{title: "Libro de ventas", period: periodText(b.From, b.To), landscape: true, cols: bookCols,
		summary: [][2]string{{"Vigentes", strconv.Itoa(b.Counts[thirdparty.Vigente])},
			{"Canceladas", strconv.Itoa(b.Counts[thirdparty.Cancelada])}, {"Folios anulados", strconv.Itoa(b.Counts[thirdparty.Anulado])},
			{"Total vigente (MXN)", mxn(b.Totals.Total)}}}
	for _, x := range b.Rows {
		if x.Status == thirdparty.Anulado {
			r.rows = append(r.rows, []string{x.Number(), day(x.Fecha), "", x.Note, "", "", "", "", "", "", string(x.Status)})
			continue
		}
		status := string(x.Status)
		if x.Tipo == "E" {
			status += " (nota de crédito)"
		}
		r.rows = append(r.rows, []string{x.Number(), day(x.Fecha), x.CustomerRFC, x.CustomerName, mxn(x.Own), mxn(x.ThirdParty),
			mxn(x.IVA), mxn(x.IEPS), mxn(x.Retenciones), mxn(x.Total), status})
	}
	t := b.Totals
	r.totals = []string{"", "", "", "Total vigentes (MXN)", mxn(t.Own), mxn(t.ThirdParty), mxn(t.IVA), mxn(t.IEPS),
		mxn(t.Retenciones), mxn(t.Total), ""}
	return r.render(who, opt)
}

var commissionCols = []tableCol{
	{10, "Fecha", align.Left}, {10, "Documento", align.Left}, {24, "Cliente", align.Left}, {16, "Vendedor", align.Left},
	{14, "Base MXN", align.Right}, {10, "%", align.Right}, {16, "Comisión MXN", align.Right},
}

// RenderCommissions draws the sellers' commissions of a period: per seller
// its total, then each document.
func RenderCommissions(who Report, c *thirdparty.Commissions, opt Options) ([]byte, error) {
	r := tableReport{title: "Comisiones de vendedores", period: periodText(c.From, c.To), cols: commissionCols,
		bold: map[int]bool{}, summary: [][2]string{{"Vendedores", strconv.Itoa(len(c.Sellers))}, {"Total (MXN)", mxn(c.Total)}}}
	for _, s := range c.Sellers {
		r.bold[len(r.rows)] = true
		r.rows = append(r.rows, []string{"", fmt.Sprintf("%d docs.", s.Documents), "", s.Seller, mxn(s.BaseMXN), "", mxn(s.Amount)})
		for _, x := range c.Rows {
			if x.Seller == s.Seller {
				r.rows = append(r.rows, []string{day(x.Fecha), x.Number(), x.CustomerName, x.Seller, mxn(x.BaseMXN),
					x.Percent.String(), mxn(x.Amount)})
			}
		}
	}
	r.totals = []string{"", "", "", "Total", "", "", mxn(c.Total)}
	return r.render(who, opt)
}
