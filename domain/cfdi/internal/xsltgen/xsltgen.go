// Package xsltgen reads SAT's cadenaoriginal_4_0.xslt and the stylesheets it
// includes (utilerias.xslt and the 32 complement stylesheets) into a small
// program — per element, the ordered steps of its template — and writes it
// as Go source for domain/cfdi (complementos_gen.go), so that a new SAT
// version of a complement is a regeneration, not hand-written code.
//
// The stylesheets use a small subset of XSLT 1.0, and only that subset is
// accepted; anything else stops the generator with an error naming the file
// and the construct:
//
//   - xsl:template match="prefix:Name" (a match="/" template in an included
//     file is skipped: the main stylesheet's own root template comes later
//     with the same import precedence, so it is the one XSLT applies);
//   - xsl:call-template name="Requerido" | "Opcional" with one
//     xsl:with-param name="valor" select="PATH";
//   - xsl:apply-templates select="PATH";
//   - xsl:for-each select="PATH" holding more of these steps;
//   - xsl:if test="PATH" or test="PATH='literal'" holding more steps;
//   - xsl:output and comments (ignored), xsl:include (followed).
//
// PATH is a location path of ".", "@Name", "prefix:Name" steps joined by "/"
// or "//", relative to the context node.
package xsltgen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const nsXSL = "http://www.w3.org/1999/XSL/Transform"

// Op is what a step does.
type Op int

// The step kinds.
const (
	Req     Op = iota // Requerido: "|" + normalize-space(string(first node)), always
	Opt               // Opcional: the same, only when the node-set is not empty
	Apply             // apply-templates to each selected node
	ForEach           // run Body with each selected node as context
	If                // run Body when the test holds
)

// Axis is the axis of a location step.
type Axis int

// The axes the stylesheets use.
const (
	Child      Axis = iota // prefix:Name
	Descendant             // //prefix:Name (descendant-or-self::node()/child::prefix:Name)
	Attribute              // @Name
	AnyChild               // * (any child element)
)

// PathStep is one location step; Space is the namespace URI of an element
// name (attributes in the stylesheets are never qualified).
type PathStep struct {
	Axis         Axis
	Space, Local string
}

// Step is one instruction of a template.
type Step struct {
	Op   Op
	Path []PathStep // empty: the context node (".")
	// For If: when HasEq, the test is PATH='Eq' (true when some selected
	// node's string value equals Eq); otherwise the node-set is not empty.
	HasEq bool
	Eq    string
	Body  []Step
}

// Template is the template of one element.
type Template struct {
	Space, Local string
	Steps        []Step
}

// Sheet is one complement stylesheet.
type Sheet struct {
	File      string // base name, e.g. "implocal.xslt"
	Space     string // the namespace of its templates
	Roots     []string
	Templates []Template
}

// Program is the whole transform: the main stylesheet's templates (the
// cfdi:* elements) and the complement sheets in include order.
type Program struct {
	Main   []Template
	Sheets []Sheet
}

