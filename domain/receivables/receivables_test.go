package receivables

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueDateIsTheDayInMexicoCityPlusCreditDays(t *testing.T) {
	// 2026-12-01 03:00 UTC is still 30 November in Mexico City.
	got := DueDate(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), 30)
	if want := day("2026-12-30"); !got.Equal(want) {
		t.Fatalf("DueDate = %s, want %s", got, want)
	}
	if got := DueDate(time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC), 0); !got.Equal(day("2026-12-01")) {
		t.Fatalf("DueDate(0 days) = %s", got)
	}
}

func TestBucketsAndLimitsAgree(t *testing.T) {
	asOf := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	cases := []struct {
		daysLate int
		want     Bucket
	}{{-10, Current}, {0, Current}, {1, Days1to30}, {30, Days1to30}, {31, Days31to60}, {60, Days31to60},
		{61, Days61to90}, {90, Days61to90}, {91, Over90}, {400, Over90}}
	lim := Limits(asOf)
	for _, c := range cases {
		due := Day(asOf).AddDate(0, 0, -c.daysLate)
		if got := BucketOf(due, asOf); got != c.want {
			t.Errorf("%d days late: BucketOf = %s, want %s", c.daysLate, got.Label(), c.want.Label())
		}
		// The store's verdict: the first limit the due date reaches.
		byLimit := Over90
		for i, l := range lim {
			if !due.Before(l) {
				byLimit = Bucket(i)
				break
			}
		}
		if byLimit != c.want {
			t.Errorf("%d days late: by Limits %s, want %s", c.daysLate, byLimit.Label(), c.want.Label())
		}
	}
}

func TestChanges(t *testing.T) {
	inv := Doc{ID: 1, Receivable: true, Total: d("116.00")}
	if got := Posted(inv); len(got) != 1 || !got[0].Set || !got[0].Open.Equal(d("116")) || got[0].InvoiceID != 1 {
		t.Fatalf("Posted(invoice) = %+v", got)
	}
	if got := Cancelled(inv); len(got) != 1 || !got[0].Set || !got[0].Open.IsZero() {
		t.Fatalf("Cancelled(invoice) = %+v", got)
	}
	cash := Doc{ID: 2, Total: d("50")}
	if got := Posted(cash); len(got) != 0 {
		t.Fatalf("Posted(cash invoice) = %+v", got)
	}
	note := Doc{ID: 3, Total: d("30"), Shares: []Share{
		{InvoiceID: 1, Amount: d("20"), Receivable: true},
		{InvoiceID: 2, Amount: d("5")},                                    // a cash invoice: no receivable
		{InvoiceID: 4, Amount: d("5"), Receivable: true, Cancelled: true}, // cancelled: nothing open
		{InvoiceID: 0, Amount: d("5"), Receivable: true},                  // issued elsewhere
	}}
	got := Posted(note)
	if len(got) != 1 || got[0].Set || got[0].InvoiceID != 1 || !got[0].Delta.Equal(d("-20")) {
		t.Fatalf("Posted(note) = %+v", got)
	}
	got = Cancelled(note)
	if len(got) != 1 || got[0].Set || !got[0].Delta.Equal(d("20")) {
		t.Fatalf("Cancelled(note) = %+v", got)
	}
	if r := Recompute(true, false, d("116"), d("20"), d("6")); !r.Equal(d("90")) {
		t.Fatalf("Recompute = %s", r)
	}
	if r := Recompute(true, true, d("116"), d("0"), d("0")); !r.IsZero() {
		t.Fatalf("Recompute(cancelled) = %s", r)
	}
}

func TestAgingInPesosAndPerCurrency(t *testing.T) {
	asOf := day("2026-12-07")
	groups := []Group{
		{CustomerID: 2, CustomerName: "B", Moneda: "MXN", TipoCambio: d("1"), Bucket: Current, Invoices: 2, Open: d("1000.50")},
		{CustomerID: 2, CustomerName: "B", Moneda: "USD", TipoCambio: d("17.5"), Bucket: Days31to60, Invoices: 1, Open: d("10.01")},
		{CustomerID: 1, CustomerName: "A", Moneda: "MXN", TipoCambio: d("1"), Bucket: Over90, Invoices: 1, Open: d("0.10")},
		{CustomerID: 2, CustomerName: "B", Moneda: "USD", TipoCambio: d("18"), Bucket: Days31to60, Invoices: 1, Open: d("1")},
	}
	a := NewAging(asOf, groups)
	if len(a.Customers) != 2 || a.Customers[0].CustomerName != "A" {
		t.Fatalf("customers = %+v", a.Customers)
	}
	b := a.Customers[1]
	// 10.01 × 17.5 = 175.175 → 175.18; 1 × 18 = 18.
	if !b.MXN[Days31to60].Equal(d("193.18")) || !b.MXN[Current].Equal(d("1000.50")) || b.Invoices != 4 {
		t.Fatalf("B in pesos = %v (%d invoices)", b.MXN, b.Invoices)
	}
	if len(b.Currencies) != 2 || b.Currencies[1].Moneda != "USD" || !b.Currencies[1].Buckets[Days31to60].Equal(d("11.01")) {
		t.Fatalf("B per currency = %+v", b.Currencies)
	}
	if !a.MXN.Total().Equal(d("1193.78")) || !a.MXN.Overdue().Equal(d("193.28")) {
		t.Fatalf("totals in pesos = %v", a.MXN)
	}
	if len(a.Currencies) != 2 || !a.Currencies[0].Buckets.Total().Equal(d("1000.60")) {
		t.Fatalf("totals per currency = %+v", a.Currencies)
	}
	bal := NewBalance(2, asOf, groups)
	if !bal.Open.Equal(d("1193.68")) || !bal.Overdue.Equal(d("193.18")) || !bal.OpenIn("USD").Equal(d("11.01")) {
		t.Fatalf("balance = %+v", bal)
	}
}

func TestCheckCredit(t *testing.T) {
	limit := d("250000")
	ok := Balance{Open: d("200000"), Overdue: decimal.Zero}
	if err := CheckCredit(limit, ok, d("50000")); err != nil {
		t.Fatalf("up to the limit: %v", err)
	}
	err := CheckCredit(limit, ok, d("50000.01"))
	if !errors.Is(err, ErrCreditRefused) || domain.KindOf(err) != domain.Conflict {
		t.Fatalf("above the limit: %v", err)
	}
	want := "El cliente debe $200,000.00 (vencido $0.00); con esta factura de $50,000.01 pasaría su límite de crédito de $250,000.00."
	if msg := domain.UserMessage(err); !strings.HasPrefix(msg, want) {
		t.Fatalf("message = %q, want prefix %q", msg, want)
	}
	if err := CheckCredit(decimal.Zero, Balance{Open: d("9e9")}, d("1")); err != nil {
		t.Fatalf("no limit: %v", err)
	}
	late := Balance{Open: d("1200"), Overdue: d("100")}
	err = CheckCredit(decimal.Zero, late, d("1"))
	if !errors.Is(err, ErrCreditRefused) || !strings.Contains(domain.UserMessage(err), "vencido $100.00") {
		t.Fatalf("overdue: %v", err)
	}
}
