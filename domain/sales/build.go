package sales

import (
	"strconv"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// FechaLayout is the CFDI date-time layout (cfdv40.xsd t_FechaH), local time
// of the place of issue without zone.
const FechaLayout = "2006-01-02T15:04:05"

// rateText writes a TasaOCuota with the six decimals c_TasaOCuota uses.
func rateText(r decimal.Decimal) string { return tax.Format(r, 6) }

// BuildComprobante maps inv, issued by co, to the CFDI 4.0 model, unsealed.
// Every amount comes from Compute (domain/tax rounding) with the decimals of
// inv.Moneda, so the values a screen shows from Compute are the sealed ones.
// Fecha is inv.Fecha in Mexico City time. With a generic RFC the receptor's
// DomicilioFiscalReceptor is the LugarExpedicion (Guía de llenado,
// Receptor). It does not validate: call inv.Validate first. An unknown
// currency is Invalid.
func BuildComprobante(inv *Invoice, co *Company, cat Catalogs) (*cfdi.Comprobante, error) {
	const op = "build comprobante"
	if inv.TipoDeComprobante == TipoPago {
		return buildPago(inv, co, cat)
	}
	decimals, ok := cat.MonedaDecimals(inv.Moneda)
	if !ok {
		return nil, domain.E(domain.Invalid, op, "La moneda no existe en el catálogo del SAT.", nil)
	}
	t, err := Compute(inv, decimals)
	if err != nil {
		return nil, err
	}
	money := func(d decimal.Decimal) string { return tax.Format(d, decimals) }
	c := &cfdi.Comprobante{
		Version:           "4.0",
		Serie:             inv.Serie,
		Fecha:             inv.Fecha.In(domain.MexicoCity).Format(FechaLayout),
		FormaPago:         inv.EffectiveFormaPago(),
		CondicionesDePago: inv.CondicionesDePago,
		SubTotal:          money(t.SubTotal),
		Moneda:            inv.Moneda,
		Total:             money(t.Total),
		TipoDeComprobante: inv.TipoDeComprobante,
		Exportacion:       "01", // No aplica
		MetodoPago:        inv.MetodoPago(),
		LugarExpedicion:   co.LugarExpedicion,
		Emisor:            cfdi.Emisor{Rfc: co.RFC, Nombre: co.Nombre, RegimenFiscal: co.RegimenFiscal},
	}
	if inv.Folio != 0 {
		c.Folio = strconv.FormatInt(inv.Folio, 10)
	}
	if t.HasDescuento {
		c.Descuento = money(t.Descuento)
	}
	if inv.Moneda != "MXN" && inv.Moneda != "XXX" {
		c.TipoCambio = inv.TipoCambio.String()
	}
	if g := inv.Global; g != nil {
		c.InformacionGlobal = &cfdi.InformacionGlobal{Periodicidad: g.Periodicidad, Meses: g.Meses, Anio: g.Anio}
	}
	for _, r := range inv.Relations {
		n := len(c.CfdiRelacionados)
		if n == 0 || c.CfdiRelacionados[n-1].TipoRelacion != r.TipoRelacion {
			c.CfdiRelacionados = append(c.CfdiRelacionados, cfdi.CfdiRelacionados{TipoRelacion: r.TipoRelacion})
			n++
		}
		g := &c.CfdiRelacionados[n-1]
		g.CfdiRelacionado = append(g.CfdiRelacionado, cfdi.CfdiRelacionado{UUID: r.UUID})
	}
	cu := &inv.Customer
	c.Receptor = cfdi.Receptor{
		Rfc:                     cu.RFC,
		Nombre:                  cu.Name,
		DomicilioFiscalReceptor: cu.CodigoPostal,
		RegimenFiscalReceptor:   cu.RegimenFiscal,
		UsoCFDI:                 inv.UsoCFDI,
	}
	if cu.IsGeneric() {
		c.Receptor.DomicilioFiscalReceptor = co.LugarExpedicion
	}
	if cu.IsForeign() {
		c.Receptor.ResidenciaFiscal = cu.Pais
		c.Receptor.NumRegIdTrib = cu.NumRegIdTrib
	}
	for i := range inv.Lines {
		c.Conceptos = append(c.Conceptos, concepto(&inv.Lines[i], &t.Lines[i], money))
	}
	if len(t.Traslados) > 0 || len(t.Retenciones) > 0 {
		imp := &cfdi.Impuestos{}
		if t.HasTrasladados {
			imp.TotalImpuestosTrasladados = money(t.TotalImpuestosTrasladados)
		}
		if len(t.Retenciones) > 0 {
			imp.TotalImpuestosRetenidos = money(t.TotalImpuestosRetenidos)
		}
		for _, g := range t.Retenciones {
			imp.Retenciones = append(imp.Retenciones, cfdi.Retencion{Impuesto: g.Impuesto, Importe: money(g.Importe)})
		}
		for _, g := range t.Traslados {
			imp.Traslados = append(imp.Traslados, traslado(g, money))
		}
		c.Impuestos = imp
	}
	return c, nil
}

func concepto(l *Line, a *LineAmounts, money func(decimal.Decimal) string) cfdi.Concepto {
	k := cfdi.Concepto{
		ClaveProdServ:    l.ClaveProdServ,
		NoIdentificacion: l.NoIdentificacion,
		Cantidad:         l.Cantidad.String(),
		ClaveUnidad:      l.ClaveUnidad,
		Unidad:           l.Unidad,
		Descripcion:      l.Descripcion,
		ValorUnitario:    l.ValorUnitario.String(),
		Importe:          money(a.Importe),
		ObjetoImp:        l.ObjetoImp,
	}
	if l.Descuento.IsPositive() {
		k.Descuento = money(a.Descuento)
	}
	if tp := l.ThirdParty; tp != nil {
		k.ACuentaTerceros = &cfdi.ACuentaTerceros{
			RfcACuentaTerceros:             tp.RFC,
			NombreACuentaTerceros:          tp.Name,
			RegimenFiscalACuentaTerceros:   tp.RegimenFiscal,
			DomicilioFiscalACuentaTerceros: tp.CodigoPostal,
		}
	}
	if len(a.Traslados) > 0 || len(a.Retenciones) > 0 {
		k.Impuestos = &cfdi.ImpuestosConcepto{}
		for _, x := range a.Traslados {
			k.Impuestos.Traslados = append(k.Impuestos.Traslados, traslado(x, money))
		}
		for _, x := range a.Retenciones {
			k.Impuestos.Retenciones = append(k.Impuestos.Retenciones, cfdi.Retencion{
				Base: money(x.Base), Impuesto: x.Impuesto, TipoFactor: x.TipoFactor,
				TasaOCuota: rateText(x.TasaOCuota), Importe: money(x.Importe)})
		}
	}
	return k
}

func traslado(x TaxAmount, money func(decimal.Decimal) string) cfdi.Traslado {
	tr := cfdi.Traslado{Base: money(x.Base), Impuesto: x.Impuesto, TipoFactor: x.TipoFactor}
	if x.TipoFactor == FactorCuota && x.Impuesto == ImpuestoIEPS {
		tr.Base = x.Base.String()
	}
	if x.HasImporte {
		tr.TasaOCuota = rateText(x.TasaOCuota)
		tr.Importe = money(x.Importe)
	}
	return tr
}
