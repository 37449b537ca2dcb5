package salessql

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/folio-mx/folio/domain/sales"
)

// The company's secrets are decided by sales.Companies (design decision
// 10); the statements below only keep and return the bytes it hands over.

// PutCompanyCSD stores company c.Info.CompanyID's CSD in tx, replacing any
// previous one: the description, the certificate as given and the sealed
// key and password.
func PutCompanyCSD(ctx context.Context, tx Q, c sales.StoredCSD) error {
	info := c.Info
	_, err := tx.ExecContext(ctx, `INSERT INTO company_csd (company_id, no_certificado, rfc, nombre, not_before,
		not_after, cer_der, key_sealed, password_sealed, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET no_certificado = excluded.no_certificado, rfc = excluded.rfc,
		nombre = excluded.nombre, not_before = excluded.not_before, not_after = excluded.not_after,
		cer_der = excluded.cer_der, key_sealed = excluded.key_sealed, password_sealed = excluded.password_sealed,
		uploaded_at = excluded.uploaded_at`,
		info.CompanyID, info.NoCertificado, info.RFC, info.Nombre, TimeText(info.NotBefore), TimeText(info.NotAfter),
		c.Certificate, c.KeySealed, c.PasswordSealed, TimeText(info.UploadedAt))
	return err
}

// StoredCompanyCSD returns company companyID's CSD as stored; found is
// false when it has none.
func StoredCompanyCSD(ctx context.Context, q Q, companyID int64) (sales.StoredCSD, bool, error) {
	c := sales.StoredCSD{Info: sales.CompanyCSD{CompanyID: companyID}}
	var nb, na, up string
	err := q.QueryRowContext(ctx, `SELECT no_certificado, rfc, nombre, not_before, not_after, uploaded_at, cer_der,
		key_sealed, password_sealed FROM company_csd WHERE company_id = ?`, companyID).Scan(&c.Info.NoCertificado,
		&c.Info.RFC, &c.Info.Nombre, &nb, &na, &up, &c.Certificate, &c.KeySealed, &c.PasswordSealed)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredCSD{}, false, nil
	}
	if err != nil {
		return sales.StoredCSD{}, false, err
	}
	var sc scan
	c.Info.NotBefore, c.Info.NotAfter, c.Info.UploadedAt = sc.time(nb), sc.time(na), sc.time(up)
	if sc.err != nil {
		return sales.StoredCSD{}, false, sc.err
	}
	return c, true, nil
}

// PutCompanyPAC stores company companyID's PAC account in tx, replacing
// any previous one; a nil credential is stored as none.
func PutCompanyPAC(ctx context.Context, tx Q, companyID int64, p sales.StoredPAC, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO company_pac (company_id, vendor, environment, services_url, user_sealed,
		password_sealed, token_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET vendor = excluded.vendor, environment = excluded.environment,
		services_url = excluded.services_url, user_sealed = excluded.user_sealed, password_sealed = excluded.password_sealed,
		token_sealed = excluded.token_sealed, updated_at = excluded.updated_at`,
		companyID, vendorText(p.Vendor), string(p.Environment), p.URL, p.User, p.Password, p.Token, TimeText(now))
	return err
}

// StoredCompanyPAC returns company companyID's PAC account as stored;
// found is false when it has none.
func StoredCompanyPAC(ctx context.Context, q Q, companyID int64) (sales.StoredPAC, bool, error) {
	var env, vendor string
	var p sales.StoredPAC
	err := q.QueryRowContext(ctx, `SELECT vendor, environment, services_url, user_sealed, password_sealed, token_sealed FROM company_pac
		WHERE company_id = ?`, companyID).Scan(&vendor, &env, &p.URL, &p.User, &p.Password, &p.Token)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredPAC{}, false, nil
	}
	if err != nil {
		return sales.StoredPAC{}, false, err
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
// threshold in tx, replacing any previous one; nil removes it.
func PutCompanySecondaryPAC(ctx context.Context, tx Q, companyID int64, p *sales.StoredSecondaryPAC, now time.Time) error {
	if p == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM company_pac_secondary WHERE company_id = ?`, companyID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO company_pac_secondary (company_id, vendor, environment, services_url,
		user_sealed, password_sealed, token_sealed, after_minutes, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET vendor = excluded.vendor, environment = excluded.environment,
		services_url = excluded.services_url, user_sealed = excluded.user_sealed, password_sealed = excluded.password_sealed,
		token_sealed = excluded.token_sealed, after_minutes = excluded.after_minutes, updated_at = excluded.updated_at`,
		companyID, vendorText(p.Vendor), string(p.Environment), p.URL, p.User, p.Password, p.Token, p.AfterMinutes, TimeText(now))
	return err
}

// StoredCompanySecondaryPAC returns company companyID's second PAC account
// as stored; found is false when it has none.
func StoredCompanySecondaryPAC(ctx context.Context, q Q, companyID int64) (sales.StoredSecondaryPAC, bool, error) {
	var env, vendor string
	var p sales.StoredSecondaryPAC
	err := q.QueryRowContext(ctx, `SELECT vendor, environment, services_url, user_sealed, password_sealed, token_sealed, after_minutes
		FROM company_pac_secondary WHERE company_id = ?`, companyID).Scan(&vendor, &env, &p.URL, &p.User, &p.Password, &p.Token, &p.AfterMinutes)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.StoredSecondaryPAC{}, false, nil
	}
	if err != nil {
		return sales.StoredSecondaryPAC{}, false, err
	}
	p.Vendor, p.Environment = sales.PACVendor(vendor), sales.PACEnvironment(env)
	return p, true, nil
}

// PutCompanyLogo stores company companyID's logo (already normalized) in
// tx; an empty logo removes it.
func PutCompanyLogo(ctx context.Context, tx Q, companyID int64, logo []byte, now time.Time) error {
	if len(logo) == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM company_logo WHERE company_id = ?`, companyID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO company_logo (company_id, logo, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET logo = excluded.logo, updated_at = excluded.updated_at`,
		companyID, logo, TimeText(now))
	return err
}

// CompanyLogo returns company companyID's logo as stored, nil when it has
// none.
func CompanyLogo(ctx context.Context, q Q, companyID int64) ([]byte, error) {
	var logo []byte
	err := q.QueryRowContext(ctx, `SELECT logo FROM company_logo WHERE company_id = ?`, companyID).Scan(&logo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return logo, err
}
