package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestCFDIVerifyMatchesOracle checks that "folio cfdi verify" gives every
// SAT sample the verdict of the independent oracle (verify-seal.sh).
func TestCFDIVerifyMatchesOracle(t *testing.T) {
	samples := testpack.Samples(t)
	testpack.RequireTools(t, "xmllint", "xsltproc", "openssl")
	failing := 0
	for _, f := range samples {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// given the oracle's verdict,
			wantOK, verdict := testpack.VerifySeal(t, f)
			// when folio verifies the same file,
			code, out, stderr := runCLI(t, "cfdi", "verify", f)
			// then both agree, on the line and in the exit code.
			line := strings.TrimSpace(out)
			if strings.Count(line, "\n") != 0 {
				t.Errorf("verify printed %d lines, want 1:\n%s", strings.Count(line, "\n")+1, out)
			}
			gotOK := strings.HasPrefix(line, f+": OK: ")
			if !gotOK && !strings.HasPrefix(line, f+": FALLA: ") {
				t.Fatalf("verify line %q does not start with %q", line, f+": OK|FALLA: ")
			}
			if gotOK != wantOK {
				t.Errorf("folio cfdi verify: %s\noracle: %s", line, verdict)
			}
			if wantCode := map[bool]int{true: 0, false: 1}[wantOK]; code != wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, wantCode, stderr)
			}
		})
		if strings.Contains(name, "NEGATIVO") {
			failing++
		}
	}
	if failing != 2 {
		t.Errorf("found %d negative samples, want 2 (09 and 15)", failing)
	}
}

func TestCFDIVerifyReportsAmountsAsWarning(t *testing.T) {
	// Sample 10 carries nonsense amounts by design but a valid seal: the
	// verdict is OK and the amounts are a warning.
	f := testpack.Path(t, "samples", "10-ejemplo-todos-los-nodos-valores-ficticios.xml")
	code, out, _ := runCLI(t, "cfdi", "verify", f)
	if code != 0 || !strings.Contains(out, ": OK: ") {
		t.Fatalf("verify sample 10: code %d, %s; want OK", code, out)
	}
	for _, want := range []string{"AVISO: importes fuera de las reglas del SAT: CFDI40", "el certificado no estaba vigente"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify sample 10 = %s\nwant it to contain %q", out, want)
		}
	}
	// A clean sample has no warning.
	f = testpack.Path(t, "samples", "12-construido-ingreso-ieps-iva16-iva0.xml")
	if _, out, _ := runCLI(t, "cfdi", "verify", f); strings.Contains(out, "AVISO") {
		t.Errorf("verify sample 12 = %s, want no warning", out)
	}
}

func TestCFDIVerifySeveralFiles(t *testing.T) {
	good := testpack.Path(t, "samples", "11-construido-egreso-nota-credito.xml")
	bad := testpack.Path(t, "samples", "09-NEGATIVO-sello-no-verifica.xml")
	missing := filepath.Join(t.TempDir(), "no-existe.xml")
	code, out, _ := runCLI(t, "cfdi", "verify", good, bad, missing)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("verify 3 files: code %d, %d lines, want 1 and 3:\n%s", code, len(lines), out)
	}
	for i, want := range []string{good + ": OK: ", bad + ": FALLA: ", missing + ": FALLA: "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], want)
		}
	}
	if code, _, _ := runCLI(t, "cfdi", "verify", good); code != 0 {
		t.Errorf("verify of a valid file: exit code %d, want 0", code)
	}
}

// TestCFDICadenaGolden checks "folio cfdi cadena" against the golden cadenas
// the SAT XSLT produced, byte for byte, and --tfd against the TFD ones.
func TestCFDICadenaGolden(t *testing.T) {
	for _, f := range testpack.Samples(t) {
		stem := strings.TrimSuffix(filepath.Base(f), ".xml")
		t.Run(stem, func(t *testing.T) {
			t.Parallel()
			code, out, stderr := runCLI(t, "cfdi", "cadena", f)
			if code != 0 {
				t.Fatalf("cadena: exit %d: %s", code, stderr)
			}
			if want := testpack.Read(t, "samples", "cadenas", stem+".txt"); out != string(want) {
				t.Errorf("cadena differs from golden %s.txt\n got: %.200q\nwant: %.200q", stem, out, want)
			}
			golden := testpack.Path(t, "samples", "cadenas", stem+".tfd.txt")
			if _, err := os.Stat(golden); err != nil {
				return
			}
			code, out, stderr = runCLI(t, "cfdi", "cadena", "--tfd", f)
			if code != 0 {
				t.Fatalf("cadena --tfd: exit %d: %s", code, stderr)
			}
			if want := testpack.Read(t, "samples", "cadenas", stem+".tfd.txt"); out != string(want) {
				t.Errorf("TFD cadena differs from golden\n got: %q\nwant: %q", out, want)
			}
		})
	}
}

