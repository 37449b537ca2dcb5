package sim

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// FaultKind names an injectable stamp fault (pac/README.md §11.3).
type FaultKind int

// Stamp faults.
const (
	// LostReply commits the stamp, then drops the connection without an
	// answer ("stamped but no response").
	LostReply FaultKind = iota + 1
	// ServerError answers Status (default 500) before doing anything; with
	// Plain the body is not JSON.
	ServerError
	// SlowReply waits Delay before handling the request.
	SlowReply
	// SlowAfterCommit commits the stamp, then waits Delay before answering
	// (the client may time out: unknown outcome).
	SlowAfterCommit
)

// Fault is one injected stamp fault.
type Fault struct {
	Kind   FaultKind
	Status int
	Plain  bool
	Delay  time.Duration
	// ThenDown takes the simulator down (SetDown) right after the fault:
	// e.g. the reply of a committed stamp is lost and then the PAC is
	// unreachable.
	ThenDown bool
}

// InjectFaults queues faults; each stamp request takes the next one.
func (s *Server) InjectFaults(f ...Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, f...)
	s.mu.Unlock()
}

// FaultEvery applies f to every n-th stamp request (0 turns it off).
func (s *Server) FaultEvery(n int, f Fault) {
	s.mu.Lock()
	s.every, s.everyF = n, f
	s.mu.Unlock()
}

func (s *Server) nextFault() (Fault, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stampReqs++
	lat := s.latency
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		return f, lat
	}
	if s.every > 0 && s.stampReqs%s.every == 0 {
		return s.everyF, lat
	}
	return Fault{}, lat
}

// record is an issued stamp.
type record struct {
	uuid     string
	seal     [32]byte
	customID string
	user     string
	rfc      string // emisor
	receptor string
	serie    string
	folio    string
	fecha    string
	total    string
	sello    string
	tfd      *cfdi.TimbreFiscalDigital
	tfdXML   string
	stamped  []byte
	cadena   string
	noCert   string
	qr       string
	at       time.Time // simulator clock
	public   time.Time // real time it appears in storage
	ready    chan struct{}
	failed   bool
	cancel   cancelState
}

type customUse struct {
	seal [32]byte
	at   time.Time
}

// StampCount returns how many stamps were issued for the document
// (issuer RFC, serie, folio). A correct client never makes it exceed 1.
func (s *Server) StampCount(rfc, serie, folio string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.perDoc[rfc+"|"+serie+"|"+folio]
}

// StampCounts returns the number of stamps per "rfc|serie|folio".
func (s *Server) StampCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.perDoc))
	for k, v := range s.perDoc {
		out[k] = v
	}
	return out
}

// Stamped returns the total number of stamps issued.
func (s *Server) Stamped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stamped
}

// StampRequests returns how many stamp requests arrived.
func (s *Server) StampRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stampReqs
}

// stampError is a pipeline rejection.
type stampError struct {
	status int
	msg    string
}

const (
	msg301 = "301 - La estructura del comprobante es incorrecta."
	msg302 = "302 - Sello mal formado o inválido."
	msg303 = "303 - Sello no corresponde a emisor."
	msg304 = "304 - Certificado revocado o caduco."
	msg305 = "305 - La fecha de emisión no está dentro de la vigencia del CSD del Emisor."
	msg306 = "306 - El certificado no es de tipo CSD."
	msg307 = "307. El comprobante contiene un timbre previo."
	msg308 = "308 - Certificado no expedido por el SAT."
	msg401 = "401 - El rango de la fecha de generación no debe de ser mayor a 72 horas para la emisión del timbre."
	msg402 = "402 - RFC del emisor no se encuentra en el régimen de contribuyentes."
	// msg712 follows Finkok's documented code for a NoCertificado that is
	// not the certificate's serial; SW's own text is not documented.
	msg712    = "712 - El atributo NoCertificado no coincide con el número de certificado."
	msgDigest = "CFDI40102 - El resultado de la digestión debe ser igual al resultado de la desencripción del sello."
	msg3307   = "CFDI3307 - Timbre duplicado. El customId proporcionado está duplicado."
	msgEmpty  = "Xml CFDI33 no proporcionado o viene vacio."
)

var oidUniqueID = asn1.ObjectIdentifier{2, 5, 4, 45}

