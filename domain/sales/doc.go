// Package sales holds Folio's invoicing rules: customers, products and
// services, series and folios, and invoices from draft to the sealed CFDI.
//
// It maps an Invoice to the CFDI model (BuildComprobante) computing every
// amount with domain/tax, so the totals shown on screen are the totals that
// get sealed. Storage lives behind the ports declared here (CustomerStore,
// ProductStore, InvoiceStore); package sales never imports database/sql,
// net/http or fyne.
package sales
