package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/data/transfer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/wire"
)

// sqliteMagic is how every SQLite file begins.
const sqliteMagic = "SQLite format 3\x00"

// backupServer backs up the PostgreSQL database dsn into the new file dst:
// with pg_dump (custom format) when it is on the PATH, otherwise (or when
// pg_dump fails, e.g. older than the server) as Folio's own logical
// export, a SQLite file (transfer.ToSQLite). It says which it made.
func backupServer(ctx context.Context, e *Env, dsn, dst string) error {
	const op = "cli.backup"
	if _, err := os.Lstat(dst); err == nil {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe el archivo %s; elija otro nombre para la copia de seguridad.", dst), nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return domain.E(domain.Invalid, op, fmt.Sprintf("No se puede escribir %s.", dst), err)
	}
	server, err := wire.OpenServer(ctx, dsn)
	if err != nil {
		return err
	}
	defer server.Close()
	err = server.Dump(ctx, dst)
	switch {
	case err == nil:
		fmt.Fprintf(e.Stdout, "Copia de seguridad de %s hecha con pg_dump (formato personalizado de PostgreSQL) en %s.\n", server.Path(), dst)
		fmt.Fprintf(e.Stdout, "Para restaurarla en una base de datos nueva: folio --db postgres://…/nueva restore %s\n", dst)
		fmt.Fprintln(e.Stdout, "La clave de las contraseñas guardadas (CSD, PAC) va en la copia solo cifrada con la contraseña de administrador: después de restaurar, cada estación la abre con «folio unlock».")
		return nil
	case errors.Is(err, postgres.ErrNoPgDump):
		fmt.Fprintln(e.Stderr, "pg_dump no está instalado en esta computadora: la copia se hace en el formato de Folio (un archivo SQLite).")
	case domain.KindOf(err) == domain.Unavailable:
		fmt.Fprintf(e.Stderr, "%s\nLa copia se hace en el formato de Folio (un archivo SQLite).\n", domain.UserMessage(err))
	default:
		return err
	}
	rep, abs, _, err := exportFile(ctx, server, dst, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Copia de seguridad de %s hecha en el formato de Folio (archivo SQLite) en %s: %d documentos con su XML verificado.\n",
		server.Path(), abs, rep.Documents)
	fmt.Fprintf(e.Stdout, "Para restaurarla en una base de datos nueva: folio --db postgres://…/nueva restore %s (o ábrala en una computadora con --db %s)\n", abs, abs)
	fmt.Fprintln(e.Stdout, "La copia no incluye la clave de las contraseñas guardadas (CSD, PAC): después de restaurarla, vuelva a cargar el CSD y las cuentas del PAC. Para conservarla use «folio migrate --to ARCHIVO.db», que deja en el archivo la clave de esta estación.")
	return nil
}

// runRestore loads a backup (a pg_dump file in custom format, or Folio's
// SQLite export) into the new, empty PostgreSQL database --db names.
func runRestore(ctx context.Context, e *Env) error {
	const op = "cli.restore"
	if len(e.Args) != 1 || e.Args[0] == "" {
		return errUsage{"restore ARCHIVO"}
	}
	if !wire.IsServer(e.DBPath) {
		return domain.E(domain.Invalid, op, "«folio restore» carga una copia de seguridad en una base de datos PostgreSQL nueva: indíquela con --db postgres://usuario@servidor/base. "+
			"En una sola computadora la copia ya es un archivo de Folio: ábrala con --db ARCHIVO.", nil)
	}
	file := e.Args[0]
	head := make([]byte, len(sqliteMagic))
	f, err := os.Open(file)
	if err != nil {
		return domain.E(domain.NotFound, op, fmt.Sprintf("No se pudo abrir %s.", file), err)
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	switch {
	case string(head[:min(n, len(postgres.DumpMagic))]) == postgres.DumpMagic:
		if err := postgres.RestoreDump(ctx, e.DBPath, file); err != nil {
			if errors.Is(err, postgres.ErrNoPgDump) {
				return domain.E(domain.Unavailable, op, "Esta copia la hizo pg_dump y se restaura con pg_restore, que no está instalado en esta computadora; instale el cliente de PostgreSQL (postgresql-client) o restáurela desde el servidor.", err)
			}
			return err
		}
		server, err := wire.OpenServer(ctx, e.DBPath) // brings an older dump's schema up to date
		if err != nil {
			return err
		}
		defer server.Close()
		var docs int
		if err := server.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&docs); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Restaurada la copia de pg_dump %s en %s: %d documentos.\n", file, server.Path(), docs)
		return nil
	case string(head[:n]) == sqliteMagic:
		return restoreFile(ctx, e, file)
	}
	return domain.E(domain.Invalid, op, fmt.Sprintf("%s no es una copia de seguridad de Folio (ni de pg_dump ni un archivo de Folio).", file), nil)
}

// restoreFile copies Folio's SQLite export file into the server through
// data/transfer. It works on a copy of the file, so that opening it (which
// brings an older file's schema up to date) leaves the backup untouched.
func restoreFile(ctx context.Context, e *Env, file string) error {
	tmp := filepath.Join(os.TempDir(), fmt.Sprintf("folio-restore-%d.db", os.Getpid()))
	if err := copyFile(file, tmp); err != nil {
		return domain.E(domain.Invalid, "cli.restore", fmt.Sprintf("No se pudo leer %s.", file), err)
	}
	defer func() {
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(f)
		}
	}()
	src, err := sqlite.Open(ctx, tmp, sqlite.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	server, err := wire.OpenServer(ctx, e.DBPath)
	if err != nil {
		return err
	}
	defer server.Close()
	rep, err := transfer.ToPostgres(ctx, src, server, transfer.Options{Progress: migrateProgress(e)})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Restaurada la copia %s en %s: %d documentos con su XML idéntico, %d facturas, %d clientes.\n",
		file, server.Path(), rep.Documents, rep.Rows["invoices"], rep.Rows["customers"])
	return nil
}

// copyFile copies src into the new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
