package invoices

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

// editorTimeout bounds one store or post call of the editor.
const editorTimeout = 30 * time.Second

// searchLimit is how many customers or products a search suggests.
const searchLimit = 8

// The editor's shortcuts (Ctrl, or ⌘ on macOS): nueva, guardar, emitir.
var (
	ShortcutNew  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	ShortcutSave = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	ShortcutPost = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
)

// contadoText and creditoText are the payment terms as shown.
func contadoText() string { return lang.L("Contado (PUE)") }
func creditoText() string { return lang.L("Crédito (PPD)") }

// entry is a widget.Entry that hands the editor's shortcuts to the editor:
// a focused Entry receives every shortcut first and would drop Ctrl+S.
type entry struct {
	widget.Entry
	ed *InvoiceEditor
	// onDown, when set, handles the Down arrow (move into the suggestions).
	onDown func()
}

func (ed *InvoiceEditor) newEntry(placeholder string) *entry {
	e := &entry{ed: ed}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	return e
}

// TypedShortcut runs the editor's shortcuts and passes the rest (copy,
// paste…) to the Entry.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if !e.ed.runShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey sends Down to onDown when set.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab is false even for the multi-line notes: Tab always moves to
// the next field, so the keyboard alone can walk the whole editor.
func (e *entry) AcceptsTab() bool { return false }

// minWidth gives obj at least width w, so amounts that grow as the user
// types do not overflow a layout computed for shorter text.
func minWidth(obj fyne.CanvasObject, w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(r, obj)
}

// choice is a Select over catalog entries shown as "key — description".
// Layouts and the focus hold its *widget.Select, never the choice itself
// (the Select refreshes its own renderer).
type choice struct {
	*widget.Select
	keys []string
}

func newChoice(entries []sat.Entry, changed func()) *choice {
	c := &choice{Select: widget.NewSelect(nil, func(string) { changed() })}
	c.setEntries(entries)
	return c
}

// setEntries replaces the options, keeping the selected key when it is
// still offered.
func (c *choice) setEntries(entries []sat.Entry) {
	old := c.key()
	opts := make([]string, len(entries))
	c.keys = make([]string, len(entries))
	for i, e := range entries {
		opts[i], c.keys[i] = e.Key+" — "+e.Description, e.Key
	}
	c.Options = opts
	c.Select.ClearSelected()
	c.selectKey(old)
	c.Refresh()
}

func (c *choice) key() string {
	if i := c.SelectedIndex(); i >= 0 && i < len(c.keys) {
		return c.keys[i]
	}
	return ""
}

// selectKey selects key and reports whether it is offered.
func (c *choice) selectKey(key string) bool {
	if i := slices.Index(c.keys, key); i >= 0 && key != "" {
		c.SetSelectedIndex(i)
		return true
	}
	return false
}

// newErrorLabel returns the hidden label that shows a field's problem.
func newErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// headerFields are the invoice fields that have their own error label, in
// screen order (the problems list follows it).
var headerFields = []string{"Serie", "CustomerID", "UsoCFDI", "Terms", "FormaPago", "Moneda", "TipoCambio", "Global", "Lines"}

// InvoiceEditor captures one invoice: header, concepts and totals, with
// "Guardar borrador" (Ctrl+S), "Emitir" (Ctrl+E) and "Nueva" (Ctrl+N).
// Create it with NewInvoiceEditor; its methods run on the UI goroutine.
// Amounts come only from the InvoiceService's Totals, the same computation
// that builds the sealed XML.
type InvoiceEditor struct {
	widget.BaseWidget

	deps   EditorDeps
	issuer *sales.Company

	// override is the folio an administrator chose instead of the proposed
	// one (nil: the series' next number).
	override *int64
	// adminPassword is the credential that authorized override; the domain
	// verifies it again when posting.
	adminPassword string
	folioBtn      *widget.Button

	// OnPrint, when set, is offered once the invoice is posted ("Imprimir").
	OnPrint func(invoiceID int64)
	// OnPosted, when set, is called on the UI goroutine with the posted
	// invoice (folio assigned, XML sealed, stamp queued).
	OnPosted func(inv *sales.Invoice)

	inv     sales.Invoice // the invoice as last loaded or saved: ID, customer, keys
	filling bool          // widgets are being set by code: no change events
	busy    bool          // a save or post is running
	locked  bool          // posted: read only
	custGen uint64        // generation of the newest customer search
	prodGen uint64        // generation of the newest product search
	// totalsErr is set while the status line shows why totals failed.
	totalsErr bool

	serie            *widget.Select
	fecha            *widget.Label
	customerSearch   *entry
	customerResults  *widget.List
	customerFound    []sales.Customer
	customerQuery    string // the query customerFound answers
	pickCustomerNext bool   // Enter was pressed before the results arrived
	customerLabel    *widget.Label
	uso, forma       *choice
	terms            *widget.RadioGroup
	moneda           *choice
	tipoCambio       *entry
	condiciones      *entry
	orderRef         *entry
	notes            *entry
	globalBox        *fyne.Container
	periodicidad     *choice
	meses            *choice
	anio             *entry

	lines          []*lineRow
	linesBox       *fyne.Container
	productFor     *lineRow // the row whose search productResults shows
	productFound   []sales.Product
	productQuery   string
	pickProduct    bool // Enter was pressed before the results arrived
	productResults *widget.List
	addLine        *widget.Button

	errs map[string]*widget.Label // header field → its error label

	importe, descuento, subtotal, iva, ieps, retIVA, retISR, total *widget.Label

	newBtn, saveBtn, postBtn, printBtn *widget.Button
	folio                              *widget.Label
	progress                           *widget.ProgressBarInfinite
	problems                           *widget.Label
	status                             *widget.Label

	body fyne.CanvasObject
}

