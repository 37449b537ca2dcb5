package secret

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestBoxRoundTrip(t *testing.T) {
	key, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("12345678a")
	s1, err := b.Seal(plain, "company/1/csd-password")
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal(plain, "company/1/csd-password")
	if bytes.Equal(s1, s2) {
		t.Error("sealing twice gave the same bytes; the nonce is not fresh")
	}
	if bytes.Contains(s1, plain) {
		t.Error("sealed value contains the plain text")
	}
	got, err := b.Open(s1, "company/1/csd-password")
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v; want %q", got, err, plain)
	}

	other, _ := NewKey()
	ob, _ := NewBox(other)
	tampered := bytes.Clone(s1)
	tampered[len(tampered)-1] ^= 1
	tests := []struct {
		name    string
		box     *Box
		sealed  []byte
		context string
	}{
		{"other key (database moved without its secret file)", ob, s1, "company/1/csd-password"},
		{"other place", b, s1, "company/2/csd-password"},
		{"altered", b, tampered, "company/1/csd-password"},
		{"truncated", b, s1[:10], "company/1/csd-password"},
		{"empty", b, nil, "company/1/csd-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.box.Open(tt.sealed, tt.context); !errors.Is(err, ErrOpen) {
				t.Errorf("Open err = %v, want ErrOpen", err)
			}
		})
	}
}

func TestNewBoxRejectsShortKey(t *testing.T) {
	if _, err := NewBox(make([]byte, 16)); err == nil {
		t.Error("NewBox accepted a 16-byte key")
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correcto caballo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=1$") || strings.Contains(h, "caballo") {
		t.Fatalf("hash = %q", h)
	}
	h2, _ := HashPassword("correcto caballo")
	if h == h2 {
		t.Error("two hashes of the same password are equal; the salt is not random")
	}
	if err := CheckPassword(h, "correcto caballo"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := CheckPassword(h, "correcto caballo "); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: err = %v, want ErrMismatch", err)
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA", "$argon2id$v=19$m=8,t=1,p=1$!!$AA"} {
		if err := CheckPassword(bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("CheckPassword(%q) err = %v, want a malformed-hash error", bad, err)
		}
	}
}

func TestWrapKey(t *testing.T) {
	key, _ := NewKey()
	w, err := WrapKey(key, "contraseña larga")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(w, "folio-wrap-v1$"+KeyID(key)+"$m=65536,t=3,p=1$") {
		t.Fatalf("wrapped = %q", w)
	}
	if strings.Contains(w, base64.RawStdEncoding.EncodeToString(key)) || strings.Contains(w, "contraseña") {
		t.Fatal("wrapped form shows the key or the password")
	}
	w2, _ := WrapKey(key, "contraseña larga")
	if w == w2 {
		t.Error("wrapping twice gave the same text; the salt or the nonce is not fresh")
	}
	if id, err := WrappedKeyID(w); err != nil || id != KeyID(key) {
		t.Errorf("WrappedKeyID = %q, %v; want %q", id, err, KeyID(key))
	}
	got, err := UnwrapKey(w, "contraseña larga")
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("UnwrapKey = %x, %v", got, err)
	}
	parts := strings.Split(w, "$")
	altered := []byte(parts[4])
	if altered[10] = 'A'; parts[4][10] == 'A' {
		altered[10] = 'B'
	}
	other, _ := NewKey()
	tests := []struct {
		name, wrapped, password string
		mismatch                bool // ErrMismatch rather than a malformed-value error
	}{
		{"wrong password", w, "contraseña larga ", true},
		{"empty password", w, "", true},
		{"altered sealed key", strings.Join(append(parts[:4:4], string(altered)), "$"), "contraseña larga", true},
		{"id of another key", strings.Join(append([]string{parts[0], KeyID(other)}, parts[2:]...), "$"), "contraseña larga", false},
		{"not a wrapped key", "$argon2id$v=19$m=65536,t=3,p=1$AA$AA", "contraseña larga", false},
		{"absurd parameters", strings.Join(append(parts[:2:2], "m=99999999,t=3,p=1", parts[3], parts[4]), "$"), "contraseña larga", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := UnwrapKey(tt.wrapped, tt.password)
			if key != nil || err == nil || errors.Is(err, ErrMismatch) != tt.mismatch {
				t.Errorf("UnwrapKey = %x, %v; want no key and mismatch=%v", key, err, tt.mismatch)
			}
		})
	}
	if _, err := WrapKey(key[:16], "x"); err == nil {
		t.Error("WrapKey accepted a 16-byte key")
	}
}
