// Package salessql is the SQL of the sales tables (invoices and their
// lines, relations and payments, series, companies, credit notes,
// receivables, company CSD and PAC settings) that the SQLite and
// PostgreSQL stores share: the same statements, written with ?
// placeholders (the PostgreSQL store rewrites them and reports an
// INSERT's id through RETURNING), over whatever transaction or pool the
// store passes. Each store keeps its own transactions, the PostgreSQL
// one its company locks and change notifications, and its error mapping.
//
// Instants are stored as fixed-width UTC text on both stores (TimeText),
// so text order is time order and keyset paging works alike.
package salessql

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// Q runs statements: *sql.Tx and *sql.DB on SQLite, the PostgreSQL
// store's Tx and DB.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Parts are the readers and encoders the shared SQL needs whose code
// still lives in each store (customers, invoice relations, sale details,
// micro-units): each store passes its own.
type Parts struct {
	FindCustomer       func(ctx context.Context, q Q, id int64) (sales.Customer, error)
	FindRelations      func(ctx context.Context, q Q, id int64) ([]sales.Relation, error)
	Micro              func(d decimal.Decimal) (int64, error)
	FindAmounts        func(ctx context.Context, q Q, id int64) (a sales.Amounts, ok bool, err error)
	SaleDetailsColumns func(d *sales.SaleDetails) (collect any, details string, err error)
	ParseSaleDetails   func(collect sql.NullInt64, details string) (*sales.SaleDetails, error)
	// IsUnique reports whether err is the driver's UNIQUE or PRIMARY KEY
	// violation.
	IsUnique func(err error) bool
}

// TimeFormat is how the sales tables store instants: UTC, fixed width,
// so that text order is time order (keyset paging relies on it).
const TimeFormat = "2006-01-02T15:04:05Z"

// TimeText is t as the sales tables store it.
func TimeText(t time.Time) string { return t.UTC().Format(TimeFormat) }

// OptionalTimeText is TimeText, or "" for the zero time (a date the user
// did not give).
func OptionalTimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return TimeText(t)
}

// FromMicro turns micro-units (× 10^6) back into an amount.
func FromMicro(n int64) decimal.Decimal { return decimal.New(n, -6) }

// scan parses stored text into decimals and times, keeping the first
// error so a row is scanned with a single check at the end.
type scan struct{ err error }

func (s *scan) parse(text string) decimal.Decimal {
	d, err := decimal.NewFromString(text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored decimal %q: %w", text, err)
	}
	return d
}

func (s *scan) time(text string) time.Time {
	t, err := time.Parse(time.RFC3339, text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored time %q: %w", text, err)
	}
	return t
}

// Affected turns "no row changed" into a NotFound with msg.
func Affected(res sql.Result, op, msg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return domain.E(domain.NotFound, op, msg, nil)
	}
	return nil
}
