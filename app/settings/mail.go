// Package settings holds Folio's configuration screens. MailSettingsForm
// edits the SMTP account a company sends its documents from. The package
// declares the narrow store interfaces it uses; it never imports data/.
package settings

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

// MailStore reads and writes a company's SMTP settings. MailSettings is a
// domain NotFound error while none were saved; the store keeps the password
// encrypted (*sqlite.MailStore satisfies it).
type MailStore interface {
	MailSettings(ctx context.Context, issuerRFC string) (delivery.SMTPSettings, error)
	SaveMailSettings(ctx context.Context, s delivery.SMTPSettings) error
}

// MailTester sends a short test message with settings that may not be
// saved yet (mail.Deliverer satisfies it). Errors are domain errors.
type MailTester interface {
	SendTest(ctx context.Context, s delivery.SMTPSettings, to string) error
}

// MailSettingsForm edits the SMTP settings of one company: server, port,
// security (STARTTLS or implicit TLS), user, password, sender address and
// name. "Probar" sends a test message off the UI goroutine. The stored
// password is never shown: the password field stays empty and keeps it
// unless the user types another. Create it with NewMailSettingsForm and
// call Reload; its methods run on the UI goroutine.
type MailSettingsForm struct {
	widget.BaseWidget

	store  MailStore
	tester MailTester
	issuer string

	// OnSaved is called on the UI goroutine after the settings are stored.
	OnSaved func(delivery.SMTPSettings)

	host, port, user, password, from, fromName, testTo *widget.Entry
	security                                           *widget.Select
	portItem                                           *widget.FormItem
	form                                               *widget.Form
	test                                               *widget.Button
	message                                            *widget.Label

	stored delivery.SMTPSettings // as loaded; Password is what the empty field keeps
	busy   bool
}

// securityOptions are the choices of the security select, in Security order.
func securityOptions() []string {
	return []string{lang.L("STARTTLS (puerto 587)"), lang.L("TLS implícito (puerto 465)")}
}

