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

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

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

func TestSaveCompanyCSD(t *testing.T) {
	ctx := context.Background()
	eku, cac := readTestCSD(t, "EKU9003173C9"), readTestCSD(t, "CACX7605101P8")

	t.Run("each SAT test CSD for its company", func(t *testing.T) {
		s := openAt(t, t.TempDir(), today)
		for _, tc := range []struct {
			rfc, nombre, regimen string
			csd                  testCSD
			noCertificado        string
		}{
			{"EKU9003173C9", "ESCUELA KEMPER URGATE", "601", eku, "30001000000500003416"},
			{"CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612", cac, "30001000000500003316"},
		} {
			co := saveCompany(t, s, tc.rfc, tc.nombre, tc.regimen)
			info, err := s.SaveCompanyCSD(ctx, co.ID, tc.csd.cer, tc.csd.key, "12345678a")
			if err != nil {
				t.Fatalf("%s: %v", tc.rfc, err)
			}
			if info.NoCertificado != tc.noCertificado || info.RFC != tc.rfc || !info.UploadedAt.Equal(today.Truncate(time.Second)) {
				t.Errorf("%s: info = %+v", tc.rfc, info)
			}
			got, err := s.CompanyCSD(ctx, co.ID)
			if err != nil || got != info {
				t.Errorf("%s: CompanyCSD = %+v, %v; want %+v", tc.rfc, got, err, info)
			}
			signer, err := s.CompanySigner(ctx, co.ID)
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

	t.Run("refusals have distinct Spanish messages", func(t *testing.T) {
		dir := t.TempDir()
		s := openAt(t, dir, today)
		co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
		later := openAt(t, t.TempDir(), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
		coLater := saveCompany(t, later, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
		other := saveCompany(t, s, "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612")
		tests := []struct {
			name     string
			s        *Store
			id       int64
			cer, key []byte
			password string
			cause    error
		}{
			{"RFC mismatch", s, other.ID, eku.cer, eku.key, "12345678a", sales.ErrCSDOtherRFC},
			{"wrong password", s, co.ID, eku.cer, eku.key, "87654321a", csd.ErrWrongPassword},
			{"key of the other certificate", s, co.ID, eku.cer, cac.key, "12345678a", csd.ErrKeyMismatch},
			{"expired", later, coLater.ID, eku.cer, eku.key, "12345678a", csd.ErrExpired},
		}
		msgs := map[string]string{}
		for _, tt := range tests {
			_, err := tt.s.SaveCompanyCSD(ctx, tt.id, tt.cer, tt.key, tt.password)
			if !errors.Is(err, tt.cause) || domain.KindOf(err) != domain.Invalid {
				t.Errorf("%s: err = %v, want Invalid wrapping %v", tt.name, err, tt.cause)
				continue
			}
			msg := domain.UserMessage(err)
			if prev, dup := msgs[msg]; dup {
				t.Errorf("%s and %s share the message %q", tt.name, prev, msg)
			}
			msgs[msg] = tt.name
		}
		if _, err := s.CompanyCSD(ctx, co.ID); domain.KindOf(err) != domain.NotFound {
			t.Errorf("a refused CSD was stored: CompanyCSD err = %v", err)
		}
		if _, err := s.CompanySigner(ctx, co.ID); domain.KindOf(err) != domain.NotFound {
			t.Errorf("CompanySigner without a CSD: err = %v, want NotFound", err)
		}
	})

	t.Run("demo company uses the embedded CSD", func(t *testing.T) {
		s := openAt(t, t.TempDir(), today)
		demo := sales.DemoCompany()
		if err := s.SaveCompany(ctx, demo); err != nil {
			t.Fatal(err)
		}
		signer, err := s.CompanySigner(ctx, demo.ID)
		if err != nil || signer.NoCertificado() != "30001000000500003416" {
			t.Fatalf("demo signer = %v, %v", signer, err)
		}
		if info, err := s.CompanyCSD(ctx, demo.ID); err != nil || info.RFC != sales.DemoRFC {
			t.Errorf("demo CompanyCSD = %+v, %v", info, err)
		}
		if _, err := s.SaveCompanyCSD(ctx, demo.ID, eku.cer, eku.key, "12345678a"); domain.KindOf(err) != domain.Invalid {
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
	co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601")
	const csdPassword = "12345678a"
	if _, err := s.SaveCompanyCSD(ctx, co.ID, eku.cer, eku.key, csdPassword); err != nil {
		t.Fatal(err)
	}
	pac := sales.PACSettings{Environment: sales.PACPruebas, User: "facturas@kemper.example", Password: "Pac-Contraseña-9f3e", Token: "T2lzYWJlbC5sb25nLWxpdmVkLXRva2Vu"}
	if err := s.SavePACSettings(ctx, co.ID, pac); err != nil {
		t.Fatal(err)
	}
	got, err := s.CompanyPACSettings(ctx, co.ID)
	if err != nil || got != pac {
		t.Fatalf("CompanyPACSettings = %+v, %v; want %+v", got, err, pac)
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
		"PAC password": []byte(pac.Password), "PAC token": []byte(pac.Token),
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
		if _, err := s.CompanySigner(ctx, co.ID); err != nil {
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
	if _, err := copied.CompanySigner(ctx, co.ID); domain.KindOf(err) != domain.Invalid {
		t.Errorf("CompanySigner without the secret file: err = %v, want Invalid", err)
	}
	// With another installation's secret file it does not open either.
	if _, err := copied.secretBox(true); err != nil {
		t.Fatal(err)
	}
	_, err = copied.CompanyPACSettings(ctx, co.ID)
	if domain.KindOf(err) != domain.Invalid {
		t.Errorf("CompanyPACSettings with another key: err = %v, want Invalid", err)
	}
}

func TestPACSettingsRules(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	co := saveCompany(t, s, "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612")
	if _, err := s.CompanyPACSettings(ctx, co.ID); domain.KindOf(err) != domain.NotFound {
		t.Errorf("no settings: err = %v, want NotFound", err)
	}
	if err := s.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACLocal}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("local PAC for a real company: err = %v, want Invalid", err)
	}
	err := s.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACProduccion, User: "u"})
	if f := sales.FieldErrors(err); f["Password"] == "" {
		t.Errorf("user without password: err = %v", err)
	}
	// Changing from user/password to a token clears the password.
	if err := s.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "u", Password: "p"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACProduccion, Token: " tok "}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CompanyPACSettings(ctx, co.ID)
	if want := (sales.PACSettings{Environment: sales.PACProduccion, Token: "tok"}); err != nil || got != want {
		t.Errorf("settings = %+v, %v; want %+v", got, err, want)
	}
	// A PAC's own services URL is kept with the account.
	own := sales.PACSettings{Environment: sales.PACPruebas, User: "u", Password: "p", URL: "http://127.0.0.1:8089/"}
	if err := s.SavePACSettings(ctx, co.ID, own); err != nil {
		t.Fatal(err)
	}
	got, err = s.CompanyPACSettings(ctx, co.ID)
	if want := (sales.PACSettings{Environment: sales.PACPruebas, User: "u", Password: "p", URL: "http://127.0.0.1:8089"}); err != nil || got != want {
		t.Errorf("settings with URL = %+v, %v; want %+v", got, err, want)
	}
	err = s.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, Token: "t", URL: "http://pac.example.mx"})
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

func TestAdminPassword(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	if has, err := s.HasAdminPassword(ctx); err != nil || has {
		t.Fatalf("HasAdminPassword = %v, %v", has, err)
	}
	if err := s.CheckAdminPassword(ctx, "x"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("check without password: err = %v, want NotFound", err)
	}
	if err := s.SetAdminPassword(ctx, "", "corta"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("short password: err = %v, want Invalid", err)
	}
	if err := s.SetAdminPassword(ctx, "", "primera-clave"); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAdminPassword(ctx, "primera-clave"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := s.CheckAdminPassword(ctx, "Primera-clave"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("wrong password: err = %v, want Invalid", err)
	}
	if err := s.SetAdminPassword(ctx, "otra-cosa", "segunda-clave"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("change without the current password: err = %v, want Invalid", err)
	}
	if err := s.SetAdminPassword(ctx, "primera-clave", "segunda-clave"); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAdminPassword(ctx, "segunda-clave"); err != nil {
		t.Errorf("new password: %v", err)
	}
	raw, _ := os.ReadFile(s.Path() + "-wal")
	db, _ := os.ReadFile(s.Path())
	if bytes.Contains(append(db, raw...), []byte("segunda-clave")) {
		t.Error("the administrator password is in the database file in plain text")
	}
}
