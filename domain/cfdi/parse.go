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

// MaxSize is the largest document Parse accepts, in bytes.
const MaxSize = 20 << 20

var (
	bom         = []byte("\xef\xbb\xbf")
	markDoctype = []byte("<!DOCTYPE")
	markEntity  = []byte("<!ENTITY")
)

const nsCFDI33 = "http://www.sat.gob.mx/cfd/3"

// Parse reads a CFDI 4.0 document: any prefixes or a default namespace, a
// UTF-8 byte order mark, CRLF line ends, indentation and character references
// are accepted. Hostile input is refused before any parsing: a document
// larger than MaxSize or holding a DOCTYPE or ENTITY declaration. Entities
// are never expanded. CFDI 3.3 and 3.2 documents are recognised and refused
// with a message naming their version. Every failure is a domain.Error of
// kind Invalid with a Spanish message.
func Parse(data []byte) (*Comprobante, error) {
	const op = "cfdi.Parse"
	if len(data) > MaxSize {
		return nil, domain.Errorf(domain.Invalid, op, "El archivo XML mide más de %d MB; Folio no lee archivos tan grandes.", MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, bom)
	if bytes.Contains(data, markDoctype) || bytes.Contains(data, markEntity) {
		return nil, domain.E(domain.Invalid, op, "El archivo XML contiene declaraciones DOCTYPE o ENTITY; por seguridad Folio no lo lee.", errors.New("doctype or entity declaration"))
	}
	p := &parser{data: data, d: xml.NewDecoder(bytes.NewReader(data))}
	c, err := p.document()
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, domain.E(domain.Invalid, op, "El archivo no es un XML bien formado; revise que esté completo y sin modificaciones.", err)
	}
	return c, nil
}

// parser walks the token stream of encoding/xml (namespaces resolved,
// strict mode, no entity map: an unknown entity is an error).
type parser struct {
	data []byte
	d    *xml.Decoder
	prev int64      // input offset before the last token read
	ns   [][]nsDecl // namespace declarations of the open elements
}

type nsDecl struct{ prefix, uri string }

func (p *parser) token() (xml.Token, error) {
	p.prev = p.d.InputOffset()
	t, err := p.d.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	return t, err
}

func (p *parser) push(se xml.StartElement) {
	var decl []nsDecl
	for _, a := range se.Attr {
		switch {
		case a.Name.Space == "xmlns":
			decl = append(decl, nsDecl{a.Name.Local, a.Value})
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			decl = append(decl, nsDecl{"", a.Value})
		}
	}
	p.ns = append(p.ns, decl)
}

func (p *parser) pop() { p.ns = p.ns[:len(p.ns)-1] }

func (p *parser) document() (*Comprobante, error) {
	const op = "cfdi.Parse"
	for {
		t, err := p.d.Token()
		if err == io.EOF {
			return nil, domain.E(domain.Invalid, op, "El archivo no contiene un comprobante.", err)
		}
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if err := checkRoot(t); err != nil {
				return nil, err
			}
			c := &Comprobante{}
			p.push(t)
			readAttrs(t, comprobanteAttrs, c)
			if err := p.comprobante(c); err != nil {
				return nil, err
			}
			// Anything after the root must be comments, processing instructions or space.
			for {
				t, err := p.d.Token()
				if err == io.EOF {
					return c, nil
				}
				if err != nil {
					return nil, err
				}
				if _, ok := t.(xml.StartElement); ok {
					return nil, errors.New("more than one root element")
				}
			}
		case xml.Directive:
			return nil, errors.New("unexpected directive")
		}
	}
}

