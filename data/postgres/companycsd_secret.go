package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
)

// The data key that seals the companies' secrets (package domain/secret
// describes the scheme; sales.Companies seals and opens them) cannot live
// in a file beside the database: the database is on a server. It lives in
// the database only wrapped under the administrator password
// (installation_key.wrapped, migration 0007), and each workstation keeps
// its own copy, once unlocked, in the operating system's keychain or in a
// 0600 file under os.UserConfigDir()/folio/keys named after the database's
// id (package data/keychain). The store is a sales.KeyVault; the domain
// decides when to wrap, unwrap and rewrap.
//
// Before keys were shared each workstation kept its own key file
// (Options.SecretPath). While the database has no wrapped key that file
// still opens what the workstation sealed with it, and setting the
// administrator password adopts it as the data key; no new such file is
// ever made.

// legacyFileHeader starts a pre-sharing key file; the key follows in
// base64.
const legacyFileHeader = "folio-secret-v1\n"

// SecretPath returns the path of this workstation's pre-sharing key file.
func (s *Store) SecretPath() string { return s.secret }

var (
	_ sales.SecretKeys = (*Store)(nil)
	_ sales.KeyVault   = (*Store)(nil)
)

// keyTimeout bounds SecretBox's read of the wrapped key (its interface
// takes no context).
const keyTimeout = 30 * time.Second

// SecretBox returns the Box of the data key, for sales.Companies. It opens
// this workstation's copy of the key the database wraps. Errors (Invalid,
// in Spanish): wrapping secret.ErrLocked when this workstation has not
// been unlocked yet; with create, when the database has no administrator
// password yet (the key is made and wrapped when it is set, so that every
// workstation can unlock it); without, when the secrets were sealed on
// another workstation before keys were shared.
func (s *Store) SecretBox(create bool) (*secret.Box, error) {
	const op = "postgres.SecretBox"
	ctx, cancel := context.WithTimeout(context.Background(), keyTimeout)
	defer cancel()
	id, wrapped, err := s.vault(ctx)
	if err != nil {
		return nil, err
	}
	if wrapped == "" {
		key, err := s.legacyKey()
		if err != nil {
			return nil, err
		}
		if key != nil {
			return secret.NewBox(key)
		}
		if create {
			return nil, domain.E(domain.Invalid, op, "En un servidor, establezca primero la contraseña de administrador (Empresa › Administrador, o «folio admin»): con ella cada estación abre una vez el CSD y las cuentas guardadas.", nil)
		}
		return nil, domain.E(domain.Invalid, op, "Esta estación no tiene la clave con la que se guardaron el CSD y las cuentas (se cargaron en otra estación antes de que hubiera contraseña de administrador). Establezca la contraseña de administrador en esa estación y después desbloquee esta con ella.", nil)
	}
	key, err := s.localKey(id, wrapped)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, domain.E(domain.Invalid, op, "Esta estación todavía no abre el CSD ni las cuentas guardadas en el servidor. Desbloquéela una vez con la contraseña de administrador (al abrir Folio, o con «folio unlock»).", secret.ErrLocked)
	}
	return secret.NewBox(key)
}

