package thirdparty

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// searchLimit is how many customers a search suggests.
const searchLimit = 8

// dateLayout is how the form shows and reads dates.
const dateLayout = "02/01/2006"

// header is "Datos encabezado" and the sub-tabs of the document.
type header struct {
	Fecha, Branch, Seller, Responsible, CreditDays *entry
	Serie, Terms                                   *widget.Select
	// Warehouse is "Bodega": where the own items' stock leaves from, shown
	// with more than one active warehouse.
	Warehouse *invoices.WarehouseField
	// The fields inherited from the customer, read-only (inherited.go
	// order): see inheritedTitles.
	Inherited map[string]*widget.Label

	// Facturar a
	CustomerSearch *entry
	CustomerFound  *widget.List
	CustomerLabel  *widget.Label
	found          []sales.Customer
	foundFor       *entry // the search the results belong to
	custGen        uint64
	// Sucursal cliente
	BranchLabel *widget.Label
	// Cuenta x cobrar a
	CollectSearch *entry
	CollectLabel  *widget.Label
	CollectSame   *widget.Button
	// Enviar a
	ShipTo *entry
	// Datos de embarque
	Vessel, Voyage, Container, Seal, ExitPort, DestPort, ShipTerms, ShipContact, ShipReach *entry
	ShipDate, DispatchDate                                                                 *entry
	Incoterm                                                                               *widget.Select
	// Gestión de documento
	GeneratedBy, GeneratedByID, Plate, ReceivedBy, ReceivedByID, Observations *entry
	// Vendedores
	Sellers    []*sellerRow
	sellersBox *fyne.Container
	AddSeller  *widget.Button

	Tabs   *container.AppTabs
	object fyne.CanvasObject
}

// inheritedTitles are the read-only fields inherited from the customer
// picked in "Facturar a", in the order shown (Spanish source text).
var inheritedTitles = []string{"% IVA", "% retención", "% percepción", "% descuento", "Tipo de venta", "Decimales",
	"Caja", "Núm. de pedido del cliente", "Términos de venta", "Centro de costo", "Subcentro de costo", "Referencia"}

// sellerRow is one row of "Vendedores": a name and a commission %.
type sellerRow struct {
	Name, Percent *entry
	remove        *widget.Button
	box           fyne.CanvasObject
}

