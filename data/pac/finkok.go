package pac

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

// Finkok's hosts per environment (pac/README.md §9).
var finkokHosts = map[Environment]string{
	Pruebas:    "https://demo-facturacion.finkok.com",
	Produccion: "https://facturacion.finkok.com",
}

// FinkokURL returns Finkok's default host of env ("" for an unknown one).
func FinkokURL(env Environment) string { return finkokHosts[env] }

// FinkokConfig holds the settings of a Finkok account. Credentials travel in
// every SOAP call (pac/README.md §9).
type FinkokConfig struct {
	Environment Environment
	URL         string // base URL; the services are {URL}/servicios/soap/{stamp,cancel,registration}
	User        string
	Password    string
	// RFC is the issuer whose credits Balance reports (registration get).
	RFC string
	// Cer and Key are the issuer's CSD (PEM, key encrypted with
	// KeyPassword) that Finkok's cancel needs; without them Cancel refuses.
	Cer, Key []byte
	// Timeout bounds every call that has no earlier deadline [120 s]. A
	// stamp that times out has an UNKNOWN outcome.
	Timeout    time.Duration
	HTTPClient *http.Client
	Now        domain.Clock
	Audit      func(Exchange)
}

// Finkok is a client of Finkok's SOAP services: stamp (with stamped to
// recover an earlier stamp and to learn the outcome of a lost reply),
// query_pending, cancel, get_sat_status and the credits of registration.
// Every stamp answer is classified into the queue's classes as Client does
// for SW. It is safe for concurrent use.
type Finkok struct {
	cfg  FinkokConfig
	http *http.Client
}

var (
	_ stamping.PAC           = (*Finkok)(nil)
	_ stamping.Checker       = (*Finkok)(nil)
	_ stamping.BalanceSource = (*Finkok)(nil)
	_ stamping.Canceller     = (*Finkok)(nil)
)