// NewInvoiceEditor returns an editor for issuer's invoice inv, or for a new
// one when inv is nil. A posted inv is shown read-only. It loads the series
// on Reload.
func NewInvoiceEditor(deps EditorDeps, issuer *sales.Company, inv *sales.Invoice) *InvoiceEditor {
	ed := &InvoiceEditor{deps: deps, issuer: issuer, filling: true, errs: map[string]*widget.Label{}}
	ed.build()
	ed.ExtendBaseWidget(ed)
	ed.show(inv)
	return ed
}

// build creates the widgets top to bottom, which is also the Tab order.
func (ed *InvoiceEditor) build() {
	rules := ed.deps.Rules
	for _, f := range headerFields {
		ed.errs[f] = newErrorLabel()
	}
	ed.serie = widget.NewSelect(nil, func(string) { ed.changed() })
	ed.serie.PlaceHolder = lang.L("Elija la serie")
	ed.fecha = widget.NewLabel("")
	ed.fecha.Truncation = fyne.TextTruncateEllipsis

	ed.customerSearch = ed.newEntry(lang.L("Buscar cliente por nombre o RFC"))
	ed.customerSearch.OnChanged = ed.searchCustomers
	ed.customerSearch.OnSubmitted = func(string) { ed.submitCustomer() }
	ed.customerResults = widget.NewList(
		func() int { return len(ed.customerFound) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(ed.customerFound) {
				c := ed.customerFound[id]
				o.(*widget.Label).SetText(c.RFC + " — " + c.Name)
			}
		})
	ed.customerResults.OnSelected = func(id widget.ListItemID) {
		if id < len(ed.customerFound) {
			fromList := ed.focused() == fyne.Focusable(ed.customerResults)
			ed.pickCustomer(ed.customerFound[id])
			if fromList {
				ed.focus(ed.uso.Select)
			}
		}
	}
	ed.customerSearch.onDown = func() {
		if ed.customerResults.Visible() {
			ed.focus(ed.customerResults)
		}
	}
	ed.customerResults.Hide()
	ed.customerLabel = widget.NewLabel("")
	ed.customerLabel.Truncation = fyne.TextTruncateEllipsis
	ed.customerLabel.Wrapping = fyne.TextWrapWord

	ed.uso = newChoice(rules.List(sat.UsoCFDI), ed.changed)
	ed.uso.PlaceHolder = lang.L("Elija el uso del CFDI")
	ed.terms = widget.NewRadioGroup([]string{contadoText(), creditoText()}, ed.termsChanged)
	ed.terms.Horizontal = true
	ed.terms.Required = true
	ed.forma = newChoice(rules.List(sat.FormaPago), ed.changed)
	ed.forma.PlaceHolder = lang.L("Elija la forma de pago")
	ed.moneda = newChoice(rules.List(sat.Moneda), ed.monedaChanged)
	ed.tipoCambio = ed.newEntry(lang.L("Tipo de cambio"))
	ed.tipoCambio.OnChanged = func(string) { ed.changed() }
	ed.condiciones = ed.newEntry(lang.L("p. ej. 30 días"))
	ed.condiciones.OnChanged = func(string) { ed.changed() }
	ed.orderRef = ed.newEntry(lang.L("Número de orden de compra del cliente"))
	ed.orderRef.OnChanged = func(string) { ed.changed() }
	ed.notes = ed.newEntry(lang.L("Notas internas"))
	ed.notes.MultiLine = true
	ed.notes.Wrapping = fyne.TextWrapWord
	ed.notes.SetMinRowsVisible(2)

	ed.periodicidad = newChoice(rules.List(sat.Periodicidad), ed.changed)
	ed.periodicidad.PlaceHolder = lang.L("Elija la periodicidad")
	ed.meses = newChoice(rules.List(sat.Meses), ed.changed)
	ed.meses.PlaceHolder = lang.L("Elija el mes")
	ed.anio = ed.newEntry("2026")
	ed.anio.OnChanged = func(string) { ed.changed() }

	ed.productResults = widget.NewList(
		func() int { return len(ed.productFound) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(ed.productFound) {
				p := ed.productFound[id]
				o.(*widget.Label).SetText(p.Code + " — " + p.Description + " — " + tax.FormatMXN(p.Price))
			}
		})
	ed.productResults.OnSelected = func(id widget.ListItemID) {
		if r := ed.productFor; id < len(ed.productFound) && r != nil {
			fromList := ed.focused() == fyne.Focusable(ed.productResults)
			ed.pickProductFor(r, ed.productFound[id])
			if fromList {
				ed.focus(r.desc)
			}
		}
	}
	ed.productResults.Hide()
	ed.linesBox = container.NewVBox()
	ed.addLine = widget.NewButtonWithIcon(lang.L("Agregar concepto"), theme.ContentAddIcon(), func() {
		ed.addLineAfter(nil)
	})

	money := func() *widget.Label { return widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}) }
	ed.importe, ed.descuento, ed.subtotal, ed.iva = money(), money(), money(), money()
	ed.ieps, ed.retIVA, ed.retISR = money(), money(), money()
	ed.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})

	ed.newBtn = widget.NewButtonWithIcon(lang.L("Nueva (Ctrl+N)"), theme.DocumentCreateIcon(), ed.Reset)
	ed.saveBtn = widget.NewButtonWithIcon(lang.L("Guardar borrador (Ctrl+S)"), theme.DocumentSaveIcon(), ed.SaveDraft)
	ed.postBtn = widget.NewButtonWithIcon(lang.L("Emitir (Ctrl+E)"), theme.ConfirmIcon(), ed.Post)
	ed.postBtn.Importance = widget.HighImportance
	ed.printBtn = widget.NewButtonWithIcon(lang.L("Imprimir"), theme.DocumentPrintIcon(), func() {
		if ed.OnPrint != nil && ed.inv.ID != 0 {
			ed.OnPrint(ed.inv.ID)
		}
	})
	ed.printBtn.Hide()
	ed.folio = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ed.folioBtn = widget.NewButtonWithIcon(lang.L("Cambiar folio…"), theme.AccountIcon(), ed.askFolio)
	if ed.deps.CheckAdmin == nil {
		ed.folioBtn.Hide()
	}
	ed.progress = widget.NewProgressBarInfinite()
	ed.progress.Stop()
	ed.progress.Hide()
	ed.problems = widget.NewLabel("")
	ed.problems.Importance = widget.DangerImportance
	ed.problems.Wrapping = fyne.TextWrapWord
	ed.problems.Hide()
	ed.status = widget.NewLabel("")
	ed.status.Wrapping = fyne.TextWrapWord

	field := func(objs ...fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(objs...) }
	label := func(text string) fyne.CanvasObject { return widget.NewLabel(text) }
	// Two columns keep the header short so the concepts and totals show
	// without scrolling; Tab goes down the left column, then the right.
	header := container.NewGridWithColumns(2,
		container.New(layout.NewFormLayout(),
			label(lang.L("Serie")), field(ed.serie, ed.errs["Serie"]),
			label(lang.L("Fecha")), ed.fecha,
			label(lang.L("Cliente")), field(ed.customerSearch, ed.customerResults, ed.customerLabel, ed.errs["CustomerID"]),
			label(lang.L("Uso del CFDI")), field(ed.uso.Select, ed.errs["UsoCFDI"]),
			label(lang.L("Venta")), field(ed.terms, ed.errs["Terms"]),
		),
		container.New(layout.NewFormLayout(),
			label(lang.L("Forma de pago")), field(ed.forma.Select, ed.errs["FormaPago"]),
			label(lang.L("Moneda")), field(container.NewGridWithColumns(2, ed.moneda.Select, ed.tipoCambio), ed.errs["Moneda"], ed.errs["TipoCambio"]),
			label(lang.L("Condiciones de pago")), ed.condiciones,
			label(lang.L("Orden de compra")), ed.orderRef,
			label(lang.L("Notas")), ed.notes,
		),
	)
	ed.globalBox = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Factura global (público en general)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(layout.NewFormLayout(),
			label(lang.L("Periodicidad")), ed.periodicidad.Select,
			label(lang.L("Mes o bimestre")), ed.meses.Select,
			label(lang.L("Año")), ed.anio),
		ed.errs["Global"])
	ed.globalBox.Hide()
	const amountWidth = 190
	totals := container.New(layout.NewFormLayout(),
		label(lang.L("Importe")), minWidth(ed.importe, amountWidth),
		label(lang.L("Descuento")), ed.descuento,
		label(lang.L("Subtotal")), ed.subtotal,
		label(lang.L("IVA")), ed.iva,
		label(lang.L("IEPS")), ed.ieps,
		label(lang.L("Retención IVA")), ed.retIVA,
		label(lang.L("Retención ISR")), ed.retISR,
		widget.NewLabelWithStyle(lang.L("Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), ed.total,
	)
	concepts := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Conceptos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		lineHeader(), ed.linesBox, ed.productResults, ed.errs["Lines"],
		container.NewHBox(ed.addLine))
	ed.body = container.NewVBox(header, ed.globalBox, concepts,
		container.NewBorder(nil, nil, nil, container.NewHBox(layout.NewSpacer(), totals), ed.problems))
}

