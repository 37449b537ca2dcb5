package receivables

import (
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// ErrCreditRefused is the cause of CheckCredit's refusals: a screen that
// finds it (errors.Is) may offer an administrator's authorization.
var ErrCreditRefused = errors.New("credit refused")

// CheckCredit decides whether a credit sale of amountMXN (the new invoice's
// total in pesos) may be made to a customer whose credit limit is limit (0
// = no limit) and who owes b. It is refused (Conflict, with the figures in
// Spanish, wrapping ErrCreditRefused) while the customer has balances past
// due, or when the sale would take what the customer owes above the limit.
func CheckCredit(limit decimal.Decimal, b Balance, amountMXN decimal.Decimal) error {
	const op = "check credit"
	owes := fmt.Sprintf("El cliente debe %s (vencido %s)", tax.FormatMXN(b.Open), tax.FormatMXN(b.Overdue))
	var msg string
	switch {
	case b.Overdue.IsPositive():
		msg = fmt.Sprintf("%s; tiene facturas vencidas y no se le puede vender a crédito hasta que pague lo vencido.", owes)
	case limit.IsPositive() && b.Open.Add(amountMXN).GreaterThan(limit):
		msg = fmt.Sprintf("%s; con esta factura de %s pasaría su límite de crédito de %s.", owes,
			tax.FormatMXN(amountMXN), tax.FormatMXN(limit))
	default:
		return nil
	}
	return domain.E(domain.Conflict, op, msg+" Un administrador puede autorizarla.", ErrCreditRefused)
}

// Override is an administrator's authorization of a credit sale that
// CheckCredit refused, recorded with the invoice: who, why, when, and the
// figures that were overridden.
type Override struct {
	InvoiceID  int64
	CustomerID int64
	By         string // who authorized it
	Reason     string
	At         time.Time
	Limit      decimal.Decimal // the customer's credit limit then (0 = none)
	Open       decimal.Decimal // what the customer owed then, in pesos
	Overdue    decimal.Decimal
	AmountMXN  decimal.Decimal // the invoice's total in pesos
	Refusal    string          // the refusal it overrode, as the user read it
}
