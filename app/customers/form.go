package customers

import (
	"context"
	"errors"
	"strconv"
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

// picker is a Select over catalog entries ("key — description"), with an
// optional empty first option.
type picker struct {
	*widget.Select
	keys []string
}

func newPicker(entries []sat.Entry, empty string, selected string) picker {
	p := picker{}
	var opts []string
	if empty != "" {
		opts, p.keys = append(opts, empty), append(p.keys, "")
	}
	for _, e := range entries {
		opts, p.keys = append(opts, e.Key+" — "+e.Description), append(p.keys, e.Key)
	}
	p.Select = widget.NewSelect(opts, nil)
	for i, k := range p.keys {
		if k == selected && (k != "" || empty != "") {
			p.SetSelectedIndex(i)
		}
	}
	return p
}

func (p picker) key() string {
	if i := p.SelectedIndex(); i >= 0 && i < len(p.keys) {
		return p.keys[i]
	}
	return ""
}

// CustomerForm creates or edits one customer. Create it with
// NewCustomerForm; its methods run on the UI goroutine.
type CustomerForm struct {
	widget.BaseWidget

	store Store
	rules Rules

	// OnSaved is called on the UI goroutine with the stored customer.
	OnSaved func(*sales.Customer)
	// OnCancel, when set before the form is shown, adds a "Cancelar" button.
	OnCancel func()

	initial sales.Customer

	rfc, name, cp, emails, creditDays, creditLimit, retIVA, retISR, pais, numReg *widget.Entry
	notes                                                                        *widget.Entry
	regimen, uso, forma, metodo                                                  picker
	form                                                                         *widget.Form
	saver                                                                        *widgets.FormSaver[sales.Customer]
}

// NewCustomerForm returns a form filled with initial (nil: a new, active
// customer).
func NewCustomerForm(store Store, rules Rules, initial *sales.Customer) *CustomerForm {
	f := &CustomerForm{store: store, rules: rules, initial: sales.Customer{Active: true}}
	if initial != nil {
		f.initial = *initial
	}
	c := &f.initial
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.SetText(text)
		return e
	}
	amount := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	f.rfc = entry(c.RFC, "EKU9003173C9")
	f.name = entry(c.Name, lang.L("Como aparece en la constancia de situación fiscal"))
	f.cp = entry(c.CodigoPostal, "06300")
	f.emails = entry(strings.Join(c.Emails, ", "), "compras@empresa.mx, pagos@empresa.mx")
	f.creditDays = entry(strconv.Itoa(c.CreditDays), "0")
	f.creditLimit = entry(amount(c.CreditLimit), "0.00")
	f.retIVA = entry(amount(c.RetencionIVA), "0.106667")
	f.retISR = entry(amount(c.RetencionISR), "0.10")
	f.pais = entry(c.Pais, "USA")
	f.numReg = entry(c.NumRegIdTrib, "")
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetText(c.Notes)
	f.regimen = newPicker(rules.List(sat.RegimenFiscal), "", c.RegimenFiscal)
	f.uso = newPicker(rules.List(sat.UsoCFDI), "", c.UsoCFDI)
	f.forma = newPicker(rules.List(sat.FormaPago), lang.L("Sin forma de pago habitual"), c.FormaPago)
	f.metodo = newPicker([]sat.Entry{{Key: "PUE", Description: lang.L("Pago en una sola exhibición")},
		{Key: "PPD", Description: lang.L("Pago en parcialidades o diferido")}}, lang.L("Sin método habitual"), c.MetodoPago)

	f.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: lang.L("RFC"), Widget: f.rfc, HintText: lang.L("XAXX010101000 para público en general; XEXX010101000 para extranjeros")},
			{Text: lang.L("Nombre"), Widget: f.name},
			{Text: lang.L("Régimen fiscal"), Widget: f.regimen.Select},
			{Text: lang.L("Código postal"), Widget: f.cp},
			{Text: lang.L("Uso del CFDI"), Widget: f.uso.Select},
			{Text: lang.L("Forma de pago"), Widget: f.forma.Select},
			{Text: lang.L("Método de pago"), Widget: f.metodo.Select},
			{Text: lang.L("Correos"), Widget: f.emails, HintText: lang.L("Separados por comas")},
			{Text: lang.L("Días de crédito"), Widget: f.creditDays},
			{Text: lang.L("Límite de crédito"), Widget: f.creditLimit},
			{Text: lang.L("Retención de IVA"), Widget: f.retIVA, HintText: lang.L("Tasa, p. ej. 0.106667 (dos terceras partes)")},
			{Text: lang.L("Retención de ISR"), Widget: f.retISR, HintText: lang.L("Tasa, p. ej. 0.10")},
			{Text: lang.L("País (extranjero)"), Widget: f.pais},
			{Text: lang.L("Registro tributario (extranjero)"), Widget: f.numReg},
			{Text: lang.L("Notas"), Widget: f.notes},
		},
		SubmitText: lang.L("Guardar"),
		CancelText: lang.L("Cancelar"),
	}
	f.saver = widgets.NewFormSaver(f.form, f.customer, f.save, f.saved)
	f.form.OnSubmit = f.saver.Submit
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the form with the validation or save result below.
func (f *CustomerForm) CreateRenderer() fyne.WidgetRenderer {
	f.form.OnCancel = f.OnCancel
	f.form.Refresh()
	return widget.NewSimpleRenderer(container.NewVBox(f.form, f.saver.Message))
}

