package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// PACPanelStore is what the PAC tab reads from the store: the active
// company; its account goes through PACSecrets.
type PACPanelStore interface {
	ActiveCompany(ctx context.Context) (*sales.Company, error)
}

// pacEnvironments are the environment options: value and translated
// label (a literal lang.L call, so the translation check sees it).
var pacEnvironments = []struct {
	env   sales.PACEnvironment
	label func() string
}{
	{sales.PACLocal, func() string { return lang.L("Local de demostración (sin validez fiscal)") }},
	{sales.PACPruebas, func() string { return lang.L("Pruebas del PAC") }},
	{sales.PACProduccion, func() string { return lang.L("Producción") }},
}

// PACPanel is the "PAC" tab: where the active company's invoices are
// stamped — the environment (local PAC of demo mode, the PAC's test or
// production service) and the account: user and password, or a long-lived
// token. Stored secrets are never shown: an empty password or token field
// keeps the stored one. "Probar conexión" tries what is typed through
// PACTester.
type PACPanel struct {
	widget.BaseWidget

	store   PACPanelStore
	secrets PACSecrets
	tester  PACTester

	company *sales.Company
	stored  sales.PACSettings // with secrets; never shown
	envs    []sales.PACEnvironment
	busy    bool

	env      *widget.Select
	auth     *widget.RadioGroup
	user     *widget.Entry
	password *widget.Entry
	token    *widget.Entry
	form     *widget.Form
	save     *widget.Button
	test     *widget.Button
	message  *widget.Label
}

// NewPACPanel returns the tab; Reload fills it. A nil tester hides "Probar
// conexión".
func NewPACPanel(store PACPanelStore, secrets PACSecrets, tester PACTester) *PACPanel {
	p := &PACPanel{store: store, secrets: secrets, tester: tester}
	p.env = widgets.NewSelect(nil, func(string) { p.updateFields() })
	p.auth = widget.NewRadioGroup([]string{lang.L("Usuario y contraseña"), lang.L("Token de acceso")}, func(string) { p.updateFields() })
	p.auth.Horizontal = true
	p.auth.Required = true
	p.auth.SetSelected(lang.L("Usuario y contraseña"))
	p.user = widget.NewEntry()
	p.user.SetPlaceHolder(lang.L("Usuario de su cuenta del PAC"))
	p.password = widget.NewPasswordEntry()
	p.token = widget.NewPasswordEntry()
	p.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: lang.L("Ambiente"), Widget: p.env},
			{Text: lang.L("Acceso"), Widget: p.auth},
			{Text: lang.L("Usuario"), Widget: p.user},
			{Text: lang.L("Contraseña"), Widget: p.password},
			{Text: lang.L("Token"), Widget: p.token, HintText: lang.L("Token de larga duración que entrega el PAC")},
		},
	}
	p.save = widget.NewButtonWithIcon(lang.L("Guardar"), theme.DocumentSaveIcon(), p.Save)
	p.save.Importance = widget.HighImportance
	p.test = widget.NewButtonWithIcon(lang.L("Probar conexión"), theme.ConfirmIcon(), p.Test)
	if tester == nil {
		p.test.Hide()
	}
	p.message = newMessage()
	p.setEnabled(false)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the form, the test button and the result.
func (p *PACPanel) CreateRenderer() fyne.WidgetRenderer {
	intro := widget.NewLabel(lang.L("El PAC timbra sus facturas. Sus credenciales se guardan cifradas y nunca se muestran."))
	intro.Wrapping = fyne.TextWrapWord
	return widget.NewSimpleRenderer(container.NewPadded(container.NewVBox(
		heading(lang.L("Cuenta del PAC")), intro, p.form, container.NewHBox(p.save, p.test), p.message)))
}

// pacView is what the tab shows.
type pacView struct {
	company  *sales.Company
	settings sales.PACSettings
	found    bool
}

// load reads the active company and its PAC settings.
func (p *PACPanel) load(ctx context.Context) (pacView, error) {
	co, err := p.store.ActiveCompany(ctx)
	if err != nil {
		return pacView{}, err
	}
	s, err := p.secrets.CompanyPACSettings(ctx, co.ID)
	switch {
	case err == nil:
		return pacView{company: co, settings: s, found: true}, nil
	case domain.KindOf(err) == domain.NotFound:
		return pacView{company: co}, nil
	}
	return pacView{}, err
}

// Reload reads the tab's data off the UI goroutine and shows it.
func (p *PACPanel) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		v, err := p.load(ctx)
		fyne.Do(func() { p.apply(v, err) })
	}()
}

