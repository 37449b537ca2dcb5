//go:build !windows

package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// keepTempFile: lp copies the file into the spool before it returns.
const keepTempFile = false

// noCUPS is the message when lp or lpstat is not installed.
const noCUPS = "No se encontró el sistema de impresión CUPS (los programas lp y lpstat). Instálelo (en Linux, el paquete «cups»; en macOS viene con el sistema) y agregue su impresora, o use «Guardar PDF…» e imprima el archivo desde otro programa."

// run runs CUPS' command name with args in the C locale (its messages are
// parsed) and returns its standard output.
func run(ctx context.Context, op, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, domain.E(domain.Unavailable, op, noCUPS, err)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &cmdError{cmd: name + " " + strings.Join(args, " "), stderr: strings.TrimSpace(stderr.String()), err: err}
	}
	return stdout.Bytes(), nil
}

// cmdError is a CUPS command that failed, with what it wrote on stderr.
type cmdError struct {
	cmd, stderr string
	err         error
}

func (e *cmdError) Error() string { return fmt.Sprintf("%s: %v: %s", e.cmd, e.err, e.stderr) }
func (e *cmdError) Unwrap() error { return e.err }

// listPrinters asks lpstat for the destinations (-e) and the default (-d).
func listPrinters(ctx context.Context) ([]string, string, error) {
	const op = "printer.Printers"
	out, err := run(ctx, op, "lpstat", "-e")
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, "", err
		}
		var ce *cmdError
		if errors.As(err, &ce) && strings.Contains(strings.ToLower(ce.stderr), "no destinations") {
			return nil, "", nil
		}
		return nil, "", domain.E(domain.Unavailable, op, "No se pudo consultar la lista de impresoras. Revise que el servicio de impresión (CUPS) esté en marcha, o use «Guardar PDF…».", err)
	}
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	// Without a default lpstat -d says so, on stdout or stderr, and may
	// exit with an error: no default is not a failure.
	out, _ = run(ctx, op, "lpstat", "-d")
	return names, parseDefault(string(out)), nil
}

// parseDefault reads "system default destination: NAME" (C locale).
func parseDefault(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.Contains(k, "default destination") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// printFile runs lp -d printer -n copies -t title path.
func printFile(ctx context.Context, printer string, copies int, title, path string) error {
	const op = "printer.Print"
	_, err := run(ctx, op, "lp", "-d", printer, "-n", strconv.Itoa(copies), "-t", title, path)
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var ce *cmdError
	if errors.As(err, &ce) {
		s := strings.ToLower(ce.stderr)
		if strings.Contains(s, "does not exist") || strings.Contains(s, "unknown destination") || strings.Contains(s, "not found") {
			return domain.E(domain.NotFound, op, "La impresora «"+printer+"» ya no existe en este equipo. Elija otra con «Elegir impresora…».", err)
		}
	}
	return domain.E(domain.Unavailable, op, "La impresora «"+printer+"» no aceptó el documento. Revise que esté encendida y conectada y que el servicio de impresión (CUPS) esté en marcha; vuelva a intentarlo o use «Guardar PDF…».", err)
}
