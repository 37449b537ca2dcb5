package cfdi

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain/cfdi/internal/xsltgen"
	"github.com/folio-mx/folio/internal/testpack"
)

// conceptComplements are the namespaces of the complements that go in
// cfdi:ComplementoConcepto.
var conceptComplements = map[string]bool{
	"http://www.sat.gob.mx/iedu":           true,
	"http://www.sat.gob.mx/ventavehiculos": true,
}

// complementFixture reads testdata/complementos/NAME and returns its bytes
// and the name of its root element.
func complementFixture(tb testing.TB, file string) ([]byte, xml.Name) {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			tb.Fatalf("%s: no root element: %v", file, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return bytes.TrimSpace(data), se.Name
		}
	}
}

// withComplement returns a 2-concept invoice carrying the complement, in
// ComplementoConcepto of both concepts when it is a concept complement.
func withComplement(raw []byte, name xml.Name) *Comprobante {
	c := invoice(2)
	c.NoCertificado = "30001000000500003416"
	if conceptComplements[name.Space] {
		for i := range c.Conceptos {
			c.Conceptos[i].ComplementoConcepto = append(append([]byte("\n  "), raw...), "\n"...)
		}
		return c
	}
	c.Complemento = &Complemento{Others: [][]byte{raw}}
	return c
}

// TestComplementosMatchXSLT: for each of the complement stylesheets SAT's
// cadenaoriginal_4_0.xslt includes, a CFDI carrying an instance of it (from
// testdata/complementos) has a native cadena byte-identical to the XSLT's.
func TestComplementosMatchXSLT(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "complementos", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[xname]bool{}
	for _, file := range files {
		raw, name := complementFixture(t, file)
		covered[xname{name.Space, name.Local}] = true
		t.Run(strings.TrimSuffix(filepath.Base(file), ".xml"), func(t *testing.T) {
			t.Parallel()
			c := withComplement(raw, name)
			data, err := Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "cfdi.xml")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			parsed, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := CadenaOriginal(parsed)
			if err != nil {
				t.Fatal(err)
			}
			want := string(testpack.Cadena(t, path, false))
			if got != want {
				t.Fatalf("cadena differs from the XSLT\n got: %s\nwant: %s", got, want)
			}
			base, err := CadenaOriginal(invoice(2))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) < len(base)+20 {
				t.Errorf("the complement added almost nothing to the cadena: %s", got)
			}
			known, unknown := parsed.ComplementNames()
			if len(unknown) != 0 || len(known) == 0 {
				t.Errorf("ComplementNames = %q, %q; want only known", known, unknown)
			}
		})
	}
	for _, sh := range xsltSheets {
		for _, r := range sh.roots {
			if !covered[xname{sh.space, r}] {
				t.Errorf("no fixture in testdata/complementos for %s (%s)", r, sh.file)
			}
		}
	}
	if len(xsltSheets) != 32 {
		t.Errorf("%d complement stylesheets, want the 32 of cadenaoriginal_4_0.xslt", len(xsltSheets))
	}
}

// TestComplementosSealed: documents with complements, sealed by Folio,
// pass the oracle and Folio's own Verify.
func TestComplementosSealed(t *testing.T) {
	s := mustSigner(t, "EKU9003173C9")
	for _, name := range []string{"implocal.ImpuestosLocales", "nomina12.Nomina", "CartaPorte31.CartaPorte", "iedu.instEducativas", "ComercioExterior20.ComercioExterior"} {
		t.Run(name, func(t *testing.T) {
			raw, root := complementFixture(t, filepath.Join("testdata", "complementos", name+".xml"))
			data, err := Seal(withComplement(raw, root), s)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "sealed.xml")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			// The pack's XSD bundle has no schema for these complements.
			if ok, verdict := testpack.VerifySeal(t, path, "--no-xsd"); !ok {
				t.Errorf("oracle: %s", verdict)
			}
			if v := Verify(data); v.Seal != nil || v.NoCertificado != nil {
				t.Errorf("Verify: %s", v)
			}
			// Changing one value of the complement breaks the seal.
			tampered := bytes.Replace(data, []byte(`="1500.50"`), []byte(`="1500.51"`), 1)
			if bytes.Equal(tampered, data) {
				t.Fatal("fixture has no value 1500.50 to tamper with")
			}
			if v := Verify(tampered); v.Seal == nil {
				t.Error("Verify accepted a document whose complement was changed after sealing")
			}
		})
	}
}

