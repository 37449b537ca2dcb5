package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/internal/wire"
)

func init() {
	register("dev", command{
		usage: "dev seed --invoices N [--customers M]",
		help:  "llena la base de datos con facturas sintéticas para pruebas de carga",
		run:   runDev,
	})
	register("demo", command{
		usage: "demo",
		help:  "crea la empresa de demostración con clientes, productos y facturas selladas",
		run:   runDemo,
	})
}

func runDev(ctx context.Context, e *env) error {
	const usage = "dev seed --invoices N [--customers M]"
	if len(e.args) == 0 || e.args[0] != "seed" {
		return errUsage{usage}
	}
	fs := flag.NewFlagSet("dev seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("invoices", 0, "")
	m := fs.Int("customers", 0, "")
	if err := fs.Parse(e.args[1:]); err != nil || *n <= 0 || *m < 0 || fs.NArg() != 0 {
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
			fmt.Fprintf(e.stderr, "\r%d de %d facturas (%s)", done, total, time.Since(start).Round(time.Second))
		},
	})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d facturas con 3 conceptos cada una en %s (%s)\n", *n, s.Path(), time.Since(start).Round(time.Millisecond))
	return nil
}

func runDemo(ctx context.Context, e *env) error {
	if len(e.args) != 0 {
		return errUsage{"demo"}
	}
	s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = wire.SeedDemo(ctx, s, e.stdout)
	return err
}