// NewFinkok checks cfg and returns a client.
func NewFinkok(cfg FinkokConfig) (*Finkok, error) {
	const op = "pac.NewFinkok"
	if cfg.Environment == "" {
		cfg.Environment = Pruebas
	}
	h, ok := finkokHosts[cfg.Environment]
	if !ok {
		return nil, domain.E(domain.Invalid, op, "El ambiente del PAC debe ser «pruebas» o «produccion».", nil)
	}
	if cfg.URL == "" {
		cfg.URL = h
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	cfg.User, cfg.Password, cfg.RFC = strings.TrimSpace(cfg.User), strings.TrimSpace(cfg.Password), strings.TrimSpace(cfg.RFC)
	if cfg.User == "" || cfg.Password == "" {
		return nil, domain.E(domain.Invalid, op, "Configure el usuario y la contraseña de Finkok.", nil)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 120 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = domain.SystemClock
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Finkok{cfg: cfg, http: hc}, nil
}

// FinkokIncidencia is one business error of a Finkok answer.
type FinkokIncidencia struct {
	IdIncidencia      string `xml:"IdIncidencia"`
	Uuid              string `xml:"Uuid"`
	CodigoError       string `xml:"CodigoError"`
	WorkProcessId     string `xml:"WorkProcessId"`
	MensajeIncidencia string `xml:"MensajeIncidencia"`
	ExtraInfo         string `xml:"ExtraInfo"`
	RfcEmisor         string `xml:"RfcEmisor"`
	NoCertificadoPac  string `xml:"NoCertificadoPac"`
	FechaRegistro     string `xml:"FechaRegistro"`
}

// FinkokStampResult is the result of stamp, quick_stamp, sign_stamp and
// stamped (pac/README.md §9.1).
type FinkokStampResult struct {
	XML              string             `xml:"xml"`
	UUID             string             `xml:"UUID"`
	Fecha            string             `xml:"Fecha"`
	CodEstatus       string             `xml:"CodEstatus"`
	SatSeal          string             `xml:"SatSeal"`
	NoCertificadoSAT string             `xml:"NoCertificadoSAT"`
	Incidencias      []FinkokIncidencia `xml:"Incidencias>Incidencia"`
}

// FinkokPending is the result of query_pending.
type FinkokPending struct {
	Status     string `xml:"status"`
	XML        string `xml:"xml"`
	UUID       string `xml:"uuid"`
	UUIDStatus string `xml:"uuid_status"`
	Error      string `xml:"error"`
	Date       string `xml:"date"`
}

// FinkokFolio is one UUID of a cancellation answer.
type FinkokFolio struct {
	UUID               string `xml:"UUID"`
	EstatusUUID        string `xml:"EstatusUUID"`
	EstatusCancelacion string `xml:"EstatusCancelacion"`
}

// FinkokCancelResult is the result of cancel and cancel_signature.
type FinkokCancelResult struct {
	Folios     []FinkokFolio `xml:"Folios>Folio"`
	Acuse      string        `xml:"Acuse"`
	Fecha      string        `xml:"Fecha"`
	RfcEmisor  string        `xml:"RfcEmisor"`
	CodEstatus string        `xml:"CodEstatus"`
}

// FinkokSATStatus is the result of get_sat_status.
type FinkokSATStatus struct {
	CodigoEstatus      string `xml:"sat>CodigoEstatus"`
	Estado             string `xml:"sat>Estado"`
	EsCancelable       string `xml:"sat>EsCancelable"`
	EstatusCancelacion string `xml:"sat>EstatusCancelacion"`
	Error              string `xml:"error"`
}

// FinkokResellerUser is one customer of registration get.
type FinkokResellerUser struct {
	Status     string `xml:"status"`
	Counter    string `xml:"counter"`
	TaxpayerID string `xml:"taxpayer_id"`
	Credit     string `xml:"credit"`
}

// FinkokGetResult is the result of registration get.
type FinkokGetResult struct {
	Users   []FinkokResellerUser `xml:"users>ResellerUser"`
	Message string               `xml:"message"`
}

// FinkokFault is a SOAP fault (pac/recorded/finkok/query_pending_fault_500).
type FinkokFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
}

// FinkokBody is the body of any Finkok answer Folio reads. Elements are
// matched by local name: Finkok's prefixes (senv, tns, s0) vary.
type FinkokBody struct {
	Fault        *FinkokFault        `xml:"Fault"`
	Stamp        *FinkokStampResult  `xml:"stampResponse>stampResult"`
	QuickStamp   *FinkokStampResult  `xml:"quick_stampResponse>quick_stampResult"`
	SignStamp    *FinkokStampResult  `xml:"sign_stampResponse>sign_stampResult"`
	Stamped      *FinkokStampResult  `xml:"stampedResponse>stampedResult"`
	QueryPending *FinkokPending      `xml:"query_pendingResponse>query_pendingResult"`
	Cancel       *FinkokCancelResult `xml:"cancelResponse>cancelResult"`
	CancelSig    *FinkokCancelResult `xml:"cancel_signatureResponse>cancel_signatureResult"`
	SATStatus    *FinkokSATStatus    `xml:"get_sat_statusResponse>get_sat_statusResult"`
	Get          *FinkokGetResult    `xml:"getResponse>getResult"`
}

// ParseFinkok decodes a Finkok SOAP answer.
func ParseFinkok(b []byte) (FinkokBody, error) {
	var env struct {
		Body FinkokBody `xml:"Body"`
	}
	if err := xml.Unmarshal(b, &env); err != nil {
		return FinkokBody{}, fmt.Errorf("finkok soap: %w", err)
	}
	return env.Body, nil
}

// soap sends one SOAP call to service (stamp, cancel, registration) and
// decodes the answer. params are child elements in order; values are
// escaped. A transport error is returned as is; an answer that is not SOAP
// gives a nil body error with ok false.
func (f *Finkok) soap(ctx context.Context, service, operation string, params [][2]string) (status int, body FinkokBody, parsed bool, err error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.cfg.Timeout)
		defer cancel()
	}
	ns := "http://facturacion.finkok.com/" + service
	if service == "registration" {
		ns = "http://facturacion.finkok.com/registration"
	}
	var buf, audit bytes.Buffer
	head := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="` + ns + `"><soapenv:Body><tns:` + operation + `>`
	buf.WriteString(head)
	audit.WriteString(head)
	for _, p := range params {
		if name, ok := strings.CutPrefix(p[0], "raw:"); ok { // pre-built XML content
			buf.WriteString("<tns:" + name + ">" + p[1] + "</tns:" + name + ">")
			audit.WriteString("<tns:" + name + ">" + p[1] + "</tns:" + name + ">")
			continue
		}
		v := p[1]
		av := v
		if strings.Contains(p[0], "password") || p[0] == "key" {
			av = "[oculto]"
		}
		for _, w := range []struct {
			b *bytes.Buffer
			v string
		}{{&buf, v}, {&audit, av}} {
			w.b.WriteString("<tns:" + p[0] + ">")
			xml.EscapeText(w.b, []byte(w.v))
			w.b.WriteString("</tns:" + p[0] + ">")
		}
	}
	tail := `</tns:` + operation + `></soapenv:Body></soapenv:Envelope>`
	buf.WriteString(tail)
	audit.WriteString(tail)
	url := f.cfg.URL + "/servicios/soap/" + service
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &buf)
	if err != nil {
		return 0, body, false, domain.E(domain.Invalid, "pac.Finkok", "La dirección de Finkok no es válida.", err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", operation)
	start := f.cfg.Now()
	resp, err := f.http.Do(req)
	var raw []byte
	if err == nil {
		status = resp.StatusCode
		raw, err = io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
	}
	if f.cfg.Audit != nil {
		x := Exchange{At: start, Method: http.MethodPost, URL: url, RequestHeader: req.Header.Clone(), RequestBody: audit.Bytes(),
			Status: status, ResponseBody: raw, Duration: f.cfg.Now().Sub(start)}
		if err != nil {
			x.TransportError = err.Error()
		}
		f.cfg.Audit(x)
	}
	if err != nil {
		return status, body, false, err
	}
	body, perr := ParseFinkok(raw)
	return status, body, perr == nil, nil
}

func (f *Finkok) creds() [][2]string {
	return [][2]string{{"username", f.cfg.User}, {"password", f.cfg.Password}}
}

// Stamp sends a locally sealed CFDI to Finkok's stamp and classifies the
// answer. Finkok detects a resubmission by the document itself (307), so
// customID is not sent. A 307 without the earlier stamp is resolved with
// stamped. The error is non-nil exactly when the reply carries no stamp.
func (f *Finkok) Stamp(ctx context.Context, customID string, sealed []byte) (stamping.Reply, error) {
	const op = "pac.Finkok.Stamp"
	reply := f.stampCall(ctx, "stamp", sealed)
	if reply.Class == stamping.AlreadyStamped && len(reply.StampedXML) == 0 {
		// 307 may come without the earlier xml (pac/README.md §9.1).
		rec := f.stampCall(ctx, "stamped", sealed)
		switch {
		case rec.Class.HasStamp():
			rec.Class, rec.Code = stamping.AlreadyStamped, "307"
			reply = rec
		default:
			reply = stamping.Reply{Class: stamping.Retryable, Code: "307",
				Message: "Finkok indica que el comprobante ya tiene timbre pero aún no lo entrega; se reintentará."}
		}
	}
	if reply.Class.HasStamp() {
		return reply, nil
	}
	return reply, replyError(op, reply)
}

// Lookup asks Finkok, without stamping, whether it stamped sealed
// (stamped): the earlier stamp (AlreadyStamped), NotStamped for 603, or
// Retryable when Finkok cannot be asked now.
func (f *Finkok) Lookup(ctx context.Context, customID string, sealed []byte) (stamping.Reply, error) {
	const op = "pac.Finkok.Lookup"
	reply := f.stampCall(ctx, "stamped", sealed)
	if reply.Class.HasStamp() {
		reply.Class = stamping.AlreadyStamped
		return reply, nil
	}
	return reply, replyError(op, reply)
}

// stampCall sends sealed to a stamp operation and classifies the answer.
func (f *Finkok) stampCall(ctx context.Context, operation string, sealed []byte) stamping.Reply {
	params := append([][2]string{{"xml", base64.StdEncoding.EncodeToString(sealed)}}, f.creds()...)
	status, body, parsed, err := f.soap(ctx, "stamp", operation, params)
	if err != nil {
		return transportReply(err)
	}
	var res *FinkokStampResult
	if parsed {
		res = map[string]*FinkokStampResult{"stamp": body.Stamp, "stamped": body.Stamped, "quick_stamp": body.QuickStamp}[operation]
	}
	return ClassifyFinkokStamp(status, body, res, sealed, operation == "stamped")
}

// ClassifyFinkokStamp turns a Finkok answer to a stamp (or, with recovering,
// stamped) request into a reply, following pac/README.md §9.2: a stamp,
// 307 (earlier stamp, success-equivalent), 603 (never stamped), 708/709
// (SAT unreachable: retry), 718 (no credits), account problems
// (300/501/701/702/703/706/740) and document problems (the rest). sealed,
// when given, must be the document inside the stamp.
func ClassifyFinkokStamp(status int, body FinkokBody, res *FinkokStampResult, sealed []byte, recovering bool) stamping.Reply {
	if body.Fault != nil || res == nil || status >= 500 {
		msg := "Finkok no está disponible por ahora; se reintentará con el mismo documento."
		r := stamping.Reply{Class: stamping.Retryable, Unknown: true, Message: msg}
		if body.Fault != nil {
			r.Message = msg + " (" + body.Fault.String + ")"
		}
		return r
	}
	var inc *FinkokIncidencia
	if len(res.Incidencias) > 0 {
		inc = &res.Incidencias[0]
	}
	code, text := "", ""
	if inc != nil {
		code, text = strings.TrimSpace(inc.CodigoError), strings.TrimSpace(inc.MensajeIncidencia)
		if code == "" && strings.Contains(strings.ToLower(text), "fuera de rango") {
			code = "401"
		}
	}
	if strings.TrimSpace(res.XML) != "" {
		class := stamping.Stamped
		if recovering || code == "307" {
			class = stamping.AlreadyStamped
		}
		return finkokStamped(class, res, sealed)
	}
	class := ClassifyFinkok(code, text)
	if class == stamping.AlreadyStamped {
		// The stamp exists but did not come back: the caller recovers it.
		return stamping.Reply{Class: stamping.AlreadyStamped, Code: code, Message: text}
	}
	r := stamping.Reply{Class: class, Code: code, Message: text, Hint: finkokHint(code)}
	if class == stamping.Retryable {
		// 708/709 or an empty answer: Finkok may hold a stamp it has not
		// delivered (pac/README.md §9.2), so the outcome is unknown.
		r.Unknown = true
	}
	if inc == nil && class != stamping.NotStamped {
		r = stamping.Reply{Class: stamping.Retryable, Unknown: true, Message: "Finkok respondió sin timbre ni incidencia; se reintentará."}
	}
	return r
}

// finkokStamped checks the stamped CFDI of a Finkok answer: it must carry a
// TFD and our seal.
func finkokStamped(class stamping.Class, res *FinkokStampResult, sealed []byte) stamping.Reply {
	out := []byte(res.XML)
	doc, err := cfdi.Parse(out)
	if err != nil || doc.Complemento == nil || doc.Complemento.TimbreFiscalDigital == nil {
		return stamping.Reply{Class: stamping.Retryable, Unknown: true, Message: "El CFDI timbrado recibido de Finkok no es válido; se reintentará."}
	}
	if sealed != nil {
		ours, err := cfdi.Parse(sealed)
		if err != nil || doc.Sello != ours.Sello || doc.Complemento.TimbreFiscalDigital.SelloCFD != ours.Sello {
			return stamping.Reply{Class: stamping.Retryable, Unknown: true, Message: "El CFDI timbrado recibido no corresponde al documento enviado; se reintentará."}
		}
	}
	return stamping.Reply{Class: class, StampedXML: out, UUID: strings.ToUpper(doc.Complemento.TimbreFiscalDigital.UUID)}
}

// ClassifyFinkok maps a Finkok incidencia code (and its text) to a queue
// class (pac/README.md §9.2).
func ClassifyFinkok(code, message string) stamping.Class {
	switch code {
	case "307":
		return stamping.AlreadyStamped
	case "603":
		return stamping.NotStamped
	case "708", "709":
		return stamping.Retryable
	case "718":
		return stamping.OutOfStamps
	case "300", "501", "701", "702", "703", "706", "740":
		// The account, not the document, must change: the document
		// stays queued until the user fixes the account.
		return stamping.BadCredentials
	case "":
		if outOfStamps(message) {
			return stamping.OutOfStamps
		}
	}
	return stamping.NeedsUser
}

// finkokHint explains a Finkok code in Spanish; SAT's codes share SW's.
func finkokHint(code string) string {
	switch code {
	case "300", "501":
		return "Usuario o contraseña de Finkok incorrectos. Revíselos en Empresa › PAC."
	case "701":
		return "Finkok tiene suspendido el RFC emisor. Comuníquese con Finkok."
	case "702":
		return "El RFC emisor no está registrado en la cuenta de Finkok. Regístrelo en el panel de Finkok."
	case "703":
		return "La cuenta de Finkok está suspendida. Comuníquese con Finkok."
	case "705":
		return "Finkok rechazó la estructura del XML. Revise caracteres especiales (como «&») en los datos del comprobante."
	case "707":
		return "Se envió un comprobante que ya tiene timbre. Reporte este caso a soporte."
	case "718":
		return "Se agotaron los timbres del RFC en Finkok. Compre o asigne timbres."
	case "738":
		return "Los espacios de nombres del XML no son válidos. Revise los complementos del comprobante."
	case "740":
		return "Falta firmar el manifiesto de Finkok. Fírmelo en el panel de Finkok."
	}
	return Hint(code)
}

// QueryPending asks query_pending for a UUID still being delivered to SAT.
func (f *Finkok) QueryPending(ctx context.Context, uuid string) (FinkokPending, error) {
	const op = "pac.Finkok.QueryPending"
	status, body, parsed, err := f.soap(ctx, "stamp", "query_pending", append(f.creds(), [2]string{"uuid", uuid}))
	if err != nil {
		return FinkokPending{}, domain.E(domain.Unavailable, op, "No se pudo comunicar con Finkok.", err)
	}
	return ClassifyPending(status, body, parsed)
}

// ClassifyPending reads a query_pending answer: a fault or a 5xx is
// Unavailable, "UUID … No Encontrado" is NotFound.
func ClassifyPending(status int, body FinkokBody, parsed bool) (FinkokPending, error) {
	const op = "pac.Finkok.QueryPending"
	if !parsed || body.Fault != nil || body.QueryPending == nil || status >= 500 {
		cause := fmt.Errorf("status %d", status)
		if body.Fault != nil {
			cause = fmt.Errorf("fault %s: %s", body.Fault.Code, body.Fault.String)
		}
		return FinkokPending{}, domain.E(domain.Unavailable, op, "Finkok no respondió la consulta; se intentará más tarde.", cause)
	}
	p := *body.QueryPending
	if p.Error != "" {
		kind := domain.Rejected
		if strings.Contains(strings.ToLower(p.Error), "no encontrado") {
			kind = domain.NotFound
		}
		return p, domain.E(kind, op, "Finkok no encontró el comprobante.", errors.New(p.Error))
	}
	return p, nil
}

// Balance returns the credits of the configured RFC (registration get):
// credit -1 means an on-demand (unlimited) account.
func (f *Finkok) Balance(ctx context.Context) (stamping.Balance, error) {
	const op = "pac.Finkok.Balance"
	status, body, parsed, err := f.soap(ctx, "registration", "get",
		[][2]string{{"reseller_username", f.cfg.User}, {"reseller_password", f.cfg.Password}, {"taxpayer_id", f.cfg.RFC}})
	if err != nil {
		return stamping.Balance{}, domain.E(domain.Unavailable, op, "No se pudo consultar el saldo de Finkok.", err)
	}
	if !parsed || body.Get == nil || status >= 500 {
		return stamping.Balance{}, domain.E(domain.Unavailable, op, "Finkok no entregó el saldo de timbres.", fmt.Errorf("status %d", status))
	}
	for _, u := range body.Get.Users {
		if f.cfg.RFC == "" || strings.EqualFold(u.TaxpayerID, f.cfg.RFC) {
			n, err := strconv.ParseInt(strings.TrimSpace(u.Credit), 10, 64)
			if err != nil {
				break
			}
			return stamping.Balance{IssuerRFC: u.TaxpayerID, Stamps: max(n, 0), Unlimited: n < 0, AsOf: f.cfg.Now()}, nil
		}
	}
	return stamping.Balance{}, domain.E(domain.NotFound, op, "El RFC no está registrado en la cuenta de Finkok.", errors.New(body.Get.Message))
}

// Cancel requests a cancellation through Finkok's cancel, which signs with
// the CSD sent along (FinkokConfig.Cer/Key). 201 and 202 return no error;
// 205 and request-level 708 are Unavailable; other codes are Rejected.
func (f *Finkok) Cancel(ctx context.Context, cr stamping.CancelRequest) (stamping.CancelReceipt, error) {
	const op = "pac.Finkok.Cancel"
	if err := cr.Validate(); err != nil {
		return stamping.CancelReceipt{}, err
	}
	if len(f.cfg.Cer) == 0 || len(f.cfg.Key) == 0 {
		return stamping.CancelReceipt{}, domain.E(domain.Invalid, op, "Para cancelar con Finkok configure el CSD de la empresa en Empresa › CSD.", nil)
	}
	var uuids bytes.Buffer
	uuids.WriteString(`<tns:uuids><tns:UUID UUID="`)
	xml.EscapeText(&uuids, []byte(cr.UUID))
	uuids.WriteString(`" Motivo="` + cr.Motivo + `" FolioSustitucion="`)
	xml.EscapeText(&uuids, []byte(cr.FolioSustitucion))
	uuids.WriteString(`"/></tns:uuids>`)
	params := append([][2]string{{"raw:UUIDS", uuids.String()}}, f.creds()...)
	params = append(params, [2]string{"taxpayer_id", cr.IssuerRFC},
		[2]string{"cer", base64.StdEncoding.EncodeToString(f.cfg.Cer)}, [2]string{"key", base64.StdEncoding.EncodeToString(f.cfg.Key)},
		[2]string{"store_pending", "false"})
	status, body, parsed, err := f.soap(ctx, "cancel", "cancel", params)
	if err != nil {
		return stamping.CancelReceipt{}, domain.E(domain.Unavailable, op, "No se pudo comunicar con Finkok para cancelar.", err)
	}
	res := body.Cancel
	if res == nil {
		res = body.CancelSig
	}
	if !parsed || res == nil || status >= 500 {
		return stamping.CancelReceipt{}, domain.E(domain.Unavailable, op, "Finkok no respondió la cancelación; intente más tarde.", fmt.Errorf("status %d", status))
	}
	return ClassifyFinkokCancel(*res, cr.UUID)
}

