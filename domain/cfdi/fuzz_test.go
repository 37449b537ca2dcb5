package cfdi

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

// FuzzParse: Parse never panics, refuses every DOCTYPE/ENTITY declaration
// (so nothing is ever expanded), and what it accepts survives
// Marshal → Parse unchanged, with the same cadena original.
func FuzzParse(f *testing.F) {
	for _, file := range testpack.Samples(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*.golden.xml"))
	for _, file := range goldens {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<!DOCTYPE l [<!ENTITY a "a">]><cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0" Folio="&a;"/>`))
	f.Add([]byte(`<Comprobante xmlns="http://www.sat.gob.mx/cfd/4" Version="4.0"><Complemento><x:A xmlns:x="urn:x"/></Complemento><Addenda><B/>t</Addenda></Comprobante>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		hostile := bytes.Contains(data, []byte("<!DOCTYPE")) || bytes.Contains(data, []byte("<!ENTITY"))
		if hostile && err == nil {
			t.Fatal("a DOCTYPE/ENTITY declaration was accepted")
		}
		if err != nil {
			return
		}
		out, err := Marshal(c)
		if err != nil {
			t.Fatalf("Marshal of a parsed document: %v", err)
		}
		c2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(x))): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("model changed\n got: %+v\nwant: %+v", c2, c)
		}
		out2, err := Marshal(c2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Marshal not stable: %v", err)
		}
		k1, err1 := CadenaOriginal(c)
		k2, err2 := CadenaOriginal(c2)
		if (err1 == nil) != (err2 == nil) || k1 != k2 {
			t.Fatalf("cadena changed: %q (%v) vs %q (%v)", k1, err1, k2, err2)
		}
	})
}
