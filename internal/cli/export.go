package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/internal/wire"
)

const exportUsage = "export --dir CARPETA [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD]"

// runExport writes SERIE-FOLIO_UUID.xml (the stored bytes) and .pdf of every
// stamped document of the active company whose Fecha falls between --desde
// and --hasta (whole days, Mexico City time, both included), printing a
// progress line on stderr.
func runExport(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("dir", "", "")
	desde := fs.String("desde", "", "")
	hasta := fs.String("hasta", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *dir == "" {
		return errUsage{exportUsage}
	}
	from, to, err := exportRange(*desde, *hasta)
	if err != nil {
		return err
	}
	out, err := filepath.Abs(*dir)
	if err != nil {
		return errUsage{exportUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	docs, err := wire.MailsOf(s).ExportDocuments(ctx, co.RFC, from, to)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		fmt.Fprintf(e.Stderr, "No hay comprobantes timbrados de %s en ese periodo.\n", co.RFC)
		return errSilent
	}
	start := time.Now()
	err = delivery.ExportWith(ctx, docs, out, delivery.ExportOptions{Print: wire.PrintOptions(ctx, s, co.RFC),
		Sections: func(id int64) []print.Section { return wire.DocumentSections(ctx, s, id) }}, func(done, total int) {
		fmt.Fprintf(e.Stderr, "\rExportando… %d de %d (%d%%)", done, total, done*100/total)
		if done == total {
			fmt.Fprintln(e.Stderr)
		}
	})
	if err != nil {
		fmt.Fprintln(e.Stderr)
		if ctx.Err() != nil {
			return domain.E(domain.Unavailable, "export", "Exportación interrumpida; los archivos ya escritos están completos.", err)
		}
		return err
	}
	fmt.Fprintf(e.Stdout, "%d comprobantes exportados (XML y PDF) en %s en %.1f s\n", len(docs), out, time.Since(start).Seconds())
	return nil
}

// exportRange turns the --desde/--hasta days (Mexico City) into the instants
// [from, to); an empty flag leaves that side open.
func exportRange(desde, hasta string) (from, to time.Time, err error) {
	day := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, domain.MexicoCity)
		if err != nil {
			return t, domain.E(domain.Invalid, "export", fmt.Sprintf("La fecha de %s debe escribirse AAAA-MM-DD (p. ej. 2026-01-31); se recibió %q.", flag, s), err)
		}
		return t, nil
	}
	if from, err = day("--desde", desde); err != nil {
		return
	}
	if to, err = day("--hasta", hasta); err != nil {
		return
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		err = domain.E(domain.Invalid, "export", "La fecha --desde es posterior a --hasta.", nil)
	}
	return
}
