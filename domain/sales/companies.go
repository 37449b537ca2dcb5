package sales

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/secret"
)

// Companies keeps the secrets of the companies of an installation and
// decides everything about them (design decision 10): it checks a CSD
// before it is kept (CheckCompanyCSD), seals the CSD key, its password and
// the PAC credentials with the installation key, opens them again, hashes
// and verifies the administrator password (Argon2id), and gives each
// company the signer that seals its documents — for the demo company SAT's
// test CSD, which the caller passes in as bytes. The store behind it keeps
// and returns bytes only (CompanySecretStore).
//
// The zero value is not usable: Store and Keys are required. Its methods are
// safe for concurrent use when the store's are.
type Companies struct {
	Store CompanySecretStore
	Keys  SecretKeys
	// Demo is the demo company's CSD (SAT's test certificate EKU9003173C9,
	// its key and password), as bytes the caller reads; the demo company
	// cannot have another one.
	Demo DemoCSD
	// Clock is the instant certificates must be valid at; domain.SystemClock
	// when nil.
	Clock domain.Clock
}

var _ AdminVerifier = (*Companies)(nil)

// DemoCSD is the CSD the demo company seals with.
type DemoCSD struct {
	Certificate, Key []byte
	Password         string
}

// SecretKeys gives the Box of the installation key. With create, a
// missing key is made (the first secret stored); without, a missing key
// is an error (Invalid, in Spanish) saying why the stored secrets cannot be
// read. Whoever keeps the key file implements it.
type SecretKeys interface {
	SecretBox(create bool) (*secret.Box, error)
}

// CompanySecretStore keeps what Companies decided, as bytes: a company's
// certificate with its sealed key and password, its sealed PAC
// credentials and the administrator password's hash. It never sees a
// plain secret and decides nothing.
type CompanySecretStore interface {
	// FindCompany returns the company with that ID; NotFound when there is
	// none.
	FindCompany(ctx context.Context, id int64) (*Company, error)
	// PutCompanyCSD stores c, replacing the company's previous CSD.
	PutCompanyCSD(ctx context.Context, c StoredCSD) error
	// StoredCompanyCSD returns the company's CSD; found is false when it
	// has none.
	StoredCompanyCSD(ctx context.Context, companyID int64) (c StoredCSD, found bool, err error)
	// PutCompanyPAC stores the company's PAC account, replacing the
	// previous one.
	PutCompanyPAC(ctx context.Context, companyID int64, p StoredPAC) error
	// StoredCompanyPAC returns the company's PAC account; found is false
	// when it has none.
	StoredCompanyPAC(ctx context.Context, companyID int64) (p StoredPAC, found bool, err error)
	// PutCompanySecondaryPAC stores the company's second PAC account and
	// its failover threshold, replacing the previous ones; nil removes it.
	PutCompanySecondaryPAC(ctx context.Context, companyID int64, p *StoredSecondaryPAC) error
	// StoredCompanySecondaryPAC returns the company's second PAC account;
	// found is false when it has none.
	StoredCompanySecondaryPAC(ctx context.Context, companyID int64) (p StoredSecondaryPAC, found bool, err error)
	// AdminPasswordHash returns the installation's administrator password
	// hash, "" when none is set.
	AdminPasswordHash(ctx context.Context) (string, error)
	// SwapAdminPasswordHash replaces the hash with next when it is still
	// old ("" for none), in one transaction, and reports whether it did.
	SwapAdminPasswordHash(ctx context.Context, old, next string) (swapped bool, err error)
}

// StoredCSD is a company's CSD as the store keeps it.
type StoredCSD struct {
	Info           CompanyCSD // what screens show; UploadedAt is set
	Certificate    []byte     // the .cer as given: public
	KeySealed      []byte     // the .key, sealed
	PasswordSealed []byte     // the key's password, sealed
}

// StoredPAC is a company's PAC account as the store keeps it: each
// credential sealed, nil when there is none.
type StoredPAC struct {
	Vendor                PACVendor // "" for the local PAC
	Environment           PACEnvironment
	URL                   string // the PAC's services URL when not the environment's default (not a secret)
	User, Password, Token []byte
}

// MinAdminPasswordLength is the shortest administrator password accepted.
const MinAdminPasswordLength = 8

func (s *Companies) now() time.Time {
	if s.Clock == nil {
		return domain.SystemClock()
	}
	return s.Clock()
}

// sealContext names the place of a sealed value, so that it opens only
// there (secret.Box binds it as additional data). The text is part of
// every stored secret: changing it makes them unreadable.
func sealContext(companyID int64, field string) string {
	return fmt.Sprintf("folio/company/%d/%s", companyID, field)
}