// ClassifyFinkokCancel reads a cancel / cancel_signature result for uuid.
func ClassifyFinkokCancel(res FinkokCancelResult, uuid string) (stamping.CancelReceipt, error) {
	const op = "pac.Finkok.Cancel"
	rc := stamping.CancelReceipt{Acuse: []byte(res.Acuse)}
	for _, fo := range res.Folios {
		if strings.EqualFold(fo.UUID, uuid) {
			rc.EstatusUUID = strings.TrimSpace(fo.EstatusUUID)
		}
	}
	if rc.EstatusUUID == "" {
		code := strings.TrimSpace(res.CodEstatus)
		kind := domain.Rejected
		if code == "708" || code == "" {
			kind = domain.Unavailable
		}
		msg := "Finkok no aceptó la solicitud de cancelación."
		if strings.Contains(code, "No Encontrado") {
			kind, msg = domain.Unavailable, "El SAT aún no registra el comprobante; intente cancelar más tarde."
		}
		e := domain.E(kind, op, msg, fmt.Errorf("cod estatus %q", code))
		e.Code = code
		return rc, e
	}
	switch rc.EstatusUUID {
	case "201", "202", "1201", "1202":
		return rc, nil
	case "205", "708":
		e := domain.E(domain.Unavailable, op, "El SAT aún no registra el comprobante; intente cancelar más tarde.", fmt.Errorf("estatus %s", rc.EstatusUUID))
		e.Code = rc.EstatusUUID
		return rc, e
	}
	e := domain.E(domain.Rejected, op, cancelHint(rc.EstatusUUID), fmt.Errorf("estatus %s", rc.EstatusUUID))
	e.Code = rc.EstatusUUID
	return rc, e
}

