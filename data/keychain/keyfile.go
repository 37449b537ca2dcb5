package keychain

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// A key file is header followed by the key in standard base64 and a
// newline, readable and writable only by the user (0600; on Windows it
// inherits the ACL of its folder). This package's own files, the SQLite
// installation key beside the database and the PostgreSQL store's
// pre-sharing key file all use that format with their own header;
// ReadKeyFile and WriteKeyFile are the one reader and writer of it.

// ErrNotKeyFile is the cause ReadKeyFile passes to damaged when the file
// does not start with the expected header.
var ErrNotKeyFile = errors.New("not a Folio key file")

// ReadKeyFile reads the key file path starting with header, first
// narrowing its permissions to the user when someone widened them. With
// size > 0 a key of another length is damaged too. A missing file is
// fs.ErrNotExist as os returns it; a damaged one is what damaged makes of
// the cause (ErrNotKeyFile, the base64 error or the wrong length), so each
// caller keeps its own message.
func ReadKeyFile(path, header string, size int, damaged func(cause error) error) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	body, ok := bytes.CutPrefix(data, []byte(header))
	if !ok {
		return nil, damaged(ErrNotKeyFile)
	}
	key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, damaged(err)
	}
	if size > 0 && len(key) != size {
		return nil, damaged(fmt.Errorf("key of %d bytes, want %d", len(key), size))
	}
	return key, nil
}

// WriteKeyFile writes key as the key file path starting with header (see
// WritePrivate for replace).
func WriteKeyFile(path, header string, key []byte, replace bool) error {
	return WritePrivate(path, []byte(header+base64.StdEncoding.EncodeToString(key)+"\n"), replace)
}

// WritePrivate writes data to path, readable and writable only by the
// user (0600, its folder made 0700 when missing), through a temporary file
// put into place, so a reader never sees half a file. With replace an
// existing file is replaced; without, it is left as it is and the error is
// fs.ErrExist, so two processes racing to create it end up with one file.
func WritePrivate(path string, data []byte, replace bool) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".folio-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if replace {
		return os.Rename(tmp.Name(), path)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	return nil
}
