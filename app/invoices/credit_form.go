package invoices

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// CreditService is what the credit-note form asks of the invoicing use
// cases (*sales.Service satisfies it): the amounts of the note as it is
// (the computation that also builds the XML), and posting it. The note is
// posted through PostNew, which stores and posts it in one transaction: a
// refused note leaves nothing behind, and the form keeps what was typed.
type CreditService interface {
	Totals(inv *sales.Invoice) (sales.Totals, error)
	PostNew(ctx context.Context, co *sales.Company, signer cfdi.Signer, doc sales.Invoice) (sales.Invoice, error)
}

// CreditReader reads what the live credit notes of an invoice already took
// (*sqlite.Store satisfies it).
type CreditReader interface {
	Credited(ctx context.Context, invoiceID int64) (sales.Credited, error)
}

// AccountLister lists the company's cash and bank accounts (*sqlite.Store
// satisfies it).
type AccountLister interface {
	FindAccounts(ctx context.Context, issuer string) ([]banks.Account, error)
}

// CreditDeps is what "Devolver" and "Rebajar" need: the invoice's loader,
// what earlier notes took, the issuer's series, the use cases, the
// catalogs (forms of payment, decimals of the currency) and the signer.
type CreditDeps struct {
	Loader   InvoiceLoader
	Credits  CreditReader
	Series   SeriesFinder
	Notes    CreditService
	Rules    EditorRules
	Signer   func(ctx context.Context) (cfdi.Signer, error)
	Finder   InvoiceFinder // the customer's other invoices, for a rebate over several; nil hides "Agregar factura…"
	Accounts AccountLister // where a cash sale's refund is paid from; nil records none
	Clock    domain.Clock  // domain.SystemClock when nil
	OnPosted func(note sales.Invoice)
}

func (d CreditDeps) now() time.Time {
	if d.Clock == nil {
		return domain.SystemClock()
	}
	return d.Clock()
}

// CreditInput is what the form opens with: the invoice, what earlier notes
// took from it, and the series that may number a credit note.
type CreditInput struct {
	Invoice  sales.Invoice
	Done     sales.Credited
	Series   []sales.Series  // active series of type E, in the order offered
	Accounts []banks.Account // active accounts that may pay a cash sale's refund
}

// LoadCredit reads what the form needs to credit invoice id; synchronous
// and UI-free (the screen calls it off the UI goroutine).
func LoadCredit(ctx context.Context, d CreditDeps, id int64) (CreditInput, error) {
	inv, err := d.Loader.FindInvoiceByID(ctx, id)
	if err != nil {
		return CreditInput{}, err
	}
	if err := inv.State.Allowed(sales.EventRelate); err != nil {
		return CreditInput{}, err
	}
	done, err := d.Credits.Credited(ctx, id)
	if err != nil {
		return CreditInput{}, err
	}
	all, err := d.Series.FindSeries(ctx, inv.Issuer)
	if err != nil {
		return CreditInput{}, err
	}
	in := CreditInput{Invoice: inv, Done: done}
	for _, s := range all {
		if s.CanNumber(sales.TipoEgreso) == nil {
			in.Series = append(in.Series, s)
		}
	}
	if d.Accounts != nil && inv.EffectiveFormaPago() != sales.FormaPagoPorDefinir {
		accts, err := d.Accounts.FindAccounts(ctx, inv.Issuer)
		if err != nil {
			return CreditInput{}, err
		}
		for _, a := range accts {
			if a.Active && (a.Moneda == inv.Moneda || a.Moneda == "MXN") {
				in.Accounts = append(in.Accounts, a)
			}
		}
	}
	return in, nil
}

