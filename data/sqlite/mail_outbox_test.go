package sqlite

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/mail"
	"github.com/folio-mx/folio/data/mail/mailtest"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/stamping"
)

// mailNow is the fixed clock of the outbox tests.
var mailNow = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// The SMTP account of the test server.
const (
	mailUser     = "ventas@kemper.test"
	mailPassword = "Correo-Contraseña-7d1c"
)

// newMailServer is the in-process SMTP test server with the demo account;
// refuse, when set, is a recipient it refuses with 550.
func newMailServer(refuse string) *mailtest.Server {
	return &mailtest.Server{User: mailUser, Password: mailPassword, RejectTo: refuse}
}

// mailServer runs b with STARTTLS on listener ln (a fresh loopback port
// when nil) and returns the port and a TLS config that trusts it.
func mailServer(t *testing.T, b *mailtest.Server, ln net.Listener) (int, *tls.Config) {
	t.Helper()
	return b.Start(t, false, ln)
}

// freePort returns a loopback port nobody listens on (for now).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// mailSettings are the demo company's settings for a server on port.
func mailSettings(port int) delivery.SMTPSettings {
	return delivery.SMTPSettings{IssuerRFC: simtest.IssuerRFC, Host: "127.0.0.1", Port: port, Security: delivery.STARTTLS,
		User: mailUser, Password: mailPassword, FromName: "ESCUELA KEMPER URGATE"}
}

// openMailStore opens a migrated store at dir/folio.db.
func openMailStore(t *testing.T, dir string) (*Store, *MailStore) {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "folio.db"), Options{Now: func() time.Time { return mailNow }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, NewMailStore(s)
}

var (
	tfdKeyOnce sync.Once
	tfdKey     *rsa.PrivateKey
)

// postDemoDocument seals a demo invoice A-folio, queues it for stamping and,
// when stamped is true, records a stamp as the PAC returns it. It returns
// the document id and the stored XML the customer must receive.
func postDemoDocument(t *testing.T, s *Store, folio string, stamped bool) (int64, []byte) {
	t.Helper()
	ctx := context.Background()
	fecha := mailNow.Add(-2 * time.Hour)
	c := simtest.Invoice("A", folio, fecha, 3)
	sealed := simtest.Seal(t, c)
	q := NewStampStore(s)
	id, err := q.Post(ctx, stamping.NewDocument{IssuerRFC: simtest.IssuerRFC, Serie: "A", Folio: folio, TipoDeComprobante: "I",
		Fecha: fecha, CustomID: "A-" + folio, SealedXML: sealed})
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	if !stamped {
		return id, sealed
	}
	return id, stampDemoDocument(t, s, id, sealed, folio)
}

