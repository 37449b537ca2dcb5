package thirdparty

import (
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// Payout is a liquidación: money the company hands over to a third party
// out of what it billed on its behalf, in Moneda. AccountID is the cash or
// bank account it left from (0: not recorded in the accounts) and
// MovementID that account's withdrawal. TipoCambio (pesos per unit) is
// needed when the account is in pesos and Moneda is not; reports also use
// it for the peso equivalent. A payout is cancelled, never deleted.
type Payout struct {
	ID           int64
	Issuer       string
	ThirdPartyID int64
	Fecha        time.Time
	Moneda       string
	Amount       decimal.Decimal
	TipoCambio   decimal.Decimal
	AccountID    int64
	MovementID   int64
	Reference    string
	CancelledAt  time.Time
	CreatedAt    time.Time
}

// Cancelled tells whether the payout was cancelled.
func (p *Payout) Cancelled() bool { return !p.CancelledAt.IsZero() }

// Normalize trims the text fields and upper-cases the currency (MXN when
// empty).
func (p *Payout) Normalize() {
	p.Issuer = strings.ToUpper(strings.TrimSpace(p.Issuer))
	p.Moneda = strings.ToUpper(strings.TrimSpace(p.Moneda))
	if p.Moneda == "" {
		p.Moneda = "MXN"
	}
	p.Reference = strings.TrimSpace(p.Reference)
}

// Validate reports every problem of p that needs no figures (Invalid, in
// Spanish).
func (p *Payout) Validate() error {
	const op = "validate payout"
	var msgs []string
	if p.Issuer == "" {
		msgs = append(msgs, "La liquidación debe pertenecer a una empresa.")
	}
	if p.ThirdPartyID == 0 {
		msgs = append(msgs, "Elija el tercero al que se le paga.")
	}
	if p.Fecha.IsZero() {
		msgs = append(msgs, "Indique la fecha de la liquidación.")
	}
	if !p.Amount.IsPositive() {
		msgs = append(msgs, "El monto de la liquidación debe ser mayor que cero.")
	} else if p.Amount.Exponent() < -2 && !p.Amount.Equal(p.Amount.Round(2)) {
		msgs = append(msgs, "El monto lleva a lo más dos decimales.")
	}
	if len(p.Reference) > 100 {
		msgs = append(msgs, "La referencia lleva a lo más 100 caracteres.")
	}
	if len(msgs) == 0 {
		return nil
	}
	return domain.E(domain.Invalid, op, strings.Join(msgs, "\n"), nil)
}
