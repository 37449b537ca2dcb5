package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/internal/testpack"
)

func TestCLIPDF(t *testing.T) {
	testpack.RequireTools(t, "pdftotext")
	dir := t.TempDir()
	for _, in := range testpack.Samples(t) {
		name := strings.TrimSuffix(filepath.Base(in), ".xml")
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name+".pdf")
			code, stdout, stderr := runCLI(t, "pdf", in, out)
			if code != 0 || !strings.Contains(stdout, out) {
				t.Fatalf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
			}
			pdf, err := os.ReadFile(out)
			if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("output is not a PDF (%v)", err)
			}
			text, err := exec.Command("pdftotext", out, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(text), "Este documento es una representación impresa de un CFDI") {
				t.Errorf("legend missing from %s", out)
			}
		})
	}

	t.Run("cancelled", func(t *testing.T) {
		out := filepath.Join(dir, "cancelado.pdf")
		code, _, stderr := runCLI(t, "pdf", "--cancelado", testpack.Path(t, "samples", "01-ingreso-iva16-timbrado.xml"), out)
		if code != 0 {
			t.Fatalf("code %d: %s", code, stderr)
		}
		text, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil || !strings.Contains(string(text), "CANCELADO") {
			t.Errorf("no CANCELADO mark (%v)", err)
		}
	})

	bad := filepath.Join(dir, "malo.xml")
	if err := os.WriteFile(bad, []byte("<cfdi:Comprobante"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no arguments", []string{"pdf"}, 2, "uso: folio pdf"},
		{"one argument", []string{"pdf", bad}, 2, "uso: folio pdf"},
		{"missing file", []string{"pdf", filepath.Join(dir, "no-existe.xml"), filepath.Join(dir, "x.pdf")}, 1, "No se pudo leer el archivo"},
		{"not a CFDI", []string{"pdf", bad, filepath.Join(dir, "x.pdf")}, 1, "XML"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("code %d, stderr %q; want code %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
}
