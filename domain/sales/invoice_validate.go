package sales

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// ClaveProdServGlobal and ClaveUnidadGlobal are the keys every concept of a
// factura global must use (Anexo 20 v4.0, Guía de llenado, Apéndice 4:
// ClaveProdServ 01010101 "No existe en el catálogo", ClaveUnidad ACT).
const (
	ClaveProdServGlobal = "01010101"
	ClaveUnidadGlobal   = "ACT"
)

// ValidateDraft checks what a draft must respect to be saved: numbers that
// can be stored exactly and terms that are allowed at all. Missing data is
// fine in a draft; Validate catches it before posting.
func (inv *Invoice) ValidateDraft() error {
	p := &problems{op: "save draft invoice"}
	inv.checkShape(p)
	return p.err()
}

func (inv *Invoice) checkShape(p *problems) {
	if inv.Issuer == "" {
		p.add("Issuer", "Falta el RFC del emisor.")
	}
	if inv.Terms != Contado && inv.Terms != Credito {
		p.add("Terms", "Elija contado o crédito.")
	}
	if msg := creditRefusal(&inv.Customer); inv.Terms == Credito && msg != "" {
		p.add("Terms", msg)
	}
	if inv.TipoDeComprobante != TipoIngreso && inv.TipoDeComprobante != TipoEgreso && (inv.TipoDeComprobante != TipoPago || inv.Payment == nil) {
		p.add("TipoDeComprobante", "La factura debe ser de ingreso (I) o egreso (E).")
	}
	if inv.TipoCambio.IsNegative() || !maxPlaces(inv.TipoCambio, 6) {
		p.add("TipoCambio", "El tipo de cambio debe ser positivo con máximo seis decimales.")
	}
	for i, l := range inv.Lines {
		f := fmt.Sprintf("Lines[%d].", i)
		if !l.Cantidad.IsPositive() || !maxPlaces(l.Cantidad, 6) {
			p.add(f+"Cantidad", "La cantidad debe ser mayor que cero, con máximo seis decimales.")
		}
		if l.ValorUnitario.IsNegative() || !maxPlaces(l.ValorUnitario, 6) {
			p.add(f+"ValorUnitario", "El precio debe ser positivo, con máximo seis decimales.")
		}
		if l.Descuento.IsNegative() || !maxPlaces(l.Descuento, 6) {
			p.add(f+"Descuento", "El descuento debe ser un importe positivo, con máximo seis decimales.")
		}
		if l.ThirdParty != nil && l.ThirdParty.ID <= 0 {
			p.add(f+"ThirdParty", "Elija del catálogo de terceros por cuenta de quién se factura el concepto.")
		}
	}
	if inv.Details != nil {
		if err := inv.Details.Validate(); err != nil {
			p.errs = append(p.errs, err)
		}
	}
}

