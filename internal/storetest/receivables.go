package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// creditCustomer makes demo customer i sell on credit with days and limit
// and returns it as stored.
func (f *fixture) creditCustomer(i, days int, limit string) sales.Customer {
	f.t.Helper()
	c := f.cust[i]
	c.CreditDays, c.CreditLimit, c.MetodoPago, c.FormaPago = days, dec(limit), "PPD", "99"
	if err := f.s.UpdateCustomer(f.ctx, &c); err != nil {
		f.t.Fatalf("UpdateCustomer(%s): %v", c.RFC, err)
	}
	f.cust[i] = c
	return c
}

// creditDraft saves a credit (PPD) draft of qty units of the second demo
// product (349.50 + IVA) for c in serie A.
func (f *fixture) creditDraft(c sales.Customer, qty string) sales.Invoice {
	f.t.Helper()
	return f.draft("A", func(inv *sales.Invoice) {
		inv.Customer, inv.CustomerID, inv.UsoCFDI = c, c.ID, c.UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, "99"
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[1], dec(qty))}
	})
}

// creditNote builds, saves and posts in serie NC a credit note of kind
// against stamped invoice id.
func (f *fixture) creditNote(id int64, kind sales.CreditKind, lines []sales.CreditLine) (sales.Invoice, error) {
	src := f.find(id)
	note, err := sales.BuildCreditNote(&src, kind, "NC", lines, sales.Credited{}, 2)
	if err != nil {
		return sales.Invoice{}, err
	}
	if _, err := f.svc.SaveDraft(f.ctx, &note); err != nil {
		return sales.Invoice{}, err
	}
	return f.post(note.ID, sales.PostOptions{})
}

func (f *fixture) rec() *receivables.Service {
	return &receivables.Service{Store: f.s}
}

func (f *fixture) balance(c sales.Customer, asOf time.Time) receivables.Balance {
	f.t.Helper()
	b, err := f.rec().Balance(f.ctx, f.co.RFC, c.ID, asOf)
	if err != nil {
		f.t.Fatalf("Balance(%s): %v", c.RFC, err)
	}
	return b
}

func (f *fixture) receivable(id int64) receivables.Receivable {
	f.t.Helper()
	all, err := f.s.Receivables(f.ctx, f.co.RFC, 0)
	if err != nil {
		f.t.Fatalf("Receivables: %v", err)
	}
	for _, r := range all {
		if r.InvoiceID == id {
			return r
		}
	}
	f.t.Fatalf("invoice %d opened no receivable (%+v)", id, all)
	return receivables.Receivable{}
}

// testReceivableLife: a credit invoice opens a receivable due Fecha +
// credit days for its total, a cash one does not; a credit note lowers it
// by its share and gives it back when cancelled; the statement's movements
// add up to the balance; the aging puts it in its bucket; cancelling the
// invoice removes it.
func testReceivableLife(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	c := f.creditCustomer(1, 30, "0")
	inv := f.mustPost(f.creditDraft(c, "10").ID)
	cash := f.mustPost(f.draft("A").ID)

	r := f.receivable(inv.ID)
	if !r.DueDate.Equal(receivables.DueDate(base, 30)) || !r.Open.Equal(inv.Total) || r.CustomerID != c.ID {
		t.Fatalf("receivable = %+v, want due %s open %s", r, receivables.DueDate(base, 30), inv.Total)
	}
	if all, _ := f.s.Receivables(f.ctx, f.co.RFC, f.cust[0].ID); len(all) != 0 {
		t.Fatalf("a cash invoice (%d) opened receivables %+v", cash.ID, all)
	}
	if b := f.balance(c, base); !b.Open.Equal(inv.Total) || !b.Overdue.IsZero() || b.Invoices != 1 {
		t.Fatalf("balance = %+v, want %s open, nothing due", b, inv.Total)
	}

	uuid := f.stamp(inv, base.Add(time.Minute))
	note, err := f.creditNote(inv.ID, sales.Devolucion, []sales.CreditLine{{Line: 0, Cantidad: dec("3")}})
	if err != nil {
		t.Fatalf("post credit note: %v", err)
	}
	left := inv.Total.Sub(note.Total)
	if r := f.receivable(inv.ID); !r.Open.Equal(left) || !r.Credited.Equal(note.Total) || !r.Open.Equal(r.Recomputed()) {
		t.Fatalf("after the note: %+v, want open %s", r, left)
	}
	st, err := f.rec().Statement(f.ctx, f.co.RFC, c.ID, base)
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, m := range st.Movements {
		sum = sum.Add(m.Amount)
	}
	if len(st.Movements) != 2 || st.Movements[0].Kind != receivables.Invoice || st.Movements[1].Kind != receivables.CreditNote ||
		st.Movements[1].DocumentID != note.ID || !sum.Equal(left) || !st.Balance.Open.Equal(left) {
		t.Fatalf("statement = %+v (sum %s), want the invoice and the note adding up to %s", st, sum, left)
	}

	// 45 days later the receivable (due on day 30) is 15 days late.
	late := base.AddDate(0, 0, 45)
	a, err := f.rec().Aging(f.ctx, f.co.RFC, late)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Customers) != 1 || !a.Customers[0].MXN[receivables.Days1to30].Equal(left) || !a.MXN.Overdue().Equal(left) ||
		len(a.Currencies) != 1 || a.Currencies[0].Moneda != "MXN" {
		t.Fatalf("aging on %s = %+v, want %s in 1–30", late, a, left)
	}
	if b := f.balance(c, late); !b.Overdue.Equal(left) {
		t.Fatalf("overdue = %s, want %s", b.Overdue, left)
	}

	// Cancelling the note gives its share back; cancelling the invoice
	// removes the receivable.
	nu := f.stamp(note, base.Add(2*time.Minute))
	f.cancel(note, nu, base.Add(3*time.Minute))
	if r := f.receivable(inv.ID); !r.Open.Equal(inv.Total) || !r.Open.Equal(r.Recomputed()) {
		t.Fatalf("after cancelling the note: %+v, want open %s", r, inv.Total)
	}
	f.cancel(inv, uuid, base.Add(4*time.Minute))
	if r := f.receivable(inv.ID); !r.Open.IsZero() || !r.Cancelled {
		t.Fatalf("after cancelling the invoice: %+v", r)
	}
	if b := f.balance(c, late); !b.Open.IsZero() || b.Invoices != 0 {
		t.Fatalf("balance of a cancelled invoice = %+v", b)
	}
	if a, _ := f.rec().Aging(f.ctx, f.co.RFC, late); len(a.Customers) != 0 || !a.MXN.Total().IsZero() {
		t.Fatalf("aging after cancelling = %+v", a)
	}
}

