package inventory

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	inv "github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
)

// errText is a refusal of the form itself, before the domain is asked.
func errText(msg string) error { return domain.E(domain.Invalid, "stock form", msg, nil) }

// product finds the product whose code is typed (exactly).
func (s *Screen) product(ctx context.Context, code string) (sales.Product, error) {
	code = strings.TrimSpace(code)
	if s.deps.Products == nil || code == "" {
		return sales.Product{}, errText(lang.L("Escriba el código del producto."))
	}
	list, err := s.deps.Products(ctx, code)
	if err != nil {
		return sales.Product{}, err
	}
	for _, p := range list {
		if strings.EqualFold(p.Code, code) {
			return p, nil
		}
	}
	return sales.Product{}, errText(lang.L("No hay un producto con ese código."))
}

// warehouseSelect is a select of the company's warehouses.
func (s *Screen) warehouseSelect() *widget.Select {
	names := make([]string, len(s.warehouses))
	for i, w := range s.warehouses {
		names[i] = w.Name
	}
	sel := widgets.NewSelect(names, nil)
	if len(names) > 0 {
		sel.SetSelectedIndex(0)
	}
	return sel
}

func (s *Screen) selected(sel *widget.Select) int64 {
	if i := sel.SelectedIndex(); i >= 0 && i < len(s.warehouses) {
		return s.warehouses[i].ID
	}
	return 0
}

// number parses a typed quantity or cost.
func number(text string) (decimal.Decimal, error) {
	text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
	if text == "" {
		return decimal.Zero, nil
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return d, errText(lang.L("La cantidad o el costo no es un número."))
	}
	return d, nil
}

// run does work off the UI goroutine, then reports and reloads.
func (s *Screen) run(done string, work func(ctx context.Context) error) {
	go func() {
		err := work(context.Background())
		fyne.Do(func() {
			if err != nil {
				s.say(domain.UserMessage(err), true)
				return
			}
			s.say(done, false)
			s.Reload()
		})
	}()
}

// showAdjust asks for an adjustment: product, warehouse, quantity (negative
// to take out), unit cost of an entry and the reason.
func (s *Screen) showAdjust() {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	code, qty, cost, reason := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	wh := s.warehouseSelect()
	items := []*widget.FormItem{
		{Text: lang.L("Código del producto"), Widget: code},
		{Text: lang.L("Bodega"), Widget: wh},
		{Text: lang.L("Cantidad"), Widget: qty, HintText: lang.L("Positiva para una entrada, negativa para una salida")},
		{Text: lang.L("Costo unitario"), Widget: cost, HintText: lang.L("Solo para una entrada")},
		{Text: lang.L("Motivo"), Widget: reason, HintText: lang.L("Conteo físico, merma, daño…")},
	}
	dialog.ShowForm(lang.L("Ajuste de existencias"), lang.L("Guardar"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		whID, r := s.selected(wh), reason.Text
		s.run(lang.L("Ajuste registrado."), func(ctx context.Context) error {
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
			return s.deps.Service.Adjust(ctx, s.issuer, p.ID, whID, q, c, r)
		})
	}, w)
}

// showTransfer asks for a transfer between two warehouses.
func (s *Screen) showTransfer() {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	code, qty := widget.NewEntry(), widget.NewEntry()
	from, to := s.warehouseSelect(), s.warehouseSelect()
	if len(s.warehouses) > 1 {
		to.SetSelectedIndex(1)
	}
	items := []*widget.FormItem{
		{Text: lang.L("Código del producto"), Widget: code},
		{Text: lang.L("De la bodega"), Widget: from},
		{Text: lang.L("A la bodega"), Widget: to},
		{Text: lang.L("Cantidad"), Widget: qty},
	}
	dialog.ShowForm(lang.L("Traspaso entre bodegas"), lang.L("Guardar"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		src, dst := s.selected(from), s.selected(to)
		s.run(lang.L("Traspaso registrado."), func(ctx context.Context) error {
			p, err := s.product(ctx, code.Text)
			if err != nil {
				return err
			}
			q, err := number(qty.Text)
			if err != nil {
				return err
			}
			return s.deps.Service.Transfer(ctx, s.issuer, p.ID, src, dst, q)
		})
	}, w)
}

// showWarehouse asks for a new warehouse's name and whether it is the
// default one.
func (s *Screen) showWarehouse() {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	name := widget.NewEntry()
	def := widget.NewCheck(lang.L("Bodega principal (de ella salen las facturas)"), nil)
	items := []*widget.FormItem{{Text: lang.L("Nombre"), Widget: name}, {Text: "", Widget: def}}
	dialog.ShowForm(lang.L("Nueva bodega"), lang.L("Guardar"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		wh := inv.Warehouse{Issuer: s.issuer, Name: name.Text, Default: def.Checked, Active: true}
		s.run(lang.L("Bodega guardada."), func(ctx context.Context) error { return s.deps.Service.SaveWarehouse(ctx, &wh) })
	}, w)
}
