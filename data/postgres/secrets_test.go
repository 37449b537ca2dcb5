package postgres_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
	"github.com/folio-mx/folio/internal/wire"
)

// workstation is one computer of the office: its own store handle on the
// shared database, its own key folder and pre-sharing key file, no
// keychain.
type workstation struct {
	store   *postgres.Store
	keyDir  string
	oldFile string
	co      *sales.Companies
}

func newWorkstation(t *testing.T, dsn string) *workstation {
	t.Helper()
	w := &workstation{keyDir: t.TempDir(), oldFile: filepath.Join(t.TempDir(), "old.secret")}
	s, err := postgres.Open(context.Background(), dsn, postgres.Options{SecretPath: w.oldFile, KeyDir: w.keyDir, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w.store, w.co = s, wire.NewCompanies(s)
	return w
}

// keyFiles lists the files in the workstation's key folder.
func (w *workstation) keyFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(w.keyDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, filepath.Join(w.keyDir, e.Name()))
	}
	return out
}

// ownCompany stores a real (not demo) company whose RFC is that of SAT's
// test CSD, so the CSD can be uploaded to it.
func ownCompany(t *testing.T, s *postgres.Store) *sales.Company {
	t.Helper()
	co := sales.DemoCompany()
	co.Demo = false
	if err := s.SaveCompany(context.Background(), co); err != nil {
		t.Fatal(err)
	}
	return co
}

// TestSecretsAcrossWorkstations is issue 17's sharing of secrets: a CSD
// and a PAC account stored on workstation A open on workstation B once B
// is unlocked with the administrator password; a wrong password unlocks
// nothing; a new password rewraps the key (the old one no longer unlocks a
// third workstation, the new one does, and B keeps working); the database
// never holds a secret in plain text.
func TestSecretsAcrossWorkstations(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	a, b := newWorkstation(t, dsn), newWorkstation(t, dsn)
	co := ownCompany(t, a.store)
	const (
		adminPw  = "administrador-uno"
		adminPw2 = "administrador-dos"
		pacPw    = "pac-secreto-Q7x"
		pacToken = "token-del-pac-9f8e7d6c5b4a"
	)

	// Given no administrator password, a secret is refused: it could not
	// be shared.
	_, err := a.co.SaveCompanyCSD(ctx, co.ID, assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword)
	if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "contraseña de administrador") {
		t.Fatalf("CSD before an administrator password: err = %v, want Invalid asking for it", err)
	}
	if _, found, _ := a.store.StoredCompanyCSD(ctx, co.ID); found {
		t.Fatal("the refused CSD was stored")
	}

	// When A sets the password and stores the CSD and the PAC account…
	if err := a.co.SetAdminPassword(ctx, "", adminPw); err != nil {
		t.Fatal(err)
	}
	if _, err := a.co.SaveCompanyCSD(ctx, co.ID, assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword); err != nil {
		t.Fatal(err)
	}
	if err := a.co.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "admin@empresa.mx", Password: pacPw}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.co.CompanySigner(ctx, co.ID); err != nil {
		t.Fatalf("A opens its own CSD: %v", err)
	}

	// …B cannot open them until it is unlocked.
	if locked, err := b.co.Locked(ctx); !locked || err != nil {
		t.Fatalf("B Locked = %v, %v; want true", locked, err)
	}
	_, err = b.co.CompanySigner(ctx, co.ID)
	if !errors.Is(err, secret.ErrLocked) || domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "Desbloquéela") {
		t.Fatalf("B CompanySigner before unlocking: %v", err)
	}

	// A wrong password is refused in Spanish and unwraps nothing.
	for _, pw := range []string{"", "administrador-Uno", adminPw + " "} {
		where, err := b.co.Unlock(ctx, pw)
		if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) != "La contraseña de administrador no es correcta." || where != "" {
			t.Errorf("Unlock(%q) = %q, %v; want Invalid «La contraseña de administrador no es correcta.»", pw, where, err)
		}
	}
	if files := b.keyFiles(t); len(files) != 0 {
		t.Fatalf("a refused unlock left key files: %v", files)
	}
	if locked, _ := b.co.Locked(ctx); !locked {
		t.Fatal("B unlocked by a wrong password")
	}

	// The right password unlocks B: the key goes to a 0600 file (no keychain here).
	where, err := b.co.Unlock(ctx, adminPw)
	if err != nil {
		t.Fatal(err)
	}
	id, err := b.store.DatabaseID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(b.keyDir, id); where != want {
		t.Errorf("Unlock kept the key in %q, want %q", where, want)
	}
	if st, err := os.Stat(where); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Errorf("key file: %v, %v; want mode 0600", st, err)
	}
	signer, err := b.co.CompanySigner(ctx, co.ID)
	if err != nil {
		t.Fatalf("B opens the CSD sealed on A: %v", err)
	}
	if signer.Certificate().RFC != co.RFC {
		t.Errorf("B's signer is for %s", signer.Certificate().RFC)
	}
	pac, err := b.co.CompanyPACSettings(ctx, co.ID)
	if err != nil || pac.Password != pacPw {
		t.Fatalf("B reads the PAC password sealed on A: %q, %v", pac.Password, err)
	}
	// B's secrets open on A too.
	if err := b.co.SaveSecondaryPAC(ctx, co.ID, &sales.PACFailover{Secondary: sales.PACSettings{Environment: sales.PACPruebas, Token: pacToken}, AfterMinutes: 5}); err != nil {
		t.Fatal(err)
	}
	if f, err := a.co.CompanySecondaryPAC(ctx, co.ID); err != nil || f == nil || f.Secondary.Token != pacToken {
		t.Fatalf("A reads the token sealed on B: %+v, %v", f, err)
	}

	// Changing the password rewraps the same key.
	before, _ := a.store.WrappedKey(ctx)
	if err := b.co.SetAdminPassword(ctx, adminPw, adminPw2); err != nil {
		t.Fatal(err)
	}
	after, _ := a.store.WrappedKey(ctx)
	idBefore, _ := secret.WrappedKeyID(before)
	idAfter, _ := secret.WrappedKeyID(after)
	if before == after || idBefore != idAfter {
		t.Fatalf("rewrap: wrapped changed %v, key id %s → %s; want new wrapping of the same key", before != after, idBefore, idAfter)
	}
	c := newWorkstation(t, dsn)
	if _, err := c.co.Unlock(ctx, adminPw); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("the old password still unlocks: %v", err)
	}
	if _, err := c.co.Unlock(ctx, adminPw2); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]*workstation{"A": a, "B": b, "C": c} {
		if _, err := w.co.CompanySigner(ctx, co.ID); err != nil {
			t.Errorf("%s after the rewrap: %v", name, err)
		}
	}
	if err := a.co.CheckAdminPassword(ctx, adminPw2); err != nil {
		t.Errorf("the new password is not the administrator's: %v", err)
	}

	// Nothing secret rests in the database in plain text.
	key, err := a.store.LocalKey(ctx)
	if err != nil || len(key) != secret.KeySize {
		t.Fatalf("LocalKey = %d bytes, %v", len(key), err)
	}
	assertNoPlaintext(t, dsn, map[string][]byte{
		"CSD password": []byte(assets.DemoKeyPassword), ".key file (a slice)": assets.DemoKey[40:72],
		"PAC password": []byte(pacPw), "PAC token": []byte(pacToken),
		"administrator password": []byte(adminPw), "new administrator password": []byte(adminPw2),
		"data key": key, "data key in base64": []byte(base64.StdEncoding.EncodeToString(key)),
		"data key in hex": []byte(strings.ToLower(strings.TrimSpace(hexOf(key)))),
	})
}