// stampDemoDocument records a stamp of the sealed document id, signed by a
// test key in place of the PAC's, and returns the stamped XML.
func stampDemoDocument(t *testing.T, s *Store, id int64, sealed []byte, folio string) []byte {
	t.Helper()
	var err error
	fecha := mailNow.Add(-2 * time.Hour)
	tfdKeyOnce.Do(func() { tfdKey, err = rsa.GenerateKey(rand.Reader, 2048) })
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := cfdi.Parse(sealed)
	if err != nil {
		t.Fatal(err)
	}
	uuid := strings.ToUpper("7a3c1e2b-5d4f-4a6b-8c9d-0000000000" + folio[len(folio)-2:])
	tfd := &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid, FechaTimbrado: fecha.Add(time.Minute).In(domain.MexicoCity).Format("2006-01-02T15:04:05"),
		RfcProvCertif: "SPR190613I52", SelloCFD: parsed.Sello, NoCertificadoSAT: "30001000000500009999"}
	sum := sha256.Sum256([]byte(cfdi.TFDCadena(tfd)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, tfdKey, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	tfd.SelloSAT = base64.StdEncoding.EncodeToString(sig)
	xml, err := cfdi.InsertTimbre(sealed, tfd)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewStampStore(s).MarkStamped(context.Background(), id, xml, uuid, stamping.Outcome{Class: stamping.Stamped}, mailNow.Add(-time.Hour)); err != nil {
		t.Fatalf("MarkStamped: %v", err)
	}
	return xml
}

// pinnedPrint makes rendered PDFs reproducible, so a test can render the
// same document and compare bytes.
func pinnedPrint(context.Context, string) print.Options {
	return print.Options{CreationDate: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
}

// newTestOutbox returns an outbox on m whose clock is *now.
func newTestOutbox(m *MailStore, tlsCfg *tls.Config, now *time.Time) *delivery.Outbox {
	return delivery.NewOutbox(m, m, mail.Deliverer{TLS: tlsCfg, Timeout: 10 * time.Second}, func() time.Time { return *now },
		delivery.Options{Print: pinnedPrint, BackoffBase: time.Minute, BackoffMax: time.Hour, Poll: 50 * time.Millisecond})
}

// recordingMailer keeps the PDF the outbox handed to the real Deliverer.
type recordingMailer struct {
	mail.Deliverer
	pdf []byte
}

func (r *recordingMailer) SendDocument(ctx context.Context, s delivery.SMTPSettings, to []string, c *cfdi.Comprobante, xml, pdf []byte) error {
	r.pdf = bytes.Clone(pdf)
	return r.Deliverer.SendDocument(ctx, s, to, c, xml, pdf)
}

// attachments returns the files of an accepted message by name, decoded.
func attachments(t *testing.T, data []byte) (subject string, files map[string][]byte) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return subject, files
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(p)
		if p.FileName() == "" {
			continue
		}
		dec, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
		if err != nil {
			t.Fatalf("%s: %v", p.FileName(), err)
		}
		files[p.FileName()] = dec
	}
}

