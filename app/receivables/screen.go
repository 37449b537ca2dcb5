// Package receivables is the "Cobranza" area: what every customer owes by
// age (antigüedad de saldos) in pesos and per currency, and one customer's
// balance and movements with their account statement (estado de cuenta)
// as a PDF. Every figure comes from domain/receivables; the screen adds
// nothing up.
package receivables

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/listing"
	recv "github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/tax"
)

// Source answers the area's questions (*receivables.Service satisfies it).
type Source interface {
	Aging(ctx context.Context, issuer string, asOf time.Time) (recv.Aging, error)
	Statement(ctx context.Context, issuer string, customerID int64, asOf time.Time) (recv.Statement, error)
}

// Deps is what the area needs. StatementPDF, when set, saves a customer's
// statement for a period as a PDF (off the UI goroutine; the screen asks
// where); Clock is domain.SystemClock when nil.
type Deps struct {
	Source       Source
	StatementPDF func(customerID int64, customerName string)
	Clock        domain.Clock
}

// Screen is the area.
type Screen struct {
	widget.BaseWidget

	deps   Deps
	issuer string

	aging    recv.Aging
	selected int // row of aging.Customers, -1 for none

	asOf       *widget.Label
	table      *widget.Table
	totals     *widget.Label
	currencies *widget.Label
	detail     *widget.Label
	movements  *widget.List
	moves      []recv.Movement
	status     *widget.Label
	pdfBtn     *widget.Button
	body       fyne.CanvasObject
}

// NewScreen builds the area for issuer; it loads nothing until Reload.
func NewScreen(deps Deps, issuer string) *Screen {
	s := &Screen{deps: deps, issuer: issuer, selected: -1}
	s.asOf = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.aging.Customers), 1 + int(recv.NumBuckets) + 1 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.cellText(id)) })
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(columnTitle(id.Col))
		}
	}
	s.table.SetColumnWidth(0, 260)
	for c := 1; c <= int(recv.NumBuckets)+1; c++ {
		s.table.SetColumnWidth(c, 118)
	}
	s.table.OnSelected = func(id widget.TableCellID) { s.selectCustomer(id.Row) }
	s.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.totals.Wrapping = fyne.TextWrapWord
	s.currencies = widget.NewLabel("")
	s.currencies.Wrapping = fyne.TextWrapWord
	s.detail = widget.NewLabel(lang.L("Elija un cliente para ver sus movimientos."))
	s.detail.Wrapping = fyne.TextWrapWord
	s.movements = widget.NewList(func() int { return len(s.moves) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(movementText(s.moves[i])) })
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.pdfBtn = widget.NewButtonWithIcon(lang.L("Estado de cuenta (PDF)…"), theme.DocumentSaveIcon(), func() {
		if s.selected >= 0 && s.selected < len(s.aging.Customers) && s.deps.StatementPDF != nil {
			c := s.aging.Customers[s.selected]
			s.deps.StatementPDF(c.CustomerID, c.CustomerName)
		}
	})
	s.pdfBtn.Disable()
	refresh := widget.NewButtonWithIcon(lang.L("Actualizar"), theme.ViewRefreshIcon(), s.Reload)
	top := container.NewBorder(nil, nil, nil, refresh, s.asOf)
	detail := container.NewBorder(container.NewVBox(widget.NewSeparator(), s.detail), container.NewHBox(s.pdfBtn), nil, nil, s.movements)
	split := container.NewVSplit(container.NewBorder(nil, container.NewVBox(s.totals, s.currencies), nil, nil, s.table), detail)
	split.Offset = 0.6
	s.body = container.NewBorder(top, s.status, nil, nil, split)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the area.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.body) }

func (s *Screen) now() time.Time {
	if s.deps.Clock == nil {
		return domain.SystemClock()
	}
	return s.deps.Clock()
}

// columnTitle is the title of column c: customer, the buckets, total.
func columnTitle(c int) string {
	switch {
	case c == 0:
		return lang.L("Cliente")
	case c <= int(recv.NumBuckets):
		return lang.L(recv.Bucket(c - 1).Label())
	}
	return lang.L("Total")
}

// cellText is the text of a cell of the aging table (pesos).
func (s *Screen) cellText(id widget.TableCellID) string {
	if id.Row < 0 || id.Row >= len(s.aging.Customers) {
		return ""
	}
	r := s.aging.Customers[id.Row]
	switch {
	case id.Col == 0:
		return r.CustomerName + " (" + r.CustomerRFC + ")"
	case id.Col <= int(recv.NumBuckets):
		return amount(r.MXN[id.Col-1])
	}
	return amount(r.MXN.Total())
}

// amount is a peso amount, or "" for zero so that the table reads at a glance.
func amount(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return tax.FormatMXN(d)
}

// Reload reads the aging off the UI goroutine and shows it.
func (s *Screen) Reload() {
	if s.deps.Source == nil {
		s.status.SetText(lang.L("La cobranza no está disponible en esta instalación."))
		return
	}
	asOf := s.now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a, err := s.deps.Source.Aging(ctx, s.issuer, asOf)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.show(a)
		})
	}()
}

// Changed follows the data: a posted, stamped or cancelled document may
// change what customers owe.
func (s *Screen) Changed([]event.Event) { s.Reload() }