// stamp is the stamp pipeline of pac/README.md §11.2.
func (s *Server) stamp(w http.ResponseWriter, r *http.Request, a *account) {
	fault, latency := s.nextFault()
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
			fail(w, st, "CO1000 - Error no controlado.", nil)
		}
		return
	}
	version := r.PathValue("version")
	b64 := strings.HasSuffix(r.URL.Path, "/b64")
	withData := !strings.HasPrefix(r.URL.Path, "/cfdi33/stamp/")
	v4route := strings.HasPrefix(r.URL.Path, "/v4/")
	if version != "v1" && version != "v2" && version != "v3" && version != "v4" {
		http.NotFound(w, r)
		return
	}
	data, err := readXMLPart(r, b64)
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		fail(w, http.StatusBadRequest, msgEmpty, nil)
		return
	}
	customID := ""
	if v4route {
		customID = r.Header.Get("customid")
		if len(customID) > 100 {
			fail(w, http.StatusBadRequest, "El CustomId no es válido o es mayor a 100 caracteres.", nil)
			return
		}
	}
	c, rec, serr := s.validate(data, customID, withData)
	if serr != nil {
		fail(w, serr.status, serr.msg, nil)
		return
	}
	if rec == nil { // a new stamp
		rec, serr = s.issue(data, c, customID, a)
		if serr != nil {
			fail(w, serr.status, serr.msg, nil)
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
		ok(w, shape(rec, version, b64))
		return
	}
	// The same seal again (307) or a reused customid (CFDI3307).
	if rec.seal == sha256.Sum256([]byte(c.Sello)) {
		var d any
		if withData {
			d = shape(rec, version, b64)
		}
		fail(w, http.StatusBadRequest, msg307, d)
		return
	}
	fail(w, http.StatusBadRequest, msg3307, map[string]string{"tfd": enc(rec.tfdXML, b64), "cfdi": ""})
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) downAfter(f Fault) {
	if f.ThenDown {
		s.SetDown(true)
	}
}

func readXMLPart(r *http.Request, b64 bool) ([]byte, error) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return nil, err
	}
	f, _, err := r.FormFile("xml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if b64 {
		return base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	}
	return data, nil
}

// validate runs the checks in SAT's order and the duplicate detection. It
// returns the previous record for a duplicate, nil for a new stamp.
func (s *Server) validate(data []byte, customID string, withData bool) (*cfdi.Comprobante, *record, *stampError) {
	if !utf8.Valid(data) {
		return nil, nil, &stampError{http.StatusBadRequest, msg301}
	}
	c, err := cfdi.Parse(data)
	if err != nil {
		return nil, nil, &stampError{http.StatusBadRequest, msg301}
	}
	if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
		// SW's behaviour is unknown; answer 307 (pac/README.md §11.2 step 3).
		if rec := s.lookup(c, customID); rec != nil {
			return c, rec, nil
		}
		return nil, nil, &stampError{http.StatusBadRequest, msg307}
	}
	if s.opts.DuplicateFirst {
		if rec := s.lookup(c, customID); rec != nil {
			return c, rec, nil
		}
	}
	if e := s.checkCertificate(c); e != nil {
		return nil, nil, e
	}
	if err := cfdi.VerifySeal(c); err != nil {
		return nil, nil, &stampError{http.StatusBadRequest, msgDigest}
	}
	fecha, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity)
	now := s.now()
	if err != nil || fecha.Before(now.Add(-72*time.Hour)) || fecha.After(now.Add(s.opts.FutureTolerance)) {
		return nil, nil, &stampError{http.StatusBadRequest, msg401}
	}
	if len(s.lco) > 0 && !s.lco[c.Emisor.Rfc] {
		return nil, nil, &stampError{http.StatusBadRequest, msg402}
	}
	if rec := s.lookup(c, customID); rec != nil {
		return c, rec, nil
	}
	return c, nil, nil
}

// lookup finds an earlier stamp of the same seal, or of the same customid
// within 72 hours. It waits for a stamp still being issued.
func (s *Server) lookup(c *cfdi.Comprobante, customID string) *record {
	key := sha256.Sum256([]byte(c.Sello))
	s.mu.Lock()
	rec := s.bySeal[key]
	if rec == nil && customID != "" {
		if u, ok := s.byCustom[customID]; ok && s.opts.Now().Add(s.skew).Sub(u.at) < 72*time.Hour {
			rec = s.bySeal[u.seal]
		}
	}
	s.mu.Unlock()
	if rec == nil {
		return nil
	}
	<-rec.ready
	if rec.failed {
		return nil
	}
	return rec
}