// CreateRenderer lays out the buttons on top, the capture in the middle
// (scrolling) and the status line at the bottom.
func (ed *InvoiceEditor) CreateRenderer() fyne.WidgetRenderer {
	toolbar := container.NewHBox(ed.newBtn, ed.saveBtn, ed.postBtn, ed.printBtn, ed.folioBtn, ed.folio)
	bottom := container.NewVBox(ed.progress, ed.status)
	return widget.NewSimpleRenderer(container.NewBorder(toolbar, bottom, nil, nil, container.NewScroll(ed.body)))
}

// Shortcuts returns the editor's shortcuts: Ctrl+N nueva, Ctrl+S guardar
// borrador, Ctrl+E emitir (⌘ on macOS). Register each on the window canvas
// with TypedShortcut as handler (the editor's entries forward them too).
func (ed *InvoiceEditor) Shortcuts() []fyne.Shortcut {
	return []fyne.Shortcut{ShortcutNew, ShortcutSave, ShortcutPost}
}

// TypedShortcut runs the action of one of Shortcuts; others are ignored.
func (ed *InvoiceEditor) TypedShortcut(s fyne.Shortcut) { ed.runShortcut(s) }

func (ed *InvoiceEditor) runShortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case ShortcutNew.ShortcutName():
		ed.Reset()
	case ShortcutSave.ShortcutName():
		ed.SaveDraft()
	case ShortcutPost.ShortcutName():
		ed.Post()
	default:
		return false
	}
	return true
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
		if s.Active && s.TipoDeComprobante == sales.TipoIngreso {
			names = append(names, s.Serie)
		}
	}
	return names, nil
}

