// Package stampsql is the SQL of the stamp queue's views (the stamp
// ledger's pages, retrying queued documents now, the queue's activity) and
// of the PAC exchanges' audit log that the SQLite and PostgreSQL stores
// share, written with ? placeholders (the PostgreSQL store rewrites them).
// It also keeps the queue's instant format, which the mail outbox uses
// too. Each store keeps its transactions and error mapping.
package stampsql

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain/stamping"
)

// Q runs statements: *sql.Tx and *sql.DB on SQLite, the PostgreSQL
// store's Tx and DB.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// timeLayout is how the stamp queue and the outbox store instants as text:
// UTC, fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// TimeText is t as the stamp queue stores it; "" for the zero time.
func TimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// ParseTime reads a TimeText; "" and text that does not parse are the
// zero time.
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Instant scans an instant stored either as text (SQLite, and the
// PostgreSQL columns kept as text; read as ParseTime does) or as
// timestamptz (PostgreSQL), in UTC either way, as SQLite's text reads.
// NULL is the zero time.
type Instant struct{ Time time.Time }

var _ sql.Scanner = (*Instant)(nil)

// Scan implements sql.Scanner.
func (i *Instant) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		i.Time = time.Time{}
	case time.Time:
		i.Time = x.UTC()
	case string:
		i.Time = ParseTime(x)
	case []byte:
		i.Time = ParseTime(string(x))
	default:
		return fmt.Errorf("instant: cannot scan %T", v)
	}
	return nil
}

// MovementsBetween returns an issuer's ledger movements with from ≤ At <
// to, newest first, at most limit (100 when limit ≤ 0). A zero from or to
// leaves that side of the range open.
func MovementsBetween(ctx context.Context, q Q, issuerRFC string, from, to time.Time, limit int) ([]stamping.Movement, error) {
	if limit <= 0 {
		limit = 100
	}
	query := `SELECT id, issuer_rfc, at, kind, stamps, COALESCE(document_id, 0), uuid, comment
		FROM stamp_movements WHERE issuer_rfc = ?`
	args := []any{issuerRFC}
	if !from.IsZero() {
		query += ` AND at >= ?`
		args = append(args, TimeText(from))
	}
	if !to.IsZero() {
		query += ` AND at < ?`
		args = append(args, TimeText(to))
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY at DESC, id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stamping.Movement
	for rows.Next() {
		var m stamping.Movement
		var at Instant
		var kind string
		if err := rows.Scan(&m.ID, &m.IssuerRFC, &at, &kind, &m.Stamps, &m.DocumentID, &m.UUID, &m.Comment); err != nil {
			return nil, err
		}
		m.At, m.Kind = at.Time, stamping.MovementKind(kind)
		out = append(out, m)
	}
	return out, rows.Err()
}

// RetryNow makes, in tx, queued document id's next attempt due at now
// unless the attempt is in flight (leased), and reports how many jobs it
// changed (0 or 1).
func RetryNow(ctx context.Context, tx Q, id int64, now time.Time) (int64, error) {
	n := TimeText(now)
	res, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET next_attempt_at = ?
		WHERE document_id = ? AND (lease_until = '' OR lease_until <= ?)`, n, id, n)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RetryAllNow makes, in tx, every queued document that is not in flight
// due at now (of issuerRFC only, unless "") and returns how many it
// changed.
func RetryAllNow(ctx context.Context, tx Q, issuerRFC string, now time.Time) (int64, error) {
	n := TimeText(now)
	query := `UPDATE stamp_jobs SET next_attempt_at = ?
		WHERE next_attempt_at > ? AND (lease_until = '' OR lease_until <= ?)`
	args := []any{n, n, n}
	if issuerRFC != "" {
		query += `
		AND document_id IN (SELECT id FROM documents WHERE issuer_rfc = ?)`
		args = append(args, issuerRFC)
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// QueueActivity returns, in one read, how many documents have an attempt
// in flight (sending, or claimed under a lease that has not run out) and
// how many are due for an attempt at now, across every issuer.
func QueueActivity(ctx context.Context, q Q, now time.Time) (sending, due int, err error) {
	n := TimeText(now)
	err = q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN d.state = 'sending' OR (d.state = 'queued' AND j.lease_until > ?) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.state = 'queued' AND j.next_attempt_at <= ? AND (j.lease_until = '' OR j.lease_until <= ?) THEN 1 ELSE 0 END), 0)
		FROM stamp_jobs j JOIN documents d ON d.id = j.document_id`, n, n, n).Scan(&sending, &due)
	return sending, due, err
}

// PACExchange is one HTTP exchange with the PAC as kept for audit. The PAC
// client removes secrets before handing it over (data/pac.Exchange has the
// same fields; main adapts one to the other).
type PACExchange struct {
	At             time.Time
	Method, URL    string
	RequestHeader  string // "Name: value" lines
	RequestBody    []byte
	Status         int
	ResponseBody   []byte
	Duration       time.Duration
	TransportError string
}

// SavePACExchange appends an exchange to the audit log, in tx.
func SavePACExchange(ctx context.Context, tx Q, x PACExchange) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO pac_exchanges (at, method, url, request_header, request_body, status, response_body, duration_ms, transport_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, TimeText(x.At), x.Method, x.URL, x.RequestHeader, x.RequestBody, x.Status, x.ResponseBody,
		x.Duration.Milliseconds(), x.TransportError)
	return err
}

// PACExchanges returns the newest exchanges first, at most limit.
func PACExchanges(ctx context.Context, q Q, limit int) ([]PACExchange, error) {
	rows, err := q.QueryContext(ctx, `SELECT at, method, url, request_header, request_body, status, response_body, duration_ms, transport_error
		FROM pac_exchanges ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PACExchange
	for rows.Next() {
		var x PACExchange
		var at Instant
		var ms int64
		if err := rows.Scan(&at, &x.Method, &x.URL, &x.RequestHeader, &x.RequestBody, &x.Status, &x.ResponseBody, &ms, &x.TransportError); err != nil {
			return nil, err
		}
		x.At, x.Duration = at.Time, time.Duration(ms)*time.Millisecond
		out = append(out, x)
	}
	return out, rows.Err()
}
