package thirdparty

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// CommissionRow is one seller's commission on one invoice: Base is the
// invoice's own-account SubTotal less its discounts (third-party concepts
// are not the company's sale) in its currency, BaseMXN the same in pesos
// at the invoice's TipoCambio, Amount = BaseMXN × Percent ÷ 100 rounded to
// cents.
type CommissionRow struct {
	InvoiceID    int64
	Fecha        time.Time
	Serie        string
	Folio        int64
	CustomerName string
	Moneda       string
	TipoCambio   decimal.Decimal
	Base         decimal.Decimal
	BaseMXN      decimal.Decimal
	Seller       string
	Percent      decimal.Decimal
	Amount       decimal.Decimal
}

// Number is the invoice's serie-folio.
func (r CommissionRow) Number() string { return folioLabel(r.Serie, r.Folio) }

// SellerTotal is a seller's commissions of the period.
type SellerTotal struct {
	Seller    string
	Documents int
	BaseMXN   decimal.Decimal
	Amount    decimal.Decimal
}

// Commissions are the sellers' commissions of [From, To).
type Commissions struct {
	From, To time.Time
	Rows     []CommissionRow
	Sellers  []SellerTotal // by name
	Total    decimal.Decimal
}

// ComputeCommissions computes the commissions of invs (live posted
// invoices with sale details naming sellers). Credit notes do not reduce
// commissions.
func ComputeCommissions(invs []sales.Invoice, dec Decimals, from, to time.Time) (Commissions, error) {
	c := Commissions{From: from, To: to}
	per := map[string]*SellerTotal{}
	for i := range invs {
		inv := &invs[i]
		if inv.Details == nil || len(inv.Details.Sellers) == 0 {
			continue
		}
		own, _, err := inv.Split(dec.of(inv.Moneda))
		if err != nil {
			return Commissions{}, err
		}
		base := own.SubTotal.Sub(own.Descuento)
		baseMXN := toMXN(base, inv.Moneda, inv.TipoCambio)
		for _, s := range inv.Details.Sellers {
			r := CommissionRow{InvoiceID: inv.ID, Fecha: inv.Fecha, Serie: inv.Serie, Folio: inv.Folio,
				CustomerName: inv.Customer.Name, Moneda: inv.Moneda, TipoCambio: inv.TipoCambio, Base: base,
				BaseMXN: baseMXN, Seller: s.Name, Percent: s.Percent,
				Amount: baseMXN.Mul(s.Percent).Div(decimal.NewFromInt(100)).Round(2)}
			c.Rows = append(c.Rows, r)
			t := per[s.Name]
			if t == nil {
				t = &SellerTotal{Seller: s.Name}
				per[s.Name] = t
			}
			t.Documents++
			t.BaseMXN, t.Amount = t.BaseMXN.Add(baseMXN), t.Amount.Add(r.Amount)
			c.Total = c.Total.Add(r.Amount)
		}
	}
	for _, t := range per {
		c.Sellers = append(c.Sellers, *t)
	}
	slices.SortFunc(c.Sellers, func(a, b SellerTotal) int { return cmp.Compare(a.Seller, b.Seller) })
	return c, nil
}

// Commissions returns the sellers' commissions of issuer's invoices dated
// in [from, to).
func (s *Service) Commissions(ctx context.Context, issuer string, from, to time.Time) (Commissions, error) {
	invs, err := s.Store.CommissionDocs(ctx, issuer, from, to)
	if err != nil {
		return Commissions{}, err
	}
	return ComputeCommissions(invs, s.Decimals, from, to)
}
