// Package printer sends PDF files to the printers of the operating system:
// CUPS (lp, lpstat) on Linux and macOS, the shell's print verb on Windows.
// Its failures are domain errors whose Spanish message says what to do.
package printer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// System is the operating system's printing. The zero value is ready.
type System struct{}

// Printers returns the names of the installed printers and the default one
// ("" when none is set). No printer at all is a domain.NotFound error; a
// system without a printing service is domain.Unavailable.
func (System) Printers(ctx context.Context) (names []string, def string, err error) {
	names, def, err = listPrinters(ctx)
	if err != nil {
		return nil, "", err
	}
	if len(names) == 0 {
		return nil, "", domain.E(domain.NotFound, "printer.Printers",
			"No hay impresoras instaladas. Agregue una en la configuración de impresoras del sistema, o use «Guardar PDF…» e imprima el archivo desde otro programa.", nil)
	}
	return names, def, nil
}

// Print sends the PDF bytes to printer, copies times, as a job named title.
// The PDF is written to a temporary file first.
func (s System) Print(ctx context.Context, printer string, copies int, title string, pdf []byte) error {
	const op = "printer.Print"
	f, err := os.CreateTemp("", "folio-*.pdf")
	if err != nil {
		return domain.E(domain.Unavailable, op, "No se pudo preparar el archivo para imprimir: revise el espacio libre en disco.", err)
	}
	path := f.Name()
	_, err = f.Write(pdf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return domain.E(domain.Unavailable, op, "No se pudo preparar el archivo para imprimir: revise el espacio libre en disco.", err)
	}
	if keepTempFile {
		// The print verb hands the file to another program that reads it
		// later; the temporary folder is cleaned by the system.
		return s.PrintFile(ctx, printer, copies, title, path)
	}
	defer os.Remove(path)
	return s.PrintFile(ctx, printer, copies, title, path)
}

// PrintFile sends the PDF file at path to printer, copies times, as a job
// named title.
func (System) PrintFile(ctx context.Context, printer string, copies int, title, path string) error {
	const op = "printer.Print"
	if strings.TrimSpace(printer) == "" {
		return domain.E(domain.Invalid, op, "Elija una impresora.", nil)
	}
	if copies < 1 || copies > 999 {
		return domain.E(domain.Invalid, op, "El número de copias debe estar entre 1 y 999.", fmt.Errorf("copies %d", copies))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return domain.E(domain.Internal, op, "No se pudo imprimir el archivo.", err)
	}
	return printFile(ctx, printer, copies, title, abs)
}
