package products

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// IVA options of the form, in order: the key stored in Taxes.
var ivaOptions = []struct {
	label  string // Spanish source text
	exento bool
	tasa   string
}{{"IVA 16 %", false, "0.16"}, {"IVA 8 % (región fronteriza)", false, "0.08"}, {"IVA 0 %", false, "0"}, {"Exento de IVA", true, "0"}}

// iepsOptions are the IEPS factor choices: none, tasa or cuota.
var iepsOptions = []struct{ label, factor string }{{"Sin IEPS", ""}, {"IEPS tasa", sales.FactorTasa}, {"IEPS cuota", sales.FactorCuota}}

// ProductForm creates or edits one product in a form dialog (see
// widgets.FormDialog): each problem is shown under its field, examples are
// in the hint lines, never in the entries. Create it with NewProductForm
// and call Show; its methods run on the UI goroutine.
type ProductForm struct {
	store    Store
	rules    Rules
	catalogs Searcher

	// OnSaved is called on the UI goroutine with the stored product, after
	// the dialog closed.
	OnSaved func(*sales.Product)

	initial sales.Product
	objetos []sat.Entry

	code, description, unit, price, iepsValor, retIVA, retISR *widgets.FormEntry
	prodServ, unidad                                          *widgets.CatalogPicker
	iva, ieps, objeto                                         *widgets.FormSelect
	stock, withoutStock                                       *widgets.FormCheck
	minStock                                                  *widgets.FormEntry
	dialog                                                    *widgets.FormDialog[sales.Product]
}

// NewProductForm returns the dialog on win, filled with initial (nil: a
// new, active product at IVA 16 %, "02 Sí objeto de impuesto"), not shown
// yet. The SAT keys are picked by searching catalogs as the user types.
func NewProductForm(win fyne.Window, store Store, rules Rules, catalogs Searcher, initial *sales.Product) *ProductForm {
	f := &ProductForm{store: store, rules: rules, catalogs: catalogs, initial: sales.Product{Active: true, ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}}}
	if initial != nil {
		f.initial = *initial
	}
	p := &f.initial
	entry := func(text string) *widgets.FormEntry {
		e := widgets.NewFormEntry()
		e.SetText(text)
		return e
	}
	rate := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	f.code = entry(p.Code)
	f.description = entry(p.Description)
	f.unit = entry(p.Unit)
	f.prodServ = widgets.NewCatalogPicker(catalogs, sat.ClaveProdServ, lang.L("Buscar por clave o descripción"))
	f.prodServ.SetKey(p.ClaveProdServ)
	f.unidad = widgets.NewCatalogPicker(catalogs, sat.ClaveUnidad, lang.L("Buscar por clave o nombre"))
	f.unidad.SetKey(p.ClaveUnidad)
	f.price = entry(rate(p.Price))
	f.iepsValor = entry(rate(p.Taxes.IEPSValor))
	f.retIVA = entry(rate(p.Taxes.RetIVA))
	f.retISR = entry(rate(p.Taxes.RetISR))

	labels := make([]string, len(ivaOptions))
	for i, o := range ivaOptions {
		labels[i] = lang.L(o.label)
	}
	f.iva = widgets.NewFormSelect(labels, nil)
	for i, o := range ivaOptions {
		if o.exento == p.Taxes.IVAExento && (o.exento || p.Taxes.IVATasa.Equal(decimal.RequireFromString(o.tasa))) {
			f.iva.SetSelectedIndex(i)
			break
		}
	}
	labels = make([]string, len(iepsOptions))
	for i, o := range iepsOptions {
		labels[i] = lang.L(o.label)
	}
	f.ieps = widgets.NewFormSelect(labels, nil)
	for i, o := range iepsOptions {
		if o.factor == p.Taxes.IEPSFactor {
			f.ieps.SetSelectedIndex(i)
		}
	}
	f.objetos = rules.List(sat.ObjetoImp)
	labels = make([]string, len(f.objetos))
	for i, e := range f.objetos {
		labels[i] = e.Key + " — " + e.Description
	}
	f.objeto = widgets.NewFormSelect(labels, nil)
	for i, e := range f.objetos {
		if e.Key == p.ObjetoImp {
			f.objeto.SetSelectedIndex(i)
		}
	}
	f.stock = widgets.NewFormCheck(lang.L("Controlar existencias"), nil)
	f.stock.SetChecked(p.TrackStock)
	f.withoutStock = widgets.NewFormCheck(lang.L("Se puede vender sin existencia"), nil)
	f.withoutStock.SetChecked(p.SellWithoutStock)
	f.minStock = entry(rate(p.MinStock))

	title := lang.L("Nuevo producto")
	if p.ID != 0 {
		title = lang.L("Editar producto")
	}
	f.dialog = widgets.NewFormDialog(win, widgets.FormDialogConfig[sales.Product]{
		Title: title,
		Fields: []*widgets.Field{
			{Key: "Code", Label: lang.L("Código"), Input: f.code, Hint: lang.L("Su propia clave del producto; p. ej. LAP-14")},
			{Key: "Description", Label: lang.L("Descripción"), Input: f.description, Hint: lang.L("Como aparecerá en la factura")},
			{Key: "Unit", Label: lang.L("Unidad"), Input: f.unit, Hint: lang.L("Como la nombra usted; p. ej. Pieza o Servicio")},
			{Key: "ClaveProdServ", Label: lang.L("Clave de producto o servicio"), Input: f.prodServ, Hint: lang.L("Catálogo c_ClaveProdServ del SAT; p. ej. 43211503 o computadora")},
			{Key: "ClaveUnidad", Label: lang.L("Clave de unidad"), Input: f.unidad, Hint: lang.L("Catálogo c_ClaveUnidad del SAT; p. ej. H87 o pieza")},
			{Key: "Price", Label: lang.L("Precio"), Input: f.price, Hint: lang.L("Antes de impuestos, hasta seis decimales")},
			{Key: "ObjetoImp", Label: lang.L("Objeto de impuesto"), Input: f.objeto},
			{Key: "Taxes.IVATasa", Label: lang.L("IVA"), Input: f.iva},
			{Key: "Taxes.IEPSFactor", Label: lang.L("IEPS"), Input: f.ieps},
			{Key: "Taxes.IEPSValor", Label: lang.L("Tasa o cuota de IEPS"), Input: f.iepsValor, Hint: lang.L("Tasa, p. ej. 0.265, o cuota por unidad")},
			{Key: "Taxes.RetIVA", Label: lang.L("Retención de IVA"), Input: f.retIVA, Hint: lang.L("Tasa, p. ej. 0.106667 (dos terceras partes)")},
			{Key: "Taxes.RetISR", Label: lang.L("Retención de ISR"), Input: f.retISR, Hint: lang.L("Tasa, p. ej. 0.10")},
			{Key: "TrackStock", Label: "", Input: f.stock, Hint: lang.L("Cada factura descuenta lo que vende de su bodega (la principal si no se elige otra)")},
			{Key: "SellWithoutStock", Label: "", Input: f.withoutStock, Hint: lang.L("Si no, no se emite una factura que deje la existencia bajo cero")},
			{Key: "MinStock", Label: lang.L("Existencia mínima"), Input: f.minStock, Hint: lang.L("Por debajo de ella el producto aparece en «Por surtir»")},
		},
		Build:    f.product,
		Validate: func(p *sales.Product) error { return p.Validate(f.rules) },
		Save:     f.save,
		OnSaved:  f.saved,
	})
	return f
}

