package csd_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/internal/testpack"
)

// signer is the port domain/cfdi seals with; *csd.CSD must satisfy it.
type signer interface {
	NoCertificado() string
	CertificateBase64() string
	Sign(cadena []byte) ([]byte, error)
}

var _ signer = (*csd.CSD)(nil)

const testPassword = "12345678a"

// inValidity is an instant inside both SAT test certificates' validity
// (May 2023 – May 2027), so the tests do not depend on today's date.
var inValidity = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func loadSAT(tb testing.TB, rfc string) *csd.CSD {
	tb.Helper()
	c, err := csd.LoadAt(testpack.Read(tb, "csd", rfc+".cer"), testpack.Read(tb, "csd", rfc+".key"), testPassword, inValidity)
	if err != nil {
		tb.Fatalf("LoadAt(%s) = %v", rfc, err)
	}
	return c
}

func TestLoadSATTestCSDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rfc                              string
		noCertificado, nombre, rep, curp string
		sucursal                         string
		moral                            bool
		notBefore, notAfter              time.Time
	}{
		{
			rfc: "EKU9003173C9", noCertificado: "30001000000500003416",
			nombre: "ESCUELA KEMPER URGATE SA DE CV", rep: "VADA800927DJ3", curp: "",
			sucursal: "Sucursal 1", moral: true,
			notBefore: time.Date(2023, 5, 18, 11, 43, 51, 0, time.UTC),
			notAfter:  time.Date(2027, 5, 18, 11, 43, 51, 0, time.UTC),
		},
		{
			rfc: "CACX7605101P8", noCertificado: "30001000000500003316",
			nombre: "XOCHILT CASAS CHAVEZ", rep: "", curp: "CACX760510MGTSHC04",
			sucursal: "Sucirsa 1", moral: false,
			notBefore: time.Date(2023, 5, 9, 21, 37, 36, 0, time.UTC),
			notAfter:  time.Date(2027, 5, 9, 21, 37, 36, 0, time.UTC),
		},
	}
	for _, tt := range tests {
		t.Run(tt.rfc, func(t *testing.T) {
			t.Parallel()
			cer := testpack.Read(t, "csd", tt.rfc+".cer")
			c := loadSAT(t, tt.rfc)
			cert := c.Certificate()
			for _, f := range []struct{ name, got, want string }{
				{"NoCertificado()", c.NoCertificado(), tt.noCertificado},
				{"Certificate().NoCertificado", cert.NoCertificado, tt.noCertificado},
				{"RFC", cert.RFC, tt.rfc},
				{"RFCRepresentante", cert.RFCRepresentante, tt.rep},
				{"CURP", cert.CURP, tt.curp},
				{"Nombre", cert.Nombre, tt.nombre},
				{"Sucursal", cert.Sucursal, tt.sucursal},
				{"CertificateBase64()", c.CertificateBase64(), base64.StdEncoding.EncodeToString(cer)},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
			if got := cert.PersonaMoral(); got != tt.moral {
				t.Errorf("PersonaMoral() = %v, want %v", got, tt.moral)
			}
			if !cert.NotBefore.Equal(tt.notBefore) || !cert.NotAfter.Equal(tt.notAfter) {
				t.Errorf("validity = %v – %v, want %v – %v", cert.NotBefore, cert.NotAfter, tt.notBefore, tt.notAfter)
			}
			if cert.IsFIEL() {
				t.Error("IsFIEL() = true for a SAT test CSD")
			}
		})
	}
}

// TestLoadDemoNow loads the SAT test CSD with the real clock while it is
// still valid (until 18/05/2027); afterwards Load must report the expiry.
func TestLoadDemoNow(t *testing.T) {
	t.Parallel()
	cer, key := testpack.Read(t, "csd", "EKU9003173C9.cer"), testpack.Read(t, "csd", "EKU9003173C9.key")
	_, err := csd.Load(cer, key, testPassword)
	if time.Now().Before(time.Date(2027, 5, 18, 11, 43, 51, 0, time.UTC)) {
		if err != nil {
			t.Fatalf("Load = %v", err)
		}
	} else if !errors.Is(err, csd.ErrExpired) {
		t.Fatalf("Load after expiry = %v, want ErrExpired", err)
	}
}

