// Command folio is Folio, the CFDI 4.0 invoicing desktop application.
//
// With no arguments it opens the window. Subcommands run headless; each lives
// in a cli_*.go file of this package and registers itself in commands.
// main.go is wiring only: it opens the store, builds the services and runs
// the UI or a command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/folio-mx/folio/domain"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// env is what a command receives: its arguments, its output streams and the
// global options.
type env struct {
	args   []string
	stdout io.Writer
	stderr io.Writer
	dbPath string // --db or FOLIO_DB; empty means the default location
}

// command is one headless subcommand.
type command struct {
	usage string // e.g. "catalog search CATALOGO TEXTO"
	help  string // one line, Spanish
	run   func(ctx context.Context, e *env) error
}

// commands maps the first word of a subcommand to its implementation.
var commands = map[string]command{}

func register(name string, c command) {
	if _, dup := commands[name]; dup {
		panic("duplicate command " + name)
	}
	commands[name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the global flags and dispatches. It returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("folio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", os.Getenv("FOLIO_DB"), "archivo de base de datos (por omisión, en la carpeta de datos de la aplicación)")
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	e := &env{args: fs.Args(), stdout: stdout, stderr: stderr, dbPath: *dbPath}
	if len(e.args) == 0 {
		return exitCode(stderr, runGUI(ctx, e))
	}
	name := e.args[0]
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "folio: orden desconocida %q\n\n", name)
		usage(stderr)
		return 2
	}
	e.args = e.args[1:]
	return exitCode(stderr, c.run(ctx, e))
}

// errUsage makes a command exit with code 2 after printing its usage.
type errUsage struct{ usage string }

func (u errUsage) Error() string { return "uso: folio " + u.usage }

// errSilent makes a command exit with code 1 without printing anything more
// (it already printed its verdict).
var errSilent = errors.New("silent failure")

func exitCode(stderr io.Writer, err error) int {
	var u errUsage
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		fmt.Fprintln(stderr, u.Error())
		return 2
	case errors.Is(err, errSilent):
		return 1
	}
	fmt.Fprintln(stderr, "folio:", domain.UserMessage(err))
	if domain.KindOf(err) == domain.Internal {
		fmt.Fprintln(stderr, "detalle:", err)
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Folio — facturación electrónica CFDI 4.0")
	fmt.Fprintln(w, "\nUso:\n  folio [--db ARCHIVO]            abre la ventana\n  folio [--db ARCHIVO] ORDEN ...   ejecuta una orden sin ventana\n\nÓrdenes:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  folio %-44s %s\n", c.usage, c.help)
	}
}

func init() {
	register("version", command{usage: "version", help: "muestra la versión", run: func(_ context.Context, e *env) error {
		fmt.Fprintf(e.stdout, "Folio %s\n", strings.TrimSpace(version))
		return nil
	}})
}
