package received

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Concordancia: an invoice of Folio made from an external CFDI. The draft
// takes the XML's date, customer (by Receptor RFC, or the generic one),
// currency, rate and each concepto's quantity, price and description; each
// concepto is mapped to a product of the catalog, whose taxes are computed
// again with sales.Compute (the computation the CFDI uses), and the report
// compares the draft with the XML. A remembered mapping (description →
// product, per customer) is offered first the next time.

// Mapping is one remembered description → product of a customer, with how
// many times it was confirmed.
type Mapping struct {
	Description   string // normalised (NormalizeDescription)
	ProductID     int64
	Confirmations int
	LastUsed      time.Time
}

// NormalizeDescription is the key of the memory: the description's words,
// accent- and case-insensitive, single-spaced.
func NormalizeDescription(s string) string { return strings.Join(sat.Words(s), " ") }

// ConceptLine is one concepto of the XML and the product chosen for it.
type ConceptLine struct {
	Concepto  cfdi.Concepto
	Key       string    // NormalizeDescription(Concepto.Descripcion)
	ProductID int64     // 0 while none is chosen
	Product   string    // the chosen product's code and description, for the screen
	Suggested []Mapping // the customer's remembered products for Key, most confirmed first
}

// Finding is one line of the reconciliation report.
type Finding struct {
	Error bool // blocks Aceptar; otherwise a warning
	Line  int  // the concepto (1-based); 0 the whole document
	Msg   string
}

// Concordance is the reconciliation of an external CFDI with a draft.
type Concordance struct {
	Doc         Doc
	Comprobante *cfdi.Comprobante
	Lines       []ConceptLine
	Invoice     sales.Invoice // the draft, with every line (unmapped ones without taxes)
	Totals      sales.Totals  // of the mapped lines
	Report      []Finding
}

const opConcordance = "received.Concordance"

// Blocked reports whether an ERROR of the report forbids accepting.
func (c *Concordance) Blocked() bool {
	for _, f := range c.Report {
		if f.Error {
			return true
		}
	}
	return false
}

// NewConcordance starts the reconciliation of d (with its XML) for
// customer (the one whose RFC is the Receptor's, or the generic customer):
// each line takes the product most confirmed for its description in
// memory. Refused (Invalid, Spanish reason): a historical or unreadable
// document, one not of type Ingreso, and one with discounts (not supported
// yet).
func NewConcordance(d Doc, customer sales.Customer, memory []Mapping) (*Concordance, error) {
	if d.Historical {
		return nil, domain.E(domain.Invalid, opConcordance, "La concordancia se hace con CFDI 4.0; este comprobante es "+d.Version+".", nil)
	}
	c, err := cfdi.Parse(d.XML)
	if err != nil {
		return nil, domain.E(domain.Invalid, opConcordance, "No se pudo leer el CFDI: "+domain.UserMessage(err), err)
	}
	if c.TipoDeComprobante != "I" {
		return nil, domain.E(domain.Invalid, opConcordance, "Solo se crea una factura desde un CFDI de tipo Ingreso; este es «"+c.TipoDeComprobante+"».", nil)
	}
	if hasDiscount(c) {
		return nil, domain.E(domain.Invalid, opConcordance, "Este CFDI tiene descuentos: la concordancia todavía no los maneja. Capture la factura en Facturas.", nil)
	}
	byKey := map[string][]Mapping{}
	for _, m := range memory {
		byKey[m.Description] = append(byKey[m.Description], m)
	}
	for k := range byKey {
		ms := byKey[k]
		sort.SliceStable(ms, func(i, j int) bool {
			if ms[i].Confirmations != ms[j].Confirmations {
				return ms[i].Confirmations > ms[j].Confirmations
			}
			return ms[i].LastUsed.After(ms[j].LastUsed)
		})
	}
	con := &Concordance{Doc: d, Comprobante: c}
	for _, k := range c.Conceptos {
		l := ConceptLine{Concepto: k, Key: NormalizeDescription(k.Descripcion)}
		l.Suggested = byKey[l.Key]
		if len(l.Suggested) > 0 {
			l.ProductID = l.Suggested[0].ProductID
		}
		con.Lines = append(con.Lines, l)
	}
	fecha, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity)
	if err != nil {
		return nil, domain.E(domain.Invalid, opConcordance, "La fecha del CFDI no se puede leer.", err)
	}
	inv := sales.Invoice{Issuer: d.Issuer, State: sales.StateDraft, Status: sales.StatusDraft,
		TipoDeComprobante: sales.TipoIngreso, Fecha: fecha, CustomerID: customer.ID, Customer: customer,
		UsoCFDI: c.Receptor.UsoCFDI, FormaPago: c.FormaPago, Moneda: c.Moneda, CondicionesDePago: c.CondicionesDePago,
		Terms: sales.Contado, Notes: "Creada desde el CFDI externo " + d.UUID}
	if c.MetodoPago == "PPD" {
		inv.Terms = sales.Credito
	}
	if c.TipoCambio != "" {
		if inv.TipoCambio, err = decimal.NewFromString(c.TipoCambio); err != nil {
			return nil, domain.E(domain.Invalid, opConcordance, "El tipo de cambio del CFDI no se puede leer.", err)
		}
	}
	con.Invoice = inv
	return con, nil
}