// apply shows v (or err) on the UI goroutine.
func (p *PACPanel) apply(v pacView, err error) {
	p.password.SetText("")
	p.token.SetText("")
	if err != nil {
		p.company = nil
		p.setEnabled(false)
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	p.company, p.stored = v.company, v.settings
	// The local PAC only stamps the demo company.
	p.envs = nil
	var opts []string
	for _, e := range pacEnvironments {
		if e.env == sales.PACLocal && !v.company.Demo {
			continue
		}
		p.envs = append(p.envs, e.env)
		opts = append(opts, e.label())
	}
	p.env.SetOptions(opts)
	p.env.ClearSelected()
	for i, e := range p.envs {
		if e == v.settings.Environment {
			p.env.SetSelectedIndex(i)
		}
	}
	if p.env.SelectedIndex() < 0 {
		p.env.SetSelectedIndex(0)
	}
	p.user.SetText(v.settings.User)
	if v.settings.Token != "" {
		p.auth.SetSelected(lang.L("Token de acceso"))
	} else {
		p.auth.SetSelected(lang.L("Usuario y contraseña"))
	}
	p.password.SetPlaceHolder(keptHint(v.settings.Password))
	p.token.SetPlaceHolder(keptHint(v.settings.Token))
	p.updateFields()
	if !v.found {
		showMessage(p.message, widget.WarningImportance, lang.L("La empresa no tiene cuenta de PAC: sus facturas se sellan pero no se timbran."))
	} else {
		showMessage(p.message, widget.MediumImportance, "")
	}
}

// keptHint is the placeholder of a secret field: whether one is stored.
func keptHint(stored string) string {
	if stored != "" {
		return lang.L("Guardada; escriba otra para cambiarla")
	}
	return ""
}

// selectedEnv returns the chosen environment.
func (p *PACPanel) selectedEnv() sales.PACEnvironment {
	if i := p.env.SelectedIndex(); i >= 0 && i < len(p.envs) {
		return p.envs[i]
	}
	return ""
}

// useToken reports whether the token access is chosen.
func (p *PACPanel) useToken() bool { return p.auth.Selected == lang.L("Token de acceso") }

// updateFields enables the fields the chosen environment and access use.
func (p *PACPanel) updateFields() {
	if p.company == nil || p.busy {
		return
	}
	local := p.selectedEnv() == sales.PACLocal
	enable(p.env, true)
	enable(p.save, true)
	enable(p.auth, !local)
	enable(p.user, !local && !p.useToken())
	enable(p.password, !local && !p.useToken())
	enable(p.token, !local && p.useToken())
	enable(p.test, p.tester != nil)
}

// setEnabled enables or disables every input of the tab.
func (p *PACPanel) setEnabled(on bool) {
	for _, w := range []fyne.Disableable{p.env, p.auth, p.user, p.password, p.token, p.save, p.test} {
		enable(w, on)
	}
}

// settings returns what the form says, an empty secret keeping the stored
// one. The form has no field for the PAC's own services URL (set with
// `folio company pac --url`): it is kept while the environment is kept.
func (p *PACPanel) settings() sales.PACSettings {
	s := sales.PACSettings{Environment: p.selectedEnv()}
	if s.Environment == p.stored.Environment {
		s.URL = p.stored.URL
	}
	switch {
	case s.Environment == sales.PACLocal:
	case p.useToken():
		s.Token = p.token.Text
		if s.Token == "" {
			s.Token = p.stored.Token
		}
	default:
		s.User = p.user.Text
		s.Password = p.password.Text
		if s.Password == "" {
			s.Password = p.stored.Password
		}
	}
	s.Normalize()
	return s
}

// Save validates and stores the settings off the UI goroutine.
func (p *PACPanel) Save() {
	p.run(lang.L("Guardando…"), func(ctx context.Context, co *sales.Company, s sales.PACSettings) error {
		if err := s.Validate(); err != nil {
			return err
		}
		return p.secrets.SavePACSettings(ctx, co.ID, s)
	}, lang.L("Cuenta del PAC guardada."), func(s sales.PACSettings) {
		p.stored = s
		p.password.SetText("")
		p.token.SetText("")
		p.password.SetPlaceHolder(keptHint(s.Password))
		p.token.SetPlaceHolder(keptHint(s.Token))
	})
}

// Test tries the settings typed in the form through the PACTester.
func (p *PACPanel) Test() {
	if p.tester == nil {
		return
	}
	p.run(lang.L("Probando la conexión con el PAC…"), func(ctx context.Context, _ *sales.Company, s sales.PACSettings) error {
		if err := s.Validate(); err != nil {
			return err
		}
		return p.tester(ctx, s)
	}, lang.L("Conexión correcta: el PAC aceptó las credenciales."), nil)
}

// run does fn off the UI goroutine with the form disabled and shows its
// outcome; on success it calls ok (when not nil) on the UI goroutine.
func (p *PACPanel) run(progress string, fn func(context.Context, *sales.Company, sales.PACSettings) error, success string, ok func(sales.PACSettings)) {
	if p.busy || p.company == nil {
		return
	}
	co, s := p.company, p.settings()
	p.busy = true
	p.setEnabled(false)
	showMessage(p.message, widget.MediumImportance, progress)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := fn(ctx, co, s)
		fyne.Do(func() {
			if err == nil && ok != nil {
				ok(s)
			}
			p.finished(err, success)
		})
	}()
}

// finished shows the outcome of run.
func (p *PACPanel) finished(err error, success string) {
	p.busy = false
	p.updateFields()
	if err != nil {
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	showMessage(p.message, widget.SuccessImportance, success)
}
