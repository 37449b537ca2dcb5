package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// FindCompany returns the company with that ID; NotFound when there is none.
func (s *Store) FindCompany(ctx context.Context, id int64) (*sales.Company, error) {
	return findCompany(ctx, s.r, "sqlite.FindCompany", s.path, id)
}

func findCompany(ctx context.Context, q queryRower, op, path string, id int64) (*sales.Company, error) {
	c, err := salessql.FindCompany(ctx, q, op, id)
	return c, mapErr(op, path, err)
}

// The company's secrets are decided by sales.Companies (design decision
// 10): it checks the CSD, seals and opens the secrets with the
// installation key (SecretBox, companycsd_secret.go) and hashes the
// administrator password. The methods below only keep and return the bytes
// it hands over.

var _ sales.CompanySecretStore = (*Store)(nil)

// PutCompanyCSD stores company c.Info.CompanyID's CSD, replacing any
// previous one: the description, the certificate as given and the sealed
// key and password.
func (s *Store) PutCompanyCSD(ctx context.Context, c sales.StoredCSD) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.PutCompanyCSD(ctx, tx, c) })
	return mapErr("sqlite.PutCompanyCSD", s.path, err)
}

// StoredCompanyCSD returns company companyID's CSD as stored; found is
// false when it has none.
func (s *Store) StoredCompanyCSD(ctx context.Context, companyID int64) (sales.StoredCSD, bool, error) {
	c, found, err := salessql.StoredCompanyCSD(ctx, s.r, companyID)
	return c, found, mapErr("sqlite.StoredCompanyCSD", s.path, err)
}

// PutCompanyPAC stores company companyID's PAC account, replacing any
// previous one; a nil credential is stored as none.
func (s *Store) PutCompanyPAC(ctx context.Context, companyID int64, p sales.StoredPAC) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.PutCompanyPAC(ctx, tx, companyID, p, s.Now()) })
	return mapErr("sqlite.PutCompanyPAC", s.path, err)
}

// StoredCompanyPAC returns company companyID's PAC account as stored;
// found is false when it has none.
func (s *Store) StoredCompanyPAC(ctx context.Context, companyID int64) (sales.StoredPAC, bool, error) {
	p, found, err := salessql.StoredCompanyPAC(ctx, s.r, companyID)
	return p, found, mapErr("sqlite.StoredCompanyPAC", s.path, err)
}

// PutCompanySecondaryPAC stores company companyID's second PAC account and
// threshold, replacing any previous one; nil removes it.
func (s *Store) PutCompanySecondaryPAC(ctx context.Context, companyID int64, p *sales.StoredSecondaryPAC) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.PutCompanySecondaryPAC(ctx, tx, companyID, p, s.Now()) })
	return mapErr("sqlite.PutCompanySecondaryPAC", s.path, err)
}

// StoredCompanySecondaryPAC returns company companyID's second PAC account
// as stored; found is false when it has none.
func (s *Store) StoredCompanySecondaryPAC(ctx context.Context, companyID int64) (sales.StoredSecondaryPAC, bool, error) {
	p, found, err := salessql.StoredCompanySecondaryPAC(ctx, s.r, companyID)
	return p, found, mapErr("sqlite.StoredCompanySecondaryPAC", s.path, err)
}

// CompanySecondaryPAC returns company companyID's second PAC account with
// its secrets opened (nil when none), as sales.Companies decides.
func (s *Store) CompanySecondaryPAC(ctx context.Context, companyID int64) (*sales.PACFailover, error) {
	return (&sales.Companies{Store: s, Keys: s, Clock: s.Now}).CompanySecondaryPAC(ctx, companyID)
}

// CompanyPACSettings returns company companyID's PAC account with its
// secrets opened, as sales.Companies.CompanyPACSettings decides (this
// store only lends it the sealed bytes and the installation key). It is
// here for callers that hold only the store; new code asks the domain
// service.
func (s *Store) CompanyPACSettings(ctx context.Context, companyID int64) (sales.PACSettings, error) {
	return (&sales.Companies{Store: s, Keys: s, Clock: s.Now}).CompanyPACSettings(ctx, companyID)
}

// SaveCompanyLogo stores company companyID's logo after print.NormalizeLogo
// (PNG or JPEG up to 2000×2000) and returns the stored bytes; an empty logo
// removes it. Errors: NormalizeLogo's Invalid, NotFound for an unknown
// company.
func (s *Store) SaveCompanyLogo(ctx context.Context, companyID int64, logo []byte) ([]byte, error) {
	const op = "sqlite.SaveCompanyLogo"
	if _, err := s.FindCompany(ctx, companyID); err != nil {
		return nil, err
	}
	if len(logo) == 0 {
		return nil, s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.PutCompanyLogo(ctx, tx, companyID, nil, s.Now()) })
	}
	norm, err := print.NormalizeLogo(logo)
	if err != nil {
		return nil, err
	}
	err = s.WriteTx(ctx, func(tx *sql.Tx) error { return salessql.PutCompanyLogo(ctx, tx, companyID, norm, s.Now()) })
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	return norm, nil
}

// CompanyLogo returns company companyID's logo as stored (ready for
// print.Options.Logo), nil when it has none.
func (s *Store) CompanyLogo(ctx context.Context, companyID int64) ([]byte, error) {
	logo, err := salessql.CompanyLogo(ctx, s.r, companyID)
	return logo, mapErr("sqlite.CompanyLogo", s.path, err)
}

// adminSetting is the settings key of the administrator password hash.
const adminSetting = "admin_password"

// AdminPasswordHash returns the administrator password's hash as stored,
// "" when none is set.
func (s *Store) AdminPasswordHash(ctx context.Context) (string, error) {
	return s.setting(ctx, s.r, adminSetting)
}

// SwapAdminPasswordHash stores next as the administrator password's hash
// when the stored one is still old ("" for none), in one write
// transaction, and reports whether it did: false means another window
// changed it meanwhile.
func (s *Store) SwapAdminPasswordHash(ctx context.Context, old, next string) (bool, error) {
	swapped := false
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		now, err := s.setting(ctx, tx, adminSetting)
		if err != nil || now != old {
			return err
		}
		swapped = true
		return s.putSetting(ctx, tx, adminSetting, next)
	})
	return swapped && err == nil, err
}
