// Package receivables is what customers owe: the cuentas por cobrar that
// every posted credit invoice (TipoDeComprobante I, MetodoPago PPD) opens.
//
// The package decides; stores record and add up. It decides when a
// receivable falls due (DueDate: the invoice's Fecha plus the customer's
// credit days, fixed at posting), how each event changes an invoice's open
// balance (Posted, Cancelled: the store writes these Changes in the same
// transaction as the event, design decisions 11 and 12), which aging bucket
// a due date falls in on a given day (Limits, BucketOf), how the store's
// exact sums become a customer's balance and the aging report with their
// value in pesos (NewBalance, NewAging), and whether a credit sale may be
// made (CheckCredit).
//
// An invoice's open balance is its total less the shares of its live
// credit notes (sales.Relation.Credited) less its live payments. A payment
// receipt (CFDI Pago) changes each invoice it pays by a negative Delta of
// ImpPagado (sales.PaymentShares), written by the receipt's posting
// transaction and given back when it is cancelled; the store's
// recomputation from scratch reads payments through one named seam
// (data/sqlite: paidMicro).
//
// It imports no other domain package but the shared vocabulary and tax, so
// sales may call it while posting.
package receivables
