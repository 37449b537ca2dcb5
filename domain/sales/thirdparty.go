package sales

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// ThirdParty is someone on whose behalf a company bills (CFDI 4.0,
// Concepto/ACuentaTerceros): a customs broker's client, a consignor. Third
// parties are kept per company (Issuer). RFC, Name, RegimenFiscal and
// CodigoPostal are what SAT checks against its register, exactly as for a
// Receptor; the rest is for contact and payouts. Third parties are
// deactivated, never deleted: invoice lines refer to them.
type ThirdParty struct {
	ID            int64
	Issuer        string // RFC of the company that bills on its behalf
	RFC           string
	Name          string // exact name as in the Constancia de Situación Fiscal
	RegimenFiscal string // c_RegimenFiscal
	CodigoPostal  string // DomicilioFiscalACuentaTerceros, c_CodigoPostal
	Contact       string
	Email         string
	Phone         string
	Bank          string // where payouts (liquidaciones) are sent
	BankAccount   string // account number or CLABE
	Notes         string
	Active        bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PersonaMoral reports whether the RFC is a legal entity's (12 characters).
func (t *ThirdParty) PersonaMoral() bool { return len(t.RFC) == 12 }

// Normalize trims spaces and upper-cases the fields SAT compares in upper case.
func (t *ThirdParty) Normalize() {
	t.Issuer = strings.ToUpper(strings.TrimSpace(t.Issuer))
	t.RFC = strings.ToUpper(strings.TrimSpace(t.RFC))
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	t.RegimenFiscal = strings.TrimSpace(t.RegimenFiscal)
	t.CodigoPostal = strings.TrimSpace(t.CodigoPostal)
	t.Contact = strings.Join(strings.Fields(t.Contact), " ")
	t.Email = strings.TrimSpace(t.Email)
	t.Phone = strings.TrimSpace(t.Phone)
	t.Bank = strings.Join(strings.Fields(t.Bank), " ")
	t.BankAccount = strings.Join(strings.Fields(t.BankAccount), "")
	t.Notes = strings.TrimSpace(t.Notes)
}

// Validate checks t against the SAT rules for ACuentaTerceros (Anexo 20
// v4.0, Guía de llenado, Concepto/ACuentaTerceros: RfcACuentaTerceros must
// be in SAT's register, so not a generic RFC; RegimenFiscalACuentaTerceros
// from c_RegimenFiscal and valid for the kind of person;
// DomicilioFiscalACuentaTerceros from c_CodigoPostal) and Folio's own
// rules: a company does not bill on its own behalf as a third party. It
// reports every problem at once, as FieldErrors of kind Invalid joined with
// errors.Join.
func (t *ThirdParty) Validate(cat CompanyCatalogs) error {
	p := &problems{op: "validate third party"}
	if t.Issuer == "" {
		p.add("Issuer", "Elija la empresa que factura por cuenta del tercero.")
	}
	_, rfcErr := sat.ClassifyRFC(t.RFC)
	switch {
	case rfcErr != nil:
		p.add("RFC", "El RFC no es válido: debe tener 12 caracteres (persona moral) o 13 (persona física).")
	case t.RFC == RFCPublicoGeneral || t.RFC == RFCExtranjero:
		p.add("RFC", "Un tercero necesita su propio RFC inscrito ante el SAT; no use los RFC genéricos XAXX010101000 ni XEXX010101000.")
	case t.RFC == t.Issuer:
		p.add("RFC", "El RFC del tercero no puede ser el de su propia empresa; lo que factura por su cuenta no lleva tercero.")
	}
	if t.Name == "" {
		p.add("Name", "Escriba el nombre o razón social del tercero, exactamente como en su constancia de situación fiscal.")
	} else if len([]rune(t.Name)) > 254 {
		p.add("Name", "El nombre no puede tener más de 254 caracteres.")
	}
	if !cat.RegimenExists(t.RegimenFiscal) {
		p.add("RegimenFiscal", "Elija un régimen fiscal del catálogo del SAT.")
	} else if rfcErr == nil && !cat.RegimenAllowed(t.RegimenFiscal, t.PersonaMoral()) {
		if t.PersonaMoral() {
			p.add("RegimenFiscal", "Ese régimen no aplica a personas morales.")
		} else {
			p.add("RegimenFiscal", "Ese régimen no aplica a personas físicas.")
		}
	}
	if !cat.CodigoPostalExists(t.CodigoPostal) {
		p.add("CodigoPostal", "El código postal no existe en el catálogo del SAT.")
	}
	if t.Email != "" {
		if a, err := mail.ParseAddress(t.Email); err != nil || a.Address != t.Email {
			p.add("Email", "La dirección de correo «"+t.Email+"» no es válida.")
		}
	}
	if len([]rune(t.BankAccount)) > 30 {
		p.add("BankAccount", "La cuenta o CLABE no puede tener más de 30 caracteres.")
	}
	return p.err()
}

// Ref returns the snapshot of t that an invoice line carries.
func (t *ThirdParty) Ref() *ThirdPartyRef {
	return &ThirdPartyRef{ID: t.ID, RFC: t.RFC, Name: t.Name, RegimenFiscal: t.RegimenFiscal, CodigoPostal: t.CodigoPostal}
}

// ThirdPartyRef is the third party of one invoice line, as the line
// carries it: the catalog record's ID and a snapshot of the four fields
// that go into the CFDI's ACuentaTerceros node. The snapshot is taken again
// when the document is posted, so a sealed document never changes when the
// catalog does.
type ThirdPartyRef struct {
	ID            int64 // ThirdParty.ID
	RFC           string
	Name          string
	RegimenFiscal string
	CodigoPostal  string
}

// ThirdPartyFilter selects an issuer's third parties. Query matches words
// of the name (accent- and case-insensitive, as prefixes) or the beginning
// of the RFC.
type ThirdPartyFilter struct {
	Issuer          string // required
	Query           string
	IncludeInactive bool
	Limit           int // default 100, at most 1000
}

// ThirdPartyStore keeps the third parties. Create and Update store a third
// party that already passed Validate; a second one with the same issuer
// and RFC is a Conflict; missing ids are NotFound.
type ThirdPartyStore interface {
	CreateThirdParty(ctx context.Context, t *ThirdParty) error
	UpdateThirdParty(ctx context.Context, t *ThirdParty) error
	SetThirdPartyActive(ctx context.Context, id int64, active bool) error
	FindThirdPartyByID(ctx context.Context, id int64) (ThirdParty, error)
	// FindThirdParties returns f.Issuer's third parties ordered by name.
	FindThirdParties(ctx context.Context, f ThirdPartyFilter) ([]ThirdParty, error)
}

// ThirdParties runs the third-party catalog's use cases.
type ThirdParties struct {
	Store    ThirdPartyStore
	Catalogs CompanyCatalogs
}

// Create normalizes and validates t, then stores it as active and sets
// its ID. An RFC the issuer already has is a Conflict.
func (s *ThirdParties) Create(ctx context.Context, t *ThirdParty) error {
	t.Normalize()
	t.Active = true
	if err := t.Validate(s.Catalogs); err != nil {
		return err
	}
	return duplicateThirdParty(s.Store.CreateThirdParty(ctx, t))
}

// Update normalizes and validates t, then rewrites it. The issuer of a
// third party never changes. Posted documents keep the snapshot they were
// sealed with.
func (s *ThirdParties) Update(ctx context.Context, t *ThirdParty) error {
	old, err := s.Store.FindThirdPartyByID(ctx, t.ID)
	if err != nil {
		return err
	}
	t.Normalize()
	if t.Issuer != old.Issuer {
		return domain.E(domain.Invalid, "update third party", "Un tercero no puede cambiar de empresa.", nil)
	}
	if err := t.Validate(s.Catalogs); err != nil {
		return err
	}
	return duplicateThirdParty(s.Store.UpdateThirdParty(ctx, t))
}

// Find returns one third party; NotFound if absent.
func (s *ThirdParties) Find(ctx context.Context, id int64) (ThirdParty, error) {
	return s.Store.FindThirdPartyByID(ctx, id)
}

// List returns the third parties f selects, ordered by name. An empty
// Issuer is Invalid: third parties are always a company's.
func (s *ThirdParties) List(ctx context.Context, f ThirdPartyFilter) ([]ThirdParty, error) {
	f.Issuer = strings.ToUpper(strings.TrimSpace(f.Issuer))
	if f.Issuer == "" {
		return nil, domain.E(domain.Invalid, "list third parties", "Elija la empresa cuyos terceros quiere ver.", nil)
	}
	return s.Store.FindThirdParties(ctx, f)
}

// Deactivate hides a third party from new documents; the documents that
// name it keep it.
func (s *ThirdParties) Deactivate(ctx context.Context, id int64) error {
	return s.Store.SetThirdPartyActive(ctx, id, false)
}

// Activate makes a deactivated third party available again.
func (s *ThirdParties) Activate(ctx context.Context, id int64) error {
	return s.Store.SetThirdPartyActive(ctx, id, true)
}

// duplicateThirdParty gives a Conflict from the store the message of a
// repeated RFC.
func duplicateThirdParty(err error) error {
	if domain.KindOf(err) == domain.Conflict {
		return &FieldError{Field: "RFC", Err: domain.E(domain.Conflict, "save third party",
			"Ya existe un tercero con ese RFC en esta empresa; búsquelo en la lista y edítelo.", err)}
	}
	return err
}
