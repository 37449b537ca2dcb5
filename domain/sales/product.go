package sales

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// IEPS factor kinds (c_TipoFactor) a product or line may carry.
const (
	FactorTasa  = "Tasa"
	FactorCuota = "Cuota"
)

// ObjetoImpSi is c_ObjetoImp "02 Sí objeto de impuesto": the only key whose
// concepts carry an Impuestos node (Anexo 20 v4.0, Guía de llenado, Concepto).
const ObjetoImpSi = "02"

// Taxes describes the taxes of a product or of an invoice line. Rates are
// fractions with up to six decimals (c_TasaOCuota); an IEPS Cuota is an
// amount per unit. Zero withholding rates mean no withholding.
type Taxes struct {
	IVAExento  bool            // IVA "Exento": no IVA rate, TipoFactor Exento
	IVATasa    decimal.Decimal // 0.16, 0.08 or 0 when not exento
	IEPSFactor string          // "", FactorTasa or FactorCuota
	IEPSValor  decimal.Decimal // the IEPS rate or cuota
	RetIVA     decimal.Decimal // IVA withheld, e.g. 0.106667
	RetISR     decimal.Decimal // ISR withheld, e.g. 0.10
}

// IsZero reports whether t carries no tax at all: not exento, IVA rate 0, no
// IEPS and no withholding. Concepts whose ObjetoImp is not "02" must have no
// taxes.
func (t Taxes) IsZero() bool {
	return !t.IVAExento && t.IVATasa.IsZero() && t.IEPSFactor == "" && t.RetIVA.IsZero() && t.RetISR.IsZero()
}

// equal reports whether t and u are the same taxes.
func (t Taxes) equal(u Taxes) bool {
	return t.IVAExento == u.IVAExento && t.IVATasa.Equal(u.IVATasa) && t.IEPSFactor == u.IEPSFactor &&
		t.IEPSValor.Equal(u.IEPSValor) && t.RetIVA.Equal(u.RetIVA) && t.RetISR.Equal(u.RetISR)
}

// validate adds the problems of t to p, naming fields under prefix. Rates
// must be allowed by c_TasaOCuota for their tax and factor.
func (t Taxes) validate(p *problems, cat Catalogs, prefix string) {
	allowed := func(field, impuesto, factor string, v decimal.Decimal, ret bool, msg string) {
		if !cat.TasaOCuotaAllowed(impuesto, factor, v.StringFixed(6), ret) {
			p.add(prefix+field, msg)
		}
	}
	if !t.IVAExento && (!rateOK(t.IVATasa) || !cat.TasaOCuotaAllowed(ImpuestoIVA, FactorTasa, t.IVATasa.StringFixed(6), false)) {
		p.add(prefix+"IVATasa", "La tasa de IVA debe ser 0.16, 0.08 o 0.")
	}
	if t.IVAExento && !t.IVATasa.IsZero() {
		p.add(prefix+"IVATasa", "Un concepto exento de IVA no lleva tasa de IVA.")
	}
	switch t.IEPSFactor {
	case "":
		if !t.IEPSValor.IsZero() {
			p.add(prefix+"IEPSFactor", "Indique si el IEPS es tasa o cuota.")
		}
	case FactorTasa:
		if !t.IEPSValor.IsPositive() || !maxPlaces(t.IEPSValor, 6) {
			p.add(prefix+"IEPSValor", "La tasa de IEPS debe ser mayor que 0, con máximo seis decimales.")
		} else {
			allowed("IEPSValor", ImpuestoIEPS, FactorTasa, t.IEPSValor, false, "Esa tasa de IEPS no está en el catálogo del SAT.")
		}
	case FactorCuota:
		if !t.IEPSValor.IsPositive() || !maxPlaces(t.IEPSValor, 6) {
			p.add(prefix+"IEPSValor", "La cuota de IEPS debe ser un importe positivo con máximo seis decimales.")
		} else {
			allowed("IEPSValor", ImpuestoIEPS, FactorCuota, t.IEPSValor, false, "Esa cuota de IEPS no está en el catálogo del SAT.")
		}
	default:
		p.add(prefix+"IEPSFactor", "El IEPS solo puede ser tasa o cuota.")
	}
	if !rateOK(t.RetIVA) || t.RetIVA.GreaterThan(decimal.RequireFromString("0.16")) {
		p.add(prefix+"RetIVA", "La retención de IVA debe ser una tasa entre 0 y 0.16 con máximo seis decimales.")
	} else if t.RetIVA.IsPositive() {
		allowed("RetIVA", ImpuestoIVA, FactorTasa, t.RetIVA, true, "Esa tasa de retención de IVA no está en el catálogo del SAT.")
	}
	if !rateOK(t.RetISR) || t.RetISR.GreaterThan(decimal.RequireFromString("0.35")) {
		p.add(prefix+"RetISR", "La retención de ISR debe ser una tasa entre 0 y 0.35 con máximo seis decimales.")
	} else if t.RetISR.IsPositive() {
		allowed("RetISR", ImpuestoISR, FactorTasa, t.RetISR, true, "Esa tasa de retención de ISR no está en el catálogo del SAT.")
	}
}

