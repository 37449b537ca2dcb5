package preflight

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

const op = "preflight.Check"

// Options are the facts outside the document that Check needs.
type Options struct {
	// Now is the present instant; Fecha may not be after it. Zero means
	// time.Now().
	Now time.Time
	// CertNotBefore and CertNotAfter bound the validity of the CSD that will
	// seal the document; Fecha must lie within them. Zero values are not
	// checked.
	CertNotBefore, CertNotAfter time.Time
	// CertRFC is the RFC of the CSD's holder; when set, Emisor Rfc must equal
	// it.
	CertRFC string
}

// Problem is one thing wrong with a document, ready to be shown next to the
// form field it belongs to.
type Problem struct {
	// Field is the path of the attribute or node in SAT's names, with
	// 0-based indexes: "Fecha", "Receptor.UsoCFDI",
	// "Conceptos[2].Impuestos.Traslados[0].TasaOCuota", "InformacionGlobal".
	// It is "" when the problem concerns the whole document.
	Field string
	// Code is SAT's CFDI40xxx code (or the PAC validation code) when one
	// applies, else "".
	Code string
	// Msg is the Spanish explanation, safe to show to users.
	Msg string
}

// fieldCause is the internal cause of a preflight error: it carries the
// field so that Problems can recover it from a plain *domain.Error.
type fieldCause struct{ field string }

func (f *fieldCause) Error() string {
	if f.field == "" {
		return "document"
	}
	return "field " + f.field
}

// Problems returns the problems in err, in the order Check found them. Every
// *domain.Error in err's tree becomes one Problem; errors that are not domain
// errors become a Problem with their generic user message. It returns nil for
// a nil err.
func Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var de *domain.Error
		if !errors.As(e, &de) {
			out = append(out, Problem{Msg: domain.UserMessage(e)})
			return
		}
		p := Problem{Code: de.Code, Msg: de.Msg}
		var fc *fieldCause
		if errors.As(de.Err, &fc) {
			p.Field = fc.field
		}
		out = append(out, p)
	}
	walk(err)
	return out
}

// checker collects problems.
type checker struct {
	c    *cfdi.Comprobante
	cats cfdi.Catalogs
	opt  Options
	errs []error
}

func (ch *checker) add(field, code, format string, args ...any) {
	ch.errs = append(ch.errs, &domain.Error{
		Kind: domain.Invalid, Op: op, Code: code,
		Msg: fmt.Sprintf(format, args...),
		Err: &fieldCause{field: field},
	})
}

// Check runs every pre-flight rule on c and returns nil, or every problem
// found joined with errors.Join: each one a *domain.Error of kind Invalid
// whose Code is SAT's CFDI40xxx code where one applies and whose Msg is
// Spanish; Problems lists them with their fields. It never modifies c.
// Sello, NoCertificado and Certificado are not looked at: Check runs before
// sealing.
//
// The rules (Anexo 20 v4.0, its Guía de llenado, the catalogs and the CFDI
// 4.0 "Matriz de errores"): the attributes the schema requires; Fecha's
// pattern, not in the future and within the CSD's validity; Emisor and
// Receptor RFC shapes, régimen in c_RegimenFiscal and fit for a persona
// física or moral, UsoCFDI allowed for the receptor's régimen; the generic
// RFCs (público en general and residentes en el extranjero); postal codes in
// c_CodigoPostal; InformacionGlobal; FormaPago, MetodoPago, Moneda, TipoCambio,
// Exportacion and TipoRelacion against their catalogs and each other; each
// Concepto's keys, ObjetoImp against its taxes and every TasaOCuota against
// c_TasaOCuota; and every amount by the rules of its TipoDeComprobante
// (CheckAmounts) in the decimals of the currency.
func Check(c *cfdi.Comprobante, cats cfdi.Catalogs, opt Options) error {
	if c == nil {
		return domain.E(domain.Invalid, op, "No hay comprobante que validar.", errors.New("nil Comprobante"))
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	ch := &checker{c: c, cats: cats, opt: opt}
	ch.required()
	ch.comprobante()
	ch.fecha()
	ch.emisor()
	ch.receptor()
	ch.informacionGlobal()
	ch.relacionados()
	ch.conceptos()
	ch.impuestos()
	ch.amounts()
	return errors.Join(ch.errs...)
}

// required turns cfdi.CheckRequired's findings into problems, leaving out the
// three attributes that sealing fills in.
func (ch *checker) required() {
	err := cfdi.CheckRequired(ch.c)
	if err == nil {
		return
	}
	j, ok := err.(interface{ Unwrap() []error })
	list := []error{err}
	if ok {
		list = j.Unwrap()
	}
	for _, e := range list {
		var de *domain.Error
		if !errors.As(e, &de) || de.Err == nil {
			continue
		}
		path := strings.TrimSuffix(de.Err.Error(), " missing")
		switch path {
		case "cfdi:Comprobante/@Sello", "cfdi:Comprobante/@NoCertificado", "cfdi:Comprobante/@Certificado":
			continue
		}
		ch.add(xmlPathToField(path), "", "%s", de.Msg)
	}
}

var conceptoIndex = regexp.MustCompile(`Concepto\[(\d+)\]`)

// xmlPathToField turns "cfdi:Concepto[2]/cfdi:Traslado/@Base" into
// "Conceptos[1].Traslado.Base".
func xmlPathToField(path string) string {
	s := strings.ReplaceAll(path, "cfdi:", "")
	s = strings.TrimPrefix(s, "Comprobante/")
	s = strings.TrimPrefix(s, "Comprobante")
	s = conceptoIndex.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(conceptoIndex.FindStringSubmatch(m)[1])
		return fmt.Sprintf("Conceptos[%d]", n-1)
	})
	s = strings.ReplaceAll(s, "/@", ".")
	s = strings.ReplaceAll(s, "/", ".")
	return strings.TrimPrefix(strings.TrimPrefix(s, "@"), ".")
}

