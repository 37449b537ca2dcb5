package keychain

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// memChain is a keychain in memory; down makes it not answer, as on a
// machine without a Secret Service.
type memChain struct {
	m    map[string]string
	down bool
}

func (c *memChain) Get(service, name string) (string, error) {
	if c.down {
		return "", errors.New("no session bus")
	}
	v, ok := c.m[service+"/"+name]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (c *memChain) Set(service, name, secret string) error {
	if c.down {
		return errors.New("no session bus")
	}
	c.m[service+"/"+name] = secret
	return nil
}

func TestKeysKeychainOrFile(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	tests := []struct {
		name      string
		chain     *memChain
		inChain   bool
		wantWhere string
	}{
		{"keychain answers", &memChain{m: map[string]string{}}, true, InKeychain},
		{"keychain down (no D-Bus)", &memChain{m: map[string]string{}, down: true}, false, "file"},
		{"no keychain", nil, false, "file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			k := Keys{Dir: dir}
			if tt.chain != nil {
				k.Chain = tt.chain
			}
			if _, found, err := k.Get("db-1"); found || err != nil {
				t.Fatalf("Get before Put: found %v, %v", found, err)
			}
			where, err := k.Put("db-1", secret)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "db-1")
			_, statErr := os.Stat(path)
			if tt.inChain {
				if where != InKeychain || statErr == nil {
					t.Fatalf("Put went to %q (file exists: %v); want the keychain and no file", where, statErr == nil)
				}
				if !strings.Contains(tt.chain.m[Service+"/db-1"], "MDEy") {
					t.Errorf("keychain entry = %q", tt.chain.m[Service+"/db-1"])
				}
			} else {
				if where != path || statErr != nil {
					t.Fatalf("Put went to %q (%v); want %s", where, statErr, path)
				}
				st, _ := os.Stat(path)
				if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
					t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
				}
				raw, _ := os.ReadFile(path)
				if bytes.Contains(raw, secret) {
					t.Error("key file holds the secret's bytes as they are")
				}
			}
			got, found, err := k.Get("db-1")
			if err != nil || !found || !bytes.Equal(got, secret) {
				t.Fatalf("Get = %q, %v, %v", got, found, err)
			}
		})
	}
}

// TestPutMovesFileToKeychain: a key first kept in a file (keychain down)
// moves to the keychain when it answers again, and the file goes.
func TestPutMovesFileToKeychain(t *testing.T) {
	dir := t.TempDir()
	chain := &memChain{m: map[string]string{}, down: true}
	k := Keys{Dir: dir, Chain: chain}
	if _, err := k.Put("db", []byte("uno")); err != nil {
		t.Fatal(err)
	}
	chain.down = false
	if where, err := k.Put("db", []byte("uno")); err != nil || where != InKeychain {
		t.Fatalf("Put = %q, %v", where, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "db")); !os.IsNotExist(err) {
		t.Errorf("the file stayed after the key moved to the keychain: %v", err)
	}
}

func TestKeysRejectsPathNames(t *testing.T) {
	k := Keys{Dir: t.TempDir()}
	for _, name := range []string{"", "../x", "a/b", ".hidden"} {
		if _, err := k.Put(name, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted", name)
		}
	}
}

// TestOSWithoutSessionBus: on Linux and the BSDs, no session bus means no
// keychain (the key goes to its file) rather than a D-Bus daemon started
// to find none; FOLIO_KEYCHAIN=off means no keychain anywhere.
func TestOSWithoutSessionBus(t *testing.T) {
	t.Setenv("FOLIO_KEYCHAIN", "off")
	if OS() != nil {
		t.Error("FOLIO_KEYCHAIN=off still gives a keychain")
	}
	t.Setenv("FOLIO_KEYCHAIN", "")
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keychain there needs no session bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if sessionBus() {
		t.Skip("this user has a systemd session bus socket")
	}
	if OS() != nil {
		t.Error("a keychain without a session bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if OS() == nil {
		t.Error("no keychain although a session bus is named")
	}
}
