package tax

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// ImpuestoXML is the text of a Traslado or Retencion as written in a CFDI
// ("" = attribute absent). At document level a Retencion has only Impuesto
// and Importe.
type ImpuestoXML struct {
	Base, Impuesto, TipoFactor, TasaOCuota, Importe string
}

// ConceptoXML is the text of a Concepto's amounts as written in a CFDI.
type ConceptoXML struct {
	Cantidad, ValorUnitario, Importe, Descuento string
	Traslados, Retenciones                      []ImpuestoXML
}

// ComprobanteXML is the text of a CFDI's amounts: the Comprobante
// attributes, its concepts and its document-level Impuestos.
type ComprobanteXML struct {
	SubTotal, Descuento, Total                         string
	TotalImpuestosTrasladados, TotalImpuestosRetenidos string
	Conceptos                                          []ConceptoXML
	Traslados, Retenciones                             []ImpuestoXML
	// TrasladosLocales and RetencionesLocales are the totals of the
	// implocal:ImpuestosLocales complement (TotaldeTraslados,
	// TotaldeRetenciones), which Total includes; "" when there is none.
	TrasladosLocales, RetencionesLocales string
}

// tiny is the 10^-12 SAT subtracts in its upper limits so that a value
// exactly halfway is not counted twice.
var tiny = decimal.New(1, -12)

// halfUnit returns 10^-n / 2, half a unit in the last written decimal.
func halfUnit(n int32) decimal.Decimal { return decimal.New(5, -(n + 1)) }

// written returns how many decimals d had as written: decimal.NewFromString
// keeps them ("1.000000" → 6, "4" → 0).
func written(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

// ImporteLimits returns the lowest and highest concept Importe SAT accepts
// for a Cantidad and a ValorUnitario as written in the CFDI (the decimals
// they were written with widen the tolerance):
//
//	inferior = (Cantidad − 10^-NumDecimalesCantidad/2) × (ValorUnitario − 10^-NumDecimalesValorUnitario/2),
//	           truncated to the currency's decimals;
//	superior = (Cantidad + 10^-NumDecimalesCantidad/2 − 10^-12) × (ValorUnitario + 10^-NumDecimalesValorUnitario/2 − 10^-12),
//	           rounded up to the currency's decimals.
//
// Source: Anexo 20 v4.0, Estándar del CFDI, Concepto@Importe (validation
// CFDI40167). Pass values parsed with decimal.NewFromString from the XML text.
func ImporteLimits(cantidad, valorUnitario decimal.Decimal, decimals int32) (inferior, superior decimal.Decimal) {
	hc, hv := halfUnit(written(cantidad)), halfUnit(written(valorUnitario))
	inferior = cantidad.Sub(hc).Mul(valorUnitario.Sub(hv)).Truncate(decimals)
	superior = cantidad.Add(hc).Sub(tiny).Mul(valorUnitario.Add(hv).Sub(tiny)).RoundCeil(decimals)
	return inferior, superior
}

// ImpuestoLimits returns the lowest and highest tax Importe SAT accepts for
// a Base as written and a TasaOCuota:
//
//	inferior = (Base − 10^-NumDecimalesBase/2) × TasaOCuota, truncated to importeDecimals;
//	superior = (Base + 10^-NumDecimalesBase/2 − 10^-12) × TasaOCuota, rounded up to importeDecimals;
//
// where importeDecimals is the number of decimals the Importe being judged
// was written with. Source: Anexo 20 v4.0, Estándar del CFDI,
// Concepto/Impuestos/Traslado@Importe and Retencion@Importe (validations
// CFDI40180 and CFDI40186).
func ImpuestoLimits(base, tasaOCuota decimal.Decimal, importeDecimals int32) (inferior, superior decimal.Decimal) {
	hb := halfUnit(written(base))
	inferior = base.Sub(hb).Mul(tasaOCuota).Truncate(importeDecimals)
	superior = base.Add(hb).Sub(tiny).Mul(tasaOCuota).RoundCeil(importeDecimals)
	return inferior, superior
}

// checker collects the problems of one check as *domain.Error values.
type checker struct {
	op   string
	errs []error
}

func (c *checker) add(code, format string, args ...any) {
	e := domain.Errorf(domain.Invalid, c.op, format, args...)
	e.Code = code
	c.errs = append(c.errs, e)
}

func (c *checker) err() error { return errors.Join(c.errs...) }

// amount parses an XML amount (digits, optionally "." and up to 6 digits:
// cfdv40.xsd t_Importe). ok is false, and a problem recorded, when s is
// absent or malformed.
func (c *checker) amount(label, field, s string) (d decimal.Decimal, ok bool) {
	if s == "" {
		c.add("", "%s: falta el atributo %s.", label, field)
		return decimal.Zero, false
	}
	d, err := parseXMLAmount(s)
	if err != nil {
		c.add("", "%s: %s «%s» no es un importe válido (sólo dígitos y hasta %d decimales).", label, field, s, MaxDecimals)
		return decimal.Zero, false
	}
	return d, true
}

// parseXMLAmount accepts exactly [0-9]+(\.[0-9]{1,6})? and keeps the
// decimals as written.
func parseXMLAmount(s string) (decimal.Decimal, error) {
	dot, digits := -1, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && dot < 0 && digits > 0:
			dot = i
		default:
			return decimal.Zero, fmt.Errorf("malformed amount %q", s)
		}
	}
	if digits == 0 || dot == len(s)-1 || (dot >= 0 && len(s)-dot-1 > MaxDecimals) {
		return decimal.Zero, fmt.Errorf("malformed amount %q", s)
	}
	return decimal.NewFromString(s)
}

