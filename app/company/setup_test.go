package company

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/uitest"
)

// setupNow is the instant of these tests: both SAT test CSDs are valid.
var setupNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var (
	_ SetupStore = (*sqlite.Store)(nil)
	_ Secrets    = (*sales.Companies)(nil)
)

// secretsOf is the domain service that keeps the companies' secrets in s,
// wired as the application wires it.
func secretsOf(s *sqlite.Store) *sales.Companies {
	return &sales.Companies{Store: s, Keys: s, Clock: s.Now,
		Demo: sales.DemoCSD{Certificate: assets.DemoCertificate, Key: assets.DemoKey, Password: assets.DemoKeyPassword}}
}

// openStore opens a real store in a temporary folder with a fixed clock and
// saves the given companies; the first one is active.
func openStore(t *testing.T, companies ...*sales.Company) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{Now: func() time.Time { return setupNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, c := range companies {
		if err := s.SaveCompany(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func cacx() *sales.Company {
	return &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
}

func fixedClock(t time.Time) domain.Clock { return func() time.Time { return t } }

func TestCSDPanelUpload(t *testing.T) {
	_, q := uitest.NewApp(t)
	ekuCer, ekuKey := testpack.Read(t, "csd", "EKU9003173C9.cer"), testpack.Read(t, "csd", "EKU9003173C9.key")
	cacCer, cacKey := testpack.Read(t, "csd", "CACX7605101P8.cer"), testpack.Read(t, "csd", "CACX7605101P8.key")
	store := openStore(t, cacx())
	p := NewCSDPanel(store, secretsOf(store))
	p.Clock = fixedClock(setupNow)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if !strings.Contains(p.current.Text, "no tiene CSD") || !p.upload.Visible() || !p.save.Disabled() {
		t.Fatalf("before upload: %q, upload visible %v, save disabled %v", p.current.Text, p.upload.Visible(), p.save.Disabled())
	}
	messages := map[string]string{}
	expectRefusal := func(name, want string) {
		t.Helper()
		if p.message.Importance != widget.DangerImportance || p.message.Text != want {
			t.Errorf("%s: message %q (importance %v), want %q", name, p.message.Text, p.message.Importance, want)
		}
		if other, dup := messages[p.message.Text]; dup {
			t.Errorf("%s: same message as %s", name, other)
		}
		messages[p.message.Text] = name
	}
	save := func() {
		t.Helper()
		if p.save.Disabled() {
			t.Fatal("Validar y guardar is disabled")
		}
		test.Tap(p.save)
		q.RunUntil(t, "CSD checked", func() bool { return !p.busy })
		if p.password.Text != "" {
			t.Error("the password entry keeps the password after saving")
		}
	}

	// The other company's certificate is refused as soon as it is picked.
	p.SetCertificate("EKU9003173C9.cer", ekuCer)
	expectRefusal("RFC mismatch", "El certificado es del RFC EKU9003173C9, no del RFC de la empresa (CACX7605101P8). Elija el CSD de la empresa.")
	// An e.firma of the right RFC.
	p.SetCertificate("fiel.cer", fielCertificate(t, "CACX7605101P8"))
	expectRefusal("e.firma", "El certificado es de e.firma (FIEL), no un CSD. Para facturar use su Certificado de Sello Digital (CSD), que se tramita en el portal del SAT con la e.firma.")
	// A key file picked as the certificate.
	p.SetCertificate("CACX7605101P8.key", cacKey)
	expectRefusal("not a certificate", "El archivo del certificado (.cer) no es un certificado válido.")

	p.SetCertificate("CACX7605101P8.cer", cacCer)
	if p.message.Importance != widget.SuccessImportance || !strings.Contains(p.message.Text, "30001000000500003316") {
		t.Fatalf("right certificate: message %q", p.message.Text)
	}
	// Key of the other certificate.
	p.SetKey("EKU9003173C9.key", ekuKey)
	test.Type(p.password, "12345678a")
	save()
	expectRefusal("key of the other certificate", "La llave privada no corresponde al certificado.")
	// Wrong password.
	p.SetKey("CACX7605101P8.key", cacKey)
	test.Type(p.password, "12345678")
	save()
	expectRefusal("wrong password", "La contraseña de la llave privada no es correcta.")
	if _, err := secretsOf(store).CompanyCSD(context.Background(), 1); domain.KindOf(err) != domain.NotFound {
		t.Fatalf("a refused CSD was stored: %v", err)
	}

	// The right files and password.
	test.Type(p.password, "12345678a")
	save()
	if p.message.Importance != widget.SuccessImportance || !strings.Contains(p.current.Text, "Certificado 30001000000500003316 de XOCHILT CASAS CHAVEZ (CACX7605101P8), vigente del 09/05/2023 al 09/05/2027") {
		t.Fatalf("after saving: message %q, current %q", p.message.Text, p.current.Text)
	}
	signer, err := secretsOf(store).CompanySigner(context.Background(), 1)
	if err != nil || signer.NoCertificado() != "30001000000500003316" {
		t.Fatalf("stored signer = %v, %v", signer, err)
	}
	if p.cer != nil || p.key != nil || !p.save.Disabled() {
		t.Error("the upload is not cleared after saving")
	}

	// An expired certificate, with the panel's clock after its validity.
	p.Clock = fixedClock(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	p.SetCertificate("CACX7605101P8.cer", cacCer)
	expectRefusal("expired", "El certificado venció el 09/05/2027.")
}

func TestCSDPanelDemoAndLogo(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, sales.DemoCompany())
	p := NewCSDPanel(store, secretsOf(store))
	p.Clock = fixedClock(setupNow)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if p.upload.Visible() || !strings.Contains(p.current.Text, "Certificado de prueba del SAT 30001000000500003416") {
		t.Errorf("demo: upload visible %v, current %q", p.upload.Visible(), p.current.Text)
	}

	p.SetLogo([]byte("no es una imagen"))
	q.RunUntil(t, "logo refused", func() bool { return !p.busy })
	if p.logoMessage.Text != "El logotipo debe ser una imagen PNG o JPEG." || p.logo.Resource != nil {
		t.Errorf("bad logo: message %q", p.logoMessage.Text)
	}
	p.SetLogo(assetsIcon(t))
	q.RunUntil(t, "logo stored", func() bool { return !p.busy })
	if p.logo.Resource == nil || p.logoRemove.Disabled() {
		t.Fatalf("logo not shown: %q", p.logoMessage.Text)
	}
	if logo, _ := store.CompanyLogo(context.Background(), 1); len(logo) == 0 {
		t.Error("logo not stored")
	}
	test.Tap(p.logoRemove)
	q.RunUntil(t, "logo removed", func() bool { return !p.busy })
	if logo, _ := store.CompanyLogo(context.Background(), 1); logo != nil || p.logo.Resource != nil {
		t.Error("logo not removed")
	}
}

// fakeTester records the settings it was asked to try.
type fakeTester struct {
	mu   sync.Mutex
	got  []sales.PACSettings
	fail error
}

func (f *fakeTester) test(_ context.Context, p sales.PACSettings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, p)
	return f.fail
}

func (f *fakeTester) calls() []sales.PACSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sales.PACSettings(nil), f.got...)
}

func TestPACPanel(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx())
	tester := &fakeTester{fail: domain.E(domain.Rejected, "pac", "El PAC rechazó el usuario o la contraseña.", nil)}
	p := NewPACPanel(store, secretsOf(store), tester.test)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if len(p.envs) != 2 || p.selectedEnv() != sales.PACPruebas {
		t.Fatalf("environments %v, selected %q: a real company is offered pruebas and producción", p.envs, p.selectedEnv())
	}
	if p.message.Importance != widget.WarningImportance {
		t.Errorf("no warning for a company without PAC: %q", p.message.Text)
	}

	test.Type(p.user, "facturas@example.com")
	test.Type(p.password, "secreta-1")
	test.Tap(p.test)
	q.RunUntil(t, "test done", func() bool { return !p.busy })
	want := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACPruebas, User: "facturas@example.com", Password: "secreta-1"}
	if got := tester.calls(); len(got) != 1 || got[0] != want {
		t.Fatalf("tester got %+v, want %+v", got, want)
	}
	if p.message.Text != "El PAC rechazó el usuario o la contraseña." {
		t.Errorf("test failure: message %q", p.message.Text)
	}

	p.env.SetSelectedIndex(1) // producción
	test.Tap(p.save)
	q.RunUntil(t, "saved", func() bool { return !p.busy })
	want.Environment = sales.PACProduccion
	if got, err := secretsOf(store).CompanyPACSettings(context.Background(), 1); err != nil || got != want {
		t.Fatalf("stored %+v, %v; want %+v", got, err, want)
	}
	if p.password.Text != "" || p.password.PlaceHolder == "" {
		t.Errorf("after saving: password entry %q, placeholder %q", p.password.Text, p.password.PlaceHolder)
	}

	// Reloaded, the stored password is not shown, and saving without
	// retyping it keeps it.
	p.Reload()
	q.RunUntil(t, "reloaded", func() bool { return p.user.Text == "facturas@example.com" })
	if p.password.Text != "" || p.selectedEnv() != sales.PACProduccion {
		t.Fatalf("reloaded: password %q, env %q", p.password.Text, p.selectedEnv())
	}
	test.Tap(p.save)
	q.RunUntil(t, "saved again", func() bool { return !p.busy && p.message.Importance == widget.SuccessImportance })
	if got, _ := secretsOf(store).CompanyPACSettings(context.Background(), 1); got.Password != "secreta-1" {
		t.Errorf("password after saving with an empty entry = %q", got.Password)
	}

	// Token access: only the token field is used.
	p.auth.SetSelected("Token de acceso")
	if !p.user.Disabled() || p.token.Disabled() {
		t.Error("token access leaves the user enabled or the token disabled")
	}
	test.Tap(p.save)
	q.RunUntil(t, "token refused", func() bool { return !p.busy })
	if !strings.Contains(p.message.Text, "usuario de su cuenta del PAC") {
		t.Errorf("no token: message %q", p.message.Text)
	}
	test.Type(p.token, "TOKEN-LARGO")
	test.Tap(p.save)
	q.RunUntil(t, "token saved", func() bool { return !p.busy })
	if got, _ := secretsOf(store).CompanyPACSettings(context.Background(), 1); got != (sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACProduccion, Token: "TOKEN-LARGO"}) {
		t.Errorf("stored %+v", got)
	}
}

