package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
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

// sealContext names the place of a sealed value, so that it opens only
// there (secret.Box binds it as additional data).
func sealContext(companyID int64, field string) string {
	return fmt.Sprintf("folio/company/%d/%s", companyID, field)
}

// unreadable is the error for a secret that does not open with this
// installation's key.
func unreadable(op, what string, err error) error {
	return domain.E(domain.Invalid, op, "No se pueden leer "+what+" guardados con el archivo de claves de esta instalación (¿se copió la base de datos sin su archivo .secret?). Vuelva a capturarlos en Empresa.", err)
}

// SaveCompanyCSD checks the CSD of company companyID with
// sales.CheckCompanyCSD at the store's clock (a CSD, not an e.firma; valid
// now; the key opens with password and is the certificate's; the
// certificate's RFC is the company's) and stores it, replacing any previous
// one: the certificate as given, the .key file and the password sealed with
// the installation key (created on first use, see SecretPath). It returns
// the stored description. Errors: csd's and CheckCompanyCSD's Invalid
// errors, NotFound for an unknown company, Invalid for the demo company
// (it always uses SAT's test CSD shipped with Folio).
func (s *Store) SaveCompanyCSD(ctx context.Context, companyID int64, cer, key []byte, password string) (sales.CompanyCSD, error) {
	const op = "sqlite.SaveCompanyCSD"
	co, err := s.FindCompany(ctx, companyID)
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	if co.Demo {
		return sales.CompanyCSD{}, domain.E(domain.Invalid, op, "La empresa de demostración usa el CSD de prueba del SAT incluido en Folio; no se le puede cargar otro.", nil)
	}
	now := s.Now()
	_, info, err := sales.CheckCompanyCSD(co, cer, key, password, now)
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	box, err := s.secretBox(true)
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	keySealed, err := box.Seal(key, sealContext(companyID, "csd-key"))
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	pwSealed, err := box.Seal([]byte(password), sealContext(companyID, "csd-password"))
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	info.UploadedAt = now.UTC().Truncate(time.Second)
	err = s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_csd (company_id, no_certificado, rfc, nombre, not_before,
			not_after, cer_der, key_sealed, password_sealed, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET no_certificado = excluded.no_certificado, rfc = excluded.rfc,
			nombre = excluded.nombre, not_before = excluded.not_before, not_after = excluded.not_after,
			cer_der = excluded.cer_der, key_sealed = excluded.key_sealed, password_sealed = excluded.password_sealed,
			uploaded_at = excluded.uploaded_at`,
			companyID, info.NoCertificado, info.RFC, info.Nombre, timeText(info.NotBefore), timeText(info.NotAfter),
			cer, keySealed, pwSealed, timeText(info.UploadedAt))
		return err
	})
	if err != nil {
		return sales.CompanyCSD{}, mapErr(op, s.path, err)
	}
	return info, nil
}

// CompanyCSD describes the CSD of company companyID: for the demo company
// the SAT test CSD shipped with Folio, else the one uploaded. NotFound when
// the company has none yet.
func (s *Store) CompanyCSD(ctx context.Context, companyID int64) (sales.CompanyCSD, error) {
	const op = "sqlite.CompanyCSD"
	co, err := s.FindCompany(ctx, companyID)
	if err != nil {
		return sales.CompanyCSD{}, err
	}
	if co.Demo {
		cert, err := csd.ParseCertificate(assets.DemoCertificate)
		if err != nil {
			return sales.CompanyCSD{}, err
		}
		return sales.DescribeCSD(co.ID, cert), nil
	}
	info := sales.CompanyCSD{CompanyID: companyID}
	var nb, na, up string
	err = s.r.QueryRowContext(ctx, `SELECT no_certificado, rfc, nombre, not_before, not_after, uploaded_at
		FROM company_csd WHERE company_id = ?`, companyID).Scan(&info.NoCertificado, &info.RFC, &info.Nombre, &nb, &na, &up)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.CompanyCSD{}, noCSD(op, co)
	}
	if err != nil {
		return sales.CompanyCSD{}, mapErr(op, s.path, err)
	}
	var sc salesScan
	info.NotBefore, info.NotAfter, info.UploadedAt = sc.time(nb), sc.time(na), sc.time(up)
	if sc.err != nil {
		return sales.CompanyCSD{}, fmt.Errorf("%s: %w", op, sc.err)
	}
	return info, nil
}

func noCSD(op string, co *sales.Company) error {
	return domain.E(domain.NotFound, op, "La empresa "+co.RFC+" no tiene CSD. Cargue su certificado (.cer), su llave privada (.key) y la contraseña en Empresa › CSD.", nil)
}

// CompanySigner returns the CSD that seals company companyID's documents,
// loaded and checked at the store's clock: for the demo company the SAT
// test CSD shipped with Folio (assets.DemoCertificate), else the uploaded
// one, its key opened with the stored password. Errors: NotFound when the
// company or its CSD is missing; Invalid with csd's Spanish message when
// the CSD expired, or when the company's RFC no longer matches it, or when
// the stored secrets do not open (database moved without its secret file).
func (s *Store) CompanySigner(ctx context.Context, companyID int64) (*csd.CSD, error) {
	const op = "sqlite.CompanySigner"
	co, err := s.FindCompany(ctx, companyID)
	if err != nil {
		return nil, err
	}
	if co.Demo {
		return csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, s.Now())
	}
	var cer, keySealed, pwSealed []byte
	err = s.r.QueryRowContext(ctx, `SELECT cer_der, key_sealed, password_sealed FROM company_csd WHERE company_id = ?`,
		companyID).Scan(&cer, &keySealed, &pwSealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noCSD(op, co)
	}
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	box, err := s.secretBox(false)
	if err != nil {
		return nil, err
	}
	key, err := box.Open(keySealed, sealContext(companyID, "csd-key"))
	if err != nil {
		return nil, unreadable(op, "la llave y la contraseña del CSD", err)
	}
	pw, err := box.Open(pwSealed, sealContext(companyID, "csd-password"))
	if err != nil {
		return nil, unreadable(op, "la llave y la contraseña del CSD", err)
	}
	signer, err := csd.LoadAt(cer, key, string(pw), s.Now())
	if err != nil {
		return nil, err
	}
	if err := sales.CheckCertificateRFC(co, signer.Certificate()); err != nil {
		return nil, err
	}
	return signer, nil
}

// SavePACSettings stores company companyID's PAC account after
// p.Validate, with the user, password and token sealed with the
// installation key (the URL, not a secret, in plain text). The local PAC of demo mode is only for the demo
// company (it stamps without fiscal validity). Errors: the FieldErrors of
// Validate, NotFound for an unknown company.
func (s *Store) SavePACSettings(ctx context.Context, companyID int64, p sales.PACSettings) error {
	const op = "sqlite.SavePACSettings"
	co, err := s.FindCompany(ctx, companyID)
	if err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Environment == sales.PACLocal && !co.Demo {
		return domain.E(domain.Invalid, op, "El PAC local de demostración solo timbra la empresa de demostración. Elija el ambiente de pruebas o de producción de su PAC.", nil)
	}
	box, err := s.secretBox(true)
	if err != nil {
		return err
	}
	seal := func(v, field string) ([]byte, error) {
		if v == "" {
			return nil, nil
		}
		return box.Seal([]byte(v), sealContext(companyID, field))
	}
	user, err := seal(p.User, "pac-user")
	if err != nil {
		return err
	}
	pw, err := seal(p.Password, "pac-password")
	if err != nil {
		return err
	}
	tok, err := seal(p.Token, "pac-token")
	if err != nil {
		return err
	}
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO company_pac (company_id, environment, services_url, user_sealed, password_sealed,
			token_sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET environment = excluded.environment, services_url = excluded.services_url,
			user_sealed = excluded.user_sealed, password_sealed = excluded.password_sealed, token_sealed = excluded.token_sealed,
			updated_at = excluded.updated_at`,
			companyID, string(p.Environment), p.URL, user, pw, tok, timeText(s.Now()))
		return err
	})
}

