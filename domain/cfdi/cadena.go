package cfdi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// CadenaOriginal returns the cadena original of c, byte-identical to what
// SAT's cadenaoriginal_4_0.xslt (with utilerias.xslt and
// complementos/Pagos20.xslt) produces for the XML of c: "||v1|v2|...||",
// every value through XPath normalize-space(), absent optional attributes
// skipped, the node order of the XSLT.
//
// Complements other than Pagos 2.0 and the TimbreFiscalDigital are handled
// like the XSLT handles them when it has no template for them (their text
// content); a complement SAT's XSLT has a template for (implocal, nomina12…)
// is not supported and yields an Invalid domain.Error.
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
		// Document order as Marshal writes it: Pagos, other complements, TFD.
		// The TFD has no template in cadenaoriginal_4_0.xslt and no text.
		if cm.Pagos != nil {
			pagosCadena(b, cm.Pagos)
		}
		for _, raw := range cm.Others {
			if err := foreignCadena(b, raw); err != nil {
				return err
			}
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
		if err := foreignCadena(b, k.ComplementoConcepto); err != nil {
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

// xsltNamespaces are the complement namespaces cadenaoriginal_4_0.xslt has
// templates for (besides Pagos 2.0, which is typed).
var xsltNamespaces = map[string]bool{
	"http://www.sat.gob.mx/ComercioExterior11":              true,
	"http://www.sat.gob.mx/ComercioExterior20":              true,
	"http://www.sat.gob.mx/donat":                           true,
	"http://www.sat.gob.mx/divisas":                         true,
	"http://www.sat.gob.mx/implocal":                        true,
	"http://www.sat.gob.mx/leyendasFiscales":                true,
	"http://www.sat.gob.mx/pfic":                            true,
	"http://www.sat.gob.mx/TuristaPasajeroExtranjero":       true,
	"http://www.sat.gob.mx/nomina12":                        true,
	"http://www.sat.gob.mx/registrofiscal":                  true,
	"http://www.sat.gob.mx/pagoenespecie":                   true,
	"http://www.sat.gob.mx/aerolineas":                      true,
	"http://www.sat.gob.mx/valesdedespensa":                 true,
	"http://www.sat.gob.mx/notariospublicos":                true,
	"http://www.sat.gob.mx/vehiculousado":                   true,
	"http://www.sat.gob.mx/servicioparcialconstruccion":     true,
	"http://www.sat.gob.mx/renovacionysustitucionvehiculos": true,
	"http://www.sat.gob.mx/certificadodestruccion":          true,
	"http://www.sat.gob.mx/arteantiguedades":                true,
	"http://www.sat.gob.mx/ine":                             true,
	"http://www.sat.gob.mx/iedu":                            true,
	"http://www.sat.gob.mx/ventavehiculos":                  true,
	"http://www.sat.gob.mx/detallista":                      true,
	"http://www.sat.gob.mx/EstadoDeCuentaCombustible12":     true,
	"http://www.sat.gob.mx/ConsumoDeCombustibles11":         true,
	"http://www.sat.gob.mx/GastosHidrocarburos10":           true,
	"http://www.sat.gob.mx/IngresosHidrocarburos10":         true,
	"http://www.sat.gob.mx/CartaPorte20":                    true,
	"http://www.sat.gob.mx/CartaPorte30":                    true,
	"http://www.sat.gob.mx/CartaPorte31":                    true,
	"http://www.sat.gob.mx/hidrocarburospetroliferos":       true,
	NSPagos: true,
}

// foreignCadena applies XSLT's built-in template rules to the elements of
// verbatim XML with no template of its own: the text nodes inside them are
// copied unchanged. Text outside any element is not selected by the XSLT
// (it iterates over "./*") and is skipped.
func foreignCadena(b *strings.Builder, raw []byte) error {
	d := xml.NewDecoder(bytes.NewReader(raw))
	depth := 0
	for {
		t, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return domain.E(domain.Invalid, "cfdi.CadenaOriginal", "Un complemento del comprobante no es XML válido.", err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if xsltNamespaces[t.Name.Space] {
				return domain.E(domain.Invalid, "cfdi.CadenaOriginal",
					"El comprobante lleva un complemento que Folio todavía no sabe incluir en la cadena original.",
					fmt.Errorf("unsupported complement {%s}%s", t.Name.Space, t.Name.Local))
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth > 0 {
				b.Write(t)
			}
		case xml.Directive:
			return domain.E(domain.Invalid, "cfdi.CadenaOriginal", "Un complemento del comprobante no es XML válido.", errors.New("directive"))
		}
	}
}
