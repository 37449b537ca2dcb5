package inventory

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	inv "github.com/folio-mx/folio/domain/inventory"
)

// supplierTitles are the suppliers table's columns.
var supplierTitles = []string{"RFC", "Nombre", "Régimen", "C.P.", "Contacto", "Días de crédito"}

// suppliersTab is the suppliers catalog: the list, "Nuevo proveedor…" and
// "Editar…" (a double tap does too); hidden without Deps.Suppliers.
func (s *Screen) suppliersTab() fyne.CanvasObject {
	s.supTable = newTable(supplierTitles, []float32{140, 300, 80, 70, 180, 110}, func() int { return len(s.suppliers) },
		func(r, c int) string {
			p := s.suppliers[r]
			return []string{p.RFC, p.Name, p.Regimen, p.CodigoPostal, p.Contact, strconv.Itoa(p.CreditDays)}[c]
		})
	s.supTable.OnSelected = func(id widget.TableCellID) { s.supSelected = id.Row }
	edit := widget.NewButton(lang.L("Editar…"), func() {
		if s.supSelected >= 0 && s.supSelected < len(s.suppliers) {
			s.showSupplier(s.suppliers[s.supSelected])
		}
	})
	add := widget.NewButton(lang.L("Nuevo proveedor…"), func() { s.showSupplier(inv.Supplier{Issuer: s.issuer, Active: true}) })
	buy := widget.NewButton(lang.L("Registrar compra…"), s.showPurchase)
	return container.NewBorder(container.NewHBox(add, edit, buy), nil, nil, nil, s.supTable)
}

// loadSuppliers reads the catalog off the UI goroutine.
func (s *Screen) loadSuppliers() {
	if s.deps.Suppliers == nil {
		return
	}
	go func() {
		list, err := s.deps.Suppliers.SupplierCatalog(context.Background(), s.issuer)
		fyne.Do(func() {
			if err != nil {
				s.say(domain.UserMessage(err), true)
				return
			}
			s.suppliers = list
			s.supSelected = -1
			s.supTable.Refresh()
		})
	}()
}

// showSupplier edits p (ID 0: a new one) in a form.
func (s *Screen) showSupplier(p inv.Supplier) {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	entry := func(v string) *widget.Entry { e := widget.NewEntry(); e.SetText(v); return e }
	rfc, name, reg, cp := entry(p.RFC), entry(p.Name), entry(p.Regimen), entry(p.CodigoPostal)
	contact, email, phone, days := entry(p.Contact), entry(p.Email), entry(p.Phone), entry(strconv.Itoa(p.CreditDays))
	active := widget.NewCheck(lang.L("Activo"), nil)
	active.SetChecked(p.Active)
	items := []*widget.FormItem{
		{Text: lang.L("RFC"), Widget: rfc}, {Text: lang.L("Nombre o razón social"), Widget: name},
		{Text: lang.L("Régimen fiscal"), Widget: reg, HintText: lang.L("Clave del SAT; p. ej. 601")},
		{Text: lang.L("Código postal"), Widget: cp}, {Text: lang.L("Contacto"), Widget: contact},
		{Text: lang.L("Correo"), Widget: email}, {Text: lang.L("Teléfono"), Widget: phone},
		{Text: lang.L("Días de crédito"), Widget: days}, {Text: "", Widget: active},
	}
	dialog.ShowForm(lang.L("Proveedor"), lang.L("Guardar"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		p.RFC, p.Name, p.Regimen, p.CodigoPostal = rfc.Text, name.Text, reg.Text, cp.Text
		p.Contact, p.Email, p.Phone, p.Active = contact.Text, email.Text, phone.Text, active.Checked
		n, err := strconv.Atoi(strings.TrimSpace(days.Text))
		if err != nil && strings.TrimSpace(days.Text) != "" {
			s.say(lang.L("Los días de crédito no son un número entero."), true)
			return
		}
		p.CreditDays = n
		s.run(lang.L("Proveedor guardado."), func(ctx context.Context) error { return s.deps.Service.SaveSupplier(ctx, &p) })
	}, w)
}

// showPurchase records goods received from a supplier into a warehouse:
// one product per purchase in this form (the domain takes several).
func (s *Screen) showPurchase() {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	names := make([]string, len(s.suppliers))
	for i, p := range s.suppliers {
		names[i] = p.Name + " (" + p.RFC + ")"
	}
	sup := widgets.NewSelect(names, nil)
	if s.supSelected >= 0 && s.supSelected < len(names) {
		sup.SetSelectedIndex(s.supSelected)
	}
	wh := s.warehouseSelect()
	ref, code, qty, cost := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	items := []*widget.FormItem{
		{Text: lang.L("Proveedor"), Widget: sup}, {Text: lang.L("Bodega"), Widget: wh},
		{Text: lang.L("Referencia"), Widget: ref, HintText: lang.L("Folio de la factura o remisión del proveedor")},
		{Text: lang.L("Código del producto"), Widget: code}, {Text: lang.L("Cantidad"), Widget: qty},
		{Text: lang.L("Costo unitario"), Widget: cost},
	}
	dialog.ShowForm(lang.L("Registrar compra"), lang.L("Guardar"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		var supID int64
		if i := sup.SelectedIndex(); i >= 0 {
			supID = s.suppliers[i].ID
		}
		whID, reference := s.selected(wh), ref.Text
		s.run(lang.L("Compra registrada."), func(ctx context.Context) error {
			p, err := s.product(ctx, code.Text)
			if err != nil {
				return err
			}
			q, err := number(qty.Text)
			if err != nil {
				return err
			}
			c, err := number(cost.Text)
			if err != nil {
				return err
			}
			return s.deps.Service.Receive(ctx, &inv.Purchase{Issuer: s.issuer, SupplierID: supID, WarehouseID: whID,
				Reference: reference, Lines: []inv.PurchaseLine{{ProductID: p.ID, Qty: q, UnitCost: c}}})
		})
	}, w)
}