// CompanyPACSettings returns company companyID's PAC account, secrets
// opened. The demo company without settings uses the local PAC. Errors:
// NotFound when the company does not exist or has no PAC account yet;
// Invalid when the stored secrets do not open with this installation's key.
// The result holds credentials: never log it.
func (s *Store) CompanyPACSettings(ctx context.Context, companyID int64) (sales.PACSettings, error) {
	const op = "sqlite.CompanyPACSettings"
	co, err := s.FindCompany(ctx, companyID)
	if err != nil {
		return sales.PACSettings{}, err
	}
	var env, servicesURL string
	var user, pw, tok []byte
	err = s.r.QueryRowContext(ctx, `SELECT environment, services_url, user_sealed, password_sealed, token_sealed FROM company_pac
		WHERE company_id = ?`, companyID).Scan(&env, &servicesURL, &user, &pw, &tok)
	if errors.Is(err, sql.ErrNoRows) {
		if co.Demo {
			return sales.PACSettings{Environment: sales.PACLocal}, nil
		}
		return sales.PACSettings{}, domain.E(domain.NotFound, op, "La empresa "+co.RFC+" no tiene cuenta de PAC. Configúrela en Empresa › PAC.", nil)
	}
	if err != nil {
		return sales.PACSettings{}, mapErr(op, s.path, err)
	}
	p := sales.PACSettings{Environment: sales.PACEnvironment(env), URL: servicesURL}
	if user == nil && pw == nil && tok == nil {
		return p, nil
	}
	box, err := s.secretBox(false)
	if err != nil {
		return sales.PACSettings{}, err
	}
	for _, f := range []struct {
		sealed []byte
		field  string
		dst    *string
	}{{user, "pac-user", &p.User}, {pw, "pac-password", &p.Password}, {tok, "pac-token", &p.Token}} {
		if f.sealed == nil {
			continue
		}
		v, err := box.Open(f.sealed, sealContext(companyID, f.field))
		if err != nil {
			return sales.PACSettings{}, unreadable(op, "el usuario y la contraseña del PAC", err)
		}
		*f.dst = string(v)
	}
	return p, nil
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

// MinAdminPasswordLength is the shortest administrator password accepted.
const MinAdminPasswordLength = 8

// HasAdminPassword reports whether the installation has an administrator
// password.
func (s *Store) HasAdminPassword(ctx context.Context) (bool, error) {
	h, err := s.setting(ctx, s.r, adminSetting)
	return h != "", err
}

// SetAdminPassword sets the installation's administrator password to next
// (at least MinAdminPasswordLength characters). When one is already set,
// current must be it. Only an Argon2id hash is stored. Errors: Invalid for
// a short password or a wrong current one; Conflict when another window
// changed it meanwhile.
func (s *Store) SetAdminPassword(ctx context.Context, current, next string) error {
	const op = "sqlite.SetAdminPassword"
	if len([]rune(next)) < MinAdminPasswordLength {
		return domain.Errorf(domain.Invalid, op, "La contraseña de administrador debe tener al menos %d caracteres.", MinAdminPasswordLength)
	}
	old, err := s.setting(ctx, s.r, adminSetting)
	if err != nil {
		return err
	}
	if old != "" {
		if err := secret.CheckPassword(old, current); err != nil {
			return adminErr(op, "La contraseña de administrador actual no es correcta.", err)
		}
	}
	hash, err := secret.HashPassword(next)
	if err != nil {
		return err
	}
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		now, err := s.setting(ctx, tx, adminSetting)
		if err != nil {
			return err
		}
		if now != old {
			return domain.E(domain.Conflict, op, "La contraseña de administrador se cambió en otra ventana; vuelva a intentarlo.", nil)
		}
		return s.putSetting(ctx, tx, adminSetting, hash)
	})
}

// CheckAdminPassword returns nil when password is the installation's
// administrator password (what overriding a proposed folio requires).
// Errors: NotFound when none is set, Invalid when it does not match.
func (s *Store) CheckAdminPassword(ctx context.Context, password string) error {
	const op = "sqlite.CheckAdminPassword"
	h, err := s.setting(ctx, s.r, adminSetting)
	if err != nil {
		return err
	}
	if h == "" {
		return domain.E(domain.NotFound, op, "No hay contraseña de administrador. Establézcala en Empresa › Administrador.", nil)
	}
	if err := secret.CheckPassword(h, password); err != nil {
		return adminErr(op, "La contraseña de administrador no es correcta.", err)
	}
	return nil
}

// adminErr maps a CheckPassword failure: a mismatch is the user's mistake
// (Invalid with msg), a malformed stored hash is Internal.
func adminErr(op, msg string, err error) error {
	if errors.Is(err, secret.ErrMismatch) {
		return domain.E(domain.Invalid, op, msg, err)
	}
	return domain.E(domain.Internal, op, "La contraseña de administrador guardada está dañada.", err)
}
