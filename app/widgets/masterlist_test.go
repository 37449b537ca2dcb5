package widgets

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/uitest"
)

// thing is the item type of the tests; thingRow its formatted row.
type thing struct {
	id     int
	name   string
	active bool
}

type thingRow struct{ name, estado string }

// things is an in-memory store; a query listed in block waits until its
// channel is closed, to test that stale results are dropped.
type things struct {
	mu      sync.Mutex
	items   []thing
	block   map[string]chan struct{}
	failSet error
	queries []string
}

func (s *things) load(_ context.Context, query string, inactive bool) ([]thing, []thingRow, error) {
	s.mu.Lock()
	s.queries = append(s.queries, query)
	wait := s.block[query]
	s.mu.Unlock()
	if wait != nil {
		<-wait
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if query == "roto" {
		return nil, nil, domain.E(domain.Unavailable, "load things", "La base de datos no responde.", errors.New("disk"))
	}
	var items []thing
	var rows []thingRow
	for _, it := range s.items {
		if (it.active || inactive) && strings.Contains(it.name, query) {
			r := thingRow{name: it.name, estado: "Activo"}
			if !it.active {
				r.estado = "Baja"
			}
			items, rows = append(items, it), append(rows, r)
		}
	}
	return items, rows, nil
}

func (s *things) setActive(_ context.Context, it thing, active bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failSet != nil {
		return s.failSet
	}
	for i := range s.items {
		if s.items[i].id == it.id {
			s.items[i].active = active
		}
	}
	return nil
}

// searched reports whether a search for query has started. Searches run
// on goroutines of their own, so the one for "m" may start after the one
// for "me".
func (s *things) searched(query string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.queries, query)
}

// newThingList returns a list over s and the items passed to Open.
func newThingList(s *things) (*MasterList[thing, thingRow], *[]*thing) {
	var opened []*thing
	l := NewMasterList(MasterListConfig[thing, thingRow]{
		Placeholder: "Buscar cosas",
		NewText:     "Nueva cosa",
		Columns: []Column[thingRow]{
			{Title: "Nombre", Width: 200, Text: func(r thingRow) string { return r.name }},
			{Title: "Estado", Width: 80, Text: func(r thingRow) string { return r.estado }},
		},
		Load:      s.load,
		CountText: func(n int) string { return fmt.Sprintf("Cosas: %d", n) },
		Active:    func(t thing) bool { return t.active },
		SetActive: s.setActive,
		Open:      func(t *thing) { opened = append(opened, t) },
	})
	return l, &opened
}

func names(rows []thingRow) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.name)
	}
	return strings.Join(out, ",")
}

func TestMasterList(t *testing.T) {
	_, q := uitest.NewApp(t)
	s := &things{items: []thing{{1, "mesa", true}, {2, "mesita", true}, {3, "silla", false}}}
	l, opened := newThingList(s)
	w := test.NewWindow(l)
	defer w.Close()

	// Given a fresh list, nothing is loaded and nothing can be edited.
	if len(l.Rows()) != 0 || !l.Edit.Disabled() || !l.Toggle.Disabled() || l.Search.PlaceHolder != "Buscar cosas" {
		t.Fatalf("fresh list: rows %d, edit disabled %v, toggle disabled %v", len(l.Rows()), l.Edit.Disabled(), l.Toggle.Disabled())
	}

	// When reloaded, active items are shown with their count.
	l.Reload()
	q.RunUntil(t, "first load", func() bool { return l.Status.Text == "Cosas: 2" })
	if got, want := names(l.Rows()), "mesa,mesita"; got != want {
		t.Errorf("rows = %s, want %s", got, want)
	}
	if r, c := l.Table.Length(); r != 2 || c != 2 {
		t.Errorf("table size = %d×%d, want 2×2", r, c)
	}

	// Selecting a row enables edit and toggle, labelled after the flag;
	// Edit opens a copy of the item, Nuevo opens nil.
	l.Table.Select(widget.TableCellID{Row: 1})
	if l.Edit.Disabled() || l.Toggle.Disabled() || l.Toggle.Text != "Dar de baja" {
		t.Fatalf("after select: edit disabled %v, toggle %q", l.Edit.Disabled(), l.Toggle.Text)
	}
	test.Tap(l.Edit)
	test.Tap(l.New)
	if len(*opened) != 2 || (*opened)[0] == nil || (*opened)[0].name != "mesita" || (*opened)[1] != nil {
		t.Fatalf("opened = %v", *opened)
	}
	(*opened)[0].name = "cambiada"
	if l.Selected().name != "mesita" {
		t.Error("Open received the list's own item, not a copy")
	}

	// Toggling deactivates in the store and reloads without a selection.
	test.Tap(l.Toggle)
	q.RunUntil(t, "deactivated", func() bool { return l.Status.Text == "Cosas: 1" })
	if names(l.Rows()) != "mesa" || l.Selected() != nil || !l.Edit.Disabled() {
		t.Errorf("after toggle: rows %s, selected %v, edit disabled %v", names(l.Rows()), l.Selected(), l.Edit.Disabled())
	}

	// Inactive items appear when asked for, and toggle then reactivates.
	test.Tap(l.Inactive)
	q.RunUntil(t, "inactive shown", func() bool { return l.Status.Text == "Cosas: 3" })
	l.Table.Select(widget.TableCellID{Row: 2})
	if l.Toggle.Text != "Reactivar" || l.Selected().name != "silla" {
		t.Fatalf("inactive row: toggle %q, selected %v", l.Toggle.Text, l.Selected())
	}

	// A failing toggle shows the user message and keeps the rows.
	s.mu.Lock()
	s.failSet = domain.E(domain.Conflict, "set thing", "La cosa está en uso.", nil)
	s.mu.Unlock()
	test.Tap(l.Toggle)
	q.RunUntil(t, "toggle error", func() bool { return l.Status.Text == "La cosa está en uso." })
	if len(l.Rows()) != 3 {
		t.Errorf("rows after failed toggle = %d", len(l.Rows()))
	}

	// A failing search shows the user message, not the cause.
	l.Search.SetText("roto")
	q.RunUntil(t, "load error", func() bool { return l.Status.Text == "La base de datos no responde." })
}

