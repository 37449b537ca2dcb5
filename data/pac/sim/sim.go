// Package sim is a local PAC: an HTTP server on loopback speaking SW sapien's
// REST dialect (pac/README.md §11) so the real data/pac client runs unchanged
// against it. It authenticates users, validates and stamps sealed CFDI 4.0 in
// SAT's order (XML, certificate, seal, 72-hour window), signs a
// TimbreFiscalDigital 1.1 with its own SAT-like test certificate, answers 307
// to resubmissions and CFDI3307 to reused customids, keeps stamp balances with
// a movement history, runs SAT's cancellation state machine and injects
// faults on demand. Tests and the demo mode use it; it never talks to SAT.
package sim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/folio-mx/folio/domain"
)

// User is a PAC account. Email and Password authenticate; Token, when set,
// is a long-lived ("infinite") token for the same account.
type User struct {
	ID        string
	Name      string
	Email     string
	Password  string
	Token     string
	Stamps    int64
	Unlimited bool
	// RFC is the account holder's RFC (the management API's taxId).
	RFC string
	// Dealer makes the account a dealer ("distribuidor") that may create
	// client accounts and hand out its stamps to them (pac/README.md §6).
	Dealer bool
	// DealerID, when set, makes the account a client of that dealer.
	DealerID string
}

// Options configure a Server. Zero values take the defaults in brackets.
type Options struct {
	Addr          string       // listen address [127.0.0.1:0]
	Now           domain.Clock // simulator clock [time.Now]
	Users         []User       // [one demo user, see DemoUser]
	TokenLifetime time.Duration
	// StatePath, when set, is the file the server keeps its state in
	// across restarts (accounts, stamps, cancellations; persist.go) [none:
	// the state lives as long as the server].
	StatePath string
	// RfcProvCertif goes into every TFD [SPR190613I52, SW's test value].
	RfcProvCertif string
	// NoCertificadoSAT is the 20-digit number of the simulator's SAT-like
	// certificate [30001000000500009999].
	NoCertificadoSAT string
	// Key signs SelloSAT and acuses [a fresh RSA-2048 key].
	Key *rsa.PrivateKey
	// Roots, when set, is the trust set for issuer certificates (308 when
	// the CSD does not chain to it). Nil accepts any issuer.
	Roots *x509.CertPool
	// Revoked lists revoked NoCertificado values (304).
	Revoked []string
	// LCO, when set, lists the RFCs registered at SAT (402 otherwise).
	LCO []string
	// DuplicateFirst runs duplicate detection before the certificate, seal
	// and date checks (SW's real order is unknown) [false].
	DuplicateFirst bool
	// FutureTolerance accepts a Fecha this far in the future [10 min].
	FutureTolerance time.Duration
	// StorageDelay publishes a stamp to the datawarehouse this long after
	// it was issued (real time) [0].
	StorageDelay time.Duration
	// Latency is added to every stamp request (real time) [0].
	Latency time.Duration
	// OutOfStampsMessage is the answer when the balance is exhausted (SW's
	// real text is unknown) [«No cuenta con saldo suficiente de timbres…»].
	OutOfStampsMessage string
	// AcceptanceAbove: cancelling a CFDI whose Total exceeds this amount
	// needs the receiver's acceptance ["5000"].
	AcceptanceAbove string
	// AcceptanceWindow is the receiver's time to answer before «Plazo
	// vencido» (simulator clock) [72 h].
	AcceptanceWindow time.Duration
	// PropagationDelay: SAT does not know a CFDI until this long after its
	// stamp (cancel → 205, status → 602) (simulator clock) [0].
	PropagationDelay time.Duration
	// CancelConsumesStamp charges one stamp per cancellation request [false].
	CancelConsumesStamp bool
	// SkipQR leaves qrCode empty (faster bulk stamping) [false].
	SkipQR bool
	// Finkok307WithoutXML makes the Finkok dialect answer a resubmission
	// with the 307 incidencia alone, as Finkok sometimes does, so the
	// client must recover the stamp with stamped [false].
	Finkok307WithoutXML bool
}