// impuestoName returns the tax's usual name for messages.
func impuestoName(code string) string {
	switch code {
	case ISR:
		return "ISR"
	case IVA:
		return "IVA"
	case IEPS:
		return "IEPS"
	}
	return code
}

// CheckConcepto judges a concept's amounts as written in a CFDI with the
// tolerance SAT applies, so that documents made elsewhere are not rejected
// for rounding a PAC accepts: the Importe within ImporteLimits (CFDI40167),
// the Descuento with no more decimals than the Importe (CFDI40168) and not
// above it (CFDI40169), and each Traslado and Retencion as CheckTraslado and
// CheckRetencion do. decimals are the currency's (c_Moneda). It returns nil
// or every problem joined, each a *domain.Error of kind Invalid with a
// Spanish message and the CFDI40xxx code where SAT defines one.
func CheckConcepto(c ConceptoXML, decimals int32) error {
	ch := &checker{op: "tax.CheckConcepto"}
	ch.concepto("Concepto", c, decimals)
	return ch.err()
}

// CheckTraslado judges a concept-level Traslado as written: Base above zero
// (CFDI40174); for Exento no TasaOCuota nor Importe (CFDI40177), otherwise
// both present (CFDI40178) and the Importe within ImpuestoLimits
// (CFDI40180). Errors as in CheckConcepto.
func CheckTraslado(t ImpuestoXML) error {
	ch := &checker{op: "tax.CheckTraslado"}
	ch.impuesto("Traslado "+impuestoName(t.Impuesto), t, false)
	return ch.err()
}

// CheckRetencion judges a concept-level Retencion as written: Base above
// zero (CFDI40181), TipoFactor not Exento (CFDI40184), TasaOCuota and
// Importe present and the Importe within ImpuestoLimits (CFDI40186). Errors
// as in CheckConcepto.
func CheckRetencion(r ImpuestoXML) error {
	ch := &checker{op: "tax.CheckRetencion"}
	ch.impuesto("Retención "+impuestoName(r.Impuesto), r, true)
	return ch.err()
}

func (ch *checker) concepto(label string, c ConceptoXML, decimals int32) {
	cantidad, okC := ch.amount(label, "Cantidad", c.Cantidad)
	valor, okV := ch.amount(label, "ValorUnitario", c.ValorUnitario)
	importe, okI := ch.amount(label, "Importe", c.Importe)
	if okC && okV && okI {
		lo, hi := ImporteLimits(cantidad, valor, decimals)
		if importe.LessThan(lo) || importe.GreaterThan(hi) {
			ch.add("CFDI40167", "%s: el Importe %s no está entre los límites %s y %s que resultan de Cantidad × ValorUnitario (%s × %s).",
				label, c.Importe, Format(lo, decimals), Format(hi, decimals), c.Cantidad, c.ValorUnitario)
		}
	}
	if c.Descuento != "" {
		if descuento, ok := ch.amount(label, "Descuento", c.Descuento); ok && okI {
			if written(descuento) > written(importe) {
				ch.add("CFDI40168", "%s: el Descuento %s tiene más decimales que el Importe %s.", label, c.Descuento, c.Importe)
			}
			if descuento.GreaterThan(importe) {
				ch.add("CFDI40169", "%s: el Descuento %s es mayor que el Importe %s.", label, c.Descuento, c.Importe)
			}
		}
	}
	for _, t := range c.Traslados {
		ch.impuesto(label+", traslado "+impuestoName(t.Impuesto), t, false)
	}
	for _, r := range c.Retenciones {
		ch.impuesto(label+", retención "+impuestoName(r.Impuesto), r, true)
	}
}