// customer returns what the form holds, normalised; numbers that do not
// parse are reported as Invalid errors.
func (f *CustomerForm) customer() (*sales.Customer, error) {
	c := f.initial
	c.RFC, c.Name, c.CodigoPostal = f.rfc.Text, f.name.Text, f.cp.Text
	c.RegimenFiscal, c.UsoCFDI, c.FormaPago, c.MetodoPago = f.regimen.key(), f.uso.key(), f.forma.key(), f.metodo.key()
	c.Emails = strings.Split(f.emails.Text, ",")
	c.Pais, c.NumRegIdTrib, c.Notes = f.pais.Text, f.numReg.Text, f.notes.Text
	var errs []error
	bad := func(msg string) { errs = append(errs, domain.E(domain.Invalid, "customer form", msg, nil)) }
	num := func(text string, msg string) decimal.Decimal {
		text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
		if text == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(text)
		if err != nil {
			bad(msg)
		}
		return d
	}
	if t := strings.TrimSpace(f.creditDays.Text); t == "" {
		c.CreditDays = 0
	} else if n, err := strconv.Atoi(t); err != nil {
		bad(lang.L("Los días de crédito deben ser un número entero."))
	} else {
		c.CreditDays = n
	}
	c.CreditLimit = num(f.creditLimit.Text, lang.L("El límite de crédito no es un importe."))
	c.RetencionIVA = num(f.retIVA.Text, lang.L("La retención de IVA no es una tasa."))
	c.RetencionISR = num(f.retISR.Text, lang.L("La retención de ISR no es una tasa."))
	c.Normalize()
	return &c, errors.Join(errs...)
}

// saved records c as the form's new starting point, says so and
// calls OnSaved.
func (f *CustomerForm) saved(c *sales.Customer) {
	f.initial = *c
	f.saver.Show(lang.L("Cliente guardado."))
	if f.OnSaved != nil {
		f.OnSaved(c)
	}
}

// save validates c against SAT's rules and stores it; synchronous and
// UI-free. The form's saver runs it off the UI goroutine, as catalog
// lookups may be slow the first time.
func (f *CustomerForm) save(ctx context.Context, c *sales.Customer) error {
	if err := c.Validate(f.rules); err != nil {
		return err
	}
	if c.ID == 0 {
		return f.store.CreateCustomer(ctx, c)
	}
	return f.store.UpdateCustomer(ctx, c)
}