// NewMailSettingsForm returns the form for the company issuerRFC; Reload
// fills it from store. tester sends the test message.
func NewMailSettingsForm(store MailStore, tester MailTester, issuerRFC string) *MailSettingsForm {
	f := &MailSettingsForm{store: store, tester: tester, issuer: issuerRFC}
	// Examples and defaults go in the hint lines: grey text inside an empty
	// entry ("smtp.ejemplo.mx", "587") reads as if it were filled in.
	f.host = widget.NewEntry()
	f.port = widget.NewEntry()
	f.user = widget.NewEntry()
	f.password = widget.NewPasswordEntry()
	f.from = widget.NewEntry()
	f.fromName = widget.NewEntry()
	f.testTo = widget.NewEntry()
	f.testTo.SetPlaceHolder(lang.L("Dirección que recibe la prueba"))
	f.security = widgets.NewSelect(securityOptions(), func(string) { f.showPortHint() })
	f.port.Validator = func(string) error {
		if _, err := f.portNumber(); err != nil {
			return errors.New(domain.UserMessage(err))
		}
		return nil
	}
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	f.portItem = &widget.FormItem{Text: lang.L("Puerto"), Widget: f.port}
	f.form = &widget.Form{
		Items: []*widget.FormItem{
			{Text: lang.L("Servidor SMTP"), Widget: f.host, HintText: lang.L("Nombre del servidor de salida; p. ej. smtp.ejemplo.mx")},
			{Text: lang.L("Seguridad"), Widget: f.security},
			f.portItem,
			{Text: lang.L("Usuario"), Widget: f.user, HintText: lang.L("Normalmente su correo, p. ej. facturas@ejemplo.mx; vacío si no hay autenticación")},
			{Text: lang.L("Contraseña"), Widget: f.password},
			{Text: lang.L("Remitente"), Widget: f.from, HintText: lang.L("Dirección que ven sus clientes; vacío: la del usuario")},
			{Text: lang.L("Nombre del remitente"), Widget: f.fromName, HintText: lang.L("Por ejemplo, el nombre de su empresa")},
		},
		SubmitText: lang.L("Guardar"),
		OnSubmit:   f.submit,
	}
	f.security.SetSelectedIndex(int(delivery.STARTTLS))
	f.test = widget.NewButton(lang.L("Probar"), f.sendTest)
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the form, the test line and the result message.
func (f *MailSettingsForm) CreateRenderer() fyne.WidgetRenderer {
	testLine := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Enviar una prueba a")), f.test, f.testTo)
	return widget.NewSimpleRenderer(container.NewVBox(f.form, widget.NewSeparator(), testLine, f.message))
}

// load reads the company's settings; found is false when none were saved.
// Synchronous and UI-free.
func (f *MailSettingsForm) load(ctx context.Context) (s delivery.SMTPSettings, found bool, err error) {
	s, err = f.store.MailSettings(ctx, f.issuer)
	if domain.KindOf(err) == domain.NotFound {
		return delivery.SMTPSettings{IssuerRFC: f.issuer}, false, nil
	}
	return s, err == nil, err
}

// Reload reads the settings off the UI goroutine and shows them.
func (f *MailSettingsForm) Reload() {
	go func() {
		s, found, err := f.load(context.Background())
		fyne.Do(func() { f.apply(s, found, err) })
	}()
}

func (f *MailSettingsForm) apply(s delivery.SMTPSettings, found bool, err error) {
	if err != nil {
		// The password may be unreadable (database moved without its key
		// file): show what is stored and ask for the password again.
		f.show(domain.UserMessage(err))
		if domain.KindOf(err) != domain.Invalid {
			return
		}
	} else if !found {
		f.show(lang.L("La empresa todavía no tiene correo configurado."))
	} else {
		f.message.Hide()
	}
	f.stored = s
	f.host.SetText(s.Host)
	if s.Port != 0 {
		f.port.SetText(strconv.Itoa(s.Port))
	} else {
		f.port.SetText("")
	}
	f.security.SetSelectedIndex(int(s.Security))
	f.user.SetText(s.User)
	f.password.SetText("")
	if s.Password != "" {
		f.password.SetPlaceHolder(lang.L("Guardada; escriba otra para cambiarla"))
	} else {
		f.password.SetPlaceHolder("")
	}
	f.from.SetText(s.From)
	f.fromName.SetText(s.FromName)
	if f.testTo.Text == "" {
		f.testTo.SetText(firstNonEmpty(s.From, s.User))
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// showPortHint says which port an empty port field stands for.
func (f *MailSettingsForm) showPortHint() {
	if f.defaultPort() == 465 {
		f.portItem.HintText = lang.L("Vacío: 465, el puerto de TLS implícito")
	} else {
		f.portItem.HintText = lang.L("Vacío: 587, el puerto de STARTTLS")
	}
	f.form.Refresh()
}

func (f *MailSettingsForm) defaultPort() int {
	if f.security.SelectedIndex() == int(delivery.ImplicitTLS) {
		return 465
	}
	return 587
}

// portNumber parses the port field; empty means the default of the
// security mode (stored as 0).
func (f *MailSettingsForm) portNumber() (int, error) {
	t := strings.TrimSpace(f.port.Text)
	if t == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 65535 {
		return 0, domain.E(domain.Invalid, "mail settings form", lang.L("El puerto debe ser un número entre 1 y 65535."), err)
	}
	return n, nil
}

// settings returns what the form holds. An empty password field keeps the
// stored password.
func (f *MailSettingsForm) settings() (delivery.SMTPSettings, error) {
	port, err := f.portNumber()
	if err != nil {
		return delivery.SMTPSettings{}, err
	}
	s := delivery.SMTPSettings{
		IssuerRFC: f.issuer,
		Host:      strings.TrimSpace(f.host.Text),
		Port:      port,
		Security:  delivery.Security(max(f.security.SelectedIndex(), 0)),
		User:      strings.TrimSpace(f.user.Text),
		Password:  f.password.Text,
		From:      strings.TrimSpace(f.from.Text),
		FromName:  strings.TrimSpace(f.fromName.Text),
	}
	if s.Password == "" && s.User != "" {
		s.Password = f.stored.Password
	}
	return s, s.Validate()
}

// submit validates and saves off the UI goroutine; the form is disabled
// meanwhile.
func (f *MailSettingsForm) submit() {
	if f.busy {
		return
	}
	s, err := f.settings()
	if err != nil {
		f.show(domain.UserMessage(err))
		return
	}
	f.setBusy(true, lang.L("Guardando…"))
	go func() {
		err := f.store.SaveMailSettings(context.Background(), s)
		fyne.Do(func() {
			f.setBusy(false, "")
			if err != nil {
				f.show(domain.UserMessage(err))
				return
			}
			f.stored = s
			f.password.SetText("")
			if s.Password != "" {
				f.password.SetPlaceHolder(lang.L("Guardada; escriba otra para cambiarla"))
			}
			f.show(lang.L("Configuración de correo guardada."))
			if f.OnSaved != nil {
				f.OnSaved(s)
			}
		})
	}()
}

// sendTest sends a test message with the settings as typed (saved or not)
// off the UI goroutine.
func (f *MailSettingsForm) sendTest() {
	if f.busy {
		return
	}
	s, err := f.settings()
	if err == nil {
		_, err = delivery.ParseRecipients(f.testTo.Text)
	}
	if err != nil {
		f.show(domain.UserMessage(err))
		return
	}
	to := strings.TrimSpace(f.testTo.Text)
	f.setBusy(true, lang.L("Enviando mensaje de prueba…"))
	go func() {
		err := f.tester.SendTest(context.Background(), s, to)
		fyne.Do(func() {
			f.setBusy(false, "")
			if err != nil {
				f.show(domain.UserMessage(err))
				return
			}
			f.show(lang.L("Mensaje de prueba enviado; revise la bandeja de entrada."))
		})
	}()
}

func (f *MailSettingsForm) setBusy(busy bool, msg string) {
	f.busy = busy
	if busy {
		f.form.Disable()
		f.test.Disable()
		f.show(msg)
		return
	}
	f.form.Enable()
	f.test.Enable()
}

func (f *MailSettingsForm) show(msg string) {
	f.message.SetText(msg)
	f.message.Show()
}
