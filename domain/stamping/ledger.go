package stamping

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Balance is the stamp balance of an issuer's PAC account.
type Balance struct {
	IssuerRFC string
	Stamps    int64 // stamps available
	Used      int64 // stamps consumed, as reported by the PAC
	Unlimited bool
	AsOf      time.Time // when the PAC reported it (or when Folio last adjusted it)
	Live      bool      // true when it came from the PAC just now, false when it is the last known value
}

// MovementKind names a ledger movement.
type MovementKind string

// Movement kinds.
const (
	MovementStamp  MovementKind = "stamp"  // a document was stamped (−1)
	MovementTopUp  MovementKind = "topup"  // stamps bought or assigned (+n)
	MovementCancel MovementKind = "cancel" // a cancellation was requested (0 unless the PAC charges it)
)

// Movement is one entry of an issuer's stamp history.
type Movement struct {
	ID         int64
	IssuerRFC  string
	At         time.Time
	Kind       MovementKind
	Stamps     int64 // signed change of the balance
	DocumentID int64 // 0 when not tied to a document
	UUID       string
	Comment    string
}

// LedgerStore keeps the last known balance, the movement history and the
// low-balance threshold per issuer RFC.
type LedgerStore interface {
	SaveBalance(ctx context.Context, b Balance) error
	// LastBalance returns the last known balance; ok is false if none.
	LastBalance(ctx context.Context, issuerRFC string) (b Balance, ok bool, err error)
	AddMovement(ctx context.Context, m Movement) error
	// Movements returns the newest movements first, at most limit.
	Movements(ctx context.Context, issuerRFC string, limit int) ([]Movement, error)
	SetLowThreshold(ctx context.Context, issuerRFC string, n int64) error
	// LowThreshold returns the threshold, DefaultLowThreshold when unset.
	LowThreshold(ctx context.Context, issuerRFC string) (int64, error)
}

// BalanceSource asks the PAC for the account's balance.
type BalanceSource interface {
	Balance(ctx context.Context) (Balance, error)
}

// DefaultLowThreshold is the low-balance warning level when none is set.
const DefaultLowThreshold = 20

// Ledger answers balance questions per issuer: live from the issuer's PAC
// account when it can be reached, the last known value otherwise.
type Ledger struct {
	Store   LedgerStore
	PACs    PACs // may be nil (always offline)
	Now     domain.Clock
	Timeout time.Duration // per PAC call [15 s]
}

// Balance returns the issuer's balance. With the PAC reachable the answer is
// stored and returned with Live set; otherwise the last known balance is
// returned with Live false. With neither it returns PACFor's error when the
// issuer has no usable account, an Unavailable error otherwise.
func (l *Ledger) Balance(ctx context.Context, issuerRFC string) (Balance, error) {
	const op = "stamping.Ledger.Balance"
	src, why := l.source(ctx, issuerRFC)
	if src != nil {
		timeout := l.Timeout
		if timeout <= 0 {
			timeout = 15 * time.Second
		}
		cctx, cancel := context.WithTimeout(ctx, timeout)
		b, err := src.Balance(cctx)
		cancel()
		if err == nil {
			b.IssuerRFC, b.Live = issuerRFC, true
			if b.AsOf.IsZero() {
				b.AsOf = l.now()
			}
			if err := l.Store.SaveBalance(ctx, b); err != nil {
				return Balance{}, fmt.Errorf("save balance: %w", err)
			}
			return b, nil
		}
	}
	b, ok, err := l.Store.LastBalance(ctx, issuerRFC)
	if err != nil {
		return Balance{}, err
	}
	if !ok {
		if why != nil { // no account: say what to configure
			return Balance{}, why
		}
		return Balance{}, domain.E(domain.Unavailable, op, "No se pudo consultar el saldo de timbres y no hay un saldo anterior guardado.", nil)
	}
	b.Live = false
	return b, nil
}

// source is the balance service of the issuer's account: nil when the
// account reports no balance, nil and PACFor's error when the issuer has no
// usable account.
func (l *Ledger) source(ctx context.Context, issuerRFC string) (BalanceSource, error) {
	if l.PACs == nil {
		return nil, nil
	}
	a, err := l.PACs.PACFor(ctx, issuerRFC)
	if err != nil {
		return nil, err
	}
	return a.Balance, nil
}

// Low reports whether b is at or below the issuer's low-balance threshold.
// Unlimited accounts are never low.
func (l *Ledger) Low(ctx context.Context, b Balance) (bool, error) {
	if b.Unlimited {
		return false, nil
	}
	n, err := l.Store.LowThreshold(ctx, b.IssuerRFC)
	if err != nil {
		return false, err
	}
	return b.Stamps <= n, nil
}

// RecordTopUp records n stamps bought or assigned to the issuer's account.
func (l *Ledger) RecordTopUp(ctx context.Context, issuerRFC string, n int64, comment string) error {
	if n <= 0 {
		return domain.E(domain.Invalid, "stamping.Ledger.RecordTopUp", "La cantidad de timbres debe ser mayor que cero.", nil)
	}
	return l.Store.AddMovement(ctx, Movement{IssuerRFC: issuerRFC, At: l.now(), Kind: MovementTopUp, Stamps: n, Comment: comment})
}

func (l *Ledger) now() time.Time {
	if l.Now == nil {
		return time.Now()
	}
	return l.Now()
}