// isMoral reports whether rfc names a persona moral (12 characters, SAT's
// rule for telling them apart).
func isMoral(rfc string) bool { return len([]rune(rfc)) == 12 }

func (ch *checker) comprobante() {
	c := ch.c
	switch c.TipoDeComprobante {
	case "I", "E", "T", "N", "P":
	default:
		ch.add("TipoDeComprobante", "CFDI40121", "El tipo de comprobante «%s» no está en el catálogo c_TipoDeComprobante; use I (ingreso), E (egreso), T (traslado), N (nómina) o P (pago).", c.TipoDeComprobante)
	}
	noPayment := c.TipoDeComprobante == "T" || c.TipoDeComprobante == "P"

	// FormaPago (Guía de llenado: required for I and E, absent for T and P).
	switch {
	case c.FormaPago != "" && noPayment:
		ch.add("FormaPago", "CFDI40103", "Un comprobante de tipo %s no lleva forma de pago; quite la forma de pago.", c.TipoDeComprobante)
	case c.FormaPago != "" && !ch.cats.FormaPagoExists(c.FormaPago):
		ch.add("FormaPago", "CFDI40104", "La forma de pago «%s» no está en el catálogo c_FormaPago; elija una del catálogo.", c.FormaPago)
	case c.FormaPago == "" && (c.TipoDeComprobante == "I" || c.TipoDeComprobante == "E"):
		ch.add("FormaPago", "", "Falta la forma de pago; elija una del catálogo c_FormaPago (99 «Por definir» si aún no se paga).")
	}

	// MetodoPago (c_MetodoPago: PUE or PPD; PPD requires FormaPago 99).
	switch {
	case c.MetodoPago != "" && noPayment:
		ch.add("MetodoPago", "CFDI40125", "Un comprobante de tipo %s no lleva método de pago; quite el método de pago.", c.TipoDeComprobante)
	case c.MetodoPago != "" && c.MetodoPago != "PUE" && c.MetodoPago != "PPD":
		ch.add("MetodoPago", "CFDI40124", "El método de pago «%s» no está en el catálogo c_MetodoPago; use PUE (una sola exhibición) o PPD (parcialidades o diferido).", c.MetodoPago)
	case c.MetodoPago == "" && (c.TipoDeComprobante == "I" || c.TipoDeComprobante == "E"):
		ch.add("MetodoPago", "", "Falta el método de pago; use PUE (una sola exhibición) o PPD (parcialidades o diferido).")
	case c.MetodoPago == "PPD" && c.FormaPago != "" && c.FormaPago != "99":
		ch.add("FormaPago", "CFDI40105", "Con método de pago PPD la forma de pago debe ser 99 «Por definir»; la forma real se indica en el complemento de pago.")
	}

	// Moneda and TipoCambio.
	_, monedaOK := ch.cats.MonedaDecimals(c.Moneda)
	if !monedaOK {
		ch.add("Moneda", "CFDI40113", "La moneda «%s» no está en el catálogo c_Moneda; use su clave ISO 4217 (MXN, USD, EUR…).", c.Moneda)
	}
	switch {
	case c.Moneda == "XXX" && c.TipoCambio != "":
		ch.add("TipoCambio", "CFDI40116", "Con moneda XXX no se registra tipo de cambio; quítelo.")
	case c.Moneda == "MXN" && c.TipoCambio != "" && c.TipoCambio != "1":
		ch.add("TipoCambio", "CFDI40114", "Con moneda MXN el tipo de cambio se omite o vale «1»; quite «%s».", c.TipoCambio)
	case monedaOK && c.Moneda != "MXN" && c.Moneda != "XXX" && c.TipoCambio == "":
		ch.add("TipoCambio", "CFDI40115", "Con moneda %s se debe registrar el tipo de cambio a pesos mexicanos del día.", c.Moneda)
	case c.TipoCambio != "" && !validTipoCambio(c.TipoCambio):
		ch.add("TipoCambio", "CFDI40117", "El tipo de cambio «%s» no es válido; escriba un número mayor que cero con hasta 6 decimales.", c.TipoCambio)
	}

	// Exportacion (c_Exportacion; 02 requires the Comercio Exterior complement).
	switch {
	case !ch.cats.ExportacionExists(c.Exportacion):
		if c.Exportacion != "" { // absence is reported by required()
			ch.add("Exportacion", "CFDI40123", "La clave de exportación «%s» no está en el catálogo c_Exportacion; use 01 si no es exportación.", c.Exportacion)
		}
	case c.Exportacion == "02" && !hasComercioExterior(c):
		ch.add("Exportacion", "CFDI40122", "La exportación definitiva (02) requiere el complemento de comercio exterior; agréguelo o use la clave 01.")
	}

	// LugarExpedicion (c_CodigoPostal).
	if c.LugarExpedicion != "" && !ch.cats.CodigoPostalExists(c.LugarExpedicion) {
		ch.add("LugarExpedicion", "CFDI40126", "El código postal del lugar de expedición «%s» no está en el catálogo c_CodigoPostal; revise el código postal de la sucursal.", c.LugarExpedicion)
	}

	// T and P documents carry no tax summary (their zero amounts: CheckAmounts).
	if noPayment {
		if c.Impuestos != nil {
			ch.add("Impuestos", "CFDI40201", "Un comprobante de tipo %s no lleva el nodo de impuestos; quítelo.", c.TipoDeComprobante)
		}
	}
}