// Reload loads the series off the UI goroutine and offers them, keeping
// the invoice's serie (or choosing the first).
func (ed *InvoiceEditor) Reload() {
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
			switch {
			case ed.inv.Serie != "" && slices.Contains(names, ed.inv.Serie):
				ed.serie.SetSelected(ed.inv.Serie)
			case len(names) > 0 && !ed.locked:
				ed.serie.SetSelectedIndex(0)
			}
			ed.serie.Refresh()
			ed.filling = false
			if len(names) == 0 {
				ed.setFieldError("Serie", lang.L("No hay series de facturas; créelas en la configuración."))
			}
		})
	}()
}

// Reset starts a new invoice (Ctrl+N), discarding what is not saved.
func (ed *InvoiceEditor) Reset() {
	if ed.busy {
		return
	}
	ed.show(nil)
}

// show fills every widget from inv (nil: a new invoice).
func (ed *InvoiceEditor) show(inv *sales.Invoice) {
	ed.filling = true
	defer func() {
		ed.filling = false
		ed.recompute()
	}()
	now := ed.deps.now()().In(domain.MexicoCity)
	if inv == nil {
		inv = &sales.Invoice{Issuer: ed.issuer.RFC, Status: sales.StatusDraft, TipoDeComprobante: sales.TipoIngreso,
			Terms: sales.Contado, Moneda: "MXN", Serie: ed.serie.Selected}
	}
	ed.inv = *inv
	ed.inv.Lines = nil
	ed.locked = false
	ed.custGen++
	ed.prodGen++
	ed.setLocked(false)

	if inv.Serie != "" && slices.Contains(ed.serie.Options, inv.Serie) {
		ed.serie.SetSelected(inv.Serie)
	}
	fecha := now
	if !inv.Fecha.IsZero() {
		fecha = inv.Fecha.In(domain.MexicoCity)
	}
	text := fecha.Format("02/01/2006")
	if inv.Status == sales.StatusDraft {
		text += " — " + lang.L("la fecha del CFDI es la del momento de emitir")
	}
	ed.fecha.SetText(text)

	ed.customerFound, ed.customerQuery, ed.pickCustomerNext = nil, "", false
	ed.customerResults.Hide()
	ed.customerSearch.SetText(inv.Customer.Name)
	ed.customerLabel.SetText(customerText(&inv.Customer))
	ed.refreshUso()
	ed.uso.ClearSelected()
	ed.uso.selectKey(inv.UsoCFDI)
	ed.forma.ClearSelected()
	ed.forma.selectKey(inv.FormaPago)
	if inv.Terms == sales.Credito {
		ed.terms.SetSelected(creditoText())
	} else {
		ed.terms.SetSelected(contadoText())
	}
	ed.applyTerms()
	ed.moneda.selectKey(inv.Moneda)
	ed.tipoCambio.SetText(optionalText(inv.TipoCambio))
	ed.applyMoneda()
	ed.condiciones.SetText(inv.CondicionesDePago)
	ed.orderRef.SetText(inv.OrderRef)
	ed.notes.SetText(inv.Notes)
	ed.periodicidad.ClearSelected()
	ed.meses.ClearSelected()
	ed.anio.SetText("")
	if g := inv.Global; g != nil {
		ed.periodicidad.selectKey(g.Periodicidad)
		ed.meses.selectKey(g.Meses)
		ed.anio.SetText(g.Anio)
	} else {
		ed.meses.selectKey(fmt.Sprintf("%02d", now.Month()))
		ed.anio.SetText(strconv.Itoa(now.Year()))
	}
	ed.applyGlobal()

	ed.lines = nil
	ed.linesBox.RemoveAll()
	for i := range inv.Lines {
		ed.appendRow(ed.newLineRow(&inv.Lines[i]))
	}
	if len(ed.lines) == 0 {
		ed.appendRow(ed.newLineRow(nil))
	}
	ed.hideProducts()
	ed.showProblems(nil, "")
	ed.folio.SetText(inv.FolioText())
	ed.status.SetText("")
	ed.printBtn.Hide()
	if inv.Status != "" && inv.Status != sales.StatusDraft {
		ed.setLocked(true)
		ed.printBtn.Show()
		ed.status.SetText(lang.L("Factura {{.Folio}}: {{.Status}}.", map[string]any{"Folio": inv.FolioText(), "Status": lang.L(inv.Status.Label())}))
	}
}

