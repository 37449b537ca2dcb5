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
	// Signer returns the CSD of an issuer, with which Cancel signs SAT's
	// cancellation request here (the key is never sent). Without it Cancel
	// refuses.
	Signer func(ctx context.Context, issuerRFC string) (cfdi.CancelSigner, error)
	// Timeout bounds every call that has no earlier deadline [120 s]. A
	// stamp that times out has an UNKNOWN outcome.
	Timeout    time.Duration
	HTTPClient *http.Client
	Now        domain.Clock
	Audit      func(Exchange)
}

// Finkok is a client of Finkok's SOAP services: stamp (with stamped to
// recover an earlier stamp and to learn the outcome of a lost reply),
// query_pending, cancel_signature, get_sat_status and the credits of registration.
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
// escaped, and passwords are left out of the audit copy. A transport
// error is returned as is; an answer that is not SOAP gives parsed false.
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

// Cancel requests a cancellation through Finkok's cancel_signature
// (pac/README.md §9.3): SAT's Cancelacion is built and signed here with the
// issuer's CSD (FinkokConfig.Signer, cfdi.SignCancelacion), so the private
// key never leaves the workstation; Finkok hands the signed request to SAT.
// The answer is classified by ClassifyFinkokCancel.
func (f *Finkok) Cancel(ctx context.Context, cr stamping.CancelRequest) (stamping.CancelReceipt, error) {
	const op = "pac.Finkok.Cancel"
	if err := cr.Validate(); err != nil {
		return stamping.CancelReceipt{}, err
	}
	if f.cfg.Signer == nil {
		return stamping.CancelReceipt{}, domain.E(domain.Invalid, op, "Para cancelar con Finkok, Folio firma la solicitud con el CSD de la empresa: configúrelo en Empresa › CSD.", nil)
	}
	signer, err := f.cfg.Signer(ctx, cr.IssuerRFC)
	if err != nil {
		return stamping.CancelReceipt{}, err
	}
	signed, err := cfdi.SignCancelacion(cfdi.Cancelacion{RfcEmisor: cr.IssuerRFC, Fecha: f.cfg.Now(),
		Folios: []cfdi.CancelFolio{{UUID: cr.UUID, Motivo: cr.Motivo, FolioSustitucion: cr.FolioSustitucion}}}, signer)
	if err != nil {
		return stamping.CancelReceipt{}, err
	}
	params := append([][2]string{{"xml", base64.StdEncoding.EncodeToString(signed)}}, f.creds()...)
	params = append(params, [2]string{"store_pending", "false"})
	status, body, parsed, err := f.soap(ctx, "cancel", "cancel_signature", params)
	if err != nil {
		return stamping.CancelReceipt{}, domain.E(domain.Unavailable, op, "No se pudo comunicar con Finkok para cancelar; intente más tarde.", err)
	}
	if !parsed || body.CancelSig == nil || body.Fault != nil || status >= 500 {
		cause := fmt.Errorf("status %d", status)
		if body.Fault != nil {
			cause = fmt.Errorf("fault %s: %s", body.Fault.Code, body.Fault.String)
		}
		return stamping.CancelReceipt{}, domain.E(domain.Unavailable, op, "Finkok no respondió la cancelación; intente más tarde.", cause)
	}
	return ClassifyFinkokCancel(*body.CancelSig, cr.UUID)
}

// ClassifyFinkokCancel reads a cancel_signature result for uuid into the
// outcomes of the SW client (pac.Client.Cancel): a receipt and no error
// when SAT took the request — EstatusUUID 201, also when the receiver must
// accept it ("En proceso", learned through the SAT status), and 202 when
// it was cancelled before (1201/1202 for retentions) —; Unavailable when
// it may work later — 205 or 1205 (SAT does not know the UUID yet), 708
// (SAT unreachable) and, at request level (CodEstatus, pac/README.md §9.3),
// 708, 300 (SAT's authentication of the request failed), 305 (SAT does not
// yet see the CSD as valid), "UUID: … No Encontrado" or no status at all —;
// Rejected with the code otherwise (203, 204, 207–209, no_cancelable, and
// request codes such as 301–304, 306).
func ClassifyFinkokCancel(res FinkokCancelResult, uuid string) (stamping.CancelReceipt, error) {
	const op = "pac.Finkok.Cancel"
	rc := stamping.CancelReceipt{Acuse: []byte(res.Acuse)}
	for _, fo := range res.Folios {
		if strings.EqualFold(strings.TrimSpace(fo.UUID), uuid) {
			rc.EstatusUUID = strings.TrimSpace(fo.EstatusUUID)
		}
	}
	fail := func(kind domain.Kind, code, msg string) (stamping.CancelReceipt, error) {
		e := domain.E(kind, op, msg, fmt.Errorf("finkok cancel_signature: estatus %q cod estatus %q", rc.EstatusUUID, res.CodEstatus))
		e.Code = code
		return rc, e
	}
	if rc.EstatusUUID == "" {
		code := strings.TrimSpace(res.CodEstatus)
		switch {
		case code == "":
			return fail(domain.Unavailable, "", "Finkok respondió la cancelación sin su estatus; consulte el estado del comprobante e intente de nuevo más tarde.")
		case strings.Contains(strings.ToLower(code), "no encontrado"):
			return fail(domain.Unavailable, "205", "Finkok o el SAT aún no registran el comprobante; intente cancelar más tarde.")
		}
		code = finkokCode(code)
		switch code {
		case "708":
			return fail(domain.Unavailable, code, "Finkok no pudo comunicarse con el SAT; intente cancelar más tarde.")
		case "300":
			return fail(domain.Unavailable, code, "El SAT no autenticó la solicitud de cancelación. Si el usuario y la contraseña de Finkok son correctos (Empresa › PAC), intente más tarde.")
		case "305":
			return fail(domain.Unavailable, code, "El SAT aún no reconoce vigente el CSD con que se firmó la solicitud; intente cancelar más tarde.")
		case "301":
			return fail(domain.Rejected, code, "El SAT rechazó la estructura de la solicitud de cancelación. Reporte este caso a soporte.")
		case "302", "303":
			return fail(domain.Rejected, code, "El SAT no aceptó la firma de la solicitud: el CSD no corresponde al RFC emisor. Revise el CSD en Empresa › CSD.")
		case "304":
			return fail(domain.Rejected, code, "El CSD con que se firmó la solicitud está revocado o caducado. Cargue un CSD vigente en Empresa › CSD.")
		case "306":
			return fail(domain.Rejected, code, "La solicitud se firmó con un certificado que no es CSD (¿una e.firma?). Cargue el CSD en Empresa › CSD.")
		}
		return fail(domain.Rejected, code, "Finkok no aceptó la solicitud de cancelación.")
	}
	switch rc.EstatusUUID {
	case "201", "202", "1201", "1202":
		return rc, nil
	case "205", "1205", "708":
		return fail(domain.Unavailable, rc.EstatusUUID, "El SAT aún no registra el comprobante; intente cancelar más tarde.")
	case "no_cancelable":
		return fail(domain.Rejected, rc.EstatusUUID, cancelHint("204"))
	}
	return fail(domain.Rejected, rc.EstatusUUID, cancelHint(rc.EstatusUUID))
}

// finkokCode reads the code at the start of a CodEstatus ("708", "300 -
// …"); other texts are returned as they are.
func finkokCode(s string) string {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return s
	}
	return s[:end]
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
