package company

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeStore keeps one company in memory and records what was saved.
type fakeStore struct {
	mu      sync.Mutex
	active  *sales.Company
	saved   []sales.Company
	saveErr error
}

func (s *fakeStore) ActiveCompany(context.Context) (*sales.Company, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == nil {
		return nil, domain.E(domain.NotFound, "fake.ActiveCompany", "No hay empresa configurada.", nil)
	}
	c := *s.active
	return &c, nil
}

func (s *fakeStore) SaveCompany(_ context.Context, c *sales.Company) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return s.saveErr
	}
	if c.ID == 0 {
		c.ID = int64(len(s.saved) + 1)
	}
	s.saved = append(s.saved, *c)
	cp := *c
	s.active = &cp
	return nil
}

func (s *fakeStore) Saved() []sales.Company {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.saved)
}

// satCatalogs are the real SAT catalogs embedded in Folio, read once.
var satCatalogs = sync.OnceValues(func() (*sat.Catalogs, error) { return sat.NewCatalogs(assets.Catalogs) })

func rules(t *testing.T) Rules {
	t.Helper()
	c, err := satCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func selectRegimen(t *testing.T, f *Form, key string) {
	t.Helper()
	i := slices.IndexFunc(f.regimenes, func(e sat.Entry) bool { return e.Key == key })
	if i < 0 {
		t.Fatalf("régimen %s not offered", key)
	}
	f.regimen.SetSelectedIndex(i)
}

func TestWelcomeDemoCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	w := NewWelcome(store, rules(t))
	test.NewWindow(w)
	var done *sales.Company
	w.OnDone = func(c *sales.Company) { done = c }

	test.Tap(w.demoButton)
	q.RunUntil(t, "demo company stored", func() bool { return done != nil })

	saved := store.Saved()
	if len(saved) != 1 || !saved[0].Demo || saved[0].RFC != sales.DemoRFC {
		t.Fatalf("saved = %+v, want the demo company", saved)
	}
	if done.ID != saved[0].ID || !done.Demo {
		t.Errorf("OnDone got %+v, want the stored demo company", done)
	}
}

func TestWelcomeDemoSaveFails(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{saveErr: domain.E(domain.Unavailable, "fake.SaveCompany", "No se pudo escribir en la base de datos.", nil)}
	w := NewWelcome(store, rules(t))
	test.NewWindow(w)
	w.OnDone = func(*sales.Company) { t.Error("OnDone called after a failed save") }

	test.Tap(w.demoButton)
	q.RunUntil(t, "error shown", func() bool { return w.message.Visible() })
	if got, want := w.message.Text, "No se pudo escribir en la base de datos."; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if w.demoButton.Disabled() || w.ownButton.Disabled() {
		t.Error("buttons stay disabled after the failure")
	}
}

