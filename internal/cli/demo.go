package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/internal/wire"
)

func runDev(ctx context.Context, e *Env) error {
	const usage = "dev seed --invoices N [--customers M]"
	if len(e.Args) == 0 || e.Args[0] != "seed" {
		return errUsage{usage}
	}
	fs := flag.NewFlagSet("dev seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("invoices", 0, "")
	m := fs.Int("customers", 0, "")
	if err := fs.Parse(e.Args[1:]); err != nil || *n <= 0 || *m < 0 || fs.NArg() != 0 {
		return errUsage{usage}
	}
	s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	co, err := wire.EnsureDemoCompany(ctx, s)
	if err != nil {
		return err
	}
	start := time.Now()
	err = s.SeedInvoices(ctx, sqlite.SeedOptions{
		Issuer: co.RFC, Invoices: *n, Customers: *m, Seed: uint64(start.UnixNano()),
		Progress: func(done, total int) {
			fmt.Fprintf(e.Stderr, "\r%d de %d facturas (%s)", done, total, time.Since(start).Round(time.Second))
		},
	})
	fmt.Fprintln(e.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%d facturas con 3 conceptos cada una en %s (%s)\n", *n, s.Path(), time.Since(start).Round(time.Millisecond))
	return nil
}

func runDemo(ctx context.Context, e *Env) error {
	if len(e.Args) != 0 {
		return errUsage{"demo"}
	}
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = wire.SeedDemo(ctx, s, e.Stdout)
	return err
}