func (f *DocumentForm) buildHeader() {
	h := &header{Inherited: map[string]*widget.Label{}}
	f.header = h
	h.Fecha = f.newEntry("dd/mm/aaaa")
	h.Branch = f.newEntry(lang.L("Matriz"))
	h.Seller = f.newEntry("")
	h.Responsible = f.newEntry("")
	h.CreditDays = f.newEntry("0")
	h.Serie = widgets.NewSelect(nil, func(string) { f.changed() })
	h.Terms = widgets.NewSelect([]string{lang.L("Contado"), lang.L("Crédito")}, func(string) { f.changed() })
	h.Warehouse = invoices.NewWarehouseField(f.changed)
	for _, t := range inheritedTitles {
		l := widget.NewLabel("—")
		l.Truncation = fyne.TextTruncateEllipsis
		h.Inherited[t] = l
	}

	h.CustomerSearch = f.newEntry(lang.L("RFC o nombre del cliente"))
	h.CustomerSearch.OnChanged = func(s string) { f.searchCustomers(h.CustomerSearch, s) }
	h.CustomerSearch.OnSubmitted = func(string) { f.submitCustomer(h.CustomerSearch) }
	h.CustomerLabel = widget.NewLabel(lang.L("Ningún cliente elegido."))
	h.CustomerLabel.Wrapping = fyne.TextWrapWord
	h.CustomerFound = widget.NewList(func() int { return len(h.found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(h.found) {
				o.(*widget.Label).SetText(h.found[id].RFC + " — " + h.found[id].Name)
			}
		})
	h.CustomerFound.OnSelected = func(id widget.ListItemID) {
		if id < len(h.found) {
			f.pickFor(h.foundFor, h.found[id])
		}
	}
	h.CustomerFound.Hide()
	h.BranchLabel = widget.NewLabel("")
	h.BranchLabel.Wrapping = fyne.TextWrapWord
	h.CollectSearch = f.newEntry(lang.L("RFC o nombre de quien paga, si es otro cliente"))
	h.CollectSearch.OnChanged = func(s string) { f.searchCustomers(h.CollectSearch, s) }
	h.CollectSearch.OnSubmitted = func(string) { f.submitCustomer(h.CollectSearch) }
	h.CollectLabel = widget.NewLabel("")
	h.CollectLabel.Wrapping = fyne.TextWrapWord
	h.CollectSame = widget.NewButton(lang.L("El mismo cliente"), func() { f.setCollect(nil) })
	h.ShipTo = f.newEntry(lang.L("Nombre y domicilio de entrega"))
	h.ShipTo.MultiLine = true
	h.ShipTo.SetMinRowsVisible(4)

	h.Vessel, h.Voyage, h.Container, h.Seal = f.newEntry(""), f.newEntry(""), f.newEntry(""), f.newEntry("")
	h.ExitPort, h.DestPort, h.ShipTerms = f.newEntry(""), f.newEntry(""), f.newEntry("")
	h.ShipContact, h.ShipReach = f.newEntry(""), f.newEntry("")
	h.ShipDate, h.DispatchDate = f.newEntry("dd/mm/aaaa"), f.newEntry("dd/mm/aaaa")
	h.Incoterm = widgets.NewSelect(append([]string{"—"}, sales.Incoterms...), func(string) { f.changed() })
	h.GeneratedBy, h.GeneratedByID, h.Plate = f.newEntry(""), f.newEntry(lang.L("INE, pasaporte…")), f.newEntry("")
	h.ReceivedBy, h.ReceivedByID = f.newEntry(""), f.newEntry(lang.L("INE, pasaporte…"))
	h.Observations = f.newEntry("")
	h.Observations.MultiLine = true
	h.Observations.SetMinRowsVisible(1)
	h.sellersBox = container.NewVBox()
	h.AddSeller = widget.NewButtonWithIcon(lang.L("Agregar vendedor"), theme.ContentAddIcon(), func() { f.addSeller("", "") })

	form := func(items ...*widget.FormItem) *widget.Form { return widget.NewForm(items...) }
	item := widget.NewFormItem
	datosA := form(item(lang.L("Fecha"), h.Fecha), item(lang.L("Serie"), h.Serie), item(lang.L("Sucursal propia"), h.Branch),
		item(lang.L("Condición de pago"), h.Terms))
	datosB := form(item(lang.L("Vendedor"), h.Seller), item(lang.L("Responsable"), h.Responsible),
		item(lang.L("Días de crédito"), h.CreditDays))
	// The inherited fields, read-only: "caption  value" in two columns.
	var cells []fyne.CanvasObject
	for _, t := range inheritedTitles {
		c := widget.NewLabel(lang.L(t))
		c.SizeName = theme.SizeNameCaptionText
		c.TextStyle.Bold = true
		c.Truncation = fyne.TextTruncateEllipsis
		v := h.Inherited[t]
		v.SizeName = theme.SizeNameCaptionText
		cells = append(cells, container.NewGridWithColumns(2, c, v))
	}
	inherited := container.New(compactRows{cols: 4}, cells...)
	title := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	two := func(a, b fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(2, a, b) }
	three := func(a, b, c fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(3, a, b, c) }
	h.Tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Facturar a"), container.NewVBox(h.CustomerSearch, h.CustomerFound, h.CustomerLabel)),
		container.NewTabItem(lang.L("Sucursal cliente"), h.BranchLabel),
		container.NewTabItem(lang.L("Cuenta x cobrar a"), container.NewVBox(h.CollectSearch,
			container.NewBorder(nil, nil, nil, h.CollectSame, h.CollectLabel))),
		container.NewTabItem(lang.L("Enviar a"), h.ShipTo),
		container.NewTabItem(lang.L("Datos de embarque"), three(
			form(item(lang.L("Buque"), h.Vessel), item(lang.L("Viaje"), h.Voyage), item(lang.L("Contenedor"), h.Container),
				item(lang.L("Sello"), h.Seal)),
			form(item(lang.L("Salida"), h.ExitPort), item(lang.L("Destino"), h.DestPort),
				item(lang.L("Condiciones"), h.ShipTerms), item("Incoterm", h.Incoterm)),
			form(item(lang.L("Contacto"), h.ShipContact), item(lang.L("Tel. o correo"), h.ShipReach),
				item(lang.L("Embarque"), h.ShipDate), item(lang.L("Despacho"), h.DispatchDate)))),
		container.NewTabItem(lang.L("Gestión de documento"), two(
			form(item(lang.L("Generado por"), h.GeneratedBy), item(lang.L("Su identificación"), h.GeneratedByID),
				item(lang.L("Placas del vehículo"), h.Plate)),
			form(item(lang.L("Recibido por"), h.ReceivedBy), item(lang.L("Su identificación"), h.ReceivedByID),
				item(lang.L("Observaciones"), h.Observations)))),
	)
	if f.deps.MultipleSellers {
		h.Tabs.Append(container.NewTabItem(lang.L("Vendedores"), container.NewVBox(h.sellersBox, container.NewHBox(h.AddSeller))))
	}
	h.object = container.NewVBox(title(lang.L("Datos encabezado")), two(datosA, container.NewVBox(datosB, h.Warehouse.Box)), inherited, h.Tabs)
}

