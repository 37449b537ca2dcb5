package cli

import (
	"strings"
	"testing"
)

// TestCLIAccounts: `folio cuenta alta` creates the active company's
// accounts through the domain's validation, `lista` shows them with their
// balance, `baja` deactivates one, and a bad account is refused with the
// domain's Spanish message.
func TestCLIAccounts(t *testing.T) {
	db := seedDemoDB(t)
	code, out, errOut := runCLI(t, "--db", db, "cuenta", "alta", "--nombre", "Cheques BBVA", "--tipo", "banco",
		"--moneda", "MXN", "--banco", "BBVA", "--numero", "002010077777777771")
	if code != 0 || !strings.Contains(out, "Cheques BBVA (Banco, MXN)") {
		t.Fatalf("alta = %d %q %q", code, out, errOut)
	}
	if code, out, errOut = runCLI(t, "--db", db, "cuenta", "alta", "--nombre", "Caja dólares", "--tipo", "caja", "--moneda", "usd"); code != 0 {
		t.Fatalf("alta caja = %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "--db", db, "cuenta", "alta", "--nombre", "Mala", "--tipo", "banco", "--moneda", "ZZZ")
	if code != 1 || !strings.Contains(errOut, "Escriba el banco de la cuenta.") || !strings.Contains(errOut, "catálogo del SAT") {
		t.Errorf("bad account = %d %q", code, errOut)
	}
	if code, _, errOut = runCLI(t, "--db", db, "cuenta", "baja"); code != 2 {
		t.Errorf("baja without --id = %d %q", code, errOut)
	}
	// The demo company comes with accounts 1 (Caja) and 2 (its bank).
	if code, out, errOut = runCLI(t, "--db", db, "cuenta", "baja", "--id", "4"); code != 0 || !strings.Contains(out, "Caja dólares, inactiva") {
		t.Fatalf("baja = %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "--db", db, "cuenta", "lista", "--desde", "2026-01-01")
	if code != 0 {
		t.Fatalf("lista = %d %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	line := func(has string) string {
		for _, l := range lines {
			if strings.Contains(l, has) {
				return l
			}
		}
		return ""
	}
	if len(lines) != 5 || !strings.Contains(line("Caja dólares"), "inactiva") || !strings.HasSuffix(line("002010077777777771"), "$0.00") {
		t.Errorf("lista:\n%s", out)
	}
	if code, _, errOut = runCLI(t, "--db", db, "cuenta", "lista", "--desde", "ayer"); code != 1 || !strings.Contains(errOut, "AAAA-MM-DD") {
		t.Errorf("lista with a bad date = %d %q", code, errOut)
	}
}
