package banks

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// MovementFilter selects an account's movements by Date: From inclusive,
// To exclusive; a zero bound is open.
type MovementFilter struct {
	AccountID int64
	From, To  time.Time
}

// Store keeps accounts and their movements.
type Store interface {
	// CreateAccount stores a new account and sets its ID.
	CreateAccount(ctx context.Context, a *Account) error
	// UpdateAccount replaces an account's fields; its currency may not
	// change once it has movements (Conflict). NotFound if absent.
	UpdateAccount(ctx context.Context, a *Account) error
	// FindAccount returns one account; NotFound if absent.
	FindAccount(ctx context.Context, id int64) (Account, error)
	// FindAccounts returns issuer's accounts, active or not, by name.
	FindAccounts(ctx context.Context, issuer string) ([]Account, error)
	// RecordMovement stores a movement the domain decided (Move) and sets
	// its ID.
	RecordMovement(ctx context.Context, m *Movement) error
	// AccountMovements returns the movements f selects, oldest first.
	AccountMovements(ctx context.Context, f MovementFilter) ([]Movement, error)
	// AccountBalance is the exact sum of the movements f selects, in the
	// account's currency.
	AccountBalance(ctx context.Context, f MovementFilter) (decimal.Decimal, error)
}
