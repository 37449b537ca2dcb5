package sales

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/secret"
)

// vault is an in-memory KeyVault over a secretStore: the "database" keeps
// the hash (in the store) and the wrapped key, the "workstation" its copy.
type vault struct {
	mu      sync.Mutex
	store   *secretStore
	wrapped string
	local   []byte // this workstation's copy, or its pre-sharing key
	race    bool   // the next swap finds the wrapped key changed
}

func (v *vault) SecretBox(bool) (*secret.Box, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.local == nil {
		return nil, domain.E(domain.Invalid, "fake.SecretBox", "Desbloquee esta estación.", secret.ErrLocked)
	}
	return secret.NewBox(v.local)
}

func (v *vault) WrappedKey(context.Context) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.wrapped, nil
}

func (v *vault) LocalKey(context.Context) ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.local, nil
}

func (v *vault) KeepKey(_ context.Context, key []byte) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.local = bytes.Clone(key)
	return "el llavero del sistema", nil
}

func (v *vault) SwapAdminPasswordKey(_ context.Context, oldHash, nextHash, oldWrapped, nextWrapped string) (bool, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.race {
		v.wrapped, v.race = "folio-wrap-v1$otra", false
	}
	v.store.mu.Lock()
	defer v.store.mu.Unlock()
	if v.store.hash != oldHash || v.wrapped != oldWrapped {
		return false, nil
	}
	v.store.hash, v.wrapped = nextHash, nextWrapped
	return true, nil
}

func TestKeyVault(t *testing.T) {
	ctx := context.Background()

	t.Run("key file store needs no unlocking", func(t *testing.T) {
		c := newCompanies(newSecretStore(), &keyFile{}, companiesNow)
		if where, err := c.Unlock(ctx, "x"); where != "" || err != nil {
			t.Errorf("Unlock = %q, %v", where, err)
		}
		if locked, err := c.Locked(ctx); locked || err != nil {
			t.Errorf("Locked = %v, %v", locked, err)
		}
	})

	t.Run("first password makes the key; unlock needs it", func(t *testing.T) {
		store := newSecretStore()
		v := &vault{store: store}
		c := newCompanies(store, v, companiesNow)
		if _, err := c.Unlock(ctx, "administrador-1"); domain.KindOf(err) != domain.NotFound {
			t.Fatalf("Unlock without a password set: %v, want NotFound", err)
		}
		if err := c.SetAdminPassword(ctx, "", "administrador-1"); err != nil {
			t.Fatal(err)
		}
		key := v.local
		if len(key) != secret.KeySize {
			t.Fatalf("kept key of %d bytes", len(key))
		}
		if id, _ := secret.WrappedKeyID(v.wrapped); id != secret.KeyID(key) {
			t.Fatal("the wrapped key is not the kept one")
		}
		v.local = nil // another workstation
		if locked, _ := c.Locked(ctx); !locked {
			t.Fatal("not locked without a copy")
		}
		if _, err := c.Unlock(ctx, "administrador-2"); domain.KindOf(err) != domain.Invalid || v.local != nil {
			t.Fatalf("wrong password: %v, kept %x", err, v.local)
		}
		if where, err := c.Unlock(ctx, "administrador-1"); err != nil || where != "el llavero del sistema" || !bytes.Equal(v.local, key) {
			t.Fatalf("Unlock = %q, %v", where, err)
		}
	})

	t.Run("a locked workstation changing the password unlocks and keeps the key", func(t *testing.T) {
		store := newSecretStore()
		v := &vault{store: store}
		c := newCompanies(store, v, companiesNow)
		if err := c.SetAdminPassword(ctx, "", "administrador-1"); err != nil {
			t.Fatal(err)
		}
		key := v.local
		v.local = nil
		if err := c.SetAdminPassword(ctx, "administrador-1", "administrador-2"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(v.local, key) {
			t.Fatal("the rewrap changed the data key")
		}
		if got, err := secret.UnwrapKey(v.wrapped, "administrador-2"); err != nil || !bytes.Equal(got, key) {
			t.Fatalf("the new password does not unwrap the key: %v", err)
		}
	})

	t.Run("pre-sharing key is adopted", func(t *testing.T) {
		store := newSecretStore()
		old, _ := secret.NewKey()
		v := &vault{store: store, local: old}
		if err := newCompanies(store, v, companiesNow).SetAdminPassword(ctx, "", "administrador-1"); err != nil {
			t.Fatal(err)
		}
		if got, err := secret.UnwrapKey(v.wrapped, "administrador-1"); err != nil || !bytes.Equal(got, old) {
			t.Fatalf("wrapped key is not the workstation's earlier one: %v", err)
		}
	})

	t.Run("another workstation changed it meanwhile", func(t *testing.T) {
		store := newSecretStore()
		v := &vault{store: store, race: true}
		err := newCompanies(store, v, companiesNow).SetAdminPassword(ctx, "", "administrador-1")
		if domain.KindOf(err) != domain.Conflict || store.hash != "" || v.local != nil {
			t.Fatalf("err = %v, hash %q, kept %x; want Conflict and nothing changed", err, store.hash, v.local)
		}
	})
}