// TestComplementosGenerated: complementos_gen.go is what the generator makes
// of the pack's stylesheets now.
func TestComplementosGenerated(t *testing.T) {
	p, err := xsltgen.Load(testpack.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Go()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("complementos_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("complementos_gen.go is stale: run go generate ./domain/cfdi")
	}
}

// TestInterpreterWholeDocument runs the generated templates of the main
// stylesheet (cfdi:Comprobante…) and Pagos20.xslt over each sample: the
// interpreter then reproduces SAT's golden cadenas on its own, which checks
// it against the typed fast path as well.
func TestInterpreterWholeDocument(t *testing.T) {
	for _, file := range testpack.Samples(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".xml")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		top, err := parseFragment(bytes.TrimPrefix(data, bom))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var b strings.Builder
		b.WriteString("|")
		for _, n := range top {
			if !n.isTxt {
				applyTemplates(&b, n)
			}
		}
		b.WriteString("||")
		want := string(testpack.Read(t, "samples", "cadenas", name+".txt"))
		if b.String() != want {
			t.Errorf("%s: interpreted cadena differs\n got: %s\nwant: %s", name, b.String(), want)
		}
	}
}

func TestComplementNames(t *testing.T) {
	c := payment()
	c.Conceptos[0].ComplementoConcepto = []byte(`<iedu:instEducativas xmlns:iedu="http://www.sat.gob.mx/iedu" version="1.0"/>`)
	c.Complemento.Others = [][]byte{
		[]byte(`<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0"/>`),
		[]byte(`<y:Extra xmlns:y="urn:folio:y">t</y:Extra>`),
	}
	c.Complemento.TimbreFiscalDigital = &TimbreFiscalDigital{Version: "1.1"}
	c.Addenda = []byte(`<Pedido numero="7"/><p:Otro xmlns:p="urn:p"/>`)
	known, unknown := c.ComplementNames()
	wantKnown := []string{"instEducativas (concepto 1)", "Pagos", "ImpuestosLocales", "TimbreFiscalDigital"}
	wantUnknown := []string{"Extra (urn:folio:y)", "Addenda: Pedido", "Addenda: Otro (urn:p)"}
	if strings.Join(known, "|") != strings.Join(wantKnown, "|") {
		t.Errorf("known = %q, want %q", known, wantKnown)
	}
	if strings.Join(unknown, "|") != strings.Join(wantUnknown, "|") {
		t.Errorf("unknown = %q, want %q", unknown, wantUnknown)
	}
	if k, u := invoice(1).ComplementNames(); k != nil || u != nil {
		t.Errorf("no complements: %q, %q", k, u)
	}
}

