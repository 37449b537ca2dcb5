package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/data/transfer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/wire"
)

const migrateUsage = "migrate --to postgres://USUARIO:CONTRASEÑA@SERVIDOR/BASE [--admin-password-file ARCHIVO] | migrate [--from postgres://…] --to ARCHIVO.db"

// runMigrate moves an installation between its two stores and verifies
// every document's XML at the destination (data/transfer):
//   - --to postgres://…: the SQLite installation (--from, --db, FOLIO_DB
//     or the default file) to an empty PostgreSQL database. When the
//     installation keeps secrets, the administrator password (first line
//     of --admin-password-file) wraps their key on the server;
//   - --to ARCHIVO.db: the PostgreSQL installation (--from, or --db /
//     FOLIO_DB naming a server) to a new SQLite file, for a backup or to
//     go back to one computer; the file gets this workstation's copy of
//     the server's key as its key file.
//
// The source is only read.
func runMigrate(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "")
	from := fs.String("from", "", "")
	pwPath := fs.String("admin-password-file", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *to == "" {
		return errUsage{migrateUsage}
	}
	src := e.DBPath
	if *from != "" {
		src = *from
	}
	if !wire.IsServer(*to) {
		return migrateToFile(ctx, e, src, *to)
	}
	if wire.IsServer(src) {
		return domain.E(domain.Invalid, "cli.migrate", "El origen y el destino son servidores PostgreSQL; para copiar de un servidor a otro use pg_dump y pg_restore, o indique un archivo .db como destino.", nil)
	}
	opt := transfer.Options{Progress: migrateProgress(e)}
	if *pwPath != "" {
		pw, err := readInput(*pwPath, "el archivo de la contraseña de administrador")
		if err != nil {
			return err
		}
		opt.AdminPassword = firstLine(pw)
	}
	file, err := wire.OpenStore(ctx, src)
	if err != nil {
		return err
	}
	defer file.Close()
	server, err := wire.OpenServer(ctx, *to)
	if err != nil {
		return err
	}
	defer server.Close()
	rep, err := transfer.ToPostgres(ctx, file, server, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Copiada %s a %s: %d documentos con su XML idéntico, %d facturas, %d clientes.\n",
		file.Path(), server.Path(), rep.Documents, rep.Rows["invoices"], rep.Rows["customers"])
	if rep.KeyKept != "" {
		fmt.Fprintln(e.Stdout, unlockedText(rep.KeyKept)+" Las demás estaciones la abren con «folio unlock».")
	}
	fmt.Fprintf(e.Stdout, "No se copiaron todavía: %s.\n", strings.Join(transfer.NotCopied, "; "))
	return nil
}

func migrateProgress(e *Env) func(table string, rows int) {
	return func(table string, rows int) {
		if rows > 0 {
			fmt.Fprintf(e.Stderr, "%-24s %8d\n", table, rows)
		}
	}
}

// migrateToFile copies the installation on server src into the new SQLite
// file path.
func migrateToFile(ctx context.Context, e *Env, src, path string) error {
	if !wire.IsServer(src) {
		return domain.E(domain.Invalid, "cli.migrate", "Para copiar a un archivo, el origen debe ser un servidor PostgreSQL: indíquelo con --from postgres://usuario@servidor/base (o con --db).", nil)
	}
	server, err := wire.OpenServer(ctx, src)
	if err != nil {
		return err
	}
	defer server.Close()
	rep, dst, key, err := exportFile(ctx, server, path, migrateProgress(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Copiada %s a %s: %d documentos con su XML idéntico, %d facturas, %d clientes.\n",
		server.Path(), dst, rep.Documents, rep.Rows["invoices"], rep.Rows["customers"])
	local, err := server.LocalKey(ctx)
	if err != nil || local == nil {
		if err == nil {
			fmt.Fprintln(e.Stdout, "Esta estación no tiene la clave de las contraseñas guardadas (CSD, PAC) del servidor: en el archivo, vuelva a cargarlas o abra antes el servidor con «folio unlock».")
		}
		return err
	}
	if err := sqlite.WriteKeyFile(key, local); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "La clave de las contraseñas guardadas (CSD, PAC) quedó en %s.\n", key)
	return nil
}

// exportFile writes the installation on server into a new SQLite file at
// path (transfer.ToSQLite) and returns its absolute path and that of its
// installation key file (which it does not write). An existing
// file is refused unless it is a Folio file without companies; a failed
// copy removes the file it created.
func exportFile(ctx context.Context, server *postgres.Store, path string, progress func(string, int)) (rep transfer.Report, abs, key string, err error) {
	const op = "cli.exportFile"
	if abs, err = filepath.Abs(path); err != nil {
		return rep, "", "", err
	}
	_, statErr := os.Stat(abs)
	created := errors.Is(statErr, fs.ErrNotExist)
	if statErr != nil && !created {
		return rep, "", "", domain.E(domain.Invalid, op, fmt.Sprintf("No se puede usar %s.", abs), statErr)
	}
	file, err := sqlite.Open(ctx, abs, sqlite.Options{})
	if err != nil {
		return rep, "", "", err
	}
	key = file.SecretPath()
	rep, err = transfer.ToSQLite(ctx, server, file, progress)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil && created {
		for _, f := range []string{abs, abs + "-wal", abs + "-shm"} {
			os.Remove(f)
		}
	}
	return rep, abs, key, err
}
