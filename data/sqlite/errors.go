package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/mattn/go-sqlite3"

	"github.com/folio-mx/folio/domain"
)

// mapErr turns a driver or file-system error into a domain.Error with a
// Spanish message that says what to do; domain errors pass through and
// anything unknown is wrapped with op for the log. nil stays nil.
func mapErr(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrFull:
			return diskFull(op, path, err)
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return domain.E(domain.Unavailable, op, fmt.Sprintf("La base de datos %s está ocupada por otro programa (¿otra ventana de Folio abierta?). Ciérrelo y vuelva a intentarlo.", path), err)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen, sqlite3.ErrAuth:
			return readOnly(op, path, err)
		case sqlite3.ErrNotADB:
			return notADatabase(op, path, err)
		case sqlite3.ErrCorrupt:
			return domain.E(domain.Internal, op, fmt.Sprintf("La base de datos %s está dañada. Restaure la copia de seguridad más reciente (archivos .bak junto a ella).", path), err)
		case sqlite3.ErrConstraint:
			if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
				return domain.E(domain.Conflict, op, "Ya existe un registro con esos datos.", err)
			}
		}
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.E(domain.NotFound, op, "No se encontró el registro.", err)
	case errors.Is(err, syscall.ENOSPC):
		return diskFull(op, path, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return readOnly(op, path, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func diskFull(op, path string, err error) error {
	return domain.E(domain.Unavailable, op, fmt.Sprintf("El disco donde está %s está lleno. Libere espacio y vuelva a intentarlo; no se guardó el último cambio.", path), err)
}

func readOnly(op, path string, err error) error {
	return domain.E(domain.Unavailable, op, fmt.Sprintf("No se puede escribir en %s: la carpeta o el archivo es de solo lectura. Revise los permisos o elija otra ubicación con --db.", path), err)
}

func notADatabase(op, path string, err error) error {
	return domain.E(domain.Invalid, op, fmt.Sprintf("%s no es una base de datos de Folio. No se modificó; indique otro archivo o restaure una copia de seguridad.", path), err)
}