// typeKey sends a key the way the driver does: to the focused widget, or
// to the window when none has the focus.
func typeKey(w fyne.Window, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

func TestWelcomeOwnCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	w := NewWelcome(store, rules(t))
	win := test.NewWindow(w)
	win.Resize(fyne.NewSize(1024, 768))
	var done *sales.Company
	w.OnDone = func(c *sales.Company) { done = c }

	test.Tap(w.ownButton)
	f := w.form
	if f == nil || !f.Dialog().Visible() {
		t.Fatal("the company form is not shown")
	}
	test.Type(f.rfc, "cacx7605101p8")
	test.Type(f.nombre, "XOCHILT  CASAS CHAVEZ ")
	selectRegimen(t, f, "612")
	test.Type(f.cp, "10740")
	win.Canvas().Focus(f.cp)
	typeKey(win, fyne.KeyReturn)
	q.RunUntil(t, "company stored", func() bool { return done != nil })

	want := sales.Company{ID: 1, RFC: "CACX7605101P8", Nombre: "XOCHILT  CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}
	if saved := store.Saved(); len(saved) != 1 || saved[0] != want {
		t.Errorf("saved = %+v, want %+v", saved, want)
	}
	if *done != want {
		t.Errorf("OnDone got %+v, want %+v", *done, want)
	}
}

func TestWelcomeOwnCompanyEscape(t *testing.T) {
	uitest.NewApp(t)
	w := NewWelcome(&fakeStore{}, rules(t))
	win := test.NewWindow(w)
	win.Resize(fyne.NewSize(800, 1280))
	w.OnDone = func(*sales.Company) { t.Error("OnDone after Escape") }
	test.Tap(w.ownButton)
	typeKey(win, fyne.KeyEscape)
	if w.form.Dialog().Visible() {
		t.Error("Escape did not close the company form")
	}
}

func TestFormReportsEveryProblemBesideItsField(t *testing.T) {
	tests := []struct {
		name                     string
		rfc, nombre, regimen, cp string
		want                     map[string]string // field → fragment of its error
	}{
		{"all wrong", "ABC", "", "", "00000",
			map[string]string{"RFC": "RFC", "Nombre": "razón social", "RegimenFiscal": "régimen", "LugarExpedicion": "código postal"}},
		{"generic RFC", "XAXX010101000", "PUBLICO EN GENERAL", "616", "06300",
			map[string]string{"RFC": "genérico"}},
		{"régimen for personas morales only", "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "601", "06300",
			map[string]string{"RegimenFiscal": "personas físicas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, q := uitest.NewApp(t)
			store := &fakeStore{}
			win := test.NewWindow(widget.NewLabel(""))
			win.Resize(fyne.NewSize(1366, 768))
			f := NewForm(win, "Empresa", store, rules(t), nil)
			f.OnSaved = func(*sales.Company) { t.Error("OnSaved called for an invalid company") }
			f.Show()
			f.rfc.SetText(tt.rfc)
			f.nombre.SetText(tt.nombre)
			if tt.regimen != "" {
				selectRegimen(t, f, tt.regimen)
			}
			f.cp.SetText(tt.cp)

			d := f.Dialog()
			test.Tap(d.SaveButton)
			q.RunUntil(t, "validation", func() bool { return !d.Saving() })

			for _, fl := range d.Fields() {
				got, frag := strings.ToLower(fl.Error()), tt.want[fl.Key]
				if frag == "" && got != "" || frag != "" && !strings.Contains(got, strings.ToLower(frag)) {
					t.Errorf("%s error = %q, want it to mention %q", fl.Key, fl.Error(), frag)
				}
			}
			if len(store.Saved()) != 0 {
				t.Errorf("saved %+v, want nothing", store.Saved())
			}
			if f.rfc.Disabled() || !d.Visible() {
				t.Error("the form stays disabled or closed")
			}
		})
	}
}

func TestFormClearsAProblemOnceFixed(t *testing.T) {
	_, q := uitest.NewApp(t)
	win := test.NewWindow(widget.NewLabel(""))
	win.Resize(fyne.NewSize(1024, 768))
	f := NewForm(win, "Empresa", &fakeStore{}, rules(t), nil)
	f.Show()
	test.Type(f.rfc, "EKU9003173C9")
	test.Type(f.nombre, "ESCUELA KEMPER URGATE")
	selectRegimen(t, f, "601")
	// Empty, the CP shows no grey example that could pass for data.
	if f.cp.PlaceHolder != "" || f.rfc.PlaceHolder != "" {
		t.Errorf("placeholders: CP %q, RFC %q", f.cp.PlaceHolder, f.rfc.PlaceHolder)
	}
	d := f.Dialog()
	test.Tap(d.SaveButton)
	cp := d.Field("LugarExpedicion")
	q.RunUntil(t, "CP problem", func() bool { return !d.Saving() && cp.Error() != "" })
	test.Type(f.cp, "4250")
	q.Drain(50 * time.Millisecond)
	if cp.Error() == "" {
		t.Error("a CP of four digits cleared the problem")
	}
	test.Type(f.cp, "1")
	q.RunUntil(t, "CP problem cleared", func() bool { return cp.Error() == "" })
}

func TestProfileShowsAndEditsCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{active: &sales.Company{ID: 7, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}}
	p := NewProfile(store, rules(t))
	w := test.NewWindow(p)
	w.Resize(fyne.NewSize(1366, 768))
	var changed *sales.Company
	p.OnChanged = func(c *sales.Company) { changed = c }

	c, err := p.load(context.Background())
	if err != nil || c.ID != 7 {
		t.Fatalf("load = %+v, %v", c, err)
	}
	p.Reload()
	q.RunUntil(t, "profile shown", func() bool { return p.rfc.Text != "" })
	if got, want := p.regimen.Text, "612 — Personas Físicas con Actividades Empresariales y Profesionales"; got != want {
		t.Errorf("régimen = %q, want %q", got, want)
	}
	if p.edit.Disabled() {
		t.Fatal("Editar is disabled for a real company")
	}

	test.Tap(p.edit)
	f := p.form
	if f == nil || !f.Dialog().Visible() {
		t.Fatal("Editar did not open the form")
	}
	f.nombre.SetText("XOCHILT CASAS CHÁVEZ")
	test.Tap(f.Dialog().SaveButton)
	q.RunUntil(t, "edit saved", func() bool { return changed != nil })

	if saved := store.Saved(); len(saved) != 1 || saved[0].ID != 7 || saved[0].Nombre != "XOCHILT CASAS CHÁVEZ" {
		t.Errorf("saved = %+v, want company 7 renamed", saved)
	}
	if f.Dialog().Visible() || p.nombre.Text != "XOCHILT CASAS CHÁVEZ" {
		t.Errorf("after saving: dialog visible %v, nombre %q", f.Dialog().Visible(), p.nombre.Text)
	}
}

func TestProfileDemoCannotBeEdited(t *testing.T) {
	_, q := uitest.NewApp(t)
	p := NewProfile(&fakeStore{active: sales.DemoCompany()}, rules(t))
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "profile shown", func() bool { return p.rfc.Text == sales.DemoRFC })
	if !p.edit.Disabled() {
		t.Error("Editar is enabled for the demo company")
	}
}

func TestProfileShowsStoreError(t *testing.T) {
	_, q := uitest.NewApp(t)
	p := NewProfile(&fakeStore{}, rules(t))
	test.NewWindow(p)
	p.Reload()
	q.RunUntil(t, "error shown", func() bool { return p.status.Text != "" })
	if got, want := p.status.Text, "No hay empresa configurada."; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
}

func TestWelcomeMarkup(t *testing.T) {
	uitest.NewApp(t)
	if lang.L("Configurar mi empresa") != "Configurar mi empresa" {
		t.Skip("the golden is in Spanish; run with LANG=es_MX.UTF-8")
	}
	w := test.NewWindow(NewWelcome(&fakeStore{}, rules(t)))
	w.Resize(fyne.NewSize(1100, 680))
	test.AssertRendersToMarkup(t, "welcome.xml", w.Canvas())
}
