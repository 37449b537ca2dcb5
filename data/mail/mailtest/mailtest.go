// Package mailtest runs an in-process SMTP server on loopback for tests:
// it authenticates one account (PLAIN), speaks STARTTLS or implicit TLS with
// a fresh self-signed certificate, can refuse one recipient with 550, and
// records every message it accepts.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Server is the test server. Set User and Password (the only account it
// accepts) and optionally RejectTo before Start.
type Server struct {
	User, Password string
	RejectTo       string // a recipient refused with 550

	mu   sync.Mutex
	msgs []Message
}

// Start serves on ln (a fresh 127.0.0.1 port when nil), with implicit TLS or
// else STARTTLS, until the test ends. It returns the port and a client TLS
// configuration that trusts the server's certificate.
func (s *Server) Start(tb testing.TB, implicitTLS bool, ln net.Listener) (port int, client *tls.Config) {
	tb.Helper()
	cert, pool := selfSigned(tb)
	srv := smtp.NewServer(s)
	srv.Domain = "smtp.folio.test"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var err error
	switch {
	case ln != nil && implicitTLS:
		ln = tls.NewListener(ln, srv.TLSConfig)
	case ln == nil && implicitTLS:
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	case ln == nil:
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port, &tls.Config{RootCAs: pool}
}

// Messages returns a copy of what the server accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct {
	s    *Server
	auth bool
	cur  Message
}

func (c *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (c *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != c.s.User || pass != c.s.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		c.auth = true
		return nil
	}), nil
}

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	if !c.auth {
		return smtp.ErrAuthRequired
	}
	c.cur.From = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == c.s.RejectTo {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	c.cur.To = append(c.cur.To, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	c.cur.Data = b
	c.s.mu.Lock()
	c.s.msgs = append(c.s.msgs, c.cur)
	c.s.mu.Unlock()
	return nil
}

func (c *session) Reset()        { c.cur = Message{} }
func (c *session) Logout() error { return nil }

// selfSigned returns a server certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtp.folio.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
