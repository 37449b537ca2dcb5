package thirdparty

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// DocState is how much of a document's third-party part was collected.
type DocState string

// The collection states of a document row.
const (
	Collected   DocState = "Cobrado"
	PartlyPaid  DocState = "Cobro parcial"
	Uncollected DocState = "Por cobrar"
)

// DocRow is one document in a third party's drill-down: what it billed on
// the third party's behalf (net of live credit notes) and what of that was
// collected, in the document's currency.
type DocRow struct {
	InvoiceID                 int64
	ThirdPartyID              int64
	Fecha                     time.Time
	Serie                     string
	Folio                     int64
	CustomerRFC, CustomerName string
	Moneda                    string
	TipoCambio                decimal.Decimal
	Amount                    decimal.Decimal // the third party's concepts, taxes included (ThirdPartyTotals)
	Credited                  decimal.Decimal // what live credit notes took of them
	Billed                    decimal.Decimal // Amount − Credited
	Collected                 decimal.Decimal
	State                     DocState
}

// Number is the document's serie-folio.
func (r DocRow) Number() string { return folioLabel(r.Serie, r.Folio) }

func folioLabel(serie string, folio int64) string {
	if serie == "" {
		return strconv.FormatInt(folio, 10)
	}
	return serie + "-" + strconv.FormatInt(folio, 10)
}

// Balance is one third party's account in one currency over a period.
// Owed = Billed − PaidOut; PendingPayout = Collected − PaidOut (what was
// collected for it and not handed over yet). The MXN fields convert the
// documents at their own TipoCambio and payouts at theirs (tax.RoundMXN).
type Balance struct {
	ThirdPartyID                        int64
	RFC, Name                           string
	Moneda                              string
	Documents                           int
	Billed, Collected                   decimal.Decimal
	PaidOut                             decimal.Decimal
	Owed, PendingPayout                 decimal.Decimal
	BilledMXN, CollectedMXN, PaidOutMXN decimal.Decimal
}

// Report is every third party's balance over [From, To) (zero bounds
// open): one Balance per third party and currency, by name, with the
// documents of the period behind them.
type Report struct {
	From, To time.Time
	Balances []Balance
	Docs     []DocRow
	Payouts  []Payout
}

// DocsOf returns the report's documents of third party id, oldest first.
func (r *Report) DocsOf(id int64) []DocRow {
	var out []DocRow
	for _, d := range r.Docs {
		if d.ThirdPartyID == id {
			out = append(out, d)
		}
	}
	return out
}

// MXN returns the sums of the report's balances in pesos.
func (r *Report) MXN() (billed, collected, paidOut decimal.Decimal) {
	for _, b := range r.Balances {
		billed, collected, paidOut = billed.Add(b.BilledMXN), collected.Add(b.CollectedMXN), paidOut.Add(b.PaidOutMXN)
	}
	return
}

// Decimals tells the decimals of a currency (c_Moneda "Decimales").
type Decimals func(moneda string) (int32, bool)

func (d Decimals) of(moneda string) int32 {
	if d != nil {
		if n, ok := d(moneda); ok {
			return n
		}
	}
	return 2
}

// DocRows computes the rows of d, one per third party it bills for.
//
// Billed is the third party's part of the document net of the parts of its
// live credit notes (each note's ThirdPartyTotals, times the share of the
// note that credits this document when it credits several). Collected
// follows the rule of the issue: payments apply in proportion to the own
// and third-party parts of each document, so collected = paid × billed ÷
// (total − credited), rounded to the currency's decimals and never more
// than billed; a cash (PUE) invoice is collected at posting.
func DocRows(d Doc, decimals int32) ([]DocRow, error) {
	inv := sales.Invoice{Lines: d.Lines}
	amounts, err := inv.ThirdPartyTotals(decimals)
	if err != nil {
		return nil, err
	}
	credited := map[int64]decimal.Decimal{}
	for _, n := range d.Notes {
		ni := sales.Invoice{Lines: n.Lines}
		parts, err := ni.ThirdPartyTotals(decimals)
		if err != nil {
			return nil, err
		}
		for id, v := range parts {
			if !n.Credited.Equal(n.Total) && n.Total.IsPositive() {
				v = v.Mul(n.Credited).DivRound(n.Total, decimals)
			}
			credited[id] = credited[id].Add(v)
		}
	}
	net := d.Total.Sub(d.Credited)
	ids := make([]int64, 0, len(amounts))
	for id := range amounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]DocRow, 0, len(ids))
	for _, id := range ids {
		r := DocRow{InvoiceID: d.InvoiceID, ThirdPartyID: id, Fecha: d.Fecha, Serie: d.Serie, Folio: d.Folio,
			CustomerRFC: d.CustomerRFC, CustomerName: d.CustomerName, Moneda: d.Moneda, TipoCambio: d.TipoCambio,
			Amount: amounts[id], Credited: credited[id]}
		r.Billed = r.Amount.Sub(r.Credited)
		if r.Billed.IsNegative() {
			r.Billed = decimal.Zero
		}
		switch {
		case d.Terms != sales.Credito || !net.IsPositive() || d.Paid.GreaterThanOrEqual(net):
			r.Collected = r.Billed
		case d.Paid.IsPositive():
			r.Collected = decimal.Min(r.Billed, d.Paid.Mul(r.Billed).DivRound(net, decimals))
		}
		switch {
		case r.Collected.Equal(r.Billed):
			r.State = Collected
		case r.Collected.IsPositive():
			r.State = PartlyPaid
		default:
			r.State = Uncollected
		}
		out = append(out, r)
	}
	return out, nil
}

