package customers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeStore keeps customers in memory and records the calls.
type fakeStore struct {
	mu        sync.Mutex
	customers []sales.Customer
	queries   []sales.CustomerFilter
}

func (s *fakeStore) FindCustomers(_ context.Context, f sales.CustomerFilter) ([]sales.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, f)
	var out []sales.Customer
	for _, c := range s.customers {
		if (c.Active || f.IncludeInactive) && strings.Contains(strings.ToLower(c.Name+" "+c.RFC), strings.ToLower(f.Query)) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (s *fakeStore) CreateCustomer(_ context.Context, c *sales.Customer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = int64(len(s.customers) + 1)
	s.customers = append(s.customers, *c)
	return nil
}

func (s *fakeStore) UpdateCustomer(_ context.Context, c *sales.Customer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.customers {
		if s.customers[i].ID == c.ID {
			s.customers[i] = *c
			return nil
		}
	}
	return domain.E(domain.NotFound, "fake", "El cliente no existe.", nil)
}

func (s *fakeStore) SetCustomerActive(_ context.Context, id int64, active bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.customers {
		if s.customers[i].ID == id {
			s.customers[i].Active = active
			return nil
		}
	}
	return domain.E(domain.NotFound, "fake", "El cliente no existe.", nil)
}

func (s *fakeStore) all() []sales.Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.customers)
}

var (
	catOnce sync.Once
	cat     *sat.Catalogs
)

func rules(t *testing.T) *sat.Catalogs {
	t.Helper()
	catOnce.Do(func() {
		var err error
		if cat, err = sat.NewCatalogs(assets.Catalogs); err != nil {
			panic(err)
		}
	})
	return cat
}

func seeded() *fakeStore {
	s := &fakeStore{}
	for _, c := range sales.DemoCustomers() {
		s.CreateCustomer(context.Background(), &c)
	}
	return s
}

func TestCustomerListLoad(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := seeded()
	l := NewCustomerList(store, rules(t))
	w := test.NewWindow(l)
	defer w.Close()

	// load is synchronous and formats the rows.
	_, rows, err := l.load(context.Background(), "robotica", false)
	if err != nil || len(rows) != 1 || rows[0].rfc != "URE180429TM6" || rows[0].estado != "Activo" {
		t.Fatalf("load = %+v, %v", rows, err)
	}
	// Typing searches; selecting a row enables edit and deactivate.
	test.Type(l.list.Search, "xoch")
	q.RunUntil(t, "search shown", func() bool { return len(l.list.Rows()) == 1 && l.list.Rows()[0].rfc == "CACX7605101P8" })
	if !l.list.Edit.Disabled() {
		t.Error("edit enabled without a selection")
	}
	l.list.Table.Select(widgetCell(0))
	if l.list.Edit.Disabled() || l.list.Toggle.Text != "Dar de baja" {
		t.Fatalf("after select: edit disabled %v, toggle %q", l.list.Edit.Disabled(), l.list.Toggle.Text)
	}
	test.Tap(l.list.Toggle)
	q.RunUntil(t, "deactivated and reloaded", func() bool { return len(l.list.Rows()) == 0 })
	if store.all()[0].Active {
		t.Error("customer still active in the store")
	}
	// Inactive customers appear when asked for.
	test.Tap(l.list.Inactive)
	q.RunUntil(t, "inactive shown", func() bool { return len(l.list.Rows()) == 1 && l.list.Rows()[0].estado == "Baja" })
}

// openNew shows the customer list in a window of size (canvas) and opens
// "Nuevo cliente" the way the user does.
func openNew(t *testing.T, store *fakeStore, size fyne.Size) (*CustomerList, fyne.Window, *CustomerForm) {
	t.Helper()
	l := NewCustomerList(store, rules(t))
	w := test.NewWindow(l)
	t.Cleanup(w.Close)
	w.Resize(size)
	test.Tap(l.list.New)
	if l.form == nil || !l.form.Dialog().Visible() {
		t.Fatal("Nuevo cliente did not open the form")
	}
	return l, w, l.form
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

func TestCustomerFormEscapeCloses(t *testing.T) {
	uitest.NewApp(t)
	_, w, f := openNew(t, &fakeStore{}, fyne.NewSize(1366, 768))
	if w.Canvas().Focused() != fyne.Focusable(f.rfc) {
		t.Fatalf("focused %T, want the RFC", w.Canvas().Focused())
	}
	typeKey(w, fyne.KeyEscape)
	if f.Dialog().Visible() || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatal("Escape did not close the customer form")
	}
	// With something typed, it asks first.
	_, w, f = openNew(t, &fakeStore{}, fyne.NewSize(1366, 768))
	test.Type(f.name, "XOCHILT")
	typeKey(w, fyne.KeyEscape)
	if !f.Dialog().Confirming() {
		t.Error("Escape closed a form with typed data without asking")
	}
}