// vault reads the database's id and its wrapped key ("" when none).
func (s *Store) vault(ctx context.Context) (id, wrapped string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT database_id, coalesce(wrapped, '') FROM installation_key`).Scan(&id, &wrapped)
	return id, wrapped, mapErr("postgres.vault", s.name, err)
}

// DatabaseID returns the random id that names this database's key on
// every workstation.
func (s *Store) DatabaseID(ctx context.Context) (string, error) {
	id, _, err := s.vault(ctx)
	return id, err
}

// WrappedKey returns the wrapped data key, "" when there is none yet.
func (s *Store) WrappedKey(ctx context.Context) (string, error) {
	_, w, err := s.vault(ctx)
	return w, err
}

// LocalKey returns this workstation's copy of the data key (nil when it
// has none, or one of another key), or, while the database wraps no key,
// the key of the pre-sharing file (nil when there is none).
func (s *Store) LocalKey(ctx context.Context) ([]byte, error) {
	id, wrapped, err := s.vault(ctx)
	if err != nil {
		return nil, err
	}
	if wrapped == "" {
		return s.legacyKey()
	}
	return s.localKey(id, wrapped)
}

// localKey returns the workstation's copy of the key wrapped names, nil
// when it keeps none or a different one (the database was recreated).
func (s *Store) localKey(id, wrapped string) ([]byte, error) {
	const op = "postgres.localKey"
	want, err := secret.WrappedKeyID(wrapped)
	if err != nil {
		return nil, domain.E(domain.Internal, op, "La clave de los secretos guardada en el servidor está dañada. Informe este error al soporte de Folio.", err)
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil && secret.KeyID(s.key) == want {
		return s.key, nil
	}
	key, found, err := s.keys.Get(id)
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo leer la clave de los secretos de esta estación. Desbloquéela de nuevo con la contraseña de administrador.", err)
	}
	if !found || len(key) != secret.KeySize || secret.KeyID(key) != want {
		return nil, nil
	}
	s.key = key
	return key, nil
}

// KeepKey keeps key as this workstation's copy of the database's data key:
// in the keychain when one answers, else in a 0600 file; it returns
// keychain.InKeychain or the file's path.
func (s *Store) KeepKey(ctx context.Context, key []byte) (string, error) {
	const op = "postgres.KeepKey"
	id, _, err := s.vault(ctx)
	if err != nil {
		return "", err
	}
	where, err := s.keys.Put(id, key)
	if err != nil {
		return "", domain.E(domain.Internal, op, "No se pudo guardar la clave de los secretos en esta estación ("+where+"). Revise los permisos de su carpeta de configuración.", err)
	}
	s.keyMu.Lock()
	s.key = bytes.Clone(key)
	s.keyMu.Unlock()
	return where, nil
}

// SwapAdminPasswordKey replaces the administrator password hash and the
// wrapped key together when both are still oldHash and oldWrapped. The
// installation_key row, locked first, serializes workstations changing the
// password at once.
func (s *Store) SwapAdminPasswordKey(ctx context.Context, oldHash, nextHash, oldWrapped, nextWrapped string) (bool, error) {
	swapped := false
	err := s.WriteTx(ctx, func(tx *Tx) error {
		var w string
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(wrapped, '') FROM installation_key FOR UPDATE`).Scan(&w); err != nil {
			return err
		}
		h, err := s.setting(ctx, tx, adminSetting)
		if err != nil || h != oldHash || w != oldWrapped {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE installation_key SET wrapped = ?, updated_at = ?`, nextWrapped, timeText(s.Now())); err != nil {
			return err
		}
		swapped = true
		return s.putSetting(ctx, tx, adminSetting, nextHash)
	})
	return swapped && err == nil, err
}

// SetWrappedKey stores wrapped as the database's wrapped key inside tx,
// for a move from SQLite (data/transfer) that wraps the file's key under
// the installation's administrator password.
func SetWrappedKey(ctx context.Context, tx *Tx, wrapped string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE installation_key SET wrapped = ?, updated_at = ?`, wrapped, timeText(now))
	return err
}

// legacyKey reads the pre-sharing key file; nil when there is none.
func (s *Store) legacyKey() ([]byte, error) {
	key, err := readLegacyKey(s.secret)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr("postgres.legacyKey", s.secret, err)
	}
	return key, nil
}

// readLegacyKey reads a pre-sharing key file, first narrowing its
// permissions to the user when someone widened them.
func readLegacyKey(path string) ([]byte, error) {
	return keychain.ReadKeyFile(path, legacyFileHeader, secret.KeySize, func(cause error) error {
		return domain.E(domain.Internal, "postgres.SecretBox", fmt.Sprintf("El archivo de claves %s está dañado. Restáurelo de su copia de seguridad, o bórrelo y vuelva a cargar el CSD y la cuenta del PAC.", path), cause)
	})
}
