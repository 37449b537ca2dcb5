package preflight

import (
	"errors"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/tax"
)

// NSImplocal is the namespace of the local taxes complement (implocal).
const NSImplocal = "http://www.sat.gob.mx/implocal"

// CheckAmounts judges the amounts of c, as written, in the currency's
// decimals, by the rules of its TipoDeComprobante (Anexo 20, Guía de
// llenado):
//
//   - I (ingreso), E (egreso) and N (nómina): tax.CheckComprobante — SubTotal
//     is the rounded sum of the concepts' Importe, Descuento theirs, the tax
//     summary groups theirs, and Total = SubTotal − Descuento + traslados −
//     retenciones + the implocal totals. In a nómina the concept carries the
//     perceptions as Importe and the deductions as Descuento, so the same
//     sums hold.
//   - T (traslado): each concept's amounts (tax.CheckConcepto) — its
//     Importe may state the value of the goods moved — but SubTotal and
//     Total are 0 whatever the concepts say (CFDI40109, CFDI40119), with no
//     Descuento and no taxes.
//   - P (pago): SubTotal and Total 0 (CFDI40109, CFDI40119), Moneda XXX and
//     the concepts' ValorUnitario and Importe 0 with no Descuento; the money
//     is in the Pagos complement.
//
// Any other type yields nil (Check reports the type itself). Each problem is
// a *domain.Error of kind Invalid; Problems lists them with their fields.
func CheckAmounts(c *cfdi.Comprobante, decimals int32) error {
	switch c.TipoDeComprobante {
	case "I", "E", "N":
		return withFields(tax.CheckComprobante(AmountsOf(c), decimals))
	case "T", "P":
		return zeroAmounts(c, decimals)
	}
	return nil
}

func zeroAmounts(c *cfdi.Comprobante, decimals int32) error {
	ch := &checker{c: c}
	tipo := c.TipoDeComprobante
	zero := func(field, code, v string) {
		d, err := decimal.NewFromString(v)
		if err != nil || !d.IsZero() {
			ch.add(field, code, "En un comprobante de tipo %s el %s debe ser 0; está registrado «%s».", tipo, fieldLabel[field], v)
		}
	}
	zero("SubTotal", "CFDI40109", c.SubTotal)
	zero("Total", "CFDI40119", c.Total)
	if c.Descuento != "" {
		ch.add("Descuento", "CFDI40111", "Un comprobante de tipo %s no lleva descuento; quítelo.", tipo)
	}
	if tipo == "P" && c.Moneda != "XXX" {
		ch.add("Moneda", "", "Un comprobante de pago lleva la moneda XXX; los importes van en el complemento de pagos.")
	}
	for i, k := range c.Conceptos {
		field := "Conceptos[" + strconv.Itoa(i) + "]"
		if tipo == "P" {
			if d, err := decimal.NewFromString(k.ValorUnitario); err != nil || !d.IsZero() {
				ch.add(field+".ValorUnitario", "", "Concepto %d: en un comprobante de pago el valor unitario es 0.", i+1)
			}
			if d, err := decimal.NewFromString(k.Importe); err != nil || !d.IsZero() {
				ch.add(field+".Importe", "", "Concepto %d: en un comprobante de pago el importe es 0.", i+1)
			}
			if k.Descuento != "" {
				ch.add(field+".Descuento", "", "Concepto %d: un comprobante de pago no lleva descuento.", i+1)
			}
			continue
		}
		x := tax.ConceptoXML{Cantidad: k.Cantidad, ValorUnitario: k.ValorUnitario, Importe: k.Importe, Descuento: k.Descuento}
		if err := tax.CheckConcepto(x, decimals); err != nil {
			for _, e := range flatten(err) {
				var de *domain.Error
				if errors.As(e, &de) {
					ch.add(field, de.Code, "Concepto %d%s", i+1, strings.TrimPrefix(de.Msg, "Concepto"))
				}
			}
		}
	}
	return errors.Join(ch.errs...)
}

// withFields files each problem tax.CheckComprobante found under a field.
func withFields(err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range flatten(err) {
		var de *domain.Error
		if !errors.As(e, &de) {
			out = append(out, e)
			continue
		}
		out = append(out, &domain.Error{
			Kind: domain.Invalid, Op: op, Code: de.Code, Msg: de.Msg,
			Err: &fieldCause{field: amountField(de)},
		})
	}
	return errors.Join(out...)
}

var fieldLabel = map[string]string{"SubTotal": "subtotal", "Total": "total"}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