// inputs returns the header's widgets that lock with the document.
func (h *header) inputs() []fyne.Disableable {
	in := []fyne.Disableable{h.Fecha, h.Branch, h.Seller, h.Responsible, h.CreditDays, h.Serie, h.Terms,
		h.Warehouse.Input(), h.CustomerSearch, h.CollectSearch, h.CollectSame, h.ShipTo, h.Vessel, h.Voyage, h.Container, h.Seal, h.ExitPort,
		h.DestPort, h.ShipTerms, h.ShipContact, h.ShipReach, h.ShipDate, h.DispatchDate, h.Incoterm,
		h.GeneratedBy, h.GeneratedByID, h.Plate, h.ReceivedBy, h.ReceivedByID, h.Observations, h.AddSeller}
	for _, s := range h.Sellers {
		in = append(in, s.Name, s.Percent, s.remove)
	}
	return in
}

// fillHeader shows inv's header and details; the caller guards against
// change events.
func (f *DocumentForm) fillHeader(inv *sales.Invoice) {
	h := f.header
	h.Fecha.SetText(dayText(inv.Fecha))
	h.Warehouse.SelectWarehouse(inv.WarehouseID)
	if inv.Serie != "" {
		h.Serie.SetSelected(inv.Serie)
	}
	if inv.Terms == sales.Credito {
		h.Terms.SetSelectedIndex(1)
	} else {
		h.Terms.SetSelectedIndex(0)
	}
	days := ""
	if f.customer != nil {
		days = strconv.Itoa(f.customer.CreditDays)
	}
	if n, ok := creditDaysOf(inv.CondicionesDePago); ok {
		days = strconv.Itoa(n)
	}
	h.CreditDays.SetText(days)
	d := inv.Details
	if d == nil {
		d = &sales.SaleDetails{}
	}
	h.Branch.SetText(d.Branch)
	h.Seller.SetText(d.Seller)
	h.Responsible.SetText(d.Responsible)
	h.ShipTo.SetText(d.ShipTo)
	s := d.Shipping
	for e, v := range map[*entry]string{h.Vessel: s.Vessel, h.Voyage: s.Voyage, h.Container: s.Container, h.Seal: s.Seal,
		h.ExitPort: s.ExitPort, h.DestPort: s.DestinationPort, h.ShipTerms: s.Terms, h.ShipContact: s.ContactName,
		h.ShipReach: s.ContactReach, h.ShipDate: dayText(s.ShipDate), h.DispatchDate: dayText(s.DispatchDate)} {
		e.SetText(v)
	}
	h.Incoterm.SetSelectedIndex(0)
	if s.Incoterm != "" {
		h.Incoterm.SetSelected(s.Incoterm)
	}
	m := d.Management
	for e, v := range map[*entry]string{h.GeneratedBy: m.GeneratedBy, h.GeneratedByID: m.GeneratedByID, h.Plate: m.VehiclePlate,
		h.ReceivedBy: m.ReceivedBy, h.ReceivedByID: m.ReceivedByID, h.Observations: m.Observations} {
		e.SetText(v)
	}
	h.sellersBox.RemoveAll()
	h.Sellers = nil
	for _, sh := range d.Sellers {
		f.addSeller(sh.Name, sh.Percent.String())
	}
	h.CustomerSearch.SetText("")
	h.CollectSearch.SetText("")
	h.found, h.foundFor = nil, nil
	h.CustomerFound.Hide()
	f.showCustomer()
	if d.CollectFromID != 0 && d.CollectFromID != inv.CustomerID {
		// Only the id is stored; the name is looked up.
		f.collect = &sales.Customer{ID: d.CollectFromID}
		go f.lookupCollect(d.CollectFromID)
	}
	f.showCollect()
}

