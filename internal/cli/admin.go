package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/internal/wire"
)

const (
	adminUsage  = "admin --password-file ARCHIVO [--current-password-file ARCHIVO]"
	unlockUsage = "unlock --admin-password-file ARCHIVO"
)

// runAdmin sets or changes the installation's administrator password
// (first lines of files, never the command line). On a server it also
// wraps the key of the secrets under the new password: the first time it
// makes that key, so that each workstation can unlock it.
func runAdmin(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("admin", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	next := fs.String("password-file", "", "")
	current := fs.String("current-password-file", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *next == "" {
		return errUsage{adminUsage}
	}
	pw, err := readInput(*next, "el archivo de la contraseña nueva")
	if err != nil {
		return err
	}
	cur := ""
	if *current != "" {
		b, err := readInput(*current, "el archivo de la contraseña actual")
		if err != nil {
			return err
		}
		cur = firstLine(b)
	}
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := wire.NewCompanies(s).SetAdminPassword(ctx, cur, firstLine(pw)); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, "Contraseña de administrador guardada.")
	return nil
}

// runUnlock opens, on this workstation, the secrets kept on a server: it
// unwraps their key with the administrator password and keeps it here
// (keychain or a file only the user reads).
func runUnlock(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("unlock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pwPath := fs.String("admin-password-file", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *pwPath == "" {
		return errUsage{unlockUsage}
	}
	pw, err := readInput(*pwPath, "el archivo de la contraseña de administrador")
	if err != nil {
		return err
	}
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	where, err := wire.NewCompanies(s).Unlock(ctx, firstLine(pw))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, unlockedText(where))
	return nil
}

// unlockedText tells where this workstation keeps the key of the secrets.
func unlockedText(where string) string {
	switch where {
	case "":
		return "Esta instalación guarda su clave junto a la base de datos; no hace falta desbloquearla."
	case keychain.InKeychain:
		return "Estación desbloqueada: la clave de los secretos quedó en el llavero del sistema."
	}
	return "Estación desbloqueada: la clave de los secretos quedó en " + where + " (solo su usuario puede leerlo; este equipo no tiene llavero del sistema)."
}
