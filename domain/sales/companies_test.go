package sales

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/secret"
	"github.com/folio-mx/folio/internal/testpack"
)

// secretStore is an in-memory CompanySecretStore: it keeps bytes, as a
// real store does, so the tests can look at exactly what would be written.
type secretStore struct {
	mu        sync.Mutex
	companies map[int64]*Company
	csds      map[int64]StoredCSD
	pacs      map[int64]StoredPAC
	pacs2     map[int64]StoredSecondaryPAC
	hash      string
	// swapRace, when set, changes the hash just before a swap, as another
	// window would.
	swapRace string
}

func newSecretStore(companies ...*Company) *secretStore {
	s := &secretStore{companies: map[int64]*Company{}, csds: map[int64]StoredCSD{}, pacs: map[int64]StoredPAC{}}
	for _, c := range companies {
		s.companies[c.ID] = c
	}
	return s
}

func (s *secretStore) FindCompany(_ context.Context, id int64) (*Company, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.companies[id]
	if !ok {
		return nil, domain.E(domain.NotFound, "fake.FindCompany", "La empresa no existe.", nil)
	}
	cp := *c
	return &cp, nil
}

func (s *secretStore) PutCompanyCSD(_ context.Context, c StoredCSD) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.csds[c.Info.CompanyID] = c
	return nil
}

func (s *secretStore) StoredCompanyCSD(_ context.Context, id int64) (StoredCSD, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.csds[id]
	return c, ok, nil
}

func (s *secretStore) PutCompanyPAC(_ context.Context, id int64, p StoredPAC) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pacs[id] = p
	return nil
}

func (s *secretStore) StoredCompanyPAC(_ context.Context, id int64) (StoredPAC, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pacs[id]
	return p, ok, nil
}

func (s *secretStore) PutCompanySecondaryPAC(_ context.Context, id int64, p *StoredSecondaryPAC) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pacs2 == nil {
		s.pacs2 = map[int64]StoredSecondaryPAC{}
	}
	if p == nil {
		delete(s.pacs2, id)
		return nil
	}
	s.pacs2[id] = *p
	return nil
}

func (s *secretStore) StoredCompanySecondaryPAC(_ context.Context, id int64) (StoredSecondaryPAC, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pacs2[id]
	return p, ok, nil
}

func (s *secretStore) AdminPasswordHash(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hash, nil
}

func (s *secretStore) SwapAdminPasswordHash(_ context.Context, old, next string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.swapRace != "" {
		s.hash = s.swapRace
	}
	if s.hash != old {
		return false, nil
	}
	s.hash = next
	return true, nil
}

// everything returns every byte the store keeps.
func (s *secretStore) everything() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b []byte
	for _, c := range s.csds {
		b = append(append(append(b, c.Certificate...), c.KeySealed...), c.PasswordSealed...)
	}
	for _, p := range s.pacs {
		b = append(append(append(b, p.User...), p.Password...), p.Token...)
	}
	for _, p := range s.pacs2 {
		b = append(append(append(b, p.User...), p.Password...), p.Token...)
	}
	return append(b, s.hash...)
}

// keyFile is a SecretKeys with an installation key made on first use.
type keyFile struct {
	mu  sync.Mutex
	box *secret.Box
}

func (k *keyFile) SecretBox(create bool) (*secret.Box, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.box == nil && create {
		key, err := secret.NewKey()
		if err != nil {
			return nil, err
		}
		if k.box, err = secret.NewBox(key); err != nil {
			return nil, err
		}
	}
	if k.box == nil {
		return nil, domain.E(domain.Invalid, "fake.SecretBox", "Falta el archivo de claves.", errors.New("no key"))
	}
	return k.box, nil
}

var companiesNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func demoCSD() DemoCSD {
	return DemoCSD{Certificate: assets.DemoCertificate, Key: assets.DemoKey, Password: assets.DemoKeyPassword}
}

func newCompanies(store *secretStore, keys SecretKeys, now time.Time) *Companies {
	return &Companies{Store: store, Keys: keys, Demo: demoCSD(), Clock: func() time.Time { return now }}
}

type satCSD struct{ cer, key []byte }

func readSATCSD(t *testing.T, rfc string) satCSD {
	t.Helper()
	return satCSD{testpack.Read(t, "csd", rfc+".cer"), testpack.Read(t, "csd", rfc+".key")}
}

