package salessql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// CompanyColumns are the columns ScanCompany reads.
const CompanyColumns = `id, rfc, nombre, regimen_fiscal, lugar_expedicion, demo, created_at`

// SaveCompany inserts c when c.ID is 0 (active when no company is) or
// updates the company with that ID, in tx, and returns its id; created
// and now are the instants to store. Errors: Conflict when another
// company has the same RFC (isUnique tells the store's unique violation),
// NotFound when updating an ID that does not exist.
func SaveCompany(ctx context.Context, tx Q, op string, c *sales.Company, created, now time.Time, isUnique func(error) bool) (int64, error) {
	companyErr := func(err error) error {
		if isUnique(err) {
			return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe una empresa con el RFC %s.", c.RFC), err)
		}
		return err
	}
	if c.ID != 0 {
		res, err := tx.ExecContext(ctx, `UPDATE companies SET rfc = ?, nombre = ?, regimen_fiscal = ?,
			lugar_expedicion = ?, demo = ?, updated_at = ? WHERE id = ?`,
			c.RFC, c.Nombre, c.RegimenFiscal, c.LugarExpedicion, c.Demo, TimeText(now), c.ID)
		if err != nil {
			return 0, companyErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = domain.E(domain.NotFound, op, "La empresa no existe.", nil)
			}
			return 0, err
		}
		return c.ID, nil
	}
	var active int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE active`).Scan(&active); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO companies (rfc, nombre, regimen_fiscal, lugar_expedicion, demo,
		active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.RFC, c.Nombre, c.RegimenFiscal, c.LugarExpedicion, c.Demo, active == 0, TimeText(created), TimeText(now))
	if err != nil {
		return 0, companyErr(err)
	}
	return res.LastInsertId()
}

// ActiveCompany returns the active company; NotFound when there is none
// (a new installation: set up a company or choose the demo).
func ActiveCompany(ctx context.Context, q Q, op string) (*sales.Company, error) {
	c, err := ScanCompany(q.QueryRowContext(ctx, `SELECT `+CompanyColumns+` FROM companies WHERE active`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, op, "No hay una empresa configurada. Registre los datos de su empresa o elija la empresa de demostración.", err)
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ListCompanies returns every company, by name.
func ListCompanies(ctx context.Context, q Q) ([]sales.Company, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+CompanyColumns+` FROM companies ORDER BY nombre, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sales.Company
	for rows.Next() {
		c, err := ScanCompany(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetActiveCompany makes company id the active one, in tx; NotFound if it
// does not exist.
func SetActiveCompany(ctx context.Context, tx Q, op string, id int64) error {
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
}

// ScanCompany reads a row of CompanyColumns.
func ScanCompany(sc interface{ Scan(...any) error }) (sales.Company, error) {
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

// FindCompany returns the company with that ID; NotFound when there is
// none. Other errors are the driver's, for the store to map.
func FindCompany(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, op string, id int64) (*sales.Company, error) {
	c, err := ScanCompany(q.QueryRowContext(ctx, `SELECT `+CompanyColumns+` FROM companies WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, op, "La empresa no existe.", err)
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}
