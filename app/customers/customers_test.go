package customers

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/internal/uitest"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
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

func TestCustomerFormValidatesAndSaves(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{}
	f := NewCustomerForm(store, rules(t), nil)
	w := test.NewWindow(f)
	defer w.Close()
	var saved *sales.Customer
	f.OnSaved = func(c *sales.Customer) { saved = c }

	// Given incomplete data, every problem is shown and nothing is stored.
	test.Type(f.rfc, "cacx7605101p8")
	test.Type(f.name, "XOCHILT CASAS CHAVEZ")
	test.Type(f.cp, "00000")
	f.saver.Submit()
	q.RunUntil(t, "problems shown", func() bool { return !f.saver.Saving() && strings.Contains(f.saver.Message.Text, "código postal") })
	if !strings.Contains(f.saver.Message.Text, "régimen") || len(store.all()) != 0 {
		t.Fatalf("message %q, stored %d", f.saver.Message.Text, len(store.all()))
	}
	// A bad number is caught before validation.
	test.Type(f.creditDays, "x")
	f.saver.Submit()
	if !strings.Contains(f.saver.Message.Text, "días de crédito") {
		t.Fatalf("message = %q", f.saver.Message.Text)
	}
	// When fixed, it is saved.
	f.creditDays.SetText("15")
	f.cp.SetText("36257")
	f.regimen.SetSelected(optionFor(f.regimen, "612"))
	f.uso.SetSelected(optionFor(f.uso, "G03"))
	f.emails.SetText("a@example.com, b@example.com")
	f.retISR.SetText("0.10")
	f.saver.Submit()
	q.RunUntil(t, "saved", func() bool { return saved != nil })
	got := store.all()
	if len(got) != 1 || got[0].RFC != "CACX7605101P8" || got[0].CreditDays != 15 || len(got[0].Emails) != 2 ||
		got[0].RetencionISR.String() != "0.1" || got[0].RegimenFiscal != "612" || !got[0].Active {
		t.Errorf("stored = %+v", got)
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
