// Package secret protects the secrets Folio keeps for a company — the CSD
// key and its password, the PAC credentials — and the installation's
// administrator password (design decision 10: secrets are never stored in
// plain text).
//
// The scheme, stated honestly:
//
//   - A Box seals values with AES-256-GCM under a 32-byte key that the store
//     keeps in a per-installation secret file beside the database, readable
//     only by the user (mode 0600 on Unix). Every value carries a fresh
//     random nonce and is bound to its place (company and field) through the
//     GCM additional data, so a sealed value copied to another row or
//     column does not open.
//   - This keeps the secrets out of the database file: a copy of the
//     database alone (a backup, a file sent to support, a stolen disk image
//     without the secret file) reveals no password, token or usable key.
//     It does not protect against someone who can read the user's files,
//     who has both files.
//   - A database shared by several workstations (PostgreSQL) has no file
//     beside it: it keeps the key only wrapped under the administrator
//     password (WrapKey, UnwrapKey; wrap.go), and each workstation keeps
//     its own copy once unlocked, in the operating system's keychain where
//     one answers.
//   - The administrator password is never stored, only an Argon2id hash
//     with a random salt (HashPassword, CheckPassword).
//
// The package is pure Go: it opens no files and logs nothing.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the length in bytes of a Box key (AES-256).
const KeySize = 32

// version is the first byte of every sealed value; it names the scheme
// (AES-256-GCM, 12-byte nonce) so a later scheme can coexist.
const version byte = 1

// ErrOpen means a sealed value cannot be opened: it was sealed with another
// key (a database moved without its secret file), for another place, or it
// was altered.
var ErrOpen = errors.New("secret: sealed value does not open with this key")

// Box seals and opens values with one installation key. It is safe for
// concurrent use.
type Box struct {
	aead cipher.AEAD
}

// NewKey returns a new random key of KeySize bytes.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("secret: new key: %w", err)
	}
	return k, nil
}

// NewBox returns a Box for key, which must be KeySize bytes long.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key of %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain for the place named by context (e.g.
// "company/7/csd-password") and returns version || nonce || ciphertext.
// Sealing the same value twice gives different bytes.
func (b *Box) Seal(plain []byte, context string) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	out := make([]byte, 0, 1+len(nonce)+len(plain)+b.aead.Overhead())
	out = append(out, version)
	out = append(out, nonce...)
	return b.aead.Seal(out, nonce, plain, []byte(context)), nil
}

// Open decrypts a value made by Seal for the same context. Any failure
// wraps ErrOpen; the value itself never appears in the error.
func (b *Box) Open(sealed []byte, context string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, fmt.Errorf("%w: malformed value", ErrOpen)
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
