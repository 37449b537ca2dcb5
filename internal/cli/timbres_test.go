package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
)

// TestCLITimbres: the Administrador de timbres from the command line,
// against a local PAC started as `folio pac-sim` starts it (its account is
// a dealer) and set with `folio company pac --url`: a new client account,
// stamps handed out and taken back, refusals in Spanish, the lists.
func TestCLITimbres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "folio.db")
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	co := &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	if err := s.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	s.Close()
	pac, err := sim.Start(sim.Options{Users: []sim.User{sim.DemoUser}, SkipQR: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pac.Close()
	pw := filepath.Join(dir, "pac.txt")
	if err := os.WriteFile(pw, []byte(sim.DemoUser.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "--db", db, "company", "pac", "--url", pac.URL(), "--user", sim.DemoUser.Email, "--password-file", pw); code != 0 {
		t.Fatalf("company pac: %d %s %s", code, out, errOut)
	}
	clientPW := filepath.Join(dir, "cliente.txt")
	if err := os.WriteFile(clientPW, []byte(" Luna-2026! \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"timbres", "saldo"}, 0, "1000 timbres disponibles"},
		{[]string{"timbres", "nuevo", "--nombre", "Papelería Luna", "--rfc", "plu200101ab1", "--correo", " luna@cliente.mx ", "--password-file", clientPW, "--timbres", "10"}, 0, "(luna@cliente.mx, PLU200101AB1): 10 timbres"},
		{[]string{"timbres", "nuevo", "--nombre", "Otro", "--rfc", "XYZ", "--correo", "otro@cliente.mx", "--password-file", clientPW}, 1, "RFC"},
		{[]string{"timbres", "asignar", "--cuenta", "luna@cliente.mx", "--timbres", "5", "--comentario", "recarga"}, 0, "luna@cliente.mx tiene ahora 15 timbres"},
		{[]string{"timbres", "asignar", "--cuenta", "luna@cliente.mx", "--timbres", "2000"}, 1, "Solo tiene 985 timbres"},
		{[]string{"timbres", "quitar", "--cuenta", "luna@cliente.mx", "--timbres", "20"}, 1, "solo tiene 15"},
		{[]string{"timbres", "quitar", "--cuenta", "luna@cliente.mx", "--timbres", "3"}, 0, "tiene ahora 12 timbres"},
		{[]string{"timbres", "quitar", "--cuenta", "nadie@cliente.mx", "--timbres", "3"}, 1, "No hay una cuenta de cliente nadie@cliente.mx"},
		{[]string{"timbres", "clientes"}, 0, "Papelería Luna"},
		{[]string{"timbres", "historial", "--cuenta", "luna@cliente.mx"}, 0, "recarga"},
		{[]string{"timbres", "historial", "--desde", "ayer"}, 1, "AAAA-MM-DD"},
		{[]string{"timbres", "asignar", "--timbres", "3"}, 2, "uso: folio timbres"},
	}
	for _, st := range steps {
		code, out, errOut := runCLI(t, append([]string{"--db", db}, st.args...)...)
		if code != st.code || !strings.Contains(out+errOut, st.contains) {
			t.Errorf("folio %s: code %d (want %d)\nstdout %s\nstderr %s\nwant %q", strings.Join(st.args, " "), code, st.code, out, errOut, st.contains)
		}
		if strings.Contains(out+errOut, "Luna-2026!") || strings.Contains(out+errOut, sim.DemoUser.Password) {
			t.Errorf("folio %s printed a password", strings.Join(st.args, " "))
		}
	}
	if b := pac.Balance(sim.DemoUser.Email); b.StampsBalance != 1000-12 {
		t.Errorf("dealer balance at the PAC = %d, want 988", b.StampsBalance)
	}
}
