package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/folio-mx/folio/data/transfer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/wire"
)

const migrateUsage = "migrate --to postgres://USUARIO:CONTRASEÑA@SERVIDOR/BASE [--admin-password-file ARCHIVO]"

// runMigrate copies the SQLite installation (--db, FOLIO_DB or the
// default file) to an empty PostgreSQL database and verifies every
// document's XML there (data/transfer). The file is only read. When the
// installation keeps secrets, the administrator password (first line of
// --admin-password-file) wraps their key on the server.
func runMigrate(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "")
	pwPath := fs.String("admin-password-file", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *to == "" {
		return errUsage{migrateUsage}
	}
	if !wire.IsServer(*to) {
		return domain.E(domain.Invalid, "cli.migrate", "Indique el servidor de destino como postgres://usuario:contraseña@servidor:5432/base.", nil)
	}
	var opt transfer.Options
	if *pwPath != "" {
		pw, err := readInput(*pwPath, "el archivo de la contraseña de administrador")
		if err != nil {
			return err
		}
		opt.AdminPassword = firstLine(pw)
	}
	opt.Progress = func(table string, rows int) {
		if rows > 0 {
			fmt.Fprintf(e.Stderr, "%-24s %8d\n", table, rows)
		}
	}
	src, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := wire.OpenServer(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	rep, err := transfer.ToPostgres(ctx, src, dst, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Copiada %s a %s: %d documentos con su XML idéntico, %d facturas, %d clientes.\n",
		src.Path(), dst.Path(), rep.Documents, rep.Rows["invoices"], rep.Rows["customers"])
	if rep.KeyKept != "" {
		fmt.Fprintln(e.Stdout, unlockedText(rep.KeyKept)+" Las demás estaciones la abren con «folio unlock».")
	}
	fmt.Fprintf(e.Stdout, "No se copiaron todavía: %s.\n", strings.Join(transfer.NotCopied, "; "))
	return nil
}
