package storetest

import (
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
)

// testCashSaleCollection: a cash sale (PUE) posted with DepositAccount
// deposits its total into that account in its posting transaction, at the
// currency rule (a dollar invoice into a pesos account at its TipoCambio;
// a pesos invoice into a dollar account refuses the whole post, and so
// do an inactive account and an account on a credit invoice); cancelling the invoice reverses
// the deposit. A cash sale posted without one is "cobro sin registrar":
// UncollectedInvoices lists it until RecordCollections deposits it
// (once: a second time is a Conflict), and a credit invoice is never
// collected that way.
func testCashSaleCollection(t *testing.T, f *fixture) {
	bs := &banks.Service{Store: f.s}
	acct := func(name, moneda string) banks.Account {
		t.Helper()
		a := banks.Account{Issuer: f.co.RFC, Kind: banks.Caja, Name: name, Moneda: moneda, Active: true}
		if err := bs.SaveAccount(f.ctx, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	caja, usd, old := acct("Caja", "MXN"), acct("Dólares", "USD"), acct("Caja vieja", "MXN")
	old.Active = false
	if err := bs.SaveAccount(f.ctx, &old); err != nil {
		t.Fatal(err)
	}
	f.series("A", sales.TipoIngreso)
	moves := func(a banks.Account) []banks.Movement {
		t.Helper()
		ms, err := f.s.AccountMovements(f.ctx, banks.MovementFilter{AccountID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	cash := func(moneda string, account int64) sales.Invoice {
		return f.draft("A", func(inv *sales.Invoice) {
			inv.DepositAccount = account
			if moneda == "USD" {
				inv.Moneda, inv.TipoCambio = "USD", dec("17.5")
			}
		})
	}

	// Refusals roll the whole post back: no folio, no movement.
	next := f.nextFolio("A")
	for name, tc := range map[string]struct {
		draft sales.Invoice
		msg   string
	}{
		"pesos into dollars": {cash("MXN", usd.ID), "La cuenta Dólares es en USD: solo recibe pagos en USD."},
		"credit sale":        {f.creditDraft(f.cust[1], "1"), "crédito (PPD)"},
		"inactive account":   {cash("MXN", old.ID), "inactiva"},
	} {
		if tc.draft.DepositAccount == 0 {
			tc.draft.DepositAccount = caja.ID
			if _, err := f.svc.SaveDraft(f.ctx, &tc.draft); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.find(tc.draft.ID).DepositAccount; got != tc.draft.DepositAccount {
			t.Fatalf("%s: stored DepositAccount %d, want %d", name, got, tc.draft.DepositAccount)
		}
		_, err := f.post(tc.draft.ID, sales.PostOptions{})
		if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tc.msg) {
			t.Errorf("%s: %v (%q), want Invalid %q", name, err, domain.UserMessage(err), tc.msg)
		}
	}
	if len(moves(caja))+len(moves(usd)) != 0 || f.nextFolio("A") != next {
		t.Fatalf("refused posts left movements or took folios")
	}

	// Pesos into the cash box; dollars into the cash box at 17.5 and into
	// the dollar account as they are.
	mxn := f.mustPost(cash("MXN", caja.ID).ID)
	dlr := f.mustPost(cash("USD", caja.ID).ID)
	dlr2 := f.mustPost(cash("USD", usd.ID).ID)
	ms := moves(caja)
	if len(ms) != 2 || !ms[0].Amount.Equal(mxn.Total) || ms[0].InvoiceID != mxn.ID || ms[0].Direction != banks.Deposit ||
		!ms[1].Amount.Equal(dlr.Total.Mul(dec("17.5")).Round(2)) || !ms[1].TipoCambio.Equal(dec("17.5")) || ms[1].InvoiceID != dlr.ID {
		t.Fatalf("cash box movements = %+v", ms)
	}
	if ms := moves(usd); len(ms) != 1 || !ms[0].Amount.Equal(dlr2.Total) || ms[0].InvoiceID != dlr2.ID {
		t.Fatalf("dollar account movements = %+v", ms)
	}
	if got := f.find(mxn.ID).DepositAccount; got != caja.ID {
		t.Errorf("posted DepositAccount %d, want %d", got, caja.ID)
	}

	// Cancelling the invoice reverses its deposit.
	uuid := f.stamp(mxn, f.clock())
	f.cancel(mxn, uuid, f.clock())
	ms = moves(caja)
	if len(ms) != 3 || !ms[2].Amount.Equal(mxn.Total.Neg()) || ms[2].Reverses != ms[0].ID {
		t.Fatalf("after cancelling the cash sale: %+v", ms)
	}

	// Posted without an account: collected later, once.
	c := f.cust[0]
	open := f.mustPost(cash("MXN", 0).ID)
	uncollected := func() []int64 {
		t.Helper()
		ps, err := f.s.UncollectedInvoices(f.ctx, f.co.RFC, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range ps {
			if !p.Total.Equal(p.Invoice.Total) {
				t.Errorf("uncollected %d: Total %s, invoice total %s", p.Invoice.ID, p.Total, p.Invoice.Total)
			}
			ids = append(ids, p.Invoice.ID)
		}
		return ids
	}
	if ids := uncollected(); len(ids) != 1 || ids[0] != open.ID {
		t.Fatalf("uncollected = %v, want [%d] (the others were collected when posted, or cancelled)", ids, open.ID)
	}
	credit := f.mustPost(f.creditDraft(f.cust[1], "1").ID)
	at := f.clock()
	if _, err := f.svc.RecordCollections(f.ctx, f.co, caja.ID, at, []int64{open.ID, credit.ID}); domain.KindOf(err) != domain.Invalid ||
		!strings.Contains(domain.UserMessage(err), "recibo de pago") {
		t.Errorf("collecting a credit invoice: %v, want Invalid (a receipt collects it)", err)
	}
	if ids := uncollected(); len(ids) != 1 {
		t.Fatalf("a refused collection recorded something: uncollected %v", ids)
	}
	got, err := f.svc.RecordCollections(f.ctx, f.co, caja.ID, at, []int64{open.ID})
	if err != nil || len(got) != 1 || !got[0].Amount.Equal(open.Total) || got[0].InvoiceID != open.ID || got[0].ID == 0 {
		t.Fatalf("RecordCollections = %+v, %v", got, err)
	}
	if ids := uncollected(); len(ids) != 0 {
		t.Errorf("after collecting: uncollected %v", ids)
	}
	if _, err := f.svc.RecordCollections(f.ctx, f.co, caja.ID, at, []int64{open.ID}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("collecting twice: %v, want Conflict", err)
	}
	uuid = f.stamp(open, at)
	f.cancel(open, uuid, at)
	if b, err := f.s.AccountBalance(f.ctx, banks.MovementFilter{AccountID: caja.ID}); err != nil || !b.Equal(dlr.Total.Mul(dec("17.5")).Round(2)) {
		t.Errorf("cash box after cancelling the collected sale: %s, %v; want only the dollar sale", b, err)
	}
	if _, err := f.svc.RecordCollections(f.ctx, f.co, caja.ID, at, []int64{open.ID}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("collecting a cancelled invoice: %v, want Conflict", err)
	}
}
