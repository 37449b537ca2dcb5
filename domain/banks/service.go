package banks

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// Service runs the accounts' use cases on a Store.
type Service struct {
	Store        Store
	MonedaExists func(string) bool // SAT's c_Moneda; nil accepts any key but XXX
}

// SaveAccount normalizes and validates a, then creates it (ID 0) or
// updates it.
func (s *Service) SaveAccount(ctx context.Context, a *Account) error {
	a.Normalize()
	if err := a.Validate(s.MonedaExists); err != nil {
		return err
	}
	if a.ID == 0 {
		return s.Store.CreateAccount(ctx, a)
	}
	return s.Store.UpdateAccount(ctx, a)
}

// Refund records a refund of a cash sale paid out of account id: amount
// in moneda (at tipoCambio when the account is in pesos and moneda is
// not), for document invoiceID of issuer, on date at. The account must be
// active and of issuer; Convert's rule applies.
func (s *Service) Refund(ctx context.Context, issuer string, id int64, at time.Time, invoiceID int64, moneda string, amount, tipoCambio decimal.Decimal) (Movement, error) {
	a, err := s.Store.FindAccount(ctx, id)
	if domain.KindOf(err) == domain.NotFound {
		return Movement{}, domain.E(domain.Invalid, "refund", "La cuenta elegida no existe.", err)
	}
	if err != nil {
		return Movement{}, err
	}
	m, err := Move(a, issuer, Withdrawal, at, invoiceID, moneda, amount, tipoCambio)
	if err != nil {
		return Movement{}, err
	}
	if err := s.Store.RecordMovement(ctx, &m); err != nil {
		return Movement{}, err
	}
	return m, nil
}

// FindAccounts returns issuer's accounts, active or not, by name.
func (s *Service) FindAccounts(ctx context.Context, issuer string) ([]Account, error) {
	return s.Store.FindAccounts(ctx, issuer)
}

// AccountBalance is the exact sum of the movements f selects.
func (s *Service) AccountBalance(ctx context.Context, f MovementFilter) (decimal.Decimal, error) {
	return s.Store.AccountBalance(ctx, f)
}