func TestOutboxDeliversStoredXMLAndPDF(t *testing.T) {
	ctx := context.Background()
	// given a stamped invoice, the company's SMTP settings and a server
	b := newMailServer("")
	port, tlsCfg := mailServer(t, b, nil)
	s, m := openMailStore(t, t.TempDir())
	docID, storedXML := postDemoDocument(t, s, "101", true)
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatalf("SaveMailSettings: %v", err)
	}
	now := mailNow
	rec := &recordingMailer{Deliverer: mail.Deliverer{TLS: tlsCfg, Timeout: 10 * time.Second}}
	o := delivery.NewOutbox(m, m, rec, func() time.Time { return now }, delivery.Options{Print: pinnedPrint})

	// when it is queued for the customer's two addresses and the worker runs
	id, err := o.Enqueue(ctx, docID, []string{"Compras <compras@robotica.test>, pagos@robotica.test"})
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	if st, _ := m.DeliveryStates(ctx, []int64{docID}); st[docID] != delivery.StateQueued {
		t.Fatalf("state before the worker = %v, want queued", st)
	}
	if n, err := o.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}

	// then one message carries the stored XML and the PDF rendered from it
	d, err := m.Delivery(ctx, id)
	if err != nil || d.State != delivery.StateSent || d.Attempts != 1 || !d.SentAt.Equal(now) || d.LastError != "" {
		t.Fatalf("delivery = %+v, %v; want sent on the first attempt", d, err)
	}
	msgs := b.Messages()
	if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "compras@robotica.test,pagos@robotica.test" {
		t.Fatalf("server received %d messages (%v), want 1 for both addresses", len(msgs), msgs)
	}
	subject, files := attachments(t, msgs[0].Data)
	if want := "Factura A-101 de ESCUELA KEMPER URGATE"; subject != want {
		t.Errorf("Subject = %q, want %q", subject, want)
	}
	c, err := cfdi.Parse(storedXML)
	if err != nil {
		t.Fatal(err)
	}
	uuid := c.Complemento.TimbreFiscalDigital.UUID
	if !bytes.Equal(files[uuid+".xml"], storedXML) {
		t.Errorf("XML attachment (%d bytes) differs from the stored stamped XML (%d bytes)", len(files[uuid+".xml"]), len(storedXML))
	}
	// gofpdf writes fonts in map order, so two renders of one document
	// differ in byte order but not in length: the attachment must be the
	// very PDF the outbox rendered, and as long as a fresh render of the
	// stored (stamped) XML.
	if !bytes.Equal(files[uuid+".pdf"], rec.pdf) {
		t.Errorf("PDF attachment (%d bytes) differs from the PDF the outbox rendered (%d bytes)", len(files[uuid+".pdf"]), len(rec.pdf))
	}
	wantPDF, err := print.Render(c, pinnedPrint(ctx, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(rec.pdf, []byte("%PDF")) || len(rec.pdf) != len(wantPDF) {
		t.Errorf("rendered PDF: %d bytes, a render of the stored XML has %d", len(rec.pdf), len(wantPDF))
	}
	// and the invoice list can ask cheaply whether it was sent
	st, err := m.DeliveryStates(ctx, []int64{docID, docID + 100})
	if err != nil || len(st) != 1 || st[docID] != delivery.StateSent {
		t.Errorf("DeliveryStates = %v, %v; want only %d: sent", st, err, docID)
	}
}

func TestOutboxServerDownThenUp(t *testing.T) {
	ctx := context.Background()
	// given settings that point at a port where no server listens yet
	port := freePort(t)
	s, m := openMailStore(t, t.TempDir())
	docID, _ := postDemoDocument(t, s, "102", true)
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	now := mailNow
	b := newMailServer("")
	o := newTestOutbox(m, nil, &now)
	id, err := o.Enqueue(ctx, docID, []string{"compras@robotica.test"})
	if err != nil {
		t.Fatal(err)
	}

	// when the worker runs while the server is down
	if n, err := o.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}

	// then the delivery stays queued with its attempt, a reason and a later time
	d, _ := m.Delivery(ctx, id)
	wait := d.NextAttemptAt.Sub(now)
	if d.State != delivery.StateQueued || d.Attempts != 1 || wait < 30*time.Second || wait > time.Minute {
		t.Fatalf("after a failed attempt: state %s, attempts %d, next in %v; want queued, 1, within [30s, 1m]", d.State, d.Attempts, wait)
	}
	if !strings.Contains(d.LastError, "No se pudo conectar con el servidor de correo") {
		t.Errorf("LastError = %q", d.LastError)
	}
	// and it is not attempted again before its time
	if n, _ := o.RunOnce(ctx); n != 0 {
		t.Fatalf("attempted again %d before its time", n)
	}
	next, ok, err := m.NextDue(ctx)
	if err != nil || !ok || !next.Equal(d.NextAttemptAt) {
		t.Errorf("NextDue = %v, %v, %v; want %v", next, ok, err, d.NextAttemptAt)
	}

	// when the server comes up on that port and the time has come
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Skipf("port %d was taken meanwhile: %v", port, err)
	}
	_, tlsCfg := mailServer(t, b, ln)
	o = newTestOutbox(m, tlsCfg, &now)
	now = d.NextAttemptAt
	if n, err := o.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	// then it is sent on the second attempt
	d, _ = m.Delivery(ctx, id)
	if d.State != delivery.StateSent || d.Attempts != 2 || len(b.Messages()) != 1 {
		t.Fatalf("state %s after %d attempts, %d messages; want sent after 2, 1 message", d.State, d.Attempts, len(b.Messages()))
	}
}

