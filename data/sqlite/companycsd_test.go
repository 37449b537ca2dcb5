package sqlite

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

// The rules about a company's secrets (what CSD is accepted, how secrets
// are sealed, the administrator password) are sales.Companies' and are
// tested in domain/sales. These tests check what the store adds: it keeps
// the bytes it is given, the key file beside the database, and — through
// the domain service as the application wires it — that no secret reaches
// the database file in plain text.

// testCSD is one of SAT's test CSDs from the reference pack.
type testCSD struct{ cer, key []byte }

func readTestCSD(t *testing.T, rfc string) testCSD {
	t.Helper()
	return testCSD{testpack.Read(t, "csd", rfc+".cer"), testpack.Read(t, "csd", rfc+".key")}
}

// openAt opens a store in dir whose clock reads now.
func openAt(t *testing.T, dir string, now time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "folio.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func saveCompany(t *testing.T, s *Store, rfc, nombre, regimen string) *sales.Company {
	t.Helper()
	c := &sales.Company{RFC: rfc, Nombre: nombre, RegimenFiscal: regimen, LugarExpedicion: "42501"}
	if err := s.SaveCompany(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

var today = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// companiesOf is the domain service over s, as the application wires it:
// the store keeps the bytes and the key file, the domain decides.
func companiesOf(s *Store) *sales.Companies {
	return &sales.Companies{Store: s, Keys: s, Clock: s.Now,
		Demo: sales.DemoCSD{Certificate: assets.DemoCertificate, Key: assets.DemoKey, Password: assets.DemoKeyPassword}}
}

func TestStoredCompanySecrets(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
	if _, found, err := s.StoredCompanyCSD(ctx, co.ID); err != nil || found {
		t.Fatalf("no CSD yet: found %v, %v", found, err)
	}
	if _, found, err := s.StoredCompanyPAC(ctx, co.ID); err != nil || found {
		t.Fatalf("no PAC yet: found %v, %v", found, err)
	}

	// The CSD comes back byte for byte, its times in UTC seconds; a second
	// one replaces the first.
	for i, tag := range []string{"first", "second"} {
		want := sales.StoredCSD{
			Info: sales.CompanyCSD{CompanyID: co.ID, NoCertificado: "3000100000050000341" + string(rune('6'+i)), RFC: co.RFC,
				Nombre: co.Nombre, NotBefore: time.Date(2023, 5, 18, 11, 43, 51, 0, time.UTC),
				NotAfter: time.Date(2027, 5, 18, 11, 43, 51, 0, time.UTC), UploadedAt: today},
			Certificate: []byte("cer " + tag), KeySealed: []byte("key " + tag), PasswordSealed: []byte("pw " + tag),
		}
		if err := s.PutCompanyCSD(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, found, err := s.StoredCompanyCSD(ctx, co.ID)
		if err != nil || !found || got.Info != want.Info || !bytes.Equal(got.Certificate, want.Certificate) ||
			!bytes.Equal(got.KeySealed, want.KeySealed) || !bytes.Equal(got.PasswordSealed, want.PasswordSealed) {
			t.Errorf("%s CSD = %+v, %v, %v; want %+v", tag, got, found, err, want)
		}
	}

	// A credential given as nil is stored as none, so switching to a token
	// forgets the password.
	if err := s.PutCompanyPAC(ctx, co.ID, sales.StoredPAC{Environment: sales.PACPruebas, User: []byte("u"), Password: []byte("p")}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCompanyPAC(ctx, co.ID, sales.StoredPAC{Environment: sales.PACProduccion, Token: []byte("t")}); err != nil {
		t.Fatal(err)
	}
	p, found, err := s.StoredCompanyPAC(ctx, co.ID)
	if err != nil || !found || p.Environment != sales.PACProduccion || p.User != nil || p.Password != nil || string(p.Token) != "t" {
		t.Errorf("PAC = %+v, %v, %v", p, found, err)
	}
}

func TestSwapAdminPasswordHash(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	if h, err := s.AdminPasswordHash(ctx); err != nil || h != "" {
		t.Fatalf("no hash yet: %q, %v", h, err)
	}
	if ok, err := s.SwapAdminPasswordHash(ctx, "", "h1"); err != nil || !ok {
		t.Fatalf("first set: %v, %v", ok, err)
	}
	// A writer that read an older value loses and changes nothing.
	if ok, err := s.SwapAdminPasswordHash(ctx, "", "h2"); err != nil || ok {
		t.Errorf("stale swap: %v, %v; want refused", ok, err)
	}
	if ok, err := s.SwapAdminPasswordHash(ctx, "h1", "h3"); err != nil || !ok {
		t.Errorf("swap from the current hash: %v, %v", ok, err)
	}
	if h, _ := s.AdminPasswordHash(ctx); h != "h3" {
		t.Errorf("hash = %q, want h3", h)
	}
}

func TestCompanySecretsThroughTheDomain(t *testing.T) {
	ctx := context.Background()
	eku, cac := readTestCSD(t, "EKU9003173C9"), readTestCSD(t, "CACX7605101P8")

	t.Run("each SAT test CSD for its company", func(t *testing.T) {
		s := openAt(t, t.TempDir(), today)
		c := companiesOf(s)
		for _, tc := range []struct {
			rfc, nombre, regimen string
			csd                  testCSD
			noCertificado        string
		}{
			{"EKU9003173C9", "ESCUELA KEMPER URGATE", "601", eku, "30001000000500003416"},
			{"CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612", cac, "30001000000500003316"},
		} {
			co := saveCompany(t, s, tc.rfc, tc.nombre, tc.regimen)
			info, err := c.SaveCompanyCSD(ctx, co.ID, tc.csd.cer, tc.csd.key, "12345678a")
			if err != nil {
				t.Fatalf("%s: %v", tc.rfc, err)
			}
			if info.NoCertificado != tc.noCertificado || info.RFC != tc.rfc || !info.UploadedAt.Equal(today.Truncate(time.Second)) {
				t.Errorf("%s: info = %+v", tc.rfc, info)
			}
			got, err := c.CompanyCSD(ctx, co.ID)
			if err != nil || got != info {
				t.Errorf("%s: CompanyCSD = %+v, %v; want %+v", tc.rfc, got, err, info)
			}
			signer, err := c.CompanySigner(ctx, co.ID)
			if err != nil {
				t.Fatalf("%s: CompanySigner: %v", tc.rfc, err)
			}
			if signer.NoCertificado() != tc.noCertificado {
				t.Errorf("%s: signer NoCertificado = %s", tc.rfc, signer.NoCertificado())
			}
			if _, err := signer.Sign([]byte("||4.0|A|1||")); err != nil {
				t.Errorf("%s: Sign: %v", tc.rfc, err)
			}
		}
	})

	t.Run("the demo company needs no secret file", func(t *testing.T) {
		s := openAt(t, t.TempDir(), today)
		demo := sales.DemoCompany()
		if err := s.SaveCompany(ctx, demo); err != nil {
			t.Fatal(err)
		}
		c := companiesOf(s)
		signer, err := c.CompanySigner(ctx, demo.ID)
		if err != nil || signer.NoCertificado() != "30001000000500003416" {
			t.Fatalf("demo signer = %v, %v", signer, err)
		}
		if info, err := c.CompanyCSD(ctx, demo.ID); err != nil || info.RFC != sales.DemoRFC {
			t.Errorf("demo CompanyCSD = %+v, %v", info, err)
		}
		if _, err := c.SaveCompanyCSD(ctx, demo.ID, eku.cer, eku.key, "12345678a"); domain.KindOf(err) != domain.Invalid {
			t.Errorf("upload to the demo company: err = %v, want Invalid", err)
		}
		p, err := s.CompanyPACSettings(ctx, demo.ID)
		if err != nil || p.Environment != sales.PACLocal {
			t.Errorf("demo PAC = %+v, %v; want the local PAC", p, err)
		}
		if _, err := os.Stat(s.SecretPath()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the demo company needs no secret file, stat err = %v", err)
		}
	})
}

func TestSecretsNotInDatabaseFile(t *testing.T) {
	ctx := context.Background()
	eku := readTestCSD(t, "EKU9003173C9")
	dir := t.TempDir()
	s := openAt(t, dir, today)
	c := companiesOf(s)
	co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
	const csdPassword = "12345678a"
	if _, err := c.SaveCompanyCSD(ctx, co.ID, eku.cer, eku.key, csdPassword); err != nil {
		t.Fatal(err)
	}
	pac := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACPruebas, User: "facturas@kemper.example", Password: "Pac-Contraseña-9f3e", Token: "T2lzYWJlbC5sb25nLWxpdmVkLXRva2Vu"}
	if err := c.SavePACSettings(ctx, co.ID, pac); err != nil {
		t.Fatal(err)
	}
	pac2 := sales.PACSettings{Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: "timbres@kemper-fk.example", Password: "Fk-Contraseña-71ab"}
	if err := c.SaveSecondaryPAC(ctx, co.ID, &sales.PACFailover{Secondary: pac2}); err != nil {
		t.Fatal(err)
	}
	// The store's own CompanyPACSettings opens them through the domain too.
	got, err := s.CompanyPACSettings(ctx, co.ID)
	if err != nil || got != pac {
		t.Fatalf("CompanyPACSettings = %+v, %v; want %+v", got, err, pac)
	}
	const adminPassword = "clave-de-administrador"
	if err := c.SetAdminPassword(ctx, "", adminPassword); err != nil {
		t.Fatal(err)
	}

	// Every byte SQLite wrote: the database file and its WAL.
	var raw []byte
	for _, name := range []string{"folio.db", "folio.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		raw = append(raw, b...)
	}
	// The certificate is public and stored as is: proof that the search
	// below sees what the store writes.
	if !bytes.Contains(raw, eku.cer) {
		t.Fatal("the certificate is not in the database files; the search below would prove nothing")
	}
	for what, secret := range map[string][]byte{
		"CSD password": []byte(csdPassword), ".key file": eku.key, "PAC user": []byte(pac.User),
		"PAC password": []byte(pac.Password), "PAC token": []byte(pac.Token), "administrator password": []byte(adminPassword),
		"secondary PAC user": []byte(pac2.User), "secondary PAC password": []byte(pac2.Password),
	} {
		if bytes.Contains(raw, secret) {
			t.Errorf("the %s is in the database file in plain text", what)
		}
	}

	st, err := os.Stat(s.SecretPath())
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode = %v, want 0600", st.Mode().Perm())
	}
	if filepath.Dir(s.SecretPath()) != dir {
		t.Errorf("secret file %s is not beside the database", s.SecretPath())
	}

	// Widened permissions are narrowed again on the next read.
	if runtime.GOOS != "windows" {
		if err := os.Chmod(s.SecretPath(), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CompanySigner(ctx, co.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(s.SecretPath()); st.Mode().Perm() != 0o600 {
			t.Errorf("after a read the mode is %v, want 0600", st.Mode().Perm())
		}
	}

	// A database copied without its secret file keeps its secrets closed.
	if err := s.Backup(ctx, filepath.Join(dir, "copia", "folio.db")); err != nil {
		t.Fatal(err)
	}
	copied := openAt(t, filepath.Join(dir, "copia"), today)
	if _, err := companiesOf(copied).CompanySigner(ctx, co.ID); domain.KindOf(err) != domain.Invalid {
		t.Errorf("CompanySigner without the secret file: err = %v, want Invalid", err)
	}
	// With another installation's secret file it does not open either.
	if _, err := copied.SecretBox(true); err != nil {
		t.Fatal(err)
	}
	_, err = copied.CompanyPACSettings(ctx, co.ID)
	if domain.KindOf(err) != domain.Invalid {
		t.Errorf("CompanyPACSettings with another key: err = %v, want Invalid", err)
	}
	// The administrator password survives the copy: only its hash is kept.
	if err := companiesOf(copied).CheckAdminPassword(ctx, adminPassword); err != nil {
		t.Errorf("administrator password in the copy: %v", err)
	}
	// A PAC's own services URL is kept with the account.
	own := sales.PACSettings{Environment: sales.PACPruebas, User: "u", Password: "p", URL: "http://127.0.0.1:8089/"}
	if err := companiesOf(s).SavePACSettings(ctx, co.ID, own); err != nil {
		t.Fatal(err)
	}
	got, err = s.CompanyPACSettings(ctx, co.ID)
	if want := (sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACPruebas, User: "u", Password: "p", URL: "http://127.0.0.1:8089"}); err != nil || got != want {
		t.Errorf("settings with URL = %+v, %v; want %+v", got, err, want)
	}
	err = companiesOf(s).SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, Token: "t", URL: "http://pac.example.mx"})
	if f := sales.FieldErrors(err); f["URL"] == "" {
		t.Errorf("remote http URL: err = %v, want a URL problem", err)
	}
}

func TestCompanyLogo(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	co := saveCompany(t, s, "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612")
	if logo, err := s.CompanyLogo(ctx, co.ID); err != nil || logo != nil {
		t.Fatalf("no logo yet: %v, %v", logo, err)
	}
	// A 16-bit PNG is re-encoded to 8 bits by print.NormalizeLogo.
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA64(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	stored, err := s.SaveCompanyLogo(ctx, co.ID, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(stored, buf.Bytes()) {
		t.Error("the 16-bit PNG was stored without normalising")
	}
	if got, err := s.CompanyLogo(ctx, co.ID); err != nil || !bytes.Equal(got, stored) {
		t.Errorf("CompanyLogo = %d bytes, %v", len(got), err)
	}
	if _, err := s.SaveCompanyLogo(ctx, co.ID, []byte("GIF89a")); domain.KindOf(err) != domain.Invalid {
		t.Errorf("a GIF: err = %v, want Invalid", err)
	}
	if _, err := s.SaveCompanyLogo(ctx, co.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.CompanyLogo(ctx, co.ID); got != nil {
		t.Error("the logo was not removed")
	}
}

func TestStoredCompanySecondaryPAC(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
	if _, found, err := s.StoredCompanySecondaryPAC(ctx, co.ID); err != nil || found {
		t.Fatalf("no secondary yet: found %v, %v", found, err)
	}
	// The primary keeps its vendor; an old row (before 0055) reads as SW.
	if err := s.PutCompanyPAC(ctx, co.ID, sales.StoredPAC{Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: []byte("u"), Password: []byte("p")}); err != nil {
		t.Fatal(err)
	}
	if p, _, err := s.StoredCompanyPAC(ctx, co.ID); err != nil || p.Vendor != sales.PACFinkok {
		t.Errorf("primary vendor = %q, %v; want finkok", p.Vendor, err)
	}
	want := sales.StoredSecondaryPAC{StoredPAC: sales.StoredPAC{Vendor: sales.PACFinkok, Environment: sales.PACProduccion,
		URL: "https://facturacion.finkok.com", User: []byte("u2"), Password: []byte("p2")}, AfterMinutes: 7}
	if err := s.PutCompanySecondaryPAC(ctx, co.ID, &want); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.StoredCompanySecondaryPAC(ctx, co.ID)
	if err != nil || !found || got.Vendor != want.Vendor || got.Environment != want.Environment || got.URL != want.URL ||
		string(got.User) != "u2" || string(got.Password) != "p2" || got.Token != nil || got.AfterMinutes != 7 {
		t.Errorf("secondary = %+v, %v, %v; want %+v", got, found, err, want)
	}
	// The schema refuses what the domain never stores: the local PAC as a
	// secondary, a threshold out of range.
	bad := want
	bad.Environment = sales.PACLocal
	if err := s.PutCompanySecondaryPAC(ctx, co.ID, &bad); err == nil {
		t.Error("local PAC stored as secondary")
	}
	bad = want
	bad.AfterMinutes = 0
	if err := s.PutCompanySecondaryPAC(ctx, co.ID, &bad); err == nil {
		t.Error("threshold 0 stored")
	}
	if err := s.PutCompanySecondaryPAC(ctx, co.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.StoredCompanySecondaryPAC(ctx, co.ID); err != nil || found {
		t.Errorf("after removing: found %v, %v", found, err)
	}
}