// CreditForm is the credit-note form (issue "Devolver" / "Rebajar" on a
// stamped invoice): an exact copy of the invoice where the user takes away
// what does not apply. In a return the quantity of each line can only be
// lowered, in a rebate the user types the rebate per unit; the tax taken
// away is shown per line and the totals follow every change. Every figure
// on it comes from the domain: sales.BuildCreditNote builds the note from
// what is typed and the service's Totals computes it, as posting will.
type CreditForm struct {
	widget.BaseWidget

	deps   CreditDeps
	issuer *sales.Company
	kind   sales.CreditKind
	in     CreditInput
	inv    *sales.Invoice // the first invoice: the header's defaults
	// sources are the invoices the note credits, the first one first; a
	// rebate may add more invoices of the same customer and currency.
	sources []sales.CreditSource

	rows     []*creditRow // one per invoice line with something left to credit
	shown    []int        // indexes into rows of the lines still on the note
	note     sales.Invoice
	totals   sales.Totals
	noteErr  error
	busy     bool
	narrow   bool // lines are cards: the form is narrower than the grid's columns
	taxLines int  // taxes of the most taxed line: the rows' height
	decimals int32

	title, folio, fecha, terms, moneda *widget.Label
	serie                              *widget.Select
	forma                              *choice
	ref, delivery, tc                  *creditEntry
	notes                              *creditEntry
	deliveryRow, tcRow, accountRow     fyne.CanvasObject
	account                            *widget.Select
	lines                              *widget.List
	header                             fyne.CanvasObject // the grid's column titles
	fields, actions                    *fyne.Container
	totalsView                         *totalsView
	problem                            *widget.Label
	postBtn, cancelBtn, restoreBtn     *widget.Button
	addBtn                             *widget.Button
	body                               fyne.CanvasObject

	// OnClose returns to the list (after posting or when the user gives up).
	OnClose func()
}

// creditRow is one invoice line on the form: what the user typed and its
// verdict. value is the quantity returned or the rebate per unit.
type creditRow struct {
	src     int // in sources
	line    int // in the invoice
	left    decimal.Decimal
	text    string
	removed bool
	problem string
	amounts *sales.LineAmounts // nil when the line is not on the note
}

// NewCreditForm builds the form of a credit note of kind on in. Opening it
// is computing the whole invoice as credited once; nothing is read from the
// store.
func NewCreditForm(deps CreditDeps, issuer *sales.Company, kind sales.CreditKind, in CreditInput) *CreditForm {
	f := &CreditForm{deps: deps, issuer: issuer, kind: kind, in: in, inv: &in.Invoice}
	f.decimals = 2
	if d, ok := deps.Rules.MonedaDecimals(f.inv.Moneda); ok {
		f.decimals = d
	}
	f.addSource(&in.Invoice, in.Done)
	f.build()
	f.ExtendBaseWidget(f)
	f.recompute()
	return f
}

// CreateRenderer shows the form.
func (f *CreditForm) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.body) }

// Resize lays the lines out as columns, or as cards when the form is
// narrower than the columns (a tablet held upright).
func (f *CreditForm) Resize(size fyne.Size) {
	if narrow := size.Width < creditRowWidth()+2*theme.Padding(); narrow != f.narrow {
		f.narrow = narrow
		f.lines.Refresh() // the list measures its rows again, as cards or columns
		f.header.Refresh()
		f.fields.Refresh()
		cols := 3
		if narrow {
			cols = 2
		}
		f.totalsView.setColumns(cols)
	}
	f.BaseWidget.Resize(size)
}

// Kind is the kind of credit note the form issues.
func (f *CreditForm) Kind() sales.CreditKind { return f.kind }

// FocusTarget is the first line's value, or the observations when no line
// is left.
func (f *CreditForm) FocusTarget() fyne.Focusable { return f.ref }

