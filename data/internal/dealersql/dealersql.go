// Package dealersql is the SQL of the Administrador de timbres (package
// dealer) that the SQLite and PostgreSQL stores share: which companies'
// PAC accounts are dealer accounts (company_dealer) and Folio's record of
// what it did through them (dealer_actions). Statements use ? placeholders
// (the PostgreSQL store rewrites them). An action's instant is written as
// fixed-width UTC text with microseconds: text order is time order on
// SQLite, and PostgreSQL reads it into timestamptz at the same precision.
package dealersql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain/dealer"
)

// Execer runs statements in a transaction (*sql.Tx and the PostgreSQL
// store's Tx).
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Querier reads (*sql.DB and the PostgreSQL store's DB).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const timeFormat = "2006-01-02T15:04:05.000000Z"

func timeText(t time.Time) string { return t.UTC().Format(timeFormat) }

// Record appends a to dealer_actions and sets a.ID.
func Record(ctx context.Context, tx Execer, a *dealer.Action) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO dealer_actions (dealer, at, kind, client_id, client_name, stamps_in, stamps_out, balance, folio, comment)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Dealer, timeText(a.At), string(a.Kind), a.ClientID, a.ClientName,
		a.In, a.Out, a.Balance, a.Folio, a.Comment).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert dealer action: %w", err)
	}
	return nil
}

// Actions lists the actions of f.Dealer (of f.ClientID when set, within
// [f.From, f.To) when set), oldest first, at most f.Limit (1000 when
// zero).
func Actions(ctx context.Context, db Querier, f dealer.ActionFilter) ([]dealer.Action, error) {
	q := `SELECT id, dealer, at, kind, client_id, client_name, stamps_in, stamps_out, balance, folio, comment
		FROM dealer_actions WHERE dealer = ?`
	args := []any{f.Dealer}
	if f.ClientID != "" {
		q += ` AND client_id = ?`
		args = append(args, f.ClientID)
	}
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, timeText(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND at < ?`
		args = append(args, timeText(f.To))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += ` ORDER BY at, id LIMIT ?`
	rows, err := db.QueryContext(ctx, q, append(args, limit)...)
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
		// SQLite's text as written, PostgreSQL's timestamptz as
		// database/sql writes it (RFC 3339 with nanoseconds).
		if a.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("dealer action %d time: %w", a.ID, err)
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// Enabled reports whether the company's PAC account is flagged as a
// dealer account (false when never set).
func Enabled(ctx context.Context, db Querier, companyID int64) (bool, error) {
	var on bool
	err := db.QueryRowContext(ctx, `SELECT enabled FROM company_dealer WHERE company_id = ?`, companyID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dealer enabled: %w", err)
	}
	return on, nil
}

// SetEnabled flags or unflags the company's PAC account as a dealer
// account at now.
func SetEnabled(ctx context.Context, tx Execer, companyID int64, enabled bool, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO company_dealer (company_id, enabled, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
		companyID, enabled, now.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("set dealer enabled: %w", err)
	}
	return nil
}