// unreadable is the error for a secret that does not open with this
// installation's key.
func unreadable(op, what string, err error) error {
	return domain.E(domain.Invalid, op, "No se pueden leer "+what+" guardados con el archivo de claves de esta instalación (¿se copió la base de datos sin su archivo .secret?). Vuelva a capturarlos en Empresa.", err)
}

// noDemoCSD is the error of a Companies built without the demo CSD: a
// wiring mistake, not the user's.
func noDemoCSD(op string) error {
	return domain.E(domain.Internal, op, "Falta el CSD de prueba de la empresa de demostración.", errors.New("Companies.Demo is empty"))
}

func noCSD(op string, co *Company) error {
	return domain.E(domain.NotFound, op, "La empresa "+co.RFC+" no tiene CSD. Cargue su certificado (.cer), su llave privada (.key) y la contraseña en Empresa › CSD.", nil)
}

// SaveCompanyCSD checks the CSD of company companyID with CheckCompanyCSD
// at the service's clock (a CSD, not an e.firma; valid now; the key opens
// with password and is the certificate's; the certificate's RFC is the
// company's) and keeps it, replacing any previous one: the certificate as
// given, the .key file and the password sealed with the installation key
// (created on first use). It returns the stored description. Errors: csd's
// and CheckCompanyCSD's Invalid errors, NotFound for an unknown company,
// Invalid for the demo company (it always uses SAT's test CSD shipped with
// Folio).
func (s *Companies) SaveCompanyCSD(ctx context.Context, companyID int64, cer, key []byte, password string) (CompanyCSD, error) {
	const op = "companies.SaveCompanyCSD"
	co, err := s.Store.FindCompany(ctx, companyID)
	if err != nil {
		return CompanyCSD{}, err
	}
	if co.Demo {
		return CompanyCSD{}, domain.E(domain.Invalid, op, "La empresa de demostración usa el CSD de prueba del SAT incluido en Folio; no se le puede cargar otro.", nil)
	}
	now := s.now()
	_, info, err := CheckCompanyCSD(co, cer, key, password, now)
	if err != nil {
		return CompanyCSD{}, err
	}
	box, err := s.Keys.SecretBox(true)
	if err != nil {
		return CompanyCSD{}, err
	}
	keySealed, err := box.Seal(key, sealContext(companyID, "csd-key"))
	if err != nil {
		return CompanyCSD{}, err
	}
	pwSealed, err := box.Seal([]byte(password), sealContext(companyID, "csd-password"))
	if err != nil {
		return CompanyCSD{}, err
	}
	info.UploadedAt = now.UTC().Truncate(time.Second)
	if err := s.Store.PutCompanyCSD(ctx, StoredCSD{Info: info, Certificate: cer, KeySealed: keySealed, PasswordSealed: pwSealed}); err != nil {
		return CompanyCSD{}, err
	}
	return info, nil
}

// CompanyCSD describes the CSD of company companyID: for the demo company
// the SAT test CSD shipped with Folio (Demo), else the one uploaded.
// NotFound when the company has none yet.
func (s *Companies) CompanyCSD(ctx context.Context, companyID int64) (CompanyCSD, error) {
	const op = "companies.CompanyCSD"
	co, err := s.Store.FindCompany(ctx, companyID)
	if err != nil {
		return CompanyCSD{}, err
	}
	if co.Demo {
		if len(s.Demo.Certificate) == 0 {
			return CompanyCSD{}, noDemoCSD(op)
		}
		cert, err := csd.ParseCertificate(s.Demo.Certificate)
		if err != nil {
			return CompanyCSD{}, err
		}
		return DescribeCSD(co.ID, cert), nil
	}
	c, found, err := s.Store.StoredCompanyCSD(ctx, companyID)
	if err != nil {
		return CompanyCSD{}, err
	}
	if !found {
		return CompanyCSD{}, noCSD(op, co)
	}
	return c.Info, nil
}

// CompanySigner returns the CSD that seals company companyID's documents,
// loaded and checked at the service's clock: for the demo company the SAT
// test CSD (Demo), else the uploaded one, its key opened with the stored
// password. Errors: NotFound when the company or its CSD is missing;
// Invalid with csd's Spanish message when the CSD expired, or when the
// company's RFC no longer matches it, or when the stored secrets do not
// open (database moved without its key).
func (s *Companies) CompanySigner(ctx context.Context, companyID int64) (*csd.CSD, error) {
	const op = "companies.CompanySigner"
	co, err := s.Store.FindCompany(ctx, companyID)
	if err != nil {
		return nil, err
	}
	if co.Demo {
		if len(s.Demo.Certificate) == 0 {
			return nil, noDemoCSD(op)
		}
		return csd.LoadAt(s.Demo.Certificate, s.Demo.Key, s.Demo.Password, s.now())
	}
	c, found, err := s.Store.StoredCompanyCSD(ctx, companyID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, noCSD(op, co)
	}
	box, err := s.Keys.SecretBox(false)
	if err != nil {
		return nil, err
	}
	key, err := box.Open(c.KeySealed, sealContext(companyID, "csd-key"))
	if err != nil {
		return nil, unreadable(op, "la llave y la contraseña del CSD", err)
	}
	pw, err := box.Open(c.PasswordSealed, sealContext(companyID, "csd-password"))
	if err != nil {
		return nil, unreadable(op, "la llave y la contraseña del CSD", err)
	}
	signer, err := csd.LoadAt(c.Certificate, key, string(pw), s.now())
	if err != nil {
		return nil, err
	}
	if err := CheckCertificateRFC(co, signer.Certificate()); err != nil {
		return nil, err
	}
	return signer, nil
}

