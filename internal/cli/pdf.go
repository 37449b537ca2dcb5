package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
)

const pdfUsage = "pdf ENTRADA.xml SALIDA.pdf [--cancelado]"

// runPDF renders any CFDI 4.0 file to PDF, from its XML exactly as stored.
func runPDF(_ context.Context, e *Env) error {
	var files []string
	var opt print.Options
	for _, a := range e.Args {
		switch a {
		case "--cancelado":
			opt.Cancelled = true
		default:
			files = append(files, a)
		}
	}
	if len(files) != 2 {
		return errUsage{pdfUsage}
	}
	in, out := files[0], files[1]
	xml, err := os.ReadFile(in)
	if err != nil {
		return domain.E(domain.NotFound, "pdf", "No se pudo leer el archivo "+in+".", err)
	}
	pdf, err := print.RenderXML(xml, opt)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, pdf, 0o644); err != nil {
		return domain.E(domain.Unavailable, "pdf", "No se pudo escribir el archivo "+out+".", err)
	}
	fmt.Fprintf(e.Stdout, "PDF escrito en %s\n", out)
	return nil
}
