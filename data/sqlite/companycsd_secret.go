package sqlite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
)

// The installation key that seals the companies' secrets (package
// domain/secret describes the scheme; sales.Companies seals and opens
// them) lives in a file beside the database,
// named after it with ".secret" appended, readable and writable only by the
// user (0600; on Windows the file inherits the ACL of the user's
// application data folder). It is created the first time a secret is
// stored. It is not inside the database on purpose: a copy of the database
// alone (e.g. `folio backup`) reveals no secret. Restoring a database on
// another computer without this file leaves its secrets unreadable: the
// user uploads the CSD and the PAC account again.

// secretFileHeader starts the secret file; the key follows in base64.
const secretFileHeader = "folio-secret-v1\n"

// SecretPath returns the path of the installation's secret file.
func (s *Store) SecretPath() string { return s.path + ".secret" }

var _ sales.SecretKeys = (*Store)(nil)

// SecretBox returns the Box of the installation key, for sales.Companies
// and the mail settings. With create it makes the secret file when it is
// missing; without, a missing file is an Invalid error saying the stored
// secrets cannot be read.
func (s *Store) SecretBox(create bool) (*secret.Box, error) {
	const op = "sqlite.SecretBox"
	path := s.SecretPath()
	key, err := readSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key, err = createSecretFile(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.E(domain.Invalid, op, fmt.Sprintf("Falta el archivo de claves de Folio (%s) que protege las contraseñas guardadas. Vuelva a cargar el CSD y la cuenta del PAC de la empresa.", path), err)
	}
	if err != nil {
		return nil, mapErr(op, path, err)
	}
	return secret.NewBox(key)
}

// InstallationKey returns the installation key from its file, nil when
// the installation has none yet; for a move to a server (data/transfer),
// which keeps it there only wrapped under the administrator password.
func (s *Store) InstallationKey() ([]byte, error) {
	key, err := readSecretFile(s.SecretPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr("sqlite.InstallationKey", s.SecretPath(), err)
	}
	return key, nil
}

// readSecretFile reads the key, first narrowing the file's permissions to
// the user when someone widened them.
func readSecretFile(path string) ([]byte, error) {
	return keychain.ReadKeyFile(path, secretFileHeader, secret.KeySize, func(cause error) error {
		return domain.E(domain.Internal, "sqlite.SecretBox", fmt.Sprintf("El archivo de claves %s está dañado. Restáurelo de su copia de seguridad, o bórrelo y vuelva a cargar el CSD y la cuenta del PAC.", path), cause)
	})
}

// createSecretFile writes a new random key. The file is written under a
// temporary name and linked into place, so a concurrent reader never sees
// a half-written file and two Folio processes racing end up with the same
// key (the loser reads the winner's file).
func createSecretFile(path string) ([]byte, error) {
	key, err := secret.NewKey()
	if err != nil {
		return nil, err
	}
	return writeSecretFile(path, key)
}

// WriteKeyFile makes path the key file of an installation with key, for
// an installation brought back from a server (the server's data key, as
// this workstation keeps it). An existing file is refused (Conflict): it
// may open secrets sealed with another key.
func WriteKeyFile(path string, key []byte) error {
	const op = "sqlite.WriteKeyFile"
	if len(key) != secret.KeySize {
		return domain.E(domain.Internal, op, "La clave de las contraseñas guardadas no es válida.", fmt.Errorf("key of %d bytes", len(key)))
	}
	if _, err := os.Stat(path); err == nil {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe el archivo de claves %s; no se reemplaza porque abre las contraseñas guardadas con él.", path), nil)
	}
	got, err := writeSecretFile(path, key)
	if err != nil {
		return mapErr(op, path, err)
	}
	if !bytes.Equal(got, key) {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Otro programa creó el archivo de claves %s al mismo tiempo; no se reemplaza.", path), nil)
	}
	return nil
}

// writeSecretFile writes key as the key file path unless one exists, in
// which case it returns the existing file's key.
func writeSecretFile(path string, key []byte) ([]byte, error) {
	err := keychain.WriteKeyFile(path, secretFileHeader, key, false)
	if errors.Is(err, fs.ErrExist) {
		return readSecretFile(path)
	}
	if err != nil {
		return nil, err
	}
	return key, nil
}
