package sales

import (
	"slices"
	"time"
)

// Duplicate returns a new draft built from inv, dated now: the same issuer,
// type, series, customer, use, terms, payment form, currency and exchange
// rate, payment conditions, notes, global-invoice period, warehouse and a
// copy of the lines. It has no ID, folio, UUID, sealed XML or timestamps, and no order
// reference (that belongs to the customer's original order). Total is kept:
// the lines and currency are the same, so Compute gives the same amount, and
// the list shows it until the draft is saved again. Lines on behalf of a
// third party keep their own copy of its snapshot; the sale details
// (shipping, sellers…) belong to one sale and are not copied. inv is not
// modified.
func (inv *Invoice) Duplicate(now time.Time) Invoice {
	d := Invoice{
		Issuer:            inv.Issuer,
		Status:            StatusDraft,
		TipoDeComprobante: inv.TipoDeComprobante,
		Serie:             inv.Serie,
		Fecha:             now,
		CustomerID:        inv.CustomerID,
		Customer:          inv.Customer,
		UsoCFDI:           inv.UsoCFDI,
		Terms:             inv.Terms,
		FormaPago:         inv.FormaPago,
		Moneda:            inv.Moneda,
		TipoCambio:        inv.TipoCambio,
		CondicionesDePago: inv.CondicionesDePago,
		Notes:             inv.Notes,
		WarehouseID:       inv.WarehouseID,
		Lines:             slices.Clone(inv.Lines),
		Total:             inv.Total,
	}
	d.Customer.Emails = slices.Clone(inv.Customer.Emails)
	for i := range d.Lines {
		if tp := d.Lines[i].ThirdParty; tp != nil {
			c := *tp
			d.Lines[i].ThirdParty = &c
		}
	}
	if inv.Global != nil {
		g := *inv.Global
		d.Global = &g
	}
	return d
}
