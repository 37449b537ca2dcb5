// Package tax computes the amounts of a CFDI 4.0 — concept Importe,
// Descuento, tax bases and tax amounts, the document's grouped Traslados and
// Retenciones, SubTotal, Descuento and Total — with exact decimal arithmetic
// (shopspring/decimal, never float64), and judges amounts read from other
// documents with the tolerance SAT and the PACs apply.
//
// # Rounding policy
//
// SAT lets concept-level amounts carry up to 6 decimals and requires the
// document-level amounts to be rounded to the decimals of the currency
// (c_Moneda "decimales": MXN 2, USD 2, JPY 0, CLF 4, XXX 0) at the end of the
// calculation. Folio rounds every amount it writes, concept level included,
// to the currency's decimals, half up (decimal.Round: half away from zero,
// the same as half up because CFDI 4.0 admits no negative amounts). Rounded
// concept amounts always lie within SAT's lower/upper limits (see
// ImporteLimits and ImpuestoLimits), and document amounts are then plain
// sums of already-rounded values, so "the rounding of the sum" that SAT
// checks is the sum itself. Each rule is one named function: RoundImporte,
// RoundDescuento, RoundImpuestoConcepto and RoundTotal.
//
// Sources: Anexo 20 v4.0 (RMF 2022), "Guía de llenado de los comprobantes
// fiscales digitales por Internet" (Comprobante, Concepto and Impuestos
// attributes), its "Estándar" limits for Importe, SAT's published answers on
// decimals ("por cada concepto se puede utilizar de cero hasta 6 decimales
// … en los totales se debe redondear al final del cálculo al número de
// decimales que soporta la moneda"), and the CFDI 4.0 "Matriz de errores"
// for the CFDI40xxx codes.
//
// The package imports only the standard library, decimal and domain.
package tax
