package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
)

// TestCLICancelAtThePACThatStamped: the demo company's invoices are
// stamped at its Finkok account; the company then takes an SW account as
// primary and keeps Finkok as secondary. `folio cancelar` sends the
// request, signed here with the company's CSD, to Finkok, which stamped
// the invoice, and `--estado` asks Finkok; the SW PAC sees nothing. A
// second request while the first is in process is refused before any PAC.
func TestCLICancelAtThePACThatStamped(t *testing.T) {
	db := seedDemoDB(t)
	dir := t.TempDir()
	newPAC := func() *sim.Server {
		s, err := sim.Start(sim.Options{Users: []sim.User{sim.DemoUser}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	sw, fk := newPAC(), newPAC()
	pw := filepath.Join(dir, "pw.txt")
	if err := os.WriteFile(pw, []byte(sim.DemoUser.Password), 0o600); err != nil {
		t.Fatal(err)
	}
	folio := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"--db", db}, args...)...)
		if code != 0 {
			t.Fatalf("folio %v: code %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	folio("company", "pac", "--pac", "finkok", "--url", fk.URL(), "--user", sim.DemoUser.Email, "--password-file", pw)
	folio("sync")
	if fk.Stamped() != 3 || sw.Stamped() != 0 {
		t.Fatalf("stamped %d at Finkok, %d at SW; want 3 at Finkok", fk.Stamped(), sw.Stamped())
	}
	folio("company", "pac", "--url", sw.URL(), "--user", sim.DemoUser.Email, "--password-file", pw,
		"--secundario-pac", "finkok", "--secundario-url", fk.URL(), "--secundario-user", sim.DemoUser.Email, "--secundario-password-file", pw)

	if code, _, errOut := runCLI(t, "--db", db, "cancelar", "A-1", "--motivo", "01"); code != 1 || !strings.Contains(errOut, "motivo 01 requiere") {
		t.Errorf("motivo 01 without its replacement: code %d, %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "--db", db, "cancelar", "A-1"); code != 2 {
		t.Errorf("neither --motivo nor --estado: code %d, want usage", code)
	}
	out := folio("cancelar", "A-1", "--motivo", "02")
	if !strings.Contains(out, "estatus 201") || !strings.Contains(out, "folio cancelar A-1 --estado") {
		t.Errorf("cancelar: %q", out)
	}
	if n, bad := fk.CancelRequests(); n != 1 || bad != 0 {
		t.Errorf("at Finkok: %d requests, %d bad signatures; want 1 verified", n, bad)
	}
	if n, _ := sw.CancelRequests(); n != 0 {
		t.Errorf("the SW PAC, which did not stamp A-1, got %d cancellation requests", n)
	}
	// The demo invoice's total needs the receiver's acceptance; only the
	// PAC that stamped it knows it (SW would answer «No Encontrado»).
	if out := folio("cancelar", "A-1", "--estado"); !strings.Contains(out, "Cancelación en proceso. Estado en el SAT: Vigente (En proceso).") {
		t.Errorf("--estado: %q", out)
	}
	if code, _, errOut := runCLI(t, "--db", db, "cancelar", "A-1", "--motivo", "02"); code != 1 || errOut == "" {
		t.Errorf("cancelling again while in process: code %d, %q", code, errOut)
	}
	if n, _ := fk.CancelRequests(); n != 1 {
		t.Errorf("a refused second request reached Finkok (%d requests)", n)
	}
}

// TestCLICancelAfterRestartOfTheLocalPAC: the demo company stamps at the
// local PAC inside `folio sync`, which ends; `folio cancelar`, another
// run with its own local PAC, is accepted, because the local PAC keeps its
// state beside the database (folio.db.pac-local.json) instead of
// answering that SAT does not know the UUID.
func TestCLICancelAfterRestartOfTheLocalPAC(t *testing.T) {
	db := seedDemoDB(t)
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 {
		t.Fatalf("sync: %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(db + ".pac-local.json"); err != nil {
		t.Fatalf("the local PAC left no state beside the database: %v", err)
	}
	code, out, errOut := runCLI(t, "--db", db, "cancelar", "A-1", "--motivo", "02")
	if code != 0 || !strings.Contains(out, "El SAT recibió la solicitud de cancelación de A-1") {
		t.Fatalf("cancelar after the local PAC restarted: %d\n%s%s", code, out, errOut)
	}
}
