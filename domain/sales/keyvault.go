package sales

import (
	"context"
	"errors"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/secret"
)

// KeyVault is the installation key of a store that several workstations
// share (PostgreSQL), where no key file can sit beside the database. The
// database keeps the data key only wrapped under the administrator
// password (secret.WrapKey); each workstation keeps its own copy once
// unlocked (Unlock), in the operating system's keychain or a file only
// its user reads — never in the database in clear. Its SecretBox opens
// that copy and fails with secret.ErrLocked (Invalid, in Spanish) while
// the workstation has none.
//
// A store that keeps its key file beside the database (SQLite) is no
// KeyVault: Companies then works as it always did.
type KeyVault interface {
	SecretKeys
	// WrappedKey returns the data key as the database keeps it, wrapped;
	// "" when none was made yet.
	WrappedKey(ctx context.Context) (string, error)
	// LocalKey returns this workstation's copy of the database's data key,
	// or, while the database has no wrapped key, the key this workstation
	// sealed secrets with before keys were shared; nil when it has
	// neither.
	LocalKey(ctx context.Context) ([]byte, error)
	// KeepKey keeps key as this workstation's copy and returns where, in
	// Spanish words for the user ("el llavero del sistema" or a file).
	KeepKey(ctx context.Context, key []byte) (where string, err error)
	// SwapAdminPasswordKey replaces, in one transaction, the
	// administrator password hash oldHash by nextHash and the wrapped key
	// oldWrapped by nextWrapped ("" for none), and reports whether both
	// were still as given.
	SwapAdminPasswordKey(ctx context.Context, oldHash, nextHash, oldWrapped, nextWrapped string) (swapped bool, err error)
}

// Locked reports whether this workstation cannot open the secrets kept in
// a shared database yet: the database has a wrapped data key and this
// workstation no copy of it. Always false for a store with its own key
// file.
func (s *Companies) Locked(ctx context.Context) (bool, error) {
	v, ok := s.Keys.(KeyVault)
	if !ok {
		return false, nil
	}
	w, err := v.WrappedKey(ctx)
	if err != nil || w == "" {
		return false, err
	}
	_, err = v.SecretBox(false)
	if errors.Is(err, secret.ErrLocked) {
		return true, nil
	}
	return false, err
}

// Unlock opens the secrets of a shared database on this workstation: it
// checks password against the administrator password, unwraps the data
// key with it and keeps the key on this workstation (KeyVault.KeepKey),
// returning where. Nothing is kept when the password is wrong. A store
// with its own key file needs no unlocking: Unlock returns "" and nil.
// Errors: NotFound when the database has no administrator password or no
// wrapped key yet; Invalid when the password is not the administrator's.
func (s *Companies) Unlock(ctx context.Context, password string) (where string, err error) {
	const op = "companies.Unlock"
	v, ok := s.Keys.(KeyVault)
	if !ok {
		return "", nil
	}
	if err := s.CheckAdminPassword(ctx, password); err != nil {
		return "", err
	}
	w, err := v.WrappedKey(ctx)
	if err != nil {
		return "", err
	}
	if w == "" {
		return "", domain.E(domain.NotFound, op, "El servidor todavía no tiene secretos compartidos: no hay nada que desbloquear. Cargue el CSD y la cuenta del PAC en Empresa.", nil)
	}
	key, err := secret.UnwrapKey(w, password)
	if errors.Is(err, secret.ErrMismatch) {
		// The hash matched but the wrapped key does not open: someone
		// altered one of the two.
		return "", domain.E(domain.Internal, op, "La clave de los secretos guardada en el servidor no abre con la contraseña de administrador. Informe este error al soporte de Folio.", err)
	}
	if err != nil {
		return "", domain.E(domain.Internal, op, "La clave de los secretos guardada en el servidor está dañada. Informe este error al soporte de Folio.", err)
	}
	return v.KeepKey(ctx, key)
}

// setAdminPasswordShared is SetAdminPassword on a shared database: the
// new hash and the data key wrapped under next replace the old ones in one
// transaction. The data key is the one the database already wraps
// (unwrapped with current, which also unlocks this workstation), else this
// workstation's earlier key (so what it sealed keeps opening), else a new
// one.
func (s *Companies) setAdminPasswordShared(ctx context.Context, op string, v KeyVault, oldHash, current, nextHash, next string) error {
	oldWrapped, err := v.WrappedKey(ctx)
	if err != nil {
		return err
	}
	var key []byte
	switch {
	case oldWrapped != "" && oldHash != "":
		if key, err = secret.UnwrapKey(oldWrapped, current); err != nil {
			return domain.E(domain.Internal, op, "La clave de los secretos guardada en el servidor no abre con la contraseña de administrador. Informe este error al soporte de Folio.", err)
		}
	case oldWrapped != "":
		return domain.E(domain.Internal, op, "El servidor tiene una clave de secretos sin contraseña de administrador. Informe este error al soporte de Folio.", nil)
	default:
		if key, err = v.LocalKey(ctx); err != nil {
			return err
		}
		if key == nil {
			if key, err = secret.NewKey(); err != nil {
				return err
			}
		}
	}
	wrapped, err := secret.WrapKey(key, next)
	if err != nil {
		return err
	}
	swapped, err := v.SwapAdminPasswordKey(ctx, oldHash, nextHash, oldWrapped, wrapped)
	if err != nil {
		return err
	}
	if !swapped {
		return domain.E(domain.Conflict, op, "La contraseña de administrador se cambió en otra ventana o estación; vuelva a intentarlo.", nil)
	}
	_, err = v.KeepKey(ctx, key)
	return err
}
