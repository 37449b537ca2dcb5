// Package received imports CFDI issued elsewhere or by Folio's companies
// through another system: each file is read with size caps, refused when
// hostile, parsed and verified (structure, seal, certificate, TFD, amounts),
// classified as issued ("emitido": its Emisor is one of the installation's
// companies) or received ("recibido": its Receptor is), and stored verbatim
// with its verdict; duplicates by UUID are counted, never stored twice.
// CFDI 3.3 and 3.2 are stored as historical documents without the 4.0
// verification. The suppliers of received documents are recorded.
//
// Reading files from disk is the caller's (internal/wire): this package
// takes Items, whose bytes arrive through a function, and ZIP archives as an
// io.ReaderAt.
//
// Imported documents are then tied to Folio: Link (link.go) makes a draft
// invoice take an issued CFDI as its fiscal document (CheckLink names the
// rule that refuses it; the lifecycle's EventAdopt moves the draft to
// stamped); concordancia (concordance.go) makes a draft from a CFDI,
// mapping each concepto to a product through the customer's memory and
// reporting what differs; StatusChecker (satstatus.go) asks SAT, through
// the company's PAC account, whether each document is vigente, cancelado
// or no encontrado, leaving them pending while offline.
package received

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/tax"
)

// MaxFileSize is the largest file import reads, in bytes; a real CFDI is a
// few kilobytes, rarely over one megabyte.
const MaxFileSize = 10 << 20

// Direction says whose document it is for the installation.
type Direction string

// The directions.
const (
	Emitido  Direction = "emitido"  // the Emisor is one of the companies
	Recibido Direction = "recibido" // the Receptor is one of the companies
)

// Doc is one imported document: the fields the lists show, the verdict, and
// the XML exactly as read.
type Doc struct {
	ID        int64
	Issuer    string // RFC of the installation's company it belongs to
	Direction Direction
	// Key identifies the document for duplicates: its UUID in upper case,
	// or "SHA256:" and the hash of its bytes when it is not stamped.
	Key                                    string
	UUID, Version, Serie, Folio            string
	RfcEmisor, NombreEmisor, RegimenEmisor string
	RfcReceptor, NombreReceptor            string
	Fecha, Tipo, Moneda, Total             string // as written in the XML
	// Verdict is the one-line Spanish result of the checks ("OK: …",
	// "FALLA: …", or the historical note); OK tells whether they passed.
	Verdict    string
	OK         bool
	Historical bool   // CFDI 3.3 or 3.2: stored, not verified with the 4.0 rules
	SATStatus  string // SAT's status when consulted (SATVigente…); "" not consulted yet
	SATChecked string // when SAT was last consulted, RFC 3339; "" never
	InvoiceID  int64  // the invoice of Folio it is linked to (Link); 0 none
	XML        []byte
	Source     string // the file (or ZIP entry) it came from
	ImportedAt string // RFC 3339, set by the store
}

// TotalDecimal returns Total as a decimal (zero when unreadable).
func (d Doc) TotalDecimal() decimal.Decimal {
	v, err := decimal.NewFromString(strings.TrimSpace(d.Total))
	if err != nil {
		return decimal.Zero
	}
	return v
}

// Checker verifies documents; it is safe for concurrent use.
type Checker struct {
	// SAT holds the certificates that sign TimbreFiscalDigital stamps.
	SAT []*x509.Certificate
	// Decimals returns the decimals of a currency (c_Moneda); nil or not
	// found leaves the amounts unchecked, which the verdict says.
	Decimals func(moneda string) (int32, bool)
}

const opCheck = "received.Check"

var (
	bom         = []byte("\xef\xbb\xbf")
	markDoctype = []byte("<!DOCTYPE")
	markEntity  = []byte("<!ENTITY")
)

// refuse is a per-file refusal with its Spanish reason.
func refuse(msg string, cause error) error {
	return domain.E(domain.Invalid, opCheck, msg, cause)
}