func TestOutboxResumesAfterRestart(t *testing.T) {
	ctx := context.Background()
	b := newMailServer("")
	port, tlsCfg := mailServer(t, b, nil)
	dir := t.TempDir()

	// given a delivery whose attempt was in flight when Folio died: claimed
	// with a lease of ten minutes, never recorded
	s1, m1 := openMailStore(t, dir)
	docID, storedXML := postDemoDocument(t, s1, "103", true)
	if err := m1.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	id, err := m1.Enqueue(ctx, docID, []string{"compras@robotica.test"}, mailNow)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := m1.Claim(ctx, mailNow, mailNow.Add(10*time.Minute), 5)
	if err != nil || len(jobs) != 1 || !bytes.Equal(jobs[0].XML, storedXML) {
		t.Fatalf("Claim = %d jobs, %v", len(jobs), err)
	}
	if again, _ := m1.Claim(ctx, mailNow, mailNow.Add(10*time.Minute), 5); len(again) != 0 {
		t.Fatalf("a leased delivery was claimed twice")
	}
	s1.Close()

	// when Folio starts again and runs the outbox
	_, m2 := openMailStore(t, dir)
	now := mailNow.Add(time.Minute) // the lease has not expired
	sent := make(chan struct{})
	o := delivery.NewOutbox(m2, m2, mail.Deliverer{TLS: tlsCfg, Timeout: 10 * time.Second}, func() time.Time { return now },
		delivery.Options{Print: pinnedPrint, Poll: 20 * time.Millisecond, OnChange: func(doc int64, st delivery.State) {
			if doc == docID && st == delivery.StateSent {
				close(sent)
			}
		}})
	runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- o.Run(runCtx) }()
	select {
	case <-sent:
	case <-runCtx.Done():
		t.Fatal("the interrupted delivery was not resumed")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}

	// then it was sent once, on its second attempt
	d, _ := m2.Delivery(ctx, id)
	if d.State != delivery.StateSent || d.Attempts != 2 || len(b.Messages()) != 1 {
		t.Fatalf("state %s after %d attempts, %d messages; want sent after 2, 1 message", d.State, d.Attempts, len(b.Messages()))
	}
}

func TestOutboxRefusalFails(t *testing.T) {
	ctx := context.Background()
	// given a server that refuses one recipient
	b := newMailServer("nadie@robotica.test")
	port, tlsCfg := mailServer(t, b, nil)
	s, m := openMailStore(t, t.TempDir())
	docID, _ := postDemoDocument(t, s, "104", true)
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	now := mailNow
	o := newTestOutbox(m, tlsCfg, &now)
	id, err := o.Enqueue(ctx, docID, []string{"nadie@robotica.test"})
	if err != nil {
		t.Fatal(err)
	}
	// when the worker runs
	if _, err := o.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// then the delivery fails with the server's reason in Spanish, for good
	d, _ := m.Delivery(ctx, id)
	if d.State != delivery.StateFailed || !strings.Contains(d.LastError, "rechazó el destinatario nadie@robotica.test") {
		t.Fatalf("delivery = %s %q; want failed with the refusal", d.State, d.LastError)
	}
	if n, _ := o.RunOnce(ctx); n != 0 || len(b.Messages()) != 0 {
		t.Fatalf("a failed delivery was attempted again")
	}
	if st, _ := m.DeliveryStates(ctx, []int64{docID}); st[docID] != delivery.StateFailed {
		t.Errorf("DeliveryStates = %v, want failed", st)
	}
}

