package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

const companyColumns = `id, rfc, nombre, regimen_fiscal, lugar_expedicion, demo, created_at`

// SaveCompany inserts c when c.ID is 0 (setting c.ID and, when zero,
// c.CreatedAt) or updates the company with that ID. The first company saved
// becomes the active one. The caller validates c first (Company.Validate).
// Errors: Conflict when another company has the same RFC, NotFound when
// updating an ID that does not exist.
func (s *Store) SaveCompany(ctx context.Context, c *sales.Company) error {
	const op = "postgres.SaveCompany"
	now := s.Now()
	created := c.CreatedAt
	if created.IsZero() {
		created = now
	}
	inserted := c.ID == 0
	var id int64
	err := s.WriteTx(ctx, func(tx *Tx) error {
		if c.ID != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE companies SET rfc = ?, nombre = ?, regimen_fiscal = ?,
				lugar_expedicion = ?, demo = ?, updated_at = ? WHERE id = ?`,
				c.RFC, c.Nombre, c.RegimenFiscal, c.LugarExpedicion, c.Demo, timeText(now), c.ID)
			if err != nil {
				return companyErr(op, c.RFC, err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err == nil {
					err = domain.E(domain.NotFound, op, "La empresa no existe.", nil)
				}
				return err
			}
			id = c.ID
			return nil
		}
		var active int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE active`).Scan(&active); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO companies (rfc, nombre, regimen_fiscal, lugar_expedicion, demo,
			active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.RFC, c.Nombre, c.RegimenFiscal, c.LugarExpedicion, c.Demo, active == 0, timeText(created), timeText(now))
		if err != nil {
			return companyErr(op, c.RFC, err)
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return err
	}
	c.ID = id
	if inserted {
		c.CreatedAt = created.UTC().Truncate(time.Second)
	}
	return nil
}

func companyErr(op, rfc string, err error) error {
	if isUnique(err) {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe una empresa con el RFC %s.", rfc), err)
	}
	return err
}

// isUnique reports whether err is a UNIQUE constraint violation.
func isUnique(err error) bool {
	return domain.KindOf(mapErr("", "", err)) == domain.Conflict
}

// ActiveCompany returns the active company; NotFound when there is none
// (a new installation: set up a company or choose the demo).
func (s *Store) ActiveCompany(ctx context.Context) (*sales.Company, error) {
	const op = "postgres.ActiveCompany"
	c, err := scanCompany(s.db.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies WHERE active`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, op, "No hay una empresa configurada. Registre los datos de su empresa o elija la empresa de demostración.", err)
	}
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	return &c, nil
}

// ListCompanies returns every company, by name.
func (s *Store) ListCompanies(ctx context.Context) ([]sales.Company, error) {
	const op = "postgres.ListCompanies"
	rows, err := s.db.QueryContext(ctx, `SELECT `+companyColumns+` FROM companies ORDER BY nombre, id`)
	if err != nil {
		return nil, mapErr(op, s.name, err)
	}
	defer rows.Close()
	var out []sales.Company
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, mapErr(op, s.name, err)
		}
		out = append(out, c)
	}
	return out, mapErr(op, s.name, rows.Err())
}

// SetActiveCompany makes company id the active one; NotFound if it does not
// exist.
func (s *Store) SetActiveCompany(ctx context.Context, id int64) error {
	const op = "postgres.SetActiveCompany"
	return s.WriteTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return domain.E(domain.NotFound, op, "La empresa no existe.", nil)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE companies SET active = false WHERE active AND id <> ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE companies SET active = true WHERE id = ?`, id)
		return err
	})
}

func scanCompany(sc interface{ Scan(...any) error }) (sales.Company, error) {
	var c sales.Company
	var created string
	if err := sc.Scan(&c.ID, &c.RFC, &c.Nombre, &c.RegimenFiscal, &c.LugarExpedicion, &c.Demo, &created); err != nil {
		return c, err
	}
	t, err := time.Parse(time.RFC3339, created)
	if err != nil {
		return c, fmt.Errorf("company %d created_at %q: %w", c.ID, created, err)
	}
	c.CreatedAt = t
	return c, nil
}