// TestPACPanelKeepsTheOwnURL: the PAC's own services URL, set from the
// command line, survives saving the form in the same environment.
func TestPACPanelKeepsTheOwnURL(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx())
	own := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACPruebas, User: "facturas@example.com", Password: "secreta-1", URL: "https://services.pac.example.mx"}
	if err := secretsOf(store).SavePACSettings(context.Background(), 1, own); err != nil {
		t.Fatal(err)
	}
	p := NewPACPanel(store, secretsOf(store), nil)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.user.Text == own.User })
	test.Tap(p.save)
	q.RunUntil(t, "saved", func() bool { return !p.busy && p.message.Importance == widget.SuccessImportance })
	if got, _ := store.CompanyPACSettings(context.Background(), 1); got != own {
		t.Errorf("stored %+v, want %+v", got, own)
	}
	p.env.SetSelectedIndex(1) // producción: the URL was for pruebas
	test.Tap(p.save)
	q.RunUntil(t, "saved for producción", func() bool { return !p.busy })
	if got, _ := store.CompanyPACSettings(context.Background(), 1); got.Environment != sales.PACProduccion || got.URL != "" {
		t.Errorf("stored %+v, want producción at its default hosts", got)
	}
}

func TestPACPanelDemoOffersLocal(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, sales.DemoCompany())
	p := NewPACPanel(store, secretsOf(store), nil)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if p.selectedEnv() != sales.PACLocal || !p.user.Disabled() || p.test.Visible() {
		t.Errorf("demo: env %q, user disabled %v, test visible %v", p.selectedEnv(), p.user.Disabled(), p.test.Visible())
	}
}