// show presents a.
func (s *Screen) show(a recv.Aging) {
	keep := int64(-1)
	if s.selected >= 0 && s.selected < len(s.aging.Customers) {
		keep = s.aging.Customers[s.selected].CustomerID
	}
	s.aging = a
	s.asOf.SetText(lang.L("Antigüedad de saldos al {{.Day}} (en pesos)", map[string]any{"Day": a.AsOf.Format("02/01/2006")}))
	s.totals.SetText(lang.L("Total por cobrar: {{.Total}} · vencido: {{.Overdue}} · clientes: {{.N}}",
		map[string]any{"Total": tax.FormatMXN(a.MXN.Total()), "Overdue": tax.FormatMXN(a.MXN.Overdue()), "N": len(a.Customers)}))
	text := ""
	for _, c := range a.Currencies {
		text += lang.L("En {{.Moneda}}: {{.Total}} (vencido {{.Overdue}})", map[string]any{"Moneda": c.Moneda,
			"Total": tax.FormatMXN(c.Buckets.Total()), "Overdue": tax.FormatMXN(c.Buckets.Overdue())}) + "   "
	}
	s.currencies.SetText(text)
	s.table.Refresh()
	s.selected = -1
	for i, r := range a.Customers {
		if r.CustomerID == keep {
			s.table.Select(widget.TableCellID{Row: i, Col: 0})
			s.selectCustomer(i) // Select does not call OnSelected again for the same cell
		}
	}
	if len(a.Customers) == 0 {
		s.status.SetText(lang.L("Ningún cliente debe: no hay facturas a crédito con saldo."))
	} else {
		s.status.SetText("")
	}
}

// selectCustomer shows row i's balance and movements.
func (s *Screen) selectCustomer(i int) {
	if i < 0 || i >= len(s.aging.Customers) {
		return
	}
	s.selected = i
	c := s.aging.Customers[i]
	s.pdfBtn.Enable()
	asOf := s.now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := s.deps.Source.Statement(ctx, s.issuer, c.CustomerID, asOf)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.moves = st.Movements
			s.detail.SetText(lang.L("{{.Name}}: debe {{.Open}}, vencido {{.Overdue}}, en {{.N}} facturas.", map[string]any{
				"Name": c.CustomerName, "Open": tax.FormatMXN(st.Balance.Open), "Overdue": tax.FormatMXN(st.Balance.Overdue), "N": st.Balance.Invoices}))
			s.movements.Refresh()
		})
	}()
}

// movementText is one movement as a line. Due dates are calendar days
// (midnight UTC, receivables.Day); Fecha is an instant shown in Mexico City.
func movementText(m recv.Movement) string {
	doc := fmt.Sprintf("%s %s-%d", lang.L(m.Kind.Label()), m.Serie, m.Folio)
	due := ""
	if m.Kind == recv.Invoice && !m.DueDate.IsZero() {
		due = "   " + lang.L("vence {{.Day}}", map[string]any{"Day": m.DueDate.Format("02/01/2006")})
	}
	return fmt.Sprintf("%s   %s   %s %s%s", m.Fecha.In(domain.MexicoCity).Format("02/01/2006"), doc, tax.FormatMXN(m.Amount), m.Moneda, due)
}

// Export is the aging as shown: a row per customer with what it owes in
// pesos by age and in total (an amount the screen leaves blank, zero, is
// an empty cell).
func (s *Screen) Export() (widgets.ListExport, bool) {
	a := s.aging
	cols := make([]listing.Column, 0, int(recv.NumBuckets)+2)
	for c := 0; c <= int(recv.NumBuckets)+1; c++ {
		kind := listing.Money
		if c == 0 {
			kind = listing.Text
		}
		cols = append(cols, listing.Column{Title: columnTitle(c), Kind: kind})
	}
	money := func(d decimal.Decimal) any {
		if d.IsZero() {
			return nil
		}
		return d
	}
	rows := func(ctx context.Context, emit func(listing.Row) error) error {
		for _, r := range a.Customers {
			line := listing.Row{r.CustomerName + " (" + r.CustomerRFC + ")"}
			for b := 0; b < int(recv.NumBuckets); b++ {
				line = append(line, money(r.MXN[b]))
			}
			if err := emit(append(line, money(r.MXN.Total()))); err != nil {
				return err
			}
		}
		return nil
	}
	title := lang.L("Antigüedad de saldos")
	if !a.AsOf.IsZero() {
		title = lang.L("Antigüedad de saldos al {{.Day}} (en pesos)", map[string]any{"Day": a.AsOf.Format("02/01/2006")})
	}
	return widgets.ListExport{Title: title, Columns: cols, Rows: rows}, true
}

// SelectedCustomer is the customer selected in the aging, if any.
func (s *Screen) SelectedCustomer() (recv.AgingRow, bool) {
	if s.selected < 0 || s.selected >= len(s.aging.Customers) {
		return recv.AgingRow{}, false
	}
	return s.aging.Customers[s.selected], true
}

// TableTexts returns the Spanish texts the area keeps in tables and
// translates where they are shown: the aging buckets and movement kinds.
func TableTexts() []string {
	var out []string
	for b := recv.Current; b < recv.NumBuckets; b++ {
		out = append(out, b.Label())
	}
	for _, k := range []recv.MovementKind{recv.Invoice, recv.CreditNote, recv.Payment} {
		out = append(out, k.Label())
	}
	return out
}