// DemoUser is the account created when Options.Users is empty.
var DemoUser = User{ID: "00000000-0000-4000-8000-000000000001", Name: "Folio demo", Email: "demo@folio.local",
	Password: "Folio-demo-1", Token: "folio.demo.token", Stamps: 1000, RFC: "EKU9003173C9", Dealer: true}

// Server is a running local PAC. Its methods are safe for concurrent use.
type Server struct {
	opts Options
	ln   net.Listener
	srv  *http.Server
	url  string
	cert *x509.Certificate
	key  *rsa.PrivateKey

	mu        sync.Mutex
	skew      time.Duration
	latency   time.Duration
	users     map[string]*account // by ID
	created   int                 // client accounts created through the API
	tokens    map[string]*token
	bySeal    map[[32]byte]*record
	byUUID    map[string]*record
	byCustom  map[string]customUse
	perDoc    map[string]int
	stamped   int
	faults    []Fault
	every     int
	everyF    Fault
	stampReqs int
	revoked   map[string]bool
	lco       map[string]bool
	noCancel  map[string]bool
	down      bool
	downMu    sync.Mutex // serialises SetDown

	persist *persister // nil without Options.StatePath

	// cancelReqs counts cancellation requests that reached SAT's rules,
	// badCancels Finkok requests refused for their signature.
	cancelReqs, badCancels int
}

// Start listens on opts.Addr and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Now == nil {
		opts.Now = domain.SystemClock
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = 2 * time.Hour
	}
	if opts.RfcProvCertif == "" {
		opts.RfcProvCertif = "SPR190613I52"
	}
	if opts.NoCertificadoSAT == "" {
		opts.NoCertificadoSAT = "30001000000500009999"
	}
	if len(opts.NoCertificadoSAT) != 20 {
		return nil, errors.New("sim: NoCertificadoSAT must have 20 digits")
	}
	if opts.FutureTolerance <= 0 {
		opts.FutureTolerance = 10 * time.Minute
	}
	if opts.OutOfStampsMessage == "" {
		opts.OutOfStampsMessage = "No cuenta con saldo suficiente de timbres para realizar la operación."
	}
	if opts.AcceptanceAbove == "" {
		opts.AcceptanceAbove = "5000"
	}
	if opts.AcceptanceWindow <= 0 {
		opts.AcceptanceWindow = 72 * time.Hour
	}
	if len(opts.Users) == 0 {
		opts.Users = []User{DemoUser}
	}
	s := &Server{opts: opts, latency: opts.Latency, users: map[string]*account{}, tokens: map[string]*token{},
		bySeal: map[[32]byte]*record{}, byUUID: map[string]*record{}, byCustom: map[string]customUse{},
		perDoc: map[string]int{}, revoked: map[string]bool{}, lco: map[string]bool{}, noCancel: map[string]bool{}}
	for _, n := range opts.Revoked {
		s.revoked[n] = true
	}
	for _, r := range opts.LCO {
		s.lco[r] = true
	}
	for i, u := range opts.Users {
		if u.ID == "" {
			u.ID = fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
		}
		a := &account{User: u, assigned: u.Stamps, active: true, registered: opts.Now(), seq: i}
		s.users[u.ID] = a
		if u.Token != "" {
			s.tokens[u.Token] = &token{user: u.ID}
		}
	}
	if opts.StatePath != "" {
		key, err := s.loadState(opts.StatePath)
		if err != nil {
			return nil, err
		}
		if s.opts.Key == nil {
			s.opts.Key = key
		}
	}
	if err := s.makeCertificate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sim: listen: %w", err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	h := s.routes()
	if opts.StatePath != "" {
		s.persist = &persister{path: opts.StatePath, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
		h = s.persisting(h)
		go s.saver()
	}
	s.srv = &http.Server{Handler: s.downable(h), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// URL is the base URL of both the "services" and the "api" routes.
func (s *Server) URL() string { return s.url }

// StatusURL is the URL of the simulated SAT status service.
func (s *Server) StatusURL() string { return s.url + "/ConsultaCFDIService.svc" }

// Certificate is the simulator's SAT-like certificate that signs SelloSAT.
func (s *Server) Certificate() *x509.Certificate { return s.cert }

// Close stops the server at once and, with Options.StatePath, writes its
// state a last time.
func (s *Server) Close() error {
	s.downMu.Lock()
	defer s.downMu.Unlock()
	err := s.srv.Close()
	return errors.Join(err, s.stopSaving())
}

// Shutdown stops the server gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	return errors.Join(s.srv.Shutdown(ctx), s.stopSaving())
}

// SetSkew shifts the simulator clock by d (clock-skew fault).
func (s *Server) SetSkew(d time.Duration) {
	s.mu.Lock()
	s.skew = d
	s.mu.Unlock()
}

// SetLatency sets the delay added to every stamp request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	d := s.skew
	s.mu.Unlock()
	return s.opts.Now().Add(d)
}

