package invoices

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
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// PageSize is how many rows one page of the list loads.
const PageSize = 100

// Tabs are the list's tabs, in order: title (Spanish source text) and the
// status they show ("" = all).
var Tabs = []struct {
	Title  string
	Status sales.Status
}{
	{"Todas", ""},
	{"Borradores", sales.StatusDraft},
	{"Generadas", sales.StatusSealed},
	{"Emitidas", sales.StatusStamped},
	{"Canceladas", sales.StatusCancelled},
	{"Revertidas", sales.StatusReverted},
}

// row is one table line, already formatted in load.
type row struct {
	id                                              int64
	num, fecha, ref, st, total, cliente, cfdi, mail string
	credited                                        string // an invoice's Acreditada column
	kind, related                                   string // a credit note's Tipo and Factura columns
	cancelled                                       bool   // shown in red
	reverted                                        bool   // stock exit reverted, not cancelled yet: shown in blue
	status                                          sales.Status
	state                                           sales.State
	tipo                                            string          // "I" invoice, "E" credit note
	fechaValue                                      time.Time       // the export's Fecha
	totalValue                                      decimal.Decimal // the export's Total, in moneda
	moneda                                          string
}

// column is one column of the table: its title (Spanish source text), its
// width and its text in a row.
type column struct {
	title string
	width float32
	text  func(r row) string
	// kind and value type the column for export; value nil writes text.
	kind  listing.Kind
	value func(r row) any
}

// The typed columns of the export: Fecha an instant, Total an amount
// (followed by its Moneda, which the screen writes inside Total).
var (
	fechaValue = func(r row) any { return r.fechaValue }
	totalValue = func(r row) any { return r.totalValue }
)

// columns are the invoices' list's columns: Núm (serie-folio), Fecha, Ref
// (the customer's order), ST (business status), Acreditada (what live
// credit notes took: en parte, por completo), Total, Cliente, CFDI (--- not
// stamped, TFD stamped, PDF stamped and printed), Correo.
var columns = []column{
	{"Núm", 80, func(r row) string { return r.num }, listing.Text, nil},
	{"Fecha", 130, func(r row) string { return r.fecha }, listing.DateTime, fechaValue},
	{"Ref", 80, func(r row) string { return r.ref }, listing.Text, nil},
	{"ST", 90, func(r row) string { return r.st }, listing.Text, nil},
	{"Acreditada", 110, func(r row) string { return r.credited }, listing.Text, nil},
	{"Total", 130, func(r row) string { return r.total }, listing.Money, totalValue},
	{"Cliente", 180, func(r row) string { return r.cliente }, listing.Text, nil},
	{"CFDI", 60, func(r row) string { return r.cfdi }, listing.Text, nil},
	{"Correo", 100, func(r row) string { return r.mail }, listing.Text, nil},
}

// creditColumns are the credit notes' list's: Tipo (Devolución, Rebaja)
// and Factura (the folios of the invoices it credits) in place of Ref and
// Acreditada, in the same width.
var creditColumns = []column{
	{"Núm", 80, func(r row) string { return r.num }, listing.Text, nil},
	{"Fecha", 130, func(r row) string { return r.fecha }, listing.DateTime, fechaValue},
	{"Tipo", 100, func(r row) string { return r.kind }, listing.Text, nil},
	{"Factura", 90, func(r row) string { return r.related }, listing.Text, nil},
	{"ST", 90, func(r row) string { return r.st }, listing.Text, nil},
	{"Total", 130, func(r row) string { return r.total }, listing.Money, totalValue},
	{"Cliente", 180, func(r row) string { return r.cliente }, listing.Text, nil},
	{"CFDI", 60, func(r row) string { return r.cfdi }, listing.Text, nil},
	{"Correo", 100, func(r row) string { return r.mail }, listing.Text, nil},
}