// lookupCollect finds the name of the "Cuenta x cobrar a" customer id.
func (f *DocumentForm) lookupCollect(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
	defer cancel()
	cs, err := f.deps.Editor.Customers.FindCustomers(ctx, sales.CustomerFilter{IncludeInactive: true, Limit: 1000})
	fyne.Do(func() {
		if err != nil || f.collect == nil || f.collect.ID != id {
			return
		}
		for _, c := range cs {
			if c.ID == id {
				c := c
				f.collect = &c
			}
		}
		f.showCollect()
	})
}

// readHeader writes what the header and the sub-tabs show into inv; text
// that does not parse goes to bad.
func (f *DocumentForm) readHeader(inv *sales.Invoice, bad map[string]string) {
	h := f.header
	inv.Serie = h.Serie.Selected
	if h.Warehouse.Box.Visible() {
		inv.WarehouseID = h.Warehouse.Chosen()
	}
	if day, err := readDay(h.Fecha.Text, f.now()); err != nil {
		bad["Fecha"] = lang.L("Escriba la fecha como dd/mm/aaaa, p. ej. 25/11/2026.")
	} else {
		inv.Fecha = day
	}
	if f.customer != nil {
		inv.Customer, inv.CustomerID = *f.customer, f.customer.ID
	}
	inv.Terms = sales.Contado
	if h.Terms.SelectedIndex() == 1 {
		inv.Terms = sales.Credito
	}
	inv.CondicionesDePago = ""
	if t := strings.TrimSpace(h.CreditDays.Text); t != "" {
		n, err := strconv.Atoi(t)
		switch {
		case err != nil || n < 0:
			bad["CreditDays"] = lang.L("Los días de crédito deben ser un número entero.")
		case inv.Terms == sales.Credito && n > 0:
			inv.CondicionesDePago = creditDaysText(n)
		}
	}
	d := &sales.SaleDetails{Branch: h.Branch.Text, Seller: h.Seller.Text, Responsible: h.Responsible.Text, ShipTo: h.ShipTo.Text}
	if f.collect != nil && f.collect.ID != inv.CustomerID {
		d.CollectFromID = f.collect.ID
	}
	d.Shipping = sales.Shipping{Vessel: h.Vessel.Text, Voyage: h.Voyage.Text, Container: h.Container.Text, Seal: h.Seal.Text,
		ExitPort: h.ExitPort.Text, DestinationPort: h.DestPort.Text, Terms: h.ShipTerms.Text, ContactName: h.ShipContact.Text,
		ContactReach: h.ShipReach.Text}
	if h.Incoterm.SelectedIndex() > 0 {
		d.Shipping.Incoterm = h.Incoterm.Selected
	}
	for field, e := range map[string]*entry{"ShipDate": h.ShipDate, "DispatchDate": h.DispatchDate} {
		if strings.TrimSpace(e.Text) == "" {
			continue
		}
		t, err := readDay(e.Text, f.now())
		if err != nil {
			bad[field] = lang.L("Escriba la fecha como dd/mm/aaaa, p. ej. 25/11/2026.")
			continue
		}
		if field == "ShipDate" {
			d.Shipping.ShipDate = t
		} else {
			d.Shipping.DispatchDate = t
		}
	}
	d.Management = sales.Management{GeneratedBy: h.GeneratedBy.Text, GeneratedByID: h.GeneratedByID.Text, VehiclePlate: h.Plate.Text,
		ReceivedBy: h.ReceivedBy.Text, ReceivedByID: h.ReceivedByID.Text, Observations: h.Observations.Text}
	for i, s := range h.Sellers {
		if strings.TrimSpace(s.Name.Text) == "" && strings.TrimSpace(s.Percent.Text) == "" {
			continue
		}
		pct := decimal.Zero
		if t := strings.TrimSpace(s.Percent.Text); t != "" {
			p, err := tax.ParseAmount(t)
			if err != nil {
				bad["Sellers["+strconv.Itoa(i)+"]"] = lang.L("Escriba el porcentaje de comisión con dígitos, p. ej. 2.5.")
			}
			pct = p
		}
		d.Sellers = append(d.Sellers, sales.SellerShare{Name: s.Name.Text, Percent: pct})
	}
	inv.Details = d
}

