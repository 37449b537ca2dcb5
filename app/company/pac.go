package company

import (
	"context"
	"strconv"
	"strings"

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
// company; its accounts go through PACSecrets.
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

// pacVendors are the PACs Folio speaks to; their names are brands and are
// not translated.
var pacVendors = []struct {
	vendor sales.PACVendor
	label  string
}{{sales.PACSW, "SW sapien"}, {sales.PACFinkok, "Finkok"}}

// accountFields are the inputs of one PAC account: the PAC, the
// environment and the access (user and password, or a long-lived token —
// Finkok has no token). Stored secrets are never shown: an empty password
// or token keeps the stored one.
type accountFields struct {
	stored sales.PACSettings // with secrets; never shown
	envs   []sales.PACEnvironment

	vendor   *widget.Select
	env      *widget.Select
	auth     *widget.RadioGroup
	user     *widget.Entry
	password *widget.Entry
	token    *widget.Entry
}

func newAccountFields(changed func()) accountFields {
	f := accountFields{}
	labels := make([]string, len(pacVendors))
	for i, v := range pacVendors {
		labels[i] = v.label
	}
	f.vendor = widgets.NewSelect(labels, func(string) { changed() })
	f.vendor.SetSelectedIndex(0)
	f.env = widgets.NewSelect(nil, func(string) { changed() })
	f.auth = widget.NewRadioGroup([]string{lang.L("Usuario y contraseña"), lang.L("Token de acceso")}, func(string) { changed() })
	f.auth.Horizontal = true
	f.auth.Required = true
	f.auth.SetSelected(lang.L("Usuario y contraseña"))
	f.user = widget.NewEntry()
	f.user.SetPlaceHolder(lang.L("Usuario de su cuenta del PAC"))
	f.password = widget.NewPasswordEntry()
	f.token = widget.NewPasswordEntry()
	return f
}

// items are the form rows of the account; vendorLabel names the PAC row.
func (f *accountFields) items(vendorLabel string) []*widget.FormItem {
	return []*widget.FormItem{
		{Text: vendorLabel, Widget: f.vendor},
		{Text: lang.L("Ambiente"), Widget: f.env},
		{Text: lang.L("Acceso"), Widget: f.auth},
		{Text: lang.L("Usuario"), Widget: f.user},
		{Text: lang.L("Contraseña"), Widget: f.password},
		{Text: lang.L("Token"), Widget: f.token, HintText: lang.L("Token de larga duración que entrega el PAC")},
	}
}

// show fills the inputs with s, offering the environments envs.
func (f *accountFields) show(s sales.PACSettings, envs []sales.PACEnvironment) {
	f.stored, f.envs = s, envs
	var opts []string
	for _, e := range envs {
		for _, o := range pacEnvironments {
			if o.env == e {
				opts = append(opts, o.label())
			}
		}
	}
	f.env.SetOptions(opts)
	f.env.ClearSelected()
	for i, e := range envs {
		if e == s.Environment {
			f.env.SetSelectedIndex(i)
		}
	}
	if f.env.SelectedIndex() < 0 {
		f.env.SetSelectedIndex(0)
	}
	f.vendor.SetSelectedIndex(0)
	for i, v := range pacVendors {
		if v.vendor == s.Vendor {
			f.vendor.SetSelectedIndex(i)
		}
	}
	f.user.SetText(s.User)
	if s.Token != "" {
		f.auth.SetSelected(lang.L("Token de acceso"))
	} else {
		f.auth.SetSelected(lang.L("Usuario y contraseña"))
	}
	f.clearSecrets()
}

// clearSecrets empties the secret inputs and says whether one is stored.
func (f *accountFields) clearSecrets() {
	f.password.SetText("")
	f.token.SetText("")
	f.password.SetPlaceHolder(keptHint(f.stored.Password))
	f.token.SetPlaceHolder(keptHint(f.stored.Token))
}

// selectedEnv returns the chosen environment.
func (f *accountFields) selectedEnv() sales.PACEnvironment {
	if i := f.env.SelectedIndex(); i >= 0 && i < len(f.envs) {
		return f.envs[i]
	}
	return ""
}

// selectedVendor returns the chosen PAC.
func (f *accountFields) selectedVendor() sales.PACVendor {
	if i := f.vendor.SelectedIndex(); i >= 0 && i < len(pacVendors) {
		return pacVendors[i].vendor
	}
	return sales.PACSW
}

// useToken reports whether the token access is chosen (never for Finkok).
func (f *accountFields) useToken() bool {
	return f.auth.Selected == lang.L("Token de acceso") && f.selectedVendor() != sales.PACFinkok
}

// update enables the inputs the chosen PAC, environment and access use
// (none when on is false).
func (f *accountFields) update(on bool) {
	local := f.selectedEnv() == sales.PACLocal
	enable(f.vendor, on && !local)
	enable(f.env, on)
	enable(f.auth, on && !local && f.selectedVendor() != sales.PACFinkok)
	enable(f.user, on && !local && !f.useToken())
	enable(f.password, on && !local && !f.useToken())
	enable(f.token, on && !local && f.useToken())
}

// settings returns what the inputs say, trimmed, an empty secret keeping
// the stored one. The form has no field for the PAC's own services URL
// (set with `folio company pac --url`): it is kept while the PAC and the
// environment are kept.
func (f *accountFields) settings() sales.PACSettings {
	s := sales.PACSettings{Vendor: f.selectedVendor(), Environment: f.selectedEnv()}
	if s.Environment == f.stored.Environment && s.Vendor == f.stored.Vendor {
		s.URL = f.stored.URL
	}
	switch {
	case s.Environment == sales.PACLocal:
	case f.useToken():
		s.Token = strings.TrimSpace(f.token.Text)
		if s.Token == "" {
			s.Token = f.stored.Token
		}
	default:
		s.User = strings.TrimSpace(f.user.Text)
		s.Password = strings.TrimSpace(f.password.Text)
		if s.Password == "" {
			s.Password = f.stored.Password
		}
	}
	s.Normalize()
	return s
}

// PACPanel is the "PAC" tab: where the active company's invoices are
// stamped. The primary account ("PAC principal": SW sapien or Finkok; for
// the demo company also the local PAC of demo mode) and, optionally, a
// second account that new documents go to while the primary has not
// answered for the minutes set ("PAC secundario (opcional)"). Values are
// trimmed (spaces around a user or password are a known cause of failed
// logins). "Probar conexión" tries what is typed through PACTester.
type PACPanel struct {
	widget.BaseWidget

	store   PACPanelStore
	secrets PACSecrets
	tester  PACTester

	company *sales.Company
	busy    bool

	accountFields // the primary
	sec           accountFields
	secOn         *widget.Check
	secAfter      *widget.Entry
	form          *widget.Form
	secForm       *widget.Form
	save          *widget.Button
	test          *widget.Button
	secTest       *widget.Button
	message       *widget.Label

	// The optional dealer flag (SetDealerFlag).
	dealer          DealerFlag
	dealerOn        *widget.Check
	onDealerChanged func(bool)
}

// DealerFlag keeps whether a company's PAC account is a dealer account
// (domain/dealer.Settings): the "Administrador de timbres" area is offered
// only for those.
type DealerFlag interface {
	DealerEnabled(ctx context.Context, companyID int64) (bool, error)
	SetDealerEnabled(ctx context.Context, companyID int64, enabled bool) error
}

// SetDealerFlag shows the check "Es una cuenta de distribuidor", kept in f
// when the account is saved; changed, when set, is called on the UI
// goroutine with the saved value.
func (p *PACPanel) SetDealerFlag(f DealerFlag, changed func(bool)) {
	p.dealer, p.onDealerChanged = f, changed
	p.dealerOn.Show()
}

// DealerCheck is the "Es una cuenta de distribuidor" check (hidden without
// SetDealerFlag).
func (p *PACPanel) DealerCheck() *widget.Check { return p.dealerOn }

// NewPACPanel returns the tab; Reload fills it. A nil tester hides "Probar
// conexión".
func NewPACPanel(store PACPanelStore, secrets PACSecrets, tester PACTester) *PACPanel {
	p := &PACPanel{store: store, secrets: secrets, tester: tester}
	p.accountFields = newAccountFields(p.updateFields)
	p.sec = newAccountFields(p.updateFields)
	p.secOn = widget.NewCheck(lang.L("Usar un PAC secundario cuando el principal no responda"), func(bool) { p.updateFields() })
	p.secAfter = widget.NewEntry()
	p.secAfter.SetText(strconv.Itoa(sales.DefaultFailoverMinutes))
	p.form = &widget.Form{Items: p.accountFields.items(lang.L("PAC principal"))}
	p.secForm = &widget.Form{Items: append(p.sec.items(lang.L("PAC")), &widget.FormItem{
		Text: lang.L("Cambiar al secundario tras"), Widget: p.secAfter, HintText: lang.L("Minutos sin respuesta del PAC principal (1 a 1440)"),
	})}
	p.save = widget.NewButtonWithIcon(lang.L("Guardar"), theme.DocumentSaveIcon(), p.Save)
	p.save.Importance = widget.HighImportance
	p.test = widget.NewButtonWithIcon(lang.L("Probar conexión"), theme.ConfirmIcon(), p.Test)
	p.secTest = widget.NewButtonWithIcon(lang.L("Probar conexión del secundario"), theme.ConfirmIcon(), p.TestSecondary)
	if tester == nil {
		p.test.Hide()
		p.secTest.Hide()
	}
	p.message = newMessage()
	p.dealerOn = widget.NewCheck(lang.L("Es una cuenta de distribuidor de SW (muestra el Administrador de timbres)"), nil)
	p.dealerOn.Hide()
	p.setEnabled(false)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows both accounts, the buttons and the result.
func (p *PACPanel) CreateRenderer() fyne.WidgetRenderer {
	intro := widget.NewLabel(lang.L("El PAC timbra sus facturas. Sus credenciales se guardan cifradas y nunca se muestran."))
	intro.Wrapping = fyne.TextWrapWord
	secIntro := widget.NewLabel(lang.L("Si el PAC principal no responde durante los minutos indicados, los documentos nuevos se timbran con el secundario, y vuelven al principal cuando responde. Un documento nunca se envía a los dos."))
	secIntro.Wrapping = fyne.TextWrapWord
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewPadded(container.NewVBox(
		heading(lang.L("Cuenta del PAC")), intro, p.form, p.dealerOn, p.test,
		widget.NewSeparator(),
		heading(lang.L("PAC secundario (opcional)")), secIntro, p.secOn, p.secForm, p.secTest,
		container.NewHBox(p.save), p.message))))
}