// receiptColumns are the payment receipts' list's: no Ref, no Acreditada
// (a receipt credits nothing); Total is the amount received.
var receiptColumns = []column{
	{"Núm", 80, func(r row) string { return r.num }, listing.Text, nil},
	{"Fecha", 130, func(r row) string { return r.fecha }, listing.DateTime, fechaValue},
	{"ST", 90, func(r row) string { return r.st }, listing.Text, nil},
	{"Total", 130, func(r row) string { return r.total }, listing.Money, totalValue},
	{"Cliente", 270, func(r row) string { return r.cliente }, listing.Text, nil},
	{"CFDI", 60, func(r row) string { return r.cfdi }, listing.Text, nil},
	{"Correo", 100, func(r row) string { return r.mail }, listing.Text, nil},
}

// creditedText is the Acreditada column: a short form of the state, which
// the legend explains.
func creditedText(c sales.CreditedState) string {
	switch c {
	case sales.CreditedPartial:
		return lang.L("En parte")
	case sales.CreditedFull:
		return lang.L("Por completo")
	}
	return ""
}

// creditTexts are the Spanish texts of the credit notes' columns and of
// the credit states, translated where they are shown.
func creditTexts() []string {
	var out []string
	for _, c := range append(creditColumns, receiptColumns...) {
		out = append(out, c.title)
	}
	for _, k := range sales.CreditKinds() {
		out = append(out, k.Label())
	}
	for _, c := range sales.CreditedStates() {
		out = append(out, c.Label())
	}
	return out
}

// kindText is a credit note's kind, translated.
func kindText(k sales.CreditKind) string {
	if k == "" {
		return ""
	}
	return lang.L(k.Label())
}

// legendText explains the ST, Acreditada and CFDI columns below the table.
// The credit notes' list (tipo "E") explains its Tipo column instead of
// Acreditada.
func legendText(tipo string) string {
	middle := lang.L("Acreditada: lo que tomaron sus notas de crédito vigentes (En parte, Por completo).")
	switch tipo {
	case sales.TipoEgreso:
		middle = lang.L("Tipo: Devolución de mercancía o Rebaja de precio; Factura: la factura que acredita.")
	case sales.TipoPago:
		middle = lang.L("Total: el monto recibido.")
	}
	return lang.L("ST: estado del documento (Borrador, Generada, Rechazada por el PAC, Emitida, Cancelación en proceso, Cancelación rechazada, Cancelada).") + "   " +
		middle + "   " + lang.L("CFDI: --- sin timbrar, TFD timbrado por el PAC, PDF timbrado e impreso.")
}

// cfdiState is the CFDI column: "---" until stamped, "TFD" once stamped,
// "PDF" once stamped and printed.
func cfdiState(r sales.InvoiceRow) string {
	switch {
	case r.UUID == "":
		return "---"
	case r.Printed:
		return "PDF"
	}
	return "TFD"
}

// stateText is the ST column: the lifecycle state's Spanish name, translated.
func stateText(s sales.State) string {
	if s == "" {
		return ""
	}
	return lang.L(s.Label())
}

// formatRow turns a list row into display text (Mexico City dates, money
// with thousands separators).
func formatRow(r sales.InvoiceRow) row {
	num := ""
	if r.Folio != 0 {
		num = r.Serie + "-" + strconv.FormatInt(r.Folio, 10)
	}
	st := stateText(r.State)
	if r.Reverted {
		st = lang.L("Revertida")
	}
	return row{
		id:        r.ID,
		num:       num,
		fecha:     r.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04"),
		ref:       r.OrderRef,
		st:        st,
		total:     tax.FormatMXN(r.Total) + " " + r.Moneda,
		cliente:   r.CustomerRFC + " — " + r.CustomerName,
		cfdi:      cfdiState(r),
		credited:  creditedText(r.Credited),
		kind:      kindText(r.CreditKind),
		related:   strings.Join(r.RelatedFolios, ", "),
		cancelled: r.Status == sales.StatusCancelled,
		reverted:  r.Reverted,
		status:    r.Status,
		state:     r.State,
		tipo:      r.Tipo,

		fechaValue: r.Fecha,
		totalValue: r.Total,
		moneda:     r.Moneda,
	}
}