// refreshInherited shows the fields inherited from the customer and those
// that follow from the document (see inheritedTitles).
func (f *DocumentForm) refreshInherited(inv *sales.Invoice) {
	set := func(k, v string) {
		if v == "" {
			v = "—"
		}
		f.Inherited[k].SetText(v)
	}
	c := f.customer
	iva := ""
	for _, l := range inv.Lines {
		if l.TaxesApply() && !l.Taxes.IVAExento {
			iva = percentText(l.Taxes.IVATasa)
			break
		}
	}
	set("% IVA", iva)
	set("% percepción", "0 %")
	set("% descuento", "0 %")
	decimals := ""
	if n, ok := f.deps.Editor.Rules.MonedaDecimals(inv.Moneda); ok {
		decimals = strconv.Itoa(int(n))
	}
	set("Decimales", decimals)
	set("Caja", "")
	set("Núm. de pedido del cliente", inv.OrderRef)
	set("Centro de costo", "")
	set("Subcentro de costo", "")
	set("Referencia", inv.Notes)
	if c == nil {
		set("% retención", "")
		set("Tipo de venta", "")
		set("Términos de venta", "")
		return
	}
	ret := percentText(c.RetencionIVA) + " IVA"
	if c.RetencionISR.IsPositive() {
		ret += " · " + percentText(c.RetencionISR) + " ISR"
	}
	set("% retención", ret)
	kind := lang.L("Nacional")
	if c.IsForeign() {
		kind = lang.L("Exportación")
	}
	set("Tipo de venta", kind)
	terms := lang.L("Contado")
	if c.AllowsCredit() {
		terms = lang.L("Crédito a {{.Days}} días", map[string]any{"Days": c.CreditDays})
	}
	set("Términos de venta", terms)
}

