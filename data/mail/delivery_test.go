package mail

import (
	"context"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
)

func TestDelivererSendTest(t *testing.T) {
	t.Parallel()
	for _, sec := range []Security{STARTTLS, ImplicitTLS} {
		// given a server and the company's settings as domain/delivery keeps them
		b := &backend{}
		s := startServer(t, b, sec)
		ds := delivery.SMTPSettings{IssuerRFC: "EKU9003173C9", Host: s.Host, Port: s.Port, Security: delivery.STARTTLS,
			User: s.User, Password: s.Password, FromName: s.FromName}
		if sec == ImplicitTLS {
			ds.Security = delivery.ImplicitTLS
		}
		d := Deliverer{TLS: s.TLS, Timeout: s.Timeout}
		// when a test message is sent
		if err := d.SendTest(context.Background(), ds, "revisar@cliente.test"); err != nil {
			t.Fatalf("SendTest(%v): %v", sec, err)
		}
		// then it arrives, in Spanish
		msgs := b.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "revisar@cliente.test" || !strings.Contains(string(msgs[0].Data), "Prueba de correo de Folio") {
			t.Errorf("%v: server got %d messages", sec, len(msgs))
		}
		// and a wrong password is the user's to fix, not retried
		ds.Password = "otra"
		if err := d.SendTest(context.Background(), ds, "revisar@cliente.test"); domain.KindOf(err) != domain.Invalid {
			t.Errorf("%v: wrong password = %v, want Invalid", sec, err)
		}
	}
}
