package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/dealersql"
	"github.com/folio-mx/folio/domain/dealer"
)

var (
	_ dealer.Store    = (*Store)(nil)
	_ dealer.Settings = (*Store)(nil)
)

// The Administrador de timbres' SQL is the PostgreSQL store's too
// (data/internal/dealersql).

// RecordDealerAction appends a to dealer_actions and sets a.ID.
func (s *Store) RecordDealerAction(ctx context.Context, a *dealer.Action) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return dealersql.Record(ctx, tx, a) })
}

// DealerActions lists the actions of f.Dealer (of f.ClientID when set,
// within [f.From, f.To) when set), oldest first, at most f.Limit (1000
// when zero).
func (s *Store) DealerActions(ctx context.Context, f dealer.ActionFilter) ([]dealer.Action, error) {
	return dealersql.Actions(ctx, s.ReadDB(), f)
}

// DealerEnabled reports whether the company's PAC account is flagged as a
// dealer account.
func (s *Store) DealerEnabled(ctx context.Context, companyID int64) (bool, error) {
	return dealersql.Enabled(ctx, s.ReadDB(), companyID)
}

// SetDealerEnabled flags or unflags the company's PAC account as a
// dealer account.
func (s *Store) SetDealerEnabled(ctx context.Context, companyID int64, enabled bool) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return dealersql.SetEnabled(ctx, tx, companyID, enabled, s.Now()) })
}