// pacView is what the tab shows.
type pacView struct {
	company   *sales.Company
	settings  sales.PACSettings
	found     bool
	secondary *sales.PACFailover
	dealer    bool
}

// load reads the active company and its PAC accounts.
func (p *PACPanel) load(ctx context.Context) (pacView, error) {
	co, err := p.store.ActiveCompany(ctx)
	if err != nil {
		return pacView{}, err
	}
	v := pacView{company: co}
	s, err := p.secrets.CompanyPACSettings(ctx, co.ID)
	switch {
	case err == nil:
		v.settings, v.found = s, true
	case domain.KindOf(err) != domain.NotFound:
		return pacView{}, err
	}
	if v.secondary, err = p.secrets.CompanySecondaryPAC(ctx, co.ID); err != nil {
		return pacView{}, err
	}
	if p.dealer != nil {
		if v.dealer, err = p.dealer.DealerEnabled(ctx, co.ID); err != nil {
			return pacView{}, err
		}
	}
	return v, nil
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
	if err != nil {
		p.company = nil
		p.setEnabled(false)
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	p.company = v.company
	// The local PAC only stamps the demo company, and is never a secondary.
	var envs []sales.PACEnvironment
	for _, e := range pacEnvironments {
		if e.env == sales.PACLocal && !v.company.Demo {
			continue
		}
		envs = append(envs, e.env)
	}
	p.accountFields.show(v.settings, envs)
	sec, after := sales.PACSettings{}, sales.DefaultFailoverMinutes
	if v.secondary != nil {
		sec, after = v.secondary.Secondary, v.secondary.AfterMinutes
	}
	p.sec.show(sec, []sales.PACEnvironment{sales.PACPruebas, sales.PACProduccion})
	p.secOn.SetChecked(v.secondary != nil)
	p.secAfter.SetText(strconv.Itoa(after))
	p.dealerOn.SetChecked(v.dealer)
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

// selectedEnv returns the primary's chosen environment.
func (p *PACPanel) selectedEnv() sales.PACEnvironment { return p.accountFields.selectedEnv() }

// updateFields enables the inputs the chosen PACs, environments and
// accesses use.
func (p *PACPanel) updateFields() {
	if p.company == nil || p.busy {
		return
	}
	p.accountFields.update(true)
	enable(p.save, true)
	enable(p.test, p.tester != nil)
	enable(p.secOn, true)
	enable(p.dealerOn, true)
	p.sec.update(p.secOn.Checked)
	enable(p.secAfter, p.secOn.Checked)
	enable(p.secTest, p.tester != nil && p.secOn.Checked)
}

// setEnabled enables or disables every input of the tab.
func (p *PACPanel) setEnabled(on bool) {
	p.accountFields.update(on)
	p.sec.update(on)
	for _, w := range []fyne.Disableable{p.secOn, p.secAfter, p.save, p.test, p.secTest, p.dealerOn} {
		enable(w, on)
	}
}

// failover returns the secondary the form says (nil when unchecked); the
// minutes must be a whole number.
func (p *PACPanel) failover() (*sales.PACFailover, error) {
	if !p.secOn.Checked {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.secAfter.Text))
	if err != nil {
		return nil, domain.E(domain.Invalid, "company.PACPanel", lang.L("Escriba cuántos minutos sin respuesta del PAC principal esperar antes de usar el secundario: de 1 a 1440."), err)
	}
	return &sales.PACFailover{Secondary: p.sec.settings(), AfterMinutes: n}, nil
}

// Save validates and stores both accounts off the UI goroutine: the
// primary, then the secondary (or its removal when unchecked).
func (p *PACPanel) Save() {
	f, ferr := p.failover()
	dealerOn := p.dealerOn.Checked
	p.run(lang.L("Guardando…"), func(ctx context.Context, co *sales.Company, s sales.PACSettings) error {
		if ferr != nil {
			return ferr
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if f != nil { // both accounts complete before either is stored
			sec := f.Secondary
			if err := sec.Validate(); err != nil {
				return domain.E(domain.KindOf(err), "company.PACPanel.Save", lang.L("PAC secundario:")+" "+domain.UserMessage(err), err)
			}
		}
		if err := p.secrets.SavePACSettings(ctx, co.ID, s); err != nil {
			return err
		}
		if err := p.secrets.SaveSecondaryPAC(ctx, co.ID, f); err != nil {
			return domain.E(domain.KindOf(err), "company.PACPanel.Save", lang.L("PAC secundario:")+" "+domain.UserMessage(err), err)
		}
		if p.dealer != nil {
			return p.dealer.SetDealerEnabled(ctx, co.ID, dealerOn)
		}
		return nil
	}, lang.L("Cuenta del PAC guardada."), func(s sales.PACSettings) {
		if p.dealer != nil && p.onDealerChanged != nil {
			p.onDealerChanged(dealerOn)
		}
		p.accountFields.stored = s
		p.accountFields.clearSecrets()
		if f != nil {
			p.sec.stored = f.Secondary
		}
		p.sec.clearSecrets()
	})
}

// Test tries the primary account typed in the form through the PACTester.
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

// TestSecondary tries the secondary account typed in the form.
func (p *PACPanel) TestSecondary() {
	if p.tester == nil || !p.secOn.Checked {
		return
	}
	s := p.sec.settings()
	p.run(lang.L("Probando la conexión con el PAC secundario…"), func(ctx context.Context, _ *sales.Company, _ sales.PACSettings) error {
		if err := s.Validate(); err != nil {
			return err
		}
		return p.tester(ctx, s)
	}, lang.L("Conexión correcta: el PAC secundario aceptó las credenciales."), nil)
}

// run does fn off the UI goroutine with the form disabled and shows its
// outcome; on success it calls ok (when not nil) on the UI goroutine.
func (p *PACPanel) run(progress string, fn func(context.Context, *sales.Company, sales.PACSettings) error, success string, ok func(sales.PACSettings)) {
	if p.busy || p.company == nil {
		return
	}
	co, s := p.company, p.accountFields.settings()
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
