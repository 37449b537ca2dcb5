package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMain lets a test run this test binary as the folio program (see
// folioProcess): it then calls main instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv("FOLIO_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// folioProcess runs "folio ARGS…" as a process of its own (the test binary
// calling main, so the packages' init functions run as in the real
// program) under the given locale, and returns its output.
func folioProcess(t *testing.T, locale string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "FOLIO_DB":
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "FOLIO_TEST_RUN_MAIN=1", "LANG="+locale)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("folio %v under LANG=%s: %v\nstdout %s\nstderr %s", args, locale, err, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// TestHeadlessCommandsKeepStderrClean: a command prints its own output and
// nothing of Fyne's, also under C.UTF-8 (the default of Debian, Ubuntu and
// containers), where Fyne's locale lookup used to log three "Fyne error"
// lines on stderr at start-up.
func TestHeadlessCommandsKeepStderrClean(t *testing.T) {
	db := filepath.Join(t.TempDir(), "folio.db")
	progress := regexp.MustCompile(`^(\rCargando catálogos del SAT… [0-9]+%)+\n$`)
	for _, locale := range []string{"C.UTF-8", "es_MX.UTF-8"} {
		out, errOut := folioProcess(t, locale, "version")
		if out != "Folio "+version+"\n" || errOut != "" {
			t.Errorf("LANG=%s folio version: stdout %q, stderr %q; want the version and nothing on stderr", locale, out, errOut)
		}
		// The first catalog command loads the catalogs (progress on
		// stderr); the next prints only its list.
		for i := range 2 {
			out, errOut = folioProcess(t, locale, "--db", db, "catalog", "list")
			if !strings.Contains(out, "c_UsoCFDI") {
				t.Errorf("LANG=%s folio catalog list: stdout %q", locale, out)
			}
			if errOut != "" && (i > 0 || locale != "C.UTF-8" || !progress.MatchString(errOut)) {
				t.Errorf("LANG=%s folio catalog list (run %d): stderr %q; want nothing but the first load's progress", locale, i+1, errOut)
			}
		}
	}
}

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
