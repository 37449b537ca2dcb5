package salessql

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// InsertSeries inserts series s, setting s.ID; a duplicate name for the
// issuer is a Conflict.
func (p Parts) InsertSeries(ctx context.Context, q Q, s *sales.Series) error {
	res, err := q.ExecContext(ctx, `INSERT INTO series (issuer, serie, tipo, next_folio, active) VALUES (?, ?, ?, ?, ?)`,
		s.Issuer, s.Serie, s.TipoDeComprobante, s.NextFolio, s.Active)
	if p.IsUnique(err) {
		return domain.E(domain.Conflict, "create series", "Ya existe una serie con ese nombre para este emisor.", err)
	}
	if err != nil {
		return fmt.Errorf("insert series: %w", err)
	}
	s.ID, err = res.LastInsertId()
	return err
}

// SeriesColumns are the columns ScanSeries reads.
const SeriesColumns = `id, issuer, serie, tipo, next_folio, active`

// ScanSeries reads a row of SeriesColumns.
func ScanSeries(sc interface{ Scan(...any) error }) (sales.Series, error) {
	var s sales.Series
	err := sc.Scan(&s.ID, &s.Issuer, &s.Serie, &s.TipoDeComprobante, &s.NextFolio, &s.Active)
	return s, err
}

// FindSeries returns issuer's series named serie; NotFound when none.
func FindSeries(ctx context.Context, q Q, issuer, serie string) (sales.Series, error) {
	s, err := ScanSeries(q.QueryRowContext(ctx, `SELECT `+SeriesColumns+` FROM series WHERE issuer = ? AND serie = ?`, issuer, serie))
	if err == sql.ErrNoRows {
		return s, domain.E(domain.NotFound, "find series", "La serie «"+serie+"» no existe.", err)
	}
	if err != nil {
		return s, fmt.Errorf("find series %s: %w", serie, err)
	}
	return s, nil
}

// ListSeries returns issuer's series by type and name.
func ListSeries(ctx context.Context, q Q, issuer string) ([]sales.Series, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+SeriesColumns+` FROM series WHERE issuer = ? ORDER BY tipo, serie`, issuer)
	if err != nil {
		return nil, fmt.Errorf("list series: %w", err)
	}
	defer rows.Close()
	var out []sales.Series
	for rows.Next() {
		s, err := ScanSeries(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// p.VoidFolio records folio as voided. Only numbers up to the series' next one
// may be voided (no gap can appear); a number already used or voided is a
// Conflict; voiding the next number moves the series forward.
func (p Parts) VoidFolio(ctx context.Context, q Q, issuer, serie string, folio int64, reason string, now time.Time) error {
	const op = "void folio"
	s, err := FindSeries(ctx, q, issuer, serie)
	if err != nil {
		return err
	}
	if folio < 1 || folio > s.NextFolio {
		return domain.Errorf(domain.Invalid, op, "Solo se pueden cancelar folios hasta el siguiente de la serie (%d).", s.NextFolio)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO folios (issuer, serie, folio, kind, reason, taken_at) VALUES (?, ?, ?, 'void', ?, ?)`,
		issuer, serie, folio, reason, TimeText(now)); err != nil {
		if p.IsUnique(err) {
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

// CountVoided returns how many numbers of the series were voided.
func CountVoided(ctx context.Context, q Q, issuer, serie string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM folios WHERE issuer = ? AND serie = ? AND kind = 'void'`, issuer, serie).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count voided: %w", err)
	}
	return n, nil
}