// makeCertificate creates the SAT-like certificate: RSA-2048, serial = the
// ASCII codes of the 20-digit NoCertificadoSAT, issuer «AC UAT SIMULADOR».
func (s *Server) makeCertificate() error {
	key := s.opts.Key
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return fmt.Errorf("sim: key: %w", err)
		}
	}
	name := pkix.Name{CommonName: "AC UAT SIMULADOR", Organization: []string{"Folio PAC simulado"}, Country: []string{"MX"}}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes([]byte(s.opts.NoCertificadoSAT)),
		Subject:      name, Issuer: name,
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("sim: certificate: %w", err)
	}
	s.cert, err = x509.ParseCertificate(der)
	s.key = key
	return err
}

// token is an issued bearer token; zero expires means long-lived.
type token struct {
	user    string
	expires time.Time
}

// writeJSON writes an SW envelope.
func writeJSON(w http.ResponseWriter, status int, env any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(env)
}

// fail writes an error envelope with an optional data payload.
func fail(w http.ResponseWriter, status int, message string, data any) {
	writeJSON(w, status, map[string]any{"message": message, "messageDetail": nil, "data": data, "status": "error"})
}

func ok(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "status": "success"})
}

func (s *Server) routes() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /v2/security/authenticate", s.authV2)
	m.HandleFunc("POST /security/authenticate", s.authV1)
	for _, fam := range []string{"/cfdi33/stamp/", "/cfdi33/v2/stamp/", "/v4/cfdi33/stamp/"} {
		m.HandleFunc("POST "+fam+"{version}", s.auth(s.stamp))
		m.HandleFunc("POST "+fam+"{version}/b64", s.auth(s.stamp))
	}
	m.HandleFunc("GET /datawarehouse/v1/live/{uuid}", s.auth(s.storage))
	m.HandleFunc("GET /sim/xml/{uuid}", s.download)
	m.HandleFunc("GET /management/v2/api/users/balance", s.auth(s.balance))
	m.HandleFunc("POST /management/v2/api/dealers/users/{id}/stamps", s.auth(s.changeStamps(+1)))
	m.HandleFunc("DELETE /management/v2/api/dealers/users/{id}/stamps", s.auth(s.changeStamps(-1)))
	m.HandleFunc("GET /sim/movements/{id}", s.movementsHandler)
	s.dealerRoutes(m)
	m.HandleFunc("POST /cfdi33/cancel/{rfc}/{uuid}/{motivo}", s.auth(s.cancel))
	m.HandleFunc("POST /cfdi33/cancel/{rfc}/{uuid}/{motivo}/{folio}", s.auth(s.cancel))
	m.HandleFunc("GET /pendings/{rfc}", s.auth(s.pendings))
	m.HandleFunc("POST /acceptreject/{rfc}/{uuid}/{action}", s.auth(s.acceptReject))
	m.HandleFunc("POST /ConsultaCFDIService.svc", s.consulta)
	for _, svc := range []string{"stamp", "cancel", "registration"} {
		m.HandleFunc("POST /servicios/soap/"+svc, s.finkok(svc))
		m.HandleFunc("POST /servicios/soap/"+svc+".wsdl", s.finkok(svc))
	}
	return m
}