func (f *CreditForm) build() {
	inv := f.inv
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.title.Wrapping = fyne.TextWrapWord
	f.showTitle()
	customer := widget.NewLabel(inv.Customer.RFC + " — " + inv.Customer.Name + "   UUID " + inv.UUID)
	customer.Truncation = fyne.TextTruncateEllipsis

	var names []string
	for _, s := range f.in.Series {
		names = append(names, s.Serie)
	}
	f.folio = widget.NewLabel("")
	f.serie = widgets.NewSelect(names, func(string) { f.showFolio() })
	if len(names) > 0 {
		f.serie.SetSelectedIndex(0)
	}
	f.fecha = widget.NewLabel(lang.L("{{.Day}} (se fija al emitir)", map[string]any{"Day": f.deps.now().In(domain.MexicoCity).Format("02/01/2006")}))
	f.ref = f.newEntry(lang.L("Referencia"))
	f.ref.SetText(inv.OrderRef)
	f.delivery = f.newEntry(lang.L("dd/mm/aaaa"))
	f.delivery.OnChanged = func(string) { f.showProblem() }
	f.terms = widget.NewLabel(f.termsText())
	f.terms.Wrapping = fyne.TextWrapWord
	f.forma = newChoice(f.deps.Rules.List(sat.FormaPago), f.recompute)
	f.moneda = widget.NewLabel(inv.Moneda)
	accounts := []string{lang.L("Sin registrar")}
	for _, a := range f.in.Accounts {
		accounts = append(accounts, a.Name+" ("+a.Moneda+")")
	}
	f.account = widgets.NewSelect(accounts, func(string) { f.recompute() })
	f.account.SetSelectedIndex(0)
	f.tc = f.newEntry("")
	f.tc.SetText(inv.TipoCambio.String())
	f.tc.OnChanged = func(string) { f.recompute() }
	f.notes = f.newEntry(lang.L("Observaciones"))
	f.notes.MultiLine = true
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(2)

	label := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{})
	}
	f.deliveryRow = container.NewBorder(nil, nil, label(lang.L("Fecha de entrega")), nil, f.delivery)
	f.tcRow = container.NewBorder(nil, nil, label(lang.L("Tipo de cambio")), nil, f.tc)
	f.accountRow = container.NewBorder(nil, nil, label(lang.L("Devolver desde")), nil, f.account)
	f.fields = container.New(&creditHeaderLayout{&f.narrow},
		container.NewBorder(nil, nil, label(lang.L("Nota de crédito")), f.folio, f.serie),
		container.NewBorder(nil, nil, label(lang.L("Fecha")), nil, f.fecha),
		container.NewBorder(nil, nil, label(lang.L("Referencia")), nil, f.ref),
		f.deliveryRow,
		container.NewBorder(nil, nil, label(lang.L("Forma de pago")), nil, f.forma.Select),
		container.NewBorder(nil, nil, label(lang.L("Moneda")), nil, f.moneda),
		f.tcRow,
		f.accountRow,
	)
	show(f.deliveryRow, f.kind == sales.Devolucion)
	show(f.tcRow, inv.Moneda != "MXN")
	show(f.accountRow, len(f.in.Accounts) > 0)

	f.lines = widget.NewList(func() int { return len(f.shown) }, f.newLineView, f.updateLineView)
	f.lines.HideSeparators = false
	f.totalsView = newTotalsView()
	f.problem = newErrorLabel()
	f.postBtn = widget.NewButton(lang.L("Emitir nota de crédito"), f.Post)
	f.postBtn.Importance = widget.HighImportance
	f.cancelBtn = widget.NewButton(lang.L("Cancelar"), func() {
		if f.OnClose != nil {
			f.OnClose()
		}
	})
	f.restoreBtn = widget.NewButton(lang.L("Reponer conceptos quitados"), f.restoreAll)
	f.restoreBtn.Hide()
	f.addBtn = widget.NewButton(lang.L("Agregar factura…"), f.pickInvoice)
	if f.kind != sales.Rebaja || f.deps.Finder == nil {
		f.addBtn.Hide()
	}

	f.header = creditLineHeader(f.kind, &f.narrow)
	top := container.NewVBox(f.title, customer, f.fields, f.terms, f.notes, widget.NewSeparator(), f.header)
	f.actions = container.NewHBox(f.addBtn, f.restoreBtn, layoutSpacer(), f.cancelBtn, f.postBtn)
	bottom := container.NewVBox(f.problem, f.totalsView, f.actions)
	f.body = container.NewBorder(top, bottom, nil, nil, f.lines)
	f.forma.selectKey(f.defaultForma())
	f.showFolio()
}

// termsText says how the note is paid back, after the invoice's terms.
func (f *CreditForm) termsText() string {
	if f.inv.EffectiveFormaPago() == sales.FormaPagoPorDefinir {
		return lang.L("La factura es a crédito (PPD): la nota se emite PUE y su importe se compensa del saldo del cliente (forma de pago 17).")
	}
	return lang.L("La factura es de contado (PUE): la nota se emite PUE; elija cómo se devuelve el dinero.")
}

// defaultForma is the FormaPago BuildCreditNote proposes.
func (f *CreditForm) defaultForma() string {
	if f.inv.EffectiveFormaPago() == sales.FormaPagoPorDefinir {
		return sales.FormaPagoCompensacion
	}
	return f.inv.FormaPago
}

// showFolio shows the number the chosen series proposes.
func (f *CreditForm) showFolio() {
	if f.folio == nil {
		return
	}
	s, ok := f.series()
	switch {
	case !ok:
		f.folio.SetText(lang.L("sin serie de notas de crédito"))
	default:
		f.folio.SetText(fmt.Sprintf("%s-%d", s.Serie, s.NextFolio))
	}
}

func (f *CreditForm) series() (sales.Series, bool) {
	i := f.serie.SelectedIndex()
	if i < 0 || i >= len(f.in.Series) {
		return sales.Series{}, false
	}
	return f.in.Series[i], true
}

