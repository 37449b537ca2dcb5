package company

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// storeTimeout bounds one store call made by these screens.
const storeTimeout = 30 * time.Second

// Form captures the issuing company's profile: RFC, razón social, régimen
// fiscal and the postal code of the place of issue (LugarExpedicion). Fields
// are checked as the user types; on "Guardar" the whole profile is checked
// with sales.Company.Validate and stored, both off the UI goroutine.
type Form struct {
	widget.BaseWidget

	store Store
	rules Rules

	// OnSaved is called on the UI goroutine with the stored company.
	OnSaved func(*sales.Company)
	// OnCancel, when set before the form is shown, adds a "Cancelar" button.
	OnCancel func()

	initial   sales.Company
	regimenes []sat.Entry // options of the régimen select, from c_RegimenFiscal

	rfc     *widget.Entry
	nombre  *widget.Entry
	regimen *widget.Select
	cp      *widget.Entry
	form    *widget.Form
	message *widget.Label
	saving  bool
}

// NewForm returns a form filled with initial (nil for a new company).
func NewForm(store Store, rules Rules, initial *sales.Company) *Form {
	f := &Form{store: store, rules: rules}
	if initial != nil {
		f.initial = *initial
	}

	f.rfc = widget.NewEntry()
	f.rfc.SetPlaceHolder("EKU9003173C9")
	f.rfc.Validator = func(s string) error { return userError(validateRFC(normalizeRFC(s))) }
	f.rfc.SetText(f.initial.RFC)

	f.nombre = widget.NewEntry()
	f.nombre.SetPlaceHolder(lang.L("Como aparece en la constancia de situación fiscal"))
	f.nombre.Validator = func(s string) error { return userError(validateNombre(s)) }
	f.nombre.SetText(f.initial.Nombre)

	f.regimenes = rules.List(sat.RegimenFiscal)
	opts := make([]string, len(f.regimenes))
	for i, e := range f.regimenes {
		opts[i] = e.Key + " — " + e.Description
	}
	f.regimen = widget.NewSelect(opts, nil)
	f.regimen.PlaceHolder = lang.L("Elija el régimen")
	for i, e := range f.regimenes {
		if e.Key == f.initial.RegimenFiscal {
			f.regimen.SetSelectedIndex(i)
		}
	}

	f.cp = widget.NewEntry()
	f.cp.SetPlaceHolder("06300")
	f.cp.Validator = func(s string) error { return userError(validateCP(strings.TrimSpace(s))) }
	f.cp.SetText(f.initial.LugarExpedicion)

	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()

	f.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: lang.L("RFC"), Widget: f.rfc, HintText: lang.L("12 caracteres (persona moral) o 13 (persona física)")},
			{Text: lang.L("Razón social"), Widget: f.nombre},
			{Text: lang.L("Régimen fiscal"), Widget: f.regimen},
			{Text: lang.L("C.P. de expedición"), Widget: f.cp, HintText: lang.L("Código postal del lugar de expedición")},
		},
		SubmitText: lang.L("Guardar"),
		CancelText: lang.L("Cancelar"),
	}
	f.form.OnSubmit = f.submit
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the form with the save result below it.
func (f *Form) CreateRenderer() fyne.WidgetRenderer {
	f.form.OnCancel = f.OnCancel
	f.form.Refresh()
	return widget.NewSimpleRenderer(container.NewVBox(f.form, f.message))
}

// selectedRegimen returns the key of the chosen régimen, "" if none.
func (f *Form) selectedRegimen() string {
	i := f.regimen.SelectedIndex()
	if i < 0 || i >= len(f.regimenes) {
		return ""
	}
	return f.regimenes[i].Key
}

// company returns the profile typed in the form, normalised, keeping the ID,
// Demo flag and CreatedAt of the initial one.
func (f *Form) company() *sales.Company {
	c := f.initial
	c.RFC = f.rfc.Text
	c.Nombre = f.nombre.Text
	c.RegimenFiscal = f.selectedRegimen()
	c.LugarExpedicion = f.cp.Text
	c.Normalize()
	return &c
}

// submit validates and saves off the UI goroutine; the form is disabled
// meanwhile.
func (f *Form) submit() {
	if f.saving {
		return
	}
	c := f.company()
	f.saving = true
	f.form.Disable()
	f.showInfo(lang.L("Guardando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := f.save(ctx, c)
		fyne.Do(func() { f.saved(c, err) })
	}()
}

// save checks c against the SAT rules and stores it. It touches no widget.
func (f *Form) save(ctx context.Context, c *sales.Company) error {
	if err := c.Validate(f.rules); err != nil {
		return err
	}
	return f.store.SaveCompany(ctx, c)
}

// saved shows the outcome of save on the UI goroutine.
func (f *Form) saved(c *sales.Company, err error) {
	f.saving = false
	f.form.Enable()
	if err != nil {
		fields := sales.FieldErrors(err)
		for field, e := range map[string]*widget.Entry{"RFC": f.rfc, "Nombre": f.nombre, "LugarExpedicion": f.cp} {
			if msg, ok := fields[field]; ok {
				e.SetValidationError(errors.New(msg))
			}
		}
		f.message.Importance = widget.DangerImportance
		f.message.SetText(domain.UserMessage(err))
		f.message.Show()
		return
	}
	f.message.Hide()
	if f.OnSaved != nil {
		f.OnSaved(c)
	}
}

func (f *Form) showInfo(text string) {
	f.message.Importance = widget.MediumImportance
	f.message.SetText(text)
	f.message.Show()
}

// normalizeRFC upper-cases and trims what the user typed.
func normalizeRFC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// validateRFC accepts the RFC of a persona física or moral (sat.ClassifyRFC);
// the generic RFCs of Anexo 20 are for receptors, never for an issuer.
func validateRFC(rfc string) error {
	kind, err := sat.ClassifyRFC(rfc)
	if err != nil {
		return err
	}
	if kind != sat.RFCFisica && kind != sat.RFCMoral {
		return domain.E(domain.Invalid, "company.validate", lang.L("Un RFC genérico no puede emitir facturas; escriba el RFC de la empresa."), nil)
	}
	return nil
}

func validateNombre(s string) error {
	if strings.TrimSpace(s) == "" {
		return domain.E(domain.Invalid, "company.validate", lang.L("Escriba la razón social como aparece en la constancia de situación fiscal."), nil)
	}
	return nil
}

// validateCP checks the shape of a postal code while typing (c_CodigoPostal
// keys are five digits); whether it exists is checked on save.
func validateCP(cp string) error {
	ok := len(cp) == 5
	for _, r := range cp {
		ok = ok && r >= '0' && r <= '9'
	}
	if !ok {
		return domain.E(domain.Invalid, "company.validate", lang.L("El código postal debe tener 5 dígitos."), nil)
	}
	return nil
}

// userError turns a domain error into the plain error a Fyne validator shows.
func userError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(domain.UserMessage(err))
}