var tipoCambioPattern = regexp.MustCompile(`^[0-9]{1,18}(\.[0-9]{1,6})?$`)

// validTipoCambio applies cfdv40.xsd's TipoCambio type: a decimal with up to
// 6 decimals and at least 0.000001.
func validTipoCambio(s string) bool {
	if !tipoCambioPattern.MatchString(s) {
		return false
	}
	v, err := decimal.NewFromString(s)
	return err == nil && v.IsPositive()
}

// hasComercioExterior reports whether c carries a Comercio Exterior complement.
func hasComercioExterior(c *cfdi.Comprobante) bool {
	if c.Complemento == nil {
		return false
	}
	for _, o := range c.Complemento.Others {
		if bytes.Contains(o, []byte("http://www.sat.gob.mx/ComercioExterior")) {
			return true
		}
	}
	return false
}

// fechaLayout is cfdv40.xsd t_FechaH: local time without zone.
const fechaLayout = "2006-01-02T15:04:05"

func (ch *checker) fecha() {
	f := ch.c.Fecha
	if f == "" {
		return // reported by required()
	}
	t, err := time.ParseInLocation(fechaLayout, f, domain.MexicoCity)
	if err != nil || len(f) != len(fechaLayout) {
		ch.add("Fecha", "CFDI40101", "La fecha «%s» no tiene el formato AAAA-MM-DDThh:mm:ss (hora local, sin zona horaria).", f)
		return
	}
	if t.After(ch.opt.Now) {
		ch.add("Fecha", "", "La fecha %s es posterior a la fecha y hora actuales; un comprobante no puede emitirse con fecha futura.", f)
	}
	if nb := ch.opt.CertNotBefore; !nb.IsZero() && t.Before(nb) {
		ch.add("Fecha", "305", "La fecha %s es anterior al inicio de la vigencia del CSD (%s); use una fecha dentro de la vigencia.", f, nb.In(domain.MexicoCity).Format(fechaLayout))
	}
	if na := ch.opt.CertNotAfter; !na.IsZero() && t.After(na) {
		ch.add("Fecha", "305", "La fecha %s es posterior al fin de la vigencia del CSD (%s); renueve el CSD en el SAT.", f, na.In(domain.MexicoCity).Format(fechaLayout))
	}
}

