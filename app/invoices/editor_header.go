package invoices

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

// editorHeader is the top of the editor: serie and fecha, the customer
// (searched as the user types, see editor_search.go), uso del CFDI,
// contado/crédito, forma de pago, currency and exchange rate, conditions,
// the customer's order and notes, and below them the factura global
// fields, shown only for the general public.
type editorHeader struct {
	serie *widget.Select
	fecha *widget.Label

	customerSearch   *entry
	customerResults  *pickList
	customerFound    []sales.Customer
	customerQuery    string // the query customerFound answers
	pickCustomerNext bool   // Enter was pressed before the results arrived
	custGen          uint64 // generation of the newest customer search
	customerLabel    *widget.Label

	uso, forma   *choice
	formaHint    *widget.Label   // why the forma de pago is fixed, when it is
	deposit      *depositField   // "Cobrado en", a cash sale only (editor_deposit.go)
	warehouse    *WarehouseField // "Bodega", with more than one warehouse (editor_warehouse.go)
	terms        *widget.RadioGroup
	moneda       *choice
	tipoCambio   *entry
	condiciones  *entry
	orderRef     *entry
	notes        *entry
	globalBox    *fyne.Container
	periodicidad *choice
	meses        *choice
	anio         *entry

	columns fyne.CanvasObject // the two columns above the factura global
}

// contadoText and creditoText are the payment terms as shown.
func contadoText() string { return lang.L("Contado (PUE)") }
func creditoText() string { return lang.L("Crédito (PPD)") }

// buildHeader creates the header's widgets top to bottom, which is also the
// Tab order.
func (ed *InvoiceEditor) buildHeader() *editorHeader {
	rules := ed.deps.Rules
	h := &editorHeader{}
	ed.editorHeader = h
	h.serie = widgets.NewSelect(nil, func(string) { ed.changed() })
	h.serie.PlaceHolder = lang.L("Elija la serie")
	h.fecha = widget.NewLabel("")
	h.fecha.Truncation = fyne.TextTruncateEllipsis

	h.customerSearch = ed.newEntry(lang.L("Buscar cliente por nombre o RFC"))
	h.customerSearch.OnChanged = ed.searchCustomers
	h.customerSearch.OnSubmitted = func(string) { ed.submitCustomer() }
	h.customerResults = newPickList(
		func() int { return len(h.customerFound) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(h.customerFound) {
				c := h.customerFound[id]
				o.(*widget.Label).SetText(c.RFC + " — " + c.Name)
			}
		})
	h.customerResults.OnSelected = func(id widget.ListItemID) {
		if id < len(h.customerFound) {
			fromList := ed.focused() == fyne.Focusable(h.customerResults)
			ed.pickCustomer(h.customerFound[id])
			if fromList {
				ed.focus(h.uso.Select)
			}
		}
	}
	h.customerSearch.onDown = func() {
		if h.customerResults.Visible() {
			ed.focus(h.customerResults)
		}
	}
	h.customerResults.Hide()
	h.customerLabel = widget.NewLabel("")
	h.customerLabel.Truncation = fyne.TextTruncateEllipsis
	h.customerLabel.Wrapping = fyne.TextWrapWord

	h.uso = newChoice(rules.List(sat.UsoCFDI), ed.changed)
	h.uso.PlaceHolder = lang.L("Elija el uso del CFDI")
	h.terms = widget.NewRadioGroup([]string{contadoText(), creditoText()}, ed.termsChanged)
	h.terms.Horizontal = true
	h.terms.Required = true
	h.forma = newChoice(rules.List(sat.FormaPago), ed.changed)
	h.forma.PlaceHolder = lang.L("Elija la forma de pago")
	h.formaHint = widget.NewLabel("")
	h.formaHint.Importance = widget.LowImportance
	h.formaHint.Wrapping = fyne.TextWrapWord
	h.formaHint.Hide()
	h.deposit = newDepositField(ed.changed)
	h.warehouse = NewWarehouseField(ed.changed)
	h.warehouse.off = ed.quote != nil
	h.moneda = newChoice(rules.List(sat.Moneda), ed.monedaChanged)
	h.tipoCambio = ed.newEntry(lang.L("Tipo de cambio"))
	h.tipoCambio.OnChanged = func(string) { ed.changed() }
	h.condiciones = ed.newEntry("")
	h.condiciones.OnChanged = func(string) { ed.changed() }
	h.orderRef = ed.newEntry(lang.L("Número de orden de compra del cliente"))
	h.orderRef.OnChanged = func(string) { ed.changed() }
	h.notes = ed.newEntry(lang.L("Notas internas"))
	h.notes.MultiLine = true
	h.notes.Wrapping = fyne.TextWrapWord
	h.notes.SetMinRowsVisible(2)

	h.periodicidad = newChoice(rules.List(sat.Periodicidad), ed.changed)
	h.periodicidad.PlaceHolder = lang.L("Elija la periodicidad")
	h.meses = newChoice(rules.List(sat.Meses), ed.changed)
	h.meses.PlaceHolder = lang.L("Elija el mes")
	h.anio = ed.newEntry("")
	h.anio.OnChanged = func(string) { ed.changed() }

	field := func(objs ...fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(objs...) }
	label := func(text string) fyne.CanvasObject { return widget.NewLabel(text) }
	// Two columns keep the header short so the concepts and totals show
	// without scrolling; Tab goes down the left column, then the right.
	first := []fyne.CanvasObject{label(lang.L("Serie")), field(h.serie, ed.errs["Serie"])}
	notes := label(lang.L("Notas"))
	if ed.quote != nil {
		// A quote has no serie (its number is its own) but a validity;
		// its notes are printed on it.
		first = []fyne.CanvasObject{label(lang.L("Vigente hasta")), field(ed.buildQuoteValidity(), hint(lang.L("dd/mm/aaaa; el último día en que vale la oferta")), ed.errs[quoteValidField])}
		notes = label(lang.L("Notas en la cotización"))
		h.notes.SetPlaceHolder(lang.L("Se imprimen en la cotización"))
	}
	h.columns = container.NewGridWithColumns(2,
		container.New(layout.NewFormLayout(), append(first,
			label(lang.L("Fecha")), h.fecha,
			label(lang.L("Cliente")), field(h.customerSearch, h.customerResults, h.customerLabel, ed.errs["CustomerID"]),
			label(lang.L("Uso del CFDI")), field(h.uso.Select, ed.errs["UsoCFDI"]),
			label(lang.L("Venta")), field(h.terms, ed.errs["Terms"], h.warehouse.Box),
		)...),
		container.New(layout.NewFormLayout(),
			label(lang.L("Forma de pago")), field(h.forma.Select, h.formaHint, ed.errs["FormaPago"], h.deposit.box),
			label(lang.L("Moneda")), field(container.NewBorder(nil, nil, nil, minWidth(h.tipoCambio, 120), h.moneda.Select), ed.errs["Moneda"], ed.errs["TipoCambio"]),
			label(lang.L("Condiciones de pago")), field(h.condiciones, hint(lang.L("p. ej. 30 días"))),
			label(lang.L("Orden de compra")), h.orderRef,
			notes, h.notes,
		),
	)
	h.globalBox = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Factura global (público en general)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(layout.NewFormLayout(),
			label(lang.L("Periodicidad")), h.periodicidad.Select,
			label(lang.L("Mes o bimestre")), h.meses.Select,
			label(lang.L("Año")), h.anio),
		ed.errs["Global"])
	h.globalBox.Hide()
	return h
}

