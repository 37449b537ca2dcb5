package customers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// picker is a Select over catalog entries ("key — description"), with an
// optional empty first option.
type picker struct {
	*widgets.FormSelect
	keys []string
}

func newPicker(entries []sat.Entry, empty, placeholder, selected string) picker {
	p := picker{}
	var opts []string
	if empty != "" {
		opts, p.keys = append(opts, empty), append(p.keys, "")
	}
	for _, e := range entries {
		opts, p.keys = append(opts, e.Key+" — "+e.Description), append(p.keys, e.Key)
	}
	p.FormSelect = widgets.NewFormSelect(opts, nil)
	if placeholder != "" {
		p.PlaceHolder = placeholder
	}
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

// CustomerForm creates or edits one customer in a form dialog (see
// widgets.FormDialog): each SAT problem is shown under its field, examples
// are in the hint lines, never in the entries. Create it with
// NewCustomerForm and call Show; its methods run on the UI goroutine.
type CustomerForm struct {
	store Store
	rules Rules

	// OnSaved is called on the UI goroutine with the stored customer, after
	// the dialog closed.
	OnSaved func(*sales.Customer)

	initial sales.Customer

	rfc, name, cp, emails, creditDays, creditLimit, retIVA, retISR, pais, numReg *widgets.FormEntry
	notes                                                                        *widgets.FormEntry
	regimen, uso, forma, metodo                                                  picker
	dialog                                                                       *widgets.FormDialog[sales.Customer]
}

// NewCustomerForm returns the dialog on win, filled with initial (nil: a
// new, active customer), not shown yet.
func NewCustomerForm(win fyne.Window, store Store, rules Rules, initial *sales.Customer) *CustomerForm {
	f := &CustomerForm{store: store, rules: rules, initial: sales.Customer{Active: true}}
	if initial != nil {
		f.initial = *initial
	}
	c := &f.initial
	entry := func(text string) *widgets.FormEntry {
		e := widgets.NewFormEntry()
		e.SetText(text)
		return e
	}
	amount := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	f.rfc = entry(c.RFC)
	f.name = entry(c.Name)
	f.cp = entry(c.CodigoPostal)
	f.emails = entry(strings.Join(c.Emails, ", "))
	days := ""
	if c.CreditDays != 0 {
		days = strconv.Itoa(c.CreditDays)
	}
	f.creditDays = entry(days)
	f.creditLimit = entry(amount(c.CreditLimit))
	f.retIVA = entry(amount(c.RetencionIVA))
	f.retISR = entry(amount(c.RetencionISR))
	f.pais = entry(c.Pais)
	f.numReg = entry(c.NumRegIdTrib)
	f.notes = widgets.NewFormMultiLineEntry()
	f.notes.SetText(c.Notes)
	f.regimen = newPicker(rules.List(sat.RegimenFiscal), "", lang.L("Elija el régimen"), c.RegimenFiscal)
	f.uso = newPicker(rules.List(sat.UsoCFDI), "", lang.L("Elija el uso del CFDI"), c.UsoCFDI)
	f.forma = newPicker(rules.List(sat.FormaPago), lang.L("Sin forma de pago habitual"), "", c.FormaPago)
	f.metodo = newPicker([]sat.Entry{{Key: "PUE", Description: lang.L("Pago en una sola exhibición")},
		{Key: "PPD", Description: lang.L("Pago en parcialidades o diferido")}}, lang.L("Sin método habitual"), "", c.MetodoPago)

	title := lang.L("Nuevo cliente")
	if c.ID != 0 {
		title = lang.L("Editar cliente")
	}
	f.dialog = widgets.NewFormDialog(win, widgets.FormDialogConfig[sales.Customer]{
		Title: title,
		Fields: []*widgets.Field{
			{Key: "RFC", Label: lang.L("RFC"), Input: f.rfc, Hint: lang.L("XAXX010101000 para público en general; XEXX010101000 para extranjeros")},
			{Key: "Name", Label: lang.L("Nombre"), Input: f.name, Hint: lang.L("Como aparece en la constancia de situación fiscal")},
			{Key: "RegimenFiscal", Label: lang.L("Régimen fiscal"), Input: f.regimen.FormSelect},
			{Key: "CodigoPostal", Label: lang.L("Código postal"), Input: f.cp, Hint: lang.L("Del domicilio fiscal, cinco dígitos; p. ej. 06300")},
			{Key: "UsoCFDI", Label: lang.L("Uso del CFDI"), Input: f.uso.FormSelect},
			{Key: "FormaPago", Label: lang.L("Forma de pago"), Input: f.forma.FormSelect},
			{Key: "MetodoPago", Label: lang.L("Método de pago"), Input: f.metodo.FormSelect},
			{Key: "Emails", Label: lang.L("Correos"), Input: f.emails, Hint: lang.L("Separados por comas; p. ej. compras@empresa.mx, pagos@empresa.mx")},
			{Key: "CreditDays", Label: lang.L("Días de crédito"), Input: f.creditDays, Hint: lang.L("Vacío o 0: solo de contado")},
			{Key: "CreditLimit", Label: lang.L("Límite de crédito"), Input: f.creditLimit, Hint: lang.L("Importe en pesos; vacío o 0: sin límite")},
			{Key: "RetencionIVA", Label: lang.L("Retención de IVA"), Input: f.retIVA, Hint: lang.L("Tasa, p. ej. 0.106667 (dos terceras partes)")},
			{Key: "RetencionISR", Label: lang.L("Retención de ISR"), Input: f.retISR, Hint: lang.L("Tasa, p. ej. 0.10")},
			{Key: "Pais", Label: lang.L("País (extranjero)"), Input: f.pais, Hint: lang.L("Solo con XEXX010101000: clave de país del SAT, p. ej. USA")},
			{Key: "NumRegIdTrib", Label: lang.L("Registro tributario (extranjero)"), Input: f.numReg, Hint: lang.L("Solo con XEXX010101000")},
			{Key: "Notes", Label: lang.L("Notas"), Input: f.notes},
		},
		Build:    f.customer,
		Validate: func(c *sales.Customer) error { return c.Validate(f.rules) },
		Save:     f.save,
		OnSaved:  f.saved,
	})
	return f
}

// Show shows the dialog.
func (f *CustomerForm) Show() { f.dialog.Show() }

// Dialog returns the form's dialog.
func (f *CustomerForm) Dialog() *widgets.FormDialog[sales.Customer] { return f.dialog }

// customer returns what the form holds, normalised; numbers that do not
// parse are reported as FieldErrors of their fields.
func (f *CustomerForm) customer() (*sales.Customer, error) {
	c := f.initial
	c.RFC, c.Name, c.CodigoPostal = f.rfc.Text, f.name.Text, f.cp.Text
	c.RegimenFiscal, c.UsoCFDI, c.FormaPago, c.MetodoPago = f.regimen.key(), f.uso.key(), f.forma.key(), f.metodo.key()
	c.Emails = strings.Split(f.emails.Text, ",")
	c.Pais, c.NumRegIdTrib, c.Notes = f.pais.Text, f.numReg.Text, f.notes.Text
	var errs []error
	bad := func(field, msg string) {
		errs = append(errs, &sales.FieldError{Field: field, Err: domain.E(domain.Invalid, "customer form", msg, nil)})
	}
	num := func(field, text, msg string) decimal.Decimal {
		text = strings.ReplaceAll(strings.TrimSpace(text), ",", "")
		if text == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(text)
		if err != nil {
			bad(field, msg)
		}
		return d
	}
	if t := strings.TrimSpace(f.creditDays.Text); t == "" {
		c.CreditDays = 0
	} else if n, err := strconv.Atoi(t); err != nil {
		bad("CreditDays", lang.L("Los días de crédito deben ser un número entero."))
	} else {
		c.CreditDays = n
	}
	c.CreditLimit = num("CreditLimit", f.creditLimit.Text, lang.L("El límite de crédito no es un importe."))
	c.RetencionIVA = num("RetencionIVA", f.retIVA.Text, lang.L("La retención de IVA no es una tasa."))
	c.RetencionISR = num("RetencionISR", f.retISR.Text, lang.L("La retención de ISR no es una tasa."))
	c.Normalize()
	return &c, errors.Join(errs...)
}

// saved records c as the form's new starting point and calls OnSaved.
func (f *CustomerForm) saved(c *sales.Customer) {
	f.initial = *c
	if f.OnSaved != nil {
		f.OnSaved(c)
	}
}

// save stores a validated customer; synchronous and UI-free (the dialog
// runs it off the UI goroutine).
func (f *CustomerForm) save(ctx context.Context, c *sales.Customer) error {
	if c.ID == 0 {
		return f.store.CreateCustomer(ctx, c)
	}
	return f.store.UpdateCustomer(ctx, c)
}
