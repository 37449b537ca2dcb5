package widgets

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeCatalog serves a few c_ClaveUnidad entries by key prefix or words of
// the description, records the queries and can hold one query until
// released.
type fakeCatalog struct {
	mu      sync.Mutex
	queries []string
	hold    map[string]chan struct{}
}

var unidades = []sat.Entry{
	{Key: "H87", Description: "Pieza"},
	{Key: "E48", Description: "Unidad de servicio"},
	{Key: "KGM", Description: "Kilogramo"},
	{Key: "KT", Description: "Kit"},
	{Key: "XBX", Description: "Caja"},
}

func (f *fakeCatalog) SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	f.mu.Lock()
	f.queries = append(f.queries, catalog+":"+query)
	ch := f.hold[query]
	f.mu.Unlock()
	if ch != nil {
		<-ch
	}
	var out []sat.Entry
	q := strings.ToLower(query)
	for _, e := range unidades {
		if strings.HasPrefix(strings.ToLower(e.Key), q) || strings.Contains(strings.ToLower(e.Description), q) {
			out = append(out, e)
		}
	}
	return out[:min(len(out), limit)], nil
}

func (f *fakeCatalog) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queries)
}

func newPicker(t *testing.T, src CatalogSearcher) (*CatalogPicker, fyne.Window, *uitest.Queue) {
	t.Helper()
	_, q := uitest.NewApp(t)
	p := NewCatalogPicker(src, sat.ClaveUnidad, "H87")
	p.debounce = 20 * time.Millisecond
	w := test.NewWindow(p)
	w.Resize(fyne.NewSize(400, 300))
	t.Cleanup(w.Close)
	return p, w, q
}

func TestCatalogPickerSearchesAndPicksByKeyboard(t *testing.T) {
	src := &fakeCatalog{}
	p, w, q := newPicker(t, src)
	var changes []string
	p.OnChanged = func(k string) { changes = append(changes, k) }

	// Typing fast searches once, after the pause, with the whole text.
	w.Canvas().Focus(p.entry)
	test.Type(p.entry, "k")
	test.Type(p.entry, "g")
	q.RunUntil(t, "suggestions", func() bool { return len(p.Suggestions()) > 0 })
	if got := src.asked(); !slices.Equal(got, []string{"c_ClaveUnidad:kg"}) {
		t.Errorf("queries = %q, want one for kg", got)
	}
	if got := p.Suggestions(); !slices.Equal(got, []string{"KGM — Kilogramo"}) {
		t.Errorf("suggestions = %q", got)
	}

	// Down moves into the list, Up moves back, Enter picks: the entry
	// shows key and description, Key is the key and OnChanged saw it.
	p.entry.SetText("")
	q.Drain(60 * time.Millisecond)
	if p.Suggestions() != nil {
		t.Errorf("empty text: suggestions %q", p.Suggestions())
	}
	test.Type(p.entry, "i")
	q.RunUntil(t, "suggestions for i", func() bool { return len(p.Suggestions()) == 4 })
	for _, k := range []fyne.KeyName{fyne.KeyDown, fyne.KeyDown, fyne.KeyDown, fyne.KeyUp, fyne.KeyReturn} {
		p.entry.TypedKey(&fyne.KeyEvent{Name: k})
	}
	if p.Key() != "E48" || p.Text() != "E48 — Unidad de servicio" || p.Suggestions() != nil {
		t.Errorf("after Enter: key %q, text %q, suggestions %q", p.Key(), p.Text(), p.Suggestions())
	}
	q.Drain(60 * time.Millisecond)
	if n := len(src.asked()); n != 2 {
		t.Errorf("picking searched again: %d queries", n)
	}
	if want := []string{"k", "kg", "", "i", "E48"}; !slices.Equal(changes, want) {
		t.Errorf("OnChanged = %q, want %q", changes, want)
	}

	// A key typed by hand is the key; SetKey shows one without searching.
	p.entry.SetText("")
	test.Type(p.entry, "xbx ")
	if p.Key() != "xbx" {
		t.Errorf("typed key = %q", p.Key())
	}
	p.SetKey("H87")
	q.Drain(60 * time.Millisecond)
	if p.Key() != "H87" || p.Text() != "H87" || p.Suggestions() != nil {
		t.Errorf("SetKey: key %q, text %q, suggestions %q", p.Key(), p.Text(), p.Suggestions())
	}
}

func TestCatalogPickerTapAndEscape(t *testing.T) {
	src := &fakeCatalog{}
	p, w, q := newPicker(t, src)
	w.Canvas().Focus(p.entry)
	test.Type(p.entry, "k")
	q.RunUntil(t, "suggestions", func() bool { return len(p.Suggestions()) == 2 })
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.Suggestions() != nil || p.Key() != "k" {
		t.Errorf("Escape: suggestions %q, key %q", p.Suggestions(), p.Key())
	}
	test.Type(p.entry, "t")
	q.RunUntil(t, "suggestions for kt", func() bool { return len(p.Suggestions()) == 1 })
	p.list.Select(0) // a tap on the first suggestion
	if p.Key() != "KT" || p.Text() != "KT — Kit" {
		t.Errorf("tap: key %q, text %q", p.Key(), p.Text())
	}
}

func TestCatalogPickerDropsStaleResults(t *testing.T) {
	release := make(chan struct{})
	src := &fakeCatalog{hold: map[string]chan struct{}{"p": release}}
	p, w, q := newPicker(t, src)
	w.Canvas().Focus(p.entry)

	// Given a slow search for "p" in flight,
	test.Type(p.entry, "p")
	q.RunUntil(t, "search for p started", func() bool { return len(src.asked()) == 1 })
	// when the user types on and the newer search answers first,
	test.Type(p.entry, "ie")
	q.RunUntil(t, "suggestions for pie", func() bool { return len(p.Suggestions()) == 1 })
	// then the late answer for "p" does not replace it.
	close(release)
	q.Drain(100 * time.Millisecond)
	if got := p.Suggestions(); !slices.Equal(got, []string{"H87 — Pieza"}) {
		t.Errorf("suggestions = %q, want only the newest search's", got)
	}
}