// hint returns the example shown under a field, so it is never taken for
// something typed (a placeholder in the entry looks like data).
func hint(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	l.Importance = widget.LowImportance
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// inputs returns the header's widgets that lock with the editor.
func (h *editorHeader) inputs() []fyne.Disableable {
	return []fyne.Disableable{h.serie, h.customerSearch, h.uso, h.terms, h.forma, h.deposit.sel, h.warehouse.sel, h.moneda,
		h.tipoCambio, h.condiciones, h.orderRef, h.notes, h.periodicidad, h.meses, h.anio}
}

// fillHeader shows the rest of inv's header once applyRules presented the
// verdict r; now is the editor's clock in Mexico City. The caller guards
// against change events.
func (ed *InvoiceEditor) fillHeader(inv *sales.Invoice, r sales.FieldRules, now time.Time) {
	h := ed.editorHeader
	if inv.Serie != "" && slices.Contains(h.serie.Options, inv.Serie) {
		h.serie.SetSelected(inv.Serie)
	}
	fecha := now
	if !inv.Fecha.IsZero() {
		fecha = inv.Fecha.In(domain.MexicoCity)
	}
	text := fecha.Format("02/01/2006")
	if r.Post == nil { // posting dates it
		text += " — " + lang.L("la fecha del CFDI es la del momento de emitir")
	}
	h.fecha.SetText(text)

	h.customerFound, h.customerQuery, h.pickCustomerNext = nil, "", false
	h.customerResults.Hide()
	h.customerSearch.SetText(inv.Customer.Name)
	h.customerLabel.SetText(customerText(&inv.Customer))
	h.showTerms(inv.Terms)
	dep := inv.DepositAccount
	if inv.ID == 0 && dep == 0 && inv.State == sales.StateDraft {
		dep = h.deposit.defaultAccount()
	}
	h.deposit.selectAccount(dep)
	h.warehouse.SelectWarehouse(inv.WarehouseID)
	h.moneda.selectKey(inv.Moneda)
	h.tipoCambio.SetText(optionalText(inv.TipoCambio))
	h.condiciones.SetText(inv.CondicionesDePago)
	h.orderRef.SetText(inv.OrderRef)
	h.notes.SetText(inv.Notes)
	h.periodicidad.ClearSelected()
	h.meses.ClearSelected()
	h.anio.SetText("")
	g := inv.Global
	if g == nil {
		d := sales.DefaultGlobal(now)
		g = &d
	}
	h.periodicidad.selectKey(g.Periodicidad)
	h.meses.selectKey(g.Meses)
	h.anio.SetText(g.Anio)
}

// readHeader sets inv's header from the widgets, leaving out the fields the
// last verdict r says do not apply; text that does not parse is reported
// in errs under the domain's field names.
func (h *editorHeader) readHeader(inv *sales.Invoice, r sales.FieldRules, errs map[string]string) {
	inv.Serie = h.serie.Selected
	inv.UsoCFDI = h.uso.key()
	inv.FormaPago = h.forma.key()
	inv.Terms = h.selectedTerms()
	inv.DepositAccount = 0
	if inv.Terms == sales.Contado && h.deposit.box.Visible() {
		inv.DepositAccount = h.deposit.chosen()
	}
	if h.warehouse.Box.Visible() {
		inv.WarehouseID = h.warehouse.Chosen()
	}
	inv.Moneda = h.moneda.key()
	inv.TipoCambio = decimal.Zero
	if t := strings.TrimSpace(h.tipoCambio.Text); t != "" && r.TipoCambio.Applies {
		d, err := tax.ParseAmount(t)
		if err != nil {
			errs["TipoCambio"] = domain.UserMessage(err)
		}
		inv.TipoCambio = d
	}
	inv.CondicionesDePago = h.condiciones.Text
	inv.OrderRef = strings.TrimSpace(h.orderRef.Text)
	inv.Notes = h.notes.Text
	inv.Global = nil
	if r.Global.Applies {
		inv.Global = &sales.Global{Periodicidad: h.periodicidad.key(), Meses: h.meses.key(), Anio: strings.TrimSpace(h.anio.Text)}
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

// selectedTerms returns the terms the radio group shows.
func (h *editorHeader) selectedTerms() sales.PaymentTerms {
	if h.terms.Selected == creditoText() {
		return sales.Credito
	}
	return sales.Contado
}

// showTerms selects t in the radio group.
func (h *editorHeader) showTerms(t sales.PaymentTerms) {
	if t == sales.Credito {
		h.terms.SetSelected(creditoText())
	} else {
		h.terms.SetSelected(contadoText())
	}
}

// termsChanged asks the domain to apply Contado/Crédito (sales.Invoice.
// SetTerms: credit forces forma de pago 99); a refusal (credit to the
// general public) puts cash back and shows why under the terms.
func (ed *InvoiceEditor) termsChanged(string) {
	if ed.filling {
		return
	}
	inv, _ := ed.invoice()
	err := inv.SetTerms(ed.selectedTerms())
	if err != nil {
		_ = inv.SetTerms(sales.Contado) // cash is always allowed
	}
	ed.filling = true
	ed.showTerms(inv.Terms)
	ed.applyRules(&inv)
	ed.filling = false
	ed.setFieldError("Terms", sales.FieldErrors(err)["Terms"])
	if err == nil {
		ed.changed()
	}
}

func (ed *InvoiceEditor) monedaChanged() {
	if ed.filling {
		return
	}
	inv, _ := ed.invoice()
	ed.filling = true
	ed.applyRules(&inv)
	ed.filling = false
	ed.changed()
}

// presentHeader shows the header fields as the verdict r says: the usos
// and formas offered, with inv's selected when offered; a forma the terms
// fix, disabled with its reason; the exchange rate enabled only where it
// applies; the factura global only where it applies. The caller guards
// against change events.
func (h *editorHeader) presentHeader(inv *sales.Invoice, r sales.FieldRules, locked bool) {
	h.uso.setEntries(r.UsoCFDI.Options)
	h.uso.ClearSelected()
	h.uso.selectKey(inv.UsoCFDI)
	h.forma.setEntries(r.FormaPago.Options)
	h.forma.ClearSelected()
	forma := inv.FormaPago
	if r.FormaPago.Fixed {
		forma = r.FormaPago.Value
	}
	h.forma.selectKey(forma)
	enable(h.forma, !locked && !r.FormaPago.Fixed)
	h.formaHint.SetText(r.FormaPago.Reason)
	show(h.formaHint, r.FormaPago.Fixed && r.FormaPago.Reason != "")
	enable(h.tipoCambio, !locked && r.TipoCambio.Applies)
	show(h.globalBox, r.Global.Applies)
	h.deposit.present(inv.Terms, locked)
	h.warehouse.Present(inv.TipoDeComprobante, locked)
}

// enable enables or disables w.
func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// show shows or hides o.
func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
