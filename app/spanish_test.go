package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/app/translation"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/uitest"
	"github.com/folio-mx/folio/internal/wire"
)

// englishToolkitTexts are texts Fyne v2.7.1 writes in English without
// passing them through its translations; none may reach a Spanish screen.
var englishToolkitTexts = []string{
	"(Select one)", "Submit", "Cancel", "OK", "Yes", "Home", "Computer", "Desktop", "Documents", "Downloads",
	"Music", "Pictures", "Videos", "Movies", "App Files", "Template Object", "Overwrite?", "Cannot overwrite",
	"Open File", "Open Folder", "Save File", "Name", "Parent",
}

// englishTexts returns what must not show on a Spanish screen: the texts
// above, Fyne's English keys that toolkit.es.json translates, and every
// English text of en.json that is not also a Spanish text.
func englishTexts(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, s := range englishToolkitTexts {
		out[s] = true
	}
	for name, english := range map[string]func(k string, v any) (string, bool){
		"toolkit.es.json": func(k string, v any) (string, bool) { s, ok := v.(string); return k, ok && s != k },
		"en.json":         func(k string, v any) (string, bool) { s, ok := v.(string); return s, ok && s != k },
	} {
		data, err := translation.Files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, v := range m {
			if s, ok := english(k, v); ok {
				out[s] = true
			}
		}
	}
	// A word that is Spanish too ("Series", "No") is not a leak.
	data, err := translation.Files.ReadFile("es.json")
	if err != nil {
		t.Fatal(err)
	}
	var es map[string]any
	if err := json.Unmarshal(data, &es); err != nil {
		t.Fatal(err)
	}
	for k := range es {
		delete(out, k)
	}
	return out
}

// syncBuffer is a log destination shared with the screens' goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// quietWorker and fixedLedger stand in for the stamp worker and the PAC's
// balance on the "Timbres" screen.
type quietWorker struct{}

func (quietWorker) Status() stamping.Status                                  { return stamping.Status{Online: true} }
func (quietWorker) Kick()                                                    {}
func (quietWorker) Resubmit(context.Context, int64, []byte, time.Time) error { return nil }
func (quietWorker) Redate(context.Context, int64, stamping.Reseal) error     { return nil }
func (fixedLedger) Low(context.Context, stamping.Balance) (bool, error)      { return false, nil }
func (fixedLedger) Balance(_ context.Context, rfc string) (stamping.Balance, error) {
	return stamping.Balance{IssuerRFC: rfc, Stamps: 100, AsOf: time.Now(), Live: true}, nil
}

type fixedLedger struct{}

// visibleTexts returns every text drawn in o's tree.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		if txt, ok := obj.(*canvas.Text); ok && txt.Visible() && strings.TrimSpace(txt.Text) != "" {
			out = append(out, txt.Text)
		}
	}
	return out
}

