package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestGlobalFlags: main parses --db (or FOLIO_DB) and hands the rest to the
// command table.
func TestGlobalFlags(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runMain(t, "version")
	if code != 0 || out != "Folio "+version+"\n" || errOut != "" {
		t.Errorf("version: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runMain(t, "--help")
	if code != 0 || out != "" {
		t.Errorf("--help: code %d, stdout %q", code, out)
	}
	code, out, _ = runMain(t, "help")
	if code != 0 || !strings.Contains(out, "folio sync [--watch]") {
		t.Errorf("help: code %d\n%s", code, out)
	}
	code, _, errOut = runMain(t, "--bogus")
	if code != 2 || !strings.Contains(errOut, "Órdenes:") {
		t.Errorf("--bogus: code %d, stderr %q", code, errOut)
	}
	code, _, errOut = runMain(t, "nada")
	if code != 2 || !strings.Contains(errOut, `orden desconocida "nada"`) {
		t.Errorf("unknown command: code %d, stderr %q", code, errOut)
	}

	// --db names the database; FOLIO_DB does when --db is absent.
	db := filepath.Join(dir, "flag.db")
	if code, out, errOut := runMain(t, "--db", db, "company", "list"); code != 0 || !strings.Contains(out, "No hay empresas") {
		t.Fatalf("--db: code %d\n%s\n%s", code, out, errOut)
	}
	env := filepath.Join(dir, "env.db")
	t.Setenv("FOLIO_DB", env)
	if code, out, errOut := runMain(t, "backup", filepath.Join(dir, "copia.db")); code != 0 || !strings.Contains(out, env) {
		t.Errorf("FOLIO_DB: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runMain(t, "--db", db, "backup", filepath.Join(dir, "copia2.db")); code != 0 || !strings.Contains(out, db) {
		t.Errorf("--db over FOLIO_DB: code %d\n%s\n%s", code, out, errOut)
	}
}
