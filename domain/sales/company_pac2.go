package sales

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/secret"
)

// DefaultFailoverMinutes is how long the primary PAC may go unanswered
// before new documents go to the secondary, when the user sets nothing.
const DefaultFailoverMinutes = 5

// MaxFailoverMinutes bounds the threshold (a day).
const MaxFailoverMinutes = 24 * 60

// PACFailover is a company's second PAC account (issue 16): new documents
// go to it while the primary has been unreachable for After minutes, or
// is out of stamps, and back when the primary answers again.
type PACFailover struct {
	Secondary    PACSettings
	AfterMinutes int // 1..MaxFailoverMinutes; 0 is DefaultFailoverMinutes
}

// After is the threshold as a duration.
func (f PACFailover) After() time.Duration {
	m := f.AfterMinutes
	if m <= 0 {
		m = DefaultFailoverMinutes
	}
	return time.Duration(m) * time.Minute
}

// StoredSecondaryPAC is a company's second PAC account as the store keeps
// it: the account sealed like the primary's, and the threshold.
type StoredSecondaryPAC struct {
	StoredPAC
	AfterMinutes int
}

// SaveSecondaryPAC keeps company companyID's second PAC account, sealed
// like the primary's (each secret under its own place, "pac2-…"); nil
// removes it. The secondary is a real account (not the local PAC of demo
// mode), is not the primary itself, and its threshold is from 1 minute to
// a day (0 means DefaultFailoverMinutes). Errors: the FieldErrors of
// PACSettings.Validate and "AfterMinutes", Invalid for the local PAC or the
// primary's own account, NotFound for an unknown company.
func (s *Companies) SaveSecondaryPAC(ctx context.Context, companyID int64, f *PACFailover) error {
	const op = "companies.SaveSecondaryPAC"
	if _, err := s.Store.FindCompany(ctx, companyID); err != nil {
		return err
	}
	if f == nil {
		return s.Store.PutCompanySecondaryPAC(ctx, companyID, nil)
	}
	p := f.Secondary
	p.Normalize()
	if p.Environment == PACLocal {
		return domain.E(domain.Invalid, op, "El PAC secundario debe ser una cuenta de pruebas o de producción de SW sapien o de Finkok, no el PAC local de demostración.", nil)
	}
	after := f.AfterMinutes
	if after == 0 {
		after = DefaultFailoverMinutes
	}
	pr := &problems{op: op}
	if after < 1 || after > MaxFailoverMinutes {
		pr.add("AfterMinutes", "Escriba cuántos minutos sin respuesta del PAC principal esperar antes de usar el secundario: de 1 a 1440.")
	}
	if err := errors.Join(p.Validate(), pr.err()); err != nil {
		return err
	}
	primary, err := s.CompanyPACSettings(ctx, companyID)
	if err == nil && SamePACAccount(primary, p) {
		return domain.E(domain.Invalid, op, "El PAC secundario es la misma cuenta que el principal. Escriba otra cuenta (de otro PAC, o con otro usuario).", nil)
	}
	box, err := s.Keys.SecretBox(true)
	if err != nil {
		return err
	}
	stored, err := sealPAC(box, companyID, "pac2", p)
	if err != nil {
		return err
	}
	return s.Store.PutCompanySecondaryPAC(ctx, companyID, &StoredSecondaryPAC{StoredPAC: stored, AfterMinutes: after})
}

// CompanySecondaryPAC returns company companyID's second PAC account,
// secrets opened; nil when it has none. Errors: NotFound for an unknown
// company; Invalid when the secrets do not open with this installation's
// key. The result holds credentials: never log it.
func (s *Companies) CompanySecondaryPAC(ctx context.Context, companyID int64) (*PACFailover, error) {
	const op = "companies.CompanySecondaryPAC"
	if _, err := s.Store.FindCompany(ctx, companyID); err != nil {
		return nil, err
	}
	stored, found, err := s.Store.StoredCompanySecondaryPAC(ctx, companyID)
	if err != nil || !found {
		return nil, err
	}
	p, err := s.openPAC(op, companyID, "pac2", stored.StoredPAC)
	if err != nil {
		return nil, err
	}
	return &PACFailover{Secondary: p, AfterMinutes: stored.AfterMinutes}, nil
}

// SamePACAccount reports whether a and b are one account: same vendor,
// environment and URL, and the same user (case aside) or token.
func SamePACAccount(a, b PACSettings) bool {
	a.Normalize()
	b.Normalize()
	if a.Vendor != b.Vendor || a.Environment != b.Environment || a.URL != b.URL {
		return false
	}
	if a.User != "" || b.User != "" {
		return strings.EqualFold(a.User, b.User)
	}
	return a.Token == b.Token
}

// sealPAC seals p's credentials under prefix ("pac" for the primary,
// "pac2" for the secondary); an empty credential is stored as none.
func sealPAC(box *secret.Box, companyID int64, prefix string, p PACSettings) (StoredPAC, error) {
	stored := StoredPAC{Vendor: p.Vendor, Environment: p.Environment, URL: p.URL}
	for _, f := range []struct {
		v     string
		field string
		dst   *[]byte
	}{{p.User, "-user", &stored.User}, {p.Password, "-password", &stored.Password}, {p.Token, "-token", &stored.Token}} {
		if f.v == "" {
			continue
		}
		b, err := box.Seal([]byte(f.v), sealContext(companyID, prefix+f.field))
		if err != nil {
			return StoredPAC{}, err
		}
		*f.dst = b
	}
	return stored, nil
}

// openPAC opens the credentials sealPAC sealed under prefix.
func (s *Companies) openPAC(op string, companyID int64, prefix string, stored StoredPAC) (PACSettings, error) {
	p := PACSettings{Vendor: stored.Vendor, Environment: stored.Environment, URL: stored.URL}
	if p.Environment != PACLocal && p.Vendor == "" {
		p.Vendor = PACSW
	}
	if stored.User == nil && stored.Password == nil && stored.Token == nil {
		return p, nil
	}
	box, err := s.Keys.SecretBox(false)
	if err != nil {
		return PACSettings{}, err
	}
	for _, f := range []struct {
		sealed []byte
		field  string
		dst    *string
	}{{stored.User, "-user", &p.User}, {stored.Password, "-password", &p.Password}, {stored.Token, "-token", &p.Token}} {
		if f.sealed == nil {
			continue
		}
		v, err := box.Open(f.sealed, sealContext(companyID, prefix+f.field))
		if err != nil {
			return PACSettings{}, unreadable(op, "el usuario y la contraseña del PAC", err)
		}
		*f.dst = string(v)
	}
	return p, nil
}
