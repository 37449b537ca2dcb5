package receivables

import (
	"sort"
	"time"

	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// Bucket is an aging column: how long past due an open balance is.
type Bucket int

// The aging buckets, in days past due.
const (
	Current    Bucket = iota // al corriente: not yet due
	Days1to30                // 1–30 días vencido
	Days31to60               // 31–60
	Days61to90               // 61–90
	Over90                   // más de 90
	NumBuckets
)

// Label is the bucket's column title.
func (b Bucket) Label() string {
	return [...]string{"Al corriente", "1–30 días", "31–60 días", "61–90 días", "Más de 90 días"}[b]
}

// Overdue reports whether the bucket is past due.
func (b Bucket) Overdue() bool { return b > Current }

// bucketDays are the days past due each bucket after Current ends at.
var bucketDays = [NumBuckets - 1]int{0, 30, 60, 90}

// BucketOf returns the bucket of a balance due on due, on day asOf.
func BucketOf(due, asOf time.Time) Bucket {
	d := DaysOverdue(due, asOf)
	for i, limit := range bucketDays {
		if d <= limit {
			return Bucket(i)
		}
	}
	return Over90
}

// Limits returns, for day asOf, the earliest due date of each bucket but
// the last: a balance due on or after Limits[b] and before Limits[b-1] is in
// bucket b; before Limits[NumBuckets-2] it is more than 90 days past due.
// Stores bucket their sums with these dates (the same verdict as BucketOf)
// so that the aging is one pass over the open balances.
func Limits(asOf time.Time) [NumBuckets - 1]time.Time {
	var out [NumBuckets - 1]time.Time
	day := Day(asOf)
	for i, d := range bucketDays {
		out[i] = day.AddDate(0, 0, -d)
	}
	return out
}

// Group is a store's exact sum of the open balances of one customer's
// receivables that share a currency, an exchange rate and a bucket.
type Group struct {
	CustomerID   int64
	CustomerRFC  string
	CustomerName string
	Moneda       string
	TipoCambio   decimal.Decimal // of the invoices, 1 for MXN
	Bucket       Bucket
	Invoices     int
	Open         decimal.Decimal // in Moneda
}

// MXN is the group's value in pesos at its invoices' exchange rate
// (tax.RoundMXN): the same rule as each invoice's TotalMXN.
func (g Group) MXN() decimal.Decimal {
	if g.Moneda == "MXN" || g.Moneda == "XXX" || !g.TipoCambio.IsPositive() {
		return g.Open
	}
	return tax.RoundMXN(g.Open, g.TipoCambio)
}

// Buckets are amounts by aging bucket.
type Buckets [NumBuckets]decimal.Decimal

// Total is the sum of every bucket.
func (b Buckets) Total() decimal.Decimal {
	t := decimal.Zero
	for _, x := range b {
		t = t.Add(x)
	}
	return t
}

// Overdue is the sum of the past-due buckets.
func (b Buckets) Overdue() decimal.Decimal { return b.Total().Sub(b[Current]) }

func (b *Buckets) add(k Bucket, d decimal.Decimal) { b[k] = b[k].Add(d) }

// CurrencyBuckets are the buckets of the balances in one currency.
type CurrencyBuckets struct {
	Moneda  string
	Buckets Buckets
}

// AgingRow is one customer's line of the aging report.
type AgingRow struct {
	CustomerID   int64
	CustomerRFC  string
	CustomerName string
	Invoices     int               // open receivables
	MXN          Buckets           // every currency, in pesos
	Currencies   []CurrencyBuckets // by currency, in that currency; by Moneda
}

// Aging is the antigüedad de saldos of every customer on day AsOf.
type Aging struct {
	AsOf       time.Time
	Customers  []AgingRow // by customer name, then id
	MXN        Buckets    // totals in pesos
	Currencies []CurrencyBuckets
}

// NewAging assembles the report from a store's groups (any order).
func NewAging(asOf time.Time, groups []Group) Aging {
	a := Aging{AsOf: Day(asOf)}
	rows := map[int64]*AgingRow{}
	var ids []int64
	totals := map[string]*Buckets{}
	for _, g := range groups {
		r := rows[g.CustomerID]
		if r == nil {
			r = &AgingRow{CustomerID: g.CustomerID, CustomerRFC: g.CustomerRFC, CustomerName: g.CustomerName}
			rows[g.CustomerID] = r
			ids = append(ids, g.CustomerID)
		}
		r.Invoices += g.Invoices
		mxn := g.MXN()
		r.MXN.add(g.Bucket, mxn)
		a.MXN.add(g.Bucket, mxn)
		r.Currencies = addCurrency(r.Currencies, g)
		t := totals[g.Moneda]
		if t == nil {
			t = &Buckets{}
			totals[g.Moneda] = t
		}
		t.add(g.Bucket, g.Open)
	}
	for _, id := range ids {
		a.Customers = append(a.Customers, *rows[id])
	}
	sort.Slice(a.Customers, func(i, j int) bool {
		x, y := a.Customers[i], a.Customers[j]
		if x.CustomerName != y.CustomerName {
			return x.CustomerName < y.CustomerName
		}
		return x.CustomerID < y.CustomerID
	})
	for m, b := range totals {
		a.Currencies = append(a.Currencies, CurrencyBuckets{Moneda: m, Buckets: *b})
	}
	sortCurrencies(a.Currencies)
	return a
}

func addCurrency(cs []CurrencyBuckets, g Group) []CurrencyBuckets {
	for i := range cs {
		if cs[i].Moneda == g.Moneda {
			cs[i].Buckets.add(g.Bucket, g.Open)
			return cs
		}
	}
	c := CurrencyBuckets{Moneda: g.Moneda}
	c.Buckets.add(g.Bucket, g.Open)
	cs = append(cs, c)
	sortCurrencies(cs)
	return cs
}

func sortCurrencies(cs []CurrencyBuckets) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Moneda < cs[j].Moneda })
}

// Balance is what one customer owes on day AsOf.
type Balance struct {
	CustomerID int64
	AsOf       time.Time
	Invoices   int             // open receivables
	Open       decimal.Decimal // in pesos
	Overdue    decimal.Decimal // in pesos, the part past due
	Currencies []CurrencyBuckets
}

// NewBalance sums one customer's groups.
func NewBalance(customerID int64, asOf time.Time, groups []Group) Balance {
	b := Balance{CustomerID: customerID, AsOf: Day(asOf), Open: decimal.Zero, Overdue: decimal.Zero}
	for _, g := range groups {
		if g.CustomerID != customerID {
			continue
		}
		b.Invoices += g.Invoices
		mxn := g.MXN()
		b.Open = b.Open.Add(mxn)
		if g.Bucket.Overdue() {
			b.Overdue = b.Overdue.Add(mxn)
		}
		b.Currencies = addCurrency(b.Currencies, g)
	}
	return b
}

// Open returns the open balance in currency moneda (zero if none).
func (b Balance) OpenIn(moneda string) decimal.Decimal {
	for _, c := range b.Currencies {
		if c.Moneda == moneda {
			return c.Buckets.Total()
		}
	}
	return decimal.Zero
}