func TestSeriesPanel(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx())
	p := NewSeriesPanel(store)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if len(p.rows) != 0 || p.message.Importance != widget.WarningImportance {
		t.Fatalf("rows %v, message %q", p.rows, p.message.Text)
	}
	add := func(serie string, tipo int, next string) {
		t.Helper()
		p.serie.SetText(serie)
		p.tipo.SetSelectedIndex(tipo)
		p.next.SetText(next)
		test.Tap(p.add)
		q.RunUntil(t, "series added", func() bool { return !p.busy })
	}
	add("f", 0, "100")
	add("nc", 1, "1")
	if len(p.rows) != 2 || p.rows[1] != "Serie F · I — Ingreso (facturas) · siguiente folio 100" && p.rows[0] != "Serie F · I — Ingreso (facturas) · siguiente folio 100" {
		t.Fatalf("rows = %q", p.rows)
	}
	series, _ := store.FindSeries(context.Background(), "CACX7605101P8")
	if len(series) != 2 {
		t.Fatalf("stored %+v", series)
	}
	add("F", 2, "1")
	if p.message.Importance != widget.DangerImportance || !strings.Contains(p.message.Text, "Ya existe una serie") {
		t.Errorf("duplicate: %q", p.message.Text)
	}
	add("G", 0, "abc")
	if p.message.Text != "El siguiente folio debe ser un número entero, 1 o mayor." {
		t.Errorf("bad number: %q", p.message.Text)
	}
	add("G|1", 0, "0")
	if !strings.Contains(p.message.Text, "1 a 25 caracteres") || !strings.Contains(p.message.Text, "1 o mayor") {
		t.Errorf("two problems: %q", p.message.Text)
	}
}

func TestSwitcherChangesActiveCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx(), &sales.Company{RFC: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601", LugarExpedicion: "86991"})
	w := NewSwitcher(store, rules(t))
	test.NewWindow(w)
	var activated *sales.Company
	w.OnActivated = func(c *sales.Company) { activated = c }
	w.Reload()
	q.RunUntil(t, "companies listed", func() bool { return len(w.companies) == 2 })
	if !w.addDemo.Visible() {
		t.Error("the demo company is not offered")
	}
	w.Select("CACX7605101P8")
	if !w.activate.Disabled() {
		t.Error("Usar esta empresa is enabled for the active company")
	}
	if got := w.rowText(w.companies[w.selected]); !strings.HasSuffix(got, "ACTIVA") {
		t.Errorf("active row = %q", got)
	}
	w.Select("URE180429TM6")
	test.Tap(w.activate)
	q.RunUntil(t, "activated", func() bool { return activated != nil })
	if activated.RFC != "URE180429TM6" {
		t.Errorf("OnActivated got %s", activated.RFC)
	}
	if co, err := store.ActiveCompany(context.Background()); err != nil || co.RFC != "URE180429TM6" {
		t.Errorf("active company = %+v, %v", co, err)
	}
	if !strings.Contains(w.message.Text, "UNIVERSIDAD ROBOTICA ESPAÑOLA") {
		t.Errorf("message %q", w.message.Text)
	}

	// A third company through the form; it does not become active by itself.
	test.Tap(w.add)
	f := w.form
	if f == nil || !f.Dialog().Visible() {
		t.Fatal("no form")
	}
	test.Type(f.rfc, "EKU9003173C9")
	test.Type(f.nombre, "ESCUELA KEMPER URGATE")
	selectRegimen(t, f, "601")
	test.Type(f.cp, "42501")
	test.Tap(f.Dialog().SaveButton)
	q.RunUntil(t, "company added", func() bool { return len(w.companies) == 3 })
	if co, _ := store.ActiveCompany(context.Background()); co.RFC != "URE180429TM6" {
		t.Errorf("adding a company changed the active one to %s", co.RFC)
	}
	if f.Dialog().Visible() {
		t.Error("the form stays open after adding")
	}
}

func TestAdminPanel(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t)
	p := NewAdminPanel(secretsOf(store))
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.status.Text != "" })
	if !p.current.Disabled() || p.next.Disabled() {
		t.Fatal("without a password only the new entries are enabled")
	}
	set := func(current, next, repeat string) {
		t.Helper()
		p.current.SetText(current)
		p.next.SetText(next)
		p.repeat.SetText(repeat)
		test.Tap(p.save)
		q.RunUntil(t, "saved", func() bool { return !p.busy })
	}
	set("", "clave-admin-1", "clave-admin-2")
	if p.message.Text != "Las contraseñas nuevas no coinciden." {
		t.Errorf("mismatch: %q", p.message.Text)
	}
	set("", "clave-admin-1", "clave-admin-1")
	if p.message.Importance != widget.SuccessImportance || p.current.Disabled() {
		t.Fatalf("set: %q", p.message.Text)
	}
	if err := secretsOf(store).CheckAdminPassword(context.Background(), "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	set("equivocada", "clave-admin-2", "clave-admin-2")
	if p.message.Text != "La contraseña de administrador actual no es correcta." {
		t.Errorf("wrong current: %q", p.message.Text)
	}
	if p.next.Text != "" || p.current.Text != "" {
		t.Error("password entries are not cleared")
	}
}

