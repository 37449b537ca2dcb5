package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// ErrNoPgDump is the error of Dump and RestoreDump when PostgreSQL's
// client programs (pg_dump, pg_restore) are not on the PATH.
var ErrNoPgDump = errors.New("pg_dump or pg_restore not found on PATH")

// DumpMagic is how a pg_dump file in custom format begins.
const DumpMagic = "PGDMP"

// pgCommand returns the command running PostgreSQL's client program name
// on the database dsn names, with dsn's password in the environment
// rather than on the command line (where other users of the computer can
// read it).
func pgCommand(ctx context.Context, name, dsn string, args ...string) (*osexec.Cmd, error) {
	path, err := osexec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNoPgDump)
	}
	env := os.Environ()
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
			dsn = u.String()
		}
	}
	cmd := osexec.CommandContext(ctx, path, append([]string{"--dbname=" + dsn}, args...)...)
	cmd.Env = env
	return cmd, nil
}

// run runs cmd and returns an error with what it printed on failure.
func run(cmd *osexec.Cmd) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(cmd.Path), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// Dump writes a backup of the whole database to the new file dst with
// pg_dump in its custom format (what pg_restore and RestoreDump read). It
// never overwrites: an existing dst is a Conflict. The dump goes to a
// temporary file beside dst, renamed into place only when complete.
// Without pg_dump on the PATH the error is ErrNoPgDump.
func (s *Store) Dump(ctx context.Context, dst string) error {
	const op = "postgres.Dump"
	if _, err := os.Lstat(dst); err == nil {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe el archivo %s; elija otro nombre para la copia de seguridad.", dst), nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return domain.E(domain.Invalid, op, fmt.Sprintf("No se puede escribir %s.", dst), err)
	}
	tmp := dst + ".tmp"
	cmd, err := pgCommand(ctx, "pg_dump", s.dsn, "--format=custom", "--no-owner", "--file="+tmp)
	if err != nil {
		return err
	}
	if err := run(cmd); err != nil {
		os.Remove(tmp)
		return domain.E(domain.Unavailable, op, "pg_dump no pudo hacer la copia de seguridad; revise que su versión sea igual o más reciente que la del servidor.", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return domain.E(domain.Invalid, op, fmt.Sprintf("No se pudo guardar %s.", dst), err)
	}
	return nil
}

// RestoreDump loads the pg_dump file (custom format) into the database
// dsn names, which must have no tables (a new database), with
// pg_restore in one transaction: a failure leaves it empty. Without
// pg_restore on the PATH the error is ErrNoPgDump.
func RestoreDump(ctx context.Context, dsn, file string) error {
	const op = "postgres.RestoreDump"
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return domain.E(domain.Invalid, op, "La dirección del servidor PostgreSQL no es válida; use postgres://usuario:contraseña@servidor:5432/base.", err)
	}
	defer db.Close()
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables); err != nil {
		return mapErr(op, redact(dsn), err)
	}
	if tables > 0 {
		return domain.E(domain.Conflict, op, fmt.Sprintf("La base de datos %s no está vacía; restaure la copia en una base de datos nueva (createdb) e indíquela.", redact(dsn)), nil)
	}
	cmd, err := pgCommand(ctx, "pg_restore", dsn, "--no-owner", "--no-privileges", "--no-comments", "--exit-on-error", "--single-transaction", file)
	if err != nil {
		return err
	}
	if err := run(cmd); err != nil {
		return domain.E(domain.Unavailable, op, "pg_restore no pudo restaurar la copia; revise que su versión sea igual o más reciente que la de pg_dump que la hizo.", err)
	}
	return nil
}