// customerText describes the chosen customer under the search.
func customerText(c *sales.Customer) string {
	if c.RFC == "" {
		return lang.L("Ningún cliente elegido.")
	}
	return lang.L("RFC {{.RFC}} · régimen {{.Regimen}} · C.P. {{.CP}}",
		map[string]any{"RFC": c.RFC, "Regimen": c.RegimenFiscal, "CP": c.CodigoPostal})
}

// changed is called on every edit: it recomputes the totals.
func (ed *InvoiceEditor) changed() {
	if ed.filling {
		return
	}
	ed.recompute()
}

// invoice returns what the editor shows as an invoice, and the problems of
// text that does not parse, keyed like sales.FieldErrors.
func (ed *InvoiceEditor) invoice() (sales.Invoice, map[string]string) {
	errs := map[string]string{}
	inv := ed.inv
	inv.Serie = ed.serie.Selected
	inv.UsoCFDI = ed.uso.key()
	inv.FormaPago = ed.forma.key()
	inv.Terms = sales.Contado
	if ed.terms.Selected == creditoText() {
		inv.Terms = sales.Credito
	}
	inv.Moneda = ed.moneda.key()
	inv.TipoCambio = decimal.Zero
	if t := strings.TrimSpace(ed.tipoCambio.Text); t != "" && inv.Moneda != "MXN" {
		d, err := tax.ParseAmount(t)
		if err != nil {
			errs["TipoCambio"] = domain.UserMessage(err)
		}
		inv.TipoCambio = d
	}
	inv.CondicionesDePago = ed.condiciones.Text
	inv.OrderRef = strings.TrimSpace(ed.orderRef.Text)
	inv.Notes = ed.notes.Text
	inv.Global = nil
	if inv.Customer.IsPublicoGeneral() {
		inv.Global = &sales.Global{Periodicidad: ed.periodicidad.key(), Meses: ed.meses.key(), Anio: strings.TrimSpace(ed.anio.Text)}
	}
	inv.Lines = nil
	for _, r := range ed.lines {
		if r.blank() {
			continue
		}
		inv.Lines = append(inv.Lines, r.line(len(inv.Lines), errs))
	}
	return inv, errs
}