func checkRoot(t xml.StartElement) error {
	const op = "cfdi.Parse"
	version := func(names ...string) string {
		for _, a := range t.Attr {
			for _, n := range names {
				if a.Name.Space == "" && a.Name.Local == n {
					return strings.TrimSpace(a.Value)
				}
			}
		}
		return ""
	}
	if t.Name.Local == "Comprobante" && t.Name.Space == nsCFDI33 {
		v := version("Version", "version")
		if v == "" {
			v = "3.x"
		}
		return domain.Errorf(domain.Invalid, op, "El archivo es un CFDI versión %s; Folio lee CFDI 4.0.", v)
	}
	if t.Name.Local != "Comprobante" || t.Name.Space != NSCFDI {
		return domain.E(domain.Invalid, op, "El archivo XML no es un CFDI 4.0 (falta el nodo cfdi:Comprobante).",
			fmt.Errorf("root element {%s}%s", t.Name.Space, t.Name.Local))
	}
	if v := version("Version"); v != "4.0" {
		return domain.Errorf(domain.Invalid, op, "El comprobante declara Version=%q; Folio lee CFDI 4.0.", v)
	}
	return nil
}

// readAttrs assigns the unqualified attributes of se that tbl names.
func readAttrs[T any](se xml.StartElement, tbl []attrDef[T], v *T) {
	for _, a := range se.Attr {
		if a.Name.Space != "" {
			continue
		}
		for i := range tbl {
			if tbl[i].name == a.Name.Local {
				*tbl[i].get(v) = a.Value
				break
			}
		}
	}
}

// children calls f for each child element of the element just opened, and
// returns after its end tag. f must consume the child (through a nested
// children call, skip or capture). Character data and comments are ignored.
func (p *parser) children(f func(se xml.StartElement) error) error {
	for {
		t, err := p.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			p.push(t)
			err := f(t)
			p.pop()
			if err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.Directive:
			return errors.New("unexpected directive")
		}
	}
}

// skip consumes the element just opened.
func (p *parser) skip() error { return p.children(func(xml.StartElement) error { return p.skip() }) }

// leaf reads an element that holds no children of interest.
func leaf[T any](p *parser, se xml.StartElement, tbl []attrDef[T]) (T, error) {
	var v T
	readAttrs(se, tbl, &v)
	return v, p.skip()
}

func (p *parser) comprobante(c *Comprobante) error {
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space != NSCFDI {
			return p.skip()
		}
		switch se.Name.Local {
		case "InformacionGlobal":
			v, err := leaf(p, se, informacionGlobalAttrs)
			c.InformacionGlobal = &v
			return err
		case "CfdiRelacionados":
			var g CfdiRelacionados
			readAttrs(se, cfdiRelacionadosAttrs, &g)
			err := p.children(func(se xml.StartElement) error {
				if se.Name.Space == NSCFDI && se.Name.Local == "CfdiRelacionado" {
					v, err := leaf(p, se, cfdiRelacionadoAttrs)
					g.CfdiRelacionado = append(g.CfdiRelacionado, v)
					return err
				}
				return p.skip()
			})
			c.CfdiRelacionados = append(c.CfdiRelacionados, g)
			return err
		case "Emisor":
			v, err := leaf(p, se, emisorAttrs)
			c.Emisor = v
			return err
		case "Receptor":
			v, err := leaf(p, se, receptorAttrs)
			c.Receptor = v
			return err
		case "Conceptos":
			return p.children(func(se xml.StartElement) error {
				if se.Name.Space == NSCFDI && se.Name.Local == "Concepto" {
					var k Concepto
					readAttrs(se, conceptoAttrs, &k)
					err := p.concepto(&k)
					c.Conceptos = append(c.Conceptos, k)
					return err
				}
				return p.skip()
			})
		case "Impuestos":
			im := &Impuestos{}
			readAttrs(se, impuestosAttrs, im)
			c.Impuestos = im
			return p.children(func(se xml.StartElement) error {
				switch {
				case se.Name.Space == NSCFDI && se.Name.Local == "Retenciones":
					return collect(p, NSCFDI, "Retencion", retencionDocAttrs, &im.Retenciones)
				case se.Name.Space == NSCFDI && se.Name.Local == "Traslados":
					return collect(p, NSCFDI, "Traslado", trasladoAttrs, &im.Traslados)
				}
				return p.skip()
			})
		case "Complemento":
			if c.Complemento == nil {
				c.Complemento = &Complemento{}
			}
			return p.complemento(c.Complemento)
		case "Addenda":
			inner, err := p.inner()
			if inner == nil {
				inner = []byte{}
			}
			c.Addenda = inner
			return err
		}
		return p.skip()
	})
}

