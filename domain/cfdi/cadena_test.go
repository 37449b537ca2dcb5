package cfdi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

// TestCadenaOriginalSamples compares the native cadena with SAT's golden
// files for every sample of the reference pack, comprobante and TFD.
func TestCadenaOriginalSamples(t *testing.T) {
	for _, file := range testpack.Samples(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".xml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := CadenaOriginal(c)
			if err != nil {
				t.Fatalf("CadenaOriginal: %v", err)
			}
			want := string(testpack.Read(t, "samples", "cadenas", name+".txt"))
			if got != want {
				t.Errorf("cadena mismatch\n got: %s\nwant: %s", got, want)
			}
			tfdFile := testpack.Path(t, "samples", "cadenas", name+".tfd.txt")
			wantTFD, err := os.ReadFile(tfdFile)
			switch {
			case err == nil:
				if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
					t.Fatalf("golden %s exists but Parse found no TimbreFiscalDigital", tfdFile)
				}
				if got := TFDCadena(c.Complemento.TimbreFiscalDigital); got != string(wantTFD) {
					t.Errorf("TFD cadena mismatch\n got: %s\nwant: %s", got, wantTFD)
				}
			case os.IsNotExist(err):
				if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
					t.Errorf("sample has a TFD but no golden %s", tfdFile)
				}
			default:
				t.Fatal(err)
			}
		})
	}
}

// TestCadenaForeignComplements compares with SAT's XSLT a document carrying
// a complement and a ComplementoConcepto the XSLT has no template for: their
// inner text goes into the cadena as it is, the white space around them not.
func TestCadenaForeignComplements(t *testing.T) {
	c := invoice(2)
	c.NoCertificado = "30001000000500003416"
	c.Conceptos[0].ComplementoConcepto = []byte("\n        <x:Dato xmlns:x=\"urn:folio:x\">  uno\n  dos </x:Dato>\n      ")
	c.Complemento = &Complemento{
		Pagos:  payment().Complemento.Pagos,
		Others: [][]byte{[]byte("<y:Extra xmlns:y=\"urn:folio:y\" a=\"1\">\n  <y:Hijo>texto &amp; más</y:Hijo>\n</y:Extra>")},
	}
	data, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "foreign.xml")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := CadenaOriginal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := string(testpack.Cadena(t, file, false)); got != want {
		t.Errorf("cadena differs from the XSLT\n got: %q\nwant: %q", got, want)
	}

	// Complements with a template in SAT's XSLT are covered by
	// TestComplementosMatchXSLT; one that is not well-formed is refused.
	c.Complemento.Others = [][]byte{[]byte(`<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0">`)}
	if _, err := CadenaOriginal(c); err == nil {
		t.Error("CadenaOriginal with a broken complement = nil error, want Invalid")
	}
}
