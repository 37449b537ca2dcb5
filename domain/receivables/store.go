package receivables

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Store reads the receivables a store keeps (the open balance of every
// invoice, written by the domain's Changes). Every sum is exact.
type Store interface {
	// OpenGroups returns the sums of issuer's open balances on day asOf by
	// customer, currency, exchange rate and bucket (Limits); customerID 0
	// for every customer.
	OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]Group, error)
	// Movements returns a customer's live receivables with what live credit
	// notes and payments took from them, in date order (at the same
	// instant an invoice before a note before a payment).
	Movements(ctx context.Context, issuer string, customerID int64) ([]Movement, error)
	// MovementsBetween returns the exact sum of the amounts of a customer's
	// movements in moneda dated before the instant since, and the
	// movements in moneda dated from since to before until, in the order
	// of Movements: what a statement needs without reading its whole
	// history.
	MovementsBetween(ctx context.Context, issuer string, customerID int64, moneda string, since, until time.Time) (decimal.Decimal, []Movement, error)
	// Currencies returns the currencies of a customer's live receivables,
	// in the order of their first invoice.
	Currencies(ctx context.Context, issuer string, customerID int64) ([]string, error)
	// Receivables returns every invoice of issuer's customer (customerID 0
	// for every customer) that opened a receivable, cancelled ones too,
	// with its stored open balance and what it is recomputed from; oldest
	// first.
	Receivables(ctx context.Context, issuer string, customerID int64) ([]Receivable, error)
	// CreditOverrides returns the authorizations recorded for a customer,
	// oldest first.
	CreditOverrides(ctx context.Context, customerID int64) ([]Override, error)
}

// Service answers the receivables questions over a Store.
type Service struct {
	Store Store
}

// Aging returns the aging of every customer of issuer on asOf.
func (s *Service) Aging(ctx context.Context, issuer string, asOf time.Time) (Aging, error) {
	g, err := s.Store.OpenGroups(ctx, issuer, 0, asOf)
	if err != nil {
		return Aging{}, err
	}
	return NewAging(asOf, g), nil
}

// Balance returns what customerID owes issuer on asOf.
func (s *Service) Balance(ctx context.Context, issuer string, customerID int64, asOf time.Time) (Balance, error) {
	g, err := s.Store.OpenGroups(ctx, issuer, customerID, asOf)
	if err != nil {
		return Balance{}, err
	}
	return NewBalance(customerID, asOf, g), nil
}

// Statement returns a customer's balance and movements on asOf.
func (s *Service) Statement(ctx context.Context, issuer string, customerID int64, asOf time.Time) (Statement, error) {
	b, err := s.Balance(ctx, issuer, customerID, asOf)
	if err != nil {
		return Statement{}, err
	}
	m, err := s.Store.Movements(ctx, issuer, customerID)
	if err != nil {
		return Statement{}, err
	}
	return Statement{Balance: b, Movements: m}, nil
}

// Period returns a customer's account statement in moneda for the days
// from to to, with the balance on to: the same Period StatementPeriod
// computes from the whole Statement, reading from the store only the
// period's movements and the sum of the earlier ones.
func (s *Service) Period(ctx context.Context, issuer string, customerID int64, moneda string, from, to time.Time) (Period, Balance, error) {
	b, err := s.Balance(ctx, issuer, customerID, to)
	if err != nil {
		return Period{}, Balance{}, err
	}
	// A movement's day is its date in Mexico City (Day): two days either
	// side of the period's limits hold every instant whose day may fall
	// inside, and periodOf sorts them out by the same rule.
	since, until := Day(from).AddDate(0, 0, -2), Day(to).AddDate(0, 0, 3)
	before, moves, err := s.Store.MovementsBetween(ctx, issuer, customerID, moneda, since, until)
	if err != nil {
		return Period{}, Balance{}, err
	}
	return periodOf(before, moves, moneda, from, to), b, nil
}
