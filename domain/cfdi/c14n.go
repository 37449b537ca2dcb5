package cfdi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// This file is a small Canonical XML 1.0 (inclusive, without comments;
// W3C REC-xml-c14n-20010315) over a parsed tree, enough to verify the
// XML-DSig of SAT's cancellation request: elements, attributes, namespace
// declarations and text. Documents with a DOCTYPE are refused. It shares
// nothing with the writer of the request (SignCancelacion emits its
// canonical form directly), so a mistake in one is caught by the other;
// the tests also compare it with xmllint --c14n.

// cnode is an element of a parsed document.
type cnode struct {
	prefix, local string
	space         string            // namespace URI of the element
	decls         map[string]string // namespace declarations on this element: prefix ("" default) → URI
	attrs         []cattr           // other attributes
	kids          []cchild
	scope         map[string]string // in-scope namespaces: prefix → URI
}

// cattr is an attribute with its qualified name resolved.
type cattr struct {
	prefix, local, space, value string
}

// cchild is an element or a text node.
type cchild struct {
	el   *cnode
	text string
}

// parseTree reads b into a tree; the root element is returned.
func parseTree(b []byte) (*cnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root *cnode
	var stack []*cnode
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("DOCTYPE or other directive not allowed")
		case xml.StartElement:
			n := &cnode{prefix: t.Name.Space, local: t.Name.Local, decls: map[string]string{}, scope: map[string]string{}}
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1].scope {
					n.scope[k] = v
				}
			} else if root != nil {
				return nil, errors.New("more than one root element")
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.decls[""], n.scope[""] = a.Value, a.Value
				case a.Name.Space == "xmlns":
					n.decls[a.Name.Local], n.scope[a.Name.Local] = a.Value, a.Value
				}
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				at := cattr{prefix: a.Name.Space, local: a.Name.Local, value: a.Value}
				if at.prefix != "" {
					uri, ok := n.scope[at.prefix]
					if !ok && at.prefix != "xml" {
						return nil, fmt.Errorf("undeclared prefix %q", at.prefix)
					}
					at.space = uri
					if at.prefix == "xml" {
						at.space = "http://www.w3.org/XML/1998/namespace"
					}
				}
				n.attrs = append(n.attrs, at)
			}
			uri, ok := n.scope[n.prefix]
			if !ok && n.prefix != "" {
				return nil, fmt.Errorf("undeclared prefix %q", n.prefix)
			}
			n.space = uri
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, cchild{el: n})
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("unbalanced end tag")
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 { // text outside the root element is not canonical content
				p := stack[len(stack)-1]
				p.kids = append(p.kids, cchild{text: string(t)})
			}
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, errors.New("no complete root element")
	}
	return root, nil
}

// canonical writes the inclusive canonical form of the subtree at n, as a
// document subset whose apex is n: every namespace in scope at n is
// rendered on it. Elements for which skip returns true are left out with
// their content (the enveloped-signature transform).
func canonical(n *cnode, skip func(*cnode) bool) []byte {
	var b bytes.Buffer
	writeC14N(&b, n, map[string]string{"": ""}, skip)
	return b.Bytes()
}

func writeC14N(b *bytes.Buffer, n *cnode, rendered map[string]string, skip func(*cnode) bool) {
	b.WriteString("<" + qname(n.prefix, n.local))
	// Namespace nodes: those in scope whose value differs from what the
	// nearest output ancestor rendered; default first, then by prefix.
	prefixes := make([]string, 0, len(n.scope))
	for p := range n.scope {
		prefixes = append(prefixes, p)
	}
	if _, ok := n.scope[""]; !ok && rendered[""] != "" {
		prefixes = append(prefixes, "") // xmlns="" undeclares an inherited default
	}
	sort.Strings(prefixes)
	mine := make(map[string]string, len(rendered))
	for k, v := range rendered {
		mine[k] = v
	}
	for _, p := range prefixes {
		uri := n.scope[p]
		if prev, ok := rendered[p]; ok && prev == uri {
			continue
		}
		if p == "" && uri == "" && rendered[""] == "" {
			continue
		}
		mine[p] = uri
		if p == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(" xmlns:" + p + `="`)
		}
		escapeAttr(b, uri)
		b.WriteByte('"')
	}
	attrs := append([]cattr(nil), n.attrs...)
	sort.Slice(attrs, func(i, j int) bool {
		if attrs[i].space != attrs[j].space {
			return attrs[i].space < attrs[j].space
		}
		return attrs[i].local < attrs[j].local
	})
	for _, a := range attrs {
		b.WriteString(" " + qname(a.prefix, a.local) + `="`)
		escapeAttr(b, a.value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	for _, k := range n.kids {
		switch {
		case k.el == nil:
			escapeText(b, k.text)
		case skip == nil || !skip(k.el):
			writeC14N(b, k.el, mine, skip)
		}
	}
	b.WriteString("</" + qname(n.prefix, n.local) + ">")
}

func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;", "\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
)

func escapeText(b *bytes.Buffer, s string) { textEscaper.WriteString(b, s) }
func escapeAttr(b *bytes.Buffer, s string) { attrEscaper.WriteString(b, s) }

// child returns the first child element of n named {space}local, or nil.
func (n *cnode) child(space, local string) *cnode {
	for _, k := range n.kids {
		if k.el != nil && k.el.space == space && k.el.local == local {
			return k.el
		}
	}
	return nil
}

// children returns the child elements of n named {space}local.
func (n *cnode) children(space, local string) []*cnode {
	var out []*cnode
	for _, k := range n.kids {
		if k.el != nil && k.el.space == space && k.el.local == local {
			out = append(out, k.el)
		}
	}
	return out
}

// attr returns the value of n's unqualified attribute name.
func (n *cnode) attr(name string) string {
	for _, a := range n.attrs {
		if a.space == "" && a.local == name {
			return a.value
		}
	}
	return ""
}

// text returns the text content directly inside n.
func (n *cnode) text() string {
	var s strings.Builder
	for _, k := range n.kids {
		if k.el == nil {
			s.WriteString(k.text)
		}
	}
	return s.String()
}