// collect reads the children named local of the element just opened into dst.
func collect[T any](p *parser, space, local string, tbl []attrDef[T], dst *[]T) error {
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space == space && se.Name.Local == local {
			v, err := leaf(p, se, tbl)
			*dst = append(*dst, v)
			return err
		}
		return p.skip()
	})
}

func (p *parser) concepto(k *Concepto) error {
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space != NSCFDI {
			return p.skip()
		}
		switch se.Name.Local {
		case "Impuestos":
			im := &ImpuestosConcepto{}
			k.Impuestos = im
			return p.children(func(se xml.StartElement) error {
				switch {
				case se.Name.Space == NSCFDI && se.Name.Local == "Traslados":
					return collect(p, NSCFDI, "Traslado", trasladoAttrs, &im.Traslados)
				case se.Name.Space == NSCFDI && se.Name.Local == "Retenciones":
					return collect(p, NSCFDI, "Retencion", retencionAttrs, &im.Retenciones)
				}
				return p.skip()
			})
		case "ACuentaTerceros":
			v, err := leaf(p, se, aCuentaTercerosAttrs)
			k.ACuentaTerceros = &v
			return err
		case "InformacionAduanera":
			v, err := leaf(p, se, informacionAduaneraAttrs)
			k.InformacionAduanera = append(k.InformacionAduanera, v)
			return err
		case "CuentaPredial":
			v, err := leaf(p, se, cuentaPredialAttrs)
			k.CuentaPredial = append(k.CuentaPredial, v)
			return err
		case "ComplementoConcepto":
			inner, err := p.inner()
			if inner == nil {
				inner = []byte{}
			}
			k.ComplementoConcepto = inner
			return err
		case "Parte":
			var pt Parte
			readAttrs(se, parteAttrs, &pt)
			err := collect(p, NSCFDI, "InformacionAduanera", informacionAduaneraAttrs, &pt.InformacionAduanera)
			k.Parte = append(k.Parte, pt)
			return err
		}
		return p.skip()
	})
}

func (p *parser) complemento(cm *Complemento) error {
	return p.children(func(se xml.StartElement) error {
		switch {
		case se.Name.Space == NSTFD && se.Name.Local == "TimbreFiscalDigital":
			v, err := leaf(p, se, tfdAttrs)
			cm.TimbreFiscalDigital = &v
			return err
		case se.Name.Space == NSPagos && se.Name.Local == "Pagos":
			pg := &Pagos{}
			readAttrs(se, pagosAttrs, pg)
			cm.Pagos, cm.pagosAt = pg, len(cm.Others)
			return p.pagos(pg)
		}
		raw, err := p.capture()
		cm.Others = append(cm.Others, raw)
		return err
	})
}

func (p *parser) pagos(pg *Pagos) error {
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space != NSPagos {
			return p.skip()
		}
		switch se.Name.Local {
		case "Totales":
			v, err := leaf(p, se, pagosTotalesAttrs)
			pg.Totales = &v
			return err
		case "Pago":
			var pa Pago
			readAttrs(se, pagoAttrs, &pa)
			err := p.children(func(se xml.StartElement) error {
				if se.Name.Space != NSPagos {
					return p.skip()
				}
				switch se.Name.Local {
				case "DoctoRelacionado":
					var dr DoctoRelacionado
					readAttrs(se, doctoRelacionadoAttrs, &dr)
					err := p.children(func(se xml.StartElement) error {
						if se.Name.Space != NSPagos || se.Name.Local != "ImpuestosDR" {
							return p.skip()
						}
						im := &ImpuestosDR{}
						dr.ImpuestosDR = im
						return p.children(func(se xml.StartElement) error {
							switch {
							case se.Name.Space == NSPagos && se.Name.Local == "RetencionesDR":
								return collect(p, NSPagos, "RetencionDR", retencionDRAttrs, &im.RetencionesDR)
							case se.Name.Space == NSPagos && se.Name.Local == "TrasladosDR":
								return collect(p, NSPagos, "TrasladoDR", trasladoDRAttrs, &im.TrasladosDR)
							}
							return p.skip()
						})
					})
					pa.DoctoRelacionado = append(pa.DoctoRelacionado, dr)
					return err
				case "ImpuestosP":
					im := &ImpuestosP{}
					pa.ImpuestosP = im
					return p.children(func(se xml.StartElement) error {
						switch {
						case se.Name.Space == NSPagos && se.Name.Local == "RetencionesP":
							return collect(p, NSPagos, "RetencionP", retencionPAttrs, &im.RetencionesP)
						case se.Name.Space == NSPagos && se.Name.Local == "TrasladosP":
							return collect(p, NSPagos, "TrasladoP", trasladoPAttrs, &im.TrasladosP)
						}
						return p.skip()
					})
				}
				return p.skip()
			})
			pg.Pago = append(pg.Pago, pa)
			return err
		}
		return p.skip()
	})
}