// Compute builds the Report of docs and payouts (both already selected for
// the period) for the third parties of catalog (others are named by the
// concepts' snapshot).
func Compute(docs []Doc, payouts []Payout, catalog []sales.ThirdParty, dec Decimals, from, to time.Time) (Report, error) {
	rep := Report{From: from, To: to}
	type key struct {
		id     int64
		moneda string
	}
	names := map[int64]sales.ThirdParty{}
	for _, tp := range catalog {
		names[tp.ID] = tp
	}
	bal := map[key]*Balance{}
	get := func(id int64, moneda string) *Balance {
		k := key{id, moneda}
		if b, ok := bal[k]; ok {
			return b
		}
		b := &Balance{ThirdPartyID: id, Moneda: moneda, RFC: names[id].RFC, Name: names[id].Name}
		bal[k] = b
		return b
	}
	for _, d := range docs {
		rows, err := DocRows(d, dec.of(d.Moneda))
		if err != nil {
			return Report{}, err
		}
		for _, r := range rows {
			b := get(r.ThirdPartyID, r.Moneda)
			if b.RFC == "" {
				for _, l := range d.Lines {
					if l.ThirdParty != nil && l.ThirdParty.ID == r.ThirdPartyID {
						b.RFC, b.Name = l.ThirdParty.RFC, l.ThirdParty.Name
						break
					}
				}
			}
			b.Documents++
			b.Billed, b.Collected = b.Billed.Add(r.Billed), b.Collected.Add(r.Collected)
			b.BilledMXN = b.BilledMXN.Add(toMXN(r.Billed, r.Moneda, r.TipoCambio))
			b.CollectedMXN = b.CollectedMXN.Add(toMXN(r.Collected, r.Moneda, r.TipoCambio))
			rep.Docs = append(rep.Docs, r)
		}
	}
	for _, p := range payouts {
		if p.Cancelled() {
			continue
		}
		b := get(p.ThirdPartyID, p.Moneda)
		b.PaidOut = b.PaidOut.Add(p.Amount)
		b.PaidOutMXN = b.PaidOutMXN.Add(toMXN(p.Amount, p.Moneda, p.TipoCambio))
		rep.Payouts = append(rep.Payouts, p)
	}
	for _, b := range bal {
		b.Owed, b.PendingPayout = b.Billed.Sub(b.PaidOut), b.Collected.Sub(b.PaidOut)
		rep.Balances = append(rep.Balances, *b)
	}
	slices.SortFunc(rep.Balances, func(a, b Balance) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.RFC, b.RFC), cmp.Compare(a.ThirdPartyID, b.ThirdPartyID),
			cmp.Compare(a.Moneda, b.Moneda))
	})
	slices.SortStableFunc(rep.Docs, func(a, b DocRow) int { return a.Fecha.Compare(b.Fecha) })
	return rep, nil
}

// toMXN is amount of moneda in pesos at tc: as is for MXN (or without a
// rate), otherwise tax.RoundMXN.
func toMXN(amount decimal.Decimal, moneda string, tc decimal.Decimal) decimal.Decimal {
	if moneda == "MXN" || !tc.IsPositive() {
		return amount
	}
	return tax.RoundMXN(amount, tc)
}
