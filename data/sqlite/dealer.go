package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain/dealer"
)

var (
	_ dealer.Store    = (*Store)(nil)
	_ dealer.Settings = (*Store)(nil)
)

const dealerTimeFormat = "2006-01-02T15:04:05.000000Z"

// RecordDealerAction appends a to dealer_actions and sets a.ID.
func (s *Store) RecordDealerAction(ctx context.Context, a *dealer.Action) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO dealer_actions (dealer, at, kind, client_id, client_name, stamps_in, stamps_out, balance, folio, comment)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Dealer, a.At.UTC().Format(dealerTimeFormat), string(a.Kind), a.ClientID, a.ClientName,
			a.In, a.Out, a.Balance, a.Folio, a.Comment)
		if err != nil {
			return fmt.Errorf("insert dealer action: %w", err)
		}
		a.ID, err = res.LastInsertId()
		return err
	})
}

// DealerActions lists the actions of f.Dealer (of f.ClientID when set,
// within [f.From, f.To) when set), oldest first, at most f.Limit (1000
// when zero).
func (s *Store) DealerActions(ctx context.Context, f dealer.ActionFilter) ([]dealer.Action, error) {
	q := `SELECT id, dealer, at, kind, client_id, client_name, stamps_in, stamps_out, balance, folio, comment
		FROM dealer_actions WHERE dealer = ?`
	args := []any{f.Dealer}
	if f.ClientID != "" {
		q += ` AND client_id = ?`
		args = append(args, f.ClientID)
	}
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, f.From.UTC().Format(dealerTimeFormat))
	}
	if !f.To.IsZero() {
		q += ` AND at < ?`
		args = append(args, f.To.UTC().Format(dealerTimeFormat))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += ` ORDER BY at, id LIMIT ?`
	args = append(args, limit)
	rows, err := s.ReadDB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("dealer actions: %w", err)
	}
	defer rows.Close()
	var out []dealer.Action
	for rows.Next() {
		var a dealer.Action
		var at, kind string
		if err := rows.Scan(&a.ID, &a.Dealer, &at, &kind, &a.ClientID, &a.ClientName, &a.In, &a.Out, &a.Balance, &a.Folio, &a.Comment); err != nil {
			return nil, fmt.Errorf("scan dealer action: %w", err)
		}
		a.Kind = dealer.ActionKind(kind)
		if a.At, err = time.Parse(dealerTimeFormat, at); err != nil {
			return nil, fmt.Errorf("dealer action %d time: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DealerEnabled reports whether the company's PAC account is flagged as a
// dealer account.
func (s *Store) DealerEnabled(ctx context.Context, companyID int64) (bool, error) {
	var on bool
	err := s.ReadDB().QueryRowContext(ctx, `SELECT enabled FROM company_dealer WHERE company_id = ?`, companyID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dealer enabled: %w", err)
	}
	return on, nil
}

// SetDealerEnabled flags or unflags the company's PAC account as a
// dealer account.
func (s *Store) SetDealerEnabled(ctx context.Context, companyID int64, enabled bool) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_dealer (company_id, enabled, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
			companyID, enabled, timeText(s.Now()))
		if err != nil {
			return fmt.Errorf("set dealer enabled: %w", err)
		}
		return nil
	})
}
