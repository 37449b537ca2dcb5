package cfdi

//go:generate go run ./internal/gencadena -o complementos_gen.go

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// The cadena original of a complement is computed by interpreting the
// templates of SAT's stylesheets, read by internal/gencadena into
// xsltTemplates (complementos_gen.go). The interpreter implements exactly
// the XSLT subset the generator accepts: Requerido / Opcional
// (utilerias.xslt), apply-templates, for-each and if over location paths of
// child, descendant and attribute steps, plus XSLT's built-in rules for an
// element with no template (process its children; copy text).

type xname struct{ space, local string }

type xop uint8

const (
	xReq     xop = iota // "|" + normalize-space(string(first node)), always
	xOpt                // the same, only when the node-set is not empty
	xApply              // apply templates to each selected node
	xForEach            // run body with each selected node as context
	xIf                 // run body when the test holds
)

type xaxis uint8

const (
	xChild      xaxis = iota // child element named name
	xDescendant              // descendant element named name ("//")
	xAttribute               // attribute named name
	xAnyChild                // any child element ("*")
)

type xpathStep struct {
	axis xaxis
	name xname
}

type xstep struct {
	op    xop
	path  []xpathStep // empty: the context node
	hasEq bool        // xIf: the test is path='eq'
	eq    string
	body  []xstep
}

// xsltSheet is one complement stylesheet of cadenaoriginal_4_0.xslt.
type xsltSheet struct {
	file, space string
	roots       []string // the elements no other template of the sheet selects
}

// xnode is an element or a text node of a complement's XML.
type xnode struct {
	name  xname
	attrs []xml.Attr
	kids  []*xnode
	text  string
	isTxt bool
}

// maxComplementDepth bounds the nesting of a complement's elements, so that
// hostile input cannot exhaust the stack of the recursive interpreter.
const maxComplementDepth = 256

var errComplementXML = errors.New("complement is not well-formed")

// parseFragment reads verbatim XML (one element, or the content of
// cfdi:ComplementoConcepto) into its top-level nodes.
func parseFragment(raw []byte) ([]*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	var top []*xnode
	var stack []*xnode
	for {
		t, err := d.Token()
		if err == io.EOF {
			if len(stack) != 0 {
				return nil, errComplementXML
			}
			return top, nil
		}
		if err != nil {
			return nil, err
		}
		var n *xnode
		switch t := t.(type) {
		case xml.StartElement:
			if len(stack) >= maxComplementDepth {
				return nil, errors.New("complement nested too deep")
			}
			n = &xnode{name: xname{t.Name.Space, t.Name.Local}, attrs: t.Attr}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			continue
		case xml.CharData:
			n = &xnode{text: string(t), isTxt: true}
		case xml.Directive:
			return nil, errors.New("directive in a complement")
		default:
			continue // comments and processing instructions produce nothing
		}
		if len(stack) == 0 {
			top = append(top, n)
		} else {
			p := stack[len(stack)-1]
			p.kids = append(p.kids, n)
		}
		if !n.isTxt {
			stack = append(stack, n)
		}
	}
}

// complementCadena appends the cadena of verbatim complement XML: the
// templates of its top-level elements (text outside them is not selected by
// the XSLT, which iterates over "./*").
func complementCadena(b *strings.Builder, raw []byte) error {
	top, err := parseFragment(raw)
	if err != nil {
		return domain.E(domain.Invalid, "cfdi.CadenaOriginal", "Un complemento del comprobante no es XML válido.", err)
	}
	for _, n := range top {
		if !n.isTxt {
			applyTemplates(b, n)
		}
	}
	return nil
}

func applyTemplates(b *strings.Builder, n *xnode) {
	if n.isTxt {
		b.WriteString(n.text)
		return
	}
	if steps, ok := xsltTemplates[n.name]; ok {
		runSteps(b, n, steps)
		return
	}
	for _, k := range n.kids { // built-in rule
		applyTemplates(b, k)
	}
}

func runSteps(b *strings.Builder, ctx *xnode, steps []xstep) {
	for i := range steps {
		s := &steps[i]
		switch s.op {
		case xReq, xOpt:
			v, ok := firstValue(ctx, s.path)
			if ok || s.op == xReq {
				b.WriteByte('|')
				normalizeSpace(b, v)
			}
		case xApply:
			for _, n := range selectElements(ctx, s.path) {
				applyTemplates(b, n)
			}
		case xForEach:
			for _, n := range selectElements(ctx, s.path) {
				runSteps(b, n, s.body)
			}
		case xIf:
			if testHolds(ctx, s) {
				runSteps(b, ctx, s.body)
			}
		}
	}
}

// selectElements evaluates a path of element steps, in document order.
func selectElements(ctx *xnode, path []xpathStep) []*xnode {
	set := []*xnode{ctx}
	for _, st := range path {
		var next []*xnode
		for _, n := range set {
			switch st.axis {
			case xChild, xAnyChild:
				for _, k := range n.kids {
					if !k.isTxt && (st.axis == xAnyChild || k.name == st.name) {
						next = append(next, k)
					}
				}
			case xDescendant:
				next = appendDescendants(next, n, st.name)
			}
		}
		set = next
	}
	return set
}

