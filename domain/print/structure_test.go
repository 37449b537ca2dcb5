package print

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2/pkg/core"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/internal/testpack"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// structNode is maroto's component tree in a stable, reviewable form.
type structNode struct {
	Type    string         `json:"type"`
	Value   any            `json:"value,omitempty"`
	Details map[string]any `json:"details,omitempty"`
	Nexts   []structNode   `json:"nexts,omitempty"`
}

func toStruct(n *node.Node[core.Structure]) structNode {
	d := n.GetData()
	s := structNode{Type: d.Type, Value: d.Value, Details: d.Details}
	if b, ok := d.Value.([]byte); ok { // images: their digest, not their bytes
		s.Value = fmt.Sprintf("%d bytes, sha256 %x", len(b), sha256.Sum256(b))
	}
	for _, c := range n.GetNexts() {
		s.Nexts = append(s.Nexts, toStruct(c))
	}
	return s
}

// TestRenderStructureGolden compares maroto's component tree of a small
// stamped invoice with testdata/structure-ingreso.golden.json; run with
// -update to rewrite it after an intended layout change, and review the diff.
func TestRenderStructureGolden(t *testing.T) {
	d, err := newDoc(generated(3, true), pinned)
	if err != nil {
		t.Fatal(err)
	}
	m, err := d.build()
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(toStruct(m.GetStructure()), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "structure-ingreso.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", filepath.Base(golden))
		os.MkdirAll(filepath.Dir(failed), 0o755)
		os.WriteFile(failed, got, 0o644)
		t.Errorf("structure differs from %s; the new one is in %s (diff them; -update accepts it)", golden, failed)
	}
}

// usedStyles collects the font styles named anywhere in a structure tree.
func usedStyles(n *node.Node[core.Structure], into map[string]bool) {
	for _, k := range []string{"prop_font_style", "page_number_style"} {
		if v, ok := n.GetData().Details[k]; ok {
			into[fmt.Sprint(v)] = true
		}
	}
	for _, c := range n.GetNexts() {
		usedStyles(c, into)
	}
}

// TestLayoutStyles checks that every font style the documents draw with is
// registered (an unregistered style makes gofpdf fail the whole document),
// over every sample and the generated, unstamped, cancelled and logo cases.
func TestLayoutStyles(t *testing.T) {
	var docs []*cfdi.Comprobante
	for _, f := range testpack.Samples(t) {
		xml, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cfdi.Parse(xml)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, c)
	}
	docs = append(docs, generated(20, true), generated(2, false))
	registered := map[string]bool{}
	for _, st := range layoutStyles {
		registered[string(st)] = true
	}
	opt := pinned
	opt.Cancelled = true
	opt.FooterText = "pie"
	opt.Logo = testLogo(t)
	for _, c := range docs {
		d, err := newDoc(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		m, err := d.build()
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		usedStyles(m.GetStructure(), used)
		for st := range used {
			if !registered[st] {
				t.Errorf("%s %s: the layout draws with font style %q, which is not in layoutStyles", c.Serie, c.Folio, st)
			}
		}
	}
}