func TestMasterListDropsStaleResults(t *testing.T) {
	_, q := uitest.NewApp(t)
	release := make(chan struct{})
	s := &things{items: []thing{{1, "mesa", true}, {2, "mesita", true}}, block: map[string]chan struct{}{"me": release}}
	l, _ := newThingList(s)
	w := test.NewWindow(l)
	defer w.Close()

	// Given a slow search for "me", when the user keeps typing, the newer
	// search for "mes" is shown…
	test.Type(l.Search, "me")
	q.RunUntil(t, "slow search started", func() bool { return s.searched("me") })
	test.Type(l.Search, "s")
	q.RunUntil(t, "newer search shown", func() bool { return l.Status.Text == "Cosas: 2" })
	s.mu.Lock()
	s.items = s.items[:1]
	s.mu.Unlock()
	// …and the slow one, which would show one row, is dropped when it ends.
	close(release)
	q.Drain(100 * time.Millisecond)
	if got := len(l.Rows()); got != 2 || l.Status.Text != "Cosas: 2" {
		t.Errorf("after stale result: rows %d, status %q", got, l.Status.Text)
	}
}

// TestMasterListToolbarFits: the list asks for no more width than its
// two-row toolbar, and lays the toolbar on one row where that fits and on
// two (the search above the buttons) where it does not, every button
// inside the list.
func TestMasterListToolbarFits(t *testing.T) {
	uitest.NewApp(t)
	l, _ := newThingList(&things{})
	w := test.NewWindow(l)
	defer w.Close()
	oneRowWidth := l.Search.MinSize().Width + l.Inactive.MinSize().Width + l.New.MinSize().Width +
		l.Edit.MinSize().Width + l.Toggle.MinSize().Width
	if got := l.MinSize().Width; got >= oneRowWidth {
		t.Fatalf("min width %v, want less than the one-row toolbar's %v", got, oneRowWidth)
	}
	for _, c := range []struct {
		width  float32
		twoRow bool
	}{{oneRowWidth + 200, false}, {l.MinSize().Width + 10, true}} {
		w.Resize(fyne.NewSize(c.width, 500))
		l.Resize(fyne.NewSize(c.width, 500))
		toggle := fyne.CurrentApp().Driver().AbsolutePositionForObject(l.Toggle)
		search := fyne.CurrentApp().Driver().AbsolutePositionForObject(l.Search)
		if twoRow := toggle.Y > search.Y+1; twoRow != c.twoRow {
			t.Errorf("width %v: two rows = %v, want %v", c.width, twoRow, c.twoRow)
		}
		origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
		if right := toggle.X - origin.X + l.Toggle.Size().Width; right > c.width+1 {
			t.Errorf("width %v: Dar de baja ends at %v, outside the list", c.width, right)
		}
	}
}
