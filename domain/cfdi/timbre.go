package cfdi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// InsertTimbre returns sealed with t inserted as the last child of
// cfdi:Complemento (created after cfdi:Impuestos/Conceptos, before any
// Addenda, when absent). Every other byte of sealed is kept as it is: the
// insertion is done on the bytes, never by re-serialising, because the
// sealed XML is the fiscal truth. The indentation of the surrounding
// document is followed, so a document written by Marshal and stamped here is
// again what Marshal writes for it. A document that already carries a TFD
// is a Conflict; an unreadable one is Invalid.
func InsertTimbre(sealed []byte, t *TimbreFiscalDigital) ([]byte, error) {
	const op = "cfdi.InsertTimbre"
	if len(sealed) > MaxSize || bytes.Contains(sealed, markDoctype) || bytes.Contains(sealed, markEntity) {
		return nil, domain.E(domain.Invalid, op, "El XML sellado no es válido para timbrar.", errors.New("oversized or has DOCTYPE/ENTITY"))
	}
	data := sealed
	base := 0
	if bytes.HasPrefix(data, bom) {
		data, base = data[len(bom):], len(bom)
	}
	loc, err := locate(data)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El XML sellado no es un CFDI 4.0 legible.", err)
	}
	if loc.hasTFD {
		return nil, domain.E(domain.Conflict, op, "El comprobante ya está timbrado.", errors.New("TimbreFiscalDigital already present"))
	}

	tfd := tfdElement(t, !loc.xsiBound)
	childWS := loc.childWS                                 // before a child of the root
	grandWS := childWS + strings.TrimLeft(childWS, "\r\n") // before a child of Complemento
	if childWS == "" {
		grandWS = ""
	}
	var at, skip int
	var insert string
	switch {
	case loc.complEnd >= 0 && loc.complSelfClose:
		// <cfdi:Complemento/> becomes <cfdi:Complemento>…</cfdi:Complemento>.
		at, skip = loc.complEnd-2, 1
		insert = ">" + grandWS + tfd + childWS + "</" + loc.prefix + "Complemento"
	case loc.complEnd >= 0:
		// After the last complement, before the white space ahead of </cfdi:Complemento>.
		at = wsStart(data, loc.complEnd)
		insert = grandWS + tfd
	default:
		at = wsStart(data, loc.anchor)
		insert = childWS + "<" + loc.prefix + "Complemento>" + grandWS + tfd + childWS + "</" + loc.prefix + "Complemento>"
	}
	at += base
	out := make([]byte, 0, len(sealed)+len(insert))
	out = append(out, sealed[:at]...)
	out = append(out, insert...)
	return append(out, sealed[at+skip:]...), nil
}

// location is where InsertTimbre may write, found by one pass of the decoder.
type location struct {
	prefix         string // "cfdi:" or "" (default namespace) as the root uses it
	childWS        string // white space before the first child of the root
	xsiBound       bool   // the root binds prefix xsi to the XSI namespace
	complEnd       int    // offset of </cfdi:Complemento> (or of "/>"+2 when self-closed); -1 if absent
	complSelfClose bool
	anchor         int // offset of <cfdi:Addenda> or </cfdi:Comprobante>
	hasTFD         bool
}

func locate(data []byte) (location, error) {
	loc := location{complEnd: -1, anchor: -1}
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	inCompl := false
	first := true
	for {
		prev := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return loc, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if tk.Name.Space != NSCFDI || tk.Name.Local != "Comprobante" {
					return loc, errors.New("root is not cfdi:Comprobante 4.0")
				}
				loc.prefix = rawPrefix(data[prev:])
				for _, a := range tk.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == "xsi" && a.Value == NSXSI {
						loc.xsiBound = true
					}
				}
			case 2:
				if first {
					loc.childWS = string(data[wsStart(data, prev):prev])
					first = false
				}
				if tk.Name.Space == NSCFDI && tk.Name.Local == "Complemento" {
					inCompl = true
					end := int(d.InputOffset())
					loc.complSelfClose = bytes.HasSuffix(data[prev:end], []byte("/>"))
					if loc.complSelfClose {
						loc.complEnd = end
					}
				}
				if tk.Name.Space == NSCFDI && tk.Name.Local == "Addenda" && loc.anchor < 0 {
					loc.anchor = prev
				}
			case 3:
				if inCompl {
					if tk.Name.Space == NSTFD && tk.Name.Local == "TimbreFiscalDigital" {
						loc.hasTFD = true
					}
				}
			}
		case xml.EndElement:
			if depth == 2 && inCompl {
				inCompl = false
				if !loc.complSelfClose {
					loc.complEnd = prev
				}
			}
			if depth == 1 && loc.anchor < 0 {
				loc.anchor = prev
			}
			depth--
		case xml.Directive:
			return loc, errors.New("directive")
		}
	}
	if loc.anchor < 0 {
		return loc, errors.New("no root element")
	}
	return loc, nil
}

// rawPrefix returns "p:" for a start tag "<p:Name", "" for "<Name".
func rawPrefix(tag []byte) string {
	for i := 1; i < len(tag); i++ {
		switch tag[i] {
		case ':':
			return string(tag[1 : i+1])
		case ' ', '\t', '\r', '\n', '>', '/':
			return ""
		}
	}
	return ""
}

// wsStart returns the start of the run of white space that ends at i.
func wsStart(data []byte, i int) int {
	for i > 0 && isSpace(data[i-1]) {
		i--
	}
	return i
}

// tfdElement writes the TFD as PACs do: its own xmlns:tfd and
// xsi:schemaLocation, attributes in XSD order.
func tfdElement(t *TimbreFiscalDigital, declareXSI bool) string {
	var b strings.Builder
	b.Grow(1024 + len(t.SelloCFD) + len(t.SelloSAT))
	b.WriteString(`<tfd:TimbreFiscalDigital xmlns:tfd="` + NSTFD + `"`)
	if declareXSI {
		b.WriteString(` xmlns:xsi="` + NSXSI + `"`)
	}
	b.WriteString(` xsi:schemaLocation="` + NSTFD + " " + SchemaTFD + `"`)
	for i := range tfdAttrs {
		if v := *tfdAttrs[i].get(t); v != "" {
			b.WriteString(" " + tfdAttrs[i].name + `="`)
			writeEscapedAttr(&b, v)
			b.WriteByte('"')
		}
	}
	b.WriteString("/>")
	return b.String()
}

// writeEscapedAttr escapes s like the writer (canonical attribute values).
func writeEscapedAttr(b *strings.Builder, s string) {
	var small [128]byte
	b.Write(appendEscapedAttr(small[:0], s))
}
