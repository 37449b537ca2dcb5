package company

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/internal/uitest"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
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

func TestWelcomeOwnCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	w := NewWelcome(store, rules(t))
	test.NewWindow(w)
	var done *sales.Company
	w.OnDone = func(c *sales.Company) { done = c }

	test.Tap(w.ownButton)
	f := w.form
	if f == nil || !slices.Contains(test.LaidOutObjects(w.body), fyne.CanvasObject(f)) {
		t.Fatal("the company form is not shown")
	}
	test.Type(f.rfc, "cacx7605101p8")
	test.Type(f.nombre, "XOCHILT  CASAS CHAVEZ ")
	selectRegimen(t, f, "612")
	test.Type(f.cp, "10740")
	f.form.OnSubmit()
	q.RunUntil(t, "company stored", func() bool { return done != nil })

	want := sales.Company{ID: 1, RFC: "CACX7605101P8", Nombre: "XOCHILT  CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}
	if saved := store.Saved(); len(saved) != 1 || saved[0] != want {
		t.Errorf("saved = %+v, want %+v", saved, want)
	}
	if *done != want {
		t.Errorf("OnDone got %+v, want %+v", *done, want)
	}
}

func TestFormReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name                     string
		rfc, nombre, regimen, cp string
		want                     []string // fragments of the message, one per problem
		badEntries               []string
	}{
		{"all wrong", "ABC", "", "", "00000",
			[]string{"RFC", "razón social", "régimen", "código postal"}, []string{"RFC", "Nombre"}},
		{"generic RFC", "XAXX010101000", "PUBLICO EN GENERAL", "616", "06300",
			[]string{"genérico"}, []string{"RFC"}},
		{"régimen for personas morales only", "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "601", "06300",
			[]string{"personas físicas"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, q := uitest.NewApp(t)
			store := &fakeStore{}
			f := NewForm(store, rules(t), nil)
			test.NewWindow(f)
			f.OnSaved = func(*sales.Company) { t.Error("OnSaved called for an invalid company") }
			f.rfc.SetText(tt.rfc)
			f.nombre.SetText(tt.nombre)
			if tt.regimen != "" {
				selectRegimen(t, f, tt.regimen)
			}
			f.cp.SetText(tt.cp)

			f.form.OnSubmit()
			q.RunUntil(t, "validation", func() bool { return !f.saving })

			msg := strings.ToLower(f.message.Text)
			if lines := strings.Count(f.message.Text, "\n") + 1; lines != len(tt.want) {
				t.Errorf("message has %d problems, want %d:\n%s", lines, len(tt.want), f.message.Text)
			}
			for _, frag := range tt.want {
				if !strings.Contains(msg, strings.ToLower(frag)) {
					t.Errorf("message lacks %q:\n%s", frag, f.message.Text)
				}
			}
			if f.message.Importance != widget.DangerImportance {
				t.Errorf("message importance = %v, want danger", f.message.Importance)
			}
			entries := map[string]*widget.Entry{"RFC": f.rfc, "Nombre": f.nombre}
			for _, field := range tt.badEntries {
				if entries[field].Validate() == nil {
					t.Errorf("%s entry shows no error", field)
				}
			}
			if len(store.Saved()) != 0 {
				t.Errorf("saved %+v, want nothing", store.Saved())
			}
			if f.form.Disabled() {
				t.Error("form stays disabled")
			}
		})
	}
}

func TestFormValidatorsWhileTyping(t *testing.T) {
	uitest.NewApp(t)
	f := NewForm(&fakeStore{}, rules(t), nil)
	test.NewWindow(f)
	tests := []struct {
		entry   *widget.Entry
		text    string
		wantErr bool
	}{
		{f.rfc, "EKU9003173C9", false},
		{f.rfc, "eku9003173c9", false}, // normalised before checking
		{f.rfc, "EKU9013173C9", true},  // month 13
		{f.rfc, "XAXX010101000", true}, // generic: receptors only
		{f.nombre, "  ", true},
		{f.nombre, "ESCUELA KEMPER URGATE", false},
		{f.cp, "0630", true},
		{f.cp, "06a00", true},
		{f.cp, "06300", false},
	}
	for _, tt := range tests {
		tt.entry.SetText(tt.text)
		err := tt.entry.Validate()
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err = %v, wantErr %v", tt.text, err, tt.wantErr)
		}
	}
}

func TestProfileShowsAndEditsCompany(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{active: &sales.Company{ID: 7, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "10740"}}
	p := NewProfile(store, rules(t))
	test.NewWindow(p)
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
	f, ok := p.body.Objects[0].(*Form)
	if !ok {
		t.Fatalf("body shows %T, want the form", p.body.Objects[0])
	}
	f.nombre.SetText("XOCHILT CASAS CHÁVEZ")
	f.form.OnSubmit()
	q.RunUntil(t, "edit saved", func() bool { return changed != nil })

	if saved := store.Saved(); len(saved) != 1 || saved[0].ID != 7 || saved[0].Nombre != "XOCHILT CASAS CHÁVEZ" {
		t.Errorf("saved = %+v, want company 7 renamed", saved)
	}
	if p.body.Objects[0] != p.view || p.nombre.Text != "XOCHILT CASAS CHÁVEZ" {
		t.Errorf("after saving: body %T, nombre %q", p.body.Objects[0], p.nombre.Text)
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