// Check reads one document and returns it with its verdict, or an error
// (domain.Invalid, Spanish reason) when it cannot be stored at all: too
// large, hostile (DOCTYPE or ENTITY), not well-formed XML, more than one
// root, or not a CFDI. A well-formed CFDI is never refused for failing its
// checks: it comes back with OK false and the reason in Verdict. It never
// touches the network and never panics on any input.
func (ch *Checker) Check(data []byte) (Doc, error) {
	if len(data) > MaxFileSize {
		return Doc{}, refuse(fmt.Sprintf("El archivo mide más de %d MB; un CFDI mide unos pocos kilobytes. No se importó.", MaxFileSize>>20), nil)
	}
	body := bytes.TrimPrefix(data, bom)
	if bytes.Contains(body, markDoctype) || bytes.Contains(body, markEntity) {
		return Doc{}, refuse("El archivo contiene declaraciones DOCTYPE o ENTITY; por seguridad no se lee.", errors.New("doctype or entity"))
	}
	v := cfdi.Verify(data, ch.SAT...)
	if v.Comprobante == nil {
		// Not a CFDI 4.0: a 3.3 or 3.2 is stored as historical; anything
		// else is refused with the most precise reason.
		ns, version, err := sniff(body)
		if err != nil {
			return Doc{}, err
		}
		if ns == nsCFDI33 || ns == nsCFDI32 {
			return historical(data, body, version)
		}
		return Doc{}, refuse(domain.UserMessage(v.Structure), v.Structure)
	}
	c := v.Comprobante
	d := Doc{
		Version: c.Version, Serie: c.Serie, Folio: c.Folio, Fecha: c.Fecha, Tipo: c.TipoDeComprobante,
		Moneda: c.Moneda, Total: c.Total,
		RfcEmisor: strings.ToUpper(strings.TrimSpace(c.Emisor.Rfc)), NombreEmisor: c.Emisor.Nombre, RegimenEmisor: c.Emisor.RegimenFiscal,
		RfcReceptor: strings.ToUpper(strings.TrimSpace(c.Receptor.Rfc)), NombreReceptor: c.Receptor.Nombre,
		XML: data,
	}
	if t := c.Complemento; t != nil && t.TimbreFiscalDigital != nil {
		d.UUID = strings.ToUpper(strings.TrimSpace(t.TimbreFiscalDigital.UUID))
	}
	d.Key = keyOf(d.UUID, data)
	d.OK = v.OK()
	d.Verdict = v.String()
	if w := ch.amounts(c); w != "" {
		d.Verdict += "; " + w
	}
	return d, nil
}

// amounts checks the amounts with SAT's rules (tax.CheckComprobante) and
// returns "" when they pass, else a short Spanish note. Amounts outside the
// rules do not make the verdict fail: SAT stamped the document and the
// oracle judges seal and structure only; the note tells the user.
func (ch *Checker) amounts(c *cfdi.Comprobante) string {
	if ch.Decimals == nil {
		return "importes no revisados"
	}
	dec, ok := ch.Decimals(c.Moneda)
	if !ok {
		return "importes no revisados: la moneda «" + c.Moneda + "» no está en c_Moneda"
	}
	err := tax.CheckComprobante(preflight.AmountsOf(c), dec)
	if err == nil {
		return "importes conforme a las reglas del SAT"
	}
	ps := preflight.Problems(err)
	if len(ps) == 0 {
		return "importes fuera de las reglas del SAT"
	}
	w := "importes fuera de las reglas del SAT: " + strings.TrimSpace(ps[0].Code+" "+strings.Join(strings.Fields(ps[0].Msg), " "))
	if len(ps) > 1 {
		w += fmt.Sprintf(" (y %d más)", len(ps)-1)
	}
	return w
}

func keyOf(uuid string, data []byte) string {
	if uuid != "" {
		return uuid
	}
	h := sha256.Sum256(data)
	return "SHA256:" + hex.EncodeToString(h[:])
}

const (
	nsCFDI33 = "http://www.sat.gob.mx/cfd/3"
	nsCFDI32 = nsCFDI33 // 3.2 shares the namespace; Version tells them apart
	nsTFD    = "http://www.sat.gob.mx/TimbreFiscalDigital"
)

