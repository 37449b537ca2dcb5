package sales

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/shopspring/decimal"
)

// accountsTx is a posting transaction that knows some accounts (BankTx);
// the rest of PostTx is not called by depositOf.
type accountsTx struct {
	PostTx
	accounts map[int64]banks.Account
}

func (t accountsTx) Account(_ context.Context, id int64) (banks.Account, error) {
	a, ok := t.accounts[id]
	if !ok {
		return banks.Account{}, domain.E(domain.NotFound, "account", "La cuenta no existe.", nil)
	}
	return a, nil
}

// TestDepositOf: the deposit a payment receipt makes is decided without a
// database — into the account it names, converted by the account's
// currency rule — and an unknown, inactive, foreign company's or
// wrong-currency account is refused.
func TestDepositOf(t *testing.T) {
	t.Parallel()
	const rfc = "EKU9003173C9"
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tx := accountsTx{accounts: map[int64]banks.Account{
		1: {ID: 1, Issuer: rfc, Kind: banks.Banco, Name: "Pesos", Bank: "BBVA", Moneda: "MXN", Active: true},
		2: {ID: 2, Issuer: rfc, Kind: banks.Banco, Name: "Dólares", Bank: "BBVA", Moneda: "USD", Active: true},
		3: {ID: 3, Issuer: rfc, Kind: banks.Caja, Name: "Cerrada", Moneda: "MXN"},
		4: {ID: 4, Issuer: "XAXX010101000", Kind: banks.Caja, Name: "Ajena", Moneda: "MXN", Active: true},
	}}
	receipt := func(account int64, moneda, monto, tc string) *Invoice {
		return &Invoice{ID: 9, Issuer: rfc, TipoDeComprobante: TipoPago, Payment: &Payment{FechaPago: at, MonedaP: moneda,
			Monto: decimal.RequireFromString(monto), TipoCambioP: decimal.RequireFromString(tc), AccountID: account}}
	}
	tests := []struct {
		name    string
		inv     *Invoice
		want    string // the deposit in the account's currency; "" for none
		wantErr string
	}{
		{"no account", receipt(0, "MXN", "100", "1"), "", ""},
		{"pesos", receipt(1, "MXN", "100.50", "1"), "100.50", ""},
		{"dollars into pesos", receipt(1, "USD", "100", "17.2345"), "1723.45", ""},
		{"dollars into dollars", receipt(2, "USD", "100", "17.2345"), "100", ""},
		{"pesos into dollars", receipt(2, "MXN", "100", "1"), "", "La cuenta Dólares es en USD: solo recibe pagos en USD."},
		{"unknown", receipt(99, "MXN", "100", "1"), "", "no existe"},
		{"inactive", receipt(3, "MXN", "100", "1"), "", "inactiva"},
		{"other company", receipt(4, "MXN", "100", "1"), "", "otra empresa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := depositOf(context.Background(), tx, tt.inv)
			if tt.wantErr != "" {
				if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tt.wantErr) {
					t.Fatalf("depositOf = %v, want Invalid %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("depositOf = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || !got[0].Amount.Equal(decimal.RequireFromString(tt.want)) || got[0].InvoiceID != 9 ||
				got[0].AccountID != tt.inv.Payment.AccountID || !got[0].Date.Equal(at) || got[0].Direction != banks.Deposit {
				t.Errorf("depositOf = %+v, want %s", got, tt.want)
			}
		})
	}
	// A store that keeps no accounts refuses a receipt that names one.
	if _, err := depositOf(context.Background(), struct{ PostTx }{}, receipt(1, "MXN", "1", "1")); domain.KindOf(err) != domain.Internal {
		t.Errorf("store without accounts: %v, want Internal", err)
	}
}
