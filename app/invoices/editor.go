package invoices

import (
	"context"
	"fmt"
	"github.com/folio-mx/folio/domain/tax"
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// The invoice editor is composed of parts, each in its own file:
//
//	editor.go          the editor: composition, loading, the invoice it shows
//	editor_header.go   serie, fecha, customer, uso, terms, forma de pago, currency, factura global
//	editor_lines.go    the concepts grid
//	editor_totals.go   the totals block (a widget)
//	editor_actions.go  toolbar and status: save, post, print, folio override, shortcuts
//	editor_problems.go problems next to their fields and in the list
//	editor_search.go   customer and product search as the user types
//	editor_widgets.go  the small widgets they share
//	editor_deps.go     what the editor needs (narrow interfaces)

// editorTimeout bounds one store or post call of the editor.
const editorTimeout = 30 * time.Second

// searchLimit is how many customers or products a search suggests.
const searchLimit = 8

// InvoiceEditor captures one invoice: header, concepts and totals, with
// "Guardar borrador" (Ctrl+S), "Emitir" (Ctrl+E) and "Nueva" (Ctrl+N).
// Create it with NewInvoiceEditor; its methods run on the UI goroutine.
// Amounts come only from the InvoiceService's Totals, the same computation
// that builds the sealed XML.
type InvoiceEditor struct {
	widget.BaseWidget

	deps   EditorDeps
	issuer *sales.Company

	// OnPrint, when set, is offered once the invoice is posted ("Imprimir").
	OnPrint func(invoiceID int64)
	// OnPosted, when set, is called on the UI goroutine with the posted
	// invoice (folio assigned, XML sealed, stamp queued).
	OnPosted func(inv *sales.Invoice)

	inv     sales.Invoice    // the invoice as last loaded or saved: ID, state, customer, keys
	rules   sales.FieldRules // the domain's last verdict on what the editor shows (applyRules)
	filling bool             // widgets are being set by code: no change events
	busy    bool             // a save or post is running
	locked  bool             // its state refuses edits (rules.Edit): read only
	// totalsErr is set while the status line shows why totals failed.
	totalsErr bool
	// recheck, once a save or post was refused, is the check that refused
	// it: every change runs it again, so each problem stays next to its
	// field until that field is fixed, and goes away then.
	recheck func(inv *sales.Invoice) error
	// noSeries, when set, says why no serie can be chosen; it stays until
	// the series are loaded again.
	noSeries string
	// confirmPost is the last confirmation Emitir asked (editor_confirm.go).
	confirmPost *postConfirm

	*editorHeader  // editor_header.go
	*lineGrid      // editor_lines.go
	*editorActions // editor_actions.go
	totals         *totalsView

	errs     map[string]*widget.Label // header field → its error label
	problems *widget.Label            // every problem, under the concepts

	// quote, when set, makes the editor capture a quote (editor_quote.go).
	quote *quoteState

	body *fyne.Container
	// narrow is how fit last arranged the editor (arranged: it did).
	narrow, arranged bool
}

// NewInvoiceEditor returns an editor for issuer's invoice inv, or for a new
// one when inv is nil. A posted inv is shown read-only. It loads the series
// on Reload.
func NewInvoiceEditor(deps EditorDeps, issuer *sales.Company, inv *sales.Invoice) *InvoiceEditor {
	return newEditor(deps, issuer, inv, nil)
}

// newEditor builds the editor, capturing a quote when quote is set.
func newEditor(deps EditorDeps, issuer *sales.Company, inv *sales.Invoice, quote *quoteState) *InvoiceEditor {
	ed := &InvoiceEditor{deps: deps, issuer: issuer, filling: true, errs: map[string]*widget.Label{}, quote: quote}
	ed.build()
	ed.ExtendBaseWidget(ed)
	ed.show(inv)
	return ed
}

// build creates the parts top to bottom, which is also the Tab order, and
// lays them out: header, factura global, concepts, then the problems beside
// the totals.
func (ed *InvoiceEditor) build() {
	for _, f := range headerFields {
		ed.errs[f] = newErrorLabel()
	}
	if ed.quote != nil {
		ed.errs[quoteValidField] = newErrorLabel()
	}
	ed.buildHeader()
	ed.buildGrid()
	ed.totals = newTotalsView()
	ed.buildActions()
	ed.problems = widget.NewLabel("")
	ed.problems.Importance = widget.DangerImportance
	ed.problems.Wrapping = fyne.TextWrapWord
	ed.problems.Hide()

	ed.body = container.NewVBox(ed.columns, ed.globalBox, ed.lineGrid.object, ed.problems)
}

// narrowWidth is the editor width below which the header takes one column
// and each concept becomes a card: the concepts grid needs about this much
// to show every column (a tablet held upright, or 1024 px with the
// sidebar, has less).
const narrowWidth = 1000

// CreateRenderer lays out the buttons on top, the capture in the middle
// (scrolling) and, always in sight below it, the totals and the status
// line. It arranges the capture for the width it gets (fit).
func (ed *InvoiceEditor) CreateRenderer() fyne.WidgetRenderer {
	// An opaque background: the capture scrolls behind the bottom bar.
	bottom := container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)),
		container.NewVBox(ed.totals, ed.bottom()))
	r := widget.NewSimpleRenderer(container.NewBorder(ed.toolbar(), bottom, nil, nil, container.NewScroll(ed.body)))
	return &editorRenderer{WidgetRenderer: r, ed: ed}
}

