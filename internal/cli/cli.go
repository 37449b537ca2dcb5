// Package cli holds Folio's headless commands (`folio sync`, `folio demo`,
// `folio cfdi verify`…). Each is a small function over a domain use case;
// all of them are listed in one table, commands, below. The root package
// parses the global flags and calls Run.
//
// The package must not import Fyne or the app packages, directly or through
// internal/gui: a command never starts the user interface (a test checks).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// Env is what a command receives: its arguments (after the command's name),
// its output streams and the global options.
type Env struct {
	Args    []string
	Stdin   io.Reader // nil: the process's standard input
	Stdout  io.Writer
	Stderr  io.Writer
	DBPath  string // --db or FOLIO_DB; empty means the default location
	Version string // the program's version, for `folio version`

	command string // the command's name, set by Run
}

// command is one headless subcommand.
type command struct {
	usage string // e.g. "catalog search CATALOGO TEXTO"
	help  string // one line, Spanish
	run   func(ctx context.Context, e *Env) error
}

// commands maps the first word of a subcommand to its implementation: the
// one place where commands are registered.
var commands = map[string]command{
	"admin":            {usage: adminUsage, help: "establece o cambia la contraseña de administrador (en un servidor, también la de los secretos compartidos)", run: runAdmin},
	"backup":           {usage: "backup ARCHIVO", help: "guarda una copia de seguridad de la base de datos (archivo o servidor PostgreSQL) en ARCHIVO", run: runBackup},
	"cancelar":         {usage: cancelUsage, help: "pide al SAT cancelar un comprobante timbrado de la empresa activa, por el PAC que lo timbró (--estado: consulta su avance)", run: runCancel},
	"catalog":          {usage: "catalog list|search CATALOGO TEXTO…", help: "lista los catálogos del SAT o busca en uno (por clave o palabras)", run: runCatalog},
	"cfdi":             {usage: cfdiUsage, help: "verify: verifica; cadena: cadena original; seal: sella un CFDI 4.0", run: runCFDI},
	"cuenta":           {usage: accountHelpUsage, help: "da de alta, lista (con su saldo), da de baja o reactiva las cuentas de caja y bancos de la empresa activa", run: runAccount},
	"company":          {usage: companyUsage, help: "lista las empresas, carga el CSD de la empresa activa o cambia de empresa activa", run: runCompany},
	"cotizacion":       {usage: quoteHelpUsage, help: "lista las cotizaciones de la empresa activa, guarda una en PDF o factura una aceptada (factura borrador)", run: runQuote},
	"demo":             {usage: "demo", help: "crea la empresa de demostración con clientes, productos y facturas selladas", run: runDemo},
	"dev":              {usage: "dev seed --invoices N [--customers M]", help: "llena la base de datos con facturas sintéticas para pruebas de carga", run: runDev},
	"estado-de-cuenta": {usage: statementHelpUsage, help: "escribe en PDF el estado de cuenta de un cliente de la empresa activa (--todos: de cada cliente con saldo)", run: runStatement},
	"estatus-sat":      {usage: satStatusUsage, help: "consulta en el SAT (por el PAC de cada empresa) el estatus de los CFDI importados que no se han consultado", run: runSATStatus},
	"export":           {usage: exportUsage, help: "guarda el XML y el PDF de los comprobantes timbrados de la empresa activa en una carpeta", run: runExport},
	"import":           {usage: importUsage, help: "importa CFDI (archivos, carpetas con subcarpetas o ZIP): los verifica y guarda como emitidos o recibidos", run: runImport},
	"migrate":          {usage: migrateUsage, help: "copia la instalación del archivo SQLite a una base de datos PostgreSQL vacía, o del servidor a un archivo nuevo, y verifica cada documento", run: runMigrate},
	"pac-sim":          {usage: pacSimUsage, help: "ejecuta el PAC local de pruebas (protocolo de SW sapien)", run: runPACSim},
	"post":             {usage: postUsage, help: "emite los documentos descritos en un JSON (o - para la entrada estándar): todos o ninguno", run: runPost},
	"pdf":              {usage: pdfUsage, help: "imprime un CFDI 4.0 (XML) en PDF", run: runPDF},
	"restore":          {usage: "restore ARCHIVO", help: "carga una copia de seguridad (de «folio backup» o pg_dump) en la base de datos PostgreSQL nueva de --db", run: runRestore},
	"sync":             {usage: syncUsage, help: "envía la cola de timbrado al PAC y resume el resultado (--watch: sigue hasta Ctrl+C)", run: runSync},
	"timbres":          {usage: timbresHelpUsage, help: "Administrador de timbres: cuentas de clientes de la cuenta de distribuidor (SW) de la empresa activa, sus timbres e historial", run: runTimbres},
	"tercero":          {usage: thirdPartyHelpUsage, help: "da de alta, lista, da de baja o reactiva los terceros por cuya cuenta factura la empresa activa", run: runThirdParty},
	"unlock":           {usage: unlockUsage, help: "abre en esta estación el CSD y las cuentas guardadas en el servidor, con la contraseña de administrador", run: runUnlock},
	"version":          {usage: "version", help: "muestra la versión", run: runVersion},
}

// Run runs the command named by e.Args[0] and returns the process exit
// code: 0 on success, 1 when the command failed (its Spanish message
// printed on e.Stderr), 2 for a usage error or an unknown command.
func Run(ctx context.Context, e Env) int {
	if len(e.Args) == 0 {
		Usage(e.Stderr)
		return 2
	}
	name := e.Args[0]
	if name == "help" || name == "-h" || name == "--help" {
		Usage(e.Stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.Stderr, "folio: orden desconocida %q\n\n", name)
		Usage(e.Stderr)
		return 2
	}
	e.Args, e.command = e.Args[1:], name
	return ExitCode(e.Stderr, c.run(ctx, &e))
}

// errUsage makes a command exit with code 2 after printing its usage.
type errUsage struct{ usage string }

func (u errUsage) Error() string { return "uso: folio " + u.usage }

// errSilent makes a command exit with code 1 without printing anything more
// (it already printed its verdict).
var errSilent = errors.New("silent failure")

// ExitCode prints err for the user on stderr and returns the exit code it
// means: 0 for nil, 2 for a usage error, 1 otherwise. A domain error shows
// its Spanish message; an internal one also its detail.
func ExitCode(stderr io.Writer, err error) int {
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

// Usage writes the program's usage with every command, in Spanish.
func Usage(w io.Writer) {
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

func runVersion(_ context.Context, e *Env) error {
	if len(e.Args) != 0 {
		return errUsage{"version"}
	}
	fmt.Fprintf(e.Stdout, "Folio %s\n", strings.TrimSpace(e.Version))
	return nil
}
