package mail

import (
	"context"
	"crypto/tls"
	"time"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/delivery"
)

// Deliverer sends documents for the delivery outbox (it implements
// delivery.Mailer) and test messages for the settings form, through Send.
type Deliverer struct {
	// TLS overrides the TLS configuration (nil: system roots); tests trust
	// their own server with it.
	TLS *tls.Config
	// Timeout bounds each conversation (0: Send's default).
	Timeout time.Duration
}

var _ delivery.Mailer = Deliverer{}

// SettingsOf converts a company's stored SMTP settings for Send.
func (d Deliverer) SettingsOf(s delivery.SMTPSettings) Settings {
	sec := STARTTLS
	if s.Security == delivery.ImplicitTLS {
		sec = ImplicitTLS
	}
	return Settings{Host: s.Host, Port: s.Port, Security: sec, User: s.User, Password: s.Password,
		From: s.From, FromName: s.FromName, TLS: d.TLS, Timeout: d.Timeout}
}

// SendDocument sends xml and pdf to the recipients with the Spanish message
// that names c (DocumentMessage); errors are Send's.
func (d Deliverer) SendDocument(ctx context.Context, s delivery.SMTPSettings, to []string, c *cfdi.Comprobante, xml, pdf []byte) error {
	return Send(ctx, d.SettingsOf(s), DocumentMessage(to, DocumentOf(c), xml, pdf))
}

// SendMessage sends m (an account statement, say) to the recipients as it
// is; errors are Send's.
func (d Deliverer) SendMessage(ctx context.Context, s delivery.SMTPSettings, to []string, m delivery.Message) error {
	msg := Message{To: to, Subject: m.Subject, Body: m.Body}
	for _, a := range m.Attachments {
		msg.Attachments = append(msg.Attachments, Attachment{Name: a.Name, ContentType: a.ContentType, Data: a.Data})
	}
	return Send(ctx, d.SettingsOf(s), msg)
}

// SendTest sends a short Spanish message to one address, so that the user
// can check the settings before documents depend on them.
func (d Deliverer) SendTest(ctx context.Context, s delivery.SMTPSettings, to string) error {
	return Send(ctx, d.SettingsOf(s), Message{
		To:      []string{to},
		Subject: "Prueba de correo de Folio",
		Body: "Este es un mensaje de prueba enviado por Folio.\n\n" +
			"Si lo recibió, la configuración de correo funciona y sus clientes recibirán así el XML y el PDF de sus comprobantes.\n",
	})
}
