package print

import (
	"fmt"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
)

// Statement is a customer's account statement (estado de cuenta) for a
// period, as the receivables ledger computed it: every figure is printed
// as given; nothing is added up here.
type Statement struct {
	IssuerName, IssuerRFC     string
	CustomerName, CustomerRFC string
	From, To                  time.Time // the period's first and last day (Mexico City)
	Moneda                    string
	Opening                   decimal.Decimal // balance before From
	Lines                     []StatementLine
	Charges, Credits          decimal.Decimal // sums of the lines' Cargo and Abono
	Closing                   decimal.Decimal // balance at the end of To
	Aging                     []AgingAmount   // what is owed by days overdue at To; empty prints none
}

// StatementLine is one movement: an invoice (a charge), a credit note or a
// payment (credits), with the balance after it.
type StatementLine struct {
	Fecha      time.Time
	Documento  string    // "Factura A-12", "Nota de crédito NC-3", "Pago P-4"
	Referencia string    // what the movement applies to, or the UUID
	Vence      time.Time // an invoice's due date; zero for the rest
	Cargo      decimal.Decimal
	Abono      decimal.Decimal
	Saldo      decimal.Decimal
}

// AgingAmount is one bucket of the aging ("Al corriente", "1–30 días"…).
type AgingAmount struct {
	Label  string
	Amount decimal.Decimal
}

// statementCols are the movements table's columns.
var statementCols = []tableCol{
	{11, "Fecha", align.Left}, {22, "Documento", align.Left}, {23, "Referencia", align.Left},
	{11, "Vence", align.Left}, {11, "Cargo", align.Right}, {11, "Abono", align.Right}, {11, "Saldo", align.Right},
}

