package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
)

// salesTimeFormat is how the sales tables store instants: UTC, fixed width,
// so that text order is time order (keyset paging relies on it).
const salesTimeFormat = "2006-01-02T15:04:05Z"

func salesTimeText(t time.Time) string { return t.UTC().Format(salesTimeFormat) }

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
func salesAffected(res sql.Result, op, msg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return domain.E(domain.NotFound, op, msg, nil)
	}
	return nil
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY clash.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func insertSeries(ctx context.Context, q querier, s *sales.Series) error {
	res, err := q.ExecContext(ctx, `INSERT INTO series (issuer, serie, tipo, next_folio, active) VALUES (?, ?, ?, ?, ?)`,
		s.Issuer, s.Serie, s.TipoDeComprobante, s.NextFolio, s.Active)
	if isUniqueViolation(err) {
		return domain.E(domain.Conflict, "create series", "Ya existe una serie con ese nombre para este emisor.", err)
	}
	if err != nil {
		return fmt.Errorf("insert series: %w", err)
	}
	s.ID, err = res.LastInsertId()
	return err
}

const seriesColumns = `id, issuer, serie, tipo, next_folio, active`

func scanSeries(sc interface{ Scan(...any) error }) (sales.Series, error) {
	var s sales.Series
	err := sc.Scan(&s.ID, &s.Issuer, &s.Serie, &s.TipoDeComprobante, &s.NextFolio, &s.Active)
	return s, err
}

func findSeries(ctx context.Context, q querier, issuer, serie string) (sales.Series, error) {
	s, err := scanSeries(q.QueryRowContext(ctx, `SELECT `+seriesColumns+` FROM series WHERE issuer = ? AND serie = ?`, issuer, serie))
	if err == sql.ErrNoRows {
		return s, domain.E(domain.NotFound, "find series", "La serie «"+serie+"» no existe.", err)
	}
	if err != nil {
		return s, fmt.Errorf("find series %s: %w", serie, err)
	}
	return s, nil
}

func listSeries(ctx context.Context, q querier, issuer string) ([]sales.Series, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+seriesColumns+` FROM series WHERE issuer = ? ORDER BY tipo, serie`, issuer)
	if err != nil {
		return nil, fmt.Errorf("list series: %w", err)
	}
	defer rows.Close()
	var out []sales.Series
	for rows.Next() {
		s, err := scanSeries(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// voidFolio records folio as voided. Only numbers up to the series' next one
// may be voided (no gap can appear); a number already used or voided is a
// Conflict; voiding the next number moves the series forward.
func voidFolio(ctx context.Context, q querier, issuer, serie string, folio int64, reason string, now time.Time) error {
	const op = "void folio"
	s, err := findSeries(ctx, q, issuer, serie)
	if err != nil {
		return err
	}
	if folio < 1 || folio > s.NextFolio {
		return domain.Errorf(domain.Invalid, op, "Solo se pueden cancelar folios hasta el siguiente de la serie (%d).", s.NextFolio)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO folios (issuer, serie, folio, kind, reason, taken_at) VALUES (?, ?, ?, 'void', ?, ?)`,
		issuer, serie, folio, reason, salesTimeText(now)); err != nil {
		if isUniqueViolation(err) {
			return domain.Errorf(domain.Conflict, op, "El folio %d de la serie %s ya fue usado o cancelado.", folio, serie)
		}
		return fmt.Errorf("void folio %d: %w", folio, err)
	}
	if folio == s.NextFolio {
		if _, err := q.ExecContext(ctx, `UPDATE series SET next_folio = ? WHERE id = ?`, folio+1, s.ID); err != nil {
			return fmt.Errorf("advance series: %w", err)
		}
	}
	return nil
}

func countVoided(ctx context.Context, q querier, issuer, serie string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM folios WHERE issuer = ? AND serie = ? AND kind = 'void'`, issuer, serie).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count voided: %w", err)
	}
	return n, nil
}

var _ sales.SeriesStore = (*Store)(nil)

// CreateSeries stores a new series (already validated); a duplicate name for
// the issuer is a Conflict.
func (s *Store) CreateSeries(ctx context.Context, sr *sales.Series) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return insertSeries(ctx, tx, sr) })
}

// FindSeries returns the issuer's series ordered by type and name.
func (s *Store) FindSeries(ctx context.Context, issuer string) ([]sales.Series, error) {
	return listSeries(ctx, s.ReadDB(), issuer)
}

// VoidFolio records a folio number as voided; see sales.SeriesStore.
func (s *Store) VoidFolio(ctx context.Context, issuer, serie string, folio int64, reason string) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		return voidFolio(ctx, tx, issuer, serie, folio, reason, s.Now())
	})
}

// CountVoidedFolios returns how many numbers of the series were voided.
func (s *Store) CountVoidedFolios(ctx context.Context, issuer, serie string) (int, error) {
	return countVoided(ctx, s.ReadDB(), issuer, serie)
}

// optionalTimeText is salesTimeText, or "" for the zero time (a date the
// user did not give).
func optionalTimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return salesTimeText(t)
}