// SetDown makes the simulator unreachable until SetDown(false): it stops
// listening (connections are refused, open ones closed, nothing is
// stamped), then listens again on the same address: a PAC that is down.
func (s *Server) SetDown(down bool) {
	s.downMu.Lock()
	defer s.downMu.Unlock()
	s.mu.Lock()
	was := s.down
	s.down = down
	s.mu.Unlock()
	switch {
	case down && !was:
		s.srv.Close()
	case !down && was:
		addr := strings.TrimPrefix(s.url, "http://")
		var ln net.Listener
		var err error
		for i := 0; i < 100; i++ { // the port may linger for a moment
			if ln, err = net.Listen("tcp", addr); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			panic("sim: listen again: " + err.Error())
		}
		s.ln = ln
		s.srv = &http.Server{Handler: s.downable(s.routes()), ReadHeaderTimeout: 10 * time.Second}
		go s.srv.Serve(ln)
	}
}

// downable drops requests that raced with SetDown(true).
func (s *Server) downable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down {
			dropConnection(w)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) authV2(w http.ResponseWriter, r *http.Request) {
	var body struct{ User, Password string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "AU2000 - El usuario y/o contraseña son inválidos, no se puede autenticar el servicio.", nil)
		return
	}
	s.login(w, body.User, body.Password)
}

func (s *Server) authV1(w http.ResponseWriter, r *http.Request) {
	s.login(w, r.Header.Get("user"), r.Header.Get("password"))
}

func (s *Server) login(w http.ResponseWriter, user, password string) {
	s.mu.Lock()
	var found *account
	for _, a := range s.users {
		if a.Email == user && a.Password == password && password != "" {
			found = a
		}
	}
	if found == nil {
		s.mu.Unlock()
		fail(w, http.StatusBadRequest, "AU2000 - El usuario y/o contraseña son inválidos, no se puede autenticar el servicio.", nil)
		return
	}
	tok := newToken(found.ID)
	exp := s.opts.Now().Add(s.skew).Add(s.opts.TokenLifetime)
	s.tokens[tok] = &token{user: found.ID, expires: exp}
	s.mu.Unlock()
	ok(w, map[string]any{"token": tok, "expires_in": exp.Unix(), "tokeny_type": "Bearer"})
}

func newToken(user string) string {
	b := make([]byte, 24)
	rand.Read(b)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(`{"sub":"`+user+`"}`)) + "." + enc.EncodeToString(b)
}

// ExpireTokens makes every temporary token expire now (token-expiry fault).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if !t.expires.IsZero() {
			t.expires = time.Unix(1, 0)
		}
	}
}

// auth checks the bearer token (pac/README.md §11.1) and passes the account.
func (s *Server) auth(next func(http.ResponseWriter, *http.Request, *account)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		tok := ""
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			tok = strings.TrimSpace(h[7:])
		}
		switch {
		case tok == "":
			fail(w, http.StatusUnauthorized, "AU4101 - El token proporcionado viene vacio.", nil)
			return
		case strings.Count(tok, ".") != 2:
			fail(w, http.StatusUnauthorized, "El token debe contener 3 partes", nil)
			return
		}
		s.mu.Lock()
		t := s.tokens[tok]
		var a *account
		if t != nil && (t.expires.IsZero() || s.opts.Now().Add(s.skew).Before(t.expires)) {
			a = s.users[t.user]
		}
		s.mu.Unlock()
		if a == nil {
			fail(w, http.StatusUnauthorized, "AU4000 - No fue posible validar el token.", nil)
			return
		}
		next(w, r, a)
	}
}