// RenderStatement draws s as a US Letter PDF: issuer and customer, the
// period, opening balance, the movements with their running balance (the
// table's header repeats on every page), the totals and closing balance,
// and the aging. Demo and AccentColor of opt apply; the rest is ignored.
func RenderStatement(s *Statement, opt Options) ([]byte, error) {
	const op = "print.RenderStatement"
	ff, err := fonts(layoutStyles)
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el estado de cuenta.", err)
	}
	created := opt.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	accent := parseColor(opt.AccentColor)
	title := fmt.Sprintf("Estado de cuenta %s %s a %s", s.CustomerRFC, day(s.From), day(s.To))
	cfg := config.NewBuilder().
		WithPageSize(pagesize.Letter).
		WithLeftMargin(marginX).WithRightMargin(marginX).
		WithTopMargin(marginTop).WithBottomMargin(marginBottom).
		WithMaxGridSize(gridSize).
		WithCustomFonts(ff).
		WithDefaultFont(&props.Font{Family: assets.FontFamily, Style: fontstyle.Normal, Size: sizeBody, Color: colorText}).
		WithPageNumber(props.PageNumber{Pattern: "Página {current} de {total}", Place: props.RightBottom, Size: sizeSmall, Color: colorMuted}).
		WithCreationDate(created).
		WithTitle(title, true).
		WithAuthor(s.IssuerName, true).
		WithCreator("Folio", true).
		Build()
	m := maroto.New(cfg)
	if opt.Demo {
		if err := m.RegisterFooter(row.New().Add(col.New(gridSize).Add(t(DemoMark, sizeBody, fontstyle.Bold, align.Center, colorAlert)))); err != nil {
			return nil, domain.E(domain.Internal, op, "No se pudo generar el estado de cuenta.", err)
		}
	}
	money := func(d decimal.Decimal) string { return tax.FormatMXN(d) }
	who := newStack(0.5).
		add(t(s.IssuerName, 11, fontstyle.Bold, align.Left, colorText)).
		add(labelled("RFC", s.IssuerRFC))
	ident := newStack(1).
		add(t("ESTADO DE CUENTA", 12, fontstyle.Bold, align.Right, accent)).
		add(pair("Periodo", day(s.From)+" a "+day(s.To), sizeBody, fontstyle.Normal)...).
		add(pair("Moneda", s.Moneda, sizeBody, fontstyle.Normal)...)
	m.AddRows(row.New().Add(col.New(55).Add(who), col.New(45).Add(ident).WithStyle(&props.Cell{BackgroundColor: colorZebra})), spacer(2))
	m.AddRows(row.New().Add(col.New(gridSize).Add(newStack(0.5).
		add(heading("Cliente", accent)).
		add(bold(s.CustomerName)).
		add(labelled("RFC", s.CustomerRFC)))), spacer(2))
	summary := []struct{ label, value string }{
		{"Saldo inicial", money(s.Opening)}, {"Cargos", money(s.Charges)}, {"Abonos", money(s.Credits)}, {"Saldo final", money(s.Closing)},
	}
	var cols []core.Col
	for _, it := range summary {
		cols = append(cols, col.New(25).Add(newStack(0.3).add(muted(it.label)).add(t(it.value, 11, fontstyle.Bold, align.Left, colorText))))
	}
	m.AddRows(row.New().Add(cols...).WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: colorRule, BorderThickness: 0.3}), spacer(3))

	header := make([]core.Col, len(statementCols))
	for i, c := range statementCols {
		header[i] = col.New(c.size).Add(text.New(c.title, props.Text{Size: sizeTiny, Style: fontstyle.Bold, Align: c.al, Color: colorWhite, Left: 0.8, Right: 0.8, Top: 1, Bottom: 1}))
	}
	titleRow := row.New().Add(col.New(40).Add(heading("Movimientos", accent)),
		col.New(60).Add(t(title, sizeTiny, fontstyle.Normal, align.Right, colorMuted)))
	if err := m.RegisterHeader(titleRow, row.New().Add(header...).WithStyle(&props.Cell{BackgroundColor: accent})); err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el estado de cuenta.", err)
	}
	rows := make([]core.Row, 0, len(s.Lines)+1)
	rows = append(rows, tableRow(newTableLine(statementCols, day(s.From), "Saldo inicial", "", "", "", "", money(s.Opening)), 1))
	amount := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return money(d)
	}
	for i, l := range s.Lines {
		vence := ""
		if !l.Vence.IsZero() {
			vence = day(l.Vence)
		}
		rows = append(rows, tableRow(newTableLine(statementCols, day(l.Fecha), l.Documento, l.Referencia, vence,
			amount(l.Cargo), amount(l.Abono), money(l.Saldo)), i))
	}
	m.AddRows(rows...)
	if err := m.RegisterHeader(); err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el estado de cuenta.", err)
	}
	m.AddRows(tableRow(newTableLine(statementCols, day(s.To), "Saldo final", "", "", money(s.Charges), money(s.Credits),
		money(s.Closing)+" "+s.Moneda).bold(1).bold(6), 0), spacer(3))
	if len(s.Aging) > 0 {
		m.AddRows(row.New().Add(col.New(gridSize).Add(heading("Antigüedad de saldos al "+day(s.To), accent))))
		size := gridSize / len(s.Aging)
		var cols []core.Col
		for _, a := range s.Aging {
			cols = append(cols, col.New(size).Add(newStack(0.3).add(muted(a.Label)).add(t(money(a.Amount), sizeBody, fontstyle.Bold, align.Left, colorText))))
		}
		m.AddRows(row.New().Add(cols...))
	}
	out, err := m.Generate()
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el estado de cuenta.", err)
	}
	return out.GetBytes(), nil
}

// day writes a date as dd/mm/aaaa: an instant as its day in Mexico City,
// and a calendar day given as midnight UTC (receivables' dates: due dates,
// a period's days) as the date it names.
func day(t time.Time) string {
	if h, m, s := t.Clock(); t.Location() == time.UTC && h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.Format("02/01/2006")
	}
	return t.In(domain.MexicoCity).Format("02/01/2006")
}
