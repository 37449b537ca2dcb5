package thirdparty

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// regimenPicker is a Select over c_RegimenFiscal ("key — description").
type regimenPicker struct {
	*widgets.FormSelect
	keys []string
}

func newRegimenPicker(entries []sat.Entry, selected string) regimenPicker {
	p := regimenPicker{}
	opts := make([]string, len(entries))
	for i, e := range entries {
		opts[i], p.keys = e.Key+" — "+e.Description, append(p.keys, e.Key)
	}
	p.FormSelect = widgets.NewFormSelect(opts, nil)
	p.PlaceHolder = lang.L("Elija el régimen")
	for i, k := range p.keys {
		if k == selected && k != "" {
			p.SetSelectedIndex(i)
		}
	}
	return p
}

func (p regimenPicker) key() string {
	if i := p.SelectedIndex(); i >= 0 && i < len(p.keys) {
		return p.keys[i]
	}
	return ""
}

// CatalogForm creates or edits one third party in a form dialog
// (widgets.FormDialog): each problem sales.ThirdParty.Validate finds is
// shown in Spanish under its field. Create it with NewCatalogForm and call
// Show; its methods run on the UI goroutine.
type CatalogForm struct {
	catalog Catalog
	rules   Rules

	// OnSaved is called on the UI goroutine with the stored third party.
	OnSaved func(*sales.ThirdParty)

	initial sales.ThirdParty

	RFC, Name, CP, Contact, Email, Phone, Bank, Account, Notes *widgets.FormEntry
	Regimen                                                    regimenPicker
	dialog                                                     *widgets.FormDialog[sales.ThirdParty]
}

// NewCatalogForm returns the dialog on win for issuer, filled with initial
// (nil: a new, active third party), not shown yet.
func NewCatalogForm(win fyne.Window, catalog Catalog, rules Rules, issuer string, initial *sales.ThirdParty) *CatalogForm {
	f := &CatalogForm{catalog: catalog, rules: rules, initial: sales.ThirdParty{Issuer: issuer, Active: true}}
	if initial != nil {
		f.initial = *initial
	}
	t := &f.initial
	entry := func(text string) *widgets.FormEntry {
		e := widgets.NewFormEntry()
		e.SetText(text)
		return e
	}
	f.RFC, f.Name, f.CP = entry(t.RFC), entry(t.Name), entry(t.CodigoPostal)
	f.Contact, f.Email, f.Phone = entry(t.Contact), entry(t.Email), entry(t.Phone)
	f.Bank, f.Account = entry(t.Bank), entry(t.BankAccount)
	f.Notes = widgets.NewFormMultiLineEntry()
	f.Notes.SetText(t.Notes)
	f.Regimen = newRegimenPicker(rules.List(sat.RegimenFiscal), t.RegimenFiscal)

	title := lang.L("Nuevo tercero")
	if t.ID != 0 {
		title = lang.L("Editar tercero")
	}
	f.dialog = widgets.NewFormDialog(win, widgets.FormDialogConfig[sales.ThirdParty]{
		Title: title,
		Intro: lang.L("Los datos fiscales van en el CFDI (nodo «A cuenta de terceros»): escríbalos como en la constancia de situación fiscal del tercero."),
		Fields: []*widgets.Field{
			{Key: "RFC", Label: lang.L("RFC"), Input: f.RFC, Hint: lang.L("12 caracteres (persona moral) o 13 (persona física); no use RFC genéricos")},
			{Key: "Name", Label: lang.L("Nombre"), Input: f.Name, Hint: lang.L("Como aparece en la constancia de situación fiscal")},
			{Key: "RegimenFiscal", Label: lang.L("Régimen fiscal"), Input: f.Regimen.FormSelect},
			{Key: "CodigoPostal", Label: lang.L("Código postal"), Input: f.CP, Hint: lang.L("Del domicilio fiscal, cinco dígitos; p. ej. 06300")},
			{Key: "Contact", Label: lang.L("Contacto"), Input: f.Contact},
			{Key: "Email", Label: lang.L("Correo"), Input: f.Email, Hint: lang.L("p. ej. pagos@tercero.mx")},
			{Key: "Phone", Label: lang.L("Teléfono"), Input: f.Phone},
			{Key: "Bank", Label: lang.L("Banco"), Input: f.Bank, Hint: lang.L("Donde se le paga lo cobrado por su cuenta")},
			{Key: "BankAccount", Label: lang.L("Cuenta o CLABE"), Input: f.Account, Hint: lang.L("Hasta 30 caracteres; p. ej. la CLABE de 18 dígitos")},
			{Key: "Notes", Label: lang.L("Notas"), Input: f.Notes},
		},
		Build:    f.thirdParty,
		Validate: func(t *sales.ThirdParty) error { return t.Validate(f.rules) },
		Save:     f.save,
		OnSaved:  f.saved,
	})
	return f
}

// Show shows the dialog.
func (f *CatalogForm) Show() { f.dialog.Show() }

// Dialog returns the form's dialog.
func (f *CatalogForm) Dialog() *widgets.FormDialog[sales.ThirdParty] { return f.dialog }

// thirdParty returns what the form holds, normalized.
func (f *CatalogForm) thirdParty() (*sales.ThirdParty, error) {
	t := f.initial
	t.RFC, t.Name, t.CodigoPostal, t.RegimenFiscal = f.RFC.Text, f.Name.Text, f.CP.Text, f.Regimen.key()
	t.Contact, t.Email, t.Phone = f.Contact.Text, f.Email.Text, f.Phone.Text
	t.Bank, t.BankAccount, t.Notes = f.Bank.Text, f.Account.Text, f.Notes.Text
	t.Normalize()
	return &t, nil
}

func (f *CatalogForm) saved(t *sales.ThirdParty) {
	f.initial = *t
	if f.OnSaved != nil {
		f.OnSaved(t)
	}
}

// save stores a validated third party; synchronous and UI-free.
func (f *CatalogForm) save(ctx context.Context, t *sales.ThirdParty) error {
	if t.ID == 0 {
		return f.catalog.Create(ctx, t)
	}
	return f.catalog.Update(ctx, t)
}