func hasDiscount(c *cfdi.Comprobante) bool {
	nonZero := func(s string) bool {
		v, err := decimal.NewFromString(strings.TrimSpace(s))
		return err == nil && !v.IsZero()
	}
	if nonZero(c.Descuento) {
		return true
	}
	for _, k := range c.Conceptos {
		if nonZero(k.Descuento) {
			return true
		}
	}
	return false
}

// Refresh builds the draft's lines from the XML and the chosen products
// (product returns one by id; false when it is gone), computes the mapped
// lines with sales.Compute for decimals and redoes the report. A line's
// quantity, price, description and SAT keys are the XML's; its taxes and
// ObjetoImp are its product's.
func (c *Concordance) Refresh(product func(id int64) (sales.Product, bool), decimals int32) error {
	c.Invoice.Lines = c.Invoice.Lines[:0]
	mapped := c.Invoice
	mapped.Lines = nil
	var report []Finding
	for i := range c.Lines {
		l := &c.Lines[i]
		k := l.Concepto
		qty, err1 := decimal.NewFromString(k.Cantidad)
		price, err2 := decimal.NewFromString(k.ValorUnitario)
		if err1 != nil || err2 != nil {
			return domain.Errorf(domain.Invalid, opConcordance, "El concepto %d tiene cantidad o precio ilegibles.", i+1)
		}
		line := sales.Line{NoIdentificacion: k.NoIdentificacion, Cantidad: qty, ClaveUnidad: k.ClaveUnidad, Unidad: k.Unidad,
			ClaveProdServ: k.ClaveProdServ, Descripcion: k.Descripcion, ValorUnitario: price, ObjetoImp: "01"}
		p, ok := sales.Product{}, false
		if l.ProductID != 0 {
			p, ok = product(l.ProductID)
		}
		if !ok {
			l.ProductID, l.Product = 0, ""
			report = append(report, Finding{Error: true, Line: i + 1,
				Msg: fmt.Sprintf("Concepto %d «%s»: no tiene producto; elija uno del catálogo.", i+1, k.Descripcion)})
			c.Invoice.Lines = append(c.Invoice.Lines, line)
			continue
		}
		l.Product = strings.TrimSpace(p.Code + " " + p.Description)
		line.ProductID, line.ObjetoImp, line.Taxes = p.ID, p.ObjetoImp, p.Taxes
		c.Invoice.Lines = append(c.Invoice.Lines, line)
		mapped.Lines = append(mapped.Lines, line)
	}
	t, err := sales.Compute(&mapped, decimals)
	if err != nil {
		return err
	}
	c.Totals = t
	c.Invoice.Total = t.Total
	x := c.Comprobante
	if xt, err := decimal.NewFromString(x.Total); err != nil || !xt.Equal(t.Total) {
		report = append(report, Finding{Error: true, Msg: fmt.Sprintf("Total — DOC: %s XML: %s", t.Total.StringFixed(decimals), x.Total)})
	}
	report = append(report, c.taxFindings(t, decimals)...)
	c.Report = report
	return nil
}

