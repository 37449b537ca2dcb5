package cfdi

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/testpack"
)

// stamp builds the TFD a PAC would return for sealed c, signed with the
// CACX7605101P8 test CSD standing in for SAT's certificate.
func stamp(t *testing.T, c *Comprobante) *TimbreFiscalDigital {
	t.Helper()
	sat := mustSigner(t, "CACX7605101P8")
	tfd := &TimbreFiscalDigital{
		Version: "1.1", UUID: "6F2C8E1A-3B4D-4C5E-9F60-7A8B9C0D1E2F", FechaTimbrado: "2025-11-20T10:16:02",
		RfcProvCertif: "SPR190613I52", SelloCFD: c.Sello, NoCertificadoSAT: sat.NoCertificado(),
	}
	sig, err := sat.Sign([]byte(TFDCadena(tfd)))
	if err != nil {
		t.Fatal(err)
	}
	tfd.SelloSAT = base64.StdEncoding.EncodeToString(sig)
	return tfd
}

// TestInsertTimbre inserts a TFD into sealed documents of several shapes and
// checks that nothing else changed, that seal and SelloSAT verify, that the
// XSLT agrees on the TFD cadena, and that Folio's own output stays what
// Marshal writes.
func TestInsertTimbre(t *testing.T) {
	signer := mustSigner(t, "EKU9003173C9")
	tests := []struct {
		name    string
		doc     func() *Comprobante
		rewrite func(string) string // applied to the sealed bytes (layout only)
		marshal bool                // the stamped bytes must equal Marshal(Parse(stamped))
	}{
		{"sin complemento", func() *Comprobante { return invoice(2) }, nil, true},
		{"con pagos", payment, nil, true},
		{"con addenda", allNodes, nil, true},
		{"complemento vacío", func() *Comprobante { c := invoice(1); c.Complemento = &Complemento{}; return c }, nil, true},
		{"compacto", func() *Comprobante { return invoice(2) }, compact, false},
		{"compacto con complemento vacío", func() *Comprobante { c := invoice(1); c.Complemento = &Complemento{}; return c }, compact, false},
		{"crlf y tabuladores", payment, func(s string) string {
			return strings.NewReplacer("\n", "\r\n", "  ", "\t").Replace(s)
		}, false},
		{"prefijo por omisión", func() *Comprobante { return invoice(1) }, func(s string) string {
			return strings.NewReplacer("<cfdi:", "<", "</cfdi:", "</", "xmlns:cfdi=", "xmlns=").Replace(s)
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.doc()
			sealed, err := Seal(c, signer)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rewrite != nil {
				sealed = []byte(tc.rewrite(string(sealed)))
			}
			tfd := stamp(t, c)
			stamped, err := InsertTimbre(sealed, tfd)
			if err != nil {
				t.Fatal(err)
			}
			// Only an insertion: a common prefix and suffix cover all of sealed
			// (an empty <cfdi:Complemento/> is first opened, the one change allowed).
			base := bytes.Replace(sealed, []byte("<cfdi:Complemento/>"), []byte("<cfdi:Complemento></cfdi:Complemento>"), 1)
			p := commonPrefix(base, stamped)
			s := commonSuffix(base[p:], stamped[p:])
			if p+s != len(base) {
				t.Errorf("more than an insertion changed the sealed bytes:\n%s", stamped)
			}
			got, err := Parse(stamped)
			if err != nil {
				t.Fatalf("Parse(stamped): %v\n%s", err, stamped)
			}
			if got.Complemento == nil || got.Complemento.TimbreFiscalDigital == nil || *got.Complemento.TimbreFiscalDigital != *tfd {
				t.Fatalf("TFD not read back:\n%s", stamped)
			}
			if err := VerifySeal(got); err != nil {
				t.Errorf("VerifySeal: %v", err)
			}
			if err := VerifyTFD(got, mustSigner(t, "CACX7605101P8").cert); err != nil {
				t.Errorf("VerifyTFD: %v", err)
			}
			if tc.marshal {
				again, err := Marshal(got)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, stamped) {
					t.Errorf("Marshal(Parse(stamped)) differs:\n%s\n---\n%s", again, stamped)
				}
			}
			// The oracle: XSD (with the TFD), seal, and the XSLT's TFD cadena.
			file := filepath.Join(t.TempDir(), "stamped.xml")
			if err := os.WriteFile(file, stamped, 0o600); err != nil {
				t.Fatal(err)
			}
			if ok, line := testpack.VerifySeal(t, file); !ok {
				t.Errorf("oracle: %s", line)
			}
			if want := string(testpack.Cadena(t, file, true)); TFDCadena(tfd) != want {
				t.Errorf("TFD cadena\n got: %s\nwant: %s", TFDCadena(tfd), want)
			}
		})
	}
}

func commonPrefix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func commonSuffix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

// TestInsertTimbreRefuses: a stamped document is a Conflict, garbage is Invalid.
func TestInsertTimbreRefuses(t *testing.T) {
	stampedSample := testpack.Read(t, "samples", "01-ingreso-iva16-timbrado.xml")
	tests := []struct {
		name string
		in   []byte
		kind domain.Kind
	}{
		{"already stamped", stampedSample, domain.Conflict},
		{"not xml", []byte("hola"), domain.Invalid},
		{"doctype", []byte(`<!DOCTYPE x><x/>`), domain.Invalid},
		{"other root", []byte(`<x/>`), domain.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := InsertTimbre(tc.in, &TimbreFiscalDigital{Version: "1.1"})
			if got := domain.KindOf(err); err == nil || got != tc.kind {
				t.Errorf("err = %v, want kind %v", err, tc.kind)
			}
		})
	}
}

// TestVerifyTFDMismatch: a TFD signed for another document, or checked with
// the wrong SAT certificate, does not verify.
func TestVerifyTFDMismatch(t *testing.T) {
	c := invoice(1)
	if _, err := Seal(c, mustSigner(t, "EKU9003173C9")); err != nil {
		t.Fatal(err)
	}
	tfd := stamp(t, c)
	c.Complemento = &Complemento{TimbreFiscalDigital: tfd}
	if err := VerifyTFD(c, mustSigner(t, "EKU9003173C9").cert); err == nil {
		t.Error("VerifyTFD with the wrong certificate = nil")
	}
	other := *tfd
	other.SelloCFD = "b3Rybw=="
	c.Complemento.TimbreFiscalDigital = &other
	if err := VerifyTFD(c, mustSigner(t, "CACX7605101P8").cert); err == nil {
		t.Error("VerifyTFD of a TFD for another document = nil")
	}
}