func TestSetupReloadsEveryTab(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, sales.DemoCompany(), cacx())
	s := NewSetup(store, secretsOf(store), rules(t), nil)
	w := test.NewWindow(s)
	w.Resize(fyne.NewSize(1000, 700))
	var changed *sales.Company
	s.OnChanged = func(c *sales.Company) { changed = c }
	s.Reload()
	q.RunUntil(t, "tabs loaded", func() bool {
		return s.Profile.rfc.Text == sales.DemoRFC && s.CSD.company != nil && s.PAC.company != nil && s.Series.company != nil && len(s.Companies.companies) == 2
	})
	s.Companies.Select("CACX7605101P8")
	test.Tap(s.Companies.activate)
	q.RunUntil(t, "every tab shows the new company", func() bool {
		return changed != nil && s.Profile.rfc.Text == "CACX7605101P8" && s.CSD.company != nil && s.CSD.company.RFC == "CACX7605101P8" &&
			s.PAC.company != nil && s.PAC.company.RFC == "CACX7605101P8" && s.Series.company != nil && s.Series.company.RFC == "CACX7605101P8"
	})
	if !s.CSD.upload.Visible() {
		t.Error("the CSD upload is hidden for a real company")
	}
}

// assetsIcon returns Folio's icon, a PNG, as a logo to upload.
func assetsIcon(t *testing.T) []byte {
	t.Helper()
	return assets.Icon
}

