package catalogs

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

// call is one SearchCatalog call seen by fakeSearcher.
type call struct {
	catalog, query string
	limit          int
}

// fakeSearcher answers from a fixed list: entries whose key or description
// contains the query. A gate for a query holds that search until closed.
type fakeSearcher struct {
	mu      sync.Mutex
	entries []sat.Entry
	calls   []call
	gates   map[string]chan struct{}
	err     error
}

func (f *fakeSearcher) SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call{catalog, query, limit})
	gate, err := f.gates[query], f.err
	f.mu.Unlock()
	if gate != nil {
		<-gate // deliberately ignores ctx: a late answer must still be discarded
	}
	if err != nil {
		return nil, err
	}
	var out []sat.Entry
	for _, e := range f.entries {
		if e.Catalog == catalog && (strings.Contains(e.Key, query) || strings.Contains(strings.ToLower(e.Description), strings.ToLower(query))) {
			out = append(out, e)
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (f *fakeSearcher) Calls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func newFake() *fakeSearcher {
	return &fakeSearcher{entries: []sat.Entry{
		{Catalog: sat.ClaveProdServ, Key: "31161500", Description: "Tornillos"},
		{Catalog: sat.ClaveProdServ, Key: "31161501", Description: "Tornillos de cabeza hueca"},
		{Catalog: sat.ClaveProdServ, Key: "43211503", Description: "Computadores notebook"},
		{Catalog: sat.UsoCFDI, Key: "G03", Description: "Gastos en general"},
		{Catalog: sat.UsoCFDI, Key: "S01", Description: "Sin efectos fiscales"},
	}}
}

func keys(b *Browser) []string {
	var out []string
	for _, r := range b.rows {
		out = append(out, r.key)
	}
	return out
}

func TestCatalogsCoverEverySATCatalog(t *testing.T) {
	if got, want := Catalogs[0].Name, sat.ClaveProdServ; got != want {
		t.Errorf("first catalog = %s, want %s", got, want)
	}
	var names []string
	for _, c := range Catalogs {
		if c.Title == "" {
			t.Errorf("%s has no title", c.Name)
		}
		names = append(names, c.Name)
	}
	want := sat.Names()
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("catalogs offered = %v, want %v", names, want)
	}
}

func TestLoad(t *testing.T) {
	uitest.NewApp(t)
	f := newFake()
	b := NewBrowser(f)
	rows, err := b.load(context.Background(), sat.ClaveProdServ, "  tornillo ")
	if err != nil {
		t.Fatal(err)
	}
	want := []row{{"31161500", "Tornillos"}, {"31161501", "Tornillos de cabeza hueca"}}
	if !slices.Equal(rows, want) {
		t.Errorf("rows = %v, want %v", rows, want)
	}
	if got, want := f.Calls(), []call{{sat.ClaveProdServ, "tornillo", DefaultLimit}}; !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

func TestReloadShowsRowsAndCount(t *testing.T) {
	_, q := uitest.NewApp(t)
	b := NewBrowser(newFake())
	test.NewWindow(b)
	b.Reload()
	q.RunUntil(t, "first load", func() bool { return len(b.rows) > 0 })
	if got, want := keys(b), []string{"31161500", "31161501", "43211503"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if got, want := b.status.Text, "3 resultados"; got != want && got != "3 results" {
		t.Errorf("status = %q, want %q", got, want)
	}
	if r, c := b.table.Length(); r != 3 || c != 2 {
		t.Errorf("table size = %d×%d, want 3×2", r, c)
	}
}

func TestTypingSearchesOnceAfterPause(t *testing.T) {
	_, q := uitest.NewApp(t)
	f := newFake()
	b := NewBrowser(f)
	test.NewWindow(b)

	test.Type(b.search, "cabeza") // six keystrokes, well inside the debounce
	if n := len(f.Calls()); n != 0 {
		t.Fatalf("searched %d times before the pause", n)
	}
	q.RunUntil(t, "debounced search", func() bool { return len(b.rows) == 1 })
	q.Drain(2 * DefaultDebounce)
	if got, want := f.Calls(), []call{{sat.ClaveProdServ, "cabeza", DefaultLimit}}; !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if got, want := keys(b), []string{"31161501"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

func TestStaleResultsAreDiscarded(t *testing.T) {
	_, q := uitest.NewApp(t)
	gate := make(chan struct{})
	f := newFake()
	f.gates = map[string]chan struct{}{"Tornillos": gate}
	b := NewBrowser(f)
	test.NewWindow(b)

	// Given a slow search for "Tornillos" in flight,
	test.Type(b.search, "Tornillos")
	q.RunUntil(t, "first search", func() bool { return len(f.Calls()) == 1 })
	// when the user types on and that search is answered late,
	test.Type(b.search, " de")
	q.RunUntil(t, "second search", func() bool { return len(b.rows) == 1 })
	close(gate)
	q.Drain(100 * time.Millisecond)
	// then only the answer for the current text is shown.
	if got, want := keys(b), []string{"31161501"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v (stale result applied)", got, want)
	}
	if n := len(f.Calls()); n != 2 {
		t.Errorf("searches = %d, want 2", n)
	}
}

func TestChoosingCatalogSearchesIt(t *testing.T) {
	_, q := uitest.NewApp(t)
	f := newFake()
	b := NewBrowser(f)
	test.NewWindow(b)
	b.picker.SetSelectedIndex(slices.IndexFunc(Catalogs, func(c Catalog) bool { return c.Name == sat.UsoCFDI }))
	q.RunUntil(t, "catalog switch", func() bool { return len(b.rows) == 2 })
	if got, want := keys(b), []string{"G03", "S01"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if c := f.Calls(); c[len(c)-1].catalog != sat.UsoCFDI {
		t.Errorf("last search in %s, want %s", c[len(c)-1].catalog, sat.UsoCFDI)
	}
}

func TestSearchErrorShowsUserMessage(t *testing.T) {
	_, q := uitest.NewApp(t)
	f := newFake()
	f.err = domain.E(domain.Unavailable, "sqlite.SearchCatalog", "No se pudo leer la base de datos.", nil)
	b := NewBrowser(f)
	test.NewWindow(b)
	b.Reload()
	q.RunUntil(t, "error", func() bool { return b.status.Text == "No se pudo leer la base de datos." })
	if len(b.rows) != 0 {
		t.Errorf("rows = %v, want none", b.rows)
	}
}

func TestCountText(t *testing.T) {
	uitest.NewApp(t)
	tests := []struct {
		n    int
		want string // Spanish or English, depending on the test machine's locale
	}{
		{0, "Sin resultados|No results"},
		{1, "1 resultado|1 result"},
		{7, "7 resultados|7 results"},
		{DefaultLimit, "Se muestran los primeros 200 resultados; escriba más para afinar la búsqueda.|Showing the first 200 results; type more to narrow the search."},
	}
	for _, tt := range tests {
		got := countText(tt.n, DefaultLimit, "tornillo")
		if !slices.Contains(strings.Split(tt.want, "|"), got) {
			t.Errorf("countText(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