func (ch *checker) impuesto(label string, t ImpuestoXML, retencion bool) {
	code := func(traslado, ret string) string {
		if retencion {
			return ret
		}
		return traslado
	}
	if base, ok := ch.amount(label, "Base", t.Base); ok && !base.IsPositive() {
		ch.add(code("CFDI40174", "CFDI40181"), "%s: la Base debe ser mayor que cero.", label)
	}
	switch t.TipoFactor {
	case Exento:
		if retencion {
			ch.add("CFDI40184", "%s: una retención no puede ser Exento.", label)
		} else if t.TasaOCuota != "" || t.Importe != "" {
			ch.add("CFDI40177", "%s: con TipoFactor Exento no deben registrarse TasaOCuota ni Importe.", label)
		}
		return
	case Tasa, Cuota:
	default:
		ch.add(code("CFDI40176", "CFDI40183"), "%s: el TipoFactor «%s» no está en el catálogo c_TipoFactor.", label, t.TipoFactor)
		return
	}
	if t.TasaOCuota == "" || t.Importe == "" {
		ch.add(code("CFDI40178", ""), "%s: con TipoFactor %s deben registrarse TasaOCuota e Importe.", label, t.TipoFactor)
		return
	}
	base, errB := parseXMLAmount(t.Base) // reported above
	rate, okR := ch.amount(label, "TasaOCuota", t.TasaOCuota)
	importe, okI := ch.amount(label, "Importe", t.Importe)
	if errB != nil || !okR || !okI {
		return
	}
	lo, hi := ImpuestoLimits(base, rate, written(importe))
	if importe.LessThan(lo) || importe.GreaterThan(hi) {
		ch.add(code("CFDI40180", "CFDI40186"), "%s: el Importe %s no está entre los límites %s y %s que resultan de Base × TasaOCuota (%s × %s).",
			label, t.Importe, lo.String(), hi.String(), t.Base, t.TasaOCuota)
	}
}

