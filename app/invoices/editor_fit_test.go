package invoices

import (
	"flag"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/folio-mx/folio/internal/uitest"
)

var screenshots = flag.Bool("screenshots", false, "write the editor's screenshots to docs/screenshots")

// screenSizes are the screens the editor and the list must fit: a laptop,
// the common 1366×768, and a tablet held upright.
var screenSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1366, Height: 768}, {Width: 800, Height: 1280}}

// sidebarOffset is the share of the window the main window's sidebar
// takes (app.showMain's split).
const sidebarOffset = 0.2

// sidebarMin is about the narrowest the main window's sidebar gets (the
// longest area name with its icon).
const sidebarMin = 160

// inMainWindow shows o where the main window shows a screen: right of a
// sidebar, in a window of size.
func inMainWindow(t *testing.T, o fyne.CanvasObject, size fyne.Size) fyne.Window {
	t.Helper()
	// The real theme (its font is wider than the test theme's) and a
	// sidebar as narrow as the app's can be.
	fyne.CurrentApp().Settings().SetTheme(theme.DefaultTheme())
	sidebar := canvas.NewRectangle(color.NRGBA{R: 0xe8, G: 0xe8, B: 0xe8, A: 0xff})
	sidebar.SetMinSize(fyne.NewSize(sidebarMin, 0))
	split := container.NewHSplit(sidebar, o)
	split.Offset = sidebarOffset
	w := test.NewWindow(split)
	t.Cleanup(w.Close)
	w.Resize(size)
	return w
}

// inside reports whether o is entirely inside c.
func inside(c fyne.Canvas, o fyne.CanvasObject) (fyne.Position, bool) {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	end := pos.Add(o.Size())
	return pos, o.Visible() && o.Size().Width > 0 && pos.X >= 0 && pos.Y >= 0 &&
		end.X <= c.Size().Width+0.5 && end.Y <= c.Size().Height+0.5
}

// TestEditorFitsTheScreen: at 1024×768, 1366×768 and 800×1280, with the
// sidebar beside it, the editor fits its window (no minimum wider than the
// screen), its total and its actions are in sight without scrolling, every
// column of a concept is inside the window (a card per concept on narrow
// screens) and the Moneda select shows its whole text (issue "A window
// that tells the truth and fits the screen").
func TestEditorFitsTheScreen(t *testing.T) {
	for _, size := range screenSizes {
		name := sizeName(size)
		t.Run(name, func(t *testing.T) {
			f := newEditorFixture(t)
			ed := NewInvoiceEditor(f.deps, f.co, nil)
			w := inMainWindow(t, ed, size)
			ed.Reload()
			f.q.RunUntil(t, "series loaded", func() bool { return ed.serie.Selected == "A" })
			c := w.Canvas()
			pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
			c.Focus(ed.lines[0].qty)
			addLineByKeyboard(t, f, ed, c, "100", "TOR-01", true)
			addLineByKeyboard(t, f, ed, c, "200", "CEM-01", false)
			// Lay everything out again with the content, as the next frame
			// would.
			w.Resize(size.SubtractWidthHeight(1, 1))
			w.Resize(size)
			c.Unfocus()

			if min := w.Content().MinSize(); min.Width > size.Width {
				t.Errorf("content needs %v px wide, window is %v", min.Width, size.Width)
			}
			if pos, ok := inside(c, ed.totals.total); !ok || ed.totals.total.Text != "$3,654.00 MXN" {
				t.Errorf("total %q at %v size %v: not inside the %v window", ed.totals.total.Text, pos, ed.totals.total.Size(), size)
			}
			for name, o := range map[string]fyne.CanvasObject{"Nueva": ed.newBtn, "Guardar": ed.saveBtn, "Emitir": ed.postBtn} {
				if pos, ok := inside(c, o); !ok || o.Size().Width < o.MinSize().Width {
					t.Errorf("%s at %v size %v (min %v): cut or outside the window", name, pos, o.Size(), o.MinSize())
				}
			}
			// Every field of a concept is as wide as the window allows:
			// nothing lies beyond the right edge.
			r := ed.lines[1]
			for name, o := range map[string]fyne.CanvasObject{"precio": r.price, "IVA": r.iva, "Ret. ISR": r.retISR, "importe": r.importe} {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				if end := pos.X + o.Size().Width; end > size.Width+0.5 || o.Size().Width < 40 {
					t.Errorf("%s of line 2 at x %v–%v, window %v wide", name, pos.X, end, size.Width)
				}
			}
			if ms := ed.moneda.Select; ms.Size().Width < ms.MinSize().Width {
				t.Errorf("Moneda select %v wide, needs %v", ms.Size().Width, ms.MinSize().Width)
			}
			if *screenshots {
				saveScreenshot(t, c, filepath.Join("..", "..", "docs", "screenshots", "editor-"+name+".png"))
			}
		})
	}
}