// editorRenderer arranges the editor for its width before laying it out.
type editorRenderer struct {
	fyne.WidgetRenderer
	ed *InvoiceEditor
}

func (r *editorRenderer) Layout(size fyne.Size) {
	r.ed.fit(size.Width < narrowWidth)
	r.ed.fitToolbar(size.Width)
	r.WidgetRenderer.Layout(size)
}

// fit arranges the header, the concepts and the totals for a narrow or a
// wide editor; it changes nothing when the arrangement is already right.
func (ed *InvoiceEditor) fit(narrow bool) {
	if ed.arranged && ed.narrow == narrow {
		return
	}
	ed.arranged, ed.narrow = true, narrow
	cols := 2
	if narrow {
		cols = 1
	}
	if c, ok := ed.columns.(*fyne.Container); ok {
		// One column stacks the two halves at their own heights (a grid
		// would give both the taller one's).
		c.Layout = layout.NewGridLayoutWithColumns(cols)
		if narrow {
			c.Layout = layout.NewVBoxLayout()
		}
	}
	show(ed.lineGrid.header, !narrow)
	for _, r := range ed.lines {
		r.arrange(narrow)
	}
	ed.totals.setColumns(cols + 1)
	ed.body.Refresh()
}

// FocusTarget is where typing starts: the customer search.
func (ed *InvoiceEditor) FocusTarget() fyne.Focusable { return ed.customerSearch }

// load returns the names of the issuer's active income series; synchronous
// and UI-free.
func (ed *InvoiceEditor) load(ctx context.Context) ([]string, error) {
	all, err := ed.deps.Series.FindSeries(ctx, ed.issuer.RFC)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range all {
		if s.CanNumberInvoices() {
			names = append(names, s.Serie)
		}
	}
	return names, nil
}

// Reload loads the series (and the accounts of "Cobrado en" and the
// warehouses of "Bodega") off the UI goroutine and offers them, keeping
// the invoice's serie (or choosing the first).
func (ed *InvoiceEditor) Reload() {
	if ed.quote != nil {
		return // a quote has no serie and collects nothing
	}
	ed.loadAccounts()
	ed.loadWarehouses()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		names, err := ed.load(ctx)
		fyne.Do(func() {
			if err != nil {
				ed.status.SetText(domain.UserMessage(err))
				return
			}
			ed.filling = true
			ed.serie.Options = names
			if ed.locked && ed.inv.Serie != "" && !slices.Contains(names, ed.inv.Serie) {
				// A posted document of another type (a credit note) shows
				// its own series.
				names = append([]string{ed.inv.Serie}, names...)
				ed.serie.Options = names
			}
			switch {
			case ed.inv.Serie != "" && slices.Contains(names, ed.inv.Serie):
				ed.serie.SetSelected(ed.inv.Serie)
			case len(names) > 0 && !ed.locked:
				ed.serie.SetSelectedIndex(0)
			}
			ed.serie.Refresh()
			ed.filling = false
			ed.noSeries = ""
			if len(names) == 0 {
				ed.noSeries = lang.L("No hay series de facturas; créelas en la configuración.")
			}
			ed.setFieldError("Serie", ed.noSeries)
		})
	}()
}

