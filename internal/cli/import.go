package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/internal/wire"
)

const importUsage = "import RUTA…"

// runImport imports CFDI from files, folders (recursively) and ZIP archives
// into the installation: each file is verified and stored as issued by or
// received by one of its companies. It prints a line per file that needs
// attention and a summary; it fails (exit 1) when any file was not stored
// or was stored with a failing verdict.
func runImport(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{importUsage}
	}
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	rs, ok := s.(received.Store)
	if !ok {
		return domain.E(domain.Internal, "cli.import", "Esta base de datos no guarda CFDI importados.", nil)
	}
	svc, err := wire.NewImporter(rs, nil)
	if err != nil {
		return err
	}
	items, closeItems, err := wire.ImportItems(e.Args)
	if err != nil {
		return err
	}
	defer closeItems()
	if len(items) == 0 {
		fmt.Fprintln(e.Stderr, "No se encontró ningún archivo .xml ni .zip en las rutas indicadas.")
		return errSilent
	}
	start := time.Now()
	var last time.Time
	res, err := svc.Import(ctx, items, func(p received.Progress) {
		if now := time.Now(); now.Sub(last) >= 250*time.Millisecond || p.Done == p.Total {
			last = now
			fmt.Fprintf(e.Stderr, "\rImportando… %d de %d (%d%%)", p.Done, p.Total, p.Done*100/p.Total)
			if p.Done == p.Total {
				fmt.Fprintln(e.Stderr)
			}
		}
	})
	for _, o := range res.Outcomes {
		if !o.Problem() {
			continue
		}
		what := "error"
		if o.Status == received.Imported {
			what = "importado con verificación fallida"
		} else if o.Status == received.Foreign {
			what = "omitido"
		}
		fmt.Fprintf(e.Stdout, "%s: %s: %s\n", o.Name, what, o.Reason)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(e.Stdout, "Importados: %d (históricos 3.x: %d, con verificación fallida: %d); duplicados: %d; con errores u omitidos: %d; %d archivos en %.1f s.\n",
		res.Imported, res.Historical, res.Invalid, res.Duplicates, res.Refused, res.Total, elapsed.Seconds())
	if err != nil {
		return err
	}
	if res.Failed() {
		return errSilent
	}
	return nil
}
