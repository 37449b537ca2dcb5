package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

func TestCLICompany(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "folio.db")
	// Given the demo company (active, saved first) and a second company.
	s, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*sales.Company{sales.DemoCompany(),
		{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}} {
		if err := s.SaveCompany(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	pwFile := filepath.Join(dir, "password.txt")
	if err := os.WriteFile(pwFile, []byte("12345678a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badPw := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(badPw, []byte("12345678b\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	csdArgs := func(rfc, pw string) []string {
		return []string{"--db", db, "company", "csd", "--cer", testpack.Path(t, "csd", rfc+".cer"),
			"--key", testpack.Path(t, "csd", rfc+".key"), "--password-file", pw}
	}

	code, out, errOut := runCLI(t, "--db", db, "company", "list")
	if code != 0 || !strings.Contains(out, "* EKU9003173C9") || !strings.Contains(out, "CSD 30001000000500003416 vence 18/05/2027") ||
		!strings.Contains(out, "  CACX7605101P8") || !strings.Contains(out, "sin CSD") {
		t.Fatalf("list: code %d\n%s\n%s", code, out, errOut)
	}

	// The demo company keeps SAT's embedded test CSD.
	code, _, errOut = runCLI(t, csdArgs("EKU9003173C9", pwFile)...)
	if code != 1 || !strings.Contains(errOut, "La empresa de demostración usa el CSD de prueba") {
		t.Errorf("csd to demo: code %d, stderr %q", code, errOut)
	}

	code, out, _ = runCLI(t, "--db", db, "company", "use", "cacx7605101p8")
	if code != 0 || out != "Empresa activa: CACX7605101P8 — XOCHILT CASAS CHAVEZ\n" {
		t.Fatalf("use: code %d, stdout %q", code, out)
	}

	// Refusals, each with its own message, and nothing stored.
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"other company's CSD", csdArgs("EKU9003173C9", pwFile), "El certificado es del RFC EKU9003173C9, no del RFC de la empresa (CACX7605101P8)"},
		{"wrong password", csdArgs("CACX7605101P8", badPw), "La contraseña de la llave privada no es correcta."},
		{"missing file", csdArgs("CACX7605101P8", filepath.Join(dir, "nada.txt")), "No existe el archivo"},
	} {
		code, _, errOut := runCLI(t, tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: code %d, stderr %q, want %q", tt.name, code, errOut, tt.want)
		}
	}

	code, out, errOut = runCLI(t, csdArgs("CACX7605101P8", pwFile)...)
	if code != 0 || out != "CSD 30001000000500003316 de XOCHILT CASAS CHAVEZ guardado para XOCHILT CASAS CHAVEZ (CACX7605101P8); vigente hasta el 09/05/2027.\n" {
		t.Fatalf("csd: code %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "--db", db, "company", "list")
	if code != 0 || !strings.Contains(out, "* CACX7605101P8") || !strings.Contains(out, "CSD 30001000000500003316 vence 09/05/2027") {
		t.Errorf("list after upload: code %d\n%s", code, out)
	}
	if st, err := os.Stat(db + ".secret"); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v, %v", st, err)
	}

	code, _, errOut = runCLI(t, "--db", db, "company", "use", "XAXX010101000")
	if code != 1 || !strings.Contains(errOut, "No hay una empresa con el RFC XAXX010101000") {
		t.Errorf("use unknown: code %d, stderr %q", code, errOut)
	}
	for _, args := range [][]string{{"company"}, {"company", "use"}, {"company", "csd", "--cer", "x"}, {"company", "borrar"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}

func TestCLICompanyPAC(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "folio.db")
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	demo, own := sales.DemoCompany(), &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	for _, c := range []*sales.Company{demo, own} {
		if err := s.SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetActiveCompany(ctx, demo.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	const password, token = "Contraseña-del-PAC-7", "token.largo.de.prueba"
	pwFile, tokFile := filepath.Join(dir, "pw.txt"), filepath.Join(dir, "token.txt")
	os.WriteFile(pwFile, []byte(password+"\r\nsegunda línea"), 0o600)
	os.WriteFile(tokFile, []byte(token+"\n"), 0o600)
	var printed strings.Builder
	folio := func(args ...string) (int, string, string) {
		code, out, errOut := runCLI(t, append([]string{"--db", db, "company", "pac"}, args...)...)
		printed.WriteString(out + errOut)
		return code, out, errOut
	}

	// The demo company may use the local PAC; a company of its own may not.
	if code, out, errOut := folio("--local"); code != 0 || out != "Cuenta del PAC de "+demo.Nombre+" (EKU9003173C9) guardada: PAC local de demostración.\n" {
		t.Errorf("--local for the demo company: code %d, %q, %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "--db", db, "company", "use", own.RFC); code != 0 {
		t.Fatal("company use failed")
	}
	if code, _, errOut := folio("--local"); code != 1 || !strings.Contains(errOut, "El PAC local de demostración solo timbra la empresa de demostración") {
		t.Errorf("--local for a company of its own: code %d, %q", code, errOut)
	}
	// A URL that would send the password in the clear is refused.
	if code, _, errOut := folio("--url", "http://timbrado.example.mx", "--user", "facturas@xochilt.example", "--password-file", pwFile); code != 1 ||
		!strings.Contains(errOut, "Use https://") {
		t.Errorf("remote http URL: code %d, %q", code, errOut)
	}
	// User and password (first line of the file), at the PAC's own URL.
	code, out, errOut := folio("--url", "https://services.timbrado.example.mx/", "--user", "facturas@xochilt.example", "--password-file", pwFile)
	if code != 0 || out != "Cuenta del PAC de XOCHILT CASAS CHAVEZ (CACX7605101P8) guardada: PAC de pruebas (services.timbrado.example.mx).\n" {
		t.Errorf("user account: code %d, %q, %q", code, out, errOut)
	}
	s, err = sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.CompanyPACSettings(ctx, own.ID)
	want := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACPruebas, User: "facturas@xochilt.example", Password: password, URL: "https://services.timbrado.example.mx"}
	if err != nil || got != want {
		t.Errorf("stored account = %+v, %v; want %+v", got, err, want)
	}
	s.Close()
	// A production token at the environment's hosts.
	if code, out, errOut := folio("--produccion", "--token-file", tokFile); code != 0 || !strings.HasSuffix(out, "guardada: PAC de producción (services.sw.com.mx).\n") {
		t.Errorf("token account: code %d, %q, %q", code, out, errOut)
	}
	s, err = sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.CompanyPACSettings(ctx, own.ID); err != nil || got != (sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACProduccion, Token: token}) {
		t.Errorf("stored token account = %+v, %v", got, err)
	}
	s.Close()

	// The secondary (issue 16): a Finkok account, then only its threshold,
	// then removed.
	if code, _, errOut := folio("--cambiar-tras", "9"); code != 1 || !strings.Contains(errOut, "no tiene PAC secundario") {
		t.Errorf("threshold without a secondary: code %d, %q", code, errOut)
	}
	if code, _, errOut := folio("--secundario-pac", "finkok", "--secundario-token-file", tokFile); code != 1 || !strings.Contains(errOut, "Finkok no usa token") {
		t.Errorf("Finkok token: code %d, %q", code, errOut)
	}
	code, out, errOut = folio("--secundario-pac", "finkok", "--secundario-produccion", "--secundario-user", " timbres@xochilt.example ", "--secundario-password-file", pwFile)
	if code != 0 || out != "PAC secundario de XOCHILT CASAS CHAVEZ (CACX7605101P8) guardado: Finkok de producción (facturacion.finkok.com); se usa tras 5 minutos sin respuesta del principal.\n" {
		t.Errorf("secondary: code %d, %q, %q", code, out, errOut)
	}
	if code, out, errOut := folio("--cambiar-tras", "12"); code != 0 || !strings.HasSuffix(out, "se usa tras 12 minutos sin respuesta del principal.\n") {
		t.Errorf("threshold: code %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := folio("--cambiar-tras", "2000"); code != 1 || !strings.Contains(errOut, "de 1 a 1440") {
		t.Errorf("threshold out of range: code %d, %q", code, errOut)
	}
	s, err = sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.CompanySecondaryPAC(ctx, own.ID)
	if wantF := (sales.PACSettings{Vendor: sales.PACFinkok, Environment: sales.PACProduccion, User: "timbres@xochilt.example", Password: password}); err != nil || f == nil || f.Secondary != wantF || f.AfterMinutes != 12 {
		t.Errorf("stored secondary = %+v, %v; want %+v after 12 min", f, err, wantF)
	}
	s.Close()
	if code, out, _ := folio("--sin-secundario"); code != 0 || out != "XOCHILT CASAS CHAVEZ (CACX7605101P8) ya no tiene PAC secundario.\n" {
		t.Errorf("--sin-secundario: code %d, %q", code, out)
	}
	if strings.Contains(printed.String(), password) || strings.Contains(printed.String(), token) {
		t.Errorf("a secret was printed:\n%s", printed.String())
	}

	for _, args := range [][]string{{}, {"--local", "--user", "u"}, {"--user", "u"}, {"--url", "https://x.mx"},
		{"--user", "u", "--password-file", pwFile, "--token-file", tokFile}, {"--local", "extra"},
		{"--secundario-user", "u"}, {"--sin-secundario", "--cambiar-tras", "3"}} {
		if code, _, _ := folio(args...); code != 2 {
			t.Errorf("company pac %v: code %d, want 2", args, code)
		}
	}
}