// InvoiceList is the invoice list screen. Create it with NewInvoiceList; its
// methods run on the UI goroutine.
//
// Selecting a row enables the actions that apply to that invoice in the
// actions row below the table; a double tap, Enter or "Abrir" opens it. A
// draft can be opened, duplicated or deleted; a posted invoice opened,
// printed, saved as XML, duplicated and traced; a stamped one also sent by
// e-mail and cancelled. An action whose callback is nil (or, for the
// store's actions, whose Store is not an ActionStore) stays disabled; the
// callbacks are read when a row is selected.
type InvoiceList struct {
	widget.BaseWidget

	store  Store
	ops    ActionStore // nil when store does not implement it
	issuer string
	clock  domain.Clock

	// Tipo is the type of document listed, set before the list is shown:
	// "I" invoices, "E" credit notes (made from an invoice, so without
	// "Nueva factura", "Devolver…", "Rebajar…" and "Duplicar"), "" every
	// type.
	Tipo string
	// ThirdParty lists only the documents of "Saldos contra terceros"
	// (sales.InvoiceFilter.ThirdParty); set before the list is shown.
	ThirdParty bool

	// Deliveries, when set, tells the "Correo" column whether each
	// invoice of the page was e-mailed (the newest delivery's state).
	Deliveries DeliveryStates

	// OnNew, when set, is called by "Nueva factura" (the editor opens).
	OnNew func()
	// OnOpen, when set, is called with the id of the invoice to open in the
	// editor: the selected row ("Abrir", double tap, Enter) or a draft just
	// duplicated.
	OnOpen func(invoiceID int64)
	// OnPrint, when set, prints a posted invoice (the PDF of its stored
	// XML), like the editor's: "Imprimir…".
	OnPrint func(invoiceID int64)
	// OnChoosePrinter, when set, asks for the printer and copies, then
	// prints: "Elegir impresora…".
	OnChoosePrinter func(invoiceID int64)
	// OnSavePDF, when set, saves a posted invoice's PDF where the user
	// says: "Guardar PDF…".
	OnSavePDF func(invoiceID int64)
	// OnCancel, when set, starts the cancellation of a stamped invoice
	// (motivo 01–04 and substitute are asked by the caller's dialog).
	OnCancel func(invoiceID int64)
	// OnSend, when set, sends a stamped invoice's XML and PDF by e-mail.
	OnSend func(invoiceID int64)
	// OnCredit, when set, starts a credit note of kind against an invoice
	// whose life allows relating to it: "Devolver…" (a return) and
	// "Rebajar…" (a rebate).
	OnCredit func(invoiceID int64, kind sales.CreditKind)
	// Revert, when set, offers "Revertir salida…" on a posted invoice:
	// the warehouse puts its goods back and it must then be cancelled.
	Revert Reverter

	newInvoice *widget.Button
	tabs       *widget.Select
	period     *widget.Select
	search     *widget.Entry
	from       *widget.Entry
	to         *widget.Entry
	table      *invoiceTable
	more       *widget.Button
	status     *widget.Label
	legend     *widget.Label

	actions                                       []action
	btnOpen, btnPrint, btnXML, btnSend, btnCancel *widget.Button
	btnDuplicate, btnTrace, btnDelete             *widget.Button
	btnChoosePrinter, btnPDF                      *widget.Button
	btnReturn, btnRebate, btnRevert               *widget.Button
	banner                                        *widget.Label   // reverted invoices waiting for their cancellation
	actionGrid                                    *fyne.Container // the buttons, in actionCols columns
	actionCols                                    int
	selected                                      int // row the actions apply to, -1 for none

	tab     int
	rows    []row
	last    *sales.InvoiceCursor // cursor of the last loaded row
	gen     uint64
	loading bool
}

