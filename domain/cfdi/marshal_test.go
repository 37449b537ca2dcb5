package cfdi

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCases are the documents Folio writes, sealed with the test CSD.
func goldenCases() []struct {
	name string
	doc  func() *Comprobante
} {
	return []struct {
		name string
		doc  func() *Comprobante
	}{
		{"factura-1-concepto", func() *Comprobante { return invoice(1) }},
		{"factura-10-conceptos", func() *Comprobante { return invoice(10) }},
		{"todos-los-nodos", allNodes},
		{"pago20", payment},
	}
}

// TestMarshalGolden seals each fixture and compares the bytes with
// testdata/<case>.golden.xml (rewritten with -update); then checks the round
// trips Parse(Marshal(c)) == c and Marshal(Parse(x)) == x.
func TestMarshalGolden(t *testing.T) {
	s := mustSigner(t, "EKU9003173C9")
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.doc()
			got, err := Seal(c, s)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".golden.xml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Marshal differs from %s:\n%s", golden, got)
			}
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(Marshal(c)): %v", err)
			}
			if !reflect.DeepEqual(back, c) {
				t.Errorf("Parse(Marshal(c)) != c\n got: %+v\nwant: %+v", back, c)
			}
			again, err := Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, got) {
				t.Errorf("Marshal(Parse(x)) != x:\n%s", again)
			}
			if err := VerifySeal(back); err != nil {
				t.Errorf("VerifySeal: %v", err)
			}
			if err := CheckRequired(back); err != nil {
				t.Errorf("CheckRequired: %v", err)
			}
		})
	}
}

// TestGoldenOracle runs SAT's XSLT and the independent oracle on every golden
// file: the native cadena must equal xsltproc's byte for byte and the
// document must pass XSD + seal + NoCertificado.
func TestGoldenOracle(t *testing.T) {
	testpack.RequireTools(t, "xmllint", "xsltproc", "openssl")
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			file, err := filepath.Abs(filepath.Join("testdata", tc.name+".golden.xml"))
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := CadenaOriginal(c)
			if err != nil {
				t.Fatal(err)
			}
			if want := string(testpack.Cadena(t, file, false)); got != want {
				t.Errorf("cadena differs from the XSLT\n got: %s\nwant: %s", got, want)
			}
			if ok, verdict := testpack.VerifySeal(t, file); !ok {
				t.Errorf("oracle: %s", verdict)
			}
		})
	}
}

// TestParseSamplesRoundTrip: every sample parses, and Marshal then Parse
// gives the same model and is stable.
func TestParseSamplesRoundTrip(t *testing.T) {
	for _, file := range testpack.Samples(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			c2, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse(Marshal): %v\n%s", err, out)
			}
			if !reflect.DeepEqual(c, c2) {
				t.Errorf("model changed by Marshal+Parse\n got: %+v\nwant: %+v", c2, c)
			}
			out2, err := Marshal(c2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("Marshal not stable")
			}
			if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<cfdi:Comprobante ")) {
				t.Errorf("unexpected head: %.80s", out)
			}
		})
	}
}

// TestMarshalNamespaces: only the namespaces used are declared.
func TestMarshalNamespaces(t *testing.T) {
	tests := []struct {
		name    string
		doc     *Comprobante
		want    []string
		notWant []string
	}{
		{"invoice", invoice(1), []string{`xmlns:cfdi="http://www.sat.gob.mx/cfd/4"`, `xsi:schemaLocation="http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd"`}, []string{"pago20", "tfd"}},
		{"payment", payment(), []string{`xmlns:pago20="http://www.sat.gob.mx/Pagos20"`, `http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd http://www.sat.gob.mx/Pagos20 http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd"`}, []string{"tfd"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Marshal(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !bytes.Contains(out, []byte(w)) {
					t.Errorf("missing %s", w)
				}
			}
			for _, w := range tc.notWant {
				if bytes.Contains(out, []byte(w)) {
					t.Errorf("unexpected %s", w)
				}
			}
		})
	}
}

// TestMarshalEscaping: values with markup characters and control white
// space survive the round trip exactly.
func TestMarshalEscaping(t *testing.T) {
	c := invoice(1)
	c.Conceptos[0].Descripcion = "a & b < c > d \" e ' f\tg\nh\r\ni  ñ ⏻"
	out, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`Descripcion="a &amp; b &lt; c > d &quot; e ' f&#x9;g&#xA;h&#xD;&#xA;i  ñ ⏻"`)) {
		t.Errorf("escaping: %s", out)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Conceptos[0].Descripcion; got != c.Conceptos[0].Descripcion {
		t.Errorf("Descripcion = %q, want %q", got, c.Conceptos[0].Descripcion)
	}
}

// TestMarshalVerbatim: unknown complements and the Addenda are written
// unchanged and come back unchanged; bad fragments are refused.
func TestMarshalVerbatim(t *testing.T) {
	c := invoice(1)
	other := []byte(`<x:Otro xmlns:x="urn:x" a="1 &amp; 2"><x:Hijo>texto</x:Hijo></x:Otro>`)
	c.Complemento = &Complemento{Others: [][]byte{other}}
	c.Addenda = []byte("\n  <y:A xmlns:y=\"urn:y\"/>\n  texto suelto <!-- nota -->\n")
	out, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, other) || !bytes.Contains(out, []byte("<cfdi:Addenda>"+string(c.Addenda)+"</cfdi:Addenda>")) {
		t.Fatalf("verbatim parts not written as they are:\n%s", out)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip\n got: %+v\nwant: %+v", back, c)
	}
	for _, bad := range []string{"<a>", "<!DOCTYPE a>", "</b>", `<?xml version="1.0"?><a/>`} {
		c.Addenda = []byte(bad)
		if _, err := Marshal(c); err == nil || !strings.Contains(err.Error(), "invalid") {
			t.Errorf("Marshal with Addenda %q: err = %v, want invalid", bad, err)
		}
	}
}

// TestAppendEscapedAttr: the writer's escaping, including characters XML
// cannot carry.
func TestAppendEscapedAttr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"MIIFsDCCA5ig+/=", "MIIFsDCCA5ig+/="},
		{`H&E "x" <y> 'z'`, `H&amp;E &quot;x&quot; &lt;y> 'z'`},
		{"a\tb\nc\r", "a&#x9;b&#xA;c&#xD;"},
		{"ñ⏻😀", "ñ⏻😀"},
		{"a\x01b\x7f", "a\uFFFDb\x7f"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"\uFFFE", "\uFFFD"},
	}
	for _, tc := range tests {
		if got := string(appendEscapedAttr(nil, tc.in)); got != tc.want {
			t.Errorf("appendEscapedAttr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