// TestComplementEdgeCases pins XSLT behaviours the fixtures may not reach,
// each compared with the XSLT.
func TestComplementEdgeCases(t *testing.T) {
	cases := map[string]string{
		// Opcional writes an attribute that is present but empty; Requerido
		// writes an absent one as an empty field.
		"empty and absent": `<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="" TotaldeTraslados="1"><implocal:TrasladosLocales ImpLocTrasladado="ISH"/></implocal:ImpuestosLocales>`,
		// xsl:if test="./@version='1.1'" false: Niv is not written.
		"if false": `<v:VentaVehiculos xmlns:v="http://www.sat.gob.mx/ventavehiculos" version="1.0" ClaveVehicular="X" Niv="N"><v:Otro><v:InformacionAduanera numero="1" fecha="2020-01-01"/></v:Otro></v:VentaVehiculos>`,
		// A child with no template reached by apply-templates: its text as is.
		"default namespace and CDATA": `<Donatarias xmlns="http://www.sat.gob.mx/donat" version="1.1" noAutorizacion="1" fechaAutorizacion="2020-01-01" leyenda="a&#10;  b"><![CDATA[ignorado]]></Donatarias>`,
		// Elements of a known namespace with no template, and unknown ones, inside one complement.
		"built-in rule": `<x:Raro xmlns:x="urn:x">  a <implocal:TrasladosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" Importe="3"/> b&amp;c <!-- no --> <?pi no?></x:Raro>`,
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			c := invoice(1)
			c.Complemento = &Complemento{Others: [][]byte{[]byte(raw)}}
			c.Conceptos[0].ComplementoConcepto = []byte(" texto fuera " + raw + " ")
			data, err := Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "c.xml")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			parsed, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := CadenaOriginal(parsed)
			if err != nil {
				t.Fatal(err)
			}
			if want := string(testpack.Cadena(t, path, false)); got != want {
				t.Errorf("cadena differs from the XSLT\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

// FuzzComplementCadena: the interpreter never panics on arbitrary XML in a
// complement, and is deterministic.
func FuzzComplementCadena(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "complementos", "*.xml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<a:X xmlns:a="http://www.sat.gob.mx/implocal"><a:Y/>`))
	f.Add([]byte(`<d:detallista xmlns:d="http://www.sat.gob.mx/detallista"><d:buyer><d:gln>1<d:x>2</d:x></d:gln></d:buyer></d:detallista>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var b1, b2 strings.Builder
		err1 := complementCadena(&b1, raw)
		err2 := complementCadena(&b2, raw)
		if (err1 == nil) != (err2 == nil) || b1.String() != b2.String() {
			t.Fatalf("not deterministic: %q (%v) vs %q (%v)", b1.String(), err1, b2.String(), err2)
		}
		c := &Comprobante{Complemento: &Complemento{Others: [][]byte{raw}}, Addenda: raw}
		c.ComplementNames()
	})
}

// TestComplementOrder: a complement written before pago20:Pagos stays
// before it, in the XML and in the cadena, as in the XSLT.
func TestComplementOrder(t *testing.T) {
	c := payment()
	c.NoCertificado = "30001000000500003416"
	c.Complemento.Others = [][]byte{[]byte(`<leyendasFisc:LeyendasFiscales xmlns:leyendasFisc="http://www.sat.gob.mx/leyendasFiscales" version="1.0"><leyendasFisc:Leyenda textoLeyenda="antes"/></leyendasFisc:LeyendasFiscales>`)}
	data, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	// Move the leyendas before the Pagos, as another issuer may write them.
	i, j := bytes.Index(data, []byte("<leyendasFisc:")), bytes.Index(data, []byte("</leyendasFisc:LeyendasFiscales>"))
	p := bytes.Index(data, []byte("<pago20:Pagos"))
	if i < 0 || j < 0 || p < 0 || p > i {
		t.Fatalf("unexpected Marshal layout:\n%s", data)
	}
	j += len("</leyendasFisc:LeyendasFiscales>")
	moved := append(append(append(append([]byte{}, data[:p]...), data[i:j]...), data[p:i]...), data[j:]...)
	path := filepath.Join(t.TempDir(), "orden.xml")
	if err := os.WriteFile(path, moved, 0o600); err != nil {
		t.Fatal(err)
	}
	parsed, err := Parse(moved)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CadenaOriginal(parsed)
	if err != nil {
		t.Fatal(err)
	}
	want := string(testpack.Cadena(t, path, false))
	if got != want {
		t.Fatalf("cadena differs from the XSLT\n got: %s\nwant: %s", got, want)
	}
	if !strings.Contains(got, "|1.0|antes|2.0|") {
		t.Errorf("leyendas not before Pagos in %s", got)
	}
	again, err := Marshal(parsed)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Index(again, []byte("<leyendasFisc:")) > bytes.Index(again, []byte("<pago20:Pagos")) {
		t.Error("Marshal moved the leyendas after the Pagos")
	}
}