func (ch *checker) emisor() {
	e := ch.c.Emisor
	if e.Rfc == "" {
		return // reported by required()
	}
	kind, err := sat.ClassifyRFC(e.Rfc)
	switch {
	case err != nil:
		ch.add("Emisor.Rfc", "", "El RFC del emisor «%s» no es válido: %s", e.Rfc, domain.UserMessage(err))
		return
	case kind == sat.RFCGenericoNacional || kind == sat.RFCGenericoExtranjero:
		ch.add("Emisor.Rfc", "", "El emisor no puede usar el RFC genérico %s; use el RFC de la empresa.", e.Rfc)
		return
	}
	if ch.opt.CertRFC != "" && ch.opt.CertRFC != e.Rfc {
		ch.add("Emisor.Rfc", "303", "El RFC del emisor %s no es el del CSD con que se sellará (%s); corrija el RFC o use el CSD del emisor.", e.Rfc, ch.opt.CertRFC)
	}
	switch {
	case e.RegimenFiscal == "":
	case !ch.cats.RegimenExists(e.RegimenFiscal):
		ch.add("Emisor.RegimenFiscal", "CFDI40140", "El régimen fiscal del emisor «%s» no está en el catálogo c_RegimenFiscal.", e.RegimenFiscal)
	case !ch.cats.RegimenAllowed(e.RegimenFiscal, isMoral(e.Rfc)):
		ch.add("Emisor.RegimenFiscal", "CFDI40141", "El régimen fiscal %s del emisor no corresponde a una %s (RFC %s); elija el régimen de su constancia de situación fiscal.", e.RegimenFiscal, personaName(isMoral(e.Rfc)), e.Rfc)
	}
}

func personaName(moral bool) string {
	if moral {
		return "persona moral"
	}
	return "persona física"
}

// The receptor of a factura global and the generic receptors (Anexo 20
// v4.0, Guía de llenado, Receptor; Guía de llenado de la factura global).
const (
	publicoEnGeneral       = "PUBLICO EN GENERAL"
	regimenSinObligaciones = "616"
	usoSinEfectos          = "S01"
)

