package cli

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// runCLI runs "folio ARGS…" in process: a leading "--db FILE" is the
// global option main parses, the rest is the command line.
func runCLI(tb testing.TB, args ...string) (code int, stdout, stderr string) {
	tb.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), testEnv(args, &out, &errb))
	return code, out.String(), errb.String()
}

// testEnv is the Env main builds for args.
func testEnv(args []string, stdout, stderr io.Writer) Env {
	e := Env{Stdout: stdout, Stderr: stderr, Version: "1.2.3-test"}
	if len(args) >= 2 && args[0] == "--db" {
		e.DBPath, args = args[1], args[2:]
	}
	e.Args = args
	return e
}

func TestCLIStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "datos", "folio.db")

	// catalog search loads the catalogs on first use and finds by words.
	code, out, errOut := runCLI(t, "--db", db, "catalog", "search", "c_ClaveProdServ", "servicios", "facturacion")
	if code != 0 || !strings.Contains(out, "84111506 — Servicios de facturación\n") {
		t.Fatalf("search: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Cargando catálogos del SAT… 100%") {
		t.Errorf("no progress shown: %q", errOut)
	}
	// The second time nothing is reloaded; short catalog names work.
	code, out, errOut = runCLI(t, "--db", db, "catalog", "search", "usocfdi", "g03")
	if code != 0 || !strings.HasPrefix(out, "G03 — Gastos en general.\n") || errOut != "" {
		t.Fatalf("search uso: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "--db", db, "catalog", "search", "c_UsoCFDI", "zzzzz")
	if code != 1 || !strings.Contains(errOut, "Sin resultados") {
		t.Errorf("no results: code %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "--db", db, "catalog", "search", "c_Nada", "x")
	if code != 1 || !strings.Contains(errOut, "No existe el catálogo") {
		t.Errorf("unknown catalog: code %d, stderr %q", code, errOut)
	}

	// catalog list prints every catalog with its rows.
	code, out, _ = runCLI(t, "--db", db, "catalog", "list")
	if code != 0 || !strings.Contains(out, "c_ClaveProdServ          52514\n") || strings.Count(out, "\n") != 19 {
		t.Errorf("list: code %d\n%s", code, out)
	}

	// backup writes a valid copy and says where.
	dst := filepath.Join(dir, "respaldo.db")
	code, out, errOut = runCLI(t, "--db", db, "backup", dst)
	if code != 0 || !strings.Contains(out, dst) {
		t.Fatalf("backup: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	copyDB, err := sql.Open("sqlite3", "file://"+dst+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var n int
	if err := copyDB.QueryRow(`SELECT count(*) FROM catalog_entries WHERE catalog = 'c_ClaveProdServ'`).Scan(&n); err != nil || n != 52514 {
		t.Errorf("backup rows = %d, %v", n, err)
	}
	// Not over an existing file.
	code, _, errOut = runCLI(t, "--db", db, "backup", dst)
	if code != 1 || !strings.Contains(errOut, "Ya existe") {
		t.Errorf("backup over existing: code %d, stderr %q", code, errOut)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{{"backup"}, {"catalog"}, {"catalog", "search", "c_UsoCFDI"}, {"catalog", "nada"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
	// A file that is not a database is refused, untouched.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("junk ", 100)), 0o600)
	code, _, errOut = runCLI(t, "--db", junk, "catalog", "list")
	if code != 1 || !strings.Contains(errOut, "no es una base de datos de Folio") {
		t.Errorf("junk db: code %d, stderr %q", code, errOut)
	}
}