// CheckComprobante judges a whole CFDI's amounts as written: every concept
// (CheckConcepto, labelled "Concepto n") and the document level, in the
// currency's decimals:
//
//   - SubTotal, Descuento, each grouped Traslado's Base and Importe, each
//     Retencion's Importe, the two tax totals and Total have at most the
//     currency's decimals (CFDI40107, CFDI40112, CFDI40214, CFDI40220,
//     CFDI40210, CFDI40204, CFDI40202);
//   - SubTotal = RoundTotal(Σ concept Importe) (CFDI40108);
//   - Descuento present exactly when a concept has one, = RoundTotal(Σ
//     concept Descuento) (CFDI40111), and not above SubTotal (CFDI40110);
//   - one Traslado per (Impuesto, TipoFactor, TasaOCuota) (CFDI40218) whose
//     Base and Importe are RoundTotal of the concepts' sums (CFDI40215,
//     CFDI40221), and one per group the concepts have;
//   - one Retencion per Impuesto (CFDI40208) whose Importe is RoundTotal of
//     the concepts' sum (CFDI40211);
//   - TotalImpuestosTrasladados present when a traslado is not Exento
//     (CFDI40212) and equal to the sum of the grouped Importes (CFDI40205);
//     TotalImpuestosRetenidos present with retenciones (CFDI40206) and equal
//     to their sum (CFDI40203);
//   - Total = SubTotal − Descuento + TotalImpuestosTrasladados −
//     TotalImpuestosRetenidos + local traslados − local retenciones (CFDI40119).
//
// Errors as in CheckConcepto.
func CheckComprobante(d ComprobanteXML, decimals int32) error {
	ch := &checker{op: "tax.CheckComprobante"}
	const doc = "Comprobante"
	docAmount := func(field, s, code string) (decimal.Decimal, bool) {
		v, ok := ch.amount(doc, field, s)
		if ok && written(v) > decimals {
			ch.add(code, "%s: %s %s tiene más decimales de los que admite la moneda (%d).", doc, field, s, decimals)
		}
		return v, ok
	}

	// Concepts and the sums the document level must match.
	sumImporte, sumDescuento := decimal.Zero, decimal.Zero
	conceptsOK, anyDescuento := true, false
	type group struct {
		label         string
		base, importe decimal.Decimal
		seen          bool
	}
	traslados, retenciones := map[string]*group{}, map[string]*group{}
	var trasladoOrder []string
	// parsed adds an amount to a sum; a malformed one (already reported by
	// the concept checks) makes the document-level sums meaningless.
	parsed := func(sum *decimal.Decimal, s string) {
		v, err := parseXMLAmount(s)
		if err != nil {
			conceptsOK = false
			return
		}
		*sum = sum.Add(v)
	}
	for i, c := range d.Conceptos {
		ch.concepto(fmt.Sprintf("Concepto %d", i+1), c, decimals)
		parsed(&sumImporte, c.Importe)
		if c.Descuento != "" {
			anyDescuento = true
			parsed(&sumDescuento, c.Descuento)
		}
		for _, t := range c.Traslados {
			k, ok := impuestoKey(t)
			if !ok {
				conceptsOK = false
				continue
			}
			g := traslados[k]
			if g == nil {
				g = &group{label: trasladoLabel(t), base: decimal.Zero, importe: decimal.Zero}
				traslados[k] = g
				trasladoOrder = append(trasladoOrder, k)
			}
			parsed(&g.base, t.Base)
			if t.TipoFactor != Exento {
				parsed(&g.importe, t.Importe)
			}
		}
		for _, r := range c.Retenciones {
			g := retenciones[r.Impuesto]
			if g == nil {
				g = &group{label: "retención " + impuestoName(r.Impuesto), importe: decimal.Zero}
				retenciones[r.Impuesto] = g
			}
			parsed(&g.importe, r.Importe)
		}
	}

	// SubTotal and Descuento.
	subTotal, okSub := docAmount("SubTotal", d.SubTotal, "CFDI40107")
	if okSub && conceptsOK {
		if want := RoundTotal(sumImporte, decimals); !subTotal.Equal(want) {
			ch.add("CFDI40108", "%s: el SubTotal %s no es igual a la suma redondeada de los importes de los conceptos (%s).", doc, d.SubTotal, Format(want, decimals))
		}
	}
	descuento := decimal.Zero
	switch {
	case d.Descuento != "":
		var ok bool
		descuento, ok = docAmount("Descuento", d.Descuento, "CFDI40112")
		if !ok {
			break
		}
		if !anyDescuento && !descuento.IsZero() {
			ch.add("CFDI40111", "%s: hay Descuento %s pero ningún concepto tiene descuento.", doc, d.Descuento)
		} else if want := RoundTotal(sumDescuento, decimals); conceptsOK && !descuento.Equal(want) {
			ch.add("CFDI40111", "%s: el Descuento %s no es igual a la suma redondeada de los descuentos de los conceptos (%s).", doc, d.Descuento, Format(want, decimals))
		}
		if okSub && descuento.GreaterThan(subTotal) {
			ch.add("CFDI40110", "%s: el Descuento %s es mayor que el SubTotal %s.", doc, d.Descuento, d.SubTotal)
		}
	case anyDescuento:
		ch.add("CFDI40111", "%s: falta el Descuento: hay conceptos con descuento.", doc)
	}

	// Document-level Traslados.
	sumTrasladados, anyTasa := decimal.Zero, false
	for _, t := range d.Traslados {
		label := doc + ", " + trasladoLabel(t)
		k, ok := impuestoKey(t)
		if !ok {
			ch.add("", "%s: el traslado no tiene un TipoFactor y una TasaOCuota válidos.", label)
			continue
		}
		base, okB := docAmount("Base del "+trasladoLabel(t), t.Base, "CFDI40214")
		var importe decimal.Decimal
		okI := false
		if t.TipoFactor != Exento {
			anyTasa = true
			importe, okI = docAmount("Importe del "+trasladoLabel(t), t.Importe, "CFDI40220")
			if okI {
				sumTrasladados = sumTrasladados.Add(importe)
			}
		}
		g := traslados[k]
		switch {
		case g == nil:
			ch.add("CFDI40215", "%s: ningún concepto tiene este traslado.", label)
			continue
		case g.seen:
			ch.add("CFDI40218", "%s: está repetido; debe haber uno por impuesto, tipo factor y tasa o cuota.", label)
			continue
		}
		g.seen = true
		if !conceptsOK {
			continue
		}
		if want := RoundTotal(g.base, decimals); okB && !base.Equal(want) {
			ch.add("CFDI40215", "%s: la Base %s no es igual a la suma redondeada de las bases de los conceptos (%s).", label, t.Base, Format(want, decimals))
		}
		if want := RoundTotal(g.importe, decimals); okI && !importe.Equal(want) {
			ch.add("CFDI40221", "%s: el Importe %s no es igual a la suma redondeada de los importes de los conceptos (%s).", label, t.Importe, Format(want, decimals))
		}
	}
	for _, k := range trasladoOrder {
		if g := traslados[k]; !g.seen {
			ch.add("", "%s: falta el %s que tienen los conceptos.", doc, g.label)
		}
	}

	// Document-level Retenciones.
	sumRetenidos := decimal.Zero
	for _, r := range d.Retenciones {
		label := doc + ", retención " + impuestoName(r.Impuesto)
		importe, okI := docAmount("Importe de la retención "+impuestoName(r.Impuesto), r.Importe, "CFDI40210")
		if okI {
			sumRetenidos = sumRetenidos.Add(importe)
		}
		g := retenciones[r.Impuesto]
		switch {
		case g == nil:
			ch.add("CFDI40211", "%s: ningún concepto tiene esta retención.", label)
			continue
		case g.seen:
			ch.add("CFDI40208", "%s: está repetida; debe haber una por impuesto.", label)
			continue
		}
		g.seen = true
		if want := RoundTotal(g.importe, decimals); conceptsOK && okI && !importe.Equal(want) {
			ch.add("CFDI40211", "%s: el Importe %s no es igual a la suma redondeada de las retenciones de los conceptos (%s).", label, r.Importe, Format(want, decimals))
		}
	}
	for _, code := range []string{ISR, IVA, IEPS} {
		if g := retenciones[code]; g != nil && !g.seen {
			ch.add("", "%s: falta la %s que tienen los conceptos.", doc, g.label)
		}
	}

	// Tax totals.
	totalTrasladados, totalRetenidos := decimal.Zero, decimal.Zero
	switch {
	case d.TotalImpuestosTrasladados != "":
		if v, ok := docAmount("TotalImpuestosTrasladados", d.TotalImpuestosTrasladados, "CFDI40204"); ok {
			totalTrasladados = v
			if !v.Equal(sumTrasladados) {
				ch.add("CFDI40205", "%s: TotalImpuestosTrasladados %s no es igual a la suma de los traslados (%s).", doc, d.TotalImpuestosTrasladados, Format(sumTrasladados, decimals))
			}
		}
	case anyTasa:
		ch.add("CFDI40212", "%s: falta TotalImpuestosTrasladados: hay traslados con tasa o cuota.", doc)
	}
	switch {
	case d.TotalImpuestosRetenidos != "":
		if v, ok := docAmount("TotalImpuestosRetenidos", d.TotalImpuestosRetenidos, "CFDI40202"); ok {
			totalRetenidos = v
			if !v.Equal(sumRetenidos) {
				ch.add("CFDI40203", "%s: TotalImpuestosRetenidos %s no es igual a la suma de las retenciones (%s).", doc, d.TotalImpuestosRetenidos, Format(sumRetenidos, decimals))
			}
		}
	case len(d.Retenciones) > 0:
		ch.add("CFDI40206", "%s: falta TotalImpuestosRetenidos: hay retenciones.", doc)
	}

	// Total.
	total, okT := docAmount("Total", d.Total, "")
	locales := decimal.Zero
	okL := true
	if d.TrasladosLocales != "" {
		v, ok := ch.amount(doc, "total de traslados locales", d.TrasladosLocales)
		locales, okL = locales.Add(v), okL && ok
	}
	if d.RetencionesLocales != "" {
		v, ok := ch.amount(doc, "total de retenciones locales", d.RetencionesLocales)
		locales, okL = locales.Sub(v), okL && ok
	}
	if okT && okSub && okL {
		want := RoundTotal(subTotal.Sub(descuento).Add(totalTrasladados).Sub(totalRetenidos).Add(locales), decimals)
		if !total.Equal(want) {
			ch.add("CFDI40119", "%s: el Total %s no es igual a SubTotal − Descuento + impuestos trasladados − impuestos retenidos (%s).", doc, d.Total, Format(want, decimals))
		}
	}
	return ch.err()
}

// impuestoKey identifies a traslado group by value; ok is false when the
// TipoFactor or TasaOCuota cannot be read.
func impuestoKey(t ImpuestoXML) (string, bool) {
	switch t.TipoFactor {
	case Exento:
		return t.Impuesto + "|" + Exento + "|", true
	case Tasa, Cuota:
		rate, err := parseXMLAmount(t.TasaOCuota)
		if err != nil {
			return "", false
		}
		return t.Impuesto + "|" + t.TipoFactor + "|" + rate.StringFixed(MaxDecimals), true
	}
	return "", false
}

func trasladoLabel(t ImpuestoXML) string {
	if t.TipoFactor == Exento {
		return "traslado " + impuestoName(t.Impuesto) + " Exento"
	}
	return "traslado " + impuestoName(t.Impuesto) + " " + t.TipoFactor + " " + t.TasaOCuota
}
