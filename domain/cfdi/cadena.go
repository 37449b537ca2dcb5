package cfdi

import "strings"

// CadenaOriginal returns the cadena original of c, byte-identical to what
// SAT's cadenaoriginal_4_0.xslt (with utilerias.xslt and
// complementos/Pagos20.xslt) produces for the XML of c: "||v1|v2|...||",
// every value through XPath normalize-space(), absent optional attributes
// skipped, the node order of the XSLT.
//
// Pagos 2.0 is written from the typed model; every other complement (in
// Complemento or ComplementoConcepto) is interpreted from its verbatim XML
// with the templates of the 32 complement stylesheets cadenaoriginal_4_0.xslt
// includes (complementos_gen.go); one with no template contributes its text,
// as XSLT's built-in rules do. A complement that is not well-formed XML
// yields an Invalid domain.Error.
func CadenaOriginal(c *Comprobante) (string, error) {
	var b strings.Builder
	b.Grow(cadenaSize(c))
	b.WriteString("|")
	if err := writeCadena(&b, c); err != nil {
		return "", err
	}
	b.WriteString("||")
	return b.String(), nil
}

// cadenaSize estimates the length of the cadena to size the builder once.
func cadenaSize(c *Comprobante) int {
	n := 256 + 160*len(c.Conceptos)
	for i := range c.Conceptos {
		n += len(c.Conceptos[i].Descripcion)
	}
	if c.Complemento != nil && c.Complemento.Pagos != nil {
		n += 512 * len(c.Complemento.Pagos.Pago)
	}
	return n
}

// TFDCadena returns the cadena original of a TimbreFiscalDigital 1.1, as
// cadenaoriginal_TFD_1_1.xslt produces it:
// "||1.1|UUID|FechaTimbrado|RfcProvCertif|[Leyenda|]SelloCFD|NoCertificadoSAT||".
func TFDCadena(t *TimbreFiscalDigital) string {
	var b strings.Builder
	b.Grow(512 + len(t.SelloCFD))
	b.WriteString("|")
	attrsCadena(&b, tfdAttrs, t)
	b.WriteString("||")
	return b.String()
}

func writeCadena(b *strings.Builder, c *Comprobante) error {
	attrsCadena(b, comprobanteAttrs, c)
	if c.InformacionGlobal != nil {
		attrsCadena(b, informacionGlobalAttrs, c.InformacionGlobal)
	}
	for i := range c.CfdiRelacionados {
		g := &c.CfdiRelacionados[i]
		attrsCadena(b, cfdiRelacionadosAttrs, g)
		for j := range g.CfdiRelacionado {
			attrsCadena(b, cfdiRelacionadoAttrs, &g.CfdiRelacionado[j])
		}
	}
	attrsCadena(b, emisorAttrs, &c.Emisor)
	attrsCadena(b, receptorAttrs, &c.Receptor)
	for i := range c.Conceptos {
		if err := conceptoCadena(b, &c.Conceptos[i]); err != nil {
			return err
		}
	}
	if im := c.Impuestos; im != nil {
		for i := range im.Retenciones {
			attrsCadena(b, retencionDocAttrs, &im.Retenciones[i])
		}
		optional(b, im.TotalImpuestosRetenidos)
		for i := range im.Traslados {
			attrsCadena(b, trasladoAttrs, &im.Traslados[i])
		}
		optional(b, im.TotalImpuestosTrasladados)
	}
	if cm := c.Complemento; cm != nil {
		// Document order, as Parse found it and Marshal writes it. The TFD
		// has no template in cadenaoriginal_4_0.xslt and no text.
		at := cm.pagosIndex()
		for i, raw := range cm.Others {
			if i == at && cm.Pagos != nil {
				pagosCadena(b, cm.Pagos)
			}
			if err := complementCadena(b, raw); err != nil {
				return err
			}
		}
		if at == len(cm.Others) && cm.Pagos != nil {
			pagosCadena(b, cm.Pagos)
		}
	}
	return nil
}

func conceptoCadena(b *strings.Builder, k *Concepto) error {
	attrsCadena(b, conceptoAttrs, k)
	if im := k.Impuestos; im != nil {
		for i := range im.Traslados {
			attrsCadena(b, trasladoAttrs, &im.Traslados[i])
		}
		for i := range im.Retenciones {
			attrsCadena(b, retencionAttrs, &im.Retenciones[i])
		}
	}
	if k.ACuentaTerceros != nil {
		attrsCadena(b, aCuentaTercerosAttrs, k.ACuentaTerceros)
	}
	for i := range k.InformacionAduanera {
		attrsCadena(b, informacionAduaneraAttrs, &k.InformacionAduanera[i])
	}
	for i := range k.CuentaPredial {
		attrsCadena(b, cuentaPredialAttrs, &k.CuentaPredial[i])
	}
	if k.ComplementoConcepto != nil {
		if err := complementCadena(b, k.ComplementoConcepto); err != nil {
			return err
		}
	}
	for i := range k.Parte {
		pt := &k.Parte[i]
		attrsCadena(b, parteAttrs, pt)
		for j := range pt.InformacionAduanera {
			attrsCadena(b, informacionAduaneraAttrs, &pt.InformacionAduanera[j])
		}
	}
	return nil
}

func pagosCadena(b *strings.Builder, pg *Pagos) {
	attrsCadena(b, pagosAttrs, pg)
	if pg.Totales != nil {
		attrsCadena(b, pagosTotalesAttrs, pg.Totales)
	}
	for i := range pg.Pago {
		pa := &pg.Pago[i]
		attrsCadena(b, pagoAttrs, pa)
		for j := range pa.DoctoRelacionado {
			dr := &pa.DoctoRelacionado[j]
			attrsCadena(b, doctoRelacionadoAttrs, dr)
			if im := dr.ImpuestosDR; im != nil {
				for k := range im.RetencionesDR {
					attrsCadena(b, retencionDRAttrs, &im.RetencionesDR[k])
				}
				for k := range im.TrasladosDR {
					attrsCadena(b, trasladoDRAttrs, &im.TrasladosDR[k])
				}
			}
		}
		if im := pa.ImpuestosP; im != nil {
			for k := range im.RetencionesP {
				attrsCadena(b, retencionPAttrs, &im.RetencionesP[k])
			}
			for k := range im.TrasladosP {
				attrsCadena(b, trasladoPAttrs, &im.TrasladosP[k])
			}
		}
	}
}

func attrsCadena[T any](b *strings.Builder, tbl []attrDef[T], v *T) {
	for i := range tbl {
		switch tbl[i].cad {
		case cadReq:
			b.WriteByte('|')
			normalizeSpace(b, *tbl[i].get(v))
		case cadOpt:
			optional(b, *tbl[i].get(v))
		}
	}
}

func optional(b *strings.Builder, s string) {
	if s != "" {
		b.WriteByte('|')
		normalizeSpace(b, s)
	}
}

// normalizeSpace writes s as XPath 1.0 normalize-space() returns it: leading
// and trailing white space (#x20, #x9, #xD, #xA) removed, inner runs
// replaced by one space.
func normalizeSpace(b *strings.Builder, s string) {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		b.WriteString(s)
		return
	}
	space := false
	wrote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space && wrote {
			b.WriteByte(' ')
		}
		space = false
		wrote = true
		b.WriteByte(c)
	}
}
