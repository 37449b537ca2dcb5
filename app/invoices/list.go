package invoices

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// PageSize is how many rows one page of the list loads.
const PageSize = 100

// Tabs are the list's tabs, in order: title (Spanish source text) and the
// status they show ("" = all).
var Tabs = []struct {
	Title  string
	Status sales.Status
}{
	{"Emitidas", sales.StatusStamped},
	{"Generadas", sales.StatusSealed},
	{"Borradores", sales.StatusDraft},
	{"Canceladas", sales.StatusCancelled},
	{"Todas", ""},
}

// row is one table line, already formatted in load.
type row struct {
	fecha, folio, rfc, name, total, status, uuid string
}

func (r row) cell(col int) string {
	return []string{r.fecha, r.folio, r.rfc, r.name, r.total, r.status, r.uuid}[col]
}

var columns = []struct {
	title string
	width float32
}{{"Fecha", 140}, {"Folio", 90}, {"RFC", 140}, {"Cliente", 280}, {"Total", 120}, {"Estado", 90}, {"UUID", 300}}

// formatRow turns a list row into display text (Mexico City dates, money
// with thousands separators).
func formatRow(r sales.InvoiceRow) row {
	folio := ""
	if r.Folio != 0 {
		folio = r.Serie + "-" + strconv.FormatInt(r.Folio, 10)
	}
	return row{
		fecha:  r.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04"),
		folio:  folio,
		rfc:    r.CustomerRFC,
		name:   r.CustomerName,
		total:  money(r.Total.StringFixed(2)) + " " + r.Moneda,
		status: lang.L(r.Status.Label()),
		uuid:   r.UUID,
	}
}

// money inserts thousands separators into a fixed-point amount: "$1,234.50".
func money(fixed string) string {
	intPart, frac, _ := strings.Cut(fixed, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := "$" + b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// InvoiceList is the invoice list screen. Create it with NewInvoiceList; its
// methods run on the UI goroutine.
type InvoiceList struct {
	widget.BaseWidget

	store  Store
	issuer string

	tabs   *widget.Select
	search *widget.Entry
	from   *widget.Entry
	to     *widget.Entry
	table  *widget.Table
	more   *widget.Button
	status *widget.Label

	tab     int
	rows    []row
	last    *sales.InvoiceCursor // cursor of the last loaded row
	gen     uint64
	loading bool
}

// NewInvoiceList builds the list of issuer's invoices; it loads nothing
// until Reload.
func NewInvoiceList(store Store, issuer string) *InvoiceList {
	l := &InvoiceList{store: store, issuer: issuer}
	titles := make([]string, len(Tabs))
	for i, t := range Tabs {
		titles[i] = lang.L(t.Title)
	}
	l.tabs = widget.NewSelect(titles, nil)
	l.tabs.SetSelectedIndex(0)
	l.tabs.OnChanged = func(string) {
		if i := l.tabs.SelectedIndex(); i >= 0 && i != l.tab {
			l.tab = i
			l.Reload()
		}
	}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Cliente, RFC, folio (A-123) o UUID (Ctrl+F)"))
	l.search.OnSubmitted = func(string) { l.Reload() }
	l.from = widget.NewEntry()
	l.from.SetPlaceHolder(lang.L("Desde dd/mm/aaaa"))
	l.from.OnSubmitted = func(string) { l.Reload() }
	l.to = widget.NewEntry()
	l.to.SetPlaceHolder(lang.L("Hasta dd/mm/aaaa"))
	l.to.OnSubmitted = func(string) { l.Reload() }
	l.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.rows), len(columns) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(l.rows) {
				lb.SetText("")
				return
			}
			lb.SetText(l.rows[id.Row].cell(id.Col))
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
	l.more = widget.NewButton(lang.L("Cargar más"), l.loadMore)
	l.more.Disable()
	l.status = widget.NewLabel("")
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays out the filters, the table and the paging line.
func (l *InvoiceList) CreateRenderer() fyne.WidgetRenderer {
	dates := container.NewGridWithColumns(2, l.from, l.to)
	top := container.NewBorder(nil, nil, l.tabs, dates, l.search)
	bottom := container.NewBorder(nil, nil, nil, l.more, l.status)
	return widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, l.table))
}

// FocusTarget is the search entry (Ctrl+F).
func (l *InvoiceList) FocusTarget() fyne.Focusable { return l.search }

// filter reads the filters from the widgets; bad dates are Invalid.
func (l *InvoiceList) filter() (sales.InvoiceFilter, error) {
	f := sales.InvoiceFilter{Issuer: l.issuer, Status: Tabs[l.tab].Status, Search: strings.TrimSpace(l.search.Text), Limit: PageSize}
	day := func(s string) (time.Time, error) {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("02/01/2006", s, domain.MexicoCity)
		if err != nil {
			return t, domain.E(domain.Invalid, "invoice list", lang.L("Escriba las fechas como dd/mm/aaaa."), err)
		}
		return t, nil
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

// load fetches one page and formats it; synchronous and UI-free.
func (l *InvoiceList) load(ctx context.Context, f sales.InvoiceFilter) ([]row, *sales.InvoiceCursor, error) {
	rs, err := l.store.FindInvoices(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(rs))
	for i, r := range rs {
		rows[i] = formatRow(r)
	}
	var last *sales.InvoiceCursor
	if len(rs) > 0 {
		last = rs[len(rs)-1].Cursor()
	}
	return rows, last, nil
}

// Reload loads the first page with the current filters.
func (l *InvoiceList) Reload() { l.fetch(false) }

// loadMore appends the next page (keyset: after the last row shown).
func (l *InvoiceList) loadMore() { l.fetch(true) }

func (l *InvoiceList) fetch(more bool) {
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
	l.loading = true
	l.more.Disable()
	l.status.SetText(lang.L("Buscando…"))
	go func() {
		rows, last, err := l.load(context.Background(), f)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			l.loading = false
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			if more {
				l.rows = append(l.rows, rows...)
				if last != nil {
					l.last = last
				}
			} else {
				l.rows, l.last = rows, last
				l.table.ScrollToTop()
			}
			if len(rows) == f.Limit {
				l.more.Enable()
			}
			l.table.Refresh()
			l.status.SetText(lang.L("Facturas mostradas: {{.Count}}", map[string]any{"Count": len(l.rows)}))
		})
	}()
}