var selloRE = regexp.MustCompile(`\sSello="([^"]+)"`)

// TestSignReproducesSello signs the golden cadenas of samples sealed by
// other implementations with the same test keys: RSA PKCS#1 v1.5 is
// deterministic, so Sign must give their Sello byte for byte.
func TestSignReproducesSello(t *testing.T) {
	t.Parallel()
	tests := []struct{ sample, rfc string }{
		{"01-ingreso-iva16-timbrado", "EKU9003173C9"},
		{"03-ingreso-usd-tipocambio-descuentos", "EKU9003173C9"},
		{"04-pago20", "EKU9003173C9"},
		{"06-ingreso-ret-isr-iva-timbrado", "EKU9003173C9"},
		{"12-construido-ingreso-ieps-iva16-iva0", "EKU9003173C9"},
		{"14-construido-persona-fisica-honorarios-retenciones", "CACX7605101P8"},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			t.Parallel()
			c := loadSAT(t, tt.rfc)
			m := selloRE.FindSubmatch(testpack.Read(t, "samples", tt.sample+".xml"))
			if m == nil {
				t.Fatal("no Sello attribute in the sample")
			}
			cadena := testpack.Read(t, "samples", "cadenas", tt.sample+".txt")
			sig, err := c.Sign(cadena)
			if err != nil {
				t.Fatalf("Sign = %v", err)
			}
			if got, want := base64.StdEncoding.EncodeToString(sig), string(m[1]); got != want {
				t.Errorf("Sign(cadena) = %s…, want Sello %s…", got[:24], want[:24])
			}
			sum := sha256.Sum256(cadena)
			pub := c.Certificate().X509.PublicKey.(*rsa.PublicKey)
			if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
				t.Errorf("signature does not verify with the certificate: %v", err)
			}
		})
	}
}

func TestSignConcurrent(t *testing.T) {
	t.Parallel()
	c := loadSAT(t, "EKU9003173C9")
	cadena := []byte("||4.0|A|1|2025-06-01T12:00:00|ñ||")
	want, err := c.Sign(cadena)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 5 {
				got, err := c.Sign(cadena)
				if err != nil || string(got) != string(want) {
					errs <- errors.New("concurrent Sign gave a different result")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSignNil(t *testing.T) {
	var c *csd.CSD
	if _, err := c.Sign([]byte("x")); domain.KindOf(err) != domain.Internal {
		t.Fatalf("(*CSD)(nil).Sign = %v, want an Internal error", err)
	}
}

func BenchmarkSign(b *testing.B) {
	c := loadSAT(b, "EKU9003173C9")
	cadena := testpack.Read(b, "samples", "cadenas", "01-ingreso-iva16-timbrado.txt")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Sign(cadena); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCSDSignsCancellationRequests: a loaded CSD is the signer of SAT's
// cancellation request (RSA-SHA1), and the request verifies with its
// certificate, whose holder is the issuer.
func TestCSDSignsCancellationRequests(t *testing.T) {
	t.Parallel()
	var _ cfdi.CancelSigner = (*csd.CSD)(nil)
	c := loadSAT(t, "EKU9003173C9")
	req := cfdi.Cancelacion{RfcEmisor: "EKU9003173C9", Fecha: inValidity,
		Folios: []cfdi.CancelFolio{{UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Motivo: "02"}}}
	signed, err := cfdi.SignCancelacion(req, c)
	if err != nil {
		t.Fatal(err)
	}
	got, cert, err := cfdi.VerifyCancelacion(signed)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	holder, err := csd.ParseCertificate(cert.Raw)
	if err != nil || holder.RFC != "EKU9003173C9" || got.Folios[0].UUID != req.Folios[0].UUID {
		t.Errorf("request %+v signed by %+v (%v)", got, holder, err)
	}
	var nilCSD *csd.CSD
	if _, err := nilCSD.SignSHA1([]byte("x")); domain.KindOf(err) != domain.Internal {
		t.Errorf("nil CSD: %v; want Internal", err)
	}
}
