package tax

import "github.com/shopspring/decimal"

// MaxDecimals is the most decimals any CFDI amount, quantity or rate may
// carry (cfdv40.xsd: t_Importe and Cantidad have fractionDigits 6).
const MaxDecimals = 6

// RoundImporte rounds a concept's Importe (Cantidad × ValorUnitario) half up
// to the currency's decimals.
//
// Anexo 20 v4.0, Guía de llenado, Concepto@Importe: "debe ser equivalente al
// resultado de multiplicar la cantidad por el valor unitario"; SAT accepts up
// to 6 decimals and any value within the limits of ImporteLimits. Rounding to
// the currency's decimals keeps the value within those limits and makes the
// document's SubTotal an exact sum.
func RoundImporte(importe decimal.Decimal, decimals int32) decimal.Decimal {
	return importe.Round(decimals)
}

// RoundDescuento rounds a concept's Descuento half up to the currency's
// decimals.
//
// Anexo 20 v4.0, Guía de llenado, Concepto@Descuento: it may not have more
// decimals than the concept's Importe (CFDI40168) nor exceed it (CFDI40169);
// rounding both to the currency's decimals satisfies the first rule.
func RoundDescuento(descuento decimal.Decimal, decimals int32) decimal.Decimal {
	return descuento.Round(decimals)
}

// RoundImpuestoConcepto rounds the Importe of a concept's Traslado or
// Retencion (Base × TasaOCuota, or units × cuota) half up to the currency's
// decimals.
//
// Anexo 20 v4.0, Guía de llenado, Concepto/Impuestos/Traslado@Importe and
// Retencion@Importe: "el resultado de multiplicar la base por la tasa o
// cuota"; SAT accepts any value within ImpuestoLimits, and SAT's answers on
// decimals allow up to 6 decimals at concept level. Folio writes the currency's
// decimals, which stay within the limits.
func RoundImpuestoConcepto(importe decimal.Decimal, decimals int32) decimal.Decimal {
	return importe.Round(decimals)
}

// RoundTotal rounds a document-level amount half up to the currency's
// decimals: SubTotal, Descuento, the Base and Importe of each grouped
// Traslado and Retencion, TotalImpuestosTrasladados, TotalImpuestosRetenidos
// and Total.
//
// Anexo 20 v4.0, Guía de llenado, Comprobante@SubTotal ("igual al redondeo de
// la suma de los importes de los conceptos", CFDI40108), Comprobante@Descuento
// (CFDI40111), Impuestos/Traslado@Base and @Importe (CFDI40215, CFDI40221),
// Impuestos/Retencion@Importe (CFDI40211), Comprobante@Total (CFDI40119);
// every one "debe tener hasta la cantidad de decimales que soporte la moneda".
func RoundTotal(amount decimal.Decimal, decimals int32) decimal.Decimal {
	return amount.Round(decimals)
}

// Format writes d as CFDI XML text: exactly places decimals, no thousands
// separator, no sign for zero (decimal.StringFixed). Round d with the rule
// that applies before formatting it; Format itself rounds half up only when d
// has more than places decimals.
func Format(d decimal.Decimal, places int32) string {
	return d.StringFixed(places)
}

// RoundMXN rounds the peso equivalent of a foreign-currency amount
// (amount × TipoCambio) half up to centavos. Anexo 20 v4.0, Guía de
// llenado, Comprobante@TipoCambio: the rate is "el número de pesos mexicanos
// que equivalen a una unidad de la divisa"; c_Moneda gives MXN two decimals.
// Código Fiscal de la Federación art. 20 asks for amounts in national
// currency at that rate. The MXN equivalent is not written in the CFDI: it
// is what receivables, books and reports sum.
func RoundMXN(amount, tipoCambio decimal.Decimal) decimal.Decimal {
	return amount.Mul(tipoCambio).Round(2)
}

// RoundImpuestoDR rounds the BaseDR or ImporteDR of a tax of a document paid
// by a payment receipt (pago20:TrasladoDR, pago20:RetencionDR) half up to the
// decimals of MonedaDR. The amount is the invoice's own Base or Importe of
// that tax times the share paid (ImpPagado ÷ the invoice's Total), so a
// payment carries the taxes "en proporción al pago".
//
// Guía de llenado del complemento para recepción de pagos 2.0,
// TrasladoDR@BaseDR and @ImporteDR, RetencionDR@BaseDR and @ImporteDR: "se
// debe registrar ... en proporción al pago"; Pagos20.xsd t_Importe admits
// up to six decimals, the Guía asks for "hasta la cantidad de decimales que
// soporte la moneda" of the document (MonedaDR). A quantity (the Base of an
// IEPS cuota) keeps six decimals.
func RoundImpuestoDR(amount decimal.Decimal, decimals int32) decimal.Decimal {
	return amount.Round(decimals)
}

// RoundImpuestoP rounds the BaseP or ImporteP of a payment's tax summary
// (pago20:ImpuestosP) half up to six decimals. Each is the sum of the
// BaseDR or ImporteDR of that tax, factor and rate over the documents paid,
// each divided by its EquivalenciaDR to bring it into MonedaP.
//
// Guía de llenado del complemento para recepción de pagos 2.0,
// TrasladoP@BaseP and @ImporteP, RetencionP@ImporteP (the sum "de los
// atributos BaseDR/ImporteDR de los documentos relacionados ... convertidos
// a la moneda del pago"); Pagos20.xsd t_Importe: up to six decimals, as the
// example in the Guía shows (BaseP="12931.040000").
func RoundImpuestoP(amount decimal.Decimal) decimal.Decimal {
	return amount.Round(6)
}

// RoundTotalPagos rounds an attribute of pago20:Totales half up to
// centavos: MontoTotalPagos (Monto × TipoCambioP) and every
// TotalTraslados…/TotalRetenciones… (the ImpuestosP amounts × TipoCambioP).
//
// Guía de llenado del complemento para recepción de pagos 2.0, Totales: the
// totals are "en moneda nacional" and c_Moneda gives MXN two decimals.
func RoundTotalPagos(amountMXN decimal.Decimal) decimal.Decimal {
	return amountMXN.Round(2)
}