// checkCertificate runs step 4: NoCertificado, CSD key usage, trust, RFC,
// validity and revocation.
func (s *Server) checkCertificate(c *cfdi.Comprobante) *stampError {
	der, err := base64.StdEncoding.DecodeString(c.Certificado)
	if err != nil {
		return &stampError{http.StatusBadRequest, msg302}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return &stampError{http.StatusBadRequest, msg302}
	}
	if string(cert.SerialNumber.Bytes()) != c.NoCertificado {
		return &stampError{http.StatusBadRequest, msg712}
	}
	if cert.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment || len(cert.ExtKeyUsage) > 0 {
		return &stampError{http.StatusBadRequest, msg306}
	}
	if s.opts.Roots != nil {
		if _, err := cert.Verify(x509.VerifyOptions{Roots: s.opts.Roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return &stampError{http.StatusBadRequest, msg308}
		}
	}
	rfc := ""
	for _, n := range cert.Subject.Names {
		if n.Type.Equal(oidUniqueID) {
			if v, ok := n.Value.(string); ok {
				rfc = strings.TrimSpace(strings.Split(v, "/")[0])
			}
		}
	}
	if rfc != c.Emisor.Rfc {
		return &stampError{http.StatusBadRequest, msg303}
	}
	fecha, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity)
	if err != nil || fecha.Before(cert.NotBefore) || fecha.After(cert.NotAfter) {
		return &stampError{http.StatusBadRequest, msg305}
	}
	s.mu.Lock()
	revoked := s.revoked[c.NoCertificado]
	s.mu.Unlock()
	if revoked {
		return &stampError{http.StatusBadRequest, msg304}
	}
	return nil
}

