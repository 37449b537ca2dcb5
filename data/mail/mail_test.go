package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/mail/mailtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// The account the test server accepts.
const (
	testUser     = "ventas@folio.test"
	testPassword = "secreto"
)

// backend is the in-process test server.
type backend = mailtest.Server

// startServer runs b on loopback and returns settings pointing at it.
func startServer(t *testing.T, b *backend, sec Security) Settings {
	t.Helper()
	b.User, b.Password = testUser, testPassword
	port, client := b.Start(t, sec == ImplicitTLS, nil)
	return Settings{
		Host:     "127.0.0.1",
		Port:     port,
		Security: sec,
		User:     testUser,
		Password: testPassword,
		FromName: "Escuela Kemper Urgate",
		TLS:      client,
		Timeout:  10 * time.Second,
	}
}

// someBytes returns n bytes covering every byte value, so any re-encoding shows.
func someBytes(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

func TestSendDeliversAttachmentsByteIdentical(t *testing.T) {
	t.Parallel()
	for _, sec := range []Security{STARTTLS, ImplicitTLS} {
		name := map[Security]string{STARTTLS: "starttls", ImplicitTLS: "implicit_tls"}[sec]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// given a server on loopback and a stamped invoice
			b := &backend{}
			s := startServer(t, b, sec)
			xml := []byte(`<?xml version="1.0" encoding="UTF-8"?><cfdi:Comprobante Nombre="ÑANDÚ &amp; CÍA"/>` + "\n")
			pdf := append([]byte("%PDF-1.3\n"), someBytes(5000, 0x5a)...)
			doc := Document{TipoDeComprobante: "I", Serie: "A", Folio: "123", UUID: "5F1E1A48-8B0E-4E5B-9B8E-4B5B1A1C2D3E",
				Emisor: "ESCUELA KEMPER URGATE", Receptor: "PEÑA SÁNCHEZ", Total: "$1,234.56", Moneda: "MXN"}
			msg := DocumentMessage([]string{"Compras <compras@cliente.test>", "pagos@cliente.test"}, doc, xml, pdf)

			// when it is sent
			if err := Send(context.Background(), s, msg); err != nil {
				t.Fatalf("Send: %v", err)
			}

			// then exactly one message arrives for both addresses, with both files intact
			msgs := b.Messages()
			if len(msgs) != 1 {
				t.Fatalf("server got %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if got.From != "ventas@folio.test" {
				t.Errorf("MAIL FROM = %q, want ventas@folio.test", got.From)
			}
			if strings.Join(got.To, ",") != "compras@cliente.test,pagos@cliente.test" {
				t.Errorf("RCPT TO = %v", got.To)
			}
			m, err := netmail.ReadMessage(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatal(err)
			}
			subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if err != nil {
				t.Fatal(err)
			}
			if want := "Factura A-123 de ESCUELA KEMPER URGATE"; subj != want {
				t.Errorf("Subject = %q, want %q", subj, want)
			}
			mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
			if err != nil || mt != "multipart/mixed" {
				t.Fatalf("Content-Type = %q (%v)", m.Header.Get("Content-Type"), err)
			}
			mr := multipart.NewReader(m.Body, params["boundary"])
			files := map[string][]byte{}
			var body string
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				raw, err := io.ReadAll(p)
				if err != nil {
					t.Fatal(err)
				}
				if fn := p.FileName(); fn != "" {
					if p.Header.Get("Content-Transfer-Encoding") != "base64" {
						t.Errorf("%s: transfer encoding %q", fn, p.Header.Get("Content-Transfer-Encoding"))
					}
					dec, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
					if err != nil {
						t.Fatalf("%s: %v", fn, err)
					}
					files[fn] = dec
					continue
				}
				body = string(raw) // multipart.Reader already undid quoted-printable
			}
			if !bytes.Equal(files[doc.UUID+".xml"], xml) {
				t.Errorf("XML attachment differs: got %d bytes, want %d", len(files[doc.UUID+".xml"]), len(xml))
			}
			if !bytes.Equal(files[doc.UUID+".pdf"], pdf) {
				t.Errorf("PDF attachment differs: got %d bytes, want %d", len(files[doc.UUID+".pdf"]), len(pdf))
			}
			for _, want := range []string{"PEÑA SÁNCHEZ", "factura A-123", doc.UUID, "$1,234.56 MXN", "representación impresa"} {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	msg := Message{To: []string{"compras@cliente.test"}, Subject: "Factura", Body: "hola"}

	t.Run("refused connection is unavailable", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close() // nobody listens there any more
		s := Settings{Host: "127.0.0.1", Port: port, User: "ventas@folio.test", Password: "x", Timeout: 5 * time.Second}
		err = Send(context.Background(), s, msg)
		if got := domain.KindOf(err); got != domain.Unavailable {
			t.Fatalf("KindOf(%v) = %v, want unavailable", err, got)
		}
		if !strings.Contains(domain.UserMessage(err), "No se pudo conectar") {
			t.Errorf("UserMessage = %q", domain.UserMessage(err))
		}
	})
	t.Run("wrong password is invalid", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, &backend{}, STARTTLS)
		s.Password = "otra"
		err := Send(context.Background(), s, msg)
		if got := domain.KindOf(err); got != domain.Invalid {
			t.Fatalf("KindOf(%v) = %v, want invalid", err, got)
		}
	})
	t.Run("refused recipient is rejected", func(t *testing.T) {
		t.Parallel()
		b := &backend{RejectTo: "nadie@cliente.test"}
		s := startServer(t, b, STARTTLS)
		m := msg
		m.To = []string{"compras@cliente.test", "nadie@cliente.test"}
		err := Send(context.Background(), s, m)
		if got := domain.KindOf(err); got != domain.Rejected {
			t.Fatalf("KindOf(%v) = %v, want rejected", err, got)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != "550" {
			t.Errorf("error code = %v, want 550", err)
		}
		if n := len(b.Messages()); n != 0 {
			t.Errorf("server stored %d messages after a refused recipient", n)
		}
	})
	t.Run("untrusted certificate is unavailable", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, &backend{}, ImplicitTLS)
		s.TLS = nil // system roots do not trust the test certificate
		if got := domain.KindOf(Send(context.Background(), s, msg)); got != domain.Unavailable {
			t.Fatalf("kind = %v, want unavailable", got)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, &backend{}, STARTTLS)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if got := domain.KindOf(Send(ctx, s, msg)); got != domain.Unavailable {
			t.Fatalf("kind = %v, want unavailable", got)
		}
	})
	for _, tt := range []struct {
		name string
		s    Settings
		m    Message
	}{
		{"no recipients", Settings{Host: "127.0.0.1", User: "a@b.test"}, Message{}},
		{"bad recipient", Settings{Host: "127.0.0.1", User: "a@b.test"}, Message{To: []string{"no es correo"}}},
		{"no sender", Settings{Host: "127.0.0.1"}, msg},
		{"no host", Settings{User: "a@b.test"}, msg},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Send(context.Background(), tt.s, tt.m)
			if got := domain.KindOf(err); got != domain.Invalid {
				t.Fatalf("KindOf(%v) = %v, want invalid", err, got)
			}
			if domain.UserMessage(err) == "" {
				t.Error("no user message")
			}
		})
	}
}

func TestDocumentMessageNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc         Document
		wantSubject string
		wantFile    string
	}{
		{Document{TipoDeComprobante: "I", Serie: "A", Folio: "7", Emisor: "ACME"}, "Factura A-7 de ACME", "A-7.xml"},
		{Document{TipoDeComprobante: "E", Folio: "9", UUID: "U-1"}, "Nota de crédito 9", "U-1.xml"},
		{Document{TipoDeComprobante: "P", Serie: "P", Folio: "1", Emisor: "ACME"}, "Complemento de pago P-1 de ACME", "P-1.xml"},
		{Document{}, "Comprobante", "CFDI.xml"},
	}
	for _, tt := range tests {
		m := DocumentMessage([]string{"a@b.test"}, tt.doc, []byte("x"), []byte("y"))
		if m.Subject != tt.wantSubject {
			t.Errorf("Subject = %q, want %q", m.Subject, tt.wantSubject)
		}
		if m.Attachments[0].Name != tt.wantFile {
			t.Errorf("XML file = %q, want %q", m.Attachments[0].Name, tt.wantFile)
		}
	}
}

func TestDocumentOf(t *testing.T) {
	t.Parallel()
	c := &cfdi.Comprobante{TipoDeComprobante: "I", Serie: "A", Folio: "77", Total: "1234567.50", Moneda: "MXN",
		Emisor: cfdi.Emisor{Nombre: "ESCUELA KEMPER URGATE"}, Receptor: cfdi.Receptor{Nombre: "PEÑA SÁNCHEZ"},
		Complemento: &cfdi.Complemento{TimbreFiscalDigital: &cfdi.TimbreFiscalDigital{UUID: "AAAA-1"}}}
	want := Document{TipoDeComprobante: "I", Serie: "A", Folio: "77", UUID: "AAAA-1", Emisor: "ESCUELA KEMPER URGATE",
		Receptor: "PEÑA SÁNCHEZ", Total: "$1,234,567.50", Moneda: "MXN"}
	if got := DocumentOf(c); got != want {
		t.Errorf("DocumentOf = %+v, want %+v", got, want)
	}
	m := DocumentMessage([]string{"a@b.test"}, DocumentOf(c), nil, nil)
	if !strings.Contains(m.Body, "Le enviamos la factura A-77 (folio fiscal AAAA-1), emitida por ESCUELA KEMPER URGATE, por un total de $1,234,567.50 MXN.") {
		t.Errorf("body:\n%s", m.Body)
	}
	for in, want := range map[string]string{"0": "$0", "999.9": "$999.9", "1000": "$1,000", "x1": "x1", "": ""} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}
