package cfdi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/folio-mx/folio/domain"
)

// Marshal writes c as a CFDI 4.0 document: UTF-8 with the XML declaration,
// prefixes cfdi, tfd and pago20, xmlns and xsi:schemaLocation as SAT
// publishes them (only for the namespaces used), attributes in XSD order,
// absent ("") attributes left out, two-space indentation, a final newline.
// The output is deterministic: the same c always gives the same bytes, and
// Parse(Marshal(c)) equals c. Verbatim complements and the Addenda are
// written unchanged; they must be well-formed XML or Marshal returns an
// Invalid domain.Error.
//
// The document is built as an etree tree from the model and serialised by
// writeElement, which follows etree's canonical attribute escaping and
// Indent(2) layout but copies the verbatim parts in place and avoids etree's
// rune-by-rune escaping of the long base64 values.
func Marshal(c *Comprobante) ([]byte, error) {
	w := xmlWriter{}
	raw := func(e *etree.Element, data []byte, self bool) error {
		if err := checkFragment(data); err != nil {
			return err
		}
		if w.raw == nil {
			w.raw = map[*etree.Element]rawPart{}
		}
		w.raw[e] = rawPart{data, self}
		return nil
	}

	root := etree.NewElement("cfdi:Comprobante")
	pagos := c.Complemento != nil && c.Complemento.Pagos != nil
	root.Attr = make([]etree.Attr, 0, 5+len(comprobanteAttrs))
	root.Attr = append(root.Attr,
		etree.Attr{Space: "xmlns", Key: "cfdi", Value: NSCFDI},
		etree.Attr{Space: "xmlns", Key: "xsi", Value: NSXSI})
	schema := NSCFDI + " " + SchemaCFDI
	if pagos {
		root.Attr = append(root.Attr, etree.Attr{Space: "xmlns", Key: "pago20", Value: NSPagos})
		schema += " " + NSPagos + " " + SchemaPagos
	}
	root.Attr = append(root.Attr, etree.Attr{Space: "xsi", Key: "schemaLocation", Value: schema})
	writeAttrs(root, comprobanteAttrs, c)

	if c.InformacionGlobal != nil {
		writeAttrs(root.CreateElement("cfdi:InformacionGlobal"), informacionGlobalAttrs, c.InformacionGlobal)
	}
	for i := range c.CfdiRelacionados {
		g := &c.CfdiRelacionados[i]
		e := root.CreateElement("cfdi:CfdiRelacionados")
		writeAttrs(e, cfdiRelacionadosAttrs, g)
		for j := range g.CfdiRelacionado {
			writeAttrs(e.CreateElement("cfdi:CfdiRelacionado"), cfdiRelacionadoAttrs, &g.CfdiRelacionado[j])
		}
	}
	writeAttrs(root.CreateElement("cfdi:Emisor"), emisorAttrs, &c.Emisor)
	writeAttrs(root.CreateElement("cfdi:Receptor"), receptorAttrs, &c.Receptor)
	conceptos := root.CreateElement("cfdi:Conceptos")
	for i := range c.Conceptos {
		k := &c.Conceptos[i]
		e := conceptos.CreateElement("cfdi:Concepto")
		writeAttrs(e, conceptoAttrs, k)
		if im := k.Impuestos; im != nil {
			ie := e.CreateElement("cfdi:Impuestos")
			writeList(ie, "cfdi:Traslados", "cfdi:Traslado", trasladoAttrs, im.Traslados)
			writeList(ie, "cfdi:Retenciones", "cfdi:Retencion", retencionAttrs, im.Retenciones)
		}
		if k.ACuentaTerceros != nil {
			writeAttrs(e.CreateElement("cfdi:ACuentaTerceros"), aCuentaTercerosAttrs, k.ACuentaTerceros)
		}
		for j := range k.InformacionAduanera {
			writeAttrs(e.CreateElement("cfdi:InformacionAduanera"), informacionAduaneraAttrs, &k.InformacionAduanera[j])
		}
		for j := range k.CuentaPredial {
			writeAttrs(e.CreateElement("cfdi:CuentaPredial"), cuentaPredialAttrs, &k.CuentaPredial[j])
		}
		if k.ComplementoConcepto != nil {
			if err := raw(e.CreateElement("cfdi:ComplementoConcepto"), k.ComplementoConcepto, false); err != nil {
				return nil, err
			}
		}
		for j := range k.Parte {
			pt := &k.Parte[j]
			pe := e.CreateElement("cfdi:Parte")
			writeAttrs(pe, parteAttrs, pt)
			for n := range pt.InformacionAduanera {
				writeAttrs(pe.CreateElement("cfdi:InformacionAduanera"), informacionAduaneraAttrs, &pt.InformacionAduanera[n])
			}
		}
	}
	if im := c.Impuestos; im != nil {
		e := root.CreateElement("cfdi:Impuestos")
		writeAttrs(e, impuestosAttrs, im)
		writeList(e, "cfdi:Retenciones", "cfdi:Retencion", retencionDocAttrs, im.Retenciones)
		writeList(e, "cfdi:Traslados", "cfdi:Traslado", trasladoAttrs, im.Traslados)
	}
	if cm := c.Complemento; cm != nil {
		e := root.CreateElement("cfdi:Complemento")
		at := cm.pagosIndex()
		for i, other := range cm.Others {
			if i == at && cm.Pagos != nil {
				writePagos(e, cm.Pagos)
			}
			if err := raw(e.CreateElement("other"), other, true); err != nil {
				return nil, err
			}
		}
		if at == len(cm.Others) && cm.Pagos != nil {
			writePagos(e, cm.Pagos)
		}
		if t := cm.TimbreFiscalDigital; t != nil {
			te := e.CreateElement("tfd:TimbreFiscalDigital")
			te.Attr = append(te.Attr,
				etree.Attr{Space: "xmlns", Key: "tfd", Value: NSTFD},
				etree.Attr{Space: "xsi", Key: "schemaLocation", Value: NSTFD + " " + SchemaTFD})
			writeAttrs(te, tfdAttrs, t)
		}
	}
	if c.Addenda != nil {
		if err := raw(root.CreateElement("cfdi:Addenda"), c.Addenda, false); err != nil {
			return nil, err
		}
	}

	w.buf = make([]byte, 0, 4096+640*len(c.Conceptos)+len(c.Addenda))
	w.buf = append(w.buf, xmlDecl...)
	w.writeElement(root, 0)
	w.buf = append(w.buf, '\n')
	return w.buf, nil
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// rawPart is verbatim XML: the whole element (self) or its content.
type rawPart struct {
	data []byte
	self bool
}

type xmlWriter struct {
	buf []byte
	raw map[*etree.Element]rawPart
}

// writeElement serialises e at depth: each child element on its own line
// indented two spaces per level, childless elements self-closed.
func (w *xmlWriter) writeElement(e *etree.Element, depth int) {
	r, isRaw := w.raw[e]
	if isRaw && r.self {
		w.buf = append(w.buf, r.data...)
		return
	}
	w.buf = append(w.buf, '<')
	w.name(e.Space, e.Tag)
	for i := range e.Attr {
		a := &e.Attr[i]
		w.buf = append(w.buf, ' ')
		w.name(a.Space, a.Key)
		w.buf = append(w.buf, '=', '"')
		w.buf = appendEscapedAttr(w.buf, a.Value)
		w.buf = append(w.buf, '"')
	}
	if isRaw && len(r.data) > 0 {
		w.buf = append(w.buf, '>')
		w.buf = append(w.buf, r.data...)
		w.closeTag(e)
		return
	}
	if len(e.Child) == 0 {
		w.buf = append(w.buf, '/', '>')
		return
	}
	w.buf = append(w.buf, '>')
	for _, t := range e.Child {
		if ce, ok := t.(*etree.Element); ok {
			w.indent(depth + 1)
			w.writeElement(ce, depth+1)
		}
	}
	w.indent(depth)
	w.closeTag(e)
}

func (w *xmlWriter) name(space, local string) {
	if space != "" {
		w.buf = append(w.buf, space...)
		w.buf = append(w.buf, ':')
	}
	w.buf = append(w.buf, local...)
}

func (w *xmlWriter) closeTag(e *etree.Element) {
	w.buf = append(w.buf, '<', '/')
	w.name(e.Space, e.Tag)
	w.buf = append(w.buf, '>')
}

// indent starts a new line indented for depth.
func (w *xmlWriter) indent(depth int) {
	w.buf = append(w.buf, '\n')
	for range depth {
		w.buf = append(w.buf, ' ', ' ')
	}
}

// appendEscapedAttr appends s escaped for a double-quoted attribute value
// the way etree's canonical attribute mode does: &, <, " and the white space
// characters tab, LF and CR become references (so that they survive
// attribute-value normalisation); characters XML does not allow, and invalid
// UTF-8, become U+FFFD.
func appendEscapedAttr(dst []byte, s string) []byte {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x20 || c == '&' || c == '<' || c == '"' || c >= 0x80 {
			break
		}
		i++
	}
	dst = append(dst, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < 0x80 {
			switch c {
			case '&':
				dst = append(dst, "&amp;"...)
			case '<':
				dst = append(dst, "&lt;"...)
			case '"':
				dst = append(dst, "&quot;"...)
			case '\t':
				dst = append(dst, "&#x9;"...)
			case '\n':
				dst = append(dst, "&#xA;"...)
			case '\r':
				dst = append(dst, "&#xD;"...)
			default:
				if c < 0x20 {
					dst = append(dst, "\uFFFD"...)
				} else {
					dst = append(dst, c)
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
}

// checkFragment reports whether raw is well-formed XML content without
// DOCTYPE or ENTITY declarations.
func checkFragment(raw []byte) error {
	const op = "cfdi.Marshal"
	msg := "Un complemento o la addenda del comprobante no es XML válido."
	if bytes.Contains(raw, markDoctype) || bytes.Contains(raw, markEntity) {
		return domain.E(domain.Invalid, op, msg, errors.New("doctype or entity declaration"))
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		t, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return domain.E(domain.Invalid, op, msg, err)
		}
		if _, ok := t.(xml.Directive); ok {
			return domain.E(domain.Invalid, op, msg, errors.New("directive"))
		}
		if pi, ok := t.(xml.ProcInst); ok && strings.EqualFold(pi.Target, "xml") {
			return domain.E(domain.Invalid, op, msg, errors.New("xml declaration inside the document"))
		}
	}
}

func writeAttrs[T any](e *etree.Element, tbl []attrDef[T], v *T) {
	if cap(e.Attr) == 0 {
		e.Attr = make([]etree.Attr, 0, len(tbl))
	}
	for i := range tbl {
		if s := *tbl[i].get(v); s != "" {
			e.Attr = append(e.Attr, etree.Attr{Key: tbl[i].name, Value: s})
		}
	}
}

func writeList[T any](parent *etree.Element, group, item string, tbl []attrDef[T], list []T) {
	if len(list) == 0 {
		return
	}
	g := parent.CreateElement(group)
	for i := range list {
		writeAttrs(g.CreateElement(item), tbl, &list[i])
	}
}

func writePagos(parent *etree.Element, pg *Pagos) {
	e := parent.CreateElement("pago20:Pagos")
	writeAttrs(e, pagosAttrs, pg)
	if pg.Totales != nil {
		writeAttrs(e.CreateElement("pago20:Totales"), pagosTotalesAttrs, pg.Totales)
	}
	for i := range pg.Pago {
		pa := &pg.Pago[i]
		pe := e.CreateElement("pago20:Pago")
		writeAttrs(pe, pagoAttrs, pa)
		for j := range pa.DoctoRelacionado {
			dr := &pa.DoctoRelacionado[j]
			de := pe.CreateElement("pago20:DoctoRelacionado")
			writeAttrs(de, doctoRelacionadoAttrs, dr)
			if im := dr.ImpuestosDR; im != nil {
				ie := de.CreateElement("pago20:ImpuestosDR")
				writeList(ie, "pago20:RetencionesDR", "pago20:RetencionDR", retencionDRAttrs, im.RetencionesDR)
				writeList(ie, "pago20:TrasladosDR", "pago20:TrasladoDR", trasladoDRAttrs, im.TrasladosDR)
			}
		}
		if im := pa.ImpuestosP; im != nil {
			ie := pe.CreateElement("pago20:ImpuestosP")
			writeList(ie, "pago20:RetencionesP", "pago20:RetencionP", retencionPAttrs, im.RetencionesP)
			writeList(ie, "pago20:TrasladosP", "pago20:TrasladoP", trasladoPAttrs, im.TrasladosP)
		}
	}
}
