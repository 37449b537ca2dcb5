package sales

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/shopspring/decimal"
)

// TestCollection: the deposit that records a cash sale's collection is
// its total, converted into a pesos account at the invoice's TipoCambio;
// a credit invoice, a document that is not an invoice, one not posted or
// cancelled, one already collected, and what banks.Move refuses are
// refused with the reason.
func TestCollection(t *testing.T) {
	d := decimal.RequireFromString
	at := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	mxn := banks.Account{ID: 1, Issuer: "EKU9003173C9", Name: "Caja", Kind: banks.Caja, Moneda: "MXN", Active: true}
	usd := banks.Account{ID: 2, Issuer: "EKU9003173C9", Name: "Dólares", Kind: banks.Banco, Moneda: "USD", Active: true}
	sale := func(edit func(*Invoice)) *Invoice {
		inv := &Invoice{ID: 7, Issuer: "EKU9003173C9", TipoDeComprobante: TipoIngreso, Serie: "A", Folio: 3, Terms: Contado,
			Moneda: "MXN", State: StateStamped, Total: d("1160.00")}
		if edit != nil {
			edit(inv)
		}
		return inv
	}
	deposit := banks.Movement{ID: 40, AccountID: 1, Direction: banks.Deposit, Amount: d("1160"), InvoiceID: 7}
	reversal := banks.Movement{ID: 41, AccountID: 1, Direction: banks.Deposit, Amount: d("-1160"), InvoiceID: 7, Reverses: 40}
	refund := banks.Movement{ID: 42, AccountID: 1, Direction: banks.Withdrawal, Amount: d("-100"), InvoiceID: 7}
	for _, tc := range []struct {
		name   string
		inv    *Invoice
		moves  []banks.Movement
		acct   banks.Account
		amount string // the deposit, or
		kind   domain.Kind
		msg    string // the refusal
	}{
		{name: "pesos", inv: sale(nil), acct: mxn, amount: "1160"},
		{name: "dollars into pesos at the invoice's rate", inv: sale(func(i *Invoice) { i.Moneda, i.TipoCambio, i.Total = "USD", d("17.5"), d("100.01") }), acct: mxn, amount: "1750.18"},
		{name: "dollars into dollars", inv: sale(func(i *Invoice) { i.Moneda, i.TipoCambio, i.Total = "USD", d("17.5"), d("100") }), acct: usd, amount: "100"},
		{name: "a deposit reversed and a refund do not count", inv: sale(nil), moves: []banks.Movement{deposit, reversal, refund}, acct: mxn, amount: "1160"},
		{name: "sealed, not yet stamped", inv: sale(func(i *Invoice) { i.State = StateSealed }), acct: mxn, amount: "1160"},
		{name: "pesos into dollars", inv: sale(nil), acct: usd, kind: domain.Invalid, msg: "solo recibe pagos en USD"},
		{name: "credit", inv: sale(func(i *Invoice) { i.Terms = Credito }), acct: mxn, kind: domain.Invalid, msg: "recibo de pago"},
		{name: "credit note", inv: sale(func(i *Invoice) { i.TipoDeComprobante = TipoEgreso }), acct: mxn, kind: domain.Invalid, msg: "no es una factura de ingreso"},
		{name: "another company", inv: sale(func(i *Invoice) { i.Issuer = "AAA010101AAA" }), acct: mxn, kind: domain.Invalid, msg: "otra empresa"},
		{name: "draft", inv: sale(func(i *Invoice) { i.State = StateDraft }), acct: mxn, kind: domain.Conflict, msg: "no está emitida"},
		{name: "cancelled", inv: sale(func(i *Invoice) { i.State = StateCancelled }), acct: mxn, kind: domain.Conflict, msg: "cancelada"},
		{name: "being cancelled", inv: sale(func(i *Invoice) { i.State = StateCancelRequested }), acct: mxn, kind: domain.Conflict, msg: "cancelación"},
		{name: "already collected", inv: sale(nil), moves: []banks.Movement{deposit}, acct: mxn, kind: domain.Conflict, msg: "ya está registrado"},
		{name: "inactive account", inv: sale(nil), acct: banks.Account{ID: 3, Issuer: "EKU9003173C9", Name: "Vieja", Moneda: "MXN"}, kind: domain.Invalid, msg: "inactiva"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Collection(tc.inv, "EKU9003173C9", tc.moves, tc.acct, at)
			if tc.msg != "" {
				if domain.KindOf(err) != tc.kind || !strings.Contains(domain.UserMessage(err), tc.msg) {
					t.Fatalf("Collection = %+v, %v (%q); want %s %q", m, err, domain.UserMessage(err), tc.kind, tc.msg)
				}
				return
			}
			if err != nil || !m.Amount.Equal(d(tc.amount)) || m.InvoiceID != 7 || m.AccountID != tc.acct.ID || m.Direction != banks.Deposit || !m.Date.Equal(at) {
				t.Fatalf("Collection = %+v, %v; want a deposit of %s", m, err, tc.amount)
			}
		})
	}
}
