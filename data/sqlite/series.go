package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/mattn/go-sqlite3"
	"github.com/shopspring/decimal"
)

// salesTimeFormat is how the sales tables store instants (salessql.TimeFormat).
const salesTimeFormat = salessql.TimeFormat

func salesTimeText(t time.Time) string { return salessql.TimeText(t) }

// salesScan parses stored text into decimals and times, keeping the first
// error so a row is scanned with a single check at the end.
type salesScan struct{ err error }

func (s *salesScan) parse(text string) decimal.Decimal {
	d, err := decimal.NewFromString(text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored decimal %q: %w", text, err)
	}
	return d
}

func (s *salesScan) time(text string) time.Time {
	t, err := time.Parse(time.RFC3339, text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored time %q: %w", text, err)
	}
	return t
}

// salesAffected turns "no row changed" into a NotFound with msg.
func salesAffected(res sql.Result, op, msg string) error { return salessql.Affected(res, op, msg) }

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY clash.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

func insertSeries(ctx context.Context, q querier, s *sales.Series) error {
	return salesParts.InsertSeries(ctx, q, s)
}

const seriesColumns = salessql.SeriesColumns

func scanSeries(sc interface{ Scan(...any) error }) (sales.Series, error) {
	return salessql.ScanSeries(sc)
}

func findSeries(ctx context.Context, q querier, issuer, serie string) (sales.Series, error) {
	return salessql.FindSeries(ctx, q, issuer, serie)
}

var _ sales.SeriesStore = (*Store)(nil)

// CreateSeries stores a new series (already validated); a duplicate name for
// the issuer is a Conflict.
func (s *Store) CreateSeries(ctx context.Context, sr *sales.Series) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return insertSeries(ctx, tx, sr) })
}

// FindSeries returns the issuer's series ordered by type and name.
func (s *Store) FindSeries(ctx context.Context, issuer string) ([]sales.Series, error) {
	return salessql.ListSeries(ctx, s.ReadDB(), issuer)
}

// VoidFolio records a folio number as voided; see sales.SeriesStore.
func (s *Store) VoidFolio(ctx context.Context, issuer, serie string, folio int64, reason string) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		return salesParts.VoidFolio(ctx, tx, issuer, serie, folio, reason, s.Now())
	})
}

// CountVoidedFolios returns how many numbers of the series were voided.
func (s *Store) CountVoidedFolios(ctx context.Context, issuer, serie string) (int, error) {
	return salessql.CountVoided(ctx, s.ReadDB(), issuer, serie)
}

// optionalTimeText is salesTimeText, or "" for the zero time (a date the
// user did not give).
func optionalTimeText(t time.Time) string { return salessql.OptionalTimeText(t) }
