package cli

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

func TestCLIExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "folio.db")
	// given the demo company with its three invoices stamped by the local PAC
	if code, out, errOut := runCLI(t, "--db", db, "demo"); code != 0 {
		t.Fatalf("demo: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 {
		t.Fatalf("sync: code %d\n%s\n%s", code, out, errOut)
	}
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT serie, folio, uuid, stamped_xml FROM documents WHERE state = 'stamped'`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string][]byte{}
	for rows.Next() {
		var serie, folio, uuid string
		var xml []byte
		if err := rows.Scan(&serie, &folio, &uuid, &xml); err != nil {
			t.Fatal(err)
		}
		stored[serie+"-"+folio+"_"+uuid] = xml
	}
	rows.Close()
	if len(stored) != 3 {
		t.Fatalf("%d stamped documents after sync, want 3", len(stored))
	}

	// when they are exported
	dir := filepath.Join(t.TempDir(), "facturas")
	today := time.Now().In(domain.MexicoCity).Format("2006-01-02")
	code, out, errOut := runCLI(t, "--db", db, "export", "--dir", dir, "--desde", "2020-01-01", "--hasta", today)
	if code != 0 || !strings.Contains(out, "3 comprobantes exportados") || !strings.Contains(errOut, "Exportando… 3 de 3 (100%)") {
		t.Fatalf("export: code %d\nstdout %s\nstderr %q", code, out, errOut)
	}
	// then the folder holds one XML (the stored bytes) and one PDF per document
	entries, _ := os.ReadDir(dir)
	if len(entries) != 6 {
		t.Errorf("folder has %d files, want 6", len(entries))
	}
	for base, xml := range stored {
		got, err := os.ReadFile(filepath.Join(dir, base+".xml"))
		if err != nil || !bytes.Equal(got, xml) {
			t.Errorf("%s.xml differs from the stored stamped XML (%v)", base, err)
		}
		if pdf, err := os.ReadFile(filepath.Join(dir, base+".pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s.pdf: %v", base, err)
		}
	}

	// a period without documents exits 1 and says so
	code, _, errOut = runCLI(t, "--db", db, "export", "--dir", dir, "--hasta", "2020-01-01")
	if code != 1 || !strings.Contains(errOut, "No hay comprobantes timbrados") {
		t.Errorf("empty period: code %d, %q", code, errOut)
	}
	// bad usage exits 2; bad dates exit 1 with a Spanish message
	for _, args := range [][]string{{"export"}, {"export", "--dir"}, {"export", "--dir", dir, "extra"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit code %d, want 2", args, code)
		}
	}
	for _, args := range [][]string{{"--desde", "31/01/2026"}, {"--desde", "2026-02-01", "--hasta", "2026-01-01"}} {
		code, _, errOut := runCLI(t, append([]string{"--db", db, "export", "--dir", dir}, args...)...)
		if code != 1 || !strings.Contains(errOut, "fecha") {
			t.Errorf("%v: code %d, %q", args, code, errOut)
		}
	}
}
