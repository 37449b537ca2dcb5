package company

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// storeTimeout bounds one store call made by these screens.
const storeTimeout = 30 * time.Second

// Form captures the issuing company's profile in a form dialog (see
// widgets.FormDialog): RFC, razón social, régimen fiscal and the postal
// code of the place of issue (LugarExpedicion). On "Guardar" the profile is
// checked with sales.Company.Validate and stored, both off the UI
// goroutine; each problem shows under its field and clears once fixed.
// Create it with NewForm and call Show; its methods run on the UI
// goroutine.
type Form struct {
	store Store
	rules Rules

	// OnSaved is called on the UI goroutine with the stored company, after
	// the dialog closed.
	OnSaved func(*sales.Company)

	initial   sales.Company
	regimenes []sat.Entry // options of the régimen select, from c_RegimenFiscal

	rfc     *widgets.FormEntry
	nombre  *widgets.FormEntry
	regimen *widgets.FormSelect
	cp      *widgets.FormEntry
	dialog  *widgets.FormDialog[sales.Company]
}

// NewForm returns the dialog on win titled title, filled with initial (nil
// for a new company), not shown yet.
func NewForm(win fyne.Window, title string, store Store, rules Rules, initial *sales.Company) *Form {
	f := &Form{store: store, rules: rules}
	if initial != nil {
		f.initial = *initial
	}

	f.rfc = widgets.NewFormEntry()
	f.rfc.SetText(f.initial.RFC)
	f.nombre = widgets.NewFormEntry()
	f.nombre.SetText(f.initial.Nombre)

	f.regimenes = rules.List(sat.RegimenFiscal)
	opts := make([]string, len(f.regimenes))
	for i, e := range f.regimenes {
		opts[i] = e.Key + " — " + e.Description
	}
	f.regimen = widgets.NewFormSelect(opts, nil)
	f.regimen.PlaceHolder = lang.L("Elija el régimen")
	for i, e := range f.regimenes {
		if e.Key == f.initial.RegimenFiscal {
			f.regimen.SetSelectedIndex(i)
		}
	}

	f.cp = widgets.NewFormEntry()
	f.cp.SetText(f.initial.LugarExpedicion)

	f.dialog = widgets.NewFormDialog(win, widgets.FormDialogConfig[sales.Company]{
		Title: title,
		Fields: []*widgets.Field{
			{Key: "RFC", Label: lang.L("RFC"), Input: f.rfc, Hint: lang.L("12 caracteres (persona moral) o 13 (persona física)")},
			{Key: "Nombre", Label: lang.L("Razón social"), Input: f.nombre, Hint: lang.L("Como aparece en la constancia de situación fiscal")},
			{Key: "RegimenFiscal", Label: lang.L("Régimen fiscal"), Input: f.regimen},
			{Key: "LugarExpedicion", Label: lang.L("C.P. de expedición"), Input: f.cp, Hint: lang.L("Código postal del lugar de expedición, cinco dígitos; p. ej. 06300")},
		},
		Build:    f.company,
		Validate: func(c *sales.Company) error { return c.Validate(f.rules) },
		Save:     f.store.SaveCompany,
		OnSaved:  f.saved,
	})
	return f
}

// Show shows the dialog.
func (f *Form) Show() { f.dialog.Show() }

// Dialog returns the form's dialog.
func (f *Form) Dialog() *widgets.FormDialog[sales.Company] { return f.dialog }

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
func (f *Form) company() (*sales.Company, error) {
	c := f.initial
	c.RFC = f.rfc.Text
	c.Nombre = f.nombre.Text
	c.RegimenFiscal = f.selectedRegimen()
	c.LugarExpedicion = f.cp.Text
	c.Normalize()
	return &c, nil
}

// saved records c as the form's starting point and calls OnSaved.
func (f *Form) saved(c *sales.Company) {
	f.initial = *c
	if f.OnSaved != nil {
		f.OnSaved(c)
	}
}
