package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

// enableThirdParties turns on the demo company's sales settings for third
// parties and several sellers with `folio company ventas`, as Empresa ›
// Ventas does in the window.
func enableThirdParties(t *testing.T, db string) {
	t.Helper()
	code, out, errOut := runCLI(t, "--db", db, "company", "ventas", "--terceros", "si", "--vendedores", "sí")
	if code != 0 || !strings.Contains(out, "facturación a terceros activada; varios vendedores por venta activada") {
		t.Fatalf("company ventas = %d, %q, %q", code, out, errOut)
	}
}

// TestCLICompanySales: without flags the switches are shown (off on a new
// company); a flag changes only its switch; a value that is not sí/no is
// a usage error that changes nothing.
func TestCLICompanySales(t *testing.T) {
	db := seedDemoDB(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 0, "facturación a terceros desactivada; varios vendedores por venta desactivada"},
		{[]string{"--terceros", "si"}, 0, "facturación a terceros activada; varios vendedores por venta desactivada"},
		{[]string{"--terceros", "quizá"}, 2, ""},
		{[]string{"--vendedores", "on"}, 0, "facturación a terceros activada; varios vendedores por venta activada"},
		{[]string{"--terceros", "no"}, 0, "facturación a terceros desactivada; varios vendedores por venta activada"},
	} {
		code, out, errOut := runCLI(t, append([]string{"--db", db, "company", "ventas"}, c.args...)...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("company ventas %v = %d, %q, %q; want %d, %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.SalesSettings(ctx, sales.DemoRFC)
	if err != nil || got != (sales.SalesSettings{MultipleSellers: true}) {
		t.Errorf("stored settings = %+v, %v", got, err)
	}
}

// TestCLIThirdParties: `folio tercero alta` validates like a customer,
// `lista` shows the catalog, `baja` deactivates; `folio post` bills
// concepts on behalf of a third party (by RFC or id) with the sale's
// details, and the sealed XML carries ACuentaTerceros and passes SAT's
// tools; a deactivated third party is refused.
func TestCLIThirdParties(t *testing.T) {
	db := seedDemoDB(t)
	code, out, errOut := runCLI(t, "--db", db, "tercero", "alta", "--rfc", "iia040805dz4", "--nombre", "Indistria Iluminadora de Almacenes",
		"--regimen", "601", "--cp", "62661", "--cuenta", "002010077777777771")
	if code != 0 || !strings.Contains(out, "Tercero 1: Indistria Iluminadora de Almacenes (IIA040805DZ4)") {
		t.Fatalf("alta = %d %q %q", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, "--db", db, "tercero", "alta", "--rfc", "CACX7605101P8", "--nombre", "XOCHILT CASAS CHAVEZ",
		"--regimen", "612", "--cp", "36257"); code != 0 {
		t.Fatalf("alta 2 = %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "--db", db, "tercero", "alta", "--rfc", "IIA040805DZ4", "--nombre", "OTRO", "--regimen", "601", "--cp", "62661")
	if code != 1 || !strings.Contains(errOut, "Ya existe un tercero con ese RFC") {
		t.Errorf("duplicate = %d %q", code, errOut)
	}
	if code, _, errOut = runCLI(t, "--db", db, "tercero", "alta", "--rfc", "XYZ", "--nombre", "MAL"); code != 1 {
		t.Errorf("bad third party = %d %q", code, errOut)
	}
	if code, _, _ = runCLI(t, "--db", db, "tercero", "baja"); code != 2 {
		t.Errorf("baja without --id = %d", code)
	}
	code, out, _ = runCLI(t, "--db", db, "tercero", "lista", "--buscar", "ilumin")
	if code != 0 || !strings.Contains(out, "IIA040805DZ4") || strings.Contains(out, "CACX7605101P8") {
		t.Errorf("lista --buscar:\n%s", out)
	}

	// Posting needs the setting.
	doc := `{"serie": "A", "cliente_rfc": "URE180429TM6", "condiciones": "credito",
	  "detalles": {"sucursal": "Matriz", "vendedor": "ANA", "cobrar_a": "CACX7605101P8",
	    "embarque": {"buque": "MSC ALINA", "contenedor": "MSCU1234567", "incoterm": "fob", "fecha_embarque": "2026-11-20"},
	    "gestion": {"genero": "LUIS PÉREZ", "placas": "ABC-123-D"},
	    "vendedores": [{"nombre": "ANA", "porcentaje": "3"}, {"nombre": "LUIS", "porcentaje": 2.5}]},
	  "conceptos": [
	    {"producto": "SRV-CONS", "cantidad": "2"},
	    {"producto": "LAP-14", "cantidad": "1", "tercero": {"rfc": "IIA040805DZ4"}},
	    {"producto": "LIB-01", "cantidad": "3", "tercero": {"id": 2}}]}`
	file := filepath.Join(t.TempDir(), "terceros.json")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "--db", db, "post", file)
	if code != 1 || !strings.Contains(errOut, "Manejar facturación / cobros a terceros") {
		t.Fatalf("post without the setting = %d %q", code, errOut)
	}
	enableThirdParties(t, db)
	code, out, errOut = runCLI(t, "--db", db, "post", file)
	if code != 0 || !strings.Contains(out, "A-4") {
		t.Fatalf("post = %d\n%s\n%s", code, out, errOut)
	}
	conn := openRaw(t, db)
	var xml []byte
	var collect int64
	var details string
	if err := conn.QueryRow(`SELECT d.sealed_xml, i.collect_from, i.sale_details FROM invoices i JOIN documents d ON d.id = i.document_id
		WHERE i.serie = 'A' AND i.folio = 4`).Scan(&xml, &collect, &details); err != nil {
		t.Fatal(err)
	}
	x, err := cfdi.Parse(xml)
	if err != nil {
		t.Fatal(err)
	}
	var rfcs []string
	for _, k := range x.Conceptos {
		if k.ACuentaTerceros != nil {
			rfcs = append(rfcs, k.ACuentaTerceros.RfcACuentaTerceros)
		}
	}
	if strings.Join(rfcs, ",") != "IIA040805DZ4,CACX7605101P8" || x.Receptor.Rfc != "URE180429TM6" {
		t.Errorf("ACuentaTerceros %v, receptor %s", rfcs, x.Receptor.Rfc)
	}
	if collect == 0 || !strings.Contains(details, "MSCU1234567") || !strings.Contains(details, `"FOB"`) || !strings.Contains(details, "ABC-123-D") {
		t.Errorf("stored details: collect_from %d, %s", collect, details)
	}
	xf := filepath.Join(t.TempDir(), "A-4.xml")
	if err := os.WriteFile(xf, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, xf); !ok {
		t.Errorf("verify-seal.sh: %s", verdict)
	}

	// A payment of A-4 named by the customer it is collected from is issued
	// to A-4's receptor.
	if code, out, errOut = runCLI(t, "--db", db, "sync"); code != 0 {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
	}
	// The exported PDF of A-4, rendered from the stored XML, prints the
	// sale's shipping data like the window's.
	testpack.RequireTools(t, "pdftotext")
	outDir := t.TempDir()
	if code, out, errOut = runCLI(t, "--db", db, "export", "--dir", outDir, "--desde", "2026-01-01"); code != 0 {
		t.Fatalf("export: %d\n%s\n%s", code, out, errOut)
	}
	pdfs, _ := filepath.Glob(filepath.Join(outDir, "A-4_*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("exported PDFs of A-4: %v", pdfs)
	}
	text, err := exec.Command("pdftotext", pdfs[0], "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "MSCU1234567") || !strings.Contains(string(text), "DATOS DE EMBARQUE") {
		t.Errorf("exported PDF of A-4 lacks the shipping data:\n%s", text)
	}

	pago := filepath.Join(t.TempDir(), "pago.json")
	if err := os.WriteFile(pago, []byte(`{"serie": "P", "cliente_rfc": "CACX7605101P8", "pago": {"fecha_pago": "2026-11-21",
	  "forma_pago": "03", "monto": "1000.00", "facturas": [{"factura": "A-4", "importe": "1000.00"}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "--db", db, "post", pago)
	if code != 0 || !strings.Contains(out, "P-1\tGenerada\tURE180429TM6") {
		t.Fatalf("payment collected from the payer = %d\n%s\n%s", code, out, errOut)
	}

	// A deactivated third party is refused by the request and the post.
	if code, out, errOut = runCLI(t, "--db", db, "tercero", "baja", "--id", "1"); code != 0 || !strings.Contains(out, "inactivo") {
		t.Fatalf("baja = %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "--db", db, "post", file)
	if code != 1 || !strings.Contains(errOut, "tercero") {
		t.Errorf("post with a deactivated third party = %d %q", code, errOut)
	}
	code, out, _ = runCLI(t, "--db", db, "tercero", "lista", "--todos")
	if code != 0 || !strings.Contains(out, "inactivo") {
		t.Errorf("lista --todos:\n%s", out)
	}
	// The usage of post documents the keys.
	if code, _, errOut = runCLI(t, "--db", db, "post"); code != 2 || !strings.Contains(errOut, "cobrar_a") || !strings.Contains(errOut, "tercero:") {
		t.Errorf("post usage = %d %q", code, errOut)
	}
}