// Validate checks everything Post needs, against Anexo 20 v4.0 and its Guía
// de llenado: a valid active customer, UsoCFDI allowed for the customer's
// régimen, Contado → PUE with a real FormaPago, Crédito → PPD with 99 and
// never to the general public, currency and exchange rate, a factura global
// exactly when the customer is the general public, and well-formed lines.
// year is the year of the Fecha the CFDI will carry. All problems are
// reported as FieldErrors of kind Invalid.
func (inv *Invoice) Validate(cat Catalogs, year int) error {
	p := &problems{op: "validate invoice"}
	inv.checkShape(p)
	c := &inv.Customer
	switch {
	case inv.CustomerID == 0 && c.RFC == "":
		p.add("CustomerID", "Elija el cliente.")
	case !c.Active:
		p.add("CustomerID", "El cliente está dado de baja; reactívelo para facturarle.")
	default:
		if err := c.Validate(cat); err != nil {
			p.add("CustomerID", "Los datos fiscales del cliente están incompletos o no son válidos; corríjalos en su ficha.")
		}
	}
	if inv.Serie == "" {
		p.add("Serie", "Elija la serie.")
	}
	if inv.UsoCFDI == "" || !cat.UsoCFDIAllowed(inv.UsoCFDI, c.RegimenFiscal) {
		p.add("UsoCFDI", "El uso del CFDI no corresponde al régimen fiscal del cliente.")
	}
	switch inv.Terms {
	case Contado:
		if inv.FormaPago == "" || inv.FormaPago == FormaPagoPorDefinir || !cat.FormaPagoExists(inv.FormaPago) {
			p.add("FormaPago", "En una venta de contado indique la forma de pago (efectivo, transferencia…).")
		}
	case Credito:
		if inv.FormaPago != FormaPagoPorDefinir {
			p.add("FormaPago", msgCreditFormaPago)
		}
	}
	decimals, ok := cat.MonedaDecimals(inv.Moneda)
	switch {
	case !ok:
		p.add("Moneda", "La moneda no existe en el catálogo del SAT.")
	case inv.Moneda == "XXX":
		p.add("Moneda", "Una factura de ingreso no puede usar la moneda XXX.")
	case inv.Moneda == "MXN":
		if !inv.TipoCambio.IsZero() && !inv.TipoCambio.Equal(decimal.NewFromInt(1)) {
			p.add("TipoCambio", "En pesos mexicanos el tipo de cambio es 1.")
		}
	default:
		if !inv.TipoCambio.IsPositive() {
			p.add("TipoCambio", "Indique el tipo de cambio de la moneda.")
		}
	}
	inv.checkGlobal(p, year)
	if len(inv.Lines) == 0 {
		p.add("Lines", "Agregue al menos un concepto.")
	}
	for i, l := range inv.Lines {
		f := fmt.Sprintf("Lines[%d].", i)
		if l.Descripcion == "" {
			p.add(f+"Descripcion", "Escriba la descripción del concepto.")
		}
		if !cat.ClaveProdServExists(l.ClaveProdServ) {
			p.add(f+"ClaveProdServ", "La clave de producto o servicio no existe en el catálogo del SAT.")
		}
		if !cat.ClaveUnidadExists(l.ClaveUnidad) {
			p.add(f+"ClaveUnidad", "La clave de unidad no existe en el catálogo del SAT.")
		}
		if ok && !maxPlaces(l.Descuento, decimals) {
			p.add(f+"Descuento", fmt.Sprintf("El descuento puede tener como máximo %d decimales en esta moneda.", decimals))
		}
		if l.Descuento.GreaterThan(l.Cantidad.Mul(l.ValorUnitario)) {
			p.add(f+"Descuento", "El descuento no puede ser mayor que el importe del concepto.")
		}
		if inv.Global != nil && (l.ClaveProdServ != ClaveProdServGlobal || l.ClaveUnidad != ClaveUnidadGlobal) {
			p.add(f+"ClaveProdServ", "En una factura global cada concepto usa la clave 01010101 y la unidad ACT.")
		}
		checkObjetoImp(p, cat, f, l.ObjetoImp, l.Taxes)
		l.Taxes.validate(p, cat, f+"Taxes.")
	}
	return p.err()
}

// checkGlobal applies the InformacionGlobal rules (Anexo 20 v4.0, Guía de
// llenado, InformacionGlobal): required when the receptor is XAXX010101000
// with "PUBLICO EN GENERAL", forbidden otherwise; bimonthly periods (05)
// use Meses 13–18, the others 01–12; Año is the year of Fecha or the one
// before.
func (inv *Invoice) checkGlobal(p *problems, year int) {
	g := inv.Global
	general := inv.Customer.takesGlobal()
	switch {
	case general && g == nil:
		p.add("Global", "Una factura al público en general es una factura global: indique periodicidad, mes y año.")
		return
	case !general && g != nil:
		p.add("Global", "Solo una factura al público en general (XAXX010101000) lleva información global.")
		return
	case g == nil:
		return
	}
	per, _ := strconv.Atoi(g.Periodicidad)
	mes, _ := strconv.Atoi(g.Meses)
	if len(g.Periodicidad) != 2 || per < 1 || per > 5 {
		p.add("Global.Periodicidad", "Elija la periodicidad: diaria, semanal, quincenal, mensual o bimestral.")
	}
	switch {
	case len(g.Meses) != 2:
		p.add("Global.Meses", "Elija el mes o bimestre.")
	case per == 5 && (mes < 13 || mes > 18):
		p.add("Global.Meses", "Con periodicidad bimestral elija un bimestre (13 a 18).")
	case per != 5 && (mes < 1 || mes > 12):
		p.add("Global.Meses", "Elija un mes (01 a 12).")
	}
	if y, err := strconv.Atoi(g.Anio); err != nil || len(g.Anio) != 4 || (y != year && y != year-1) {
		p.add("Global.Anio", fmt.Sprintf("El año debe ser %d o %d.", year, year-1))
	}
}
