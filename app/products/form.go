package products

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
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

// ProductForm creates or edits one product. Create it with NewProductForm;
// its methods run on the UI goroutine.
type ProductForm struct {
	widget.BaseWidget

	store    Store
	rules    Rules
	catalogs Searcher

	// OnSaved is called on the UI goroutine with the stored product.
	OnSaved func(*sales.Product)
	// OnCancel, when set before the form is shown, adds a "Cancelar" button.
	OnCancel func()

	initial sales.Product
	objetos []sat.Entry

	code, description, unit, price, iepsValor, retIVA, retISR *widget.Entry
	prodServ, unidad                                          *widgets.CatalogPicker
	iva, ieps, objeto                                         *widget.Select
	stock                                                     *widget.Check
	form                                                      *widget.Form
	saver                                                     *widgets.FormSaver[sales.Product]
}

// NewProductForm returns a form filled with initial (nil: a new, active
// product at IVA 16 %, "02 Sí objeto de impuesto"). The SAT keys are picked
// by searching catalogs as the user types.
func NewProductForm(store Store, rules Rules, catalogs Searcher, initial *sales.Product) *ProductForm {
	f := &ProductForm{store: store, rules: rules, catalogs: catalogs, initial: sales.Product{Active: true, ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}}}
	if initial != nil {
		f.initial = *initial
	}
	p := &f.initial
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.SetText(text)
		return e
	}
	rate := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	f.code = entry(p.Code, "LAP-14")
	f.description = entry(p.Description, lang.L("Descripción que aparecerá en la factura"))
	f.unit = entry(p.Unit, lang.L("Pieza"))
	f.prodServ = widgets.NewCatalogPicker(catalogs, sat.ClaveProdServ, lang.L("Clave o descripción, p. ej. 43211503 o computadora"))
	f.prodServ.SetKey(p.ClaveProdServ)
	f.unidad = widgets.NewCatalogPicker(catalogs, sat.ClaveUnidad, lang.L("Clave o nombre, p. ej. H87 o pieza"))
	f.unidad.SetKey(p.ClaveUnidad)
	f.price = entry(rate(p.Price), "0.00")
	f.iepsValor = entry(rate(p.Taxes.IEPSValor), "0.265")
	f.retIVA = entry(rate(p.Taxes.RetIVA), "0.106667")
	f.retISR = entry(rate(p.Taxes.RetISR), "0.10")

	labels := make([]string, len(ivaOptions))
	for i, o := range ivaOptions {
		labels[i] = lang.L(o.label)
	}
	f.iva = widget.NewSelect(labels, nil)
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
	f.ieps = widget.NewSelect(labels, nil)
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
	f.objeto = widget.NewSelect(labels, nil)
	for i, e := range f.objetos {
		if e.Key == p.ObjetoImp {
			f.objeto.SetSelectedIndex(i)
		}
	}
	f.stock = widget.NewCheck(lang.L("Controlar existencias"), nil)
	f.stock.SetChecked(p.TrackStock)

	f.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: lang.L("Código"), Widget: f.code},
			{Text: lang.L("Descripción"), Widget: f.description},
			{Text: lang.L("Unidad"), Widget: f.unit},
			{Text: lang.L("Clave de producto o servicio"), Widget: f.prodServ, HintText: lang.L("Catálogo c_ClaveProdServ del SAT")},
			{Text: lang.L("Clave de unidad"), Widget: f.unidad, HintText: lang.L("Catálogo c_ClaveUnidad del SAT")},
			{Text: lang.L("Precio"), Widget: f.price, HintText: lang.L("Antes de impuestos, hasta seis decimales")},
			{Text: lang.L("Objeto de impuesto"), Widget: f.objeto},
			{Text: lang.L("IVA"), Widget: f.iva},
			{Text: lang.L("IEPS"), Widget: f.ieps},
			{Text: lang.L("Tasa o cuota de IEPS"), Widget: f.iepsValor},
			{Text: lang.L("Retención de IVA"), Widget: f.retIVA, HintText: lang.L("Tasa, p. ej. 0.106667 (dos terceras partes)")},
			{Text: lang.L("Retención de ISR"), Widget: f.retISR, HintText: lang.L("Tasa, p. ej. 0.10")},
			{Text: "", Widget: f.stock},
		},
		SubmitText: lang.L("Guardar"),
		CancelText: lang.L("Cancelar"),
	}
	f.saver = widgets.NewFormSaver(f.form, f.product, f.save, f.saved)
	f.form.OnSubmit = f.saver.Submit
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the form with the validation or save result below.
func (f *ProductForm) CreateRenderer() fyne.WidgetRenderer {
	f.form.OnCancel = f.OnCancel
	f.form.Refresh()
	return widget.NewSimpleRenderer(container.NewVBox(f.form, f.saver.Message))
}

// product returns what the form holds, normalised; numbers that do not
// parse are reported as Invalid errors.
func (f *ProductForm) product() (*sales.Product, error) {
	p := f.initial
	p.Code, p.Description, p.Unit = f.code.Text, f.description.Text, f.unit.Text
	p.ClaveProdServ, p.ClaveUnidad, p.TrackStock = f.prodServ.Key(), f.unidad.Key(), f.stock.Checked
	if i := f.objeto.SelectedIndex(); i >= 0 {
		p.ObjetoImp = f.objetos[i].Key
	}
	var errs []error
	num := func(text, msg string) decimal.Decimal {
		text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
		if text == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(text)
		if err != nil {
			errs = append(errs, domain.E(domain.Invalid, "product form", msg, nil))
		}
		return d
	}
	p.Price = num(f.price.Text, lang.L("El precio no es un importe."))
	t := sales.Taxes{}
	if i := f.iva.SelectedIndex(); i >= 0 {
		t.IVAExento, t.IVATasa = ivaOptions[i].exento, decimal.RequireFromString(ivaOptions[i].tasa)
	}
	if i := f.ieps.SelectedIndex(); i >= 0 {
		t.IEPSFactor = iepsOptions[i].factor
	}
	if t.IEPSFactor != "" {
		t.IEPSValor = num(f.iepsValor.Text, lang.L("La tasa o cuota de IEPS no es un número."))
	}
	t.RetIVA = num(f.retIVA.Text, lang.L("La retención de IVA no es una tasa."))
	t.RetISR = num(f.retISR.Text, lang.L("La retención de ISR no es una tasa."))
	if p.ObjetoImp != sales.ObjetoImpSi {
		t = sales.Taxes{} // only "02" breaks taxes down
	}
	p.Taxes = t
	p.Normalize()
	return &p, errors.Join(errs...)
}

// saved records p as the form's new starting point, says so and
// calls OnSaved.
func (f *ProductForm) saved(p *sales.Product) {
	f.initial = *p
	f.saver.Show(lang.L("Producto guardado."))
	if f.OnSaved != nil {
		f.OnSaved(p)
	}
}

// save validates p and stores it; synchronous and UI-free. The form's saver
// runs it off the UI goroutine, as catalog lookups may be slow the first
// time.
func (f *ProductForm) save(ctx context.Context, p *sales.Product) error {
	if err := p.Validate(f.rules); err != nil {
		return err
	}
	if p.ID == 0 {
		return f.store.CreateProduct(ctx, p)
	}
	return f.store.UpdateProduct(ctx, p)
}