// Reset starts a new invoice (Ctrl+N), discarding what is not saved.
func (ed *InvoiceEditor) Reset() {
	if ed.busy {
		return
	}
	if ed.quote != nil {
		ed.quote.q = quotes.Quote{}
	}
	ed.show(nil)
	// A new invoice starts with its customer, wherever the focus was.
	ed.focus(ed.customerSearch)
}

// show fills every part from inv (nil: a new invoice).
func (ed *InvoiceEditor) show(inv *sales.Invoice) {
	ed.filling = true
	defer func() {
		ed.filling = false
		ed.recompute()
	}()
	now := ed.deps.now()().In(domain.MexicoCity)
	if inv == nil {
		inv = &sales.Invoice{Issuer: ed.issuer.RFC, State: sales.StateDraft, Status: sales.StatusDraft,
			TipoDeComprobante: sales.TipoIngreso, Terms: sales.Contado, Moneda: "MXN", Serie: ed.serie.Selected}
	}
	ed.inv = *inv
	ed.inv.Lines = nil
	ed.recheck = nil
	ed.custGen++
	ed.prodGen++

	ed.fillLines(inv.Lines)
	ed.applyRules(inv)
	ed.fillHeader(inv, ed.rules, now)
	ed.hideProducts()
	ed.showProblems(nil, "")
	ed.folio.SetText(inv.FolioText())
	ed.status.SetText("")
	if ed.quote != nil {
		ed.showQuote(now)
		return
	}
	if ed.rules.Edit != nil {
		text := lang.L("Factura {{.Folio}}: {{.Status}}.", map[string]any{"Folio": inv.FolioText(), "Status": lang.L(inv.State.Label())})
		if inv.TipoDeComprobante == sales.TipoPago && inv.Payment != nil {
			var docs []string
			for _, d := range inv.Payment.Docs {
				docs = append(docs, fmt.Sprintf("%s-%d (parcialidad %d, queda %s)", d.Serie, d.Folio, d.NumParcialidad, tax.FormatMXN(d.ImpSaldoInsoluto)))
			}
			text = lang.L("Recibo de pago {{.Folio}}: {{.Status}}. Pago de {{.Monto}} {{.Moneda}} a {{.Docs}}.", map[string]any{
				"Folio": inv.FolioText(), "Status": lang.L(inv.State.Label()), "Monto": tax.FormatMXN(inv.Payment.Monto),
				"Moneda": inv.Payment.MonedaP, "Docs": strings.Join(docs, ", ")})
		}
		if inv.TipoDeComprobante == sales.TipoEgreso {
			text = lang.L("Nota de crédito {{.Folio}} ({{.Kind}}): {{.Status}}.", map[string]any{"Folio": inv.FolioText(),
				"Kind": lang.L(inv.CreditKind.Label()), "Status": lang.L(inv.State.Label())})
			if len(inv.Relations) > 0 {
				var uuids []string
				for _, r := range inv.Relations {
					uuids = append(uuids, r.UUID)
				}
				text += " " + lang.L("Relacionada con {{.UUIDs}}.", map[string]any{"UUIDs": strings.Join(uuids, ", ")})
			}
		}
		if inv.UUID != "" {
			text += " " + lang.L("Folio fiscal (UUID): {{.UUID}}", map[string]any{"UUID": inv.UUID})
		}
		ed.status.SetText(text)
	}
}