func TestOutboxWaitsForStamp(t *testing.T) {
	ctx := context.Background()
	b := newMailServer("")
	port, tlsCfg := mailServer(t, b, nil)
	s, m := openMailStore(t, t.TempDir())
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	now := mailNow
	o := newTestOutbox(m, tlsCfg, &now)

	// given deliveries of two documents that are sealed but not stamped yet
	pending, sealed := postDemoDocument(t, s, "105", false)
	doomed, _ := postDemoDocument(t, s, "106", false)
	id, err := o.Enqueue(ctx, pending, []string{"compras@robotica.test"})
	if err != nil {
		t.Fatal(err)
	}
	doomedID, err := o.Enqueue(ctx, doomed, []string{"compras@robotica.test"})
	if err != nil {
		t.Fatal(err)
	}
	// then the unstamped PDF is never sent: the deliveries wait
	if n, _ := o.RunOnce(ctx); n != 0 || len(b.Messages()) != 0 {
		t.Fatalf("claimed %d deliveries of unstamped documents", n)
	}
	if _, ok, _ := m.NextDue(ctx); ok {
		t.Error("NextDue counts deliveries that wait for their stamp (the worker would spin)")
	}

	// when one is stamped, it goes out with the stamped XML
	stampedXML := stampDemoDocument(t, s, pending, sealed, "105")
	if n, _ := o.RunOnce(ctx); n != 1 {
		t.Fatalf("claimed %d after the stamp, want 1", n)
	}
	if d, _ := m.Delivery(ctx, id); d.State != delivery.StateSent {
		t.Fatalf("delivery after the stamp = %s %q, want sent", d.State, d.LastError)
	}
	msgs := b.Messages()
	if len(msgs) != 1 {
		t.Fatalf("received %d messages, want 1", len(msgs))
	}
	if _, files := attachments(t, msgs[0].Data); !bytes.Equal(files["7A3C1E2B-5D4F-4A6B-8C9D-000000000005.xml"], stampedXML) {
		t.Errorf("sent XML is not the stamped XML; files %d", len(files))
	}

	// when the other is rejected by the PAC, its delivery fails with the reason
	q := NewStampStore(s)
	if err := q.Reject(ctx, doomed, stamping.Outcome{Class: stamping.NeedsUser, Code: "CFDI40102", Message: "x"}, "", now); err != nil {
		t.Fatal(err)
	}
	if n, _ := o.RunOnce(ctx); n != 1 {
		t.Fatalf("claimed %d, want the delivery of the rejected document", n)
	}
	d, _ := m.Delivery(ctx, doomedID)
	if d.State != delivery.StateFailed || !strings.Contains(d.LastError, "no se timbró") || len(b.Messages()) != 1 {
		t.Fatalf("delivery of a rejected document = %s %q", d.State, d.LastError)
	}
	// and a new delivery of it is refused
	if _, err := o.Enqueue(ctx, doomed, []string{"compras@robotica.test"}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Enqueue(rejected) = %v, want Conflict", err)
	}
	if _, err := o.Enqueue(ctx, 9999, []string{"compras@robotica.test"}); domain.KindOf(err) != domain.NotFound {
		t.Errorf("Enqueue(missing) = %v, want NotFound", err)
	}
}

func TestMailPasswordNotStoredInPlainText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, m := openMailStore(t, dir)

	// given settings saved with a password
	want := mailSettings(2525)
	want.From = "facturas@kemper.test"
	if err := m.SaveMailSettings(ctx, want); err != nil {
		t.Fatalf("SaveMailSettings: %v", err)
	}
	// then they read back whole
	got, err := m.MailSettings(ctx, "eku9003173c9")
	if err != nil || got != want {
		t.Fatalf("MailSettings = %v, %v; want %v", got, err, want)
	}
	// and no byte SQLite wrote holds the password, while the user name is there
	var raw []byte
	for _, name := range []string{"folio.db", "folio.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte(mailUser)) {
		t.Fatal("the user name is not in the database files; the search below would prove nothing")
	}
	if bytes.Contains(raw, []byte(mailPassword)) {
		t.Error("the SMTP password is in the database file in plain text")
	}
	// and the key file beside the database is private to the user
	if st, err := os.Stat(s.SecretPath()); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v, %v; want mode 0600", st, err)
	}

	// a sealed password copied to another company does not open there
	if _, err := s.WriteDB().ExecContext(ctx, `INSERT INTO mail_settings (issuer_rfc, host, port, security, username, password_sealed, updated_at)
		SELECT 'CACX7605101P8', host, port, security, username, password_sealed, updated_at FROM mail_settings`); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MailSettings(ctx, "CACX7605101P8"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("moved password = %v, want Invalid", err)
	}
	// without the key file the password cannot be read, and the user is told
	if err := os.Remove(s.SecretPath()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MailSettings(ctx, simtest.IssuerRFC); domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "Escríbala de nuevo") {
		t.Errorf("without the key file: %v", err)
	}
	// and a company without settings is NotFound
	if _, err := m.MailSettings(ctx, "XAXX010101000"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("MailSettings(none) = %v, want NotFound", err)
	}
	// invalid settings are refused before anything is stored
	bad := want
	bad.Host = ""
	if err := m.SaveMailSettings(ctx, bad); domain.KindOf(err) != domain.Invalid {
		t.Errorf("SaveMailSettings(no host) = %v, want Invalid", err)
	}
}