// addSource puts inv on the note with every line it has left.
func (f *CreditForm) addSource(inv *sales.Invoice, done sales.Credited) {
	f.sources = append(f.sources, sales.CreditSource{Invoice: inv, Done: done})
	src := len(f.sources) - 1
	for _, cl := range sales.WholeCredit(inv, f.kind, done) {
		v := cl.Cantidad
		if f.kind == sales.Rebaja {
			v = cl.Rebate
		}
		f.rows = append(f.rows, &creditRow{src: src, line: cl.Line, left: v, text: v.String()})
	}
}

// showTitle names the kind of note and its invoices.
func (f *CreditForm) showTitle() {
	var folios []string
	for _, s := range f.sources {
		folios = append(folios, s.Invoice.FolioText())
	}
	list := strings.Join(folios, ", ")
	var heading string
	switch {
	case f.kind == sales.Rebaja && len(folios) > 1:
		heading = lang.L("Rebaja sobre las facturas {{.Folio}}", map[string]any{"Folio": list})
	case f.kind == sales.Rebaja:
		heading = lang.L("Rebaja sobre la factura {{.Folio}}", map[string]any{"Folio": list})
	default:
		heading = lang.L("Devolución sobre la factura {{.Folio}}", map[string]any{"Folio": list})
	}
	f.title.SetText(heading)
}

// creditSources reads the rows as the domain's credit lines per invoice,
// in the order of the rows, and returns the rows in the same order (the
// domain numbers the lines of its refusals that way). Rows typed badly
// get their problem and are left out, and so are the rows skip names.
func (f *CreditForm) creditSources(skip map[*creditRow]bool) ([]sales.CreditSource, []*creditRow) {
	out := make([]sales.CreditSource, len(f.sources))
	copy(out, f.sources)
	for i := range out {
		out[i].Lines = nil
	}
	var order []*creditRow
	for i := range out {
		for _, r := range f.rows {
			if r.src != i || r.removed || skip[r] {
				continue
			}
			v, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(r.text), ",", ""))
			if err != nil {
				r.problem = lang.L("Escriba un número.")
				continue
			}
			cl := sales.CreditLine{Line: r.line, Cantidad: v}
			if f.kind == sales.Rebaja {
				cl = sales.CreditLine{Line: r.line, Rebate: v}
			}
			out[i].Lines = append(out[i].Lines, cl)
			order = append(order, r)
		}
	}
	return out, order
}

// recompute builds the note from the form and shows its amounts, per line
// and in total, and the problems of each line.
func (f *CreditForm) recompute() {
	if f.lines == nil {
		return
	}
	serie, _ := f.series()
	for _, r := range f.rows {
		r.problem, r.amounts = "", nil
	}
	sources, order := f.creditSources(nil)
	note, err := sales.BuildCredit(f.kind, serie.Serie, sources, f.decimals)
	f.noteErr = nil
	if err != nil {
		// Name each refused line; the others still show their amounts.
		fields := sales.FieldErrors(err)
		bad := map[*creditRow]bool{}
		for j, r := range order {
			if msg := lineProblem(fields, j); msg != "" {
				r.problem, bad[r] = msg, true
			}
		}
		if len(fields) == 0 || len(bad) == len(order) {
			f.noteErr = err
		}
		if len(bad) > 0 && len(bad) < len(order) {
			sources, _ = f.creditSources(bad)
			note, err = sales.BuildCredit(f.kind, serie.Serie, sources, f.decimals)
			if err != nil {
				f.noteErr = err
			}
		}
	}
	f.note = note
	f.applyHeader(&f.note)
	f.totals = sales.Totals{}
	if len(f.note.Lines) > 0 {
		t, err := f.deps.Notes.Totals(&f.note)
		if err != nil {
			f.noteErr = err
		} else {
			f.totals = t
			for j, l := range f.note.Lines {
				a := t.Lines[j]
				f.rowOf(*l.Credits).amounts = &a
			}
		}
	}
	f.taxLines = f.taxRows()
	f.shown = f.shown[:0]
	removed := 0
	for i, r := range f.rows {
		if r.removed {
			removed++
			continue
		}
		f.shown = append(f.shown, i)
	}
	if removed > 0 != f.restoreBtn.Visible() {
		show(f.restoreBtn, removed > 0)
		f.actions.Refresh()
	}
	f.totalsView.present(f.totals.Summary(), f.inv.Moneda)
	f.showProblem()
	f.lines.Refresh()
}

