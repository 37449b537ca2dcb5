// Package thirdparty keeps the accounts of the money a company bills and
// collects on behalf of third parties (facturación a cuenta de terceros):
// what each third party was billed, what was collected for it, what was
// paid out to it (liquidaciones) and what is still owed; the sellers'
// commissions of a period; and the month's sales book (libro de ventas).
//
// Every figure is computed here from what the store reads (posted
// documents, their third-party concepts, payments, credit notes, payouts)
// with the amounts of domain/sales (Compute, ThirdPartyTotals, Split), so
// reports equal the CFDI. The package imports domain packages and pure
// libraries only; its Store port is implemented by data/sqlite.
package thirdparty