func TestExportDocumentsWritesFiles(t *testing.T) {
	ctx := context.Background()
	// given three stamped documents, one sealed only, in a date range
	s, m := openMailStore(t, t.TempDir())
	var stored [][]byte
	for _, f := range []string{"201", "202", "203"} {
		_, xml := postDemoDocument(t, s, f, true)
		stored = append(stored, xml)
	}
	postDemoDocument(t, s, "204", false)

	// when they are read for export and written to a folder
	docs, err := m.ExportDocuments(ctx, simtest.IssuerRFC, mailNow.Add(-24*time.Hour), mailNow)
	if err != nil || len(docs) != 3 {
		t.Fatalf("ExportDocuments = %d docs, %v; want the 3 stamped", len(docs), err)
	}
	if none, _ := m.ExportDocuments(ctx, simtest.IssuerRFC, mailNow, time.Time{}); len(none) != 0 {
		t.Errorf("documents after the range: %d", len(none))
	}
	dir := filepath.Join(t.TempDir(), "exportado")
	if err := delivery.Export(ctx, docs, dir, nil); err != nil {
		t.Fatalf("Export: %v", err)
	}
	// then each XML on disk is the stored stamped XML, named SERIE-FOLIO_UUID
	for i, d := range docs {
		name := "A-" + d.Folio + "_" + d.UUID
		if d.Folio != []string{"201", "202", "203"}[i] {
			t.Errorf("doc %d folio %s, want oldest first", i, d.Folio)
		}
		xml, err := os.ReadFile(filepath.Join(dir, name+".xml"))
		if err != nil || !bytes.Equal(xml, stored[i]) {
			t.Errorf("%s.xml differs from the store (%v)", name, err)
		}
		if pdf, err := os.ReadFile(filepath.Join(dir, name+".pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s.pdf: %v", name, err)
		}
	}
}

func TestInvoiceDeliveryStates(t *testing.T) {
	ctx := context.Background()
	s, m := openMailStore(t, t.TempDir())
	doc, _ := postDemoDocument(t, s, "301", true)
	other, _ := postDemoDocument(t, s, "302", true)
	// given two invoices linked to the documents (as posting links them)
	now := stampTime(mailNow)
	res, err := s.WriteDB().ExecContext(ctx, `INSERT INTO customers (rfc, name, regimen_fiscal, uso_cfdi, created_at, updated_at)
		VALUES ('URE180429TM6', 'UNIVERSIDAD ROBOTICA ESPAÑOLA', '601', 'G03', ?, ?)`, now, now)
	if err != nil {
		t.Fatal(err)
	}
	cust, _ := res.LastInsertId()
	var invoices []int64
	for i, d := range []int64{doc, other} {
		res, err := s.WriteDB().ExecContext(ctx, `INSERT INTO invoices (issuer, status, serie, folio, fecha, customer_id, customer_rfc, customer_name, document_id, created_at, updated_at)
			VALUES (?, 'stamped', 'A', ?, ?, ?, 'URE180429TM6', 'UNIVERSIDAD ROBOTICA ESPAÑOLA', ?, ?, ?)`, simtest.IssuerRFC, 301+i, now, cust, d, now, now)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		invoices = append(invoices, id)
	}
	if got, err := m.DocumentOfInvoice(ctx, invoices[1]); err != nil || got != other {
		t.Errorf("DocumentOfInvoice = %d, %v; want %d", got, err, other)
	}
	if _, err := m.DocumentOfInvoice(ctx, 12345); domain.KindOf(err) != domain.NotFound {
		t.Errorf("DocumentOfInvoice(missing) = %v, want NotFound", err)
	}
	// when the first is sent once, fails, and is queued again
	first, _ := m.Enqueue(ctx, doc, []string{"a@b.test"}, mailNow)
	if err := m.Fail(ctx, first, "x", mailNow); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Enqueue(ctx, doc, []string{"a@b.test"}, mailNow); err != nil {
		t.Fatal(err)
	}
	// then the list sees the newest delivery's state, and nothing for the other
	got, err := m.InvoiceDeliveryStates(ctx, append(invoices, 12345))
	if err != nil || len(got) != 1 || got[invoices[0]] != delivery.StateQueued {
		t.Fatalf("InvoiceDeliveryStates = %v, %v; want {%d: queued}", got, err, invoices[0])
	}
	// and many ids are answered in chunks
	many := make([]int64, 1201)
	for i := range many {
		many[i] = int64(i + 1)
	}
	if got, err := m.DeliveryStates(ctx, many); err != nil || got[doc] != delivery.StateQueued || len(got) != 1 {
		t.Fatalf("DeliveryStates(1201 ids) = %v, %v", got, err)
	}
}

