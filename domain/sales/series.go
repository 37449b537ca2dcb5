package sales

import (
	"strings"

	"github.com/folio-mx/folio/domain"
)

// Document types (c_TipoDeComprobante) that take a series.
const (
	TipoIngreso = "I"
	TipoEgreso  = "E"
	TipoPago    = "P"
)

// MaxFolioJump bounds how far an administrator may move the numbering ahead
// in one post; every skipped number is recorded as voided.
const MaxFolioJump = 10000

// Series is a numbering sequence of one issuer for one document type. Folios
// are assigned when a document is posted, in the posting transaction, so the
// sequence has no duplicates and no gaps except recorded voided numbers.
type Series struct {
	ID                int64
	Issuer            string // RFC of the Emisor
	Serie             string // Anexo 20: 1 to 25 characters, no "|"
	TipoDeComprobante string // TipoIngreso, TipoEgreso or TipoPago
	NextFolio         int64  // the number the next post proposes
	Active            bool
}

// Normalize trims and upper-cases the series name and type.
func (s *Series) Normalize() {
	s.Serie = strings.ToUpper(strings.TrimSpace(s.Serie))
	s.TipoDeComprobante = strings.ToUpper(strings.TrimSpace(s.TipoDeComprobante))
	s.Issuer = strings.ToUpper(strings.TrimSpace(s.Issuer))
}

// Validate checks the series against Anexo 20 (Serie: 1–25 characters
// without "|") and Folio's rules.
func (s *Series) Validate() error {
	p := &problems{op: "validate series"}
	if n := len([]rune(s.Serie)); n == 0 || n > 25 || strings.ContainsAny(s.Serie, "|") {
		p.add("Serie", "La serie debe tener de 1 a 25 caracteres y no contener «|».")
	}
	switch s.TipoDeComprobante {
	case TipoIngreso, TipoEgreso, TipoPago:
	default:
		p.add("TipoDeComprobante", "La serie debe ser de ingresos (I), egresos (E) o pagos (P).")
	}
	if s.Issuer == "" {
		p.add("Issuer", "Falta el RFC del emisor de la serie.")
	}
	if s.NextFolio < 1 {
		p.add("NextFolio", "El siguiente folio debe ser 1 o mayor.")
	}
	return p.err()
}

// PostOptions are the caller's choices when posting a document.
// OverrideFolio replaces the proposed number; it is allowed only with the
// administrator's credential, which the domain verifies (Service.Post), not
// the screen.
type PostOptions struct {
	OverrideFolio *int64
	AdminPassword string
	// CreditOverrideReason, with AdminPassword, authorizes a credit (PPD)
	// sale that the credit check refuses (limit passed or balances past
	// due); the override is recorded with who (CreditOverrideBy, default
	// "administrador"), why and when.
	CreditOverrideReason string
	CreditOverrideBy     string
}

// FolioChoice is the result of applying PostOptions to a series.
type FolioChoice struct {
	Folio     int64   // the number the document takes
	NextFolio int64   // the series' next number afterwards
	Voided    []int64 // numbers skipped by the override, to record as voided
}

// CanNumber reports whether the series may number a document of type tipo:
// it must be active and of that type (a credit note's series is apart from
// the invoices').
func (s *Series) CanNumber(tipo string) error {
	const op = "take folio"
	if !s.Active {
		return domain.E(domain.Invalid, op, "La serie «"+s.Serie+"» está desactivada.", nil)
	}
	if s.TipoDeComprobante != tipo {
		return domain.E(domain.Invalid, op, "La serie «"+s.Serie+"» no es para este tipo de comprobante.", nil)
	}
	return nil
}

// ChooseFolio decides the folio of a post given the series' next number.
// Without override it is next and next+1 follows. An override needs an
// authorized (verified administrator) caller, Invalid otherwise; moving
// ahead voids the skipped numbers; an override below next reuses a number
// the store must prove unused (the folio register makes a clash a Conflict
// there).
func ChooseFolio(next int64, override *int64, authorized bool) (FolioChoice, error) {
	const op = "choose folio"
	if override == nil {
		return FolioChoice{Folio: next, NextFolio: next + 1}, nil
	}
	f := *override
	switch {
	case !authorized:
		return FolioChoice{}, domain.E(domain.Invalid, op, "Solo un administrador puede cambiar el folio propuesto.", nil)
	case f < 1:
		return FolioChoice{}, domain.E(domain.Invalid, op, "El folio debe ser 1 o mayor.", nil)
	case f-next > MaxFolioJump:
		return FolioChoice{}, domain.Errorf(domain.Invalid, op, "El folio no puede adelantarse más de %d números.", MaxFolioJump)
	case f < next:
		return FolioChoice{Folio: f, NextFolio: next}, nil
	}
	c := FolioChoice{Folio: f, NextFolio: f + 1}
	for n := next; n < f; n++ {
		c.Voided = append(c.Voided, n)
	}
	return c, nil
}
