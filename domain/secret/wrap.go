package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// A store shared by several workstations (PostgreSQL) cannot keep the
// installation key in a file beside the database: there is no such file.
// It keeps the key (the data key, which seals every secret through a Box)
// only wrapped: sealed with AES-256-GCM under a key-encryption key derived
// with Argon2id from the administrator password and a random salt. A
// workstation that lacks the data key asks once for the administrator
// password, unwraps it and keeps its own copy (the operating system's
// keychain, or a file only the user can read). Changing the administrator
// password wraps the same data key again, so nothing sealed changes.
//
// The wrapped form is text, safe to store and to show:
//
//	folio-wrap-v1$<key id>$m=65536,t=3,p=1$<salt>$<sealed key>
//
// (unpadded base64). The key id (KeyID) tells a workstation whether the
// copy it keeps is this database's key without asking for the password; it
// reveals nothing about the key.

const wrapPrefix = "folio-wrap-v1"

// wrapContext binds the sealed data key to its purpose (GCM additional
// data), so no other sealed value can stand in for it.
const wrapContext = "folio/data-key"

// ErrLocked means this workstation has no copy of the data key of a
// shared database yet: it must be unlocked with the administrator
// password (UnwrapKey).
var ErrLocked = errors.New("secret: this workstation has not unlocked the data key")

// KeyID returns a short public name of key (16 hex digits of a SHA-256
// over a fixed label and the key), to tell whether two copies are the same
// key. It cannot be turned back into the key.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("folio-key-id\x00"), key...))
	return hex.EncodeToString(sum[:8])
}

// WrapKey seals dataKey (KeySize bytes) under a key derived with Argon2id
// (the parameters of HashPassword) from password and a fresh random salt,
// and returns the wrapped form described above. Wrapping the same key twice
// gives different text.
func WrapKey(dataKey []byte, password string) (string, error) {
	if len(dataKey) != KeySize {
		return "", fmt.Errorf("secret: data key of %d bytes, want %d", len(dataKey), KeySize)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("secret: salt: %w", err)
	}
	kek := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, KeySize)
	box, err := NewBox(kek)
	if err != nil {
		return "", err
	}
	sealed, err := box.Seal(dataKey, wrapContext)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%s$m=%d,t=%d,p=%d$%s$%s", wrapPrefix, KeyID(dataKey), argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(sealed)), nil
}

// wrapped is a parsed wrapped key.
type wrapped struct {
	id     string
	m, t   uint32
	p      uint8
	salt   []byte
	sealed []byte
}

func parseWrapped(w string) (wrapped, error) {
	parts := strings.Split(w, "$")
	if len(parts) != 5 || parts[0] != wrapPrefix || len(parts[1]) != 16 {
		return wrapped{}, errors.New("secret: not a wrapped key")
	}
	var out wrapped
	out.id = parts[1]
	if _, err := fmt.Sscanf(parts[2], "m=%d,t=%d,p=%d", &out.m, &out.t, &out.p); err != nil ||
		out.m == 0 || out.t == 0 || out.p == 0 || out.m > 1<<21 || out.t > 100 {
		return wrapped{}, fmt.Errorf("secret: argon2 parameters %q", parts[2])
	}
	var err error
	enc := base64.RawStdEncoding
	if out.salt, err = enc.DecodeString(parts[3]); err != nil || len(out.salt) == 0 {
		return wrapped{}, fmt.Errorf("secret: wrapped key salt: %v", err)
	}
	if out.sealed, err = enc.DecodeString(parts[4]); err != nil {
		return wrapped{}, fmt.Errorf("secret: wrapped key: %w", err)
	}
	return out, nil
}

// WrappedKeyID returns the key id recorded in a wrapped key, to compare
// with KeyID of a workstation's copy; an error when w is malformed.
func WrappedKeyID(w string) (string, error) {
	p, err := parseWrapped(w)
	return p.id, err
}

// UnwrapKey returns the data key wrapped in w by WrapKey with password.
// Errors: ErrMismatch when the password is not the one it was wrapped
// with (or w was altered: GCM cannot tell the two apart); another error
// when w is malformed or the key it opens is not the one its id names.
func UnwrapKey(w, password string) ([]byte, error) {
	p, err := parseWrapped(w)
	if err != nil {
		return nil, err
	}
	kek := argon2.IDKey([]byte(password), p.salt, p.t, p.m, p.p, KeySize)
	box, err := NewBox(kek)
	if err != nil {
		return nil, err
	}
	key, err := box.Open(p.sealed, wrapContext)
	if err != nil {
		return nil, ErrMismatch
	}
	if len(key) != KeySize || KeyID(key) != p.id {
		return nil, errors.New("secret: wrapped key does not match its id")
	}
	return key, nil
}
