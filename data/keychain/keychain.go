// Package keychain keeps a workstation's small secrets — the data key of
// a shared database once unlocked, the password of a saved server
// connection — in the operating system's keychain where one answers, and
// otherwise in a file only the user can read.
//
// The keychain is github.com/zalando/go-keyring: the macOS Keychain, the
// Windows Credential Manager, and on Linux and the BSDs the Secret Service
// (GNOME Keyring, KWallet) over the session D-Bus. A machine without a
// session bus or a Secret Service (servers, CI, minimal desktops) has no
// keychain; then the secret goes to Dir/<name>, mode 0600 in a 0700
// folder, and Put says so. Neither place is the database: a copy of the
// database never carries what this package keeps.
package keychain

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"

	"github.com/zalando/go-keyring"
)

// Keychain is an operating-system keychain: secrets by service and name.
// Get returns ErrNotFound for a missing entry; any other error means the
// keychain does not answer.
type Keychain interface {
	Get(service, name string) (string, error)
	Set(service, name, secret string) error
}

// ErrNotFound is the keychain's answer for a missing entry.
var ErrNotFound = keyring.ErrNotFound

// osKeychain is go-keyring's keychain of this operating system.
type osKeychain struct{}

func (osKeychain) Get(service, name string) (string, error) { return keyring.Get(service, name) }
func (osKeychain) Set(service, name, secret string) error   { return keyring.Set(service, name, secret) }

// OS returns the operating system's keychain, or nil when the environment
// variable FOLIO_KEYCHAIN is "off" (the user prefers the file, or a test
// must not touch the user's keychain) and, outside macOS and Windows, when
// there is no session bus to reach a Secret Service through (asking D-Bus
// then could start a bus daemon only to find no keychain).
func OS() Keychain {
	if os.Getenv("FOLIO_KEYCHAIN") == "off" {
		return nil
	}
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && !sessionBus() {
		return nil
	}
	return osKeychain{}
}

// sessionBus reports whether this process can reach a D-Bus session bus
// without starting one: its address is in the environment, or the
// per-user socket of systemd exists.
func sessionBus() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	_, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid()))
	return err == nil
}

// Service is the keychain service under which Folio keeps its entries.
const Service = "mx.folio.desktop"

// fileHeader starts every file this package writes; the secret follows
// in base64.
const fileHeader = "folio-key-v1\n"

// Keys keeps named secrets in Chain (nil: no keychain) or, when it does not
// answer, in files under Dir. The zero value is not usable: Dir is
// required.
type Keys struct {
	Dir   string
	Chain Keychain
}

// DefaultDir is os.UserConfigDir()/folio/keys, where a workstation keeps
// the files of its keys.
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "folio", "keys"), nil
}

// names are the names accepted: they become file names.
var names = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$`)

// Where a secret was kept, for messages (Spanish, shown to the user).
const (
	InKeychain = "el llavero del sistema"
)

// Get returns the secret kept under name: from the keychain when it has
// it, else from its file. found is false when neither has it.
func (k Keys) Get(name string) (secret []byte, found bool, err error) {
	if !names.MatchString(name) {
		return nil, false, fmt.Errorf("keychain: bad name %q", name)
	}
	if k.Chain != nil {
		v, err := k.Chain.Get(Service, name)
		switch {
		case err == nil:
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, false, fmt.Errorf("keychain: entry %s: %w", name, err)
			}
			return b, true, nil
		case !errors.Is(err, ErrNotFound):
			slog.Debug("keychain unavailable; using files", "err", err)
		}
	}
	b, err := readFile(filepath.Join(k.Dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// Put keeps secret under name, replacing what was there, in the keychain
// when it answers (then removing an older file of the same name), else in
// Dir/name with mode 0600. It returns where it went: InKeychain or the
// file's path.
func (k Keys) Put(name string, secret []byte) (where string, err error) {
	if !names.MatchString(name) {
		return "", fmt.Errorf("keychain: bad name %q", name)
	}
	path := filepath.Join(k.Dir, name)
	if k.Chain != nil {
		err := k.Chain.Set(Service, name, base64.StdEncoding.EncodeToString(secret))
		if err == nil {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				slog.Warn("keychain: old key file", "path", path, "err", err)
			}
			return InKeychain, nil
		}
		slog.Info("keychain unavailable; keeping the key in a file", "path", path, "err", err)
	}
	return path, writeFile(path, secret)
}

// readFile reads a file written by writeFile.
func readFile(path string) ([]byte, error) {
	return ReadKeyFile(path, fileHeader, 0, func(cause error) error { return fmt.Errorf("keychain: %s: %w", path, cause) })
}

// writeFile writes secret to path, replacing the file there.
func writeFile(path string, secret []byte) error { return WriteKeyFile(path, fileHeader, secret, true) }
