package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
)

// AdminPanel is the "Administrador" tab: sets or changes the
// installation's administrator password, which overriding the folio
// proposed for a document asks for. The entries are cleared after every
// attempt; the password is never kept by the screen.
type AdminPanel struct {
	widget.BaseWidget

	secrets AdminSecrets
	has     bool
	busy    bool

	status                *widget.Label
	current, next, repeat *widget.Entry
	form                  *widget.Form
	save                  *widget.Button
	message               *widget.Label
}

// NewAdminPanel returns the tab; Reload fills it.
func NewAdminPanel(secrets AdminSecrets) *AdminPanel {
	p := &AdminPanel{secrets: secrets}
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.current, p.next, p.repeat = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	p.next.SetPlaceHolder(lang.L("Al menos 8 caracteres"))
	p.form = widget.NewForm(
		widget.NewFormItem(lang.L("Contraseña actual"), p.current),
		widget.NewFormItem(lang.L("Contraseña nueva"), p.next),
		widget.NewFormItem(lang.L("Repita la contraseña"), p.repeat),
	)
	p.save = widget.NewButtonWithIcon(lang.L("Guardar"), theme.DocumentSaveIcon(), p.Save)
	p.save.Importance = widget.HighImportance
	p.setEnabled(false)
	p.message = newMessage()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the status, the form and the result.
func (p *AdminPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(container.NewVBox(
		heading(lang.L("Contraseña de administrador")), p.status, p.form, container.NewHBox(p.save), p.message)))
}

// load reports whether an administrator password is set.
func (p *AdminPanel) load(ctx context.Context) (bool, error) { return p.secrets.HasAdminPassword(ctx) }

// Reload reads the state off the UI goroutine and shows it.
func (p *AdminPanel) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		has, err := p.load(ctx)
		fyne.Do(func() { p.apply(has, err) })
	}()
}

// apply shows the state on the UI goroutine.
func (p *AdminPanel) apply(has bool, err error) {
	if err != nil {
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	p.has = has
	if has {
		p.status.SetText(lang.L("Hay una contraseña de administrador. Se pide para cambiar el folio propuesto de un documento."))
	} else {
		p.status.SetText(lang.L("No hay contraseña de administrador: nadie puede cambiar el folio propuesto de un documento. Establézcala aquí."))
	}
	p.setEnabled(true)
	enable(p.current, has)
}

// setEnabled enables or disables every input of the tab.
func (p *AdminPanel) setEnabled(on bool) {
	for _, w := range []fyne.Disableable{p.current, p.next, p.repeat, p.save} {
		enable(w, on)
	}
}

// Save checks that both new entries agree and stores the password off the
// UI goroutine.
func (p *AdminPanel) Save() {
	if p.busy {
		return
	}
	if p.next.Text != p.repeat.Text {
		showMessage(p.message, widget.DangerImportance, lang.L("Las contraseñas nuevas no coinciden."))
		p.repeat.SetText("")
		return
	}
	current, next := p.current.Text, p.next.Text
	p.busy = true
	p.setEnabled(false)
	showMessage(p.message, widget.MediumImportance, lang.L("Guardando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := p.secrets.SetAdminPassword(ctx, current, next)
		fyne.Do(func() {
			p.busy = false
			p.current.SetText("")
			p.next.SetText("")
			p.repeat.SetText("")
			if err != nil {
				p.apply(p.has, nil)
				showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.apply(true, nil)
			showMessage(p.message, widget.SuccessImportance, lang.L("Contraseña de administrador guardada."))
		})
	}()
}