// sniff reads up to the root element and returns its namespace and
// version attribute (Version or version); text that is not XML, or no
// root, is refused with a reason.
func sniff(body []byte) (ns, version string, err error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		t, err := d.Token()
		if err == io.EOF {
			return "", "", refuse("El archivo no contiene un comprobante (está vacío o no es XML).", err)
		}
		if err != nil {
			return "", "", refuse("El archivo no es un XML bien formado; revise que esté completo y sin modificaciones.", err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Local != "Comprobante" {
				return "", "", refuse("El archivo XML no es un CFDI (falta el nodo cfdi:Comprobante).", fmt.Errorf("root {%s}%s", t.Name.Space, t.Name.Local))
			}
			return t.Name.Space, attr(t, "Version", "version"), nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return "", "", refuse("El archivo no es XML: tiene texto antes del comprobante.", errors.New("text before root"))
			}
		case xml.Directive:
			return "", "", refuse("El archivo contiene una declaración no permitida; por seguridad no se lee.", errors.New("directive"))
		}
	}
}

func attr(se xml.StartElement, names ...string) string {
	for _, a := range se.Attr {
		for _, n := range names {
			if a.Name.Space == "" && a.Name.Local == n {
				return strings.TrimSpace(a.Value)
			}
		}
	}
	return ""
}

// historical reads a CFDI 3.3 or 3.2: the whole document must be
// well-formed with one root; the list fields come from the root, Emisor,
// Receptor and the TFD (1.0 or 1.1). Its seal is not verified.
func historical(data, body []byte, version string) (Doc, error) {
	if version == "" {
		version = "3.x"
	}
	d := Doc{Version: version, Historical: true, XML: data}
	dec := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	for {
		t, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Doc{}, refuse("El archivo no es un XML bien formado; revise que esté completo y sin modificaciones.", err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return Doc{}, refuse("El archivo contiene más de un documento XML; importe cada comprobante en su propio archivo.", errors.New("more than one root"))
				}
				d.Serie, d.Folio, d.Fecha = attr(t, "Serie", "serie"), attr(t, "Folio", "folio"), attr(t, "Fecha", "fecha")
				d.Moneda, d.Total = attr(t, "Moneda"), attr(t, "Total", "total")
				d.Tipo = tipo32(attr(t, "TipoDeComprobante", "tipoDeComprobante"))
			}
			depth++
			switch {
			case t.Name.Space == nsCFDI33 && t.Name.Local == "Emisor" && depth == 2:
				d.RfcEmisor = strings.ToUpper(attr(t, "Rfc", "rfc"))
				d.NombreEmisor, d.RegimenEmisor = attr(t, "Nombre", "nombre"), attr(t, "RegimenFiscal")
			case t.Name.Space == nsCFDI33 && t.Name.Local == "RegimenFiscal" && depth == 3 && d.RegimenEmisor == "":
				d.RegimenEmisor = attr(t, "Regimen")
			case t.Name.Space == nsCFDI33 && t.Name.Local == "Receptor" && depth == 2:
				d.RfcReceptor = strings.ToUpper(attr(t, "Rfc", "rfc"))
				d.NombreReceptor = attr(t, "Nombre", "nombre")
			case t.Name.Space == nsTFD && t.Name.Local == "TimbreFiscalDigital":
				d.UUID = strings.ToUpper(attr(t, "UUID"))
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return Doc{}, refuse("El archivo tiene texto después del comprobante; revise que no esté alterado.", errors.New("text after root"))
			}
		}
	}
	if d.Moneda == "" {
		d.Moneda = "MXN"
	}
	d.Key = keyOf(d.UUID, data)
	d.Verdict = "CFDI " + version + ": versión histórica, no se verifica el sello con las reglas 4.0"
	return d, nil
}

// tipo32 maps CFDI 3.2's tipoDeComprobante words to the 3.3/4.0 letters.
func tipo32(t string) string {
	switch strings.ToLower(t) {
	case "ingreso":
		return "I"
	case "egreso":
		return "E"
	case "traslado":
		return "T"
	}
	return t
}