// fielCertificate returns a self-signed certificate shaped like SAT's
// e.firma for rfc: SAT serial convention, x500UniqueIdentifier = RFC, key
// usage with encipherment, extended key usage emailProtection + clientAuth,
// no OU.
func fielCertificate(t *testing.T, rfc string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	serial := new(big.Int).SetBytes([]byte("30001000000500009999"))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: "XOCHILT CASAS CHAVEZ", ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: asn1.ObjectIdentifier{2, 5, 4, 45}, Value: rfc}}},
		NotBefore:   setupNow.AddDate(-1, 0, 0),
		NotAfter:    setupNow.AddDate(3, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestPACPanelSecondary (issue 16): Finkok as the primary (no token
// access), a secondary SW account with its threshold, each tried with its
// own "Probar conexión", values trimmed; the secondary is refused with a
// reason while incomplete, stored sealed when complete, and removed when
// unchecked.
func TestPACPanelSecondary(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx())
	tester := &fakeTester{}
	p := NewPACPanel(store, secretsOf(store), tester.test)
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if p.secOn.Checked || !p.sec.user.Disabled() || !p.secAfter.Disabled() || p.secAfter.Text != "5" || !p.secTest.Disabled() {
		t.Fatalf("no secondary: checked %v, user disabled %v, minutes %q", p.secOn.Checked, p.sec.user.Disabled(), p.secAfter.Text)
	}
	if len(p.sec.envs) != 2 {
		t.Errorf("secondary environments %v; want pruebas and producción only", p.sec.envs)
	}

	p.vendor.SetSelected("Finkok")
	p.auth.SetSelected("Token de acceso")
	if p.useToken() || !p.auth.Disabled() || p.user.Disabled() {
		t.Error("Finkok offers token access")
	}
	test.Type(p.user, "  facturas@fk.example ")
	test.Type(p.password, " Finkok-1 ")
	test.Tap(p.test)
	q.RunUntil(t, "primary tried", func() bool { return !p.busy })
	primary := sales.PACSettings{Vendor: sales.PACFinkok, Environment: sales.PACPruebas, User: "facturas@fk.example", Password: "Finkok-1"}
	if got := tester.calls(); len(got) != 1 || got[0] != primary {
		t.Fatalf("tester got %+v, want %+v", got, primary)
	}

	p.secOn.SetChecked(true)
	if p.sec.user.Disabled() || p.secAfter.Disabled() || p.secTest.Disabled() {
		t.Fatal("checking the secondary leaves its fields disabled")
	}
	p.sec.env.SetSelectedIndex(1) // producción
	test.Type(p.sec.user, " timbres@sw.example")
	test.Tap(p.save)
	q.RunUntil(t, "incomplete secondary refused", func() bool { return !p.busy })
	if !strings.HasPrefix(p.message.Text, "PAC secundario: ") || !strings.Contains(p.message.Text, "contraseña") {
		t.Errorf("incomplete secondary: message %q", p.message.Text)
	}
	test.Type(p.sec.password, "Sw-2 ")
	p.secAfter.SetText("ocho")
	test.Tap(p.save)
	q.RunUntil(t, "minutes refused", func() bool { return !p.busy })
	if !strings.Contains(p.message.Text, "de 1 a 1440") {
		t.Errorf("minutes not a number: message %q", p.message.Text)
	}
	p.secAfter.SetText(" 8 ")
	test.Tap(p.secTest)
	q.RunUntil(t, "secondary tried", func() bool { return !p.busy })
	secondary := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACProduccion, User: "timbres@sw.example", Password: "Sw-2"}
	if got := tester.calls(); len(got) != 2 || got[1] != secondary {
		t.Fatalf("tester got %+v, want the secondary %+v", got, secondary)
	}
	test.Tap(p.save)
	q.RunUntil(t, "saved", func() bool { return !p.busy && p.message.Importance == widget.SuccessImportance })
	ctx := context.Background()
	if got, err := secretsOf(store).CompanyPACSettings(ctx, 1); err != nil || got != primary {
		t.Errorf("primary stored %+v, %v; want %+v", got, err, primary)
	}
	if f, err := secretsOf(store).CompanySecondaryPAC(ctx, 1); err != nil || f == nil || f.Secondary != secondary || f.AfterMinutes != 8 {
		t.Fatalf("secondary stored %+v, %v; want %+v after 8 min", f, err, secondary)
	}

	// Reloaded: both accounts shown without their secrets; saving keeps
	// them; unchecking removes the secondary.
	p.Reload()
	q.RunUntil(t, "reloaded", func() bool { return p.secOn.Checked && p.sec.user.Text == "timbres@sw.example" })
	if p.vendor.Selected != "Finkok" || p.sec.password.Text != "" || p.sec.password.PlaceHolder == "" || p.secAfter.Text != "8" {
		t.Errorf("reloaded: vendor %q, secondary password %q (%q), minutes %q", p.vendor.Selected, p.sec.password.Text, p.sec.password.PlaceHolder, p.secAfter.Text)
	}
	test.Tap(p.save)
	q.RunUntil(t, "saved again", func() bool { return !p.busy && p.message.Importance == widget.SuccessImportance })
	if f, _ := secretsOf(store).CompanySecondaryPAC(ctx, 1); f == nil || f.Secondary.Password != "Sw-2" {
		t.Errorf("secondary after saving with empty entries: %+v", f)
	}
	p.secOn.SetChecked(false)
	test.Tap(p.save)
	q.RunUntil(t, "secondary removed", func() bool { return !p.busy && p.message.Importance == widget.SuccessImportance })
	if f, err := secretsOf(store).CompanySecondaryPAC(ctx, 1); f != nil || err != nil {
		t.Errorf("after unchecking: %+v, %v", f, err)
	}
}

// TestPACPanelDealerFlag: "Es una cuenta de distribuidor" is shown only
// with a dealer flag store, kept when the account is saved, and announced.
func TestPACPanelDealerFlag(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := openStore(t, cacx())
	p := NewPACPanel(store, secretsOf(store), nil)
	if p.DealerCheck().Visible() {
		t.Fatal("dealer check shown without a flag store")
	}
	var announced []bool
	p.SetDealerFlag(store, func(on bool) { announced = append(announced, on) })
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "panel loaded", func() bool { return p.company != nil })
	if !p.DealerCheck().Visible() || p.DealerCheck().Checked {
		t.Fatalf("check visible %v, checked %v", p.DealerCheck().Visible(), p.DealerCheck().Checked)
	}
	test.Type(p.user, "distribuidor@example.com")
	test.Type(p.password, "secreta-1")
	test.Tap(p.DealerCheck())
	test.Tap(p.save)
	q.RunUntil(t, "saved", func() bool { return !p.busy })
	if on, err := store.DealerEnabled(context.Background(), 1); err != nil || !on || len(announced) != 1 || !announced[0] {
		t.Fatalf("stored %v (%v), announced %v", on, err, announced)
	}
	p.Reload()
	q.RunUntil(t, "reloaded", func() bool { return p.user.Text == "distribuidor@example.com" })
	if !p.DealerCheck().Checked {
		t.Error("the flag is not shown after reloading")
	}
}