// capture returns the verbatim bytes of the element just opened (its start
// tag began at p.prev) and consumes it. Namespace prefixes declared on its
// ancestors and used inside it are declared again on its start tag, so the
// bytes are well-formed XML on their own.
func (p *parser) capture() ([]byte, error) {
	start := p.prev
	if err := p.skip(); err != nil {
		return nil, err
	}
	raw := p.data[start:p.d.InputOffset()]
	return p.redeclare(raw), nil
}

// inner returns the verbatim content of the element just opened (between
// its tags) and consumes it; top-level child elements get their inherited
// namespace declarations like in capture.
func (p *parser) inner() ([]byte, error) {
	var out []byte
	from := p.d.InputOffset()
	for {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			out = append(out, p.data[from:p.prev]...)
			p.push(t)
			raw, err := p.capture()
			p.pop()
			if err != nil {
				return nil, err
			}
			out = append(out, raw...)
			from = p.d.InputOffset()
		case xml.EndElement:
			return append(out, p.data[from:p.prev]...), nil
		case xml.Directive:
			return nil, errors.New("unexpected directive")
		}
	}
}

// redeclare adds to raw's start tag the declarations, inherited from the
// ancestors of the current element (the top of p.ns is the element itself),
// of every prefix raw uses and does not declare itself, and the inherited
// default namespace when raw's element name has no prefix.
func (p *parser) redeclare(raw []byte) []byte {
	if len(p.ns) < 2 {
		return raw
	}
	own := p.ns[len(p.ns)-1]
	declared := func(prefix string) bool {
		for _, d := range own {
			if d.prefix == prefix {
				return true
			}
		}
		return false
	}
	// End of the element name in the start tag.
	nameEnd := 1
	for nameEnd < len(raw) && !isSpace(raw[nameEnd]) && raw[nameEnd] != '/' && raw[nameEnd] != '>' {
		nameEnd++
	}
	unprefixed := !bytes.ContainsRune(raw[1:nameEnd], ':')
	var add []byte
	seen := map[string]bool{}
	for i := len(p.ns) - 2; i >= 0; i-- {
		for _, d := range p.ns[i] {
			if seen[d.prefix] || declared(d.prefix) {
				continue
			}
			seen[d.prefix] = true
			switch {
			case d.prefix == "":
				if !unprefixed || d.uri == "" {
					continue
				}
				add = append(add, ` xmlns="`...)
			case usesPrefix(raw, d.prefix):
				add = append(add, " xmlns:"...)
				add = append(add, d.prefix...)
				add = append(add, `="`...)
			default:
				continue
			}
			add = appendEscapedAttr(add, d.uri)
			add = append(add, '"')
		}
	}
	if add == nil {
		return raw
	}
	out := make([]byte, 0, len(raw)+len(add))
	out = append(out, raw[:nameEnd]...)
	out = append(out, add...)
	return append(out, raw[nameEnd:]...)
}

// usesPrefix reports whether raw holds "prefix:" as a qualified name (after
// '<', '/', or white space).
func usesPrefix(raw []byte, prefix string) bool {
	needle := prefix + ":"
	s := string(raw)
	for i := 0; ; {
		j := strings.Index(s[i:], needle)
		if j < 0 {
			return false
		}
		j += i
		if j > 0 {
			switch s[j-1] {
			case '<', '/', ' ', '\t', '\n', '\r':
				return true
			}
		}
		i = j + 1
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
