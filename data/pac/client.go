// Package pac talks to the PAC (Proveedor Autorizado de Certificación). Client
// speaks SW sapien's REST API (pac/README.md): authentication with a cached
// token, stamping of locally sealed CFDI on the v4 route with customid as the
// idempotency key, recovery of lost replies, cancellation, SAT status queries
// and the stamp balance. Every answer is classified for the stamp queue
// (domain/stamping). Package sim is a local PAC speaking the same protocol.
package pac

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

// Environment selects SW's test or production hosts.
type Environment string

// The environments.
const (
	Pruebas    Environment = "pruebas"
	Produccion Environment = "produccion"
)

// Default hosts per environment (pac/README.md §1.1).
var hosts = map[Environment][3]string{
	Pruebas:    {"https://services.test.sw.com.mx", "https://api.test.sw.com.mx", "https://pruebacfdiconsultaqr.cloudapp.net/ConsultaCFDIService.svc"},
	Produccion: {"https://services.sw.com.mx", "https://api.sw.com.mx", "https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc"},
}

// ServicesURL returns the default services host of env ("" for an
// unknown environment): where auth, stamp and cancel go unless
// Config.ServicesURL says otherwise.
func ServicesURL(env Environment) string { return hosts[env][0] }

// Config holds the PAC settings. Either Token (SW's long-lived token) or
// User and Password must be set. Explicit URLs override the environment's.
type Config struct {
	Environment  Environment
	ServicesURL  string // auth, stamp, cancel
	APIURL       string // balance, storage
	SATStatusURL string // SAT's ConsultaCFDIService
	User         string
	Password     string
	Token        string
	// Timeout bounds every call that has no earlier deadline [120 s]. A
	// stamp that times out has an UNKNOWN outcome.
	Timeout time.Duration
	// RenewBefore renews a temporary token this long before it expires [10 min].
	RenewBefore time.Duration
	// StorageAttempts and StorageWait control how a CFDI3307 answer is
	// resolved from SW's storage, which is eventually consistent [5, 1 s].
	StorageAttempts int
	StorageWait     time.Duration
	HTTPClient      *http.Client
	Now             domain.Clock
	// Audit, when set, receives every exchange with secrets removed.
	Audit func(Exchange)
}

// Exchange is one HTTP request and its answer as kept for audit. Passwords,
// tokens and keys are replaced by "[oculto]".
type Exchange struct {
	At             time.Time
	Method, URL    string
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseBody   []byte
	Duration       time.Duration
	TransportError string
}

// Client is an SW sapien client. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client

	authMu  sync.Mutex // one authentication at a time
	mu      sync.Mutex
	token   string
	expires time.Time
}

var _ stamping.PAC = (*Client)(nil)
var _ stamping.BalanceSource = (*Client)(nil)
var _ stamping.Canceller = (*Client)(nil)

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	const op = "pac.NewClient"
	if cfg.Environment == "" {
		cfg.Environment = Pruebas
	}
	h, ok := hosts[cfg.Environment]
	if !ok {
		return nil, domain.E(domain.Invalid, op, "El ambiente del PAC debe ser «pruebas» o «produccion».", nil)
	}
	if cfg.ServicesURL == "" {
		cfg.ServicesURL = h[0]
	}
	if cfg.APIURL == "" {
		cfg.APIURL = h[1]
	}
	if cfg.SATStatusURL == "" {
		cfg.SATStatusURL = h[2]
	}
	cfg.ServicesURL = strings.TrimRight(cfg.ServicesURL, "/")
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.Token == "" && (cfg.User == "" || cfg.Password == "") {
		return nil, domain.E(domain.Invalid, op, "Configure el usuario y la contraseña del PAC, o su token de acceso.", nil)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 120 * time.Second
	}
	if cfg.RenewBefore <= 0 {
		cfg.RenewBefore = 10 * time.Minute
	}
	if cfg.StorageAttempts <= 0 {
		cfg.StorageAttempts = 5
	}
	if cfg.StorageWait <= 0 {
		cfg.StorageWait = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = domain.SystemClock
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, http: hc}, nil
}

// response is a raw HTTP answer.
type response struct {
	status int
	body   []byte
	env    Envelope
	json   bool // body decoded as an envelope
}

