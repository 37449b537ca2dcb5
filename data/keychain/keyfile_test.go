package keychain

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestKeyFileFormat pins the bytes of a key file for each header in use,
// so files written before ReadKeyFile/WriteKeyFile existed still open.
func TestKeyFileFormat(t *testing.T) {
	key := bytes.Repeat([]byte{0xA5, 0x01, 0xFE}, 11)[:32]
	tests := []struct {
		name, header string
		size         int
	}{
		{"keychain file", fileHeader, 0},
		{"installation key (sqlite, postgres pre-sharing)", "folio-secret-v1\n", 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			want := []byte(tt.header + base64.StdEncoding.EncodeToString(key) + "\n")

			old := filepath.Join(dir, "old")
			if err := os.WriteFile(old, want, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadKeyFile(old, tt.header, tt.size, func(cause error) error { return cause })
			if err != nil || !bytes.Equal(got, key) {
				t.Fatalf("reading a file in the existing format: %x, %v", got, err)
			}

			path := filepath.Join(dir, "sub", "new")
			if err := WriteKeyFile(path, tt.header, key, false); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(b, want) {
				t.Fatalf("written bytes %q, want %q (%v)", b, want, err)
			}
			if runtime.GOOS != "windows" {
				st, _ := os.Stat(path)
				if st.Mode().Perm() != 0o600 {
					t.Fatalf("mode %v, want 0600", st.Mode().Perm())
				}
			}
		})
	}
}

func TestReadKeyFileDamagedAndNarrowed(t *testing.T) {
	const header = "folio-secret-v1\n"
	key := bytes.Repeat([]byte{7}, 32)
	mine := errors.New("dañado")
	tests := []struct {
		name    string
		content string
		cause   error // nil: any cause
		ok      bool
	}{
		{"good", header + base64.StdEncoding.EncodeToString(key) + "\n", nil, true},
		{"other header", "folio-key-v1\n" + base64.StdEncoding.EncodeToString(key) + "\n", ErrNotKeyFile, false},
		{"not base64", header + "%%%\n", nil, false},
		{"short key", header + base64.StdEncoding.EncodeToString(key[:16]) + "\n", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			var cause error
			got, err := ReadKeyFile(path, header, 32, func(c error) error { cause = c; return mine })
			if tt.ok {
				if err != nil || !bytes.Equal(got, key) {
					t.Fatalf("got %x, %v", got, err)
				}
			} else {
				if err != mine || cause == nil {
					t.Fatalf("err %v (cause %v), want the caller's error", err, cause)
				}
				if tt.cause != nil && !errors.Is(cause, tt.cause) {
					t.Fatalf("cause %v, want %v", cause, tt.cause)
				}
			}
			if runtime.GOOS != "windows" {
				st, _ := os.Stat(path)
				if st.Mode().Perm() != 0o600 {
					t.Fatalf("widened mode left as %v", st.Mode().Perm())
				}
			}
		})
	}
	if _, err := ReadKeyFile(filepath.Join(t.TempDir(), "none"), header, 32, func(c error) error { return c }); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestWritePrivateReplace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := WritePrivate(path, []byte("uno"), false); err != nil {
		t.Fatal(err)
	}
	if err := WritePrivate(path, []byte("dos"), false); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second create: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "uno" {
		t.Fatalf("without replace the file became %q", b)
	}
	if err := WritePrivate(path, []byte("tres"), true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "tres" {
		t.Fatalf("with replace the file is %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".folio-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