func ekuCompany(id int64) *Company {
	return &Company{ID: id, RFC: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601", LugarExpedicion: "42501"}
}

func cacxCompany(id int64) *Company {
	return &Company{ID: id, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "42501"}
}

func TestCompaniesCSD(t *testing.T) {
	ctx := context.Background()
	eku, cac := readSATCSD(t, "EKU9003173C9"), readSATCSD(t, "CACX7605101P8")

	t.Run("each SAT test CSD for its company", func(t *testing.T) {
		store, keys := newSecretStore(ekuCompany(1), cacxCompany(2)), &keyFile{}
		s := newCompanies(store, keys, companiesNow)
		for _, tc := range []struct {
			id            int64
			csd           satCSD
			noCertificado string
		}{{1, eku, "30001000000500003416"}, {2, cac, "30001000000500003316"}} {
			info, err := s.SaveCompanyCSD(ctx, tc.id, tc.csd.cer, tc.csd.key, "12345678a")
			if err != nil {
				t.Fatalf("company %d: %v", tc.id, err)
			}
			if info.NoCertificado != tc.noCertificado || info.CompanyID != tc.id || !info.UploadedAt.Equal(companiesNow) {
				t.Errorf("company %d: info = %+v", tc.id, info)
			}
			if got, err := s.CompanyCSD(ctx, tc.id); err != nil || got != info {
				t.Errorf("company %d: CompanyCSD = %+v, %v; want %+v", tc.id, got, err, info)
			}
			signer, err := s.CompanySigner(ctx, tc.id)
			if err != nil {
				t.Fatalf("company %d: CompanySigner: %v", tc.id, err)
			}
			if signer.NoCertificado() != tc.noCertificado {
				t.Errorf("company %d: signer NoCertificado = %s", tc.id, signer.NoCertificado())
			}
			if _, err := signer.Sign([]byte("||4.0|A|1||")); err != nil {
				t.Errorf("company %d: Sign: %v", tc.id, err)
			}
		}
		// What the store keeps: the certificate as given, never the key or
		// its password in plain text.
		raw := store.everything()
		if !bytes.Contains(raw, eku.cer) {
			t.Fatal("the certificate is not kept; the search below would prove nothing")
		}
		if bytes.Contains(raw, eku.key) || bytes.Contains(raw, cac.key) || bytes.Contains(raw, []byte("12345678a")) {
			t.Error("a key or its password is kept in plain text")
		}
	})

	t.Run("refusals have distinct Spanish messages and store nothing", func(t *testing.T) {
		store := newSecretStore(ekuCompany(1), cacxCompany(2))
		s := newCompanies(store, &keyFile{}, companiesNow)
		later := newCompanies(store, &keyFile{}, time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
		tests := []struct {
			name     string
			s        *Companies
			id       int64
			cer, key []byte
			password string
			cause    error
		}{
			{"RFC mismatch", s, 2, eku.cer, eku.key, "12345678a", ErrCSDOtherRFC},
			{"wrong password", s, 1, eku.cer, eku.key, "87654321a", csd.ErrWrongPassword},
			{"key of the other certificate", s, 1, eku.cer, cac.key, "12345678a", csd.ErrKeyMismatch},
			{"expired", later, 1, eku.cer, eku.key, "12345678a", csd.ErrExpired},
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
		if len(store.csds) != 0 {
			t.Errorf("a refused CSD was stored: %d", len(store.csds))
		}
		want := "La empresa EKU9003173C9 no tiene CSD. Cargue su certificado (.cer), su llave privada (.key) y la contraseña en Empresa › CSD."
		if _, err := s.CompanyCSD(ctx, 1); domain.KindOf(err) != domain.NotFound || domain.UserMessage(err) != want {
			t.Errorf("CompanyCSD without one: %v", err)
		}
		if _, err := s.CompanySigner(ctx, 1); domain.KindOf(err) != domain.NotFound || domain.UserMessage(err) != want {
			t.Errorf("CompanySigner without one: %v", err)
		}
		if _, err := s.CompanySigner(ctx, 9); domain.KindOf(err) != domain.NotFound {
			t.Errorf("unknown company: %v", err)
		}
	})

	t.Run("the demo company uses the CSD it is given", func(t *testing.T) {
		demo := DemoCompany()
		demo.ID = 5
		keys := &keyFile{}
		s := newCompanies(newSecretStore(demo), keys, companiesNow)
		signer, err := s.CompanySigner(ctx, 5)
		if err != nil || signer.NoCertificado() != "30001000000500003416" {
			t.Fatalf("demo signer = %v, %v", signer, err)
		}
		if info, err := s.CompanyCSD(ctx, 5); err != nil || info.RFC != DemoRFC || !info.UploadedAt.IsZero() {
			t.Errorf("demo CompanyCSD = %+v, %v", info, err)
		}
		_, err = s.SaveCompanyCSD(ctx, 5, eku.cer, eku.key, "12345678a")
		if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "La empresa de demostración usa el CSD de prueba") {
			t.Errorf("upload to the demo company: err = %v", err)
		}
		if p, err := s.CompanyPACSettings(ctx, 5); err != nil || p != (PACSettings{Environment: PACLocal}) {
			t.Errorf("demo PAC = %+v, %v; want the local PAC", p, err)
		}
		if keys.box != nil {
			t.Error("the demo company made an installation key; it needs none")
		}
		// Wired without the demo CSD, it says so instead of failing oddly.
		s.Demo = DemoCSD{}
		if _, err := s.CompanySigner(ctx, 5); domain.KindOf(err) != domain.Internal {
			t.Errorf("no demo CSD: err = %v, want Internal", err)
		}
	})
}

// TestCompaniesSealContexts pins where each secret is sealed: every stored
// database holds values sealed for these contexts, so changing one would
// make them unreadable.
func TestCompaniesSealContexts(t *testing.T) {
	ctx := context.Background()
	eku := readSATCSD(t, "EKU9003173C9")
	store, keys := newSecretStore(ekuCompany(7)), &keyFile{}
	s := newCompanies(store, keys, companiesNow)
	if _, err := s.SaveCompanyCSD(ctx, 7, eku.cer, eku.key, "12345678a"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePACSettings(ctx, 7, PACSettings{Environment: PACPruebas, User: "u", Password: "p", Token: "t"}); err != nil {
		t.Fatal(err)
	}
	c, p := store.csds[7], store.pacs[7]
	for _, tc := range []struct {
		sealed  []byte
		context string
		want    []byte
	}{
		{c.KeySealed, "folio/company/7/csd-key", eku.key},
		{c.PasswordSealed, "folio/company/7/csd-password", []byte("12345678a")},
		{p.User, "folio/company/7/pac-user", []byte("u")},
		{p.Password, "folio/company/7/pac-password", []byte("p")},
		{p.Token, "folio/company/7/pac-token", []byte("t")},
	} {
		got, err := keys.box.Open(tc.sealed, tc.context)
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: %q, %v", tc.context, got, err)
		}
	}
}

func TestCompaniesUnreadableSecrets(t *testing.T) {
	ctx := context.Background()
	eku := readSATCSD(t, "EKU9003173C9")
	store := newSecretStore(ekuCompany(1))
	s := newCompanies(store, &keyFile{}, companiesNow)
	if _, err := s.SaveCompanyCSD(ctx, 1, eku.cer, eku.key, "12345678a"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePACSettings(ctx, 1, PACSettings{Environment: PACProduccion, User: "u", Password: "p"}); err != nil {
		t.Fatal(err)
	}

	// The same bytes under another installation's key do not open.
	other := &keyFile{}
	if _, err := other.SecretBox(true); err != nil {
		t.Fatal(err)
	}
	moved := newCompanies(store, other, companiesNow)
	_, err := moved.CompanySigner(ctx, 1)
	if domain.KindOf(err) != domain.Invalid || !errors.Is(err, secret.ErrOpen) ||
		!strings.HasPrefix(domain.UserMessage(err), "No se pueden leer la llave y la contraseña del CSD guardados") {
		t.Errorf("CompanySigner with another key: %v", err)
	}
	_, err = moved.CompanyPACSettings(ctx, 1)
	if domain.KindOf(err) != domain.Invalid || !strings.HasPrefix(domain.UserMessage(err), "No se pueden leer el usuario y la contraseña del PAC") {
		t.Errorf("CompanyPACSettings with another key: %v", err)
	}
	// Without any key, the key keeper's own error says why.
	_, err = newCompanies(store, &keyFile{}, companiesNow).CompanySigner(ctx, 1)
	if domain.UserMessage(err) != "Falta el archivo de claves." {
		t.Errorf("CompanySigner without a key: %v", err)
	}

	// A company whose RFC no longer matches its stored certificate.
	store.companies[1].RFC = "CACX7605101P8"
	if _, err := s.CompanySigner(ctx, 1); !errors.Is(err, ErrCSDOtherRFC) {
		t.Errorf("RFC changed after the upload: %v", err)
	}
}

func TestCompaniesPACSettings(t *testing.T) {
	ctx := context.Background()
	store := newSecretStore(cacxCompany(1))
	s := newCompanies(store, &keyFile{}, companiesNow)
	_, err := s.CompanyPACSettings(ctx, 1)
	if domain.KindOf(err) != domain.NotFound || domain.UserMessage(err) != "La empresa CACX7605101P8 no tiene cuenta de PAC. Configúrela en Empresa › PAC." {
		t.Errorf("no settings: err = %v", err)
	}
	if err := s.SavePACSettings(ctx, 1, PACSettings{Environment: PACLocal}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("local PAC for a real company: err = %v, want Invalid", err)
	}
	err = s.SavePACSettings(ctx, 1, PACSettings{Environment: PACProduccion, User: "u"})
	if f := FieldErrors(err); f["Password"] == "" {
		t.Errorf("user without password: err = %v", err)
	}
	if len(store.pacs) != 0 {
		t.Fatal("refused settings were stored")
	}
	full := PACSettings{Vendor: PACSW, Environment: PACPruebas, User: "facturas@kemper.example", Password: "Pac-Contraseña-9f3e", Token: "T2lzYWJlbC5sb25n"}
	if err := s.SavePACSettings(ctx, 1, full); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CompanyPACSettings(ctx, 1); err != nil || got != full {
		t.Errorf("CompanyPACSettings = %+v, %v; want %+v", got, err, full)
	}
	raw := store.everything()
	for _, v := range []string{full.User, full.Password, full.Token} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("%q is kept in plain text", v)
		}
	}
	// Changing from user/password to a token clears the password.
	if err := s.SavePACSettings(ctx, 1, PACSettings{Environment: PACProduccion, Token: " tok "}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CompanyPACSettings(ctx, 1)
	if want := (PACSettings{Vendor: PACSW, Environment: PACProduccion, Token: "tok"}); err != nil || got != want {
		t.Errorf("settings = %+v, %v; want %+v", got, err, want)
	}
	if p := store.pacs[1]; p.User != nil || p.Password != nil {
		t.Errorf("stale credentials kept: %+v", p)
	}
}

func TestCompaniesAdminPassword(t *testing.T) {
	ctx := context.Background()
	store := newSecretStore()
	s := newCompanies(store, &keyFile{}, companiesNow)
	var _ AdminVerifier = s
	if has, err := s.HasAdminPassword(ctx); err != nil || has {
		t.Fatalf("HasAdminPassword = %v, %v", has, err)
	}
	err := s.CheckAdminPassword(ctx, "x")
	if domain.KindOf(err) != domain.NotFound || domain.UserMessage(err) != "No hay contraseña de administrador. Establézcala en Empresa › Administrador." {
		t.Errorf("check without password: err = %v", err)
	}
	err = s.SetAdminPassword(ctx, "", "corta")
	if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) != "La contraseña de administrador debe tener al menos 8 caracteres." {
		t.Errorf("short password: err = %v", err)
	}
	if err := s.SetAdminPassword(ctx, "", "primera-clave"); err != nil {
		t.Fatal(err)
	}
	if has, _ := s.HasAdminPassword(ctx); !has {
		t.Error("HasAdminPassword after setting it = false")
	}
	if !strings.HasPrefix(store.hash, "$argon2id$") || strings.Contains(store.hash, "primera-clave") {
		t.Errorf("stored %q, want an Argon2id hash", store.hash)
	}
	if err := s.CheckAdminPassword(ctx, "primera-clave"); err != nil {
		t.Errorf("right password: %v", err)
	}
	err = s.CheckAdminPassword(ctx, "Primera-clave")
	if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) != "La contraseña de administrador no es correcta." {
		t.Errorf("wrong password: err = %v", err)
	}
	err = s.SetAdminPassword(ctx, "otra-cosa", "segunda-clave")
	if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) != "La contraseña de administrador actual no es correcta." {
		t.Errorf("change without the current password: err = %v", err)
	}
	if err := s.SetAdminPassword(ctx, "primera-clave", "segunda-clave"); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAdminPassword(ctx, "segunda-clave"); err != nil {
		t.Errorf("new password: %v", err)
	}

	// Another window changed it between the check and the write.
	before := store.hash
	other, _ := secret.HashPassword("de-otra-ventana")
	store.swapRace = other
	if err := s.SetAdminPassword(ctx, "segunda-clave", "tercera-clave"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("concurrent change: err = %v, want Conflict", err)
	}
	if store.hash != other || store.hash == before {
		t.Error("the losing change was written")
	}
	store.swapRace = ""

	// A damaged hash is the installation's problem, not the user's.
	store.hash = "$argon2id$roto"
	if err := s.CheckAdminPassword(ctx, "segunda-clave"); domain.KindOf(err) != domain.Internal {
		t.Errorf("damaged hash: err = %v, want Internal", err)
	}
}