// recompute shows the totals of what the editor holds, from the service's
// Totals (the computation that builds the XML).
func (ed *InvoiceEditor) recompute() {
	inv, _ := ed.invoice()
	t, err := ed.deps.Invoices.Totals(&inv)
	if err != nil {
		ed.totalsErr = true
		ed.status.SetText(domain.UserMessage(err))
		return
	}
	if ed.totalsErr {
		ed.totalsErr = false
		ed.status.SetText("")
	}
	k := 0
	for _, r := range ed.lines {
		if r.blank() || k >= len(t.Lines) {
			r.importe.SetText("")
			continue
		}
		r.importe.SetText(tax.FormatMXN(t.Lines[k].Importe))
		k++
	}
	var iva, ieps, retIVA, retISR decimal.Decimal
	for _, g := range t.Traslados {
		switch g.Impuesto {
		case sales.ImpuestoIVA:
			iva = iva.Add(g.Importe)
		case sales.ImpuestoIEPS:
			ieps = ieps.Add(g.Importe)
		}
	}
	for _, g := range t.Retenciones {
		switch g.Impuesto {
		case sales.ImpuestoIVA:
			retIVA = g.Importe
		case sales.ImpuestoISR:
			retISR = g.Importe
		}
	}
	ed.importe.SetText(tax.FormatMXN(t.SubTotal))
	ed.descuento.SetText(tax.FormatMXN(t.Descuento))
	// Subtotal is the tax base: the CFDI SubTotal (sum of Importe) less
	// the discounts, both already rounded by Compute.
	ed.subtotal.SetText(tax.FormatMXN(t.SubTotal.Sub(t.Descuento)))
	ed.iva.SetText(tax.FormatMXN(iva))
	ed.ieps.SetText(tax.FormatMXN(ieps))
	ed.retIVA.SetText(tax.FormatMXN(retIVA))
	ed.retISR.SetText(tax.FormatMXN(retISR))
	ed.total.SetText(tax.FormatMXN(t.Total) + " " + inv.Moneda)
}

// termsChanged applies Contado/Crédito; credit to the general public is
// refused on the spot.
func (ed *InvoiceEditor) termsChanged(selected string) {
	if ed.filling {
		return
	}
	if selected == creditoText() && ed.inv.Customer.IsPublicoGeneral() {
		ed.filling = true
		ed.terms.SetSelected(contadoText())
		ed.filling = false
		ed.setFieldError("Terms", lang.L("No se puede vender a crédito al público en general."))
		return
	}
	ed.setFieldError("Terms", "")
	ed.applyTerms()
	ed.changed()
}

// applyTerms forces forma de pago 99 on credit (PPD), as Anexo 20 requires.
func (ed *InvoiceEditor) applyTerms() {
	if ed.terms.Selected == creditoText() {
		ed.forma.selectKey(sales.FormaPagoPorDefinir)
		ed.forma.Disable()
		return
	}
	if ed.forma.key() == sales.FormaPagoPorDefinir {
		ed.forma.ClearSelected()
	}
	if !ed.locked {
		ed.forma.Enable()
	}
}

func (ed *InvoiceEditor) monedaChanged() {
	if ed.filling {
		return
	}
	ed.applyMoneda()
	ed.changed()
}

// applyMoneda enables the exchange rate only for currencies other than MXN.
func (ed *InvoiceEditor) applyMoneda() {
	if ed.moneda.key() == "MXN" || ed.locked {
		ed.tipoCambio.Disable()
		return
	}
	ed.tipoCambio.Enable()
}

// applyGlobal shows the factura global fields only for the general public.
func (ed *InvoiceEditor) applyGlobal() {
	if ed.inv.Customer.IsPublicoGeneral() {
		ed.globalBox.Show()
	} else {
		ed.globalBox.Hide()
	}
}

