package banks

import (
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// Direction is which way money moves through an account.
type Direction string

// The directions of a movement.
const (
	Deposit    Direction = "deposito" // a payment received
	Withdrawal Direction = "retiro"   // a refund paid out
)

// Movement is money in or out of one account. Amount is in the account's
// currency and signed: positive in, negative out. DocMoneda and DocAmount
// are the document's currency and (positive) amount; TipoCambio is the
// exchange rate used when they differ from the account's currency (pesos
// per unit of DocMoneda), zero otherwise. A reversal has Reverses set to
// the movement it undoes and the opposite amount.
type Movement struct {
	ID         int64
	AccountID  int64
	Date       time.Time
	Direction  Direction
	Amount     decimal.Decimal
	DocMoneda  string
	DocAmount  decimal.Decimal
	TipoCambio decimal.Decimal
	InvoiceID  int64 // the document that moved the money; 0 for none
	Reverses   int64
	Memo       string
}

// Convert is the currency rule of accounts: the amount, in a's currency,
// of amount in moneda moved in direction d, and the exchange rate used
// (zero when none was). An account receives or refunds a document in its
// own currency as is. An MXN account also takes a document in another
// currency at tipoCambio (pesos per unit, which must be positive): amount
// × tipoCambio rounded by tax.RoundMXN. A foreign-currency account takes
// only its own currency; any other combination is Invalid, in Spanish.
func Convert(a Account, d Direction, moneda string, amount, tipoCambio decimal.Decimal) (decimal.Decimal, decimal.Decimal, error) {
	const op = "convert movement"
	if moneda == a.Moneda {
		return amount, decimal.Zero, nil
	}
	if a.Moneda == "MXN" {
		if !tipoCambio.IsPositive() {
			return decimal.Zero, decimal.Zero, domain.Errorf(domain.Invalid, op,
				"Indique el tipo de cambio para registrar %s en la cuenta %s (MXN).", moneda, a.Name)
		}
		return tax.RoundMXN(amount, tipoCambio), tipoCambio, nil
	}
	verb := "recibe pagos"
	if d == Withdrawal {
		verb = "devuelve importes"
	}
	return decimal.Zero, decimal.Zero, domain.Errorf(domain.Invalid, op,
		"La cuenta %s es en %s: solo %s en %s.", a.Name, a.Moneda, verb, a.Moneda)
}

// Move returns the movement of amount (positive, in moneda at tipoCambio)
// through account a in direction d on date at for document invoiceID. It
// refuses (Invalid) an account of another company or an inactive one, an
// amount that is not positive, and what Convert refuses.
func Move(a Account, issuer string, d Direction, at time.Time, invoiceID int64, moneda string, amount, tipoCambio decimal.Decimal) (Movement, error) {
	const op = "move money"
	if a.Issuer != issuer {
		return Movement{}, domain.E(domain.Invalid, op, "La cuenta es de otra empresa.", nil)
	}
	if !a.Active {
		return Movement{}, domain.Errorf(domain.Invalid, op, "La cuenta %s está inactiva.", a.Name)
	}
	if !amount.IsPositive() {
		return Movement{}, domain.E(domain.Invalid, op, "El importe del movimiento debe ser mayor que cero.", nil)
	}
	if d != Deposit && d != Withdrawal {
		return Movement{}, domain.E(domain.Invalid, op, "El movimiento debe ser un depósito o un retiro.", nil)
	}
	v, rate, err := Convert(a, d, moneda, amount, tipoCambio)
	if err != nil {
		return Movement{}, err
	}
	if d == Withdrawal {
		v = v.Neg()
	}
	return Movement{AccountID: a.ID, Date: at, Direction: d, Amount: v, DocMoneda: moneda,
		DocAmount: amount, TipoCambio: rate, InvoiceID: invoiceID}, nil
}

// Reverse returns the movements that undo ms on date at: one opposite
// movement for each movement of ms that is not itself a reversal and that
// no movement of ms reverses yet. Reversing twice adds nothing.
func Reverse(ms []Movement, at time.Time) []Movement {
	undone := map[int64]bool{}
	for _, m := range ms {
		if m.Reverses != 0 {
			undone[m.Reverses] = true
		}
	}
	var out []Movement
	for _, m := range ms {
		if m.Reverses != 0 || undone[m.ID] {
			continue
		}
		r := m
		r.ID, r.Date, r.Amount, r.Reverses = 0, at, m.Amount.Neg(), m.ID
		r.Memo = "Cancelación"
		out = append(out, r)
	}
	return out
}

// Balance is the exact sum of ms's amounts.
func Balance(ms []Movement) decimal.Decimal {
	sum := decimal.Zero
	for _, m := range ms {
		sum = sum.Add(m.Amount)
	}
	return sum
}
