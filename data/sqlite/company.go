package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/sales"
)

// SaveCompany inserts c when c.ID is 0 (setting c.ID and, when zero,
// c.CreatedAt) or updates the company with that ID. The first company saved
// becomes the active one. The caller validates c first (Company.Validate).
// Errors: Conflict when another company has the same RFC, NotFound when
// updating an ID that does not exist.
func (s *Store) SaveCompany(ctx context.Context, c *sales.Company) error {
	const op = "sqlite.SaveCompany"
	now := s.Now()
	created := c.CreatedAt
	if created.IsZero() {
		created = now
	}
	inserted := c.ID == 0
	var id int64
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = salessql.SaveCompany(ctx, tx, op, c, created, now, isUniqueViolation)
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

// ActiveCompany returns the active company; NotFound when there is none
// (a new installation: set up a company or choose the demo).
func (s *Store) ActiveCompany(ctx context.Context) (*sales.Company, error) {
	const op = "sqlite.ActiveCompany"
	c, err := salessql.ActiveCompany(ctx, s.r, op)
	return c, mapErr(op, s.path, err)
}

// ListCompanies returns every company, by name.
func (s *Store) ListCompanies(ctx context.Context) ([]sales.Company, error) {
	const op = "sqlite.ListCompanies"
	out, err := salessql.ListCompanies(ctx, s.r)
	return out, mapErr(op, s.path, err)
}

// SetActiveCompany makes company id the active one; NotFound if it does not
// exist.
func (s *Store) SetActiveCompany(ctx context.Context, id int64) error {
	const op = "sqlite.SetActiveCompany"
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.SetActiveCompany(ctx, tx, op, id) })
}