func TestCFDISeal(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "password.txt")
	if err := os.WriteFile(pw, []byte("12345678a\r\nsecond line is ignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cer := testpack.Path(t, "csd", "EKU9003173C9.cer")
	key := testpack.Path(t, "csd", "EKU9003173C9.key")

	t.Run("sealed output passes the oracle", func(t *testing.T) {
		// Given sample 11 with its seal, certificate and NoCertificado removed,
		in := unsealedCopy(t, dir, "11-construido-egreso-nota-credito.xml")
		out := filepath.Join(dir, "sellado.xml")
		// when folio seals it,
		code, stdout, stderr := runCLI(t, "cfdi", "seal", "--cer", cer, "--key", key, "--password-file", pw, in, "-o", out)
		if code != 0 {
			t.Fatalf("seal: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
		}
		// then the oracle and folio's own verifier accept it.
		if ok, verdict := testpack.VerifySeal(t, out); !ok {
			t.Errorf("oracle: %s", verdict)
		}
		if code, line, _ := runCLI(t, "cfdi", "verify", out); code != 0 {
			t.Errorf("folio cfdi verify: %s", line)
		}
	})

	t.Run("to standard output", func(t *testing.T) {
		in := unsealedCopy(t, dir, "12-construido-ingreso-ieps-iva16-iva0.xml")
		code, stdout, stderr := runCLI(t, "cfdi", "seal", "--cer", cer, "--key", key, "--password-file", pw, in)
		if code != 0 {
			t.Fatalf("seal: exit %d: %s", code, stderr)
		}
		v := cfdi.Verify([]byte(stdout))
		if !v.OK() || v.NoCert != "30001000000500003416" {
			t.Errorf("sealed XML on stdout: %s", v)
		}
	})

	t.Run("refuses a document that fails pre-flight", func(t *testing.T) {
		in := testpack.Path(t, "samples", "15-NEGATIVO-xsd-falta-exportacion.xml")
		out := filepath.Join(dir, "rechazado.xml")
		code, _, stderr := runCLI(t, "cfdi", "seal", "--cer", cer, "--key", key, "--password-file", pw, in, "-o", out)
		if code != 1 || !strings.Contains(stderr, "[Exportacion]") {
			t.Errorf("seal of sample 15: exit %d, stderr %q; want 1 and the Exportacion problem", code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("seal wrote %s although it refused", out)
		}
		// --forzar seals it anyway (the oracle then fails it on the XSD).
		code, _, stderr = runCLI(t, "cfdi", "seal", "--forzar", "--cer", cer, "--key", key, "--password-file", pw, in, "-o", out)
		if code != 0 || !strings.Contains(stderr, "aviso:") {
			t.Errorf("seal --forzar: exit %d, stderr %q", code, stderr)
		}
		if v := cfdi.Verify(mustRead(t, out)); v.Seal != nil {
			t.Errorf("forced seal does not verify: %s", v)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.txt")
		if err := os.WriteFile(bad, []byte("nope\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		in := testpack.Path(t, "samples", "11-construido-egreso-nota-credito.xml")
		code, _, stderr := runCLI(t, "cfdi", "seal", "--cer", cer, "--key", key, "--password-file", bad, in)
		if code != 1 || !strings.Contains(strings.ToLower(stderr), "contraseña") {
			t.Errorf("seal with a wrong password: exit %d, stderr %q", code, stderr)
		}
		if strings.Contains(stderr, "nope") {
			t.Errorf("stderr shows the password: %q", stderr)
		}
	})

	t.Run("refuses a stamped document", func(t *testing.T) {
		in := testpack.Path(t, "samples", "01-ingreso-iva16-timbrado.xml")
		if code, _, stderr := runCLI(t, "cfdi", "seal", "--cer", cer, "--key", key, "--password-file", pw, in); code != 1 || !strings.Contains(stderr, "timbrado") {
			t.Errorf("seal of a stamped document: exit %d, stderr %q", code, stderr)
		}
	})
}

// unsealedCopy writes sample name with its seal removed, so that a passing
// result can only come from folio's own seal.
func unsealedCopy(t *testing.T, dir, name string) string {
	t.Helper()
	c, err := cfdi.Parse(testpack.Read(t, "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	c.Sello, c.NoCertificado, c.Certificado = "", "", ""
	b, err := cfdi.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "sin-sello-"+name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCFDIUsage(t *testing.T) {
	for _, args := range [][]string{
		{"cfdi"}, {"cfdi", "sellar"}, {"cfdi", "verify"}, {"cfdi", "cadena"}, {"cfdi", "cadena", "a.xml", "b.xml"},
		{"cfdi", "seal", "in.xml"}, {"cfdi", "seal", "--cer"}, {"cfdi", "seal", "--cer", "c", "--key", "k", "--password-file", "p", "--zzz", "in.xml"},
	} {
		if code, _, stderr := runCLI(t, args...); code != 2 || !strings.Contains(stderr, "uso: folio cfdi") {
			t.Errorf("folio %s: exit %d, stderr %q; want 2 and the usage", strings.Join(args, " "), code, stderr)
		}
	}
}

// BenchmarkVerifySamples verifies every SAT sample (parse, structure, seal,
// NoCertificado, TFD with the embedded SAT certificates, amounts) per
// iteration, as "folio cfdi verify" does.
func BenchmarkVerifySamples(b *testing.B) {
	files := testpack.Samples(b)
	sats := satTFDCertificates()
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		b.Fatal(err)
	}
	if err := cats.Preload(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			verifyFile(f, sats, cats)
		}
	}
	b.ReportMetric(float64(b.N*len(files))/b.Elapsed().Seconds(), "docs/s")
}

// TestCFDIVerifyTFDWithEmbeddedSATCertificates checks that Folio verifies
// the SelloSAT of stamped documents with the SAT certificates it embeds: the
// production one (sample 02) and the test one (sample 01).
func TestCFDIVerifyTFDWithEmbeddedSATCertificates(t *testing.T) {
	if got := len(satTFDCertificates()); got != 2 {
		t.Fatalf("embedded SAT TFD certificates = %d, want 2", got)
	}
	for sample, want := range map[string]string{
		"01-ingreso-iva16-timbrado.xml":           "SelloSAT del timbre verificado (30001000000500003456)",
		"02-ingreso-produccion-real-timbrado.xml": "SelloSAT del timbre verificado (00001000000708361114)",
	} {
		code, out, _ := runCLI(t, "cfdi", "verify", testpack.Path(t, "samples", sample))
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("verify %s: exit %d, %s\nwant it to contain %q", sample, code, out, want)
		}
	}
}

// TestCFDIVerifyNamesComplements: the verdict line names the complements
// (a sealed CFDI with implocal, the SAT template kind) and, apart, the
// addenda Folio keeps verbatim without judging.
func TestCFDIVerifyNamesComplements(t *testing.T) {
	f := testpack.Path(t, "samples", "08-ingreso-con-addenda.xml")
	_, out, _ := runCLI(t, "cfdi", "verify", f)
	if !strings.Contains(out, " | sin plantilla del SAT, conservados tal cual: Addenda: diverza (http://www.diverza.com/ns/addenda/diverza/1)") {
		t.Errorf("verify sample 08 = %s\nwant the addenda named", out)
	}
	f = testpack.Path(t, "samples", "04-pago20.xml")
	if _, out, _ := runCLI(t, "cfdi", "verify", f); !strings.Contains(out, " | complementos: Pagos") {
		t.Errorf("verify sample 04 = %s\nwant Pagos named", out)
	}

	dir := t.TempDir()
	pw := filepath.Join(dir, "password.txt")
	if err := os.WriteFile(pw, []byte("12345678a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := unsealedCopy(t, dir, "12-construido-ingreso-ieps-iva16-iva0.xml")
	data := mustRead(t, in)
	c, err := cfdi.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Complemento == nil {
		c.Complemento = &cfdi.Complemento{}
	}
	c.Complemento.Others = append(c.Complemento.Others,
		[]byte(`<implocal:ImpuestosLocales xmlns:implocal="http://www.sat.gob.mx/implocal" version="1.0" TotaldeRetenciones="0.00" TotaldeTraslados="0.00"/>`))
	withImplocal, err := cfdi.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, withImplocal, 0o600); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(dir, "sellado.xml")
	cer, key := testpack.Path(t, "csd", "EKU9003173C9.cer"), testpack.Path(t, "csd", "EKU9003173C9.key")
	if code, _, stderr := runCLI(t, "cfdi", "seal", "--forzar", "--cer", cer, "--key", key, "--password-file", pw, in, "-o", out2); code != 0 {
		t.Fatalf("seal: %s", stderr)
	}
	code, line, _ := runCLI(t, "cfdi", "verify", out2)
	if code != 0 || !strings.Contains(line, ": OK: ") || !strings.Contains(line, "| complementos: ImpuestosLocales") {
		t.Errorf("verify of a sealed CFDI with implocal: code %d, %s", code, line)
	}
	if ok, verdict := testpack.VerifySeal(t, out2, "--no-xsd"); !ok {
		t.Errorf("oracle: %s", verdict)
	}
}
