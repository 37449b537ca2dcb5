package sim

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// The Finkok façade (pac/README.md §11.6): SOAP on /servicios/soap/stamp,
// /cancel and /registration, with Finkok's answer shapes
// (pac/recorded/finkok), reusing the same stamp core, duplicate detection,
// balances, cancellation rules and fault injection as the SW dialect;
// cancel_signature verifies the issuer's signed Cancelacion. A
// simulator keeps one stamp count whichever dialect stamped.

// soapCall is a decoded SOAP request: the operation and its simple
// parameters by local name.
type soapCall struct {
	op     string
	params map[string]string
}

func parseSOAP(b []byte) (soapCall, error) {
	c := soapCall{params: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth, body := 0, -1
	var field string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case t.Name.Local == "Body" && body < 0:
				body = depth
			case body > 0 && depth == body+1:
				c.op = t.Name.Local
			case body > 0 && depth == body+2:
				field = t.Name.Local
			}
		case xml.CharData:
			if field != "" {
				c.params[field] += string(t)
			}
		case xml.EndElement:
			if depth == body+2 {
				field = ""
			}
			depth--
		}
	}
	if c.op == "" {
		return c, fmt.Errorf("no operation")
	}
	return c, nil
}

const finkokEnvelope = `<?xml version='1.0' encoding='UTF-8'?>` +
	`<senv:Envelope xmlns:s0="apps.services.soap.core.views" xmlns:senv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="http://facturacion.finkok.com/%s"><senv:Body>` +
	`<tns:%sResponse><tns:%sResult>%s</tns:%sResult></tns:%sResponse></senv:Body></senv:Envelope>`

func writeSOAP(w http.ResponseWriter, status int, service, op, inner string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, finkokEnvelope, service, op, op, inner, op, op)
}

