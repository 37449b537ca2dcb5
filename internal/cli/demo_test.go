package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIDemoAndSeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "folio.db")

	// demo creates the company, its data and three sealed invoices.
	code, out, errOut := runCLI(t, "--db", db, "demo")
	if code != 0 || strings.Count(out, "(sellada, en cola de timbrado)") != 3 || !strings.Contains(out, "4 clientes, 5 productos") {
		t.Fatalf("demo: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// Running it again changes nothing.
	code, out, _ = runCLI(t, "--db", db, "demo")
	if code != 0 || !strings.Contains(out, "ya tiene datos") {
		t.Fatalf("demo again: code %d\n%s", code, out)
	}
	// dev seed adds invoices after the demo ones, continuing the numbering.
	code, out, errOut = runCLI(t, "--db", db, "dev", "seed", "--invoices", "500")
	if code != 0 || !strings.Contains(out, "500 facturas con 3 conceptos") {
		t.Fatalf("seed: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var invoices, queued, folios, distinct int
	conn.QueryRow(`SELECT count(*), count(folio), count(DISTINCT folio) FROM invoices`).Scan(&invoices, &folios, &distinct)
	conn.QueryRow(`SELECT count(*) FROM stamp_jobs`).Scan(&queued)
	if invoices != 503 || queued != 3 || folios != distinct {
		t.Errorf("invoices %d, queued jobs %d, folios %d (distinct %d); want 503, 3, no duplicates", invoices, queued, folios, distinct)
	}
	for _, args := range [][]string{{"dev"}, {"dev", "seed"}, {"dev", "seed", "--invoices", "0"}, {"demo", "x"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit code %d, want 2", args, code)
		}
	}
}