// applyRules presents the domain's verdict on inv (sales.Invoice.
// FieldRules): what its state allows (edit, post, print, override the
// folio) and the header fields as the customer, terms and currency decide
// them. The caller guards against change events.
func (ed *InvoiceEditor) applyRules(inv *sales.Invoice) {
	r := inv.FieldRules(ed.deps.Rules)
	ed.rules = r
	ed.setLocked(r.Edit != nil)
	ed.presentHeader(inv, r, ed.locked)
	for _, row := range ed.lines {
		row.ivaChanged()
	}
	show(ed.printBtn, r.Print == nil && ed.quote == nil)
	show(ed.folioBtn, ed.deps.CheckAdmin != nil && r.Post == nil && ed.quote == nil)
	show(ed.postBtn, ed.quote == nil)
	if ed.bar != nil {
		ed.barCols = 0 // the visible buttons changed: count the columns again
		ed.bar.Refresh()
	}
	enable(ed.saveBtn, !ed.busy && r.Edit == nil)
	enable(ed.postBtn, !ed.busy && r.Post == nil)
}

// changed is called on every edit: it recomputes the totals.
func (ed *InvoiceEditor) changed() {
	if ed.filling {
		return
	}
	ed.recompute()
}

// invoice returns what the editor shows as an invoice, and the problems of
// text that does not parse or required text left empty, keyed like
// sales.FieldErrors.
func (ed *InvoiceEditor) invoice() (sales.Invoice, map[string]string) {
	inv, errs, missing := ed.invoiceParts()
	maps.Copy(errs, missing)
	return inv, errs
}

// invoiceParts returns what the editor shows as an invoice, the problems
// of text that does not parse (bad) and of required text left empty
// (missing).
func (ed *InvoiceEditor) invoiceParts() (inv sales.Invoice, bad, missing map[string]string) {
	bad, missing = map[string]string{}, map[string]string{}
	inv = ed.inv
	ed.readHeader(&inv, ed.rules, bad)
	inv.Lines = ed.readLines(bad, missing)
	return inv, bad, missing
}

// recompute shows the totals of what the editor holds, from the service's
// Totals (the computation that builds the XML), and the problems as they
// stand now: text that is not a number at once, next to its field, and,
// once a save or post was refused, what that check still finds. Text that
// does not parse computes nothing: the amounts show "—" rather than the
// last ones, and no domain rule is blamed for a zero that was never typed.
func (ed *InvoiceEditor) recompute() {
	inv, bad, missing := ed.invoiceParts()
	live := maps.Clone(bad)
	if ed.noSeries != "" {
		live["Serie"] = ed.noSeries
	}
	if ed.recheck != nil {
		maps.Copy(live, missing)
		for k, v := range sales.FieldErrors(ed.recheck(&inv)) {
			if _, ok := live[k]; !ok {
				live[k] = v
			}
		}
	}
	if len(bad) > 0 {
		ed.clearAmounts()
		ed.showProblems(live, "")
		return
	}
	t, err := ed.deps.Invoices.Totals(&inv)
	if err != nil {
		ed.clearAmounts()
		if len(missing) > 0 {
			// The zero of an empty field is the cause, not the rule it
			// breaks: say what to fill in.
			maps.Copy(live, missing)
			ed.showProblems(live, "")
			return
		}
		ed.totalsErr = true
		ed.status.SetText(domain.UserMessage(err))
		ed.showProblems(live, "")
		return
	}
	if ed.totalsErr {
		ed.totalsErr = false
		ed.status.SetText("")
	}
	ed.showProblems(live, "")
	ed.showLineAmounts(t.Lines)
	ed.totals.present(t.Summary(), inv.Moneda)
}

// clearAmounts shows "—" for every amount that cannot be computed.
func (ed *InvoiceEditor) clearAmounts() {
	ed.clearLineAmounts()
	ed.totals.clear()
}

// setLocked makes every input read-only or editable; applyRules then
// enables what the verdict leaves editable.
func (ed *InvoiceEditor) setLocked(locked bool) {
	ed.locked = locked
	for _, w := range append(ed.editorHeader.inputs(), ed.lineGrid.inputs()...) {
		enable(w, !locked)
	}
}

// focused returns the focused widget of the editor's window, if any.
func (ed *InvoiceEditor) focused() fyne.Focusable {
	if c := fyne.CurrentApp().Driver().CanvasForObject(ed); c != nil {
		return c.Focused()
	}
	return nil
}

// focus moves the keyboard focus to f.
func (ed *InvoiceEditor) focus(f fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(ed); c != nil {
		c.Focus(f)
	}
}
