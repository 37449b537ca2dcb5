package banks

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestConvert(t *testing.T) {
	t.Parallel()
	mxn := Account{Name: "Bancomer", Moneda: "MXN"}
	usd := Account{Name: "Dólares", Moneda: "USD"}
	tests := []struct {
		name     string
		a        Account
		d        Direction
		moneda   string
		amount   string
		rate     string
		want     string
		wantRate string
		wantErr  string // part of the Spanish message; "" for none
	}{
		// Same currency: as is, no rate.
		{"MXN into MXN", mxn, Deposit, "MXN", "1160.00", "1", "1160.00", "0", ""},
		{"USD into USD", usd, Deposit, "USD", "100.50", "17.25", "100.50", "0", ""},
		{"USD refund from USD", usd, Withdrawal, "USD", "10", "0", "10", "0", ""},
		// Foreign document into a pesos account: × rate, tax.RoundMXN.
		{"USD into MXN", mxn, Deposit, "USD", "100.00", "17.2345", "1723.45", "17.2345", ""},
		{"rounds half away", mxn, Deposit, "USD", "0.01", "0.5", "0.01", "0.5", ""},
		{"rounds down", mxn, Deposit, "USD", "1.00", "17.234", "17.23", "17.234", ""},
		{"EUR refund from MXN", mxn, Withdrawal, "EUR", "2.50", "20.1", "50.25", "20.1", ""},
		{"no rate", mxn, Deposit, "USD", "100", "0", "", "", "Indique el tipo de cambio"},
		// A foreign account takes only its own currency.
		{"MXN into USD", usd, Deposit, "MXN", "100", "1", "", "", "La cuenta Dólares es en USD: solo recibe pagos en USD."},
		{"EUR into USD", usd, Deposit, "EUR", "100", "20", "", "", "solo recibe pagos en USD"},
		{"MXN refund from USD", usd, Withdrawal, "MXN", "100", "1", "", "", "solo devuelve importes en USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rate, err := Convert(tt.a, tt.d, tt.moneda, dec(tt.amount), dec(tt.rate))
			if tt.wantErr != "" {
				if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tt.wantErr) {
					t.Fatalf("Convert = %v, want Invalid %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(dec(tt.want)) || !rate.Equal(dec(tt.wantRate)) {
				t.Errorf("Convert = %s at %s, want %s at %s", got, rate, tt.want, tt.wantRate)
			}
		})
	}
}

func TestMoveAndReverse(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	a := Account{ID: 7, Issuer: "EKU9003173C9", Name: "Caja", Kind: Caja, Moneda: "MXN", Active: true}
	dep, err := Move(a, a.Issuer, Deposit, at, 3, "USD", dec("10"), dec("17.5"))
	if err != nil || !dep.Amount.Equal(dec("175")) || dep.AccountID != 7 || dep.InvoiceID != 3 {
		t.Fatalf("deposit = %+v, %v", dep, err)
	}
	ref, err := Move(a, a.Issuer, Withdrawal, at, 4, "MXN", dec("25.10"), decimal.Zero)
	if err != nil || !ref.Amount.Equal(dec("-25.10")) {
		t.Fatalf("refund = %+v, %v", ref, err)
	}
	if b := Balance([]Movement{dep, ref}); !b.Equal(dec("149.90")) {
		t.Errorf("Balance = %s, want 149.90", b)
	}
	for name, bad := range map[string]Account{
		"inactive": {Issuer: a.Issuer, Name: "Vieja", Moneda: "MXN"},
		"other co": {Issuer: "XAXX010101000", Name: "Ajena", Moneda: "MXN", Active: true},
	} {
		if _, err := Move(bad, a.Issuer, Deposit, at, 1, "MXN", dec("1"), decimal.Zero); domain.KindOf(err) != domain.Invalid {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
	}
	dep.ID = 1
	rev := Reverse([]Movement{dep}, at.Add(time.Hour))
	if len(rev) != 1 || !rev[0].Amount.Equal(dec("-175")) || rev[0].Reverses != 1 || rev[0].AccountID != 7 {
		t.Fatalf("Reverse = %+v", rev)
	}
	rev[0].ID = 2
	if again := Reverse([]Movement{dep, rev[0]}, at); len(again) != 0 {
		t.Errorf("reversing twice = %+v, want nothing", again)
	}
	if b := Balance([]Movement{dep, rev[0]}); !b.IsZero() {
		t.Errorf("balance after reversal = %s", b)
	}
}

func TestValidateAccount(t *testing.T) {
	t.Parallel()
	ok := func(m string) bool { return m == "MXN" || m == "USD" }
	good := Account{Issuer: "EKU9003173C9", Kind: Banco, Name: "Cheques", Bank: "BBVA", Number: "002010077777777771", Moneda: "MXN", Active: true}
	if err := good.Validate(ok); err != nil {
		t.Fatalf("good account: %v", err)
	}
	tests := []struct {
		name string
		edit func(a *Account)
		want string
	}{
		{"no name", func(a *Account) { a.Name = "" }, "nombre"},
		{"bad kind", func(a *Account) { a.Kind = "cofre" }, "caja o banco"},
		{"bank without bank", func(a *Account) { a.Bank = "" }, "banco de la cuenta"},
		{"XXX", func(a *Account) { a.Moneda = "XXX" }, "catálogo"},
		{"unknown currency", func(a *Account) { a.Moneda = "ZZZ" }, "catálogo"},
		{"bad CLABE", func(a *Account) { a.Number = "002010077777777772" }, "CLABE"},
		{"letters", func(a *Account) { a.Number = "12AB" }, "dígitos"},
		{"short", func(a *Account) { a.Number = "12345" }, "10 u 11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.edit(&a)
			err := a.Validate(ok)
			if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tt.want) {
				t.Errorf("Validate = %v, want Invalid with %q", err, tt.want)
			}
		})
	}
	caja := Account{Issuer: "EKU9003173C9", Kind: Caja, Name: "Caja chica", Moneda: "USD"}
	if err := caja.Validate(ok); err != nil {
		t.Errorf("caja without bank: %v", err)
	}
}