// TestSpanishScreensShowNoEnglish walks the rendered tree of every area of
// the main window, of the form dialogs and of Fyne's dialogs that Folio
// opens, with the demo company's data: no text may be English, and no
// text may be missing from the translations (Fyne logs a "Translation
// failure" for each one it looks up in vain).
func TestSpanishScreensShowNoEnglish(t *testing.T) {
	logs := &syncBuffer{}
	log.SetOutput(io.MultiWriter(logs, os.Stderr))
	t.Cleanup(func() { log.SetOutput(os.Stderr) })

	fa, q := uitest.NewApp(t)
	if lang.L("Cancelar") != "Cancelar" {
		t.Skip("the screens are checked in Spanish; run with LANG=es_MX.UTF-8")
	}
	rules, err := satCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	store := sqlite.MustOpenTest(t)
	if _, err := wire.SeedDemo(context.Background(), store, io.Discard); err != nil {
		t.Fatal(err)
	}
	mails := sqlite.NewMailStore(store)
	a := New(fa, Services{Catalogs: store, Rules: rules, Companies: store, Customers: store, Products: store,
		SalesRules: rules, Invoices: store, Deliveries: mails, Setup: store, Secrets: wire.NewCompanies(store), Mail: mails,
		Stamps:    stamps.Deps{Store: sqlite.NewStampStore(store), Worker: quietWorker{}, Ledger: fixedLedger{}},
		ExportAll: func(context.Context, string, string, func(int, int)) (int, error) { return 0, nil },
		Quotes: quotes.Deps{Store: store, Editor: invoices.EditorDeps{Customers: store, Products: store, Series: store, Rules: rules,
			Invoices: &sales.Service{Invoices: store, Catalogs: rules}}},
	})
	a.win.Resize(fyne.NewSize(1366, 768))
	a.Start()
	q.RunUntil(t, "main view", func() bool { return a.Current() == areas[0].route })

	english := englishTexts(t)
	check := func(where string) {
		t.Helper()
		q.Drain(300 * time.Millisecond) // let the screen's loads finish
		objs := []fyne.CanvasObject{a.win.Content()}
		objs = append(objs, a.win.Canvas().Overlays().List()...)
		for _, o := range objs {
			for _, s := range visibleTexts(o) {
				if english[s] {
					t.Errorf("%s shows %q, in English", where, s)
				}
			}
		}
	}
	// find waits for an enabled button (a screen enables some once its
	// loads finish, later under load).
	find := func(text string) *widget.Button {
		t.Helper()
		var found *widget.Button
		q.RunUntil(t, "button "+text, func() bool {
			var objs []fyne.CanvasObject
			if top := a.win.Canvas().Overlays().Top(); top != nil {
				objs = test.LaidOutObjects(top)
			} else {
				objs = test.LaidOutObjects(a.win.Content())
			}
			for _, o := range objs {
				if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && !b.Disabled() {
					found = b
					return true
				}
			}
			return false
		})
		return found
	}
	closeTop := func(button string) {
		t.Helper()
		test.Tap(find(button))
		if n := len(a.win.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("%d overlays left after %q", n, button)
		}
	}

	for _, ar := range areas {
		a.Show(ar.route)
		check(ar.title)
		for _, o := range test.LaidOutObjects(a.win.Content()) {
			if tabs, ok := o.(*container.AppTabs); ok {
				for i, item := range tabs.Items {
					tabs.SelectIndex(i)
					check(ar.title + " › " + item.Text)
				}
			}
		}
	}

	// The quote editor.
	a.Show(RouteQuotes)
	test.Tap(find("Nueva cotización"))
	check("Nueva cotización")
	test.Tap(find("Volver a la lista"))

	// The form dialogs.
	a.Show(RouteCustomers)
	test.Tap(find("Nuevo cliente"))
	check("Nuevo cliente")
	closeTop("Cancelar")
	a.Show(RouteProducts)
	test.Tap(find("Nuevo producto"))
	check("Nuevo producto")
	closeTop("Cancelar")
	a.Show(RouteCompany)
	for _, o := range test.LaidOutObjects(a.win.Content()) {
		if tabs, ok := o.(*container.AppTabs); ok {
			tabs.SelectIndex(slices.IndexFunc(tabs.Items, func(it *container.TabItem) bool { return it.Text == "Empresas" }))
		}
	}
	q.Drain(200 * time.Millisecond)
	test.Tap(find("Agregar empresa"))
	check("Agregar empresa")
	closeTop("Cancelar")

	// Fyne's dialogs: choosing a folder, and a message.
	a.askExport()
	check("Exportar XML y PDF")
	closeTop("Cancelar")
	menu := a.win.MainMenu().Items
	about := menu[len(menu)-1].Items[0]
	about.Action()
	check(about.Label)
	closeTop("Aceptar")

	if n := strings.Count(logs.String(), "Translation failure"); n > 0 {
		t.Errorf("Fyne logged %d translation failures:\n%s", n, logs.String())
	}
}

// TestOutboxHintNamesARealPlace: the e-mail outbox tells the user where
// the SMTP settings are; that place must exist in the window.
func TestOutboxHintNamesARealPlace(t *testing.T) {
	a, _ := newTestApp(t, &fakeStore{})
	var goTo []string
	for _, m := range a.win.MainMenu().Items {
		if m.Label == "Ir a" || m.Label == "Go to" {
			for _, it := range m.Items {
				goTo = append(goTo, it.Label)
			}
		}
	}
	if !slices.Contains(goTo, "Correo") || !strings.Contains(delivery.MsgNoSettings, "Ir a › Correo") {
		t.Errorf("the hint %q does not match the menu Ir a %v", delivery.MsgNoSettings, goTo)
	}
	if strings.Contains(delivery.MsgNoSettings, "Configuración") {
		t.Errorf("the hint %q names a menu that does not exist", delivery.MsgNoSettings)
	}
}