// do sends one request, keeps the audit record and decodes the envelope.
// A transport error (including a timeout) is returned as is.
func (c *Client) do(ctx context.Context, req *http.Request, auditBody []byte) (response, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	req = req.WithContext(ctx)
	start := c.cfg.Now()
	resp, err := c.http.Do(req)
	var r response
	if err == nil {
		r.status = resp.StatusCode
		r.body, err = io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err == nil && json.Unmarshal(r.body, &r.env) == nil && (r.env.Status != "" || r.env.Message != "") {
			r.json = true
		}
	}
	if c.cfg.Audit != nil {
		x := Exchange{At: start, Method: req.Method, URL: req.URL.String(), RequestHeader: redactHeader(req.Header),
			RequestBody: auditBody, Status: r.status, ResponseBody: redactBody(r.body), Duration: c.cfg.Now().Sub(start)}
		if err != nil {
			x.TransportError = err.Error()
		}
		c.cfg.Audit(x)
	}
	return r, err
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Authorization", "Password", "User"} {
		if out.Get(k) != "" {
			out.Set(k, "[oculto]")
		}
	}
	return out
}

// redactBody hides tokens in authentication answers.
func redactBody(b []byte) []byte {
	if !bytes.Contains(b, []byte(`"token"`)) && !bytes.Contains(b, []byte(`"accessToken"`)) {
		return b
	}
	var v map[string]any
	if json.Unmarshal(b, &v) != nil {
		return []byte("[oculto]")
	}
	hide := func(d map[string]any) {
		for _, k := range []string{"token", "accessToken"} {
			if _, ok := d[k]; ok {
				d[k] = "[oculto]"
			}
		}
	}
	switch d := v["data"].(type) {
	case map[string]any:
		hide(d)
	case []any: // a list of users (management API)
		for _, x := range d {
			if m, ok := x.(map[string]any); ok {
				hide(m)
			}
		}
	}
	out, _ := json.Marshal(v)
	return out
}

// Authenticate obtains a temporary token now (POST /v2/security/authenticate)
// and caches it. With a long-lived token configured it does nothing.
func (c *Client) Authenticate(ctx context.Context) error {
	if c.cfg.Token != "" {
		return nil
	}
	c.drop("")
	_, err := c.bearer(ctx)
	return err
}