// NewInvoiceList builds the list of issuer's invoices; it loads nothing
// until Reload. When store also implements ActionStore (as *sqlite.Store
// does), the actions that need it are offered.
func NewInvoiceList(store Store, issuer string) *InvoiceList {
	l := &InvoiceList{store: store, issuer: issuer, clock: domain.SystemClock, selected: -1}
	l.ops, _ = store.(ActionStore)
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
	periods := make([]string, len(Periods))
	for i, p := range Periods {
		periods[i] = lang.L(p)
	}
	l.period = widgets.NewSelect(periods, nil)
	l.period.SetSelectedIndex(0)
	l.period.OnChanged = func(string) { l.applyPeriod(l.period.SelectedIndex(), time.Now()) }
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Cliente, RFC, folio (A-123) o UUID (Ctrl+F)"))
	l.search.OnSubmitted = func(string) { l.Reload() }
	l.from = widget.NewEntry()
	l.from.SetPlaceHolder(lang.L("Desde dd/mm/aaaa"))
	l.from.OnSubmitted = func(string) { l.Reload() }
	l.to = widget.NewEntry()
	l.to.SetPlaceHolder(lang.L("Hasta dd/mm/aaaa"))
	l.to.OnSubmitted = func(string) { l.Reload() }
	l.table = &invoiceTable{open: l.openSelected}
	l.table.ShowHeaderRow = true
	l.table.Length = func() (int, int) { return len(l.rows), len(l.columns()) }
	// Each cell paints the selection behind its text, so a click on any
	// cell shows its whole row selected (Fyne marks only the cell).
	l.table.CreateCell = func() fyne.CanvasObject {
		lb := widget.NewLabel("")
		lb.Truncation = fyne.TextTruncateEllipsis
		return container.NewStack(canvas.NewRectangle(color.Transparent), lb)
	}
	l.table.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
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
		if id.Row < 0 || id.Row >= len(l.rows) {
			lb.SetText("")
			return
		}
		r := l.rows[id.Row]
		lb.Importance = widget.MediumImportance
		if r.cancelled {
			lb.Importance = widget.DangerImportance
		}
		if r.reverted {
			lb.Importance = widget.HighImportance
		}
		cols := l.columns()
		if id.Col < 0 || id.Col >= len(cols) {
			lb.SetText("")
			return
		}
		lb.SetText(cols[id.Col].text(r))
	}
	l.table.ExtendBaseWidget(l.table)
	l.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if cols := l.columns(); id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(lang.L(cols[id.Col].title))
		}
	}
	l.table.OnSelected = func(id widget.TableCellID) { l.selectRow(id.Row); l.table.Refresh() }
	l.table.OnUnselected = func(widget.TableCellID) { l.selectRow(-1); l.table.Refresh() }
	l.newInvoice = widget.NewButtonWithIcon(lang.L("Nueva factura"), theme.DocumentCreateIcon(), func() {
		if l.OnNew != nil {
			l.OnNew()
		}
	})
	l.newInvoice.Importance = widget.HighImportance
	l.more = widget.NewButton(lang.L("Cargar más"), l.loadMore)
	l.more.Disable()
	l.status = widget.NewLabel("")
	// ST and CFDI keep the names users know from their ERPs; the legend
	// says what they and their values mean (Fyne has no tooltips).
	l.legend = widget.NewLabel("")
	l.legend.SizeName = theme.SizeNameCaptionText
	l.legend.Wrapping = fyne.TextWrapWord
	l.buildActions()
	l.banner = widget.NewLabel("")
	l.banner.Importance = widget.WarningImportance
	l.banner.Wrapping = fyne.TextWrapWord
	l.banner.Hide()
	l.selectRow(-1)
	l.ExtendBaseWidget(l)
	return l
}

// columns are the table's columns for the type listed.
func (l *InvoiceList) columns() []column {
	switch l.Tipo {
	case sales.TipoEgreso:
		return creditColumns
	case sales.TipoPago:
		return receiptColumns
	}
	return columns
}

// credits reports whether the list shows credit notes.
func (l *InvoiceList) credits() bool { return l.Tipo == sales.TipoEgreso }

// receipts reports whether the list shows payment receipts.
func (l *InvoiceList) receipts() bool { return l.Tipo == sales.TipoPago }

// applyTipo fits the list to the type of document it shows: its columns,
// legend and texts, and the buttons that make no sense for credit notes.
func (l *InvoiceList) applyTipo() {
	for i, c := range l.columns() {
		l.table.SetColumnWidth(i, c.width)
	}
	l.legend.SetText(legendText(l.Tipo))
	if l.credits() || l.receipts() {
		l.newInvoice.Hide()
		l.btnReturn.Hide()
		l.btnRebate.Hide()
		l.btnDuplicate.Hide()
		l.btnCancel.SetText(lang.L("Cancelar nota de crédito"))
	}
	if l.receipts() {
		l.btnCancel.SetText(lang.L("Cancelar recibo de pago"))
	}
}

