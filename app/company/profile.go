package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Profile is the "Empresa" screen: the active company's fiscal data, with an
// "Editar" button that opens the Form in a dialog (not for the demo company,
// whose data must match SAT's test certificate).
type Profile struct {
	widget.BaseWidget

	store Store
	rules Rules

	// OnChanged is called on the UI goroutine after the company was edited.
	OnChanged func(*sales.Company)

	company *sales.Company

	rfc, nombre, regimen, cp, mode *widget.Label
	status                         *widget.Label
	edit                           *widget.Button
	view                           fyne.CanvasObject
	form                           *Form // the form opened last
}

// NewProfile returns the screen; Reload fills it.
func NewProfile(store Store, rules Rules) *Profile {
	p := &Profile{store: store, rules: rules}
	p.rfc, p.nombre, p.regimen, p.cp, p.mode = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	p.mode.Wrapping = fyne.TextWrapWord
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.edit = widget.NewButtonWithIcon(lang.L("Editar"), theme.DocumentCreateIcon(), p.startEdit)
	p.edit.Disable()

	form := container.New(layout.NewFormLayout(),
		bold(lang.L("RFC")), p.rfc,
		bold(lang.L("Razón social")), p.nombre,
		bold(lang.L("Régimen fiscal")), p.regimen,
		bold(lang.L("C.P. de expedición")), p.cp,
		bold(lang.L("Modo")), p.mode,
	)
	heading := widget.NewLabelWithStyle(lang.L("Empresa"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	p.view = container.NewVBox(heading, form, container.NewHBox(p.edit), p.status)
	p.ExtendBaseWidget(p)
	return p
}

func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

// CreateRenderer shows the profile in a scrollable page.
func (p *Profile) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewPadded(p.view)))
}

// load reads the active company.
func (p *Profile) load(ctx context.Context) (*sales.Company, error) {
	return p.store.ActiveCompany(ctx)
}

// Reload reads the active company off the UI goroutine and shows it.
func (p *Profile) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		c, err := p.load(ctx)
		fyne.Do(func() { p.apply(c, err) })
	}()
}

// apply shows c (or err) on the UI goroutine.
func (p *Profile) apply(c *sales.Company, err error) {
	if err != nil {
		p.status.Importance = widget.DangerImportance
		p.status.SetText(domain.UserMessage(err))
		p.edit.Disable()
		return
	}
	p.company = c
	p.status.SetText("")
	p.rfc.SetText(c.RFC)
	p.nombre.SetText(c.Nombre)
	p.regimen.SetText(p.regimenText(c.RegimenFiscal))
	p.cp.SetText(c.LugarExpedicion)
	if c.Demo {
		p.mode.SetText(lang.L("Demostración: certificado de prueba del SAT, sin validez fiscal; timbra el simulador de PAC local."))
		p.edit.Disable()
	} else {
		p.mode.SetText(lang.L("Producción"))
		p.edit.Enable()
	}
}

// regimenText returns "601 — General de Ley Personas Morales" for "601".
func (p *Profile) regimenText(key string) string {
	for _, e := range p.rules.List(sat.RegimenFiscal) {
		if e.Key == key {
			return e.Key + " — " + e.Description
		}
	}
	return key
}

// startEdit opens the company form in a dialog.
func (p *Profile) startEdit() {
	w := widgets.WindowOf(p)
	if p.company == nil || p.company.Demo || w == nil {
		return
	}
	p.form = NewForm(w, lang.L("Datos fiscales de la empresa"), p.store, p.rules, p.company)
	p.form.OnSaved = func(c *sales.Company) {
		p.apply(c, nil)
		p.status.Importance = widget.SuccessImportance
		p.status.SetText(lang.L("Datos guardados."))
		if p.OnChanged != nil {
			p.OnChanged(c)
		}
	}
	p.form.Show()
}
