package sim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// SAT-side cancellation values (pac/README.md §5.3).
const (
	EstadoVigente   = "Vigente"
	EstadoCancelado = "Cancelado"

	SinAceptacion      = "Cancelado sin aceptación"
	ConAceptacion      = "Cancelado con aceptación"
	EnProceso          = "En proceso"
	PlazoVencido       = "Plazo vencido"
	SolicitudRechazada = "Solicitud rechazada"
)

// cancelState is the SAT-side record of a UUID.
type cancelState struct {
	estatus     string // EstatusCancelacion, "" when never requested
	motivo      string
	folio       string
	requestedAt time.Time
}

// estado evaluates the state at now, turning an unanswered request into
// «Plazo vencido» after the acceptance window. The caller holds s.mu.
func (s *Server) estado(rec *record, now time.Time) (estado, estatus string) {
	c := &rec.cancel
	if c.estatus == EnProceso && !now.Before(c.requestedAt.Add(s.opts.AcceptanceWindow)) {
		c.estatus = PlazoVencido
	}
	switch c.estatus {
	case SinAceptacion, ConAceptacion, PlazoVencido:
		return EstadoCancelado, c.estatus
	}
	return EstadoVigente, c.estatus
}

// needsAcceptance applies the configured rule: Total above AcceptanceAbove.
func (s *Server) needsAcceptance(rec *record) bool {
	t, err1 := decimal.NewFromString(rec.total)
	lim, err2 := decimal.NewFromString(s.opts.AcceptanceAbove)
	return err1 == nil && err2 == nil && t.GreaterThan(lim)
}

// SetCancelable marks a UUID as not cancelable (e.g. it has live related
// documents): a request then answers 204.
func (s *Server) SetCancelable(uuid string, cancelable bool) {
	s.mu.Lock()
	s.noCancel[strings.ToLower(uuid)] = !cancelable
	s.mu.Unlock()
}

// CancelStatus returns SAT's Estado and EstatusCancelacion of a UUID.
func (s *Server) CancelStatus(uuid string) (estado, estatus string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.byUUID[strings.ToLower(uuid)]
	if rec == nil {
		return "No Encontrado", ""
	}
	return s.estado(rec, now)
}

// cancel serves POST /cfdi33/cancel/{rfc}/{uuid}/{motivo}[/{folio}].
func (s *Server) cancel(w http.ResponseWriter, r *http.Request, a *account) {
	rfc, id, motivo, folio := r.PathValue("rfc"), strings.ToLower(r.PathValue("uuid")), r.PathValue("motivo"), r.PathValue("folio")
	if !uuidRE.MatchString(id) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "CACFDI33 - Problemas con los campos.",
			"messageDetail": "El UUID proporcionado es invalido. Favor de verificar.", "data": nil, "status": "error"})
		return
	}
	if motivo != "01" && motivo != "02" && motivo != "03" && motivo != "04" {
		fail(w, http.StatusBadRequest, "CR1310. Clave de motivo de cancelación no válida", nil)
		return
	}
	code, now := s.requestCancel(a, rfc, id, motivo, folio)
	acuse := s.acuse(now, rfc, strings.ToUpper(id), code)
	ok(w, map[string]any{"acuse": acuse, "uuid": map[string]string{strings.ToUpper(id): code}})
}