// searchCustomers looks customers up as the user types in search, off the
// UI goroutine; only the newest answer is shown.
func (f *DocumentForm) searchCustomers(search *entry, text string) {
	if f.filling {
		return
	}
	h := f.header
	q := strings.TrimSpace(text)
	if q == "" {
		h.found = nil
		h.CustomerFound.Hide()
		return
	}
	h.custGen++
	gen := h.custGen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		found, err := f.deps.Editor.Customers.FindCustomers(ctx, sales.CustomerFilter{Query: q, Limit: searchLimit})
		fyne.Do(func() {
			if gen != h.custGen {
				return
			}
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			h.found, h.foundFor = found, search
			h.CustomerFound.UnselectAll()
			h.CustomerFound.Refresh()
			if len(found) == 0 {
				h.CustomerFound.Hide()
				f.Status.SetText(lang.L("Ningún cliente coincide con «{{.Query}}».", map[string]any{"Query": q}))
				return
			}
			f.Status.SetText("")
			// The suggestions show under the search they answer.
			f.placeResults(search)
			h.CustomerFound.Show()
		})
	}()
}

// placeResults moves the suggestions list under search's tab.
func (f *DocumentForm) placeResults(search *entry) {
	h := f.header
	idx := 0
	if search == h.CollectSearch {
		idx = 2
	}
	for i, it := range h.Tabs.Items {
		box, ok := it.Content.(*fyne.Container)
		if !ok {
			continue
		}
		box.Remove(h.CustomerFound)
		if i == idx {
			box.Objects = append(box.Objects[:1], append([]fyne.CanvasObject{h.CustomerFound}, box.Objects[1:]...)...)
			box.Refresh()
		}
	}
}

// submitCustomer (Enter in a search) takes the first customer found.
func (f *DocumentForm) submitCustomer(search *entry) {
	h := f.header
	if h.foundFor == search && len(h.found) > 0 {
		f.pickFor(search, h.found[0])
	}
}

// pickFor makes c the customer of the search it was found for.
func (f *DocumentForm) pickFor(search *entry, c sales.Customer) {
	h := f.header
	h.found = nil
	h.CustomerFound.Hide()
	if search == h.CollectSearch {
		f.setCollect(&c)
		return
	}
	f.PickCustomer(c)
}

// PickCustomer makes c the "Facturar a" customer with the defaults the
// domain gives it (sales.Invoice.SetCustomer), fills "Sucursal cliente" and
// "Cuenta x cobrar a" (the same customer) and the inherited fields.
func (f *DocumentForm) PickCustomer(c sales.Customer) {
	f.filling = true
	inv, _ := f.Document()
	inv.SetCustomer(c, f.deps.Editor.Rules)
	f.inv.UsoCFDI, f.inv.FormaPago = inv.UsoCFDI, inv.FormaPago
	f.customer = &c
	f.collect = nil
	h := f.header
	h.CustomerSearch.SetText("")
	h.CollectSearch.SetText("")
	h.CreditDays.SetText(strconv.Itoa(c.CreditDays))
	if inv.Terms == sales.Credito {
		h.Terms.SetSelectedIndex(1)
	} else {
		h.Terms.SetSelectedIndex(0)
	}
	f.showCustomer()
	f.showCollect()
	f.filling = false
	f.recompute()
}

// setCollect makes c the customer the receivable is created under (nil:
// the "Facturar a" customer).
func (f *DocumentForm) setCollect(c *sales.Customer) {
	f.collect = c
	f.filling = true
	f.header.CollectSearch.SetText("")
	f.filling = false
	f.showCollect()
	f.changed()
}