func TestCustomerFormEnterSaves(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	l, w, f := openNew(t, store, fyne.NewSize(1366, 768))
	test.Type(f.rfc, "cacx7605101p8")
	test.Type(f.name, "XOCHILT CASAS CHAVEZ")
	f.regimen.SetSelected(optionFor(f.regimen, "612"))
	test.Type(f.cp, "36257")
	f.uso.SetSelected(optionFor(f.uso, "G03"))
	test.Type(f.emails, "a@example.com, b@example.com")
	test.Type(f.creditDays, "15")
	test.Type(f.retISR, "0.10")
	w.Canvas().Focus(f.retISR)
	typeKey(w, fyne.KeyReturn)
	q.RunUntil(t, "saved and listed", func() bool { return len(l.list.Rows()) == 1 })
	got := store.all()
	if len(got) != 1 || got[0].RFC != "CACX7605101P8" || got[0].CreditDays != 15 || len(got[0].Emails) != 2 ||
		got[0].RetencionISR.String() != "0.1" || got[0].RegimenFiscal != "612" || !got[0].Active {
		t.Errorf("stored = %+v", got)
	}
	if f.Dialog().Visible() {
		t.Error("the form stays open after saving")
	}
}

// TestCustomerFormErrorsBesideFields: each problem shows under its own
// field and clears as soon as that field is fixed; nothing is stored
// meanwhile.
func TestCustomerFormErrorsBesideFields(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	_, w, f := openNew(t, store, fyne.NewSize(1366, 768))
	d := f.Dialog()
	test.Type(f.rfc, "cacx7605101p8")
	test.Type(f.name, "XOCHILT CASAS CHAVEZ")
	test.Type(f.creditDays, "x")
	typeKey(w, fyne.KeyReturn)
	q.RunUntil(t, "problems shown", func() bool { return !d.Saving() && d.Field("CodigoPostal").Error() != "" })

	cp := d.Field("CodigoPostal")
	if got, want := cp.Error(), "El código postal no existe en el catálogo del SAT."; got != want {
		t.Errorf("CP error = %q, want %q", got, want)
	}
	if !strings.Contains(d.Field("RegimenFiscal").Error(), "régimen") || !strings.Contains(d.Field("CreditDays").Error(), "días de crédito") {
		t.Errorf("régimen %q, días %q", d.Field("RegimenFiscal").Error(), d.Field("CreditDays").Error())
	}
	if d.Field("RFC").Error() != "" || d.Field("Name").Error() != "" {
		t.Errorf("valid fields show errors: RFC %q, Name %q", d.Field("RFC").Error(), d.Field("Name").Error())
	}
	// The CP's error line is right below the CP entry.
	drv := fyne.CurrentApp().Driver()
	in, line := drv.AbsolutePositionForObject(f.cp), drv.AbsolutePositionForObject(cp.ErrorLine())
	if line.X != in.X || line.Y < in.Y+f.cp.Size().Height || line.Y > in.Y+f.cp.Size().Height+60 {
		t.Errorf("CP error line at %v, CP entry at %v", line, in)
	}
	if len(store.all()) != 0 {
		t.Fatal("an invalid customer was stored")
	}

	test.Type(f.cp, "36257")
	q.RunUntil(t, "CP error cleared", func() bool { return cp.Error() == "" })
	f.creditDays.SetText("15")
	q.RunUntil(t, "días error cleared", func() bool { return d.Field("CreditDays").Error() == "" })
	if d.Field("RegimenFiscal").Error() == "" {
		t.Error("the régimen error went away without a fix")
	}
}

// TestCustomerFormFitsTheWindow: at the sizes Folio runs at, "Guardar" and
// "Cancelar" are inside the window without scrolling.
func TestCustomerFormFitsTheWindow(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1366, Height: 768}, {Width: 800, Height: 1280}, {Width: 1366, Height: 640}} {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			uitest.NewApp(t)
			_, w, f := openNew(t, &fakeStore{}, size)
			c := w.Canvas().Size()
			for _, b := range []*widget.Button{f.Dialog().SaveButton, f.Dialog().CancelButton} {
				p := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
				s := b.Size()
				if !b.Visible() || s.Width <= 0 || p.X < 0 || p.Y < 0 || p.X+s.Width > c.Width || p.Y+s.Height > c.Height {
					t.Errorf("%q at %v size %v, window %v", b.Text, p, s, c)
				}
			}
		})
	}
}

// TestCustomerFormPlaceholders: examples are hints below the fields, never
// grey text inside an entry that looks like data.
func TestCustomerFormPlaceholders(t *testing.T) {
	uitest.NewApp(t)
	_, _, f := openNew(t, &fakeStore{}, fyne.NewSize(1366, 768))
	for _, fl := range f.Dialog().Fields() {
		if e, ok := fl.Input.(*widgets.FormEntry); ok && e.PlaceHolder != "" {
			t.Errorf("%s: placeholder %q", fl.Label, e.PlaceHolder)
		}
	}
	if h := f.Dialog().Field("CodigoPostal").Hint; !strings.Contains(h, "06300") {
		t.Errorf("CP hint = %q, want the example", h)
	}
}

func optionFor(p picker, key string) string {
	for i, k := range p.keys {
		if k == key {
			return p.Options[i]
		}
	}
	return ""
}

func widgetCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }
