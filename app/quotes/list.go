package quotes

import (
	"context"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// PageSize is how many quotes one page of the list loads.
const PageSize = 100

// Tabs are the list's tabs, in order: title (Spanish source text) and the
// status they show ("" = all; vencida is derived on today's date).
var Tabs = []struct {
	Title  string
	Status quotes.Status
}{
	{"Todas", ""},
	{"Abiertas", quotes.Open},
	{"Enviadas", quotes.Sent},
	{"Aceptadas", quotes.Accepted},
	{"Vencidas", quotes.Expired},
	{"Facturadas", quotes.Invoiced},
}

// column is one column of the table: title (Spanish source text), width
// and text.
type column struct {
	title string
	width float32
	text  func(r row) string
}

var columns = []column{
	{"Núm", 60, func(r row) string { return r.num }},
	{"Fecha", 100, func(r row) string { return r.fecha }},
	{"Vigente hasta", 110, func(r row) string { return r.until }},
	{"Estado", 100, func(r row) string { return r.status }},
	{"Cliente", 260, func(r row) string { return r.cliente }},
	{"Total", 150, func(r row) string { return r.total }},
	{"Factura", 90, func(r row) string { return r.invoice }},
}

// row is one quote of the table, formatted in load.
type row struct {
	id, invoiceID                                      int64
	number                                             int64
	num, fecha, until, status, cliente, total, invoice string
	actions                                            quotes.Actions
}

// QuoteList is the list of a company's quotes. Create it with
// NewQuoteList; its methods run on the UI goroutine.
type QuoteList struct {
	widget.BaseWidget

	deps   Deps
	issuer string

	// OnNew opens the editor on a new quote; OnEdit on quote id.
	OnNew  func()
	OnEdit func(id int64)

	newBtn   *widget.Button
	tabs     *widget.Select
	search   *widget.Entry
	from, to *widget.Entry
	table    *widget.Table
	more     *widget.Button
	status   *widget.Label

	btnEdit, btnPDF, btnMail, btnAccept, btnInvoice, btnOpenInvoice *widget.Button

	tab      int
	rows     []row
	last     *quotes.Cursor
	selected int
	gen      uint64
	notice   string      // what the last action did, shown after the next load
	mail     *mailDialog // the open e-mail dialog (tests)
}

// NewQuoteList builds the list of issuer's quotes; it loads nothing until
// Reload.
func NewQuoteList(deps Deps, issuer string) *QuoteList {
	l := &QuoteList{deps: deps, issuer: issuer, selected: -1}
	titles := make([]string, len(Tabs))
	for i, t := range Tabs {
		titles[i] = lang.L(t.Title)
	}
	l.tabs = widgets.NewSelect(titles, nil)
	l.tabs.SetSelectedIndex(0)
	l.tabs.OnChanged = func(string) {
		if i := l.tabs.SelectedIndex(); i >= 0 && i != l.tab {
			l.tab = i
			l.Reload()
		}
	}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Cliente, RFC o número de cotización (Ctrl+F)"))
	l.search.OnSubmitted = func(string) { l.Reload() }
	l.from = widget.NewEntry()
	l.from.SetPlaceHolder(lang.L("Desde dd/mm/aaaa"))
	l.from.OnSubmitted = func(string) { l.Reload() }
	l.to = widget.NewEntry()
	l.to.SetPlaceHolder(lang.L("Hasta dd/mm/aaaa"))
	l.to.OnSubmitted = func(string) { l.Reload() }

	l.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.rows), len(columns) },
		// Each cell paints the selection behind its text, so the whole row
		// shows selected (Fyne marks only the cell), as in Facturas.
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return container.NewStack(canvas.NewRectangle(color.Transparent), lb)
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			cell := o.(*fyne.Container)
			bg, lb := cell.Objects[0].(*canvas.Rectangle), cell.Objects[1].(*widget.Label)
			fill := color.Color(color.Transparent)
			if id.Row == l.selected && id.Row >= 0 {
				fill = theme.Color(theme.ColorNameSelection)
			}
			if bg.FillColor != fill {
				bg.FillColor = fill
				bg.Refresh()
			}
			if id.Row < 0 || id.Row >= len(l.rows) || id.Col < 0 || id.Col >= len(columns) {
				lb.SetText("")
				return
			}
			lb.SetText(columns[id.Col].text(l.rows[id.Row]))
		})
	l.table.ShowHeaderColumn = false
	l.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(columns) {
			o.(*widget.Label).SetText(lang.L(columns[id.Col].title))
		}
	}
	for i, c := range columns {
		l.table.SetColumnWidth(i, c.width)
	}
	l.table.OnSelected = func(id widget.TableCellID) { l.selectRow(id.Row); l.table.Refresh() }
	l.table.OnUnselected = func(widget.TableCellID) { l.selectRow(-1); l.table.Refresh() }

	l.newBtn = widget.NewButtonWithIcon(lang.L("Nueva cotización"), theme.DocumentCreateIcon(), func() {
		if l.OnNew != nil {
			l.OnNew()
		}
	})
	l.newBtn.Importance = widget.HighImportance
	l.btnEdit = widget.NewButtonWithIcon(lang.L("Editar"), theme.DocumentIcon(), func() {
		if r, ok := l.current(); ok && l.OnEdit != nil {
			l.OnEdit(r.id)
		}
	})
	l.btnPDF = widget.NewButtonWithIcon(lang.L("Vista previa / PDF…"), theme.DocumentSaveIcon(), l.savePDF)
	l.btnMail = widget.NewButtonWithIcon(lang.L("Enviar por correo…"), theme.MailSendIcon(), l.askMail)
	l.btnAccept = widget.NewButtonWithIcon(lang.L("Aceptar"), theme.ConfirmIcon(), l.askAccept)
	l.btnInvoice = widget.NewButtonWithIcon(lang.L("Facturar"), theme.DocumentCreateIcon(), l.facturar)
	l.btnOpenInvoice = widget.NewButtonWithIcon(lang.L("Abrir factura"), theme.NavigateNextIcon(), func() {
		if r, ok := l.current(); ok && l.deps.OpenInvoice != nil && r.invoiceID != 0 {
			l.deps.OpenInvoice(r.invoiceID)
		}
	})
	l.more = widget.NewButton(lang.L("Cargar más"), func() { l.fetch(true) })
	l.more.Disable()
	l.status = widget.NewLabel("")
	l.status.Wrapping = fyne.TextWrapWord
	l.selectRow(-1)
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays out the filters, the table, the actions and the
// paging line.
func (l *QuoteList) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(l.newBtn, l.tabs), nil, l.search),
		container.NewGridWithColumns(2, l.from, l.to))
	actions := container.NewGridWrap(fyne.NewSize(190, 40), l.btnEdit, l.btnPDF, l.btnMail, l.btnAccept, l.btnInvoice, l.btnOpenInvoice)
	bottom := container.NewVBox(actions, container.NewBorder(nil, nil, nil, l.more, l.status))
	return widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, l.table))
}

// FocusTarget is the search entry (Ctrl+F).
func (l *QuoteList) FocusTarget() fyne.Focusable { return l.search }

// current is the selected row.
func (l *QuoteList) current() (row, bool) {
	if l.selected < 0 || l.selected >= len(l.rows) {
		return row{}, false
	}
	return l.rows[l.selected], true
}

// selectRow enables the actions the selected quote's status allows (the
// domain's verdict, quotes.Quote.ActionsOn, computed in load).
func (l *QuoteList) selectRow(i int) {
	l.selected = i
	r, ok := l.current()
	a := r.actions
	set := func(b *widget.Button, on bool, available bool) {
		if !available {
			b.Hide()
			return
		}
		if ok && on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	set(l.btnEdit, a.Edit, l.OnEdit != nil || l.deps.Save != nil)
	set(l.btnPDF, true, l.deps.PDF != nil)
	set(l.btnMail, a.Send, l.deps.Mail != nil)
	set(l.btnAccept, a.Accept, l.deps.Accept != nil)
	set(l.btnInvoice, a.Invoice, l.deps.Facturar != nil)
	set(l.btnOpenInvoice, a.OpenInvoice, l.deps.OpenInvoice != nil)
}

// filter reads the filters from the widgets; bad dates are Invalid.
func (l *QuoteList) filter() (quotes.Filter, error) {
	f := quotes.Filter{Issuer: l.issuer, Status: Tabs[l.tab].Status, Search: strings.TrimSpace(l.search.Text),
		Now: l.deps.now()(), Limit: PageSize}
	day := func(s string) (time.Time, error) {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}, nil
		}
		return sales.ParseDay(s, domain.MexicoCity)
	}
	var err error
	if f.From, err = day(l.from.Text); err != nil {
		return f, err
	}
	if f.To, err = day(l.to.Text); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // "hasta" includes that day
	}
	return f, nil
}

// load fetches one page and formats it, with each quote's total from the
// editor's Totals (sales.Compute) and the actions its status allows;
// synchronous and UI-free.
func (l *QuoteList) load(ctx context.Context, f quotes.Filter) ([]row, *quotes.Cursor, error) {
	qs, err := l.deps.Store.ListQuotes(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(qs))
	for i := range qs {
		rows[i] = l.formatRow(&qs[i], f.Now)
	}
	var last *quotes.Cursor
	if len(qs) > 0 {
		last = qs[len(qs)-1].Cursor()
	}
	return rows, last, nil
}

// formatRow turns a quote into display text on day now.
func (l *QuoteList) formatRow(q *quotes.Quote, now time.Time) row {
	day := func(t time.Time) string { return t.In(domain.MexicoCity).Format("02/01/2006") }
	r := row{id: q.ID, invoiceID: q.InvoiceID, number: q.Number, num: strconv.FormatInt(q.Number, 10),
		fecha: day(q.Fecha), until: day(q.ValidUntil), status: lang.L(q.StatusOn(now).Label()),
		cliente: q.Doc.Customer.RFC + " — " + q.Doc.Customer.Name, total: "—", actions: q.ActionsOn(now)}
	if tot := l.deps.Editor.Invoices; tot != nil {
		if t, err := tot.Totals(&q.Doc); err == nil {
			r.total = tax.FormatMXN(t.Total) + " " + q.Doc.Moneda
		}
	}
	switch {
	case q.InvoiceFolio != "":
		r.invoice = q.InvoiceFolio
	case q.InvoiceID != 0:
		r.invoice = lang.L("Creada") // still a draft
	}
	return r
}

// Reload loads the first page with the current filters.
func (l *QuoteList) Reload() { l.fetch(false) }

func (l *QuoteList) fetch(more bool) {
	f, err := l.filter()
	if err != nil {
		l.status.SetText(domain.UserMessage(err))
		return
	}
	if more {
		if l.last == nil {
			return
		}
		f.After = l.last
	}
	l.gen++
	gen := l.gen
	l.more.Disable()
	l.status.SetText(lang.L("Buscando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		rows, last, err := l.load(ctx, f)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			if more {
				l.rows = append(l.rows, rows...)
			} else {
				l.rows = rows
				l.table.UnselectAll()
				l.selectRow(-1)
				l.table.ScrollToTop()
			}
			if last != nil {
				l.last = last
			}
			if len(rows) == f.Limit {
				l.more.Enable()
			}
			l.table.Refresh()
			text := lang.L("Cotizaciones mostradas: {{.Count}}", map[string]any{"Count": len(l.rows)})
			if l.notice != "" {
				text, l.notice = l.notice+"   "+text, ""
			}
			l.status.SetText(text)
		})
	}()
}

// say shows msg in the list's status line and the window's status bar.
func (l *QuoteList) say(msg string) {
	l.status.SetText(msg)
	if l.deps.Status != nil {
		l.deps.Status.SetMessage(msg)
	}
}

// run calls f off the UI goroutine and, on it, shows its message or its
// error and reloads the list.
func (l *QuoteList) run(working string, f func(ctx context.Context) (string, error)) {
	l.say(working)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		msg, err := f(ctx)
		fyne.Do(func() {
			if err != nil {
				msg = domain.UserMessage(err)
			}
			l.say(msg)
			l.notice = msg
			l.Reload()
		})
	}()
}