func (ch *checker) receptor() {
	c := ch.c
	r := c.Receptor
	if r.Rfc == "" {
		return // reported by required()
	}
	kind, err := sat.ClassifyRFC(r.Rfc)
	if err != nil {
		ch.add("Receptor.Rfc", "", "El RFC del receptor «%s» no es válido: %s", r.Rfc, domain.UserMessage(err))
		return
	}
	generic := kind == sat.RFCGenericoNacional || kind == sat.RFCGenericoExtranjero

	if r.DomicilioFiscalReceptor != "" && !ch.cats.CodigoPostalExists(r.DomicilioFiscalReceptor) {
		ch.add("Receptor.DomicilioFiscalReceptor", "", "El código postal del domicilio fiscal del receptor «%s» no está en el catálogo c_CodigoPostal; cópielo de su constancia de situación fiscal.", r.DomicilioFiscalReceptor)
	}
	if generic && r.DomicilioFiscalReceptor != "" && r.DomicilioFiscalReceptor != c.LugarExpedicion {
		ch.add("Receptor.DomicilioFiscalReceptor", "CFDI40149", "Con el RFC genérico %s el domicilio fiscal del receptor debe ser el código postal del lugar de expedición (%s).", r.Rfc, c.LugarExpedicion)
	}

	switch kind {
	case sat.RFCGenericoNacional:
		if r.Nombre != publicoEnGeneral {
			ch.add("Receptor.Nombre", "CFDI40130", "Con el RFC XAXX010101000 el nombre del receptor debe ser «PUBLICO EN GENERAL».")
		}
		if c.TipoDeComprobante == "I" && c.InformacionGlobal == nil {
			ch.add("InformacionGlobal", "", "Una factura de ingreso a público en general (XAXX010101000) es una factura global: indique la periodicidad, los meses y el año.")
		}
		if c.TipoDeComprobante == "I" && r.UsoCFDI != "" && r.UsoCFDI != usoSinEfectos {
			ch.add("Receptor.UsoCFDI", "CFDI40161", "Con el RFC XAXX010101000 el uso del CFDI debe ser S01 «Sin efectos fiscales».")
		}
	case sat.RFCGenericoExtranjero:
		switch {
		case r.ResidenciaFiscal == "":
			ch.add("Receptor.ResidenciaFiscal", "CFDI40153", "Con el RFC XEXX010101000 (residente en el extranjero) indique el país de residencia fiscal del receptor.")
		case r.ResidenciaFiscal == "MEX":
			ch.add("Receptor.ResidenciaFiscal", "CFDI40152", "La residencia fiscal de un receptor extranjero no puede ser MEX; indique su país de residencia.")
		case !ch.cats.PaisExists(r.ResidenciaFiscal):
			ch.add("Receptor.ResidenciaFiscal", "CFDI40150", "El país «%s» no está en el catálogo c_Pais; use la clave de tres letras (USA, CAN, ESP…).", r.ResidenciaFiscal)
		}
		if r.NumRegIdTrib == "" {
			ch.add("Receptor.NumRegIdTrib", "CFDI40155", "Con el RFC XEXX010101000 (residente en el extranjero) indique el número de registro de identidad fiscal del receptor en su país.")
		}
	}
	if kind != sat.RFCGenericoExtranjero {
		if r.ResidenciaFiscal != "" {
			ch.add("Receptor.ResidenciaFiscal", "CFDI40151", "Un receptor con RFC mexicano no lleva residencia fiscal; quítela (sólo aplica con XEXX010101000).")
		}
		if r.NumRegIdTrib != "" {
			ch.add("Receptor.NumRegIdTrib", "CFDI40154", "Un receptor con RFC mexicano no lleva número de registro de identidad fiscal; quítelo (sólo aplica con XEXX010101000).")
		}
	}

	reg := r.RegimenFiscalReceptor
	switch {
	case reg == "":
		return
	case !ch.cats.RegimenExists(reg):
		ch.add("Receptor.RegimenFiscalReceptor", "CFDI40157", "El régimen fiscal del receptor «%s» no está en el catálogo c_RegimenFiscal; cópielo de su constancia de situación fiscal.", reg)
		return
	case generic && reg != regimenSinObligaciones:
		ch.add("Receptor.RegimenFiscalReceptor", "CFDI40158", "Con el RFC genérico %s el régimen fiscal del receptor debe ser 616 «Sin obligaciones fiscales».", r.Rfc)
	case !generic && !ch.cats.RegimenAllowed(reg, isMoral(r.Rfc)):
		ch.add("Receptor.RegimenFiscalReceptor", "CFDI40158", "El régimen fiscal %s del receptor no corresponde a una %s (RFC %s); cópielo de su constancia de situación fiscal.", reg, personaName(isMoral(r.Rfc)), r.Rfc)
	}
	if r.UsoCFDI != "" && !ch.cats.UsoCFDIAllowed(r.UsoCFDI, reg) {
		ch.add("Receptor.UsoCFDI", "CFDI40161", "El uso del CFDI «%s» no está permitido para el régimen fiscal %s del receptor (catálogo c_UsoCFDI); pregunte al receptor el uso que le dará.", r.UsoCFDI, reg)
	}
}

func (ch *checker) informacionGlobal() {
	c := ch.c
	g := c.InformacionGlobal
	if g == nil {
		return
	}
	if c.Receptor.Rfc != sat.RFCPublicoGeneral {
		ch.add("InformacionGlobal", "CFDI40146", "La información de factura global sólo aplica con el RFC del receptor XAXX010101000 (público en general).")
	}
	per, perOK := atoiRange(g.Periodicidad, 1, 5)
	if !perOK || len(g.Periodicidad) != 2 {
		ch.add("InformacionGlobal.Periodicidad", "CFDI40131", "La periodicidad «%s» no está en el catálogo c_Periodicidad; use 01 diaria, 02 semanal, 03 quincenal, 04 mensual o 05 bimestral.", g.Periodicidad)
	}
	mes, mesOK := atoiRange(g.Meses, 1, 18)
	switch {
	case !mesOK || len(g.Meses) != 2:
		ch.add("InformacionGlobal.Meses", "CFDI40133", "El mes «%s» no está en el catálogo c_Meses; use 01 a 12 (o 13 a 18 para bimestres).", g.Meses)
	case perOK && per == 5 && mes < 13:
		ch.add("InformacionGlobal.Meses", "CFDI40135", "Con periodicidad bimestral los meses deben ser un bimestre, 13 (enero-febrero) a 18 (noviembre-diciembre).")
	case perOK && per != 5 && mes > 12:
		ch.add("InformacionGlobal.Meses", "CFDI40134", "Con periodicidad %s los meses deben ser 01 a 12; los valores 13 a 18 son sólo para la bimestral.", g.Periodicidad)
	}
	year := ch.opt.Now.In(domain.MexicoCity).Year()
	if y, ok := atoiRange(g.Anio, year-1, year); !ok || len(g.Anio) != 4 {
		ch.add("InformacionGlobal.Anio", "CFDI40136", "El año de la factura global «%s» debe ser el año en curso (%d) o el anterior.", g.Anio, year)
	} else if t, err := time.ParseInLocation(fechaLayout, c.Fecha, domain.MexicoCity); err == nil && y > t.Year() {
		ch.add("InformacionGlobal.Anio", "CFDI40136", "El año de la factura global %s es posterior al de la fecha del comprobante.", g.Anio)
	}
}

