package invoices

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain/banks"
)

// TestEditorDepositAccount: "Cobrado en" offers the company's active
// accounts on a cash sale only, starts with the first cash box, records
// the chosen account's deposit when the invoice is posted, and the next
// new invoice starts with that account.
func TestEditorDepositAccount(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	bs := &banks.Service{Store: f.store}
	var cheques banks.Account
	for _, a := range []banks.Account{
		{Kind: banks.Banco, Name: "Cheques", Bank: "BBVA", Moneda: "MXN"},
		{Kind: banks.Caja, Name: "Caja chica", Moneda: "MXN"},
		{Kind: banks.Caja, Name: "Caja vieja", Moneda: "MXN"},
	} {
		a.Issuer, a.Active = f.co.RFC, a.Name != "Caja vieja"
		if err := bs.SaveAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if a.Name == "Cheques" {
			cheques = a
		}
	}
	f.deps.Accounts = f.store
	ed, w := f.open(t)
	c := w.Canvas()
	f.q.RunUntil(t, "accounts loaded", func() bool { return len(ed.deposit.accounts) == 2 })
	if got := ed.DepositAccount(); got != "Caja chica" {
		t.Errorf("a new cash sale is collected in %q, want the first cash box", got)
	}
	if ed.SetDepositAccount("Caja vieja") {
		t.Error("an inactive account is offered")
	}
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "10", "TOR-01", false)

	ed.terms.SetSelected("Crédito (PPD)")
	if ed.deposit.box.Visible() || ed.DepositAccount() != "" {
		t.Fatal("«Cobrado en» shown on a credit sale")
	}
	if inv, _ := ed.invoice(); inv.DepositAccount != 0 {
		t.Fatalf("a credit sale carries account %d", inv.DepositAccount)
	}
	ed.terms.SetSelected("Contado (PUE)")
	if !ed.deposit.box.Visible() {
		t.Fatal("«Cobrado en» hidden on a cash sale")
	}
	ed.forma.selectKey("01")
	if !ed.SetDepositAccount("Cheques") {
		t.Fatal("Cheques not offered")
	}
	test.Tap(ed.postBtn)
	confirmPost(t, f, ed, c, "A-1", "")
	f.q.RunUntil(t, "posted", func() bool { return ed.locked })
	posted, err := f.store.FindInvoiceByID(ctx, ed.inv.ID)
	if err != nil || posted.DepositAccount != cheques.ID {
		t.Fatalf("stored DepositAccount %d, %v; want %d", posted.DepositAccount, err, cheques.ID)
	}
	ms, err := f.store.AccountMovements(ctx, banks.MovementFilter{AccountID: cheques.ID})
	if err != nil || len(ms) != 1 || ms[0].InvoiceID != posted.ID || !ms[0].Amount.Equal(posted.Total) {
		t.Fatalf("Cheques movements after posting %s = %+v, %v; want its total %s", posted.FolioText(), ms, err, posted.Total)
	}
	if !ed.deposit.sel.Disabled() {
		t.Error("«Cobrado en» still editable once posted")
	}
	ed.Reset()
	if got := ed.DepositAccount(); got != "Cheques" {
		t.Errorf("the next cash sale starts in %q, want the last used (Cheques)", got)
	}
}
