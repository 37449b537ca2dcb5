// Package mail delivers documents by e-mail over SMTP: the XML and the PDF of
// a CFDI sent to the customer's addresses with a Spanish message. It uses the
// standard library's net/smtp; failures come back as domain errors (a server
// that cannot be reached is domain.Unavailable, so the caller may retry).
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Security is how the connection to the SMTP server is protected.
type Security int

const (
	// STARTTLS connects in clear text (usually port 587) and upgrades to TLS
	// before authenticating; a server that does not offer it is refused.
	STARTTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (usually port 465).
	ImplicitTLS
)

// Settings are the SMTP account the documents are sent from.
type Settings struct {
	Host     string
	Port     int // 0 means 587 for STARTTLS and 465 for ImplicitTLS
	Security Security
	User     string // empty: no authentication
	Password string
	From     string // sender address; empty means User
	FromName string // display name of the sender, e.g. the company name

	// TLS overrides the TLS configuration (nil: system roots, ServerName = Host).
	TLS *tls.Config
	// Timeout bounds the whole conversation (0: 60 seconds); ctx may end it sooner.
	Timeout time.Duration
}

// Attachment is one file attached to a message.
type Attachment struct {
	Name        string // file name shown to the recipient
	ContentType string // e.g. "application/xml"
	Data        []byte
}

// Message is what Send delivers.
type Message struct {
	To          []string // recipient addresses (RFC 5322, "Name <a@b>" allowed)
	Subject     string
	Body        string // plain text, UTF-8
	Attachments []Attachment
	Date        time.Time // zero means now
}

const op = "mail.Send"

// Send delivers msg through the server in s. It returns a domain.Invalid
// error for bad settings, addresses or credentials, domain.Rejected when the
// server refuses the message or a recipient, and domain.Unavailable when the
// server cannot be reached or the connection fails (worth retrying later).
func Send(ctx context.Context, s Settings, msg Message) error {
	from := s.From
	if from == "" {
		from = s.User
	}
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return domain.E(domain.Invalid, op, "La dirección del remitente no es válida; revise la configuración de correo.", err)
	}
	if s.Host == "" {
		return domain.E(domain.Invalid, op, "Falta el servidor de correo (SMTP) en la configuración.", nil)
	}
	if len(msg.To) == 0 {
		return domain.E(domain.Invalid, op, "El cliente no tiene direcciones de correo.", nil)
	}
	var rcpts []*mail.Address
	for _, to := range msg.To {
		a, err := mail.ParseAddress(to)
		if err != nil {
			return domain.E(domain.Invalid, op, fmt.Sprintf("La dirección de correo %q no es válida.", to), err)
		}
		rcpts = append(rcpts, a)
	}
	data, err := compose(&mail.Address{Name: s.FromName, Address: fromAddr.Address}, rcpts, msg)
	if err != nil {
		return domain.E(domain.Internal, op, "", err)
	}
	return deliver(ctx, s, fromAddr.Address, rcpts, data)
}

func deliver(ctx context.Context, s Settings, from string, rcpts []*mail.Address, data []byte) error {
	port := s.Port
	if port == 0 {
		port = 587
		if s.Security == ImplicitTLS {
			port = 465
		}
	}
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	unreachable := func(err error) error {
		return domain.E(domain.Unavailable, op, fmt.Sprintf("No se pudo conectar con el servidor de correo %s. Revise la conexión a internet y los datos del servidor, e intente más tarde.", addr), err)
	}
	tlsCfg := s.TLS
	if tlsCfg == nil {
		tlsCfg = &tls.Config{}
	}
	tlsCfg = tlsCfg.Clone()
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = s.Host
	}

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return unreachable(err)
	}
	if s.Security == ImplicitTLS {
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return unreachable(err)
		}
		conn = tc
	}
	// net/smtp has no context: a deadline and a watcher end a stuck conversation.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return unreachable(err)
	}
	defer c.Close()
	if s.Security == STARTTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return domain.E(domain.Invalid, op, "El servidor de correo no ofrece conexión segura (STARTTLS); elija TLS implícito o revise el puerto.", errors.New("server lacks STARTTLS"))
		}
		if err := c.StartTLS(tlsCfg); err != nil {
			return unreachable(err)
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
			return smtpError(err, "El servidor de correo rechazó el usuario o la contraseña; revise la configuración de correo.", unreachable)
		}
	}
	if err := c.Mail(from); err != nil {
		return smtpError(err, "El servidor de correo rechazó al remitente "+from+".", unreachable)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r.Address); err != nil {
			return smtpError(err, "El servidor de correo rechazó el destinatario "+r.Address+".", unreachable)
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpError(err, "El servidor de correo no aceptó el mensaje.", unreachable)
	}
	if _, err := w.Write(data); err != nil {
		return unreachable(err)
	}
	if err := w.Close(); err != nil {
		return smtpError(err, "El servidor de correo no aceptó el mensaje.", unreachable)
	}
	if err := c.Quit(); err != nil {
		// The message was accepted at the end of DATA; a failed QUIT does not undo it.
		return nil
	}
	return nil
}

// smtpError maps a failed SMTP command: a permanent reply (5xx) is the
// server's refusal (authentication failures are the user's to fix), a
// temporary one (4xx) or a broken connection is Unavailable.
func smtpError(err error, refused string, unreachable func(error) error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 535 || te.Code == 534 || te.Code == 530:
			return domain.E(domain.Invalid, op, refused, err)
		case te.Code >= 500:
			e := domain.E(domain.Rejected, op, refused, err)
			e.Code = strconv.Itoa(te.Code)
			return e
		}
		return unreachable(err)
	}
	if strings.Contains(err.Error(), "unencrypted connection") || strings.Contains(err.Error(), "wrong host name") {
		return domain.E(domain.Invalid, op, "No se envía la contraseña por una conexión sin cifrar; active STARTTLS o TLS implícito.", err)
	}
	return unreachable(err)
}

// compose writes the RFC 5322 message: a multipart/mixed with the text body
// (quoted-printable UTF-8) and each attachment in base64.
func compose(from *mail.Address, to []*mail.Address, msg Message) ([]byte, error) {
	date := msg.Date
	if date.IsZero() {
		date = time.Now()
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	hdr := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	hdr("From", from.String())
	tos := make([]string, len(to))
	for i, a := range to {
		tos[i] = a.String()
	}
	hdr("To", strings.Join(tos, ", "))
	hdr("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	hdr("Date", date.Format(time.RFC1123Z))
	hdr("Message-ID", messageID(from.Address))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	buf.WriteString("\r\n")

	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, err
	}
	qp := quotedprintable.NewWriter(part)
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := io.WriteString(qp, body); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	for _, a := range msg.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(ct, map[string]string{"name": a.Name})},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
		})
		if err != nil {
			return nil, err
		}
		if err := writeBase64Lines(part, a.Data); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeBase64Lines writes data in base64 with CRLF every 76 characters
// (RFC 2045 §6.8).
func writeBase64Lines(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err := io.WriteString(w, enc+"\r\n")
	return err
}

func messageID(from string) string {
	var b [12]byte
	rand.Read(b[:])
	domainPart := "folio.local"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domainPart = from[i+1:]
	}
	return "<" + hex.EncodeToString(b[:]) + "@" + domainPart + ">"
}