func soapFault(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version='1.0' encoding='UTF-8'?><senv:Envelope xmlns:senv="http://schemas.xmlsoap.org/soap/envelope/"><senv:Body><senv:Fault><faultcode>senv:Server</faultcode><faultstring>%s</faultstring><faultactor/></senv:Fault></senv:Body></senv:Envelope>`, xmlEscape(msg))
}

func el(name, v string) string { return "<s0:" + name + ">" + xmlEscape(v) + "</s0:" + name + ">" }

func incidencia(code, msg string) string {
	return "<s0:xml></s0:xml><s0:Incidencias><s0:Incidencia>" + el("IdIncidencia", newUUID()) + el("Uuid", "") + el("CodigoError", code) +
		el("WorkProcessId", newUUID()) + el("MensajeIncidencia", msg) + el("ExtraInfo", "") + el("NoCertificadoPac", "") + "</s0:Incidencia></s0:Incidencias>"
}

// finkokLogin finds the account of a call's username and password.
func (s *Server) finkokLogin(user, password string) *account {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.users {
		if a.Email == user && a.Password == password && password != "" {
			return a
		}
	}
	return nil
}

func (s *Server) finkok(service string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		call, err := parseSOAP(b)
		if err != nil {
			soapFault(w, "Invalid request")
			return
		}
		user, pass := call.params["username"], call.params["password"]
		if service == "registration" {
			user, pass = call.params["reseller_username"], call.params["reseller_password"]
		}
		a := s.finkokLogin(user, pass)
		switch service + "." + call.op {
		case "stamp.stamp", "stamp.quick_stamp", "stamp.stamped":
			if a == nil {
				writeSOAP(w, 200, service, call.op, incidencia("300", "Usuario y contraseña inválidos"))
				return
			}
			s.finkokStamp(w, call, a)
		case "stamp.query_pending":
			s.finkokPending(w, call)
		case "cancel.cancel_signature":
			if a == nil {
				writeSOAP(w, 200, service, call.op, el("CodEstatus", "300"))
				return
			}
			s.finkokCancelSignature(w, call, a)
		case "cancel.get_sat_status":
			s.finkokSATStatus(w, call)
		case "registration.get":
			if a == nil {
				writeSOAP(w, 200, service, call.op, el("message", "Usuario y contraseña inválidos"))
				return
			}
			s.mu.Lock()
			credit := a.Stamps
			if a.Unlimited {
				credit = -1
			}
			s.mu.Unlock()
			writeSOAP(w, 200, service, call.op, "<s0:users><s0:ResellerUser>"+el("status", "A")+el("counter", "0")+
				el("taxpayer_id", call.params["taxpayer_id"])+el("credit", strconv.FormatInt(credit, 10))+"</s0:ResellerUser></s0:users>")
		default:
			soapFault(w, "Method not found: "+call.op)
		}
	}
}

// finkokStamp is stamp (and quick_stamp): the SW pipeline with Finkok's
// incidencias; stamped recovers an earlier stamp or answers 603.
func (s *Server) finkokStamp(w http.ResponseWriter, call soapCall, a *account) {
	op := call.op
	recovering := op == "stamped"
	var fault Fault
	if !recovering {
		var latency time.Duration
		fault, latency = s.nextFault()
		if latency > 0 {
			time.Sleep(latency)
		}
		switch fault.Kind {
		case SlowReply:
			time.Sleep(fault.Delay)
		case ServerError:
			st := fault.Status
			if st == 0 {
				st = http.StatusInternalServerError
			}
			s.downAfter(fault)
			if fault.Plain {
				http.Error(w, "Service Unavailable", st)
			} else {
				soapFault(w, "Internal Server Error")
			}
			return
		}
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(call.params["xml"]))
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		writeSOAP(w, 200, "stamp", op, incidencia("705", "XML Estructura inválida"))
		return
	}
	if recovering {
		c, perr := cfdi.Parse(data)
		var rec *record
		if perr == nil {
			rec = s.lookup(c, "")
		}
		if rec == nil {
			writeSOAP(w, 200, "stamp", op, incidencia("603", "El CFDI no contiene un timbre previo"))
			return
		}
		writeSOAP(w, 200, "stamp", op, finkokResult(rec, "Comprobante recibido satisfactoriamente", ""))
		return
	}
	c, rec, serr := s.validate(data, "", true)
	if serr != nil {
		if c == nil && rec == nil && serr.msg == msg307 { // the XML already carries a TFD
			writeSOAP(w, 200, "stamp", op, incidencia("707", "El CFDI ya contiene un nodo TimbreFiscalDigital"))
			return
		}
		writeSOAP(w, 200, "stamp", op, s.finkokIncidencia(serr.msg))
		return
	}
	if rec == nil {
		rec, serr = s.issue(data, c, "", a)
		if serr != nil {
			if serr.status >= 500 {
				soapFault(w, "Internal Server Error")
				return
			}
			writeSOAP(w, 200, "stamp", op, s.finkokIncidencia(serr.msg))
			return
		}
		switch fault.Kind {
		case LostReply:
			s.downAfter(fault)
			dropConnection(w)
			return
		case SlowAfterCommit:
			time.Sleep(fault.Delay)
		}
		writeSOAP(w, 200, "stamp", op, finkokResult(rec, "Comprobante timbrado satisfactoriamente", ""))
		return
	}
	// The same document again: 307 with the earlier stamp (or, with
	// Options.Finkok307WithoutXML, without it, as Finkok sometimes does).
	if s.opts.Finkok307WithoutXML {
		writeSOAP(w, 200, "stamp", op, incidencia("307", "El CFDI contiene un timbre previo"))
		return
	}
	writeSOAP(w, 200, "stamp", op, finkokResult(rec, "Comprobante timbrado previamente", "307"))
}

// finkokIncidencia turns an SW pipeline message into Finkok's incidencia.
func (s *Server) finkokIncidencia(msg string) string {
	switch {
	case msg == s.opts.OutOfStampsMessage:
		return incidencia("718", "El RFC emisor no tiene timbres disponibles")
	case msg == msgEmpty:
		return incidencia("705", "XML Estructura inválida")
	case msg == msg401:
		return incidencia("401", "Fecha y hora de generación fuera de rango")
	}
	code := pac.Code(msg)
	text := strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(msg, code), " .-"))
	return incidencia(code, text)
}

func finkokResult(rec *record, estatus, code string) string {
	inc := "<s0:Incidencias/>"
	if code != "" {
		inc = "<s0:Incidencias><s0:Incidencia>" + el("CodigoError", code) + el("MensajeIncidencia", "El CFDI contiene un timbre previo") + "</s0:Incidencia></s0:Incidencias>"
	}
	return el("xml", string(rec.stamped)) + el("UUID", strings.ToUpper(rec.uuid)) + el("Fecha", rec.tfd.FechaTimbrado) +
		el("CodEstatus", estatus) + el("SatSeal", rec.tfd.SelloSAT) + inc + el("NoCertificadoSAT", rec.tfd.NoCertificadoSAT)
}

func (s *Server) finkokPending(w http.ResponseWriter, call soapCall) {
	id := strings.ToLower(strings.TrimSpace(call.params["uuid"]))
	s.mu.Lock()
	rec := s.byUUID[id]
	s.mu.Unlock()
	if rec == nil {
		writeSOAP(w, 200, "stamp", "query_pending", el("status", "")+el("error", "UUID "+call.params["uuid"]+" No Encontrado"))
		return
	}
	writeSOAP(w, 200, "stamp", "query_pending", el("status", "F")+el("xml", string(rec.stamped))+el("uuid", strings.ToUpper(rec.uuid))+
		el("uuid_status", "")+el("error", "")+el("date", rec.at.In(domain.MexicoCity).Format("2006-01-02 15:04:05.000000")))
}

// finkokCancelSignature is cancel_signature: the issuer's Cancelacion,
// signed with its CSD, is checked as SAT checks it — the XML-DSig verifies
// with the certificate it carries (else CodEstatus 302), the certificate
// is a CSD (306) of RfcEmisor (303), valid at the request's Fecha (305) and
// not revoked (304) — and only then each UUID goes through SAT's
// cancellation rules (requestCancel, shared with the SW dialect).
func (s *Server) finkokCancelSignature(w http.ResponseWriter, call soapCall, a *account) {
	const op = "cancel_signature"
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(call.params["xml"]))
	if err != nil || len(data) == 0 {
		writeSOAP(w, 200, "cancel", op, el("CodEstatus", "301"))
		return
	}
	req, cert, err := cfdi.VerifyCancelacion(data)
	if err != nil {
		s.mu.Lock()
		s.badCancels++
		s.mu.Unlock()
		writeSOAP(w, 200, "cancel", op, el("CodEstatus", "302"))
		return
	}
	code := ""
	switch rfc := certRFC(cert); {
	case cert.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment || len(cert.ExtKeyUsage) > 0:
		code = "306"
	case rfc != req.RfcEmisor:
		code = "303"
	case req.Fecha.Before(cert.NotBefore) || req.Fecha.After(cert.NotAfter):
		code = "305"
	default:
		s.mu.Lock()
		if s.revoked[string(cert.SerialNumber.Bytes())] {
			code = "304"
		}
		s.mu.Unlock()
	}
	if code != "" {
		writeSOAP(w, 200, "cancel", op, el("CodEstatus", code))
		return
	}
	var folios strings.Builder
	now := s.now()
	var acuseFolios strings.Builder
	for _, f := range req.Folios {
		id := strings.ToLower(f.UUID)
		code := "205"
		if uuidRE.MatchString(id) {
			code, now = s.requestCancel(a, req.RfcEmisor, id, f.Motivo, f.FolioSustitucion)
		}
		estatus := ""
		if code == "201" {
			estatus = "Petición de cancelación realizada exitosamente"
		}
		folios.WriteString("<s0:Folio>" + el("UUID", strings.ToUpper(id)) + el("EstatusUUID", code) + el("EstatusCancelacion", estatus) + "</s0:Folio>")
		acuseFolios.WriteString("<Folios><UUID>" + strings.ToUpper(id) + "</UUID><EstatusUUID>" + code + "</EstatusUUID></Folios>")
	}
	fecha := now.In(domain.MexicoCity).Format("2006-01-02T15:04:05")
	writeSOAP(w, 200, "cancel", op, "<s0:Folios>"+folios.String()+"</s0:Folios>"+
		el("Acuse", s.cancelaCFDAcuse(fecha, req.RfcEmisor, acuseFolios.String()))+el("Fecha", fecha)+el("RfcEmisor", req.RfcEmisor))
}

// cancelaCFDAcuse is SAT's answer as Finkok relays it (an s:Envelope with
// CancelaCFDResponse, pac/recorded/finkok/cancel_signature_201.xml),
// signed with the simulator's key.
func (s *Server) cancelaCFDAcuse(fecha, rfc, folios string) string {
	sum := sha256.Sum256([]byte(fecha + "|" + rfc + "|" + folios))
	sig, _ := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, sum[:])
	return `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
		`<CancelaCFDResponse xmlns="http://cancelacfd.sat.gob.mx"><CancelaCFDResult Fecha="` + fecha + `" RfcEmisor="` + xmlEscape(rfc) + `">` + folios +
		`<Signature Id="SelloSAT" xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>` + base64.StdEncoding.EncodeToString(sig) +
		`</SignatureValue></Signature></CancelaCFDResult></CancelaCFDResponse></s:Body></s:Envelope>`
}

