package cfdi

import (
	"os"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

func BenchmarkCadena10Conceptos(b *testing.B) {
	c := invoice(10)
	c.NoCertificado = "30001000000500003416"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CadenaOriginal(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	c := invoice(10)
	s := mustSigner(b, "EKU9003173C9")
	if _, err := Seal(c, s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSample(b *testing.B) {
	data := testpack.Read(b, "samples", "01-ingreso-iva16-timbrado.xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealSignOnly is the floor of sealing: the RSA signature of the
// cadena of a 10-concept invoice, with the key decrypted once.
func BenchmarkSealSignOnly(b *testing.B) {
	s := mustSigner(b, "EKU9003173C9")
	c := invoice(10)
	c.NoCertificado = s.NoCertificado()
	cadena, err := CadenaOriginal(c)
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte(cadena)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeal10Conceptos is the whole seal path: build the document, cadena,
// sign, Marshal (key decrypted once, outside the loop).
func BenchmarkSeal10Conceptos(b *testing.B) {
	s := mustSigner(b, "EKU9003173C9")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seal(invoice(10), s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifySamples(b *testing.B) {
	var docs [][]byte
	for _, f := range testpack.Samples(b) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	sat := satCerts(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Verify(d, sat...)
		}
	}
}

// BenchmarkCadenaCartaPorte31 is the cadena of an invoice carrying the
// largest complement fixture (Carta Porte 3.1, ~21 KB), interpreted from
// the generated templates.
func BenchmarkCadenaCartaPorte31(b *testing.B) {
	raw, name := complementFixture(b, "testdata/complementos/CartaPorte31.CartaPorte.xml")
	c := withComplement(raw, name)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CadenaOriginal(c); err != nil {
			b.Fatal(err)
		}
	}
}
