package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/mail"
	"github.com/folio-mx/folio/data/mail/mailtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

const (
	mailRFC      = "EKU9003173C9"
	mailUser     = "ventas@kemper.test"
	mailPassword = "Correo-Contraseña-7d1c"
)

var mailNow = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// openWorkstations opens n stores on one new database, as n workstations
// already unlocked: the administrator password makes the shared key on the
// first, and the others keep their copy in the same key folder.
func openWorkstations(t *testing.T, n int) []*Store {
	t.Helper()
	dsn := NewTestDatabase(t)
	dir := t.TempDir()
	var out []*Store
	for range n {
		s, err := Open(context.Background(), dsn, Options{SecretPath: filepath.Join(dir, "folio.secret"), KeyDir: filepath.Join(dir, "keys"),
			MaxConns: 4, Now: func() time.Time { return mailNow }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	co := &sales.Companies{Store: out[0], Keys: out[0], Clock: out[0].Now}
	if err := co.SetAdminPassword(context.Background(), "", "administrador-del-correo"); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOutboxOnTwoWorkstations: two workstations run the outbox on one
// database at the same time; every queued message reaches the SMTP server
// exactly once, with its attachment as queued.
func TestOutboxOnTwoWorkstations(t *testing.T) {
	TestServer(t)
	ctx := context.Background()
	b := &mailtest.Server{User: mailUser, Password: mailPassword}
	port, tlsCfg := b.Start(t, false, nil)
	ws := openWorkstations(t, 2)
	a := NewMailStore(ws[0])
	if err := a.SaveMailSettings(ctx, delivery.SMTPSettings{IssuerRFC: mailRFC, Host: "127.0.0.1", Port: port, Security: delivery.STARTTLS,
		User: mailUser, Password: mailPassword}); err != nil {
		t.Fatal(err)
	}
	const n = 12
	for i := range n {
		msg := delivery.Message{Subject: fmt.Sprintf("Estado de cuenta %02d", i), Body: "Le enviamos su estado de cuenta.",
			Attachments: []delivery.Attachment{{Name: "estado.pdf", ContentType: "application/pdf", Data: []byte(fmt.Sprintf("%%PDF-1.3 %02d", i))}}}
		if _, err := a.EnqueueMessage(ctx, mailRFC, []string{"pagos@robotica.test"}, msg, mailNow); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ws))
	for i, s := range ws {
		m := NewMailStore(s)
		o := delivery.NewOutbox(m, m, mail.Deliverer{TLS: tlsCfg, Timeout: 10 * time.Second}, func() time.Time { return mailNow },
			delivery.Options{Concurrency: 2})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				sent, err := o.RunOnce(ctx)
				if err != nil || sent == 0 {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range b.Messages() {
		for i := range n {
			if bytes.Contains(m.Data, []byte(fmt.Sprintf("Estado de cuenta %02d", i))) {
				seen[fmt.Sprint(i)]++
			}
		}
	}
	if len(b.Messages()) != n || len(seen) != n {
		t.Fatalf("the server received %d messages covering %d of the %d queued: %v", len(b.Messages()), len(seen), n, seen)
	}
	for i, c := range seen {
		if c != 1 {
			t.Errorf("message %s sent %d times", i, c)
		}
	}
}

// TestMailOutboxStore: the outbox's store on the server — a document's
// delivery waits for its stamp, carries the stamped XML, ends sent, retried
// or failed; a live workstation's lease survives another's start-up and a
// gone one's does not; the password opens only with the installation key.
func TestMailOutboxStore(t *testing.T) {
	TestServer(t)
	ctx := context.Background()
	ws := openWorkstations(t, 2)
	a, b := NewMailStore(ws[0]), NewMailStore(ws[1])
	q := NewStampStore(ws[0])
	doc, err := q.Post(ctx, stamping.NewDocument{IssuerRFC: mailRFC, TipoDeComprobante: "I", Serie: "A", Folio: "1", Fecha: mailNow,
		CustomID: "folio-A-1", SealedXML: []byte("<sellado/>")})
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Enqueue(ctx, doc, []string{"a@cliente.test", "b@cliente.test"}, mailNow)
	if err != nil {
		t.Fatal(err)
	}
	if jobs, err := b.Claim(ctx, mailNow, mailNow.Add(time.Minute), 10); err != nil || len(jobs) != 0 {
		t.Fatalf("claim while the document waits for its stamp = %d, %v; want none", len(jobs), err)
	}
	if err := q.MarkStamped(ctx, doc, []byte("<timbrado/>"), "UUID-1", stamping.Outcome{Class: stamping.Stamped}, mailNow); err != nil {
		t.Fatal(err)
	}
	jobs, err := a.Claim(ctx, mailNow, mailNow.Add(time.Hour), 10)
	if err != nil || len(jobs) != 1 || jobs[0].ID != id || string(jobs[0].XML) != "<timbrado/>" || jobs[0].DocState != delivery.DocumentStamped ||
		len(jobs[0].To) != 2 || jobs[0].Attempts != 1 {
		t.Fatalf("claim after the stamp = %+v, %v", jobs, err)
	}
	// b starting up leaves a's live lease alone; once a is gone it frees it.
	if err := b.ReleaseLeases(ctx); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := b.Claim(ctx, mailNow, mailNow.Add(time.Minute), 10); len(jobs) != 0 {
		t.Fatalf("b claimed %d deliveries a holds", len(jobs))
	}
	ws[0].Close()
	if err := b.ReleaseLeases(ctx); err != nil {
		t.Fatal(err)
	}
	jobs, err = b.Claim(ctx, mailNow, mailNow.Add(time.Minute), 10)
	if err != nil || len(jobs) != 1 || jobs[0].Attempts != 2 {
		t.Fatalf("claim after a is gone = %+v, %v; want its delivery, second attempt", jobs, err)
	}
	next := mailNow.Add(5 * time.Minute)
	if err := b.Retry(ctx, id, next, "El servidor de correo no respondió.", mailNow); err != nil {
		t.Fatal(err)
	}
	if due, ok, err := b.NextDue(ctx); err != nil || !ok || !due.Equal(next) {
		t.Errorf("NextDue = %v %v %v, want %v", due, ok, err, next)
	}
	if err := b.MarkSent(ctx, id, next); err != nil {
		t.Fatal(err)
	}
	d, err := b.Delivery(ctx, id)
	if err != nil || d.State != delivery.StateSent || !d.SentAt.Equal(next) || !d.CreatedAt.Equal(mailNow) || d.DocumentID != doc || d.LastError != "" {
		t.Fatalf("delivery after sending = %+v, %v", d, err)
	}
	if err := b.Fail(ctx, id, "no", mailNow); err != nil {
		t.Fatal(err)
	}
	states, err := b.DeliveryStates(ctx, []int64{doc, doc + 100})
	if err != nil || len(states) != 1 || states[doc] != delivery.StateSent {
		t.Errorf("DeliveryStates = %v, %v; want the document sent (a final state stays)", states, err)
	}
	if _, err := b.Delivery(ctx, id+100); domain.KindOf(err) != domain.NotFound {
		t.Errorf("a missing delivery = %v, want NotFound", err)
	}

	// The password opens with the installation key and only with it.
	st := delivery.SMTPSettings{IssuerRFC: mailRFC, Host: "smtp.kemper.test", Port: 587, Security: delivery.STARTTLS, User: mailUser, Password: mailPassword}
	if err := b.SaveMailSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got, err := b.MailSettings(ctx, mailRFC); err != nil || got.Password != mailPassword || got.Host != st.Host {
		t.Errorf("MailSettings = %+v, %v", got, err)
	}
	var sealed []byte
	if err := ws[1].ReadDB().QueryRowContext(ctx, `SELECT password_sealed FROM mail_settings`).Scan(&sealed); err != nil || bytes.Contains(sealed, []byte(mailPassword)) {
		t.Errorf("stored password: %v, in clear %v", err, bytes.Contains(sealed, []byte(mailPassword)))
	}
	other, err := Open(ctx, ws[1].DSN(), Options{SecretPath: filepath.Join(t.TempDir(), "otra.secret")})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := NewMailStore(other).MailSettings(ctx, mailRFC); domain.KindOf(err) != domain.Invalid {
		t.Errorf("MailSettings without the key = %v, want Invalid", err)
	}
	if _, err := b.MailSettings(ctx, "XAXX010101000"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("MailSettings of a company without them = %v, want NotFound", err)
	}
}