// Show shows the dialog.
func (f *ProductForm) Show() { f.dialog.Show() }

// Dialog returns the form's dialog.
func (f *ProductForm) Dialog() *widgets.FormDialog[sales.Product] { return f.dialog }

// product returns what the form holds, normalised; numbers that do not
// parse are reported as FieldErrors of their fields.
func (f *ProductForm) product() (*sales.Product, error) {
	p := f.initial
	p.Code, p.Description, p.Unit = f.code.Text, f.description.Text, f.unit.Text
	p.ClaveProdServ, p.ClaveUnidad, p.TrackStock = f.prodServ.Key(), f.unidad.Key(), f.stock.Checked
	p.SellWithoutStock = f.withoutStock.Checked
	if i := f.objeto.SelectedIndex(); i >= 0 {
		p.ObjetoImp = f.objetos[i].Key
	}
	var errs []error
	num := func(field, text, msg string) decimal.Decimal {
		text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
		if text == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(text)
		if err != nil {
			errs = append(errs, &sales.FieldError{Field: field, Err: domain.E(domain.Invalid, "product form", msg, nil)})
		}
		return d
	}
	p.Price = num("Price", f.price.Text, lang.L("El precio no es un importe."))
	p.MinStock = num("MinStock", f.minStock.Text, lang.L("La existencia mínima no es un número."))
	t := sales.Taxes{}
	if i := f.iva.SelectedIndex(); i >= 0 {
		t.IVAExento, t.IVATasa = ivaOptions[i].exento, decimal.RequireFromString(ivaOptions[i].tasa)
	}
	if i := f.ieps.SelectedIndex(); i >= 0 {
		t.IEPSFactor = iepsOptions[i].factor
	}
	if t.IEPSFactor != "" {
		t.IEPSValor = num("Taxes.IEPSValor", f.iepsValor.Text, lang.L("La tasa o cuota de IEPS no es un número."))
	}
	t.RetIVA = num("Taxes.RetIVA", f.retIVA.Text, lang.L("La retención de IVA no es una tasa."))
	t.RetISR = num("Taxes.RetISR", f.retISR.Text, lang.L("La retención de ISR no es una tasa."))
	if p.ObjetoImp != sales.ObjetoImpSi {
		t = sales.Taxes{} // only "02" breaks taxes down
	}
	p.Taxes = t
	p.Normalize()
	return &p, errors.Join(errs...)
}

// saved records p as the form's new starting point and calls OnSaved.
func (f *ProductForm) saved(p *sales.Product) {
	f.initial = *p
	if f.OnSaved != nil {
		f.OnSaved(p)
	}
}

// save stores a validated product; synchronous and UI-free (the dialog runs
// it off the UI goroutine).
func (f *ProductForm) save(ctx context.Context, p *sales.Product) error {
	if p.ID == 0 {
		return f.store.CreateProduct(ctx, p)
	}
	return f.store.UpdateProduct(ctx, p)
}