// CreateRenderer lays out the filters, the table and the paging line.
func (l *InvoiceList) CreateRenderer() fyne.WidgetRenderer {
	if l.Revert != nil && l.Tipo == sales.TipoIngreso && l.btnRevert == nil {
		l.buildRevert()
		l.selectRow(l.selected)
	}
	l.applyTipo()
	dates := container.NewBorder(nil, nil, l.period, nil, container.NewGridWithColumns(2, l.from, l.to))
	top := container.NewVBox(l.banner,
		container.NewBorder(nil, nil, container.NewHBox(l.newInvoice, l.tabs), nil, l.search),
		dates)
	buttons := make([]fyne.CanvasObject, len(l.actions))
	for i, a := range l.actions {
		buttons[i] = touchTarget(a.button)
	}
	// The actions wrap in as many columns as fit (listRenderer), so none
	// is cut or hidden beyond a scroll on a narrow screen.
	l.actionGrid = container.NewGridWithColumns(1, buttons...)
	bottom := container.NewVBox(l.legend, l.actionGrid,
		container.NewBorder(nil, nil, nil, l.more, l.status))
	r := widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, l.table))
	return &listRenderer{WidgetRenderer: r, l: l}
}

// listRenderer sets the columns of the actions for the list's width
// before laying it out.
type listRenderer struct {
	fyne.WidgetRenderer
	l *InvoiceList
}

func (r *listRenderer) Layout(size fyne.Size) {
	r.l.fitActions(size.Width)
	r.WidgetRenderer.Layout(size)
}

// fitActions lays the action buttons out in as many equal columns as the
// widest of them allows in width.
func (l *InvoiceList) fitActions(width float32) {
	if l.actionGrid != nil {
		fitColumns(l.actionGrid, width, &l.actionCols)
	}
}

// DeliveryStates reads the e-mail state of invoices (*sqlite.MailStore).
type DeliveryStates interface {
	InvoiceDeliveryStates(ctx context.Context, invoiceIDs []int64) (map[int64]delivery.State, error)
}

// Periods are the quick date filters, in order (Spanish source text).
var Periods = []string{"Cualquier fecha", "Hoy", "Semana", "Mes", "Especial"}

// periodRange returns the dd/mm/aaaa bounds of quick filter i on the day of
// now (Mexico City): Hoy is today, Semana Monday to today, Mes the calendar
// month; ok is false for "Cualquier fecha" and "Especial" (typed dates).
func periodRange(i int, now time.Time) (from, to string, ok bool) {
	const layout = "02/01/2006"
	d := now.In(domain.MexicoCity)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.MexicoCity)
	switch i {
	case 1:
		return day.Format(layout), day.Format(layout), true
	case 2:
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		return monday.Format(layout), day.Format(layout), true
	case 3:
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, domain.MexicoCity)
		return first.Format(layout), first.AddDate(0, 1, -1).Format(layout), true
	}
	return "", "", false
}

// applyPeriod fills the date entries from quick filter i and reloads;
// "Especial" leaves them for the user to type, "Cualquier fecha" clears them.
func (l *InvoiceList) applyPeriod(i int, now time.Time) {
	from, to, ok := periodRange(i, now)
	switch {
	case ok:
		l.from.SetText(from)
		l.to.SetText(to)
	case i == 0:
		l.from.SetText("")
		l.to.SetText("")
	}
	if i == len(Periods)-1 { // Especial
		l.from.Enable()
		l.to.Enable()
		return
	}
	l.from.Disable()
	l.to.Disable()
	l.Reload()
}

// FocusTarget is the search entry (Ctrl+F).
func (l *InvoiceList) FocusTarget() fyne.Focusable { return l.search }

// filter reads the filters from the widgets; bad dates are Invalid.
func (l *InvoiceList) filter() (sales.InvoiceFilter, error) {
	f := sales.InvoiceFilter{Issuer: l.issuer, Tipo: l.Tipo, Status: Tabs[l.tab].Status, Search: strings.TrimSpace(l.search.Text), Limit: PageSize,
		ThirdParty: l.ThirdParty}
	day := func(s string) (time.Time, error) {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}, nil
		}
		// ParseDay tells a date that does not exist (31/02/2026) from
		// text that is not a date.
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

