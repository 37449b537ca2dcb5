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

// TestCLICreditNoteEndToEnd: an invoice posted from JSON and stamped by the
// local PAC gets a return posted from JSON against its SERIE-FOLIO; the note
// is stamped, SAT's tools accept it, and its PDF says it is a credit note
// and names the invoice's UUID. Over-returns are refused with the invoice
// and the product named, whether the store's figures (at Resolve) or
// another note of the same batch (in the posting transaction) took the
// units, and the database is left as it was.
func TestCLICreditNoteEndToEnd(t *testing.T) {
	db := seedDemoDB(t)
	examples := filepath.Join("..", "..", "docs", "examples")

	// Given A-4 (two MOU-01 among its lines), posted and stamped…
	if code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-demo.json")); code != 0 {
		t.Fatalf("post invoices: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !strings.Contains(out, "Timbradas: 5") {
		t.Fatalf("sync invoices: code %d\n%s\n%s", code, out, errOut)
	}
	conn := openRaw(t, db)
	var invoiceUUID string
	if err := conn.QueryRow(`SELECT uuid FROM invoices WHERE serie = 'A' AND folio = 4 AND state = 'stamped'`).Scan(&invoiceUUID); err != nil {
		t.Fatalf("A-4 stamped: %v", err)
	}

	// …when the documented return of one of them is posted by serie-folio…
	code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-nota-credito.json"))
	// 349.50 − 10.00 of the discount in proportion, + IVA 54.32.
	if code != 0 || !regexp.MustCompile(`(?m)^NC-1\tGenerada\tCACX7605101P8\t393\.82 MXN$`).MatchString(out) || errOut != "" {
		t.Fatalf("post credit note: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// …then sync stamps it,
	code, out, errOut = runCLI(t, "--db", db, "sync")
	if code != 0 || !regexp.MustCompile(`(?m)^NC-1 +timbrada +[0-9A-F-]{36}$`).MatchString(out) {
		t.Fatalf("sync credit note: code %d\n%s\n%s", code, out, errOut)
	}
	var noteXML []byte
	var kind, related string
	if err := conn.QueryRow(`SELECT d.stamped_xml, i.credit_kind, r.uuid FROM invoices i JOIN documents d ON d.id = i.document_id
		JOIN invoice_relations r ON r.invoice_id = i.id WHERE i.serie = 'NC' AND i.folio = 1 AND i.state = 'stamped'`).Scan(&noteXML, &kind, &related); err != nil {
		t.Fatalf("NC-1 stamped: %v", err)
	}
	if kind != "devolucion" || related != invoiceUUID {
		t.Errorf("NC-1: kind %q related to %s, want devolucion related to A-4's %s", kind, related, invoiceUUID)
	}
	for _, want := range []string{`TipoDeComprobante="E"`, `<cfdi:CfdiRelacionados TipoRelacion="03">`, `UUID="` + invoiceUUID + `"`, `UsoCFDI="G02"`, `Total="393.82"`} {
		if !strings.Contains(string(noteXML), want) {
			t.Errorf("stamped NC-1 lacks %s", want)
		}
	}

	// An over-return: the store's figures leave one MOU-01, this asks for two.
	before := dumpTables(t, db)
	file := filepath.Join(t.TempDir(), "devolucion.json")
	over := `{"serie": "NC", "nota_credito": {"tipo": "devolucion", "facturas": ["A-4"]}, "conceptos": [{"producto": "MOU-01", "cantidad": "2"}]}`
	if err := os.WriteFile(file, []byte(over), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "--db", db, "post", file)
	if want := "documento 1: conceptos[0].cantidad: Factura A-4, producto «MOU-01»: No se pueden devolver más de 1: se facturaron 2 y ya se devolvieron 1."; code != 1 || out != "" || !strings.Contains(errOut, want) {
		t.Errorf("over-return: code %d\nstdout %s\nstderr %s\nwant %s", code, out, errOut, want)
	}
	// Two returns of one each in one batch, the invoice named by UUID:
	// each passes alone, the second is refused by the posting transaction.
	batch := `[{"serie": "NC", "nota_credito": {"tipo": "devolucion", "facturas": ["` + invoiceUUID + `"]}, "conceptos": [{"linea": 2, "cantidad": "1"}]},
	  {"serie": "NC", "nota_credito": {"tipo": "devolucion", "facturas": ["a-4"]}, "conceptos": [{"producto": "mou-01", "cantidad": "1"}]}]`
	if err := os.WriteFile(file, []byte(batch), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "--db", db, "post", file)
	if want := "documento 2: conceptos[0].cantidad: Factura A-4, producto «MOU-01»: No se pueden devolver más de 0: se facturaron 2 y ya se devolvieron 2."; code != 1 || out != "" ||
		!strings.Contains(errOut, want) || strings.Contains(errOut, "documento 1:") {
		t.Errorf("batch of two returns: code %d\nstdout %s\nstderr %s\nwant %s", code, out, errOut, want)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("a refused credit note changed the database")
	}

	// SAT's tools accept the stamped Egreso.
	dir := t.TempDir()
	xmlFile := filepath.Join(dir, "NC-1.xml")
	if err := os.WriteFile(xmlFile, noteXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, xmlFile); !ok {
		t.Errorf("NC-1: verify-seal.sh: %s", verdict)
	}

	// Its PDF says what it is and which invoice it credits.
	testpack.RequireTools(t, "pdftotext")
	pdfFile := filepath.Join(dir, "NC-1.pdf")
	if code, out, errOut := runCLI(t, "pdf", xmlFile, pdfFile); code != 0 {
		t.Fatalf("pdf: code %d\n%s\n%s", code, out, errOut)
	}
	text, err := exec.Command("pdftotext", pdfFile, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext may break a long UUID across lines: compare without spaces.
	flat := strings.Join(strings.Fields(string(text)), "")
	if !strings.Contains(string(text), "NOTA DE CRÉDITO") || !strings.Contains(flat, invoiceUUID) {
		t.Errorf("NC-1's PDF lacks «NOTA DE CRÉDITO» or A-4's UUID %s:\n%s", invoiceUUID, text)
	}
}