// CancelStatus asks SAT's status of a CFDI through Finkok's get_sat_status.
func (f *Finkok) CancelStatus(ctx context.Context, q stamping.StatusQuery) (stamping.SATStatus, error) {
	const op = "pac.Finkok.CancelStatus"
	params := append(f.creds(), [2]string{"taxpayer_id", q.Emisor}, [2]string{"rtaxpayer_id", q.Receptor},
		[2]string{"uuid", q.UUID}, [2]string{"total", q.Total})
	status, body, parsed, err := f.soap(ctx, "cancel", "get_sat_status", params)
	if err != nil {
		return stamping.SATStatus{}, domain.E(domain.Unavailable, op, "No se pudo consultar el estado del comprobante en el SAT.", err)
	}
	if !parsed || body.SATStatus == nil || status >= 500 {
		return stamping.SATStatus{}, domain.E(domain.Unavailable, op, "Finkok no entregó el estado del SAT.", fmt.Errorf("status %d", status))
	}
	return SATStatusOf(*body.SATStatus)
}

// SATStatusOf reads a get_sat_status result; CodigoEstatus keeps Finkok's
// text ("S - Comprobante obtenido satisfactoriamente.").
func SATStatusOf(s FinkokSATStatus) (stamping.SATStatus, error) {
	if s.CodigoEstatus == "" && s.Estado == "" {
		return stamping.SATStatus{}, domain.E(domain.Unavailable, "pac.Finkok.CancelStatus", "Finkok no entregó el estado del SAT.", errors.New(s.Error))
	}
	return stamping.SATStatus{CodigoEstatus: s.CodigoEstatus, Estado: s.Estado, EsCancelable: s.EsCancelable, EstatusCancelacion: s.EstatusCancelacion}, nil
}