// load fetches one page and formats it; synchronous and UI-free.
func (l *InvoiceList) load(ctx context.Context, f sales.InvoiceFilter) ([]row, *sales.InvoiceCursor, error) {
	rs, err := l.store.FindInvoices(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(rs))
	ids := make([]int64, len(rs))
	for i, r := range rs {
		rows[i] = formatRow(r)
		ids[i] = r.ID
	}
	if l.Deliveries != nil && len(ids) > 0 {
		states, err := l.Deliveries.InvoiceDeliveryStates(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for i := range rows {
			if st, ok := states[rows[i].id]; ok {
				rows[i].mail = lang.L(st.Label())
			}
		}
	}
	var last *sales.InvoiceCursor
	if len(rs) > 0 {
		last = rs[len(rs)-1].Cursor()
	}
	return rows, last, nil
}

// Export is the list under the current tab, search and dates: every
// page, in the list's order, with the columns shown (and Moneda after
// Total). A bad date makes the export fail with its message.
func (l *InvoiceList) Export() (widgets.ListExport, bool) {
	f, ferr := l.filter()
	title := lang.L("Facturas")
	switch l.Tipo {
	case sales.TipoEgreso:
		title = lang.L("Notas de crédito")
	case sales.TipoPago:
		title = lang.L("Recibos de pago")
	}
	if l.tab > 0 {
		title += " (" + lang.L(Tabs[l.tab].Title) + ")"
	}
	cols := l.columns()
	var out []listing.Column
	for _, c := range cols {
		kind := c.kind
		if c.value == nil {
			kind = listing.Text
		}
		out = append(out, listing.Column{Title: lang.L(c.title), Kind: kind})
		if c.kind == listing.Money {
			out = append(out, listing.Column{Title: lang.L("Moneda"), Kind: listing.Text})
		}
	}
	rows := func(ctx context.Context, emit func(listing.Row) error) error {
		if ferr != nil {
			return ferr
		}
		f.Limit, f.After = exportPage, nil
		for {
			page, last, err := l.load(ctx, f)
			if err != nil {
				return err
			}
			for _, r := range page {
				line := make(listing.Row, 0, len(out))
				for _, c := range cols {
					if c.value != nil {
						line = append(line, c.value(r))
					} else {
						line = append(line, c.text(r))
					}
					if c.kind == listing.Money {
						line = append(line, r.moneda)
					}
				}
				if err := emit(line); err != nil {
					return err
				}
			}
			if len(page) < f.Limit || last == nil {
				return nil
			}
			f.After = last
		}
	}
	return widgets.ListExport{Title: title, Columns: out, Rows: rows}, true
}

// exportPage is the rows of one page an export reads (the store's most).
const exportPage = 500

// Reload loads the first page with the current filters.
func (l *InvoiceList) Reload() {
	l.refreshBanner()
	l.fetch(false)
}

// loadMore appends the next page (keyset: after the last row shown).
func (l *InvoiceList) loadMore() { l.fetch(true) }

func (l *InvoiceList) fetch(more bool) {
	f, err := l.filter()
	if err != nil {
		l.say(domain.UserMessage(err), true)
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
	l.say(lang.L("Buscando…"), false)
	go func() {
		rows, last, err := l.load(context.Background(), f)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			l.loading = false
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			if !more {
				l.table.UnselectAll()
				l.selectRow(-1)
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
			l.say(l.countText(len(l.rows)), false)
		})
	}()
}

// countText is the status line after a load: how many documents are shown.
func (l *InvoiceList) countText(n int) string {
	if l.credits() {
		return lang.L("Notas de crédito mostradas: {{.Count}}", map[string]any{"Count": n})
	}
	if l.receipts() {
		return lang.L("Recibos de pago mostrados: {{.Count}}", map[string]any{"Count": n})
	}
	return lang.L("Facturas mostradas: {{.Count}}", map[string]any{"Count": n})
}