// atoiRange parses s as a decimal integer and reports whether lo ≤ s ≤ hi.
func atoiRange(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

var uuidPattern = regexp.MustCompile(`^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$`)

func (ch *checker) relacionados() {
	for i, g := range ch.c.CfdiRelacionados {
		field := fmt.Sprintf("CfdiRelacionados[%d]", i)
		if g.TipoRelacion != "" && !ch.cats.TipoRelacionExists(g.TipoRelacion) {
			ch.add(field+".TipoRelacion", "CFDI40137", "El tipo de relación «%s» no está en el catálogo c_TipoRelacion.", g.TipoRelacion)
		}
		for j, r := range g.CfdiRelacionado {
			if r.UUID != "" && !uuidPattern.MatchString(r.UUID) {
				ch.add(fmt.Sprintf("%s.CfdiRelacionado[%d].UUID", field, j), "", "El folio fiscal relacionado «%s» no es un UUID válido (8-4-4-4-12 dígitos hexadecimales).", r.UUID)
			}
		}
	}
}

func (ch *checker) conceptos() {
	c := ch.c
	needsValor := c.TipoDeComprobante == "I" || c.TipoDeComprobante == "E" || c.TipoDeComprobante == "N"
	for i := range c.Conceptos {
		k := &c.Conceptos[i]
		field := fmt.Sprintf("Conceptos[%d]", i)
		n := i + 1
		if k.ClaveProdServ != "" && !ch.cats.ClaveProdServExists(k.ClaveProdServ) {
			ch.add(field+".ClaveProdServ", "CFDI40162", "Concepto %d: la clave de producto o servicio «%s» no está en el catálogo c_ClaveProdServ.", n, k.ClaveProdServ)
		}
		if k.ClaveUnidad != "" && !ch.cats.ClaveUnidadExists(k.ClaveUnidad) {
			ch.add(field+".ClaveUnidad", "CFDI40165", "Concepto %d: la clave de unidad «%s» no está en el catálogo c_ClaveUnidad.", n, k.ClaveUnidad)
		}
		if needsValor {
			if v, err := decimal.NewFromString(k.ValorUnitario); err == nil && !v.IsPositive() {
				ch.add(field+".ValorUnitario", "CFDI40166", "Concepto %d: el valor unitario debe ser mayor que cero en un comprobante de tipo %s.", n, c.TipoDeComprobante)
			}
		}
		ch.objetoImp(field, n, k)
		if im := k.Impuestos; im != nil {
			for j, t := range im.Traslados {
				ch.impuesto(fmt.Sprintf("%s.Impuestos.Traslados[%d]", field, j), fmt.Sprintf("Concepto %d, traslado", n), t.Impuesto, t.TipoFactor, t.TasaOCuota, false)
			}
			for j, r := range im.Retenciones {
				ch.impuesto(fmt.Sprintf("%s.Impuestos.Retenciones[%d]", field, j), fmt.Sprintf("Concepto %d, retención", n), r.Impuesto, r.TipoFactor, r.TasaOCuota, true)
			}
		}
		if t := k.ACuentaTerceros; t != nil {
			ch.terceros(field+".ACuentaTerceros", n, t)
		}
		for j, p := range k.Parte {
			if p.ClaveProdServ != "" && !ch.cats.ClaveProdServExists(p.ClaveProdServ) {
				ch.add(fmt.Sprintf("%s.Parte[%d].ClaveProdServ", field, j), "CFDI40196", "Concepto %d, parte %d: la clave de producto o servicio «%s» no está en el catálogo c_ClaveProdServ.", n, j+1, p.ClaveProdServ)
			}
		}
	}
}

// objetoImp applies c_ObjetoImp: 01 (no objeto), 03 (sí objeto, no obligado
// al desglose) and 04 (sí objeto y no causa impuesto) carry no Impuestos node;
// 02 (sí objeto de impuesto) must carry at least one tax.
func (ch *checker) objetoImp(field string, n int, k *cfdi.Concepto) {
	im := k.Impuestos
	hasNode := im != nil
	hasTax := im != nil && len(im.Traslados)+len(im.Retenciones) > 0
	if hasNode && !hasTax {
		ch.add(field+".Impuestos", "CFDI40173", "Concepto %d: el nodo de impuestos está vacío; agregue un traslado o una retención, o quite el nodo.", n)
	}
	switch k.ObjetoImp {
	case "":
	case "01", "03", "04":
		if hasNode {
			ch.add(field+".ObjetoImp", "CFDI40172", "Concepto %d: con ObjetoImp %s el concepto no lleva impuestos; quite los impuestos o use ObjetoImp 02.", n, k.ObjetoImp)
		}
	case "02":
		if !hasTax {
			ch.add(field+".ObjetoImp", "CFDI40171", "Concepto %d: con ObjetoImp 02 (sí objeto de impuesto) el concepto debe llevar al menos un traslado o una retención; agréguelos o use ObjetoImp 01.", n)
		}
	default:
		if !ch.cats.ObjetoImpExists(k.ObjetoImp) {
			ch.add(field+".ObjetoImp", "CFDI40170", "Concepto %d: ObjetoImp «%s» no está en el catálogo c_ObjetoImp; use 01 (no objeto de impuesto) o 02 (sí objeto de impuesto).", n, k.ObjetoImp)
		}
	}
}

// impuesto checks a concept-level tax's Impuesto and TasaOCuota against
// c_Impuesto and c_TasaOCuota. Exento and missing values are judged by
// tax.CheckComprobante.
func (ch *checker) impuesto(field, label, impuesto, tipoFactor, tasa string, retencion bool) {
	codes := [3]string{"CFDI40175", "CFDI40179", "CFDI40177"}
	if retencion {
		codes = [3]string{"CFDI40182", "CFDI40185", "CFDI40184"}
	}
	switch impuesto {
	case tax.IVA, tax.IEPS:
	case tax.ISR:
		if !retencion {
			ch.add(field+".Impuesto", codes[0], "%s: el ISR no se traslada, sólo se retiene; quite el traslado de ISR.", label)
			return
		}
	default:
		ch.add(field+".Impuesto", codes[0], "%s: el impuesto «%s» no está en el catálogo c_Impuesto; use 001 (ISR), 002 (IVA) o 003 (IEPS).", label, impuesto)
		return
	}
	if tipoFactor == tax.Exento || tasa == "" {
		return
	}
	if !ch.cats.TasaOCuotaAllowed(impuesto, tipoFactor, tasa, retencion) {
		ch.add(field+".TasaOCuota", codes[1], "%s: la %s %s de %s no está en el catálogo c_TasaOCuota; escríbala con 6 decimales (p. ej. 0.160000).", label, strings.ToLower(tipoFactor), tasa, impuestoName(impuesto))
	}
}

func impuestoName(code string) string {
	switch code {
	case tax.ISR:
		return "ISR"
	case tax.IVA:
		return "IVA"
	case tax.IEPS:
		return "IEPS"
	}
	return code
}

func (ch *checker) terceros(field string, n int, t *cfdi.ACuentaTerceros) {
	if t.RfcACuentaTerceros != "" {
		kind, err := sat.ClassifyRFC(t.RfcACuentaTerceros)
		switch {
		case err != nil:
			ch.add(field+".RfcACuentaTerceros", "", "Concepto %d: el RFC del tercero «%s» no es válido: %s", n, t.RfcACuentaTerceros, domain.UserMessage(err))
		case kind == sat.RFCGenericoNacional || kind == sat.RFCGenericoExtranjero:
			ch.add(field+".RfcACuentaTerceros", "", "Concepto %d: el tercero debe tener un RFC propio, no el genérico %s.", n, t.RfcACuentaTerceros)
		case t.RfcACuentaTerceros == ch.c.Emisor.Rfc || t.RfcACuentaTerceros == ch.c.Receptor.Rfc:
			ch.add(field+".RfcACuentaTerceros", "CFDI40188", "Concepto %d: el RFC del tercero no puede ser el del emisor ni el del receptor.", n)
		}
	}
	if r := t.RegimenFiscalACuentaTerceros; r != "" && !ch.cats.RegimenExists(r) {
		ch.add(field+".RegimenFiscalACuentaTerceros", "CFDI40191", "Concepto %d: el régimen fiscal del tercero «%s» no está en el catálogo c_RegimenFiscal.", n, r)
	}
	if cp := t.DomicilioFiscalACuentaTerceros; cp != "" && !ch.cats.CodigoPostalExists(cp) {
		ch.add(field+".DomicilioFiscalACuentaTerceros", "", "Concepto %d: el código postal del domicilio fiscal del tercero «%s» no está en el catálogo c_CodigoPostal.", n, cp)
	}
}

// impuestos checks the document-level Traslados against c_TasaOCuota
// (CFDI40219); sums and grouping are judged by tax.CheckComprobante.
func (ch *checker) impuestos() {
	im := ch.c.Impuestos
	if im == nil {
		return
	}
	for i, t := range im.Traslados {
		if t.TipoFactor == tax.Exento || t.TasaOCuota == "" {
			continue
		}
		if !ch.cats.TasaOCuotaAllowed(t.Impuesto, t.TipoFactor, t.TasaOCuota, false) {
			ch.add(fmt.Sprintf("Impuestos.Traslados[%d].TasaOCuota", i), "CFDI40219", "Impuestos del comprobante: la %s %s de %s no está en el catálogo c_TasaOCuota.", strings.ToLower(t.TipoFactor), t.TasaOCuota, impuestoName(t.Impuesto))
		}
	}
}

// amounts runs CheckAmounts in the currency's decimals and files each of its
// problems under a field.
func (ch *checker) amounts() {
	c := ch.c
	decimals, ok := ch.cats.MonedaDecimals(c.Moneda)
	if !ok {
		return // reported by comprobante(); the decimals are unknown
	}
	err := CheckAmounts(c, decimals)
	if err != nil {
		ch.errs = append(ch.errs, flatten(err)...)
	}
}

var conceptoLabel = regexp.MustCompile(`^Concepto (\d+)`)

// amountField places a problem found by tax.CheckComprobante: concept
// problems under their concept (its messages start "Concepto n"), document
// problems under the attribute their code names.
func amountField(e *domain.Error) string {
	if m := conceptoLabel.FindStringSubmatch(e.Msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("Conceptos[%d]", n-1)
	}
	switch e.Code {
	case "CFDI40107", "CFDI40108":
		return "SubTotal"
	case "CFDI40110", "CFDI40111", "CFDI40112":
		return "Descuento"
	case "CFDI40119", "CFDI40120":
		return "Total"
	case "CFDI40202", "CFDI40203", "CFDI40206":
		return "Impuestos.TotalImpuestosRetenidos"
	case "CFDI40204", "CFDI40205", "CFDI40212":
		return "Impuestos.TotalImpuestosTrasladados"
	case "CFDI40208", "CFDI40209", "CFDI40210", "CFDI40211":
		return "Impuestos.Retenciones"
	}
	if strings.HasPrefix(e.Code, "CFDI402") {
		return "Impuestos.Traslados"
	}
	return ""
}

// AmountsOf copies the amounts of c, as written, into the form
// tax.CheckComprobante judges, with the totals of the implocal complement
// (TotaldeTraslados, TotaldeRetenciones) when c carries one.
func AmountsOf(c *cfdi.Comprobante) tax.ComprobanteXML {
	d := tax.ComprobanteXML{SubTotal: c.SubTotal, Descuento: c.Descuento, Total: c.Total}
	d.TrasladosLocales, _ = c.ComplementAttr(NSImplocal, "ImpuestosLocales", "TotaldeTraslados")
	d.RetencionesLocales, _ = c.ComplementAttr(NSImplocal, "ImpuestosLocales", "TotaldeRetenciones")
	for _, k := range c.Conceptos {
		x := tax.ConceptoXML{Cantidad: k.Cantidad, ValorUnitario: k.ValorUnitario, Importe: k.Importe, Descuento: k.Descuento}
		if im := k.Impuestos; im != nil {
			for _, t := range im.Traslados {
				x.Traslados = append(x.Traslados, tax.ImpuestoXML(t))
			}
			for _, r := range im.Retenciones {
				x.Retenciones = append(x.Retenciones, tax.ImpuestoXML(r))
			}
		}
		d.Conceptos = append(d.Conceptos, x)
	}
	if im := c.Impuestos; im != nil {
		d.TotalImpuestosTrasladados = im.TotalImpuestosTrasladados
		d.TotalImpuestosRetenidos = im.TotalImpuestosRetenidos
		for _, t := range im.Traslados {
			d.Traslados = append(d.Traslados, tax.ImpuestoXML(t))
		}
		for _, r := range im.Retenciones {
			d.Retenciones = append(d.Retenciones, tax.ImpuestoXML(r))
		}
	}
	return d
}