// taxFindings are the warnings about taxes: a tax of the XML with no
// counterpart in the draft (by tax, factor and rate), and the counts and
// totals of IVA compared.
func (c *Concordance) taxFindings(t sales.Totals, decimals int32) []Finding {
	var out []Finding
	x := c.Comprobante
	rate := func(s string) decimal.Decimal { v, _ := decimal.NewFromString(s); return v }
	has := func(xs []sales.TaxAmount, imp, factor string, tasa decimal.Decimal) bool {
		for _, a := range xs {
			if a.Impuesto == imp && a.TipoFactor == factor && (factor == "Exento" || a.TasaOCuota.Equal(tasa)) {
				return true
			}
		}
		return false
	}
	if x.Impuestos != nil {
		for _, tr := range x.Impuestos.Traslados {
			if !has(t.Traslados, tr.Impuesto, tr.TipoFactor, rate(tr.TasaOCuota)) {
				out = append(out, Finding{Msg: fmt.Sprintf("el XML trae un traslado de %s %s %s (importe %s) que el documento no tiene.",
					taxName(tr.Impuesto), tr.TipoFactor, tr.TasaOCuota, orZero(tr.Importe))})
			}
		}
		for _, r := range x.Impuestos.Retenciones {
			found := false
			for _, a := range t.Retenciones {
				found = found || a.Impuesto == r.Impuesto
			}
			if !found {
				out = append(out, Finding{Msg: fmt.Sprintf("el XML trae una retención de %s (importe %s) que el documento no tiene.",
					taxName(r.Impuesto), r.Importe)})
			}
		}
	}
	// IVA: how many concepts carry it and how much, in the XML and the draft.
	xmlCount, xmlIVA := 0, decimal.Zero
	for _, k := range x.Conceptos {
		if k.Impuestos == nil {
			continue
		}
		counted := false
		for _, tr := range k.Impuestos.Traslados {
			if tr.Impuesto == "002" {
				if !counted {
					xmlCount, counted = xmlCount+1, true
				}
			}
		}
	}
	if x.Impuestos != nil {
		for _, tr := range x.Impuestos.Traslados {
			if tr.Impuesto == "002" {
				xmlIVA = xmlIVA.Add(rate(tr.Importe))
			}
		}
	}
	docCount, docIVA := 0, decimal.Zero
	for _, l := range c.Invoice.Lines {
		if l.ProductID != 0 && l.ObjetoImp == "02" {
			docCount++
		}
	}
	for _, a := range t.Traslados {
		if a.Impuesto == "002" {
			docIVA = docIVA.Add(a.Importe)
		}
	}
	if docCount != xmlCount || !docIVA.Equal(xmlIVA) {
		out = append(out, Finding{Msg: fmt.Sprintf("IVA — DOC: %d conceptos, %s; XML: %d conceptos, %s.",
			docCount, docIVA.StringFixed(decimals), xmlCount, xmlIVA.StringFixed(decimals))})
	}
	return out
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func taxName(code string) string {
	switch code {
	case "001":
		return "ISR"
	case "002":
		return "IVA"
	case "003":
		return "IEPS"
	}
	return code
}

// Accepted returns the mappings to remember once the user accepts: one per
// line, description → product (the store adds one confirmation to each).
// Refused while the report has an ERROR.
func (c *Concordance) Accepted() ([]Mapping, error) {
	if c.Blocked() {
		return nil, domain.E(domain.Invalid, opConcordance, "El reporte tiene errores: corríjalos (elija el producto de cada concepto y pulse «Actualizar») antes de aceptar.", nil)
	}
	seen := map[string]bool{}
	var out []Mapping
	for _, l := range c.Lines {
		k := fmt.Sprint(l.Key, "\x00", l.ProductID)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Mapping{Description: l.Key, ProductID: l.ProductID})
	}
	return out, nil
}