// lineProblem is the message of credit line j in fields, if any.
func lineProblem(fields map[string]string, j int) string {
	prefix := fmt.Sprintf("Lines[%d].", j)
	for k, msg := range fields {
		if strings.HasPrefix(k, prefix) {
			return msg
		}
	}
	return ""
}

// applyHeader copies the header fields the user may change into note.
func (f *CreditForm) applyHeader(note *sales.Invoice) {
	note.OrderRef = strings.TrimSpace(f.ref.Text)
	note.Notes = strings.TrimSpace(f.notes.Text)
	if k := f.forma.key(); k != "" {
		note.FormaPago = k
	}
	if f.inv.Moneda != "MXN" {
		if tc, err := decimal.NewFromString(strings.TrimSpace(f.tc.Text)); err == nil {
			note.TipoCambio = tc
		}
	}
	note.RefundAccount = 0
	if i := f.account.SelectedIndex(); i > 0 && i <= len(f.in.Accounts) {
		note.RefundAccount = f.in.Accounts[i-1].ID
	}
	note.DeliveryDate = time.Time{}
	if d := strings.TrimSpace(f.delivery.Text); d != "" && f.kind == sales.Devolucion {
		if day, err := sales.ParseDay(d, domain.MexicoCity); err == nil {
			note.DeliveryDate = day
		}
	}
}

// headerProblem checks what the header's typed fields must be.
func (f *CreditForm) headerProblem() string {
	if _, ok := f.series(); !ok {
		return lang.L("Falta una serie de notas de crédito (tipo E): créela en Empresa › Series.")
	}
	if d := strings.TrimSpace(f.delivery.Text); d != "" && f.kind == sales.Devolucion {
		if _, err := sales.ParseDay(d, domain.MexicoCity); err != nil {
			return lang.L("Fecha de entrega: {{.Msg}}", map[string]any{"Msg": domain.UserMessage(err)})
		}
	}
	if f.inv.Moneda != "MXN" {
		if tc, err := decimal.NewFromString(strings.TrimSpace(f.tc.Text)); err != nil || !tc.IsPositive() {
			return lang.L("Escriba el tipo de cambio de la nota (pesos por unidad de {{.Moneda}}).", map[string]any{"Moneda": f.inv.Moneda})
		}
	}
	if f.forma.key() == "" {
		return lang.L("Elija la forma de pago de la devolución del dinero.")
	}
	return ""
}

// showProblem shows the first thing that keeps the note from being issued.
func (f *CreditForm) showProblem() {
	msg := f.headerProblem()
	if msg == "" && f.noteErr != nil {
		msg = domain.UserMessage(f.noteErr)
	}
	if msg == "" {
		for _, r := range f.rows {
			if r.problem != "" && !r.removed {
				msg = lang.L("Corrija los conceptos marcados.")
				break
			}
		}
	}
	f.problem.SetText(msg)
	show(f.problem, msg != "")
	if f.busy || msg != "" {
		f.postBtn.Disable()
	} else {
		f.postBtn.Enable()
	}
}

// rowOf returns the row of the invoice line ref names.
func (f *CreditForm) rowOf(ref sales.LineRef) *creditRow {
	for _, r := range f.rows {
		if r.line == ref.Line && f.sources[r.src].Invoice.ID == ref.InvoiceID {
			return r
		}
	}
	return &creditRow{}
}

// Remove takes row i of the form (its position among the shown lines) off
// the note.
func (f *CreditForm) Remove(i int) {
	if i < 0 || i >= len(f.shown) {
		return
	}
	f.rows[f.shown[i]].removed = true
	f.recompute()
}

// restoreAll puts every removed line back as the form opened it.
func (f *CreditForm) restoreAll() {
	for _, r := range f.rows {
		if r.removed {
			r.removed, r.text = false, r.left.String()
		}
	}
	f.recompute()
}

// SetValue types s as the quantity (return) or rebate per unit of shown
// line i, as the user does in its entry.
func (f *CreditForm) SetValue(i int, s string) {
	if i < 0 || i >= len(f.shown) {
		return
	}
	f.rows[f.shown[i]].text = s
	f.recompute()
	f.lines.RefreshItem(i)
}

// Note returns the credit note as the form would issue it, and its totals.
func (f *CreditForm) Note() (sales.Invoice, sales.Totals) { return f.note, f.totals }

// Problem returns the message that keeps the note from being issued, or "".
func (f *CreditForm) Problem() string { return f.problem.Text }
