package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// testAccounts: accounts are created, listed and updated; a payment
// receipt that names an account deposits into it in its posting
// transaction, at the account's currency rule, and an unknown, inactive
// or wrong-currency account refuses the whole post; cancelling the
// receipt adds the reversing movement; balances by date range are exact;
// a refund is a withdrawal.
func testAccounts(t *testing.T, f *fixture) {
	bs := &banks.Service{Store: f.s}
	acct := func(name string, kind banks.Kind, moneda string, active bool) banks.Account {
		t.Helper()
		a := banks.Account{Issuer: f.co.RFC, Kind: kind, Name: name, Bank: "BBVA", Moneda: moneda, Active: active}
		if err := bs.SaveAccount(f.ctx, &a); err != nil {
			t.Fatalf("SaveAccount(%s): %v", name, err)
		}
		return a
	}
	mxn := acct("Cheques", banks.Banco, "MXN", true)
	usd := acct("Dólares", banks.Banco, "USD", true)
	old := acct("Caja vieja", banks.Caja, "MXN", false)
	if err := bs.SaveAccount(f.ctx, &banks.Account{Issuer: f.co.RFC, Kind: banks.Caja, Name: "Cheques", Moneda: "MXN"}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("second account named Cheques: %v, want Conflict", err)
	}
	list, err := f.s.FindAccounts(f.ctx, f.co.RFC)
	if err != nil || len(list) != 3 || list[0].Name != "Caja vieja" || list[0].Active || list[1] != mxn {
		t.Fatalf("FindAccounts = %+v, %v", list, err)
	}

	f.series("A", sales.TipoIngreso)
	f.series("P", sales.TipoPago)
	c := f.cust[1]
	d := f.draft("A", func(inv *sales.Invoice) {
		inv.CustomerID, inv.Customer, inv.UsoCFDI = c.ID, c, c.UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, sales.FormaPagoPorDefinir
		inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("1"))} // 18,558.84
	})
	inv := f.mustPost(d.ID)
	f.stamp(inv, f.clock())
	open, err := f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
	if err != nil || len(open) != 1 {
		t.Fatalf("PayableInvoices = %+v, %v", open, err)
	}
	receipt := func(account int64) sales.Invoice {
		t.Helper()
		in := sales.PaymentInput{FechaPago: f.clock(), FormaDePagoP: "03", Monto: dec("8558.84"), AccountID: account}
		r, err := sales.BuildPayment("P", in, open, f.svc.Catalogs)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Refusals roll the whole post back: no receipt, no movement.
	for name, tc := range map[string]struct {
		id  int64
		msg string
	}{
		"unknown":  {9999, "no existe"},
		"inactive": {old.ID, "inactiva"},
		"USD":      {usd.ID, "La cuenta Dólares es en USD: solo recibe pagos en USD."},
	} {
		_, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{receipt(tc.id)})
		if be := (*sales.BatchError)(nil); errors.As(err, &be) {
			err = be.Refused[0]
		}
		if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tc.msg) {
			t.Errorf("%s account: %v (%q), want Invalid %q", name, err, domain.UserMessage(err), tc.msg)
		}
	}
	if p, _ := f.s.PaymentsOf(f.ctx, inv.ID); len(p) != 0 {
		t.Fatalf("refused receipts left %+v", p)
	}

	posted, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{receipt(mxn.ID)})
	if err != nil {
		t.Fatal(err)
	}
	rcpt := posted[0]
	all := banks.MovementFilter{AccountID: mxn.ID}
	ms, err := f.s.AccountMovements(f.ctx, all)
	if err != nil || len(ms) != 1 || !ms[0].Amount.Equal(dec("8558.84")) || ms[0].InvoiceID != rcpt.ID ||
		ms[0].Direction != banks.Deposit || ms[0].DocMoneda != "MXN" || !ms[0].TipoCambio.IsZero() {
		t.Fatalf("movements after the receipt = %+v, %v", ms, err)
	}
	wantBalance := func(f2 banks.MovementFilter, want string) {
		t.Helper()
		if b, err := f.s.AccountBalance(f.ctx, f2); err != nil || !b.Equal(dec(want)) {
			t.Errorf("AccountBalance(%+v) = %s, %v, want %s", f2, b, err, want)
		}
	}
	wantBalance(all, "8558.84")
	// Its currency cannot change under its movements; the rest may.
	moved := mxn
	moved.Moneda = "USD"
	if err := bs.SaveAccount(f.ctx, &moved); domain.KindOf(err) != domain.Conflict {
		t.Errorf("changing the currency of an account with movements: %v, want Conflict", err)
	}
	usd.Active = false
	if err := bs.SaveAccount(f.ctx, &usd); err != nil {
		t.Errorf("deactivate: %v", err)
	}
	if a, err := f.s.FindAccount(f.ctx, usd.ID); err != nil || a.Active {
		t.Errorf("FindAccount after deactivation = %+v, %v", a, err)
	}

	// Cancelling the receipt reverses its deposit, once.
	cancelAt := f.clock().Add(48 * time.Hour)
	uuid := f.stamp(rcpt, f.clock())
	f.cancel(rcpt, uuid, cancelAt)
	ms, err = f.s.AccountMovements(f.ctx, all)
	if err != nil || len(ms) != 2 || !ms[1].Amount.Equal(dec("-8558.84")) || ms[1].Reverses != ms[0].ID || ms[1].InvoiceID != rcpt.ID {
		t.Fatalf("movements after cancelling = %+v, %v", ms, err)
	}
	wantBalance(all, "0")
	wantBalance(banks.MovementFilter{AccountID: mxn.ID, To: cancelAt}, "8558.84")
	wantBalance(banks.MovementFilter{AccountID: mxn.ID, From: cancelAt}, "-8558.84")

	// A refund of a cash sale in dollars out of the pesos account.
	m, err := bs.Refund(f.ctx, f.co.RFC, mxn.ID, cancelAt, inv.ID, "USD", dec("10"), dec("17.5"))
	if err != nil || !m.Amount.Equal(dec("-175")) || m.ID == 0 {
		t.Fatalf("Refund = %+v, %v", m, err)
	}
	wantBalance(all, "-175")
	if _, err := bs.Refund(f.ctx, f.co.RFC, usd.ID, cancelAt, 0, "USD", dec("1"), decimal.Zero); domain.KindOf(err) != domain.Invalid {
		t.Errorf("refund from an inactive account: %v, want Invalid", err)
	}
}
