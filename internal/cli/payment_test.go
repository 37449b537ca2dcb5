package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

// TestCLIPaymentEndToEnd: the invoice on credit (PPD) of post-demo.json,
// stamped by the local PAC, is paid in two parts from JSON: the documented
// partial payment by SERIE-FOLIO, then the rest by UUID. Each receipt is a
// CFDI tipo P stamped by sync that SAT's tools accept, the balances chain
// to zero, a third payment is refused leaving the database as it was, and
// the PDF shows the invoice paid and its balances.
func TestCLIPaymentEndToEnd(t *testing.T) {
	db := seedDemoDB(t)
	examples := filepath.Join("..", "..", "docs", "examples")

	// Given A-5, the credit invoice of post-demo.json, posted and stamped…
	if code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-demo.json")); code != 0 {
		t.Fatalf("post invoices: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !strings.Contains(out, "Timbradas: 5") {
		t.Fatalf("sync invoices: code %d\n%s\n%s", code, out, errOut)
	}
	conn := openRaw(t, db)
	var invoiceUUID, total, terms string
	if err := conn.QueryRow(`SELECT uuid, total, terms FROM invoices WHERE serie = 'A' AND folio = 5 AND state = 'stamped'`).Scan(&invoiceUUID, &total, &terms); err != nil {
		t.Fatalf("A-5 stamped: %v", err)
	}
	if total != "4290" && total != "4290.00" || terms != "credito" {
		t.Fatalf("A-5: total %s terms %s, want the 4,290.00 credit invoice", total, terms)
	}

	// …when the documented partial payment is posted…
	code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-pago.json"))
	if code != 0 || !regexp.MustCompile(`(?m)^P-1\tGenerada\tURE180429TM6\t2000\.00 MXN$`).MatchString(out) || errOut != "" {
		t.Fatalf("post payment: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// …sync stamps it,
	code, out, errOut = runCLI(t, "--db", db, "sync")
	if code != 0 || !regexp.MustCompile(`(?m)^P-1 +timbrada +[0-9A-F-]{36}$`).MatchString(out) {
		t.Fatalf("sync payment: code %d\n%s\n%s", code, out, errOut)
	}
	stamped := func(folio int) []byte {
		t.Helper()
		var x []byte
		if err := conn.QueryRow(`SELECT d.stamped_xml FROM invoices i JOIN documents d ON d.id = i.document_id
			WHERE i.serie = 'P' AND i.folio = ? AND i.tipo = 'P' AND i.state = 'stamped'`, folio).Scan(&x); err != nil {
			t.Fatalf("P-%d stamped: %v", folio, err)
		}
		return x
	}
	p1 := stamped(1)
	for _, want := range []string{`TipoDeComprobante="P"`, `Moneda="XXX"`, `UsoCFDI="CP01"`, `ClaveProdServ="84111506"`,
		`IdDocumento="` + invoiceUUID + `"`, `NumParcialidad="1"`, `ImpSaldoAnt="4290.00"`, `ImpPagado="2000.00"`,
		`ImpSaldoInsoluto="2290.00"`, `MontoTotalPagos="2000.00"`, `NumOperacion="SPEI-7781203"`, `FechaPago="2026-11-20T11:30:00"`} {
		if !strings.Contains(string(p1), want) {
			t.Errorf("stamped P-1 lacks %s", want)
		}
	}

	// The rest, naming the invoice by its UUID, pays it up.
	file := filepath.Join(t.TempDir(), "pago.json")
	rest := `{"serie": "P", "pago": {"fecha_pago": "2026-11-21", "forma_pago": "02", "monto": "2290.00", "cuenta": "caja",
	  "facturas": [{"factura": "` + strings.ToLower(invoiceUUID) + `", "importe": "2290.00"}]}}`
	if err := os.WriteFile(file, []byte(rest), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "--db", db, "post", file); code != 0 || !strings.Contains(out, "P-2\tGenerada\tURE180429TM6\t2290.00 MXN") {
		t.Fatalf("post second payment: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !regexp.MustCompile(`(?m)^P-2 +timbrada`).MatchString(out) {
		t.Fatalf("sync second payment: code %d\n%s\n%s", code, out, errOut)
	}
	// It went into the demo's cash box, named in the JSON.
	if code, out, errOut := runCLI(t, "--db", db, "cuenta", "lista"); code != 0 || !regexp.MustCompile(`(?m)Caja.*\$2,290\.00$`).MatchString(out) {
		t.Errorf("cuenta lista after a payment into Caja: code %d\n%s\n%s", code, out, errOut)
	}
	p2 := stamped(2)
	for _, want := range []string{`NumParcialidad="2"`, `ImpSaldoAnt="2290.00"`, `ImpPagado="2290.00"`, `ImpSaldoInsoluto="0.00"`} {
		if !strings.Contains(string(p2), want) {
			t.Errorf("stamped P-2 lacks %s", want)
		}
	}
	var paid, invTotal int64
	if err := conn.QueryRow(`SELECT (SELECT sum(pagado_micro) FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
		WHERE d.related_id = i.id AND p.state = 'stamped'), i.total_micro FROM invoices i WHERE i.serie = 'A' AND i.folio = 5`).Scan(&paid, &invTotal); err != nil {
		t.Fatal(err)
	}
	if paid != invTotal {
		t.Errorf("A-5 paid %d of %d micro-pesos, want all of it", paid, invTotal)
	}

	// A third payment finds nothing owed; nothing is stored.
	before := dumpTables(t, db)
	over := `{"serie": "P", "pago": {"fecha_pago": "2026-11-22", "forma_pago": "03", "monto": "1.00", "facturas": [{"factura": "A-5", "importe": "1.00"}]}}`
	if err := os.WriteFile(file, []byte(over), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "--db", db, "post", file)
	if want := "A la factura A-5 se le deben 0.00 MXN; no se le pueden aplicar 1.00."; code != 1 || out != "" || !strings.Contains(errOut, want) {
		t.Errorf("overpayment: code %d\nstdout %s\nstderr %s\nwant %s", code, out, errOut, want)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("a refused payment changed the database")
	}

	// SAT's tools accept both stamped receipts.
	dir := t.TempDir()
	for i, x := range [][]byte{p1, p2} {
		f := filepath.Join(dir, "P-"+string(rune('1'+i))+".xml")
		if err := os.WriteFile(f, x, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, verdict := testpack.VerifySeal(t, f); !ok {
			t.Errorf("P-%d: verify-seal.sh: %s", i+1, verdict)
		}
	}

	// The PDF of the first shows the invoice paid and its balances.
	testpack.RequireTools(t, "pdftotext")
	pdfFile := filepath.Join(dir, "P-1.pdf")
	if code, out, errOut := runCLI(t, "pdf", filepath.Join(dir, "P-1.xml"), pdfFile); code != 0 {
		t.Fatalf("pdf: code %d\n%s\n%s", code, out, errOut)
	}
	text, err := exec.Command("pdftotext", pdfFile, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, want := range []string{invoiceUUID, "A5", "4,290.00", "2,000.00", "2,290.00"} {
		if !strings.Contains(flat, want) {
			t.Errorf("P-1's PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestCLIPaymentUnknownAccount: a payment into an account the company does
// not have is refused naming the accounts it has, and nothing is posted.
func TestCLIPaymentUnknownAccount(t *testing.T) {
	db := seedDemoDB(t)
	examples := filepath.Join("..", "..", "docs", "examples")
	if code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-demo.json")); code != 0 {
		t.Fatalf("post demo: %d\n%s\n%s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "pago.json")
	body := `{"serie": "P", "cliente_rfc": "URE180429TM6", "pago": {"fecha_pago": "2026-11-21", "forma_pago": "03",
	  "monto": "10.00", "cuenta": "Cofre"}}`
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "--db", db, "post", file)
	if code != 1 || !strings.Contains(errOut, "No hay una cuenta «Cofre»") || !strings.Contains(errOut, "Caja") {
		t.Errorf("unknown account: code %d %q", code, errOut)
	}
}
