package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCLICashSaleAccount: a cash sale posted from JSON with "cuenta"
// deposits its total into that account when it is posted (the demo's cash
// box shows it); "cuenta" on a credit sale is refused and nothing is
// stored.
func TestCLICashSaleAccount(t *testing.T) {
	db := seedDemoDB(t)
	file := filepath.Join(t.TempDir(), "venta.json")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"serie": "A", "cliente_rfc": "CACX7605101P8", "uso_cfdi": "G03", "condiciones": "contado", "forma_pago": "01",
	  "cuenta": "caja", "conceptos": [{"descripcion": "Servicio", "clave_prod_serv": "81111500", "clave_unidad": "E48",
	  "cantidad": "1", "precio": "1000.00", "objeto_imp": "02", "impuestos": {"iva": "0.16"}}]}`)
	if code, out, errOut := runCLI(t, "--db", db, "post", file); code != 0 || !strings.Contains(out, "1160.00 MXN") {
		t.Fatalf("post cash sale: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "cuenta", "lista"); code != 0 || !regexp.MustCompile(`(?m)Caja.*\$1,160\.00$`).MatchString(out) {
		t.Errorf("cuenta lista after a cash sale into Caja: code %d\n%s\n%s", code, out, errOut)
	}

	before := dumpTables(t, db)
	write(`{"serie": "A", "cliente_rfc": "URE180429TM6", "condiciones": "credito", "cuenta": "caja",
	  "conceptos": [{"producto": "LAP-14", "cantidad": "1"}]}`)
	code, out, errOut := runCLI(t, "--db", db, "post", file)
	if code != 1 || out != "" || !strings.Contains(errOut, "Una factura a crédito no registra su cobro al emitirse") {
		t.Errorf("credit sale with cuenta: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("a refused credit sale changed the database")
	}
}
