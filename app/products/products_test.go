package products

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

// fakeStore keeps products in memory.
type fakeStore struct {
	mu       sync.Mutex
	products []sales.Product
}

func (s *fakeStore) FindProducts(_ context.Context, f sales.ProductFilter) ([]sales.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sales.Product
	for _, p := range s.products {
		if (p.Active || f.IncludeInactive) && strings.Contains(strings.ToLower(p.Code+" "+p.Description), strings.ToLower(f.Query)) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *fakeStore) CreateProduct(_ context.Context, p *sales.Product) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.products {
		if q.Code == p.Code {
			return domain.E(domain.Conflict, "fake", "Ya existe un producto con ese código.", nil)
		}
	}
	p.ID = int64(len(s.products) + 1)
	s.products = append(s.products, *p)
	return nil
}

func (s *fakeStore) UpdateProduct(_ context.Context, p *sales.Product) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.products {
		if s.products[i].ID == p.ID {
			s.products[i] = *p
			return nil
		}
	}
	return domain.E(domain.NotFound, "fake", "El producto no existe.", nil)
}

func (s *fakeStore) SetProductActive(_ context.Context, id int64, active bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.products {
		if s.products[i].ID == id {
			s.products[i].Active = active
			return nil
		}
	}
	return domain.E(domain.NotFound, "fake", "El producto no existe.", nil)
}

func (s *fakeStore) all() []sales.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.products)
}

// catalogSearch searches the embedded catalogs by key prefix or words of
// the description, as the store's full-text search does for these tests.
type catalogSearch struct{ c *sat.Catalogs }

func (s catalogSearch) SearchCatalog(_ context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	var out []sat.Entry
	q := sat.Normalize(query)
	for _, e := range s.c.List(catalog) {
		if len(out) == limit {
			break
		}
		if strings.HasPrefix(sat.Normalize(e.Key), q) || strings.Contains(sat.Normalize(e.Description), q) {
			out = append(out, e)
		}
	}
	return out, nil
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

func TestProductList(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	for _, p := range sales.DemoProducts() {
		store.CreateProduct(context.Background(), &p)
	}
	l := NewProductList(store, rules(t), catalogSearch{rules(t)})
	w := test.NewWindow(l)
	defer w.Close()
	_, rows, err := l.load(context.Background(), "", false)
	if err != nil || len(rows) != 5 {
		t.Fatalf("load = %d rows, %v", len(rows), err)
	}
	if rows[0].iva != "16 %" || rows[4].iva != "Exento" || rows[0].claves != "43211503 / H87" {
		t.Errorf("rows = %+v", rows)
	}
	test.Type(l.list.Search, "café")
	q.RunUntil(t, "search shown", func() bool { return len(l.list.Rows()) == 1 && l.list.Rows()[0].code == "ALI-CAFE" })
	l.list.Table.Select(widget.TableCellID{Row: 0})
	test.Tap(l.list.Toggle)
	q.RunUntil(t, "deactivated", func() bool { return len(l.list.Rows()) == 0 })
	if store.all()[3].Active {
		t.Error("product still active")
	}
}

// openNew shows the product list in a window of size (canvas) and opens
// "Nuevo producto" the way the user does.
func openNew(t *testing.T, store *fakeStore, size fyne.Size) (*ProductList, fyne.Window, *ProductForm) {
	t.Helper()
	l := NewProductList(store, rules(t), catalogSearch{rules(t)})
	w := test.NewWindow(l)
	t.Cleanup(w.Close)
	w.Resize(size)
	test.Tap(l.list.New)
	if l.form == nil || !l.form.Dialog().Visible() {
		t.Fatal("Nuevo producto did not open the form")
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

func TestProductFormValidatesAndSaves(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	l, w, f := openNew(t, store, fyne.NewSize(1366, 768))
	d := f.Dialog()

	// Unknown SAT keys and a price with seven decimals are each reported
	// under their field; nothing is stored.
	test.Type(f.code, "SRV-1")
	test.Type(f.description, "Soporte técnico")
	test.Type(f.prodServ.Focusable(), "99999999")
	test.Type(f.unidad.Focusable(), "zzz")
	test.Type(f.price, "1.1234567")
	w.Canvas().Focus(f.price)
	typeKey(w, fyne.KeyReturn)
	q.RunUntil(t, "problems shown", func() bool { return !d.Saving() && d.Field("ClaveUnidad").Error() != "" })
	if !strings.Contains(d.Field("ClaveProdServ").Error(), "producto o servicio") || !strings.Contains(d.Field("Price").Error(), "precio") ||
		d.Field("Code").Error() != "" || len(store.all()) != 0 {
		t.Fatalf("errors: prodserv %q, price %q, code %q; stored %d",
			d.Field("ClaveProdServ").Error(), d.Field("Price").Error(), d.Field("Code").Error(), len(store.all()))
	}
	// Each clears as soon as its field is fixed.
	f.prodServ.SetKey("81111500")
	q.RunUntil(t, "prodserv error cleared", func() bool { return d.Field("ClaveProdServ").Error() == "" })
	f.unidad.SetKey("")
	test.Type(f.unidad.Focusable(), "e48")
	q.RunUntil(t, "unit suggestions", func() bool { return len(f.unidad.Suggestions()) > 0 })
	f.unidad.Focusable().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	f.unidad.Focusable().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.unidad.Text() != "E48 — Unidad de servicio" || !d.Visible() {
		t.Errorf("picked unit = %q, dialog visible %v (Enter picks, it does not save)", f.unidad.Text(), d.Visible())
	}
	q.RunUntil(t, "unit error cleared", func() bool { return d.Field("ClaveUnidad").Error() == "" })
	f.price.SetText("1,250.50")
	f.retIVA.SetText("0.106667")
	f.retISR.SetText("0.10")
	q.RunUntil(t, "price error cleared", func() bool { return d.Field("Price").Error() == "" && d.Message() == "" })

	// Enter in the unit picker, with no suggestions open, saves.
	w.Canvas().Focus(f.unidad.Focusable())
	typeKey(w, fyne.KeyReturn)
	q.RunUntil(t, "saved and listed", func() bool { return len(l.list.Rows()) == 1 })
	got := store.all()
	if len(got) != 1 || got[0].ClaveUnidad != "E48" || got[0].Price.String() != "1250.5" ||
		!got[0].Taxes.IVATasa.Equal(decimal16) || got[0].Taxes.RetIVA.String() != "0.106667" || got[0].ObjetoImp != "02" {
		t.Errorf("stored = %+v", got)
	}
	if d.Visible() {
		t.Error("the form stays open after saving")
	}
}

func TestProductFormEscapeCloses(t *testing.T) {
	uitest.NewApp(t)
	_, w, f := openNew(t, &fakeStore{}, fyne.NewSize(1024, 768))
	w.Canvas().Focus(f.prodServ.Focusable())
	typeKey(w, fyne.KeyEscape)
	if f.Dialog().Visible() {
		t.Fatal("Escape did not close the product form")
	}
}

// TestProductFormFitsTheWindow: at the sizes Folio runs at, "Guardar" and
// "Cancelar" are inside the window without scrolling, and no entry shows
// an example as if it were data.
func TestProductFormFitsTheWindow(t *testing.T) {
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
			for _, fl := range f.Dialog().Fields() {
				if e, ok := fl.Input.(*widgets.FormEntry); ok && e.PlaceHolder != "" {
					t.Errorf("%s: placeholder %q", fl.Label, e.PlaceHolder)
				}
			}
		})
	}
}

var decimal16 = sales.DemoProducts()[0].Taxes.IVATasa