// Product is a good or service Folio sells, with the SAT keys and the taxes
// that new invoice lines copy from it. Price has up to six decimals.
type Product struct {
	ID            int64
	Code          string // the business's own code (NoIdentificacion), unique
	Description   string
	Unit          string // Unidad, free text ("Pieza", "Servicio")
	ClaveProdServ string // c_ClaveProdServ
	ClaveUnidad   string // c_ClaveUnidad
	Price         decimal.Decimal
	Taxes         Taxes
	ObjetoImp     string // c_ObjetoImp; only "02" carries Taxes
	TrackStock    bool
	// SellWithoutStock lets posting leave its stock below zero (only
	// meaningful with TrackStock); MinStock is the quantity below which
	// the stock screen lists it as short.
	SellWithoutStock bool
	MinStock         decimal.Decimal
	Active           bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Normalize trims spaces of the text fields.
func (p *Product) Normalize() {
	p.Code = strings.TrimSpace(p.Code)
	p.Description = strings.Join(strings.Fields(p.Description), " ")
	p.Unit = strings.TrimSpace(p.Unit)
	p.ClaveProdServ = strings.TrimSpace(p.ClaveProdServ)
	p.ClaveUnidad = strings.ToUpper(strings.TrimSpace(p.ClaveUnidad))
	p.ObjetoImp = strings.TrimSpace(p.ObjetoImp)
}

// Validate checks the product: SAT keys exist, price and rates have the
// allowed precision, and ObjetoImp agrees with the taxes (Anexo 20,
// c_ObjetoImp: "02" needs at least one tax; "01" allows none). Every problem
// is reported, as FieldErrors of kind Invalid.
func (p *Product) Validate(cat Catalogs) error {
	pr := &problems{op: "validate product"}
	if p.Code == "" || len(p.Code) > 100 {
		pr.add("Code", "Escriba un código de producto de hasta 100 caracteres.")
	}
	if p.Description == "" || len([]rune(p.Description)) > 1000 {
		pr.add("Description", "Escriba una descripción de hasta 1000 caracteres.")
	}
	if !cat.ClaveProdServExists(p.ClaveProdServ) {
		pr.add("ClaveProdServ", "La clave de producto o servicio no existe en el catálogo del SAT.")
	}
	if !cat.ClaveUnidadExists(p.ClaveUnidad) {
		pr.add("ClaveUnidad", "La clave de unidad no existe en el catálogo del SAT.")
	}
	if p.MinStock.IsNegative() || !maxPlaces(p.MinStock, 6) {
		pr.add("MinStock", "La existencia mínima debe ser cero o más, con máximo seis decimales.")
	}
	if p.Price.IsNegative() || !maxPlaces(p.Price, 6) {
		pr.add("Price", "El precio debe ser un importe positivo con máximo seis decimales.")
	}
	checkObjetoImp(pr, cat, "", p.ObjetoImp, p.Taxes)
	p.Taxes.validate(pr, cat, "Taxes.")
	return pr.err()
}

// checkObjetoImp adds the ObjetoImp problems of a product or line.
func checkObjetoImp(p *problems, cat Catalogs, prefix, objetoImp string, t Taxes) {
	switch {
	case !cat.ObjetoImpExists(objetoImp):
		p.add(prefix+"ObjetoImp", "Elija si el concepto es objeto de impuesto (catálogo c_ObjetoImp).")
	case objetoImp != ObjetoImpSi && !t.IsZero():
		p.add(prefix+"ObjetoImp", "Solo un concepto «Sí objeto de impuesto» (02) puede llevar impuestos desglosados.")
	}
}