func (f *DocumentForm) showCustomer() {
	h := f.header
	c := f.customer
	if c == nil {
		h.CustomerLabel.SetText(lang.L("Ningún cliente elegido."))
		h.BranchLabel.SetText(lang.L("Elija el cliente en «Facturar a»."))
		return
	}
	h.CustomerLabel.SetText(lang.L("{{.Name}} · RFC {{.RFC}} · régimen {{.Regimen}} · C.P. {{.CP}}",
		map[string]any{"Name": c.Name, "RFC": c.RFC, "Regimen": c.RegimenFiscal, "CP": c.CodigoPostal}))
	h.BranchLabel.SetText(lang.L("Domicilio fiscal de {{.Name}}: C.P. {{.CP}}. El cliente no tiene sucursales registradas; se factura a su domicilio fiscal.",
		map[string]any{"Name": c.Name, "CP": c.CodigoPostal}))
}

func (f *DocumentForm) showCollect() {
	h := f.header
	switch {
	case f.collect != nil && f.collect.ID != 0 && (f.customer == nil || f.collect.ID != f.customer.ID):
		name := f.collect.Name
		if name == "" {
			name = "#" + strconv.FormatInt(f.collect.ID, 10)
		}
		h.CollectLabel.SetText(lang.L("La cuenta por cobrar queda a cargo de {{.Name}} {{.RFC}}.", map[string]any{"Name": name, "RFC": f.collect.RFC}))
	case f.customer != nil:
		h.CollectLabel.SetText(lang.L("La cuenta por cobrar queda a cargo del cliente facturado, {{.Name}}.", map[string]any{"Name": f.customer.Name}))
	default:
		h.CollectLabel.SetText(lang.L("Igual que «Facturar a»."))
	}
}

// addSeller adds a row to "Vendedores".
func (f *DocumentForm) addSeller(name, pct string) {
	h := f.header
	s := &sellerRow{Name: f.newEntry(lang.L("Nombre del vendedor")), Percent: f.newEntry("%")}
	s.Name.SetText(name)
	s.Percent.SetText(pct)
	s.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i, x := range h.Sellers {
			if x == s {
				h.Sellers = append(h.Sellers[:i], h.Sellers[i+1:]...)
			}
		}
		h.sellersBox.Remove(s.box)
		f.changed()
	})
	s.box = container.NewBorder(nil, nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(90, s.Percent.MinSize().Height), s.Percent), s.remove), s.Name)
	h.Sellers = append(h.Sellers, s)
	h.sellersBox.Add(s.box)
}

// dayText shows t's day in Mexico City ("" for the zero time).
func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.MexicoCity).Format(dateLayout)
}

// readDay reads a dd/mm/yyyy day; today keeps now's time of day so the
// document's Fecha is the moment it was captured.
func readDay(s string, now time.Time) (time.Time, error) {
	d, err := sales.ParseDay(s, domain.MexicoCity)
	if err != nil {
		return time.Time{}, err
	}
	n := now.In(domain.MexicoCity)
	if d.Year() == n.Year() && d.YearDay() == n.YearDay() {
		return now, nil
	}
	return d.Add(12 * time.Hour), nil
}

// creditDaysText is the CondicionesDePago of a sale on credit for n days.
func creditDaysText(n int) string { return "Crédito a " + strconv.Itoa(n) + " días" }

// creditDaysOf reads back creditDaysText.
func creditDaysOf(s string) (int, bool) {
	t, ok := strings.CutPrefix(s, "Crédito a ")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(t, " días"))
	return n, err == nil
}

// compactRows lays objects out in cols columns of rows as tall as the
// tallest object, with no gap between rows: the read-only fields take
// little height.
type compactRows struct{ cols int }

func (l compactRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w, h = max(w, m.Width), max(h, m.Height)
	}
	rows := (len(objs) + l.cols - 1) / l.cols
	return fyne.NewSize(w*float32(l.cols), h*float32(rows))
}

func (l compactRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	w := size.Width / float32(l.cols)
	for i, o := range objs {
		o.Move(fyne.NewPos(float32(i%l.cols)*w, float32(i/l.cols)*h))
		o.Resize(fyne.NewSize(w, h))
	}
}
