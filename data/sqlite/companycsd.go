package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// FindCompany returns the company with that ID; NotFound when there is none.
func (s *Store) FindCompany(ctx context.Context, id int64) (*sales.Company, error) {
	return findCompany(ctx, s.r, "sqlite.FindCompany", s.path, id)
}

func findCompany(ctx context.Context, q queryRower, op, path string, id int64) (*sales.Company, error) {
	c, err := scanCompany(q.QueryRowContext(ctx, `SELECT `+companyColumns+` FROM companies WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.E(domain.NotFound, op, "La empresa no existe.", err)
	}
	if err != nil {
		return nil, mapErr(op, path, err)
	}
	return &c, nil
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
	const op = "sqlite.PutCompanyCSD"
	info := c.Info
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_csd (company_id, no_certificado, rfc, nombre, not_before,
			not_after, cer_der, key_sealed, password_sealed, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET no_certificado = excluded.no_certificado, rfc = excluded.rfc,
			nombre = excluded.nombre, not_before = excluded.not_before, not_after = excluded.not_after,
			cer_der = excluded.cer_der, key_sealed = excluded.key_sealed, password_sealed = excluded.password_sealed,
			uploaded_at = excluded.uploaded_at`,
			info.CompanyID, info.NoCertificado, info.RFC, info.Nombre, timeText(info.NotBefore), timeText(info.NotAfter),
			c.Certificate, c.KeySealed, c.PasswordSealed, timeText(info.UploadedAt))
		return err
	})
	return mapErr(op, s.path, err)
}

// StoredCompanyCSD returns company companyID's CSD as stored; found is
// false when it has none.
func (s *Store) StoredCompanyCSD(ctx context.Context, companyID int64) (sales.StoredCSD, bool, error) {
	const op = "sqlite.StoredCompanyCSD"
	c := sales.StoredCSD{Info: sales.CompanyCSD{CompanyID: companyID}}
	var nb, na, up string
	err := s.r.QueryRowContext(ctx, `SELECT no_certificado, rfc, nombre, not_before, not_after, uploaded_at, cer_der,
		key_sealed, password_sealed FROM company_csd WHERE company_id = ?`, companyID).Scan(&c.Info.NoCertificado,
		&c.Info.RFC, &c.Info.Nombre, &nb, &na, &up, &c.Certificate, &c.KeySealed, &c.PasswordSealed)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredCSD{}, false, nil
	}
	if err != nil {
		return sales.StoredCSD{}, false, mapErr(op, s.path, err)
	}
	var sc salesScan
	c.Info.NotBefore, c.Info.NotAfter, c.Info.UploadedAt = sc.time(nb), sc.time(na), sc.time(up)
	if sc.err != nil {
		return sales.StoredCSD{}, false, fmt.Errorf("%s: %w", op, sc.err)
	}
	return c, true, nil
}

// PutCompanyPAC stores company companyID's PAC account, replacing any
// previous one; a nil credential is stored as none.
func (s *Store) PutCompanyPAC(ctx context.Context, companyID int64, p sales.StoredPAC) error {
	const op = "sqlite.PutCompanyPAC"
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_pac (company_id, vendor, environment, services_url, user_sealed,
			password_sealed, token_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET vendor = excluded.vendor, environment = excluded.environment,
			services_url = excluded.services_url, user_sealed = excluded.user_sealed, password_sealed = excluded.password_sealed,
			token_sealed = excluded.token_sealed, updated_at = excluded.updated_at`,
			companyID, vendorText(p.Vendor), string(p.Environment), p.URL, p.User, p.Password, p.Token, timeText(s.Now()))
		return err
	})
	return mapErr(op, s.path, err)
}

// StoredCompanyPAC returns company companyID's PAC account as stored;
// found is false when it has none.
func (s *Store) StoredCompanyPAC(ctx context.Context, companyID int64) (sales.StoredPAC, bool, error) {
	const op = "sqlite.StoredCompanyPAC"
	var env, vendor string
	var p sales.StoredPAC
	err := s.r.QueryRowContext(ctx, `SELECT vendor, environment, services_url, user_sealed, password_sealed, token_sealed FROM company_pac
		WHERE company_id = ?`, companyID).Scan(&vendor, &env, &p.URL, &p.User, &p.Password, &p.Token)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredPAC{}, false, nil
	}
	if err != nil {
		return sales.StoredPAC{}, false, mapErr(op, s.path, err)
	}
	p.Environment = sales.PACEnvironment(env)
	if p.Environment != sales.PACLocal {
		p.Vendor = sales.PACVendor(vendor)
	}
	return p, true, nil
}

// vendorText is how company_pac keeps a vendor: the local PAC (no vendor)
// as 'sw', its column default.
func vendorText(v sales.PACVendor) string {
	if v == "" {
		return string(sales.PACSW)
	}
	return string(v)
}

// PutCompanySecondaryPAC stores company companyID's second PAC account and
// threshold, replacing any previous one; nil removes it.
func (s *Store) PutCompanySecondaryPAC(ctx context.Context, companyID int64, p *sales.StoredSecondaryPAC) error {
	const op = "sqlite.PutCompanySecondaryPAC"
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		if p == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM company_pac_secondary WHERE company_id = ?`, companyID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO company_pac_secondary (company_id, vendor, environment, services_url,
			user_sealed, password_sealed, token_sealed, after_minutes, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET vendor = excluded.vendor, environment = excluded.environment,
			services_url = excluded.services_url, user_sealed = excluded.user_sealed, password_sealed = excluded.password_sealed,
			token_sealed = excluded.token_sealed, after_minutes = excluded.after_minutes, updated_at = excluded.updated_at`,
			companyID, vendorText(p.Vendor), string(p.Environment), p.URL, p.User, p.Password, p.Token, p.AfterMinutes, timeText(s.Now()))
		return err
	})
	return mapErr(op, s.path, err)
}

// StoredCompanySecondaryPAC returns company companyID's second PAC account
// as stored; found is false when it has none.
func (s *Store) StoredCompanySecondaryPAC(ctx context.Context, companyID int64) (sales.StoredSecondaryPAC, bool, error) {
	const op = "sqlite.StoredCompanySecondaryPAC"
	var env, vendor string
	var p sales.StoredSecondaryPAC
	err := s.r.QueryRowContext(ctx, `SELECT vendor, environment, services_url, user_sealed, password_sealed, token_sealed, after_minutes
		FROM company_pac_secondary WHERE company_id = ?`, companyID).Scan(&vendor, &env, &p.URL, &p.User, &p.Password, &p.Token, &p.AfterMinutes)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredSecondaryPAC{}, false, nil
	}
	if err != nil {
		return sales.StoredSecondaryPAC{}, false, mapErr(op, s.path, err)
	}
	p.Vendor, p.Environment = sales.PACVendor(vendor), sales.PACEnvironment(env)
	return p, true, nil
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
		return nil, s.WriteTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM company_logo WHERE company_id = ?`, companyID)
			return err
		})
	}
	norm, err := print.NormalizeLogo(logo)
	if err != nil {
		return nil, err
	}
	err = s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_logo (company_id, logo, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET logo = excluded.logo, updated_at = excluded.updated_at`,
			companyID, norm, timeText(s.Now()))
		return err
	})
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	return norm, nil
}

// CompanyLogo returns company companyID's logo as stored (ready for
// print.Options.Logo), nil when it has none.
func (s *Store) CompanyLogo(ctx context.Context, companyID int64) ([]byte, error) {
	var logo []byte
	err := s.r.QueryRowContext(ctx, `SELECT logo FROM company_logo WHERE company_id = ?`, companyID).Scan(&logo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
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
