// Command folio is Folio, the CFDI 4.0 invoicing desktop application.
//
// With no arguments it opens the window; with a command (`folio sync`,
// `folio demo`, `folio help`…) it runs that command headless. main.go is
// wiring only: it parses the global flags and picks the window or the
// command; the commands live in internal/cli.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/folio-mx/folio/internal/cli"
	"github.com/folio-mx/folio/internal/gui"
	"github.com/folio-mx/folio/internal/posixlocale"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	posixlocale.Restore()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the global flags and runs the window (no command) or the
// command. It returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("folio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", os.Getenv("FOLIO_DB"), "archivo de base de datos (por omisión, en la carpeta de datos de la aplicación)")
	fs.Usage = func() { cli.Usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		return cli.ExitCode(stderr, gui.Run(ctx, *dbPath))
	}
	return cli.Run(ctx, cli.Env{Args: fs.Args(), Stdout: stdout, Stderr: stderr, DBPath: *dbPath, Version: version})
}