func appendDescendants(dst []*xnode, n *xnode, name xname) []*xnode {
	for _, k := range n.kids {
		if k.isTxt {
			continue
		}
		if k.name == name {
			dst = append(dst, k)
		}
		dst = appendDescendants(dst, k, name)
	}
	return dst
}

// values returns the string values of the nodes path selects, in document
// order (stopping after the first when first is true).
func values(ctx *xnode, path []xpathStep, first bool) []string {
	if len(path) == 0 {
		return []string{stringValue(ctx)}
	}
	last := path[len(path)-1]
	if last.axis != xAttribute {
		var out []string
		for _, n := range selectElements(ctx, path) {
			out = append(out, stringValue(n))
			if first {
				break
			}
		}
		return out
	}
	var out []string
	for _, n := range selectElements(ctx, path[:len(path)-1]) {
		if v, ok := attrValue(n, last.name.local); ok {
			out = append(out, v)
			if first {
				break
			}
		}
	}
	return out
}

// firstValue is string(path) and whether path selects anything (the test
// of utilerias.xslt's Opcional).
func firstValue(ctx *xnode, path []xpathStep) (string, bool) {
	if len(path) == 1 && path[0].axis == xAttribute { // the common case, without allocating
		return attrValue(ctx, path[0].name.local)
	}
	v := values(ctx, path, true)
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func testHolds(ctx *xnode, s *xstep) bool {
	vs := values(ctx, s.path, !s.hasEq)
	if !s.hasEq {
		return len(vs) > 0
	}
	for _, v := range vs {
		if v == s.eq {
			return true
		}
	}
	return false
}

func attrValue(n *xnode, local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// stringValue is the XPath string value of an element: its descendant text.
func stringValue(n *xnode) string {
	if n.isTxt {
		return n.text
	}
	if len(n.kids) == 1 && n.kids[0].isTxt {
		return n.kids[0].text
	}
	var b strings.Builder
	var walk func(*xnode)
	walk = func(n *xnode) {
		for _, k := range n.kids {
			if k.isTxt {
				b.WriteString(k.text)
			} else {
				walk(k)
			}
		}
	}
	walk(n)
	return b.String()
}

// complementName names a complement element for reports: its local name,
// and its namespace when SAT's XSLT has no template for it.
func complementName(n *xnode) (string, bool) {
	if _, ok := xsltTemplates[n.name]; ok {
		return n.name.local, true
	}
	if n.name == (xname{NSTFD, "TimbreFiscalDigital"}) {
		return n.name.local, true
	}
	if n.name.space == "" {
		return n.name.local, false
	}
	return n.name.local + " (" + n.name.space + ")", false
}

// ComplementNames lists the complements of c by name: known are those SAT's
// cadenaoriginal_4_0.xslt has a template for (their data is in the cadena
// original, so the seal covers them) plus the TimbreFiscalDigital; unknown
// are complements it has no template for (only their text enters the
// cadena) and the elements of the Addenda (outside the cadena: not covered
// by the seal). Both keep document order; concept complements are suffixed
// with the concept number. Unknown and addenda content is kept verbatim.
func (c *Comprobante) ComplementNames() (known, unknown []string) {
	add := func(raw []byte, suffix string, addenda bool) {
		top, err := parseFragment(raw)
		if err != nil {
			unknown = append(unknown, "XML no válido"+suffix)
			return
		}
		for _, n := range top {
			if n.isTxt {
				continue
			}
			name, ok := complementName(n)
			switch {
			case addenda:
				unknown = append(unknown, "Addenda: "+name)
			case ok:
				known = append(known, name+suffix)
			default:
				unknown = append(unknown, name+suffix)
			}
		}
	}
	for i := range c.Conceptos {
		if raw := c.Conceptos[i].ComplementoConcepto; raw != nil {
			add(raw, " (concepto "+strconv.Itoa(i+1)+")", false)
		}
	}
	if cm := c.Complemento; cm != nil {
		if cm.Pagos != nil {
			known = append(known, "Pagos")
		}
		for _, raw := range cm.Others {
			add(raw, "", false)
		}
		if cm.TimbreFiscalDigital != nil {
			known = append(known, "TimbreFiscalDigital")
		}
	}
	if c.Addenda != nil {
		add(c.Addenda, "", true)
	}
	return known, unknown
}

// ComplementAttr returns the attribute attr of the first complement element
// {space}local directly in cfdi:Complemento, e.g. the TotaldeTraslados of
// implocal:ImpuestosLocales, and whether it is there.
func (c *Comprobante) ComplementAttr(space, local, attr string) (string, bool) {
	if c.Complemento == nil {
		return "", false
	}
	for _, raw := range c.Complemento.Others {
		top, err := parseFragment(raw)
		if err != nil {
			continue
		}
		for _, n := range top {
			if !n.isTxt && n.name == (xname{space, local}) {
				return attrValue(n, attr)
			}
		}
	}
	return "", false
}