// testAgingByCurrency: an invoice in dollars counts in its currency and at
// its exchange rate in pesos; buckets follow the days past due.
func testAgingByCurrency(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	c := f.creditCustomer(1, 30, "0")
	mxn := f.mustPost(f.creditDraft(c, "2").ID)
	f.setClock(base.AddDate(0, 0, 40))
	usd := f.draft("A", func(inv *sales.Invoice) {
		inv.Customer, inv.CustomerID, inv.UsoCFDI = c, c.ID, c.UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, "99"
		inv.Moneda, inv.TipoCambio = "USD", dec("17.5")
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[1], dec("1"))}
	})
	// The first invoice is overdue by now: only an administrator may sell on
	// credit again.
	if err := f.admin.SetAdminPassword(f.ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	u, err := f.post(usd.ID, sales.PostOptions{AdminPassword: "clave-admin-1", CreditOverrideReason: "Pago comprometido"})
	if err != nil {
		t.Fatalf("post in dollars: %v", err)
	}
	asOf := base.AddDate(0, 0, 100) // mxn: 70 days late; usd: 30 days late
	a, err := f.rec().Aging(f.ctx, f.co.RFC, asOf)
	if err != nil {
		t.Fatal(err)
	}
	inPesos := tax.RoundMXN(u.Total, dec("17.5"))
	if len(a.Customers) != 1 || !a.MXN[receivables.Days61to90].Equal(mxn.Total) || !a.MXN[receivables.Days1to30].Equal(inPesos) {
		t.Fatalf("aging in pesos = %+v, want %s in 61–90 and %s in 1–30", a.MXN, mxn.Total, inPesos)
	}
	if len(a.Currencies) != 2 || a.Currencies[1].Moneda != "USD" || !a.Currencies[1].Buckets[receivables.Days1to30].Equal(u.Total) ||
		!a.Currencies[0].Buckets.Total().Equal(mxn.Total) {
		t.Fatalf("aging per currency = %+v", a.Currencies)
	}
}