// issue reserves the stamp (balance, duplicate maps) atomically, then signs
// the TFD and inserts it into the sealed bytes.
func (s *Server) issue(data []byte, c *cfdi.Comprobante, customID string, a *account) (*record, *stampError) {
	key := sha256.Sum256([]byte(c.Sello))
	now := s.now()
	s.mu.Lock()
	if prev := s.bySeal[key]; prev != nil { // raced with an identical request
		s.mu.Unlock()
		<-prev.ready
		return prev, nil
	}
	if u, ok := s.byCustom[customID]; customID != "" && ok && now.Sub(u.at) < 72*time.Hour && u.seal != key {
		s.mu.Unlock()
		return nil, &stampError{http.StatusBadRequest, msg3307}
	}
	if len(a.issuers) > 0 && !slices.Contains(a.issuers, c.Emisor.Rfc) {
		s.mu.Unlock()
		return nil, &stampError{http.StatusBadRequest, "El RFC emisor " + c.Emisor.Rfc + " no está autorizado para esta cuenta."}
	}
	if !a.Unlimited && a.Stamps <= 0 {
		s.mu.Unlock()
		return nil, &stampError{http.StatusBadRequest, s.opts.OutOfStampsMessage}
	}
	rec := &record{uuid: newUUID(), seal: key, customID: customID, user: a.ID, rfc: c.Emisor.Rfc,
		receptor: c.Receptor.Rfc, serie: c.Serie, folio: c.Folio, fecha: c.Fecha, total: c.Total, sello: c.Sello, at: now, ready: make(chan struct{})}
	if !a.Unlimited { // reserve the stamp now so concurrent requests cannot overdraw
		a.Stamps--
		a.used++
	}
	s.bySeal[key] = rec
	if customID != "" {
		s.byCustom[customID] = customUse{seal: key, at: now}
	}
	s.mu.Unlock()

	tfd := &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: rec.uuid,
		FechaTimbrado: now.In(domain.MexicoCity).Format("2006-01-02T15:04:05"),
		RfcProvCertif: s.opts.RfcProvCertif, SelloCFD: c.Sello, NoCertificadoSAT: s.opts.NoCertificadoSAT}
	cadena := cfdi.TFDCadena(tfd)
	sum := sha256.Sum256([]byte(cadena))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	var stamped []byte
	if err == nil {
		tfd.SelloSAT = base64.StdEncoding.EncodeToString(sig)
		stamped, err = cfdi.InsertTimbre(data, tfd)
	}
	qr := ""
	if err == nil && !s.opts.SkipQR {
		png, qerr := cfdi.QRCodePNG(cfdi.VerificationURL(c), 256)
		if qerr == nil {
			qr = base64.StdEncoding.EncodeToString(png)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer close(rec.ready)
	if err != nil {
		rec.failed = true
		if !a.Unlimited {
			a.Stamps++
			a.used--
		}
		delete(s.bySeal, key)
		if customID != "" && s.byCustom[customID].seal == key {
			delete(s.byCustom, customID)
		}
		return nil, &stampError{http.StatusInternalServerError, "CO1000 - Error no controlado."}
	}
	rec.tfd, rec.tfdXML, rec.stamped, rec.cadena, rec.noCert, rec.qr = tfd, tfdElement(tfd), stamped, cadena, c.NoCertificado, qr
	rec.public = time.Now().Add(s.opts.StorageDelay)
	s.byUUID[rec.uuid] = rec
	s.perDoc[c.Emisor.Rfc+"|"+c.Serie+"|"+c.Folio]++
	s.stamped++
	if !a.Unlimited {
		a.move(0, 1, "Timbrado "+rec.uuid, now)
	}
	return rec, nil
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// tfdElement renders the tfd:TimbreFiscalDigital element as SW returns it in
// data.tfd (pac/README.md §3.3).
func tfdElement(t *cfdi.TimbreFiscalDigital) string {
	var b strings.Builder
	b.WriteString(`<tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.sat.gob.mx/TimbreFiscalDigital http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd"`)
	attr := func(n, v string) {
		if v != "" {
			b.WriteString(" " + n + `="` + xmlEscape(v) + `"`)
		}
	}
	attr("Version", t.Version)
	attr("UUID", t.UUID)
	attr("FechaTimbrado", t.FechaTimbrado)
	attr("RfcProvCertif", t.RfcProvCertif)
	attr("Leyenda", t.Leyenda)
	attr("SelloCFD", t.SelloCFD)
	attr("NoCertificadoSAT", t.NoCertificadoSAT)
	attr("SelloSAT", t.SelloSAT)
	b.WriteString("/>")
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func enc(s string, b64 bool) string {
	if b64 && s != "" {
		return base64.StdEncoding.EncodeToString([]byte(s))
	}
	return s
}

// shape renders a stamp in the response shape of version (pac/README.md §3.3).
func shape(rec *record, version string, b64 bool) pac.StampData {
	switch version {
	case "v1":
		return pac.StampData{TFD: enc(rec.tfdXML, b64)}
	case "v2":
		return pac.StampData{TFD: enc(rec.tfdXML, b64), CFDI: enc(string(rec.stamped), b64)}
	case "v3":
		return pac.StampData{CFDI: enc(string(rec.stamped), b64)}
	}
	return pac.StampData{CFDI: enc(string(rec.stamped), b64), CadenaOriginalSAT: rec.cadena,
		NoCertificadoSAT: rec.tfd.NoCertificadoSAT, NoCertificadoCFDI: rec.noCert, UUID: rec.uuid,
		SelloSAT: rec.tfd.SelloSAT, SelloCFDI: rec.sello, FechaTimbrado: rec.tfd.FechaTimbrado, QRCode: rec.qr}
}

// storage answers GET /datawarehouse/v1/live/{uuid}; a stamp appears after
// Options.StorageDelay.
func (s *Server) storage(w http.ResponseWriter, r *http.Request, a *account) {
	id := strings.ToLower(r.PathValue("uuid"))
	s.mu.Lock()
	rec := s.byUUID[id]
	s.mu.Unlock()
	records := []map[string]any{}
	if rec != nil && rec.user == a.ID && !time.Now().Before(rec.public) {
		records = append(records, map[string]any{"uuid": rec.uuid, "status": "vigente", "urlXml": s.url + "/sim/xml/" + rec.uuid,
			"rfcEmisor": rec.rfc, "rfcReceptor": rec.receptor, "total": rec.total, "fechaTimbrado": rec.tfd.FechaTimbrado,
			"rfcProvCertif": rec.tfd.RfcProvCertif, "selloCFD": rec.sello})
	}
	ok(w, map[string]any{"metaData": map[string]any{"page": 1, "perPage": 10, "pageCount": 1, "totalCount": len(records),
		"links": map[string]string{"current": r.URL.String()}}, "records": records})
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rec := s.byUUID[strings.ToLower(r.PathValue("uuid"))]
	s.mu.Unlock()
	if rec == nil || time.Now().Before(rec.public) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(rec.stamped)
}

// StampedXML returns the stamped CFDI of a UUID (nil if unknown).
func (s *Server) StampedXML(uuid string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.byUUID[strings.ToLower(uuid)]; rec != nil {
		return rec.stamped
	}
	return nil
}
