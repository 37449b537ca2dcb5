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