// Load reads the stylesheets of a SAT pack folder (its xslt/ subfolder).
func Load(packDir string) (*Program, error) {
	mainFile := filepath.Join(packDir, "xslt", "cadenaoriginal_4_0.xslt")
	root, err := parseFile(mainFile)
	if err != nil {
		return nil, err
	}
	p := &Program{}
	sawUtil := false
	for _, n := range root.kids {
		switch n.xsl() {
		case "output":
		case "include":
			href := n.attr("href")
			if strings.HasSuffix(href, "utilerias.xslt") {
				if err := checkUtilerias(filepath.Join(filepath.Dir(mainFile), href)); err != nil {
					return nil, err
				}
				sawUtil = true
				continue
			}
			sh, err := loadSheet(filepath.Join(filepath.Dir(mainFile), filepath.FromSlash(href)))
			if err != nil {
				return nil, err
			}
			p.Sheets = append(p.Sheets, *sh)
		case "template":
			if n.attr("match") == "/" {
				// The root template "|…||" is written by the Go code.
				continue
			}
			t, err := compileTemplate(n, "cadenaoriginal_4_0.xslt")
			if err != nil {
				return nil, err
			}
			p.Main = append(p.Main, t)
		default:
			return nil, fmt.Errorf("cadenaoriginal_4_0.xslt: unsupported top-level <%s>", n.name.Local)
		}
	}
	if !sawUtil {
		return nil, errors.New("cadenaoriginal_4_0.xslt does not include utilerias.xslt")
	}
	seen := map[xml.Name]string{}
	check := func(file string, ts []Template) error {
		for _, t := range ts {
			k := xml.Name{Space: t.Space, Local: t.Local}
			if prev, dup := seen[k]; dup {
				return fmt.Errorf("%s: template for {%s}%s also in %s (conflict resolution is not supported)", file, t.Space, t.Local, prev)
			}
			seen[k] = file
		}
		return nil
	}
	if err := check("cadenaoriginal_4_0.xslt", p.Main); err != nil {
		return nil, err
	}
	for _, sh := range p.Sheets {
		if err := check(sh.File, sh.Templates); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkUtilerias makes sure utilerias.xslt still defines Requerido, Opcional
// and ManejaEspacios the way the Go code implements them.
func checkUtilerias(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	s := strings.Join(strings.Fields(string(data)), " ")
	for _, want := range []string{
		`<xsl:template name="Requerido"> <xsl:param name="valor"/>|<xsl:call-template name="ManejaEspacios"> <xsl:with-param name="s" select="$valor"/>`,
		`<xsl:template name="Opcional"> <xsl:param name="valor"/> <xsl:if test="$valor">|<xsl:call-template name="ManejaEspacios"><xsl:with-param name="s" select="$valor"/>`,
		`<xsl:value-of select="normalize-space(string($s))"/>`,
	} {
		if !strings.Contains(s, want) {
			return fmt.Errorf("%s changed: %q not found; review the interpreter in domain/cfdi", filepath.Base(file), want)
		}
	}
	return nil
}

func loadSheet(file string) (*Sheet, error) {
	root, err := parseFile(file)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(file)
	sh := &Sheet{File: base}
	for _, n := range root.kids {
		switch n.xsl() {
		case "output":
		case "template":
			if n.attr("match") == "/" {
				continue // see the package comment
			}
			t, err := compileTemplate(n, base)
			if err != nil {
				return nil, err
			}
			if sh.Space == "" {
				sh.Space = t.Space
			} else if sh.Space != t.Space {
				return nil, fmt.Errorf("%s: templates in two namespaces (%s, %s)", base, sh.Space, t.Space)
			}
			sh.Templates = append(sh.Templates, t)
		default:
			return nil, fmt.Errorf("%s: unsupported top-level <%s>", base, n.name.Local)
		}
	}
	if len(sh.Templates) == 0 {
		return nil, fmt.Errorf("%s: no templates", base)
	}
	// Roots: templates no other template of the sheet selects.
	used := map[string]bool{}
	var walk func([]Step)
	walk = func(steps []Step) {
		for _, s := range steps {
			if (s.Op == Apply || s.Op == ForEach) && len(s.Path) > 0 {
				last := s.Path[len(s.Path)-1]
				if (last.Axis == Child || last.Axis == Descendant) && last.Space == sh.Space {
					used[last.Local] = true
				}
			}
			walk(s.Body)
		}
	}
	for _, t := range sh.Templates {
		walk(t.Steps)
	}
	for _, t := range sh.Templates {
		if !used[t.Local] {
			sh.Roots = append(sh.Roots, t.Local)
		}
	}
	return sh, nil
}

func compileTemplate(n *node, file string) (Template, error) {
	match := n.attr("match")
	space, local, err := n.qname(match)
	if err != nil {
		return Template{}, fmt.Errorf("%s: template match=%q: %v", file, match, err)
	}
	steps, err := compileBody(n, file)
	if err != nil {
		return Template{}, fmt.Errorf("%s: template %s: %v", file, match, err)
	}
	return Template{Space: space, Local: local, Steps: steps}, nil
}

func compileBody(n *node, file string) ([]Step, error) {
	if strings.TrimSpace(n.text) != "" {
		return nil, fmt.Errorf("literal text %q is not supported", strings.TrimSpace(n.text))
	}
	var out []Step
	for _, k := range n.kids {
		var s Step
		var err error
		switch k.xsl() {
		case "call-template":
			switch k.attr("name") {
			case "Requerido":
				s.Op = Req
			case "Opcional":
				s.Op = Opt
			default:
				return nil, fmt.Errorf("call-template %q is not supported", k.attr("name"))
			}
			if len(k.kids) != 1 || k.kids[0].xsl() != "with-param" || k.kids[0].attr("name") != "valor" || strings.TrimSpace(k.text) != "" {
				return nil, errors.New(`call-template needs exactly one with-param name="valor"`)
			}
			s.Path, err = k.kids[0].path(k.kids[0].attr("select"))
		case "apply-templates":
			if len(k.kids) > 0 || k.attr("mode") != "" {
				return nil, errors.New("apply-templates with sort, with-param or mode is not supported")
			}
			s.Op = Apply
			s.Path, err = k.path(k.attr("select"))
		case "for-each":
			s.Op = ForEach
			if s.Path, err = k.path(k.attr("select")); err == nil {
				s.Body, err = compileBody(k, file)
			}
		case "if":
			s.Op = If
			test := k.attr("test")
			if lhs, rhs, ok := strings.Cut(test, "="); ok {
				lit := strings.TrimSpace(rhs)
				if len(lit) < 2 || (lit[0] != '\'' && lit[0] != '"') || lit[len(lit)-1] != lit[0] {
					return nil, fmt.Errorf("if test=%q: only PATH='literal' comparisons are supported", test)
				}
				s.HasEq, s.Eq, test = true, lit[1:len(lit)-1], lhs
			}
			if s.Path, err = k.path(test); err == nil {
				s.Body, err = compileBody(k, file)
			}
		default:
			return nil, fmt.Errorf("<%s> is not supported", k.name.Local)
		}
		if err != nil {
			return nil, err
		}
		if s.Op != If && s.Op != ForEach && len(s.Path) > 0 && s.Path[len(s.Path)-1].Axis == Attribute && s.Op == Apply {
			return nil, errors.New("apply-templates to attributes is not supported")
		}
		out = append(out, s)
	}
	return out, nil
}

// node is an element of a stylesheet with its in-scope namespaces.
type node struct {
	name   xml.Name
	attrs  []xml.Attr
	ns     map[string]string
	kids   []*node
	text   string
	parent *node
}

func (n *node) xsl() string {
	if n.name.Space != nsXSL {
		return "!" + n.name.Local
	}
	return n.name.Local
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) qname(q string) (space, local string, err error) {
	prefix, local, ok := strings.Cut(q, ":")
	if !ok || prefix == "" || local == "" || strings.ContainsAny(local, ":/[]()*@|= ") {
		return "", "", fmt.Errorf("%q is not a prefixed element name", q)
	}
	space, found := n.ns[prefix]
	if !found {
		return "", "", fmt.Errorf("prefix %q is not declared", prefix)
	}
	return space, local, nil
}

// path compiles a location path of the supported subset.
func (n *node) path(expr string) ([]PathStep, error) {
	e := strings.TrimSpace(expr)
	if e == "" {
		return nil, errors.New("empty select")
	}
	if strings.HasPrefix(e, "/") {
		return nil, fmt.Errorf("absolute path %q is not supported", expr)
	}
	if strings.ContainsAny(e, "[]()|$\"'") || strings.Contains(e, "::") || strings.Contains(e, "..") {
		return nil, fmt.Errorf("path %q is outside the supported subset", expr)
	}
	var out []PathStep
	desc := false
	parts := strings.Split(e, "/")
	for i, p := range parts {
		switch {
		case p == "":
			if i == 0 || i == len(parts)-1 || desc {
				return nil, fmt.Errorf("path %q is outside the supported subset", expr)
			}
			desc = true
			continue
		case p == ".":
		case p == "*":
			if desc {
				return nil, fmt.Errorf("path %q is outside the supported subset", expr)
			}
			out = append(out, PathStep{Axis: AnyChild})
		case strings.HasPrefix(p, "@"):
			if i != len(parts)-1 || desc || strings.Contains(p, ":") || len(p) == 1 {
				return nil, fmt.Errorf("path %q: attribute step not supported here", expr)
			}
			out = append(out, PathStep{Axis: Attribute, Local: p[1:]})
		default:
			space, local, err := n.qname(p)
			if err != nil {
				return nil, fmt.Errorf("path %q: %v", expr, err)
			}
			ax := Child
			if desc {
				ax = Descendant
			}
			out = append(out, PathStep{Axis: ax, Space: space, Local: local})
		}
		if desc && p == "." {
			return nil, fmt.Errorf("path %q is outside the supported subset", expr)
		}
		desc = false
	}
	return out, nil
}

func parseFile(file string) (*node, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var root, cur *node
	for {
		t, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", filepath.Base(file), err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, parent: cur, ns: map[string]string{}}
			if cur != nil {
				for k, v := range cur.ns {
					n.ns[k] = v
				}
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.ns[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.ns[""] = a.Value
				default:
					n.attrs = append(n.attrs, a)
				}
			}
			if cur == nil {
				root = n
			} else {
				cur.kids = append(cur.kids, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(t)
			}
		}
	}
	if root == nil || root.name.Space != nsXSL || root.name.Local != "stylesheet" {
		return nil, fmt.Errorf("%s: not an xsl:stylesheet", filepath.Base(file))
	}
	return root, nil
}

// Go returns the Go source of the program for package cfdi.
func (p *Program) Go() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gencadena from SAT's cadenaoriginal_4_0.xslt; DO NOT EDIT.\n\n")
	b.WriteString("package cfdi\n\n")
	b.WriteString("// xsltSheets are the complement stylesheets cadenaoriginal_4_0.xslt includes, in its order.\n")
	b.WriteString("var xsltSheets = []xsltSheet{\n")
	for _, sh := range p.Sheets {
		fmt.Fprintf(&b, "{file: %q, space: %q, roots: %#v},\n", sh.File, sh.Space, sh.Roots)
	}
	b.WriteString("}\n\n")
	b.WriteString("// xsltTemplates holds, per element, the steps of its template.\n")
	b.WriteString("var xsltTemplates = map[xname][]xstep{\n")
	all := append([]Template(nil), p.Main...)
	for _, sh := range p.Sheets {
		all = append(all, sh.Templates...)
	}
	for _, t := range all {
		fmt.Fprintf(&b, "{%q, %q}: ", t.Space, t.Local)
		writeSteps(&b, t.Steps)
		b.WriteString(",\n")
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated code: %v", err)
	}
	return out, nil
}

var opNames = map[Op]string{Req: "xReq", Opt: "xOpt", Apply: "xApply", ForEach: "xForEach", If: "xIf"}
var axisNames = map[Axis]string{Child: "xChild", Descendant: "xDescendant", Attribute: "xAttribute", AnyChild: "xAnyChild"}

func writeSteps(b *bytes.Buffer, steps []Step) {
	b.WriteString("{\n")
	for _, s := range steps {
		fmt.Fprintf(b, "{op: %s", opNames[s.Op])
		if len(s.Path) > 0 {
			b.WriteString(", path: []xpathStep{")
			for i, p := range s.Path {
				if i > 0 {
					b.WriteString(", ")
				}
				if p.Axis == AnyChild {
					fmt.Fprintf(b, "{axis: %s}", axisNames[p.Axis])
				} else if p.Axis == Attribute {
					fmt.Fprintf(b, "{axis: %s, name: xname{\"\", %s}}", axisNames[p.Axis], strconv.Quote(p.Local))
				} else {
					fmt.Fprintf(b, "{axis: %s, name: xname{%q, %q}}", axisNames[p.Axis], p.Space, p.Local)
				}
			}
			b.WriteString("}")
		}
		if s.HasEq {
			fmt.Fprintf(b, ", hasEq: true, eq: %q", s.Eq)
		}
		if len(s.Body) > 0 {
			b.WriteString(", body: []xstep")
			writeSteps(b, s.Body)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
}

// Names returns the sorted file names of the complement sheets.
func (p *Program) Names() []string {
	var out []string
	for _, sh := range p.Sheets {
		out = append(out, sh.File)
	}
	sort.Strings(out)
	return out
}