func TestOutboxWaitsForSettings(t *testing.T) {
	ctx := context.Background()
	b := newMailServer("")
	port, tlsCfg := mailServer(t, b, nil)
	s, m := openMailStore(t, t.TempDir())
	docID, _ := postDemoDocument(t, s, "401", true)
	now := mailNow
	o := newTestOutbox(m, tlsCfg, &now)
	id, err := o.Enqueue(ctx, docID, []string{"compras@robotica.test"})
	if err != nil {
		t.Fatal(err)
	}
	// given a company without SMTP settings, the delivery waits and says why
	if n, _ := o.RunOnce(ctx); n != 1 {
		t.Fatalf("claimed %d, want 1", n)
	}
	d, _ := m.Delivery(ctx, id)
	if d.State != delivery.StateQueued || d.NextAttemptAt.Sub(now) != 15*time.Minute || !strings.Contains(d.LastError, "Configure el servidor de correo") {
		t.Fatalf("without settings: %s, next in %v, %q", d.State, d.NextAttemptAt.Sub(now), d.LastError)
	}
	// when the settings are saved, it is due at once and goes out
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	if n, _ := o.RunOnce(ctx); n != 1 {
		t.Fatalf("claimed %d after saving the settings, want 1", n)
	}
	if d, _ := m.Delivery(ctx, id); d.State != delivery.StateSent || len(b.Messages()) != 1 {
		t.Fatalf("after saving the settings: %s %q, %d messages", d.State, d.LastError, len(b.Messages()))
	}
}

// TestOutboxDeliversMessage: a message (an account statement) waits in the
// outbox until the company has its mail settings, then goes out with its
// attachment byte for byte; the delivery keeps its subject.
func TestOutboxDeliversMessage(t *testing.T) {
	ctx := context.Background()
	b := newMailServer("")
	port, tlsCfg := mailServer(t, b, nil)
	_, m := openMailStore(t, t.TempDir())
	now := mailNow
	o := delivery.NewOutbox(m, m, mail.Deliverer{TLS: tlsCfg, Timeout: 10 * time.Second}, func() time.Time { return now }, delivery.Options{})
	pdf := []byte("%PDF-1.3 estado de cuenta")
	msg := delivery.Message{Subject: "Estado de cuenta de UNIVERSIDAD ROBOTICA ESPAÑOLA", Body: "Le enviamos su estado de cuenta.",
		Attachments: []delivery.Attachment{{Name: "estado.pdf", ContentType: "application/pdf", Data: pdf}}}
	id, err := o.EnqueueMessage(ctx, simtest.IssuerRFC, []string{"pagos@robotica.test"}, msg)
	if err != nil {
		t.Fatal(err)
	}
	// no settings yet: it waits, saying where to configure them
	if _, err := o.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if d, _ := m.Delivery(ctx, id); d.State != delivery.StateQueued || d.LastError != delivery.MsgNoSettings || d.DocumentID != 0 {
		t.Fatalf("without settings: %+v", d)
	}
	if err := m.SaveMailSettings(ctx, mailSettings(port)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := m.Delivery(ctx, id)
	if err != nil || d.State != delivery.StateSent || d.Subject != msg.Subject {
		t.Fatalf("after saving the settings: %+v, %v", d, err)
	}
	msgs := b.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	subject, files := attachments(t, msgs[0].Data)
	if subject != msg.Subject || !bytes.Equal(files["estado.pdf"], pdf) {
		t.Errorf("received %q with %d files, want the subject and the PDF as queued", subject, len(files))
	}
}
