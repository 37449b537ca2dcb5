package sales

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-mx/folio/domain/sat"
)

// Company is a business that issues invoices with Folio (the CFDI Emisor).
// A database may hold several; one is active at a time.
type Company struct {
	ID              int64
	RFC             string // Emisor Rfc
	Nombre          string // Emisor Nombre, as in the constancia de situación fiscal
	RegimenFiscal   string // Emisor RegimenFiscal (c_RegimenFiscal)
	LugarExpedicion string // código postal of the place of issue (c_CodigoPostal)
	Demo            bool   // the demo company, stamped by the local PAC simulator
	CreatedAt       time.Time
}

// CompanyCatalogs is what Company.Validate consults; *sat.Catalogs
// satisfies it.
type CompanyCatalogs interface {
	CodigoPostalExists(cp string) bool
	RegimenExists(regimen string) bool
	RegimenAllowed(regimen string, personaMoral bool) bool
}

// The demo company is SAT's test taxpayer whose CSD ships in assets.
const (
	DemoRFC    = "EKU9003173C9"
	demoNombre = "ESCUELA KEMPER URGATE"
)

// DemoCompany returns the demo company: SAT's test RFC EKU9003173C9
// (ESCUELA KEMPER URGATE), régimen 601 General de Ley Personas Morales,
// expedition postal code 42501 (Hidalgo). Its CSD is assets.DemoCertificate.
func DemoCompany() *Company {
	return &Company{
		RFC:             DemoRFC,
		Nombre:          demoNombre,
		RegimenFiscal:   "601",
		LugarExpedicion: "42501",
		Demo:            true,
	}
}

// Normalize trims the fields and upper-cases the RFC.
func (c *Company) Normalize() {
	c.RFC = strings.ToUpper(strings.TrimSpace(c.RFC))
	c.Nombre = strings.TrimSpace(c.Nombre)
	c.RegimenFiscal = strings.TrimSpace(c.RegimenFiscal)
	c.LugarExpedicion = strings.TrimSpace(c.LugarExpedicion)
}

// Validate checks c against the rules for an Emisor (Anexo 20 v4.0, Guía de
// llenado, Emisor; and LugarExpedicion of the Comprobante). It reports every
// problem at once, as FieldErrors of kind Invalid joined with errors.Join
// (fields "RFC", "Nombre", "RegimenFiscal", "LugarExpedicion").
func (c *Company) Validate(cat CompanyCatalogs) error {
	p := &problems{op: "validate company"}
	kind, err := sat.ClassifyRFC(c.RFC)
	switch {
	case err != nil:
		p.add("RFC", "El RFC de la empresa no es válido: debe tener 12 caracteres (persona moral) o 13 (persona física), en mayúsculas.")
	case kind == sat.RFCGenericoNacional || kind == sat.RFCGenericoExtranjero:
		p.add("RFC", "Un RFC genérico (XAXX010101000 o XEXX010101000) no puede emitir facturas; escriba el RFC de la empresa.")
	}
	switch n := utf8.RuneCountInString(c.Nombre); {
	case strings.TrimSpace(c.Nombre) == "":
		p.add("Nombre", "Escriba el nombre o razón social, exactamente como en la constancia de situación fiscal.")
	case n > 254:
		p.add("Nombre", "El nombre no puede tener más de 254 caracteres.")
	case strings.Contains(c.Nombre, "|"):
		p.add("Nombre", "El nombre no puede contener el carácter «|».")
	}
	switch {
	case c.RegimenFiscal == "" || !cat.RegimenExists(c.RegimenFiscal):
		p.add("RegimenFiscal", "Elija el régimen fiscal de la empresa del catálogo del SAT.")
	case err == nil && (kind == sat.RFCMoral || kind == sat.RFCFisica) && !cat.RegimenAllowed(c.RegimenFiscal, kind == sat.RFCMoral):
		if kind == sat.RFCMoral {
			p.add("RegimenFiscal", "Ese régimen fiscal no aplica a personas morales (RFC de 12 caracteres).")
		} else {
			p.add("RegimenFiscal", "Ese régimen fiscal no aplica a personas físicas (RFC de 13 caracteres).")
		}
	}
	if !cat.CodigoPostalExists(c.LugarExpedicion) {
		p.add("LugarExpedicion", "El código postal del lugar de expedición no existe en el catálogo del SAT; escriba los cinco dígitos.")
	}
	return p.err()
}
