package preflight_test

import (
	"math/rand/v2"
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/csd"
)

// demoIssuer loads the demo company's CSD (SAT's test EKU9003173C9,
// embedded in Folio) once for a benchmark.
func demoIssuer(b *testing.B) issuer {
	b.Helper()
	s, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, testNow)
	if err != nil {
		b.Fatal(err)
	}
	return issuer{signer: s, emisor: cfdi.Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"}, moral: true}
}

// spec10 is a 10-concept MXN factura with a mix of taxes, the same for
// every iteration.
func spec10(is issuer) (docSpec, int32) {
	r := rand.New(rand.NewPCG(10, 10))
	s := baseSpec()
	s.Emisor = is.emisor
	s.Lines = nil
	for range 10 {
		s.Lines = append(s.Lines, randomLine(r, 2, true))
	}
	return s, 2
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}

// BenchmarkFullSeal10 is the whole sealing path of a 10-concept invoice: tax
// computation of every line and of the totals, the Comprobante, then
// cfdi.Seal (Marshal, CadenaOriginal, RSA-SHA256 signature, final XML). The
// CSD is loaded once.
func BenchmarkFullSeal10(b *testing.B) {
	is := demoIssuer(b)
	s, decimals := spec10(is)
	for b.Loop() {
		c := build(b, s, decimals)
		if _, err := cfdi.Seal(c, is.signer); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkSignOnly signs the cadena original of the same invoice: the
// floor under BenchmarkFullSeal10.
func BenchmarkSignOnly(b *testing.B) {
	is := demoIssuer(b)
	s, decimals := spec10(is)
	c := build(b, s, decimals)
	c.NoCertificado, c.Certificado = is.signer.NoCertificado(), is.signer.CertificateBase64()
	cadena, err := cfdi.CadenaOriginal(c)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(cadena)))
	for b.Loop() {
		if _, err := is.signer.Sign([]byte(cadena)); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkCheck10 runs the pre-flight rules on the same invoice.
func BenchmarkCheck10(b *testing.B) {
	is := demoIssuer(b)
	s, decimals := spec10(is)
	c := build(b, s, decimals)
	cats := realCatalogs(b)
	opt := preflight.Options{Now: testNow}
	if err := preflight.Check(c, cats, opt); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := preflight.Check(c, cats, opt); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}
