package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

var postedLine = regexp.MustCompile(`(?m)^(A-[0-9]+)\tGenerada\t([A-Z0-9&Ñ]+)\t([0-9.]+) MXN$`)

// TestCLIPostEndToEnd: the documented example posts on the demo data
// through the window's use case, `folio sync` stamps what it posted, and
// SAT's own tools accept every stamped document.
func TestCLIPostEndToEnd(t *testing.T) {
	db := seedDemoDB(t)
	example := filepath.Join("..", "..", "docs", "examples", "post-demo.json")

	code, out, errOut := runCLI(t, "--db", db, "post", example)
	if code != 0 {
		t.Fatalf("post: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	lines := postedLine.FindAllStringSubmatch(out, -1)
	if len(lines) != 2 || lines[0][1] != "A-4" || lines[1][1] != "A-5" || lines[0][2] != "CACX7605101P8" {
		t.Fatalf("posted lines = %q, want A-4 and A-5 after the three demo invoices\n%s", lines, out)
	}
	if errOut != "" {
		t.Errorf("stderr = %q, want nothing", errOut)
	}

	code, out, errOut = runCLI(t, "--db", db, "sync")
	if code != 0 || !strings.Contains(out, "Timbradas: 5") {
		t.Fatalf("sync: code %d\n%s\n%s", code, out, errOut)
	}
	conn := openRaw(t, db)
	rows, err := conn.Query(`SELECT i.serie || '-' || i.folio, i.state, d.stamped_xml FROM invoices i JOIN documents d ON d.id = i.document_id
		WHERE i.folio IN (4, 5) ORDER BY i.folio`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	dir := t.TempDir()
	n := 0
	for rows.Next() {
		var name, state string
		var xml []byte
		if err := rows.Scan(&name, &state, &xml); err != nil {
			t.Fatal(err)
		}
		n++
		if state != "stamped" {
			t.Errorf("%s: state %s, want stamped", name, state)
		}
		file := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(file, xml, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, verdict := testpack.VerifySeal(t, file); !ok {
			t.Errorf("%s: verify-seal.sh: %s", name, verdict)
		}
	}
	if n != 2 {
		t.Fatalf("found %d posted documents, want 2", n)
	}
}

// TestCLIPostRefusedBatchChangesNothing: one bad document refuses the whole
// batch; each refused document is named with its field (and SAT code when
// there is one), and every table is byte-identical afterwards.
func TestCLIPostRefusedBatchChangesNothing(t *testing.T) {
	db := seedDemoDB(t)
	before := dumpTables(t, db)
	file := filepath.Join(t.TempDir(), "lote.json")
	batch := `[
	  {"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03", "conceptos": [{"producto": "LAP-14", "cantidad": 1}]},
	  {"serie": "A", "cliente_rfc": "CACX7605101P8", "uso_cfdi": "S01", "forma_pago": "03",
	   "conceptos": [{"producto": "NO-EXISTE", "cantidad": "1"}]},
	  {"serie": "A", "cliente_rfc": "URE180429TM6", "uso_cfdi": "D01", "forma_pago": "03", "conceptos": [{"producto": "MOU-01", "cantidad": "1"}]}
	]`
	if err := os.WriteFile(file, []byte(batch), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "--db", db, "post", file)
	if code != 1 {
		t.Fatalf("post: code %d, want 1\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, want := range []string{
		"documento 2: conceptos[0].producto: No hay un producto activo con el código «NO-EXISTE».",
		"documento 3: UsoCFDI: El uso del CFDI no corresponde al régimen fiscal del cliente.",
		"se rechazaron 2 de 3 documentos; no se emitió ninguno",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "documento 1:") || out != "" {
		t.Errorf("the good document was reported or posted:\nstdout %s\nstderr %s", out, errOut)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("a refused batch changed the database")
	}
}

func TestCLIPostInput(t *testing.T) {
	db := seedDemoDB(t)
	// One document on stdin.
	var out, errb bytes.Buffer
	e := testEnv([]string{"--db", db, "post", "-"}, &out, &errb)
	e.Stdin = strings.NewReader(`{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "01",
		"conceptos": [{"producto": "ALI-CAFE", "cantidad": "3"}]}`)
	if code := Run(context.Background(), e); code != 0 || len(postedLine.FindAllString(out.String(), -1)) != 1 {
		t.Fatalf("post -: code %d\n%s\n%s", code, out.String(), errb.String())
	}
	// Malformed or misspelt JSON is refused with a Spanish reason.
	for _, tt := range []struct{ json, want string }{
		{`{"serie": "A", "cliente_rfc": `, "El JSON no es válido"},
		{`{"serie": "A", "cliente": "CACX7605101P8", "conceptos": []}`, `campo desconocido "cliente"`},
		{`[]`, "El archivo no tiene documentos."},
		{`"x"`, "El JSON debe ser un documento"},
	} {
		var out, errb bytes.Buffer
		e := testEnv([]string{"--db", db, "post", "-"}, &out, &errb)
		e.Stdin = strings.NewReader(tt.json)
		if code := Run(context.Background(), e); code != 1 || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("post %s: code %d, stderr %q; want 1 and %q", tt.json, code, errb.String(), tt.want)
		}
	}
	if code, _, _ := runCLI(t, "--db", db, "post"); code != 2 {
		t.Errorf("post without a file: code %d, want 2", code)
	}
}

func openRaw(t *testing.T, db string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// dumpTables returns every row of every table of db as text, in a stable
// order: two dumps are equal exactly when the data is.
func dumpTables(t *testing.T, db string) string {
	t.Helper()
	conn := openRaw(t, db)
	names, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for names.Next() {
		var n string
		names.Scan(&n)
		tables = append(tables, n)
	}
	names.Close()
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := conn.Query(`SELECT * FROM "` + tbl + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		fmt.Fprintf(&b, "%s %d\n%s\n", tbl, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// TestCLIPostWarehouse: "bodega" names the warehouse the invoice's stock
// exit leaves from, by name; a name that is not an active warehouse of the
// company is refused on that field, listing the ones there are.
func TestCLIPostWarehouse(t *testing.T) {
	db := seedDemoDB(t)
	conn := openRaw(t, db)
	var issuer string
	if err := conn.QueryRow(`SELECT rfc FROM companies ORDER BY id LIMIT 1`).Scan(&issuer); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Sucursal', 0, 1", "Cerrada', 0, 0"} { // besides the demo's default
		if _, err := conn.Exec(`INSERT INTO warehouses (issuer, name, is_default, active, created_at) VALUES (?, '`+w+`, '')`, issuer); err != nil {
			t.Fatal(err)
		}
	}
	post := func(bodega string) (int, string, string) {
		file := filepath.Join(t.TempDir(), "doc.json")
		doc := `{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03", "bodega": "` + bodega + `",
		  "conceptos": [{"producto": "LAP-14", "cantidad": 2}]}`
		if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return runCLI(t, "--db", db, "post", file)
	}
	if code, out, errOut := post("Cerrada"); code != 1 || !strings.Contains(errOut,
		"bodega: No hay una bodega activa «Cerrada»; las bodegas de la empresa son: ") || !strings.Contains(errOut, ", Sucursal.") {
		t.Errorf("post from an inactive warehouse: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if code, out, errOut := post("sucursal"); code != 0 {
		t.Fatalf("post from Sucursal: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	var wh, moved string
	if err := conn.QueryRow(`SELECT w.name, (SELECT group_concat(mw.name) FROM stock_movements m JOIN warehouses mw ON mw.id = m.warehouse_id
		WHERE m.invoice_id = i.id) FROM invoices i JOIN warehouses w ON w.id = i.warehouse_id ORDER BY i.id DESC LIMIT 1`).Scan(&wh, &moved); err != nil {
		t.Fatal(err)
	}
	if wh != "Sucursal" || moved != "Sucursal" {
		t.Errorf("the invoice names warehouse %q and moved stock in %q; want Sucursal for both", wh, moved)
	}
}