// SavePACSettings keeps company companyID's PAC account after p.Validate,
// with the user, password and token sealed with the installation key. The
// local PAC of demo mode is only for the demo company (it stamps without
// fiscal validity). Errors: the FieldErrors of Validate, Invalid for the
// local PAC of a real company, NotFound for an unknown company.
func (s *Companies) SavePACSettings(ctx context.Context, companyID int64, p PACSettings) error {
	const op = "companies.SavePACSettings"
	co, err := s.Store.FindCompany(ctx, companyID)
	if err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Environment == PACLocal && !co.Demo {
		return domain.E(domain.Invalid, op, "El PAC local de demostración solo timbra la empresa de demostración. Elija el ambiente de pruebas o de producción de su PAC.", nil)
	}
	box, err := s.Keys.SecretBox(true)
	if err != nil {
		return err
	}
	stored, err := sealPAC(box, companyID, "pac", p)
	if err != nil {
		return err
	}
	return s.Store.PutCompanyPAC(ctx, companyID, stored)
}

// CompanyPACSettings returns company companyID's PAC account, secrets
// opened. The demo company without settings uses the local PAC. Errors:
// NotFound when the company does not exist or has no PAC account yet;
// Invalid when the stored secrets do not open with this installation's
// key. The result holds credentials: never log it.
func (s *Companies) CompanyPACSettings(ctx context.Context, companyID int64) (PACSettings, error) {
	const op = "companies.CompanyPACSettings"
	co, err := s.Store.FindCompany(ctx, companyID)
	if err != nil {
		return PACSettings{}, err
	}
	stored, found, err := s.Store.StoredCompanyPAC(ctx, companyID)
	if err != nil {
		return PACSettings{}, err
	}
	if !found {
		if co.Demo {
			return PACSettings{Environment: PACLocal}, nil
		}
		return PACSettings{}, domain.E(domain.NotFound, op, "La empresa "+co.RFC+" no tiene cuenta de PAC. Configúrela en Empresa › PAC.", nil)
	}
	return s.openPAC(op, companyID, "pac", stored)
}

// HasAdminPassword reports whether the installation has an administrator
// password.
func (s *Companies) HasAdminPassword(ctx context.Context) (bool, error) {
	h, err := s.Store.AdminPasswordHash(ctx)
	return h != "", err
}

// SetAdminPassword sets the installation's administrator password to next
// (at least MinAdminPasswordLength characters). When one is already set,
// current must be it. Only an Argon2id hash is kept. Errors: Invalid for a
// short password or a wrong current one; Conflict when another window
// changed it meanwhile. On a shared database (KeyVault) the data key is
// wrapped again under next in the same transaction (the first time, it is
// made), so every workstation unlocks with the new password.
func (s *Companies) SetAdminPassword(ctx context.Context, current, next string) error {
	const op = "companies.SetAdminPassword"
	if len([]rune(next)) < MinAdminPasswordLength {
		return domain.Errorf(domain.Invalid, op, "La contraseña de administrador debe tener al menos %d caracteres.", MinAdminPasswordLength)
	}
	old, err := s.Store.AdminPasswordHash(ctx)
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
	if v, ok := s.Keys.(KeyVault); ok {
		return s.setAdminPasswordShared(ctx, op, v, old, current, hash, next)
	}
	swapped, err := s.Store.SwapAdminPasswordHash(ctx, old, hash)
	if err != nil {
		return err
	}
	if !swapped {
		return domain.E(domain.Conflict, op, "La contraseña de administrador se cambió en otra ventana; vuelva a intentarlo.", nil)
	}
	return nil
}

// CheckAdminPassword returns nil when password is the installation's
// administrator password (what overriding a proposed folio requires); it
// implements AdminVerifier. Errors: NotFound when none is set, Invalid when
// it does not match.
func (s *Companies) CheckAdminPassword(ctx context.Context, password string) error {
	const op = "companies.CheckAdminPassword"
	h, err := s.Store.AdminPasswordHash(ctx)
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