// bearer returns a valid token, authenticating when the cached one is
// missing or about to expire.
func (c *Client) bearer(ctx context.Context) (string, error) {
	const op = "pac.authenticate"
	if c.cfg.Token != "" {
		return c.cfg.Token, nil
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	c.mu.Lock()
	tok, exp := c.token, c.expires
	c.mu.Unlock()
	if tok != "" && c.cfg.Now().Before(exp.Add(-c.cfg.RenewBefore)) {
		return tok, nil
	}
	body, _ := json.Marshal(map[string]string{"user": c.cfg.User, "password": c.cfg.Password})
	req, err := http.NewRequest(http.MethodPost, c.cfg.ServicesURL+"/v2/security/authenticate", bytes.NewReader(body))
	if err != nil {
		return "", domain.E(domain.Invalid, op, "La dirección del PAC no es válida.", err)
	}
	req.Header.Set("Content-Type", "application/json")
	audit, _ := json.Marshal(map[string]string{"user": c.cfg.User, "password": "[oculto]"})
	r, err := c.do(ctx, req, audit)
	if err != nil {
		return "", domain.E(domain.Unavailable, op, "No se pudo conectar con el PAC.", err)
	}
	if r.status >= 500 || !r.json {
		return "", domain.E(domain.Unavailable, op, "El PAC no respondió correctamente al autenticar.", fmt.Errorf("status %d", r.status))
	}
	var d AuthData
	if r.env.Status != "success" || json.Unmarshal(r.env.Data, &d) != nil || d.Token == "" {
		e := domain.E(domain.Invalid, op, "Usuario o contraseña del PAC incorrectos. Revíselos en Configuración.", fmt.Errorf("%s", r.env.Message))
		e.Code = Code(r.env.Message)
		return "", e
	}
	exp = time.Unix(d.ExpiresIn, 0)
	if d.ExpiresIn == 0 {
		exp = c.cfg.Now().Add(2 * time.Hour)
	}
	c.mu.Lock()
	c.token, c.expires = d.Token, exp
	c.mu.Unlock()
	return d.Token, nil
}

// drop forgets the cached token if it is still tok ("" = any).
func (c *Client) drop(tok string) {
	c.mu.Lock()
	if tok == "" || c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// authProblem reports whether an answer means "the token is not valid".
func authProblem(r response) bool {
	if r.status == http.StatusUnauthorized {
		return true
	}
	code := Code(r.env.Message)
	return strings.HasPrefix(code, "AU4") || strings.Contains(r.env.Message, "token debe contener 3 partes")
}

// call sends an authenticated request built by mk, re-authenticating and
// retrying once when the token is rejected (pac/README.md §1.4).
func (c *Client) call(ctx context.Context, mk func(token string) (*http.Request, []byte, error)) (response, error) {
	for try := 0; ; try++ {
		tok, err := c.bearer(ctx)
		if err != nil {
			return response{}, err
		}
		req, audit, err := mk(tok)
		if err != nil {
			return response{}, err
		}
		r, err := c.do(ctx, req, audit)
		if err != nil {
			return r, err
		}
		if try == 0 && c.cfg.Token == "" && authProblem(r) {
			c.drop(tok)
			continue
		}
		return r, nil
	}
}

// Stamp sends a locally sealed CFDI to POST /v4/cfdi33/stamp/v4 with customID
// as the idempotency key and classifies the answer. The same bytes and
// customid must be sent on every retry. A 307 or CFDI3307 answer is resolved
// to the stamped CFDI (the latter from SW's storage). The error is non-nil
// exactly when the reply carries no stamp; its kind is Unavailable for
// retryable answers (reply.Unknown marks an unknown outcome).
func (c *Client) Stamp(ctx context.Context, customID string, sealed []byte) (stamping.Reply, error) {
	const op = "pac.Stamp"
	if customID == "" || len(customID) > 100 {
		r := stamping.Reply{Class: stamping.NeedsUser, Message: "El CustomId no es válido o es mayor a 100 caracteres."}
		return r, replyError(op, r)
	}
	mk := func(tok string) (*http.Request, []byte, error) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", `form-data; name="xml"; filename="xml"`)
		h.Set("Content-Type", "text/xml")
		pw, _ := mw.CreatePart(h)
		pw.Write(sealed)
		mw.Close()
		req, err := http.NewRequest(http.MethodPost, c.cfg.ServicesURL+"/v4/cfdi33/stamp/v4", &buf)
		if err != nil {
			return nil, nil, domain.E(domain.Invalid, op, "La dirección del PAC no es válida.", err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("customid", customID)
		return req, buf.Bytes(), nil
	}
	r, err := c.call(ctx, mk)
	var reply stamping.Reply
	switch {
	case err != nil:
		reply = transportReply(err)
	default:
		reply = c.classifyStamp(ctx, r, sealed)
	}
	if reply.Class.HasStamp() {
		return reply, nil
	}
	return reply, replyError(op, reply)
}

// transportReply classifies a failure to get any answer.
func transportReply(err error) stamping.Reply {
	var de *domain.Error
	if errors.As(err, &de) && de.Kind != domain.Unavailable {
		if de.Code == "AU2000" || de.Kind == domain.Invalid {
			return stamping.Reply{Class: stamping.BadCredentials, Code: de.Code, Message: de.Msg, Hint: Hint("AU2000")}
		}
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		// The connection was never made: nothing was sent.
		return stamping.Reply{Class: stamping.Retryable, Offline: true, NotSent: true,
			Message: "No se pudo conectar con el PAC; se reintentará con el mismo documento."}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return stamping.Reply{Class: stamping.Retryable, Unknown: true, Offline: true,
			Message: "El PAC no respondió a tiempo; el resultado es desconocido y se reintentará con el mismo documento."}
	}
	return stamping.Reply{Class: stamping.Retryable, Unknown: true, Offline: true,
		Message: "No se pudo comunicar con el PAC; se reintentará con el mismo documento."}
}

// replyError turns a non-stamp reply into a domain error.
func replyError(op string, r stamping.Reply) error {
	kind := domain.Rejected
	switch r.Class {
	case stamping.Retryable:
		kind = domain.Unavailable
	case stamping.BadCredentials:
		kind = domain.Invalid
	}
	msg := r.Message
	if r.Hint != "" {
		msg = r.Hint
	}
	if msg == "" {
		msg = "El PAC no timbró el comprobante."
	}
	e := domain.E(kind, op, msg, fmt.Errorf("%s: %s", r.Class, r.Message))
	e.Code = r.Code
	return e
}

// classifyStamp turns an HTTP answer to a stamp request into a reply.
func (c *Client) classifyStamp(ctx context.Context, r response, sealed []byte) stamping.Reply {
	if r.status >= 500 || r.status == http.StatusTooManyRequests || !r.json {
		msg := "El PAC no está disponible por ahora; se reintentará con el mismo documento."
		return stamping.Reply{Class: stamping.Retryable, Unknown: r.status >= 500 || !r.json, Code: Code(r.env.Message), Message: msg}
	}
	var d StampData
	if len(r.env.Data) > 0 && r.env.Data[0] == '{' {
		_ = json.Unmarshal(r.env.Data, &d)
	}
	if r.env.Status == "success" {
		return c.stamped(stamping.Stamped, d, sealed)
	}
	code := Code(r.env.Message)
	class := Classify(code, r.env.Message)
	if authProblem(r) {
		class = stamping.BadCredentials
	}
	switch class {
	case stamping.AlreadyStamped:
		rep := c.stamped(stamping.AlreadyStamped, d, sealed)
		rep.Code = code
		return rep
	case stamping.DuplicateCustomID:
		return c.duplicate(ctx, d, sealed)
	}
	return stamping.Reply{Class: class, Code: code, Message: r.env.Message, Hint: Hint(code)}
}

// stamped builds the reply for an answer carrying a stamp: the full CFDI, or
// the TFD inserted into our sealed bytes when only the TFD came back. The
// stamped CFDI must carry our seal.
func (c *Client) stamped(class stamping.Class, d StampData, sealed []byte) stamping.Reply {
	out := []byte(d.CFDI)
	if len(out) == 0 && d.TFD != "" {
		tfd, err := parseTFD(d.TFD)
		if err == nil {
			out, err = cfdi.InsertTimbre(sealed, tfd)
		}
		if err != nil {
			return stamping.Reply{Class: stamping.Retryable, Message: "El timbre recibido del PAC no es válido; se reintentará."}
		}
	}
	if len(out) == 0 {
		return stamping.Reply{Class: stamping.NeedsUser, Code: "307",
			Message: "El PAC indica que el comprobante ya fue timbrado pero no devolvió el timbre.",
			Hint:    "Descargue el XML timbrado desde el portal del PAC."}
	}
	doc, err := cfdi.Parse(out)
	ours, err2 := cfdi.Parse(sealed)
	if err != nil || err2 != nil || doc.Complemento == nil || doc.Complemento.TimbreFiscalDigital == nil ||
		doc.Sello != ours.Sello || doc.Complemento.TimbreFiscalDigital.SelloCFD != ours.Sello {
		return stamping.Reply{Class: stamping.Retryable, Message: "El CFDI timbrado recibido no corresponde al documento enviado; se reintentará."}
	}
	return stamping.Reply{Class: class, StampedXML: out, UUID: strings.ToUpper(doc.Complemento.TimbreFiscalDigital.UUID)}
}

// duplicate resolves CFDI3307: the customid was used by an earlier version of
// this document. Its stamped XML is fetched from storage and must be the same
// issuer, serie and folio.
func (c *Client) duplicate(ctx context.Context, d StampData, sealed []byte) stamping.Reply {
	tfd, err := parseTFD(d.TFD)
	if err != nil || tfd.UUID == "" {
		return stamping.Reply{Class: stamping.Retryable, Code: "CFDI3307", Message: "El PAC indicó un customid duplicado sin el timbre anterior; se reintentará."}
	}
	xml, err := c.Recover(ctx, tfd.UUID)
	if err != nil {
		return stamping.Reply{Class: stamping.Retryable, Code: "CFDI3307", UUID: tfd.UUID,
			Message: "El comprobante ya tiene un timbre; su XML aún no está disponible en el PAC y se reintentará."}
	}
	doc, err := cfdi.Parse(xml)
	ours, err2 := cfdi.Parse(sealed)
	if err != nil || err2 != nil || doc.Complemento == nil || doc.Complemento.TimbreFiscalDigital == nil {
		return stamping.Reply{Class: stamping.Retryable, Code: "CFDI3307", Message: "El XML recuperado del PAC no es válido; se reintentará."}
	}
	if doc.Emisor.Rfc != ours.Emisor.Rfc || doc.Serie != ours.Serie || doc.Folio != ours.Folio {
		return stamping.Reply{Class: stamping.NeedsUser, Code: "CFDI3307",
			Message: "Timbre duplicado. El customId proporcionado está duplicado.",
			Hint:    "El identificador de envío ya se usó con otro comprobante (" + tfd.UUID + "). Revise el folio antes de reenviar."}
	}
	return stamping.Reply{Class: stamping.DuplicateCustomID, Code: "CFDI3307", StampedXML: xml, UUID: strings.ToUpper(tfd.UUID)}
}

// Recover fetches a stamped CFDI by UUID from SW's storage
// (GET {api}/datawarehouse/v1/live/{uuid}, then records[0].urlXml), waiting
// for the eventually consistent index. NotFound when it never appears.
func (c *Client) Recover(ctx context.Context, uuid string) ([]byte, error) {
	const op = "pac.Recover"
	for attempt := 1; ; attempt++ {
		r, err := c.call(ctx, func(tok string) (*http.Request, []byte, error) {
			req, err := http.NewRequest(http.MethodGet, c.cfg.APIURL+"/datawarehouse/v1/live/"+url.PathEscape(uuid), nil)
			if err != nil {
				return nil, nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			return req, nil, nil
		})
		if err != nil {
			return nil, domain.E(domain.Unavailable, op, "No se pudo consultar el almacén del PAC.", err)
		}
		var sd StorageData
		if r.status == http.StatusOK && r.json && json.Unmarshal(r.env.Data, &sd) == nil && len(sd.Records) > 0 && sd.Records[0].URLXML != "" {
			req, err := http.NewRequest(http.MethodGet, sd.Records[0].URLXML, nil)
			if err != nil {
				return nil, domain.E(domain.Internal, op, "", err)
			}
			x, err := c.do(ctx, req, nil)
			if err == nil && x.status == http.StatusOK && len(x.body) > 0 {
				return x.body, nil
			}
		}
		if attempt >= c.cfg.StorageAttempts {
			return nil, domain.E(domain.NotFound, op, "No es posible obtener el XML del comprobante en el PAC.", fmt.Errorf("uuid %s not in storage", uuid))
		}
		select {
		case <-ctx.Done():
			return nil, domain.E(domain.Unavailable, op, "No se pudo consultar el almacén del PAC.", ctx.Err())
		case <-time.After(c.cfg.StorageWait):
		}
	}
}

// Balance returns the account's stamp balance
// (GET {api}/management/v2/api/users/balance). IssuerRFC is left empty.
func (c *Client) Balance(ctx context.Context) (stamping.Balance, error) {
	const op = "pac.Balance"
	r, err := c.call(ctx, func(tok string) (*http.Request, []byte, error) {
		req, err := http.NewRequest(http.MethodGet, c.cfg.APIURL+"/management/v2/api/users/balance", nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return req, nil, nil
	})
	if err != nil {
		return stamping.Balance{}, domain.E(domain.Unavailable, op, "No se pudo consultar el saldo de timbres.", err)
	}
	var b BalanceData
	if r.status != http.StatusOK || r.env.Status != "success" || json.Unmarshal(r.env.Data, &b) != nil {
		return stamping.Balance{}, envError(op, r, "El PAC no entregó el saldo de timbres.")
	}
	return stamping.Balance{Stamps: b.StampsBalance, Used: b.StampsUsed, Unlimited: b.IsUnlimited || b.Unlimited, AsOf: c.cfg.Now()}, nil
}

// envError maps an error answer that is not a stamp answer.
func envError(op string, r response, fallback string) error {
	kind := domain.Rejected
	if r.status >= 500 || !r.json {
		kind = domain.Unavailable
	}
	msg := r.env.Message
	if msg == "" {
		msg = fallback
	}
	e := domain.E(kind, op, msg, fmt.Errorf("status %d: %s %s", r.status, r.env.Message, r.env.MessageDetail))
	e.Code = Code(r.env.Message)
	return e
}
