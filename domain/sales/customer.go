package sales

import (
	"net/mail"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// The generic RFCs of Anexo 20 (Guía de llenado, Receptor): sales to the
// general public and to foreign residents without a Mexican RFC.
const (
	RFCPublicoGeneral = "XAXX010101000"
	RFCExtranjero     = "XEXX010101000"
	// NombrePublicoGeneral is the Receptor Nombre SAT requires with XAXX010101000.
	NombrePublicoGeneral = "PUBLICO EN GENERAL"
	// RegimenSinObligaciones is "616 Sin obligaciones fiscales", the régimen
	// of both generic RFCs.
	RegimenSinObligaciones = "616"
	// UsoSinEfectos is UsoCFDI "S01 Sin efectos fiscales".
	UsoSinEfectos = "S01"
)

// Customer is someone Folio invoices. RFC, Name, RegimenFiscal and
// CodigoPostal are what SAT checks against its register (CFDI 4.0 requires
// the exact name and fiscal address). Rates are fractions (0.106667 = two
// thirds of IVA), never percentages.
type Customer struct {
	ID            int64
	RFC           string
	Name          string // exact name as in the Constancia de Situación Fiscal
	RegimenFiscal string // c_RegimenFiscal
	CodigoPostal  string // DomicilioFiscalReceptor, c_CodigoPostal
	UsoCFDI       string // default UsoCFDI, allowed for RegimenFiscal
	FormaPago     string // default c_FormaPago, "" for none
	MetodoPago    string // default PUE or PPD, "" for none
	Emails        []string
	CreditDays    int             // 0 = cash sales only
	CreditLimit   decimal.Decimal // 0 = no limit
	RetencionIVA  decimal.Decimal // IVA rate this customer withholds, e.g. 0.106667
	RetencionISR  decimal.Decimal // ISR rate this customer withholds, e.g. 0.10
	Pais          string          // ResidenciaFiscal (c_Pais) for foreign customers
	NumRegIdTrib  string          // foreign tax id, for foreign customers
	Notes         string
	Active        bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PublicoGeneral returns the customer "público en general": XAXX010101000,
// PUBLICO EN GENERAL, régimen 616, UsoCFDI S01, cash only.
func PublicoGeneral() Customer {
	return Customer{
		RFC:           RFCPublicoGeneral,
		Name:          NombrePublicoGeneral,
		RegimenFiscal: RegimenSinObligaciones,
		UsoCFDI:       UsoSinEfectos,
		MetodoPago:    "PUE",
		Active:        true,
	}
}

// IsPublicoGeneral reports whether c is the generic national customer.
func (c *Customer) IsPublicoGeneral() bool { return c.RFC == RFCPublicoGeneral }

// IsForeign reports whether c is a foreign resident with the generic RFC.
func (c *Customer) IsForeign() bool { return c.RFC == RFCExtranjero }

// IsGeneric reports whether c uses one of SAT's generic RFCs.
func (c *Customer) IsGeneric() bool { return c.IsPublicoGeneral() || c.IsForeign() }

// PersonaMoral reports whether the RFC is a legal entity's (12 characters).
func (c *Customer) PersonaMoral() bool { return len(c.RFC) == 12 }

// AllowsCredit reports whether credit sales (PPD) may be made to c: never to
// the general public, and only when CreditDays is positive.
func (c *Customer) AllowsCredit() bool { return !c.IsPublicoGeneral() && c.CreditDays > 0 }

// Normalize trims spaces and upper-cases the fields SAT compares in upper case.
func (c *Customer) Normalize() {
	c.RFC = strings.ToUpper(strings.TrimSpace(c.RFC))
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.RegimenFiscal = strings.TrimSpace(c.RegimenFiscal)
	c.CodigoPostal = strings.TrimSpace(c.CodigoPostal)
	c.UsoCFDI = strings.ToUpper(strings.TrimSpace(c.UsoCFDI))
	c.FormaPago = strings.TrimSpace(c.FormaPago)
	c.MetodoPago = strings.ToUpper(strings.TrimSpace(c.MetodoPago))
	c.Pais = strings.ToUpper(strings.TrimSpace(c.Pais))
	c.NumRegIdTrib = strings.TrimSpace(c.NumRegIdTrib)
	emails := c.Emails[:0:0]
	for _, e := range c.Emails {
		if e = strings.TrimSpace(e); e != "" {
			emails = append(emails, e)
		}
	}
	c.Emails = emails
}

// Validate checks c against the SAT rules for a Receptor (Anexo 20 v4.0,
// Guía de llenado, Receptor) and Folio's own rules. It reports every problem
// at once, as FieldErrors of kind Invalid joined with errors.Join.
func (c *Customer) Validate(cat Catalogs) error {
	p := &problems{op: "validate customer"}
	_, rfcErr := sat.ClassifyRFC(c.RFC)
	if rfcErr != nil {
		p.add("RFC", "El RFC no es válido: debe tener 12 caracteres (persona moral) o 13 (persona física).")
	}
	if c.Name == "" {
		p.add("Name", "Escriba el nombre o razón social, exactamente como en la constancia de situación fiscal.")
	} else if len([]rune(c.Name)) > 254 {
		p.add("Name", "El nombre no puede tener más de 254 caracteres.")
	}
	switch {
	case c.IsPublicoGeneral():
		if c.Name != NombrePublicoGeneral {
			p.add("Name", "Con el RFC XAXX010101000 el nombre debe ser «PUBLICO EN GENERAL».")
		}
		if c.RegimenFiscal != RegimenSinObligaciones {
			p.add("RegimenFiscal", "Con el RFC XAXX010101000 el régimen debe ser 616 (Sin obligaciones fiscales).")
		}
		if c.UsoCFDI != UsoSinEfectos {
			p.add("UsoCFDI", "Con el RFC XAXX010101000 el uso del CFDI debe ser S01 (Sin efectos fiscales).")
		}
		if c.CreditDays != 0 {
			p.add("CreditDays", "No se puede dar crédito al público en general.")
		}
	case c.IsForeign():
		if c.RegimenFiscal != RegimenSinObligaciones {
			p.add("RegimenFiscal", "Con el RFC XEXX010101000 el régimen debe ser 616 (Sin obligaciones fiscales).")
		}
		if c.Pais == "" || c.Pais == "MEX" || !cat.PaisExists(c.Pais) {
			p.add("Pais", "Indique el país de residencia fiscal del cliente extranjero (distinto de México).")
		}
		if c.NumRegIdTrib == "" {
			p.add("NumRegIdTrib", "Indique el número de registro tributario del cliente extranjero.")
		}
	default:
		if !cat.RegimenExists(c.RegimenFiscal) {
			p.add("RegimenFiscal", "Elija un régimen fiscal del catálogo del SAT.")
		} else if rfcErr == nil && !cat.RegimenAllowed(c.RegimenFiscal, c.PersonaMoral()) {
			if c.PersonaMoral() {
				p.add("RegimenFiscal", "Ese régimen no aplica a personas morales.")
			} else {
				p.add("RegimenFiscal", "Ese régimen no aplica a personas físicas.")
			}
		}
		if c.Pais != "" || c.NumRegIdTrib != "" {
			p.add("Pais", "El país y el registro tributario extranjero solo se usan con el RFC XEXX010101000.")
		}
	}
	if !c.IsGeneric() || c.CodigoPostal != "" {
		if !cat.CodigoPostalExists(c.CodigoPostal) {
			p.add("CodigoPostal", "El código postal no existe en el catálogo del SAT.")
		}
	}
	if c.UsoCFDI == "" {
		p.add("UsoCFDI", "Elija el uso del CFDI que el cliente da a sus facturas.")
	} else if !cat.UsoCFDIAllowed(c.UsoCFDI, c.RegimenFiscal) {
		p.add("UsoCFDI", "Ese uso del CFDI no corresponde al régimen fiscal del cliente.")
	}
	if c.FormaPago != "" && !cat.FormaPagoExists(c.FormaPago) {
		p.add("FormaPago", "Elija una forma de pago del catálogo del SAT.")
	}
	if c.MetodoPago != "" && c.MetodoPago != "PUE" && c.MetodoPago != "PPD" {
		p.add("MetodoPago", "El método de pago debe ser PUE (una sola exhibición) o PPD (parcialidades o diferido).")
	}
	if c.MetodoPago == "PPD" && !c.AllowsCredit() {
		p.add("MetodoPago", "Para vender en parcialidades o diferido (PPD) el cliente necesita días de crédito.")
	}
	for _, e := range c.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			p.add("Emails", "La dirección de correo «"+e+"» no es válida.")
		}
	}
	if c.CreditDays < 0 || c.CreditDays > 3650 {
		p.add("CreditDays", "Los días de crédito deben estar entre 0 y 3650.")
	}
	if c.CreditLimit.IsNegative() || !maxPlaces(c.CreditLimit, 2) {
		p.add("CreditLimit", "El límite de crédito debe ser un importe positivo con máximo dos decimales.")
	}
	if !rateOK(c.RetencionIVA) || c.RetencionIVA.GreaterThan(decimal.RequireFromString("0.16")) {
		p.add("RetencionIVA", "La retención de IVA debe ser una tasa entre 0 y 0.16 con máximo seis decimales.")
	}
	if !rateOK(c.RetencionISR) || c.RetencionISR.GreaterThan(decimal.RequireFromString("0.35")) {
		p.add("RetencionISR", "La retención de ISR debe ser una tasa entre 0 y 0.35 con máximo seis decimales.")
	}
	return p.err()
}