// appendRow adds r at the end of the grid.
func (ed *InvoiceEditor) appendRow(r *lineRow) {
	ed.lines = append(ed.lines, r)
	ed.linesBox.Add(r.box)
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

// addLineAfter adds an empty line (Enter in the last field of after, or the
// "Agregar concepto" button) and moves the focus to its quantity.
func (ed *InvoiceEditor) addLineAfter(after *lineRow) {
	if ed.locked {
		return
	}
	ed.filling = true
	r := ed.newLineRow(nil)
	ed.filling = false
	ed.appendRow(r)
	ed.focus(r.qty)
}

// removeLine deletes r; the grid always keeps one (empty) line.
func (ed *InvoiceEditor) removeLine(r *lineRow) {
	if ed.locked {
		return
	}
	i := slices.Index(ed.lines, r)
	if i < 0 {
		return
	}
	ed.lines = slices.Delete(ed.lines, i, i+1)
	ed.linesBox.Remove(r.box)
	if ed.productFor == r {
		ed.hideProducts()
	}
	if len(ed.lines) == 0 {
		ed.filling = true
		ed.appendRow(ed.newLineRow(nil))
		ed.filling = false
	}
	ed.changed()
}

// setFieldError shows msg under field's widget ("" hides it).
func (ed *InvoiceEditor) setFieldError(field, msg string) {
	l := ed.errs[field]
	if l == nil {
		return
	}
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// fieldRank orders problems as the fields appear on screen.
func fieldRank(field string) (int, int, string) {
	if rest, ok := strings.CutPrefix(field, "Lines["); ok {
		n, sub, _ := strings.Cut(rest, "]")
		i, _ := strconv.Atoi(n)
		return len(headerFields), i, sub
	}
	head, _, _ := strings.Cut(field, ".")
	if i := slices.Index(headerFields, head); i >= 0 {
		return i, 0, field
	}
	return -1, 0, field
}

// showProblems shows each problem next to its field and all of them in the
// list under the concepts; other is a problem tied to no field.
func (ed *InvoiceEditor) showProblems(fields map[string]string, other string) {
	byHeader := map[string][]string{}
	byLine := map[int][]string{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		ra, ia, sa := fieldRank(keys[a])
		rb, ib, sb := fieldRank(keys[b])
		if ra != rb {
			return ra < rb
		}
		if ia != ib {
			return ia < ib
		}
		return sa < sb
	})
	var list []string
	if other != "" {
		list = append(list, other)
	}
	for _, k := range keys {
		msg := fields[k]
		rank, i, _ := fieldRank(k)
		switch {
		case rank == len(headerFields):
			byLine[i] = append(byLine[i], msg)
			msg = lang.L("Concepto {{.N}}: ", map[string]any{"N": i + 1}) + msg
		case rank >= 0:
			head, _, _ := strings.Cut(k, ".")
			byHeader[head] = append(byHeader[head], msg)
		}
		list = append(list, msg)
	}
	for _, f := range headerFields {
		ed.setFieldError(f, strings.Join(byHeader[f], "\n"))
	}
	k := 0
	for _, r := range ed.lines {
		if r.blank() {
			r.errLabel.Hide()
			continue
		}
		if msgs := byLine[k]; len(msgs) > 0 {
			r.errLabel.SetText(strings.Join(msgs, "\n"))
			r.errLabel.Show()
		} else {
			r.errLabel.Hide()
		}
		k++
	}
	if len(list) == 0 {
		ed.problems.Hide()
		return
	}
	ed.problems.SetText(lang.L("Corrija lo siguiente:") + "\n• " + strings.Join(list, "\n• "))
	ed.problems.Show()
}

// showError shows an error of a save or post: its field problems, or its
// user message.
func (ed *InvoiceEditor) showError(err error) {
	if fields := sales.FieldErrors(err); len(fields) > 0 {
		ed.showProblems(fields, "")
		ed.status.SetText(lang.L("La factura tiene datos por corregir."))
		return
	}
	ed.showProblems(nil, domain.UserMessage(err))
	ed.status.SetText(domain.UserMessage(err))
}

// setBusy disables the actions and shows progress while a save or post runs.
func (ed *InvoiceEditor) setBusy(busy bool, msg string) {
	ed.busy = busy
	if busy {
		ed.saveBtn.Disable()
		ed.postBtn.Disable()
		ed.newBtn.Disable()
		ed.progress.Show()
		ed.progress.Start()
	} else {
		ed.progress.Stop()
		ed.progress.Hide()
		ed.newBtn.Enable()
		if !ed.locked {
			ed.saveBtn.Enable()
			ed.postBtn.Enable()
		}
	}
	ed.status.SetText(msg)
}

// setLocked makes the editor read-only (posted) or editable.
func (ed *InvoiceEditor) setLocked(locked bool) {
	ed.locked = locked
	inputs := []fyne.Disableable{ed.serie, ed.customerSearch, ed.uso, ed.terms, ed.forma, ed.moneda,
		ed.tipoCambio, ed.condiciones, ed.orderRef, ed.notes, ed.periodicidad, ed.meses, ed.anio, ed.addLine,
		ed.saveBtn, ed.postBtn, ed.folioBtn}
	for _, r := range ed.lines {
		inputs = append(inputs, r.inputs()...)
	}
	for _, w := range inputs {
		if locked {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if !locked {
		ed.applyTerms()
		ed.applyMoneda()
		for _, r := range ed.lines {
			r.ivaChanged()
		}
	}
}

// SaveDraft stores the invoice as a draft (Ctrl+S) off the UI goroutine.
// Problems are shown next to their fields.
func (ed *InvoiceEditor) SaveDraft() {
	if ed.busy || ed.locked {
		return
	}
	inv, errs := ed.invoice()
	if len(errs) > 0 {
		ed.showProblems(errs, "")
		return
	}
	ed.setBusy(true, lang.L("Guardando borrador…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		_, err := ed.deps.Invoices.SaveDraft(ctx, &inv)
		fyne.Do(func() {
			ed.setBusy(false, "")
			if inv.ID != 0 {
				ed.inv.ID, ed.inv.Fecha = inv.ID, inv.Fecha
			}
			if err != nil {
				ed.showError(err)
				return
			}
			ed.showProblems(nil, "")
			ed.status.SetText(lang.L("Borrador guardado."))
		})
	}()
}

// Post issues the invoice (Ctrl+E) off the UI goroutine: it saves the
// draft, validates it against SAT's rules, unlocks the CSD and posts it
// (folio, seal, stamp queue). On success the editor shows the folio,
// offers printing and locks.
func (ed *InvoiceEditor) Post() {
	if ed.busy || ed.locked {
		return
	}
	inv, errs := ed.invoice()
	if len(errs) > 0 {
		ed.showProblems(errs, "")
		return
	}
	year := ed.deps.now()().In(domain.MexicoCity).Year()
	opts := sales.PostOptions{OverrideFolio: ed.override, AdminPassword: ed.adminPassword}
	ed.setBusy(true, lang.L("Emitiendo la factura…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		posted, err := ed.post(ctx, &inv, year, opts)
		fyne.Do(func() {
			ed.setBusy(false, "")
			if inv.ID != 0 {
				ed.inv.ID, ed.inv.Fecha = inv.ID, inv.Fecha
			}
			if err != nil {
				ed.showError(err)
				return
			}
			ed.posted(posted)
		})
	}()
}

// post saves inv as a draft, validates it and posts it; synchronous and
// UI-free. inv.ID is set once the draft is stored, even if a later step
// fails.
func (ed *InvoiceEditor) post(ctx context.Context, inv *sales.Invoice, year int, opts sales.PostOptions) (sales.Invoice, error) {
	if _, err := ed.deps.Invoices.SaveDraft(ctx, inv); err != nil {
		return sales.Invoice{}, err
	}
	if err := inv.Validate(ed.deps.Rules, year); err != nil {
		return sales.Invoice{}, err
	}
	signer, err := ed.deps.Signer(ctx)
	if err != nil {
		return sales.Invoice{}, err
	}
	return ed.deps.Invoices.Post(ctx, inv.ID, ed.issuer, signer, opts)
}

// posted shows the result of a successful post and locks the editor.
func (ed *InvoiceEditor) posted(inv sales.Invoice) {
	ed.inv.ID, ed.inv.Status, ed.inv.Serie, ed.inv.Folio = inv.ID, inv.Status, inv.Serie, inv.Folio
	ed.inv.Fecha, ed.inv.UUID = inv.Fecha, inv.UUID
	ed.showProblems(nil, "")
	ed.hideProducts()
	ed.customerResults.Hide()
	ed.setLocked(true)
	ed.folio.SetText(inv.FolioText())
	ed.fecha.SetText(inv.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04:05"))
	ed.status.SetText(lang.L("Factura {{.Folio}} generada y sellada; queda en cola para timbrar.", map[string]any{"Folio": inv.FolioText()}))
	ed.printBtn.Show()
	ed.folioBtn.Hide()
	ed.override, ed.adminPassword = nil, ""
	if ed.OnPosted != nil {
		ed.OnPosted(&inv)
	}
}

// askFolio asks for the folio to use instead of the proposed one and the
// administrator's password ("Cambiar folio…").
func (ed *InvoiceEditor) askFolio() {
	c := fyne.CurrentApp().Driver().CanvasForObject(ed)
	var win fyne.Window
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Canvas() == c {
			win = w
		}
	}
	if win == nil {
		return
	}
	number := widget.NewEntry()
	number.SetPlaceHolder(lang.L("Número de folio"))
	password := widget.NewPasswordEntry()
	dialog.ShowForm(lang.L("Cambiar el folio propuesto"), lang.L("Autorizar"), lang.L("Cancelar"), []*widget.FormItem{
		{Text: lang.L("Folio"), Widget: number},
		{Text: lang.L("Contraseña de administrador"), Widget: password},
	}, func(ok bool) {
		if ok {
			ed.OverrideFolio(number.Text, password.Text)
		}
	}, win)
}

// OverrideFolio checks the administrator's password off the UI goroutine
// and, when it is right, makes folio the number the invoice will take when
// posted (the numbers skipped are recorded as voided). Problems are shown
// in the status line.
func (ed *InvoiceEditor) OverrideFolio(folio, password string) {
	n, err := strconv.ParseInt(strings.TrimSpace(folio), 10, 64)
	if err != nil || n < 1 {
		ed.status.SetText(lang.L("Escriba el folio como un número entero, 1 o mayor."))
		return
	}
	if ed.deps.CheckAdmin == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		err := ed.deps.CheckAdmin(ctx, password)
		fyne.Do(func() {
			if err != nil {
				ed.status.SetText(domain.UserMessage(err))
				return
			}
			ed.override, ed.adminPassword = &n, password
			ed.folio.SetText(lang.L("Folio {{.Folio}} autorizado", map[string]any{"Folio": ed.serie.Selected + "-" + strconv.FormatInt(n, 10)}))
		})
	}()
}