// certRFC is the holder's RFC of a SAT certificate (x500UniqueIdentifier).
func certRFC(cert *x509.Certificate) string {
	for _, n := range cert.Subject.Names {
		if n.Type.Equal(oidUniqueID) {
			if v, ok := n.Value.(string); ok {
				return strings.TrimSpace(strings.Split(v, "/")[0])
			}
		}
	}
	return ""
}

// CancelRequests returns how many cancellation requests reached SAT's
// rules here (either dialect), and how many Finkok requests were refused
// for their signature.
func (s *Server) CancelRequests() (accepted, badSignature int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancelReqs, s.badCancels
}

func (s *Server) finkokSATStatus(w http.ResponseWriter, call soapCall) {
	id := strings.ToLower(call.params["uuid"])
	now := s.now()
	codigo, estado, cancelable, estatus := "N - 602: Comprobante no encontrado.", "No Encontrado", "", ""
	s.mu.Lock()
	rec := s.byUUID[id]
	if rec != nil && rec.rfc == call.params["taxpayer_id"] && rec.receptor == call.params["rtaxpayer_id"] &&
		sameAmount(rec.total, call.params["total"]) && !now.Before(rec.at.Add(s.opts.PropagationDelay)) {
		codigo = "S - Comprobante obtenido satisfactoriamente."
		estado, estatus = s.estado(rec, now)
		switch {
		case s.noCancel[rec.uuid]:
			cancelable = "No cancelable"
		case s.needsAcceptance(rec):
			cancelable = "Cancelable con aceptación"
		default:
			cancelable = "Cancelable sin aceptación"
		}
	}
	s.mu.Unlock()
	writeSOAP(w, 200, "cancel", "get_sat_status", "<s0:sat>"+el("CodigoEstatus", codigo)+el("Estado", estado)+
		el("EsCancelable", cancelable)+el("EstatusCancelacion", estatus)+"</s0:sat>")
}