// TestSecretsAdoptPreSharingKey: on a database set up before keys were
// shared, the workstation that sealed the secrets with its own key file
// keeps opening them, and setting the administrator password adopts that
// key, so the other workstations open them after unlocking.
func TestSecretsAdoptPreSharingKey(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	a, b := newWorkstation(t, dsn), newWorkstation(t, dsn)
	old, _ := secret.NewKey()
	if err := os.WriteFile(a.oldFile, []byte("folio-secret-v1\n"+base64.StdEncoding.EncodeToString(old)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	co := ownCompany(t, a.store)
	if err := a.co.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "u", Password: "viejo-secreto"}); err != nil {
		t.Fatalf("A with its old key file: %v", err)
	}
	if _, err := b.co.CompanyPACSettings(ctx, co.ID); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("B without the old key: %v, want Invalid", err)
	}
	if err := a.co.SetAdminPassword(ctx, "", "administrador-uno"); err != nil {
		t.Fatal(err)
	}
	if w, _ := a.store.WrappedKey(ctx); !strings.Contains(w, "$"+secret.KeyID(old)+"$") {
		t.Fatalf("the wrapped key is not A's old key: %s", w)
	}
	if _, err := b.co.Unlock(ctx, "administrador-uno"); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]*workstation{"A": a, "B": b} {
		if p, err := w.co.CompanyPACSettings(ctx, co.ID); err != nil || p.Password != "viejo-secreto" {
			t.Errorf("%s: PAC password %q, %v", name, p.Password, err)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// assertNoPlaintext scans every text, bytea and json column of every
// table of the database for each secret's bytes.
func assertNoPlaintext(t *testing.T, dsn string, secrets map[string][]byte) {
	t.Helper()
	db := rawDB(t, dsn)
	rows, err := db.Query(`SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'bytea', 'character varying', 'json', 'jsonb')`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, name, typ string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.name, &c.typ); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 20 {
		t.Fatalf("only %d columns to scan", len(cols))
	}
	scanned := 0
	for _, c := range cols {
		expr := `convert_to(` + quoteIdent(c.name) + `::text, 'UTF8')`
		if c.typ == "bytea" {
			expr = quoteIdent(c.name)
		}
		for what, s := range secrets {
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM `+quoteIdent(c.table)+` WHERE position($1::bytea IN `+expr+`) > 0`, s).Scan(&n); err != nil {
				t.Fatalf("scan %s.%s: %v", c.table, c.name, err)
			}
			if n > 0 {
				t.Errorf("%s.%s holds the %s in plain text", c.table, c.name, what)
			}
		}
		scanned++
	}
	t.Logf("scanned %d columns for %d secrets", scanned, len(secrets))
	// The scan finds what it looks for: the certificate (public) is there.
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM company_csd WHERE position($1::bytea IN cer_der) > 0`, bytes.Clone(assets.DemoCertificate[100:140])).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the scan does not see the stored certificate: %d, %v", n, err)
	}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
