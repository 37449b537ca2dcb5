package cfdi

import (
	"errors"
	"fmt"

	"github.com/folio-mx/folio/domain"
)

// CheckRequired reports every attribute or node that cfdv40.xsd (and
// TimbreFiscalDigitalv11.xsd, Pagos20.xsd for those complements) requires
// and c lacks, as Invalid domain.Errors joined with errors.Join; nil when
// nothing is missing. Values are not checked against patterns or catalogs.
func CheckRequired(c *Comprobante) error {
	var errs []error
	missing := func(node, attr string) {
		errs = append(errs, &domain.Error{Kind: domain.Invalid, Op: "cfdi.CheckRequired",
			Msg: fmt.Sprintf("Falta el atributo requerido %s en %s.", attr, node),
			Err: fmt.Errorf("%s/@%s missing", node, attr)})
	}
	noNode := func(node, parent string) {
		errs = append(errs, &domain.Error{Kind: domain.Invalid, Op: "cfdi.CheckRequired",
			Msg: fmt.Sprintf("Falta el nodo requerido %s en %s.", node, parent),
			Err: fmt.Errorf("%s/%s missing", parent, node)})
	}
	requireAttrs(comprobanteAttrs, c, "cfdi:Comprobante", missing)
	if c.InformacionGlobal != nil {
		requireAttrs(informacionGlobalAttrs, c.InformacionGlobal, "cfdi:InformacionGlobal", missing)
	}
	for i := range c.CfdiRelacionados {
		g := &c.CfdiRelacionados[i]
		requireAttrs(cfdiRelacionadosAttrs, g, "cfdi:CfdiRelacionados", missing)
		if len(g.CfdiRelacionado) == 0 {
			noNode("cfdi:CfdiRelacionado", "cfdi:CfdiRelacionados")
		}
		requireEach(cfdiRelacionadoAttrs, g.CfdiRelacionado, "cfdi:CfdiRelacionado", missing)
	}
	requireAttrs(emisorAttrs, &c.Emisor, "cfdi:Emisor", missing)
	requireAttrs(receptorAttrs, &c.Receptor, "cfdi:Receptor", missing)
	if len(c.Conceptos) == 0 {
		noNode("cfdi:Concepto", "cfdi:Conceptos")
	}
	for i := range c.Conceptos {
		k := &c.Conceptos[i]
		node := fmt.Sprintf("cfdi:Concepto[%d]", i+1)
		requireAttrs(conceptoAttrs, k, node, missing)
		if im := k.Impuestos; im != nil {
			requireEach(trasladoAttrs, im.Traslados, node+"/cfdi:Traslado", missing)
			requireEach(retencionAttrs, im.Retenciones, node+"/cfdi:Retencion", missing)
		}
		if k.ACuentaTerceros != nil {
			requireAttrs(aCuentaTercerosAttrs, k.ACuentaTerceros, node+"/cfdi:ACuentaTerceros", missing)
		}
		requireEach(informacionAduaneraAttrs, k.InformacionAduanera, node+"/cfdi:InformacionAduanera", missing)
		requireEach(cuentaPredialAttrs, k.CuentaPredial, node+"/cfdi:CuentaPredial", missing)
		for j := range k.Parte {
			requireAttrs(parteAttrs, &k.Parte[j], node+"/cfdi:Parte", missing)
			requireEach(informacionAduaneraAttrs, k.Parte[j].InformacionAduanera, node+"/cfdi:Parte/cfdi:InformacionAduanera", missing)
		}
	}
	if im := c.Impuestos; im != nil {
		requireEach(retencionDocAttrs, im.Retenciones, "cfdi:Impuestos/cfdi:Retencion", missing)
		requireEach(trasladoAttrs, im.Traslados, "cfdi:Impuestos/cfdi:Traslado", missing)
	}
	if cm := c.Complemento; cm != nil {
		if t := cm.TimbreFiscalDigital; t != nil {
			requireAttrs(tfdAttrs, t, "tfd:TimbreFiscalDigital", missing)
		}
		if pg := cm.Pagos; pg != nil {
			requireAttrs(pagosAttrs, pg, "pago20:Pagos", missing)
			if pg.Totales == nil {
				noNode("pago20:Totales", "pago20:Pagos")
			} else {
				requireAttrs(pagosTotalesAttrs, pg.Totales, "pago20:Totales", missing)
			}
			if len(pg.Pago) == 0 {
				noNode("pago20:Pago", "pago20:Pagos")
			}
			for i := range pg.Pago {
				pa := &pg.Pago[i]
				requireAttrs(pagoAttrs, pa, "pago20:Pago", missing)
				if len(pa.DoctoRelacionado) == 0 {
					noNode("pago20:DoctoRelacionado", "pago20:Pago")
				}
				for j := range pa.DoctoRelacionado {
					dr := &pa.DoctoRelacionado[j]
					requireAttrs(doctoRelacionadoAttrs, dr, "pago20:DoctoRelacionado", missing)
					if im := dr.ImpuestosDR; im != nil {
						requireEach(retencionDRAttrs, im.RetencionesDR, "pago20:RetencionDR", missing)
						requireEach(trasladoDRAttrs, im.TrasladosDR, "pago20:TrasladoDR", missing)
					}
				}
				if im := pa.ImpuestosP; im != nil {
					requireEach(retencionPAttrs, im.RetencionesP, "pago20:RetencionP", missing)
					requireEach(trasladoPAttrs, im.TrasladosP, "pago20:TrasladoP", missing)
				}
			}
		}
	}
	return errors.Join(errs...)
}

func requireAttrs[T any](tbl []attrDef[T], v *T, node string, missing func(node, attr string)) {
	for i := range tbl {
		if tbl[i].req && *tbl[i].get(v) == "" {
			missing(node, tbl[i].name)
		}
	}
}

func requireEach[T any](tbl []attrDef[T], list []T, node string, missing func(node, attr string)) {
	for i := range list {
		requireAttrs(tbl, &list[i], node, missing)
	}
}
