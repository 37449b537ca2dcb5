package sales

import (
	"strconv"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// buildPago maps payment receipt inv to the CFDI 4.0 model with the Pagos
// 2.0 complement, as the Guía de llenado del complemento para recepción de
// pagos 2.0 asks: SubTotal and Total 0, Moneda XXX, no FormaPago,
// MetodoPago or CondicionesDePago, Exportacion 01, one concept 84111506 ACT
// "Pago" of value 0 and ObjetoImp 01, Receptor UsoCFDI CP01, and one
// pago20:Pago with its documents, ImpuestosP and Totales (Payment.Summary).
func buildPago(inv *Invoice, co *Company, cat Catalogs) (*cfdi.Comprobante, error) {
	const op = "build payment"
	pay := inv.Payment
	if pay == nil {
		return nil, domain.E(domain.Invalid, op, "El complemento de pago no tiene pago.", nil)
	}
	decP, ok := cat.MonedaDecimals(pay.MonedaP)
	if !ok {
		return nil, domain.E(domain.Invalid, op, "La moneda del pago no existe en el catálogo del SAT.", nil)
	}
	c := &cfdi.Comprobante{
		Version:           "4.0",
		Serie:             inv.Serie,
		Fecha:             inv.Fecha.In(domain.MexicoCity).Format(FechaLayout),
		SubTotal:          "0",
		Moneda:            MonedaPago,
		Total:             "0",
		TipoDeComprobante: TipoPago,
		Exportacion:       "01",
		LugarExpedicion:   co.LugarExpedicion,
		Emisor:            cfdi.Emisor{Rfc: co.RFC, Nombre: co.Nombre, RegimenFiscal: co.RegimenFiscal},
		Conceptos: []cfdi.Concepto{{ClaveProdServ: ClaveProdServPago, Cantidad: "1", ClaveUnidad: ClaveUnidadPago,
			Descripcion: DescripcionPago, ValorUnitario: "0", Importe: "0", ObjetoImp: "01"}},
	}
	if inv.Folio != 0 {
		c.Folio = strconv.FormatInt(inv.Folio, 10)
	}
	cu := &inv.Customer
	c.Receptor = cfdi.Receptor{Rfc: cu.RFC, Nombre: cu.Name, DomicilioFiscalReceptor: cu.CodigoPostal,
		RegimenFiscalReceptor: cu.RegimenFiscal, UsoCFDI: UsoCFDIPago}
	if cu.IsGeneric() {
		c.Receptor.DomicilioFiscalReceptor = co.LugarExpedicion
	}
	if cu.IsForeign() {
		c.Receptor.ResidenciaFiscal = cu.Pais
		c.Receptor.NumRegIdTrib = cu.NumRegIdTrib
	}
	p := cfdi.Pago{
		FechaPago:    pay.FechaPago.In(domain.MexicoCity).Format(FechaLayout),
		FormaDePagoP: pay.FormaDePagoP,
		MonedaP:      pay.MonedaP,
		TipoCambioP:  "1",
		Monto:        tax.Format(pay.Monto, decP),
		NumOperacion: pay.NumOperacion,
	}
	if pay.MonedaP != "MXN" {
		p.TipoCambioP = pay.TipoCambioP.String()
	}
	for _, d := range pay.Docs {
		decDR, ok := cat.MonedaDecimals(d.MonedaDR)
		if !ok {
			return nil, domain.E(domain.Invalid, op, "La moneda de una factura pagada no existe en el catálogo del SAT.", nil)
		}
		money := func(x decimal.Decimal) string { return tax.Format(x, decDR) }
		dr := cfdi.DoctoRelacionado{
			IdDocumento: d.UUID, Serie: d.Serie, MonedaDR: d.MonedaDR, EquivalenciaDR: "1",
			NumParcialidad: strconv.Itoa(d.NumParcialidad), ImpSaldoAnt: money(d.ImpSaldoAnt),
			ImpPagado: money(d.ImpPagado), ImpSaldoInsoluto: money(d.ImpSaldoInsoluto), ObjetoImpDR: d.ObjetoImpDR,
		}
		if d.Folio != 0 {
			dr.Folio = strconv.FormatInt(d.Folio, 10)
		}
		if d.MonedaDR != pay.MonedaP {
			dr.EquivalenciaDR = d.EquivalenciaDR.String()
		}
		if len(d.Taxes) > 0 {
			im := &cfdi.ImpuestosDR{}
			for _, x := range d.Taxes {
				base := money(x.Base)
				if x.TipoFactor == FactorCuota {
					base = x.Base.String()
				}
				if x.Retencion {
					im.RetencionesDR = append(im.RetencionesDR, cfdi.RetencionDR{BaseDR: base, ImpuestoDR: x.Impuesto,
						TipoFactorDR: x.TipoFactor, TasaOCuotaDR: rateText(x.TasaOCuota), ImporteDR: money(x.Importe)})
					continue
				}
				tr := cfdi.TrasladoDR{BaseDR: base, ImpuestoDR: x.Impuesto, TipoFactorDR: x.TipoFactor}
				if x.TipoFactor != FactorExento {
					tr.TasaOCuotaDR, tr.ImporteDR = rateText(x.TasaOCuota), money(x.Importe)
				}
				im.TrasladosDR = append(im.TrasladosDR, tr)
			}
			dr.ImpuestosDR = im
		}
		p.DoctoRelacionado = append(p.DoctoRelacionado, dr)
	}
	s := pay.Summary()
	six := func(x decimal.Decimal) string { return tax.Format(x, 6) }
	if len(s.Traslados) > 0 || len(s.Retenciones) > 0 {
		im := &cfdi.ImpuestosP{}
		for _, g := range s.Retenciones {
			im.RetencionesP = append(im.RetencionesP, cfdi.RetencionP{ImpuestoP: g.Impuesto, ImporteP: six(g.Importe)})
		}
		for _, g := range s.Traslados {
			tr := cfdi.TrasladoP{BaseP: six(g.Base), ImpuestoP: g.Impuesto, TipoFactorP: g.TipoFactor}
			if g.TipoFactor != FactorExento {
				tr.TasaOCuotaP, tr.ImporteP = rateText(g.TasaOCuota), six(g.Importe)
			}
			im.TrasladosP = append(im.TrasladosP, tr)
		}
		p.ImpuestosP = im
	}
	two := func(x *decimal.Decimal) string {
		if x == nil {
			return ""
		}
		return tax.Format(*x, 2)
	}
	t := s.Totales
	c.Complemento = &cfdi.Complemento{Pagos: &cfdi.Pagos{
		Version: "2.0",
		Totales: &cfdi.PagosTotales{
			TotalRetencionesIVA: two(t.RetencionesIVA), TotalRetencionesISR: two(t.RetencionesISR),
			TotalRetencionesIEPS: two(t.RetencionesIEPS), TotalTrasladosBaseIVA16: two(t.TrasladosBaseIVA16),
			TotalTrasladosImpuestoIVA16: two(t.TrasladosImpuestoIVA16), TotalTrasladosBaseIVA8: two(t.TrasladosBaseIVA8),
			TotalTrasladosImpuestoIVA8: two(t.TrasladosImpuestoIVA8), TotalTrasladosBaseIVA0: two(t.TrasladosBaseIVA0),
			TotalTrasladosImpuestoIVA0: two(t.TrasladosImpuestoIVA0), TotalTrasladosBaseIVAExento: two(t.TrasladosBaseIVAExento),
			MontoTotalPagos: two(&t.MontoTotalPagos),
		},
		Pago: []cfdi.Pago{p},
	}}
	return c, nil
}