// testCreditControl: a credit sale that would take the customer above the
// credit limit, or to a customer with balances past due, is refused with
// the figures; an administrator's credential with a reason lets it through
// and the authorization is recorded; a cash sale is never held.
func testCreditControl(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	c := f.creditCustomer(1, 30, "0")
	first := f.mustPost(f.creditDraft(c, "1").ID)
	limit := first.Total.Mul(dec("2")).Sub(dec("0.01"))
	c = f.creditCustomer(1, 30, limit.String())

	d := f.creditDraft(c, "1")
	_, err := f.post(d.ID, sales.PostOptions{})
	want := "El cliente debe " + tax.FormatMXN(first.Total) + " (vencido $0.00); con esta factura de " + tax.FormatMXN(first.Total) +
		" pasaría su límite de crédito de " + tax.FormatMXN(limit) + "."
	if !errors.Is(err, receivables.ErrCreditRefused) || !strings.HasPrefix(domain.UserMessage(err), want) {
		t.Fatalf("above the limit: %v (%q), want %q", err, domain.UserMessage(err), want)
	}
	f.wantState(d.ID, sales.StateDraft)
	if err := f.admin.SetAdminPassword(f.ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.post(d.ID, sales.PostOptions{AdminPassword: "otra", CreditOverrideReason: "Cliente preferente"}); err == nil ||
		errors.Is(err, receivables.ErrCreditRefused) {
		t.Fatalf("a wrong credential = %v, want the credential refused", err)
	}
	f.wantState(d.ID, sales.StateDraft)
	// A cash sale is not a credit.
	f.mustPost(f.draft("A", func(inv *sales.Invoice) { inv.Customer, inv.CustomerID, inv.UsoCFDI = c, c.ID, c.UsoCFDI }).ID)

	f.setClock(base.Add(time.Hour))
	second, err := f.post(d.ID, sales.PostOptions{AdminPassword: "clave-admin-1", CreditOverrideReason: "Cliente preferente",
		CreditOverrideBy: "Gerente"})
	if err != nil {
		t.Fatalf("override: %v", err)
	}
	ov, err := f.s.CreditOverrides(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov) != 1 || ov[0].InvoiceID != second.ID || ov[0].By != "Gerente" || ov[0].Reason != "Cliente preferente" ||
		!ov[0].At.Equal(base.Add(time.Hour)) || !ov[0].Open.Equal(first.Total) || !ov[0].Limit.Equal(limit) ||
		!ov[0].AmountMXN.Equal(second.Total) || !strings.HasPrefix(ov[0].Refusal, want) {
		t.Fatalf("recorded overrides = %+v", ov)
	}

	// Past the due date of the first two, no limit: refused because of what
	// is overdue.
	c = f.creditCustomer(1, 30, "0")
	f.setClock(base.AddDate(0, 0, 31).Add(time.Hour))
	d = f.creditDraft(c, "1")
	_, err = f.post(d.ID, sales.PostOptions{})
	owed := tax.FormatMXN(first.Total.Add(second.Total))
	if !errors.Is(err, receivables.ErrCreditRefused) || !strings.Contains(domain.UserMessage(err), "El cliente debe "+owed+" (vencido "+owed+")") {
		t.Fatalf("overdue customer: %v (%q)", err, domain.UserMessage(err))
	}
	if _, err := f.post(d.ID, sales.PostOptions{AdminPassword: "clave-admin-1", CreditOverrideReason: "Autorizado por dirección"}); err != nil {
		t.Fatalf("override of the overdue refusal: %v", err)
	}
	if ov, _ := f.s.CreditOverrides(f.ctx, c.ID); len(ov) != 2 || ov[1].By != "administrador" || !ov[1].Overdue.Equal(first.Total.Add(second.Total)) {
		t.Fatalf("recorded overrides = %+v", ov)
	}
	// A batch (folio post) has no override: refused like the window.
	doc := f.find(f.creditDraft(c, "1").ID)
	if _, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{doc}); err == nil {
		t.Fatal("a batch credit sale to an overdue customer was posted")
	}
}

// testCreditLimitInsideTheBatch: the credit check reads the balances inside
// the posting transaction, so the invoices earlier in a batch count: two
// credit invoices that each fit the limit but not together are refused
// together, and nothing is posted.
func testCreditLimitInsideTheBatch(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	c := f.creditCustomer(0, 15, "0")
	one := f.find(f.creditDraft(c, "3").ID)
	total, err := f.svc.Totals(&one)
	if err != nil {
		t.Fatal(err)
	}
	f.creditCustomer(0, 15, total.Total.Mul(dec("1.5")).String())
	_, err = f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{one, one})
	var be *sales.BatchError
	if !errors.As(err, &be) || len(be.Refused) != 1 || !errors.Is(be.Refused[1], receivables.ErrCreditRefused) {
		t.Fatalf("batch above the limit = %v, want the second invoice refused for credit", err)
	}
	if !strings.Contains(domain.UserMessage(be.Refused[1]), "El cliente debe "+tax.FormatMXN(total.Total)) {
		t.Errorf("refusal = %q, want what the first invoice of the batch owes", domain.UserMessage(be.Refused[1]))
	}
	if all, _ := f.s.Receivables(f.ctx, f.co.RFC, c.ID); len(all) != 0 {
		t.Fatalf("a refused batch left receivables %+v", all)
	}
	if posted, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{one}); err != nil || len(posted) != 1 {
		t.Fatalf("one invoice within the limit: %v", err)
	}
}
