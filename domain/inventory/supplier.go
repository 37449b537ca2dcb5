package inventory

import (
	"context"
	"errors"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// Supplier is one of a company's suppliers: the catalog starts from the
// issuers of the CFDI it receives and is completed by hand.
type Supplier struct {
	ID           int64
	Issuer       string // RFC of the company
	RFC          string
	Name         string
	Regimen      string // c_RegimenFiscal
	CodigoPostal string
	Contact      string
	Email        string
	Phone        string
	CreditDays   int
	Active       bool
}

// SupplierRules is the SAT catalog a supplier is checked against.
type SupplierRules interface {
	RegimenExists(key string) bool
}

// Normalize trims and upper-cases what SAT compares in upper case.
func (s *Supplier) Normalize() {
	s.RFC = strings.ToUpper(strings.TrimSpace(s.RFC))
	s.Name = strings.Join(strings.Fields(s.Name), " ")
	s.Regimen = strings.TrimSpace(s.Regimen)
	s.CodigoPostal = strings.TrimSpace(s.CodigoPostal)
	s.Contact = strings.TrimSpace(s.Contact)
	s.Email = strings.TrimSpace(s.Email)
	s.Phone = strings.TrimSpace(s.Phone)
}

// Validate reports every problem of s (Invalid, Spanish).
func (s *Supplier) Validate(rules SupplierRules) error {
	const op = "validate supplier"
	var errs []error
	bad := func(msg string) { errs = append(errs, domain.E(domain.Invalid, op, msg, nil)) }
	if _, err := sat.ClassifyRFC(s.RFC); err != nil {
		bad("El RFC del proveedor no es válido: debe tener 12 caracteres (persona moral) o 13 (persona física).")
	}
	if s.Name == "" {
		bad("Escriba el nombre o razón social del proveedor.")
	}
	if s.Regimen != "" && rules != nil && !rules.RegimenExists(s.Regimen) {
		bad("Elija un régimen fiscal del catálogo del SAT.")
	}
	if s.CodigoPostal != "" && (len(s.CodigoPostal) != 5 || strings.Trim(s.CodigoPostal, "0123456789") != "") {
		bad("El código postal tiene cinco dígitos.")
	}
	if s.CreditDays < 0 || s.CreditDays > 365 {
		bad("Los días de crédito van de 0 a 365.")
	}
	if s.Email != "" && !strings.Contains(s.Email, "@") {
		bad("El correo del proveedor no parece una dirección de correo.")
	}
	return errors.Join(errs...)
}

// SupplierStore keeps the suppliers catalog.
type SupplierStore interface {
	SupplierCatalog(ctx context.Context, issuer string) ([]Supplier, error)
	SaveSupplier(ctx context.Context, s *Supplier) error
}

// SaveSupplier normalises, validates and stores a supplier of s.Suppliers.
func (s *Service) SaveSupplier(ctx context.Context, p *Supplier) error {
	if s.Suppliers == nil {
		return domain.E(domain.Internal, "save supplier", "Este almacén no guarda proveedores.", nil)
	}
	p.Normalize()
	if err := p.Validate(s.Rules); err != nil {
		return err
	}
	return s.Suppliers.SaveSupplier(ctx, p)
}
