package settings

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeMail keeps settings in memory and records saves and test messages.
type fakeMail struct {
	mu      sync.Mutex
	stored  *delivery.SMTPSettings
	saved   []delivery.SMTPSettings
	tests   []string // "to|host|password"
	testErr error
}

func (m *fakeMail) MailSettings(_ context.Context, rfc string) (delivery.SMTPSettings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stored == nil || m.stored.IssuerRFC != rfc {
		return delivery.SMTPSettings{}, domain.E(domain.NotFound, "fake", "Sin configuración.", nil)
	}
	return *m.stored, nil
}

func (m *fakeMail) SaveMailSettings(_ context.Context, s delivery.SMTPSettings) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saved = append(m.saved, s)
	m.stored = &s
	return nil
}

func (m *fakeMail) SendTest(_ context.Context, s delivery.SMTPSettings, to string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tests = append(m.tests, to+"|"+s.Host+"|"+s.Password)
	return m.testErr
}

func (m *fakeMail) savedCopy() []delivery.SMTPSettings {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]delivery.SMTPSettings(nil), m.saved...)
}

func (m *fakeMail) testsCopy() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.tests...)
}

const rfc = "EKU9003173C9"

func TestMailSettingsFormNewCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	m := &fakeMail{}
	f := NewMailSettingsForm(m, m, rfc)
	w := test.NewWindow(f)
	defer w.Close()

	// given a company without settings
	f.Reload()
	q.RunUntil(t, "empty settings shown", func() bool { return f.message.Visible() })
	if !strings.Contains(f.message.Text, "todavía no tiene correo") {
		t.Errorf("message = %q", f.message.Text)
	}

	// when the user fills the form with implicit TLS and saves
	test.Type(f.host, "smtp.kemper.mx")
	f.security.SetSelectedIndex(int(delivery.ImplicitTLS))
	if f.port.PlaceHolder != "" || !strings.Contains(f.portItem.HintText, "465") {
		t.Errorf("port placeholder %q, hint %q; want the default 465 in the hint only", f.port.PlaceHolder, f.portItem.HintText)
	}
	test.Type(f.user, "facturas@kemper.mx")
	test.Type(f.password, "Secreta-1")
	test.Type(f.fromName, "ESCUELA KEMPER URGATE")
	f.submit()
	q.RunUntil(t, "saved", func() bool { return len(m.savedCopy()) == 1 && !f.busy })

	// then the store gets the settings, and the password field is emptied
	want := delivery.SMTPSettings{IssuerRFC: rfc, Host: "smtp.kemper.mx", Security: delivery.ImplicitTLS,
		User: "facturas@kemper.mx", Password: "Secreta-1", FromName: "ESCUELA KEMPER URGATE"}
	if got := m.savedCopy()[0]; got != want {
		t.Errorf("saved %v, want %v", got, want)
	}
	if f.password.Text != "" || !strings.Contains(f.password.PlaceHolder, "Guardada") {
		t.Errorf("password field = %q (placeholder %q) after saving", f.password.Text, f.password.PlaceHolder)
	}
	if f.message.Text != "Configuración de correo guardada." {
		t.Errorf("message = %q", f.message.Text)
	}
}

func TestMailSettingsFormKeepsStoredPassword(t *testing.T) {
	_, q := uitest.NewApp(t)
	m := &fakeMail{stored: &delivery.SMTPSettings{IssuerRFC: rfc, Host: "smtp.kemper.mx", Port: 2525, User: "facturas@kemper.mx", Password: "Guardada-9"}}
	f := NewMailSettingsForm(m, m, rfc)
	w := test.NewWindow(f)
	defer w.Close()
	f.Reload()
	q.RunUntil(t, "settings shown", func() bool { return f.host.Text == "smtp.kemper.mx" })

	// the stored password is never put on screen
	if f.password.Text != "" || f.port.Text != "2525" || f.testTo.Text != "facturas@kemper.mx" {
		t.Fatalf("password %q, port %q, test address %q", f.password.Text, f.port.Text, f.testTo.Text)
	}
	// a save without typing a password keeps the stored one
	f.fromName.SetText("KEMPER")
	f.submit()
	q.RunUntil(t, "saved", func() bool { return len(m.savedCopy()) == 1 && !f.busy })
	if got := m.savedCopy()[0]; got.Password != "Guardada-9" || got.FromName != "KEMPER" || got.Port != 2525 {
		t.Errorf("saved %v", got)
	}
	// "Probar" sends with the settings as typed, off the UI goroutine
	f.host.SetText("smtp2.kemper.mx")
	test.Tap(f.test)
	q.RunUntil(t, "test sent", func() bool { return len(m.testsCopy()) == 1 && !f.busy })
	if got := m.testsCopy()[0]; got != "facturas@kemper.mx|smtp2.kemper.mx|Guardada-9" {
		t.Errorf("test message %q", got)
	}
	if !strings.Contains(f.message.Text, "Mensaje de prueba enviado") {
		t.Errorf("message = %q", f.message.Text)
	}
	// a failed test shows the Spanish reason
	m.mu.Lock()
	m.testErr = domain.E(domain.Unavailable, "mail.Send", "No se pudo conectar con el servidor de correo smtp2.kemper.mx:2525.", nil)
	m.mu.Unlock()
	test.Tap(f.test)
	q.RunUntil(t, "test failed", func() bool { return len(m.testsCopy()) == 2 && !f.busy })
	if !strings.Contains(f.message.Text, "No se pudo conectar") {
		t.Errorf("message = %q", f.message.Text)
	}
}

func TestMailSettingsFormRefusesBadInput(t *testing.T) {
	_, q := uitest.NewApp(t)
	m := &fakeMail{}
	f := NewMailSettingsForm(m, m, rfc)
	w := test.NewWindow(f)
	defer w.Close()
	f.Reload()
	q.RunUntil(t, "loaded", func() bool { return f.message.Visible() })

	tests := []struct {
		name, host, port, user, password, testTo string
		want                                     string
	}{
		{"no host", "", "", "a@b.mx", "x", "", "servidor de correo"},
		{"bad port", "smtp.b.mx", "99999", "a@b.mx", "x", "", "puerto"},
		{"user without password", "smtp.b.mx", "", "a@b.mx", "", "", "contraseña"},
	}
	for _, tt := range tests {
		f.host.SetText(tt.host)
		f.port.SetText(tt.port)
		f.user.SetText(tt.user)
		f.password.SetText(tt.password)
		f.submit()
		if !strings.Contains(f.message.Text, tt.want) {
			t.Errorf("%s: message %q, want it to mention %q", tt.name, f.message.Text, tt.want)
		}
	}
	// a bad test address is refused before anything is sent
	f.host.SetText("smtp.b.mx")
	f.port.SetText("")
	f.password.SetText("x")
	f.testTo.SetText("no es correo")
	test.Tap(f.test)
	if !strings.Contains(f.message.Text, "no es válida") {
		t.Errorf("bad test address: message %q", f.message.Text)
	}
	q.Drain(50 * time.Millisecond)
	if len(m.savedCopy()) != 0 || len(m.testsCopy()) != 0 {
		t.Errorf("saved %d, tested %d; want nothing", len(m.savedCopy()), len(m.testsCopy()))
	}
}
