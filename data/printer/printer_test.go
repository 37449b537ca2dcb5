//go:build !windows

package printer

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/printer/printertest"
	"github.com/folio-mx/folio/domain"
)

var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

func TestPrintersListAndDefault(t *testing.T) {
	printertest.New(t, []string{"Oficina", "PDF", "HP LaserJet_2"}, "PDF")
	names, def, err := System{}.Printers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Oficina", "PDF", "HP LaserJet_2"}; !reflect.DeepEqual(names, want) {
		t.Errorf("printers = %q, want %q", names, want)
	}
	if def != "PDF" {
		t.Errorf("default = %q, want PDF", def)
	}
}

func TestPrintersWithoutDefault(t *testing.T) {
	printertest.New(t, []string{"Oficina"}, "")
	names, def, err := System{}.Printers(context.Background())
	if err != nil || len(names) != 1 || def != "" {
		t.Fatalf("Printers = %q, %q, %v; want [Oficina], no default", names, def, err)
	}
}

func TestPrintersNone(t *testing.T) {
	printertest.New(t, nil, "")
	_, _, err := System{}.Printers(context.Background())
	if domain.KindOf(err) != domain.NotFound || !strings.Contains(domain.UserMessage(err), "Guardar PDF") {
		t.Fatalf("no printers: %v (%q), want NotFound pointing to Guardar PDF", err, domain.UserMessage(err))
	}
}

func TestPrintRunsLP(t *testing.T) {
	fake := printertest.New(t, []string{"Oficina"}, "Oficina")
	if err := (System{}).Print(context.Background(), "Oficina", 3, "Factura A-12", pdf); err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls(t)
	if len(calls) != 1 {
		t.Fatalf("lp called %d times, want 1", len(calls))
	}
	got := calls[0]
	if len(got) != 7 {
		t.Fatalf("lp %q, want 7 arguments", got)
	}
	if want := []string{"-d", "Oficina", "-n", "3", "-t", "Factura A-12"}; !reflect.DeepEqual(got[:6], want) {
		t.Errorf("lp %q, want %q FILE", got, want)
	}
	if !strings.HasSuffix(got[6], ".pdf") || !strings.HasPrefix(got[6], "/") {
		t.Errorf("lp file %q, want an absolute .pdf path", got[6])
	}
	if !bytes.Equal(fake.Printed(t, 1), pdf) {
		t.Error("lp did not receive the PDF's bytes")
	}
}

func TestPrintErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("no CUPS", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		err := System{}.Print(ctx, "Oficina", 1, "x", pdf)
		if domain.KindOf(err) != domain.Unavailable || !strings.Contains(domain.UserMessage(err), "CUPS") || !strings.Contains(domain.UserMessage(err), "Guardar PDF") {
			t.Errorf("Print without lp: %v (%q)", err, domain.UserMessage(err))
		}
		_, _, err = System{}.Printers(ctx)
		if domain.KindOf(err) != domain.Unavailable || !strings.Contains(domain.UserMessage(err), "Instálelo") {
			t.Errorf("Printers without lpstat: %v (%q)", err, domain.UserMessage(err))
		}
	})
	t.Run("printer gone", func(t *testing.T) {
		fake := printertest.New(t, []string{"Oficina"}, "")
		fake.FailLP(t, "lp: The printer or class does not exist.")
		err := System{}.Print(ctx, "Vieja", 1, "x", pdf)
		if domain.KindOf(err) != domain.NotFound || !strings.Contains(domain.UserMessage(err), "Vieja") {
			t.Errorf("Print to a missing printer: %v (%q)", err, domain.UserMessage(err))
		}
	})
	t.Run("lp fails", func(t *testing.T) {
		fake := printertest.New(t, []string{"Oficina"}, "")
		fake.FailLP(t, "lp: Unable to connect to server")
		err := System{}.Print(ctx, "Oficina", 1, "x", pdf)
		if domain.KindOf(err) != domain.Unavailable {
			t.Errorf("kind = %v, want Unavailable", domain.KindOf(err))
		}
		msg := domain.UserMessage(err)
		if strings.Contains(msg, "Unable to connect") || !strings.Contains(msg, "Oficina") {
			t.Errorf("user message %q: want the printer and no internal text", msg)
		}
		var ce *cmdError
		if !errors.As(err, &ce) || !strings.Contains(ce.stderr, "Unable to connect to server") {
			t.Errorf("cause %v does not keep lp's stderr", err)
		}
	})
	t.Run("bad copies", func(t *testing.T) {
		printertest.New(t, []string{"Oficina"}, "")
		for _, n := range []int{0, -1, 1000} {
			if err := (System{}).Print(ctx, "Oficina", n, "x", pdf); domain.KindOf(err) != domain.Invalid {
				t.Errorf("copies %d: %v, want Invalid", n, err)
			}
		}
		if err := (System{}).Print(ctx, " ", 1, "x", pdf); domain.KindOf(err) != domain.Invalid {
			t.Errorf("no printer: %v, want Invalid", err)
		}
	})
}

func TestParseDefault(t *testing.T) {
	for in, want := range map[string]string{
		"system default destination: Oficina\n": "Oficina",
		"no system default destination\n":       "",
		"":                                      "",
	} {
		if got := parseDefault(in); got != want {
			t.Errorf("parseDefault(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPrintRealCUPSPDFQueue prints to a real CUPS PDF queue (cups-pdf) when
// the machine has one.
func TestPrintRealCUPSPDFQueue(t *testing.T) {
	if _, err := exec.LookPath("lpstat"); err != nil {
		t.Skip("CUPS is not installed (no lpstat): install cups and cups-pdf to print to a real PDF queue")
	}
	names, _, err := System{}.Printers(context.Background())
	if err != nil {
		t.Skipf("no CUPS printers (%v): install cups-pdf to print to a real PDF queue", domain.UserMessage(err))
	}
	queue := ""
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "pdf") {
			queue = n
			break
		}
	}
	if queue == "" {
		t.Skipf("no CUPS PDF queue among %q: install cups-pdf to print to a real PDF queue", names)
	}
	if err := (System{}).Print(context.Background(), queue, 1, "Folio test", pdf); err != nil {
		t.Fatalf("print to %s: %v", queue, err)
	}
}
