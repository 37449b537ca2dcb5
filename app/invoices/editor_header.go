package invoices

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

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
	customerResults  *widget.List
	customerFound    []sales.Customer
	customerQuery    string // the query customerFound answers
	pickCustomerNext bool   // Enter was pressed before the results arrived
	custGen          uint64 // generation of the newest customer search
	customerLabel    *widget.Label

	uso, forma   *choice
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
	h.serie = widget.NewSelect(nil, func(string) { ed.changed() })
	h.serie.PlaceHolder = lang.L("Elija la serie")
	h.fecha = widget.NewLabel("")
	h.fecha.Truncation = fyne.TextTruncateEllipsis

	h.customerSearch = ed.newEntry(lang.L("Buscar cliente por nombre o RFC"))
	h.customerSearch.OnChanged = ed.searchCustomers
	h.customerSearch.OnSubmitted = func(string) { ed.submitCustomer() }
	h.customerResults = widget.NewList(
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
	h.moneda = newChoice(rules.List(sat.Moneda), ed.monedaChanged)
	h.tipoCambio = ed.newEntry(lang.L("Tipo de cambio"))
	h.tipoCambio.OnChanged = func(string) { ed.changed() }
	h.condiciones = ed.newEntry(lang.L("p. ej. 30 días"))
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
	h.anio = ed.newEntry("2026")
	h.anio.OnChanged = func(string) { ed.changed() }

	field := func(objs ...fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(objs...) }
	label := func(text string) fyne.CanvasObject { return widget.NewLabel(text) }
	// Two columns keep the header short so the concepts and totals show
	// without scrolling; Tab goes down the left column, then the right.
	h.columns = container.NewGridWithColumns(2,
		container.New(layout.NewFormLayout(),
			label(lang.L("Serie")), field(h.serie, ed.errs["Serie"]),
			label(lang.L("Fecha")), h.fecha,
			label(lang.L("Cliente")), field(h.customerSearch, h.customerResults, h.customerLabel, ed.errs["CustomerID"]),
			label(lang.L("Uso del CFDI")), field(h.uso.Select, ed.errs["UsoCFDI"]),
			label(lang.L("Venta")), field(h.terms, ed.errs["Terms"]),
		),
		container.New(layout.NewFormLayout(),
			label(lang.L("Forma de pago")), field(h.forma.Select, ed.errs["FormaPago"]),
			label(lang.L("Moneda")), field(container.NewGridWithColumns(2, h.moneda.Select, h.tipoCambio), ed.errs["Moneda"], ed.errs["TipoCambio"]),
			label(lang.L("Condiciones de pago")), h.condiciones,
			label(lang.L("Orden de compra")), h.orderRef,
			label(lang.L("Notas")), h.notes,
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

// inputs returns the header's widgets that lock with the editor.
func (h *editorHeader) inputs() []fyne.Disableable {
	return []fyne.Disableable{h.serie, h.customerSearch, h.uso, h.terms, h.forma, h.moneda,
		h.tipoCambio, h.condiciones, h.orderRef, h.notes, h.periodicidad, h.meses, h.anio}
}

// fillHeader shows inv's header; now is the editor's clock in Mexico City.
// The caller guards against change events.
func (ed *InvoiceEditor) fillHeader(inv *sales.Invoice, now time.Time) {
	h := ed.editorHeader
	if inv.Serie != "" && slices.Contains(h.serie.Options, inv.Serie) {
		h.serie.SetSelected(inv.Serie)
	}
	fecha := now
	if !inv.Fecha.IsZero() {
		fecha = inv.Fecha.In(domain.MexicoCity)
	}
	text := fecha.Format("02/01/2006")
	if inv.Status == sales.StatusDraft {
		text += " — " + lang.L("la fecha del CFDI es la del momento de emitir")
	}
	h.fecha.SetText(text)

	h.customerFound, h.customerQuery, h.pickCustomerNext = nil, "", false
	h.customerResults.Hide()
	h.customerSearch.SetText(inv.Customer.Name)
	h.customerLabel.SetText(customerText(&inv.Customer))
	ed.refreshUso()
	h.uso.ClearSelected()
	h.uso.selectKey(inv.UsoCFDI)
	h.forma.ClearSelected()
	h.forma.selectKey(inv.FormaPago)
	if inv.Terms == sales.Credito {
		h.terms.SetSelected(creditoText())
	} else {
		h.terms.SetSelected(contadoText())
	}
	ed.applyTerms()
	h.moneda.selectKey(inv.Moneda)
	h.tipoCambio.SetText(optionalText(inv.TipoCambio))
	ed.applyMoneda()
	h.condiciones.SetText(inv.CondicionesDePago)
	h.orderRef.SetText(inv.OrderRef)
	h.notes.SetText(inv.Notes)
	h.periodicidad.ClearSelected()
	h.meses.ClearSelected()
	h.anio.SetText("")
	if g := inv.Global; g != nil {
		h.periodicidad.selectKey(g.Periodicidad)
		h.meses.selectKey(g.Meses)
		h.anio.SetText(g.Anio)
	} else {
		h.meses.selectKey(fmt.Sprintf("%02d", now.Month()))
		h.anio.SetText(strconv.Itoa(now.Year()))
	}
	ed.applyGlobal()
}

// readHeader sets inv's header from the widgets; text that does not parse
// is reported in errs under the domain's field names.
func (h *editorHeader) readHeader(inv *sales.Invoice, errs map[string]string) {
	inv.Serie = h.serie.Selected
	inv.UsoCFDI = h.uso.key()
	inv.FormaPago = h.forma.key()
	inv.Terms = sales.Contado
	if h.terms.Selected == creditoText() {
		inv.Terms = sales.Credito
	}
	inv.Moneda = h.moneda.key()
	inv.TipoCambio = decimal.Zero
	if t := strings.TrimSpace(h.tipoCambio.Text); t != "" && inv.Moneda != "MXN" {
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
	if inv.Customer.IsPublicoGeneral() {
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
