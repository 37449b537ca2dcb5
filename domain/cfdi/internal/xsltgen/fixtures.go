package xsltgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FindPack returns the SAT reference pack: $FOLIO_SAT_PACK, or shared/sat or
// ../shared/sat in the current folder or one above it; "" if none.
func FindPack() string {
	if d := os.Getenv("FOLIO_SAT_PACK"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "shared", "sat"), filepath.Join(d, "..", "shared", "sat")} {
			if st, err := os.Stat(filepath.Join(c, "xslt", "cadenaoriginal_4_0.xslt")); err == nil && !st.IsDir() {
				abs, _ := filepath.Abs(c)
				return abs
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Fixture is a synthetic instance of a complement.
type Fixture struct {
	Name string // "<sheet>.<Root>.xml"
	XML  []byte
}

// Fixtures builds one instance per root element of every complement sheet.
// It follows the templates: every attribute they read is written (a few
// optional ones left out, a few required ones too, which the XSLT writes as
// an empty field), every child path they select exists (twice near the
// root, to exercise repetition), an element with no template gets free
// text (copied by XSLT's built-in rule), and values carry runs of spaces,
// line breaks, characters that need escaping and non-ASCII letters.
func (p *Program) Fixtures() []Fixture {
	tmpl := map[[2]string][]Step{}
	for _, t := range p.Main {
		tmpl[[2]string{t.Space, t.Local}] = t.Steps
	}
	for _, sh := range p.Sheets {
		for _, t := range sh.Templates {
			tmpl[[2]string{t.Space, t.Local}] = t.Steps
		}
	}
	var out []Fixture
	for _, sh := range p.Sheets {
		for _, root := range sh.Roots {
			g := &synth{tmpl: tmpl, typed: sh.Space == "http://www.sat.gob.mx/Pagos20"}
			e := &elem{space: sh.Space, local: root}
			g.walk(e, tmpl[[2]string{sh.Space, root}], 0)
			var b strings.Builder
			e.write(&b, sh.Space, 0, true)
			b.WriteString("\n")
			out = append(out, Fixture{Name: strings.TrimSuffix(sh.File, ".xslt") + "." + root + ".xml", XML: []byte(b.String())})
		}
	}
	return out
}

type elem struct {
	space, local string
	attrs        [][2]string
	kids         []*elem
	text         string
	done         bool
}

type synth struct {
	tmpl  map[[2]string][]Step
	n     int
	typed bool // Pagos 2.0 goes through the typed model: no empty optional values
}

// pagosRepeated are the Pagos 2.0 elements Pagos20.xsd lets repeat; the
// typed model of domain/cfdi holds only one of the others.
var pagosRepeated = map[string]bool{
	"Pago": true, "DoctoRelacionado": true, "RetencionDR": true, "TrasladoDR": true, "RetencionP": true, "TrasladoP": true,
}

var sampleValues = []string{
	"A1", "1500.50", "  con   espacios\tinternos ", "Ñandú & «Compañía» <S.A.>", "0", "línea\nnueva", "2025-11-20T10:15:00", "",
}

func (g *synth) value() (string, bool) {
	g.n++
	if !g.typed && g.n%13 == 7 {
		return "", false // absent
	}
	v := sampleValues[g.n%len(sampleValues)]
	if g.typed && v == "" {
		v = "X"
	}
	return v, true
}

func (g *synth) walk(ctx *elem, steps []Step, depth int) {
	if depth > 12 {
		return
	}
	for _, s := range steps {
		switch s.Op {
		case Req, Opt:
			if len(s.Path) == 0 {
				if ctx.text == "" && len(ctx.kids) == 0 {
					ctx.text, _ = g.value()
				}
				continue
			}
			last := s.Path[len(s.Path)-1]
			if last.Axis == Attribute {
				for _, n := range g.ensure(ctx, s.Path[:len(s.Path)-1], 1) {
					if v, ok := g.value(); ok && (s.Op == Req || g.n%5 != 3) {
						n.setAttr(last.Local, v)
					}
				}
				continue
			}
			for _, n := range g.ensure(ctx, s.Path, 1) {
				if n.text == "" && len(n.kids) == 0 {
					n.text, _ = g.value()
				}
			}
		case Apply, ForEach:
			rep := 1
			if depth < 3 && (!g.typed || len(s.Path) == 0 || pagosRepeated[s.Path[len(s.Path)-1].Local]) {
				rep = 2
			}
			for _, n := range g.ensure(ctx, s.Path, rep) {
				if s.Op == ForEach {
					g.walk(n, s.Body, depth+1)
					continue
				}
				if n.done {
					continue
				}
				n.done = true
				if t, ok := g.tmpl[[2]string{n.space, n.local}]; ok {
					g.walk(n, t, depth+1)
				} else if len(n.kids) == 0 {
					n.text = "  texto  libre\n"
				}
			}
		case If:
			if len(s.Path) > 0 && s.Path[len(s.Path)-1].Axis == Attribute {
				for _, n := range g.ensure(ctx, s.Path[:len(s.Path)-1], 1) {
					v := "X"
					if s.HasEq {
						v = s.Eq
					}
					n.setAttr(s.Path[len(s.Path)-1].Local, v)
				}
			} else {
				g.ensure(ctx, s.Path, 1)
			}
			g.walk(ctx, s.Body, depth+1)
		}
	}
}

// ensure returns the elements path selects from ctx, creating them (rep of
// the last step) when missing.
func (g *synth) ensure(ctx *elem, path []Step0, rep int) []*elem {
	set := []*elem{ctx}
	for i, st := range path {
		var next []*elem
		for _, n := range set {
			var found []*elem
			for _, k := range n.kids {
				if k.space == st.Space && k.local == st.Local {
					found = append(found, k)
				}
			}
			if len(found) == 0 {
				want := 1
				if i == len(path)-1 {
					want = rep
				}
				for j := 0; j < want; j++ {
					k := &elem{space: st.Space, local: st.Local}
					n.kids = append(n.kids, k)
					found = append(found, k)
				}
			}
			next = append(next, found...)
		}
		set = next
	}
	return set
}

// Step0 is a location step (alias kept short for ensure's signature).
type Step0 = PathStep

func (e *elem) setAttr(name, v string) {
	for i := range e.attrs {
		if e.attrs[i][0] == name {
			e.attrs[i][1] = v
			return
		}
	}
	e.attrs = append(e.attrs, [2]string{name, v})
}

func (e *elem) write(b *strings.Builder, space string, depth int, root bool) {
	ind := strings.Repeat("  ", depth)
	prefix := "c:"
	if e.space != space {
		prefix = "o:"
	}
	fmt.Fprintf(b, "%s<%s%s", ind, prefix, e.local)
	if root {
		fmt.Fprintf(b, " xmlns:c=%q", space)
	}
	if e.space != space {
		fmt.Fprintf(b, " xmlns:o=%q", e.space)
	}
	for _, a := range e.attrs {
		fmt.Fprintf(b, " %s=\"%s\"", a[0], escape(a[1], true))
	}
	switch {
	case len(e.kids) == 0 && e.text == "":
		b.WriteString("/>")
	case len(e.kids) == 0:
		fmt.Fprintf(b, ">%s</%s%s>", escape(e.text, false), prefix, e.local)
	default:
		b.WriteString(">")
		for _, k := range e.kids {
			b.WriteString("\n")
			k.write(b, space, depth+1, false)
		}
		fmt.Fprintf(b, "\n%s</%s%s>", ind, prefix, e.local)
	}
}

func escape(s string, attr bool) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	s = r.Replace(s)
	if attr {
		s = strings.NewReplacer(`"`, "&quot;", "\t", "&#9;").Replace(s)
	}
	return s
}