func sizeName(s fyne.Size) string {
	return itoa(int(s.Width)) + "x" + itoa(int(s.Height))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// saveScreenshot writes what c shows to path as PNG.
func saveScreenshot(t *testing.T, c fyne.Canvas, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, c.Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestInvoiceListFitsTheScreen: at 1024×768, 1366×768 and 800×1280, beside
// the sidebar, the list fits its window and every action button is whole
// and inside it ("Eliminar borrador" was cut at 1366×768), with the table
// between the filters and the actions.
func TestInvoiceListFitsTheScreen(t *testing.T) {
	for _, size := range screenSizes {
		t.Run(sizeName(size), func(t *testing.T) {
			_, q := uitest.NewApp(t)
			l := NewInvoiceList(actionFake{&fakeStore{rows: actionRows()}}, "EKU9003173C9")
			l.OnOpen, l.OnPrint, l.OnSend, l.OnCancel = func(int64) {}, func(int64) {}, func(int64) {}, func(int64) {}
			w := inMainWindow(t, l, size)
			l.Reload()
			q.RunUntil(t, "rows", func() bool { return len(l.rows) > 0 })
			w.Resize(size.SubtractWidthHeight(1, 1))
			w.Resize(size)
			c := w.Canvas()
			if min := w.Content().MinSize(); min.Width > size.Width {
				t.Errorf("content needs %v px wide, window is %v", min.Width, size.Width)
			}
			for _, a := range l.actions {
				if pos, ok := inside(c, a.button); !ok || a.button.Size().Width < a.button.MinSize().Width {
					t.Errorf("%q at %v size %v (min %v): cut or outside the window", a.button.Text, pos, a.button.Size(), a.button.MinSize())
				}
			}
			if l.table.Size().Height < 200 {
				t.Errorf("table only %v px high", l.table.Size().Height)
			}
		})
	}
}

// TestButtonsAreTouchTargets: the editor's and the list's buttons are at
// least 40 px in both directions, big enough for a finger.
func TestButtonsAreTouchTargets(t *testing.T) {
	f := newEditorFixture(t)
	ed := NewInvoiceEditor(f.deps, f.co, nil)
	w := inMainWindow(t, ed, fyne.NewSize(1366, 768))
	ed.Reload()
	f.q.RunUntil(t, "series loaded", func() bool { return ed.serie.Selected == "A" })
	w.Resize(fyne.NewSize(1365, 767))
	w.Resize(fyne.NewSize(1366, 768))
	for name, b := range map[string]fyne.CanvasObject{"Nueva": ed.newBtn, "Guardar": ed.saveBtn, "Emitir": ed.postBtn,
		"Agregar concepto": ed.addLine, "quitar concepto": ed.lines[0].remove} {
		if s := b.Size(); s.Width < touchSize || s.Height < touchSize {
			t.Errorf("%s is %v, want at least %d×%d", name, s, touchSize, touchSize)
		}
	}
}