// requestCancel runs SAT's cancellation rules for uuid id (lower case) and
// returns EstatusUUID; both dialects (SW, Finkok) use it.
func (s *Server) requestCancel(a *account, rfc, id, motivo, folio string) (string, time.Time) {
	now := s.now()
	s.mu.Lock()
	s.cancelReqs++
	rec := s.byUUID[id]
	code := ""
	switch {
	case rec == nil || now.Before(rec.at.Add(s.opts.PropagationDelay)):
		code = "205"
	case rec.rfc != rfc:
		code = "203"
	case motivo == "01" && (folio == "" || s.byUUID[strings.ToLower(folio)] == nil):
		code = "208"
	case motivo != "01" && folio != "":
		code = "209"
	}
	if code == "" {
		estado, estatus := s.estado(rec, now)
		switch {
		case estado == EstadoCancelado:
			code = "202"
		case s.noCancel[id]:
			code = "204"
		case estatus == EnProceso:
			code = "201" // already waiting for the receiver
		default:
			code = "201"
			rec.cancel = cancelState{estatus: SinAceptacion, motivo: motivo, folio: folio, requestedAt: now}
			if s.needsAcceptance(rec) {
				rec.cancel.estatus = EnProceso
			}
			if s.opts.CancelConsumesStamp && !a.Unlimited {
				s.addStamps(a, -1, "Cancelación "+id)
			}
		}
	}
	s.mu.Unlock()
	return code, now
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// acuse builds a cancellation acknowledgment signed with the simulator key.
func (s *Server) acuse(now time.Time, rfc, uuid, code string) string {
	fecha := now.In(domain.MexicoCity).Format("2006-01-02T15:04:05")
	sum := sha256.Sum256([]byte(fecha + "|" + rfc + "|" + uuid + "|" + code))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	return `<?xml version="1.0" encoding="utf-8"?><Acuse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Fecha="` +
		fecha + `" RfcEmisor="` + xmlEscape(rfc) + `"><Folios xmlns="http://cancelacfd.sat.gob.mx"><UUID>` + uuid + `</UUID><EstatusUUID>` + code +
		`</EstatusUUID></Folios><Signature Id="SelloSAT" xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>` +
		base64.StdEncoding.EncodeToString(sig) + `</SignatureValue></Signature></Acuse>`
}

// pendings serves GET /pendings/{rfc}: requests waiting for the receiver.
func (s *Server) pendings(w http.ResponseWriter, r *http.Request, _ *account) {
	rfc := r.PathValue("rfc")
	now := s.now()
	s.mu.Lock()
	var list []string
	for _, rec := range s.byUUID {
		if _, st := s.estado(rec, now); rec.receptor == rfc && st == EnProceso {
			list = append(list, strings.ToUpper(rec.uuid))
		}
	}
	s.mu.Unlock()
	if len(list) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"codStatus": "1101", "status": "error",
			"message": "CA1101 - No existen peticiones para el RFC Receptor.", "data": nil})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"codStatus": "1100", "status": "success", "data": map[string]any{"uuid": list}})
}

// acceptReject serves POST /acceptreject/{rfc}/{uuid}/{action}.
func (s *Server) acceptReject(w http.ResponseWriter, r *http.Request, _ *account) {
	rfc, id, action := r.PathValue("rfc"), strings.ToLower(r.PathValue("uuid")), r.PathValue("action")
	if action != "Aceptacion" && action != "Rechazo" {
		fail(w, http.StatusBadRequest, "CACFDI33 - Problemas con los campos.", nil)
		return
	}
	now := s.now()
	s.mu.Lock()
	rec := s.byUUID[id]
	status := "1000"
	switch {
	case rec == nil || rec.receptor != rfc:
		status = "1003"
	default:
		if _, st := s.estado(rec, now); st != EnProceso {
			status = "1004"
		} else if action == "Aceptacion" {
			rec.cancel.estatus = ConAceptacion
		} else {
			rec.cancel.estatus = SolicitudRechazada
		}
	}
	s.mu.Unlock()
	fecha := now.In(domain.MexicoCity).Format("2006-01-02T15:04:05")
	ok(w, map[string]any{
		"folios": []map[string]string{{"uuid": strings.ToUpper(id), "estatusUUID": status, "respuesta": action}},
		"acuse":  `<AcuseAceptacionRechazo Fecha="` + fecha + `" RfcReceptor="` + xmlEscape(rfc) + `"/>`})
}

var exprRE = regexp.MustCompile(`[?&](re|rr|tt|id|fe)=([^&\]<]*)`)

// consulta serves SAT's ConsultaCFDIService Consulta (SOAP).
func (s *Server) consulta(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	q := map[string]string{}
	for _, m := range exprRE.FindAllStringSubmatch(string(body), -1) {
		q[m[1]] = m[2]
	}
	codigo, estado, cancelable, estatus := "N - 601: La expresión impresa proporcionada no es válida.", "No Encontrado", "", ""
	if q["id"] != "" && q["re"] != "" && q["rr"] != "" && q["tt"] != "" {
		codigo = "N - 602: Comprobante no encontrado."
		now := s.now()
		s.mu.Lock()
		rec := s.byUUID[strings.ToLower(q["id"])]
		if rec != nil && rec.rfc == q["re"] && rec.receptor == q["rr"] && sameAmount(rec.total, q["tt"]) &&
			!now.Before(rec.at.Add(s.opts.PropagationDelay)) && (q["fe"] == "" || strings.HasSuffix(rec.sello, q["fe"])) {
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
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	fmt.Fprintf(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ConsultaResponse xmlns="http://tempuri.org/"><ConsultaResult xmlns:a="http://schemas.datacontract.org/2004/07/Sat.Cfdi.Negocio.ConsultaCfdi.Servicio" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a:CodigoEstatus>%s</a:CodigoEstatus><a:EsCancelable>%s</a:EsCancelable><a:Estado>%s</a:Estado><a:EstatusCancelacion>%s</a:EstatusCancelacion></ConsultaResult></ConsultaResponse></s:Body></s:Envelope>`,
		xmlEscape(codigo), xmlEscape(cancelable), xmlEscape(estado), xmlEscape(estatus))
}

func sameAmount(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}
