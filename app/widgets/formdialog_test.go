package widgets

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// pet is the item of the form dialog tests.
type pet struct{ name, kind string }

// petForm is a form dialog over a pet with extra empty fields, enough to
// need scrolling in a small window.
type petForm struct {
	d     *FormDialog[pet]
	name  *FormEntry
	kind  *FormSelect
	notes *FormEntry

	mu     sync.Mutex
	stored []pet
	saved  []pet
}

func (p *petForm) Stored() []pet {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pet(nil), p.stored...)
}

func newPetForm(w fyne.Window, extra int) *petForm {
	p := &petForm{name: NewFormEntry(), kind: NewFormSelect([]string{"perro", "gato"}, nil), notes: NewFormMultiLineEntry()}
	fields := []*Field{
		{Key: "Name", Label: "Nombre", Input: p.name, Hint: "Ejemplo: Firulais"},
		{Key: "Kind", Label: "Especie", Input: p.kind},
		{Key: "Notes", Label: "Notas", Input: p.notes},
	}
	for i := range extra {
		fields = append(fields, &Field{Label: fmt.Sprintf("Campo %d", i), Input: NewFormEntry(), Hint: "Una línea de ayuda"})
	}
	p.d = NewFormDialog(w, FormDialogConfig[pet]{
		Title:  "Nueva mascota",
		Fields: fields,
		Build:  func() (*pet, error) { return &pet{name: p.name.Text, kind: p.kind.Selected}, nil },
		Validate: func(x *pet) error {
			var errs []error
			if strings.TrimSpace(x.name) == "" {
				errs = append(errs, &sales.FieldError{Field: "Name", Err: domain.E(domain.Invalid, "validate pet", "Escriba el nombre.", nil)})
			}
			if x.kind == "" {
				errs = append(errs, &sales.FieldError{Field: "Kind", Err: domain.E(domain.Invalid, "validate pet", "Elija la especie.", nil)})
			}
			return errors.Join(errs...)
		},
		Save: func(_ context.Context, x *pet) error {
			if x.name == "Duplicado" {
				return domain.E(domain.Conflict, "save pet", "Ya existe una mascota con ese nombre.", errors.New("unique"))
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			p.stored = append(p.stored, *x)
			return nil
		},
		OnSaved: func(x *pet) { p.saved = append(p.saved, *x) },
	})
	return p
}

// newFormWindow returns a window of the given canvas size showing a label.
func newFormWindow(t *testing.T, size fyne.Size) fyne.Window {
	t.Helper()
	w := test.NewWindow(widget.NewLabel("ventana"))
	t.Cleanup(w.Close)
	w.Resize(size)
	return w
}

// typeKey sends a key the way the driver does: to the focused widget, or
// to the canvas when none has the focus.
func typeKey(w fyne.Window, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

// buttonIn returns the button labelled text shown in o's tree.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestFormDialogEscapeClosesAndAsksOnlyAfterChanges(t *testing.T) {
	uitest.NewApp(t)
	w := newFormWindow(t, fyne.NewSize(1024, 768))
	p := newPetForm(w, 0)

	// Untouched, Escape closes at once, wherever the focus is.
	p.d.Show()
	if w.Canvas().Focused() != fyne.Focusable(p.name) {
		t.Fatalf("focused %T, want the first field", w.Canvas().Focused())
	}
	typeKey(w, fyne.KeyEscape)
	if p.d.Visible() || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatal("Escape did not close the untouched dialog")
	}
	if w.Canvas().OnTypedKey() != nil {
		t.Error("the window keeps the dialog's key handler")
	}

	// With something typed, Escape asks; Escape again keeps editing.
	p.d.Show()
	test.Type(p.name, "Fido")
	typeKey(w, fyne.KeyEscape)
	if !p.d.Confirming() || !p.d.Visible() {
		t.Fatalf("after Escape with changes: confirming %v, visible %v", p.d.Confirming(), p.d.Visible())
	}
	typeKey(w, fyne.KeyEscape)
	if p.d.Confirming() || !p.d.Visible() {
		t.Fatalf("Escape on the question: confirming %v, visible %v", p.d.Confirming(), p.d.Visible())
	}
	// "Cancelar" asks too, and "Descartar" closes.
	test.Tap(p.d.CancelButton)
	test.Tap(buttonIn(t, w.Canvas().Overlays().Top(), "Descartar"))
	if p.d.Visible() || len(p.Stored()) != 0 {
		t.Fatalf("after Descartar: visible %v, stored %v", p.d.Visible(), p.Stored())
	}

	// Escape from a select (it has the focus after a choice) closes too.
	p = newPetForm(w, 0)
	p.d.Show()
	w.Canvas().Focus(p.kind)
	typeKey(w, fyne.KeyEscape)
	if p.d.Visible() {
		t.Error("Escape in a select did not close the dialog")
	}
}

func TestFormDialogTapOutsideCloses(t *testing.T) {
	uitest.NewApp(t)
	w := newFormWindow(t, fyne.NewSize(1366, 768))
	p := newPetForm(w, 0)
	p.d.Show()
	test.TapCanvas(w.Canvas(), fyne.NewPos(2, 2))
	if p.d.Visible() {
		t.Error("a tap outside did not close the untouched dialog")
	}
	p.d.Show()
	test.Type(p.name, "Fido")
	test.TapCanvas(w.Canvas(), fyne.NewPos(2, 2))
	if !p.d.Confirming() {
		t.Error("a tap outside closed a changed dialog without asking")
	}
}

func TestFormDialogEnterSaves(t *testing.T) {
	_, q := uitest.NewApp(t)
	w := newFormWindow(t, fyne.NewSize(1024, 768))
	p := newPetForm(w, 0)
	p.d.Show()
	test.Type(p.name, "Fido")
	p.kind.SetSelected("perro")
	w.Canvas().Focus(p.name)
	typeKey(w, fyne.KeyReturn)
	if !p.d.Saving() || !p.name.Disabled() || p.d.Message() != "Guardando…" {
		t.Fatalf("saving %v, name disabled %v, message %q", p.d.Saving(), p.name.Disabled(), p.d.Message())
	}
	typeKey(w, fyne.KeyReturn) // ignored while saving
	q.RunUntil(t, "saved", func() bool { return len(p.saved) == 1 })
	if got := p.Stored(); len(got) != 1 || got[0] != (pet{"Fido", "perro"}) {
		t.Errorf("stored %v", got)
	}
	if p.d.Visible() {
		t.Error("the dialog stays open after saving")
	}

	// Enter in the multi-line notes starts a new line instead.
	p = newPetForm(w, 0)
	p.d.Show()
	w.Canvas().Focus(p.notes)
	typeKey(w, fyne.KeyReturn)
	if p.d.Saving() || p.notes.Text != "\n" {
		t.Errorf("Enter in notes: saving %v, notes %q", p.d.Saving(), p.notes.Text)
	}
}

func TestFormDialogShowsErrorsBesideTheirFields(t *testing.T) {
	_, q := uitest.NewApp(t)
	w := newFormWindow(t, fyne.NewSize(1366, 768))
	p := newPetForm(w, 0)
	p.d.Show()

	test.Tap(p.d.SaveButton)
	q.RunUntil(t, "problems shown", func() bool { return !p.d.Saving() })
	name, kind := p.d.Field("Name"), p.d.Field("Kind")
	if name.Error() != "Escriba el nombre." || kind.Error() != "Elija la especie." {
		t.Fatalf("errors: name %q, kind %q", name.Error(), kind.Error())
	}
	// The error line is right under its input, not at the bottom.
	drv := fyne.CurrentApp().Driver()
	in, line := drv.AbsolutePositionForObject(p.name), drv.AbsolutePositionForObject(name.ErrorLine())
	if line.Y < in.Y+p.name.Size().Height || line.Y > in.Y+p.name.Size().Height+60 || line.X != in.X {
		t.Errorf("error line at %v, input at %v (height %v)", line, in, p.name.Size().Height)
	}
	if p.d.Message() != "Revise los campos marcados en rojo." {
		t.Errorf("message = %q", p.d.Message())
	}

	// Fixing a field clears its error at once; the other stays.
	test.Type(p.name, "Fido")
	q.RunUntil(t, "name error cleared", func() bool { return name.Error() == "" })
	if kind.Error() == "" {
		t.Error("the species error was cleared without a fix")
	}
	p.kind.SetSelected("gato")
	q.RunUntil(t, "kind error cleared", func() bool { return kind.Error() == "" && p.d.Message() == "" })

	// A problem no field shows goes to the message line.
	p.name.SetText("Duplicado")
	test.Tap(p.d.SaveButton)
	q.RunUntil(t, "conflict shown", func() bool { return p.d.Message() == "Ya existe una mascota con ese nombre." })
	if !p.d.Visible() || p.name.Disabled() {
		t.Errorf("after a failed save: visible %v, name disabled %v", p.d.Visible(), p.name.Disabled())
	}
}

// TestFormDialogFitsTheWindow opens a long form in windows of the sizes
// Folio is used at: the buttons are always inside the window, outside the
// scrolled body, and the wheel over an entry scrolls the body.
func TestFormDialogFitsTheWindow(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1366, Height: 768}, {Width: 800, Height: 1280}, {Width: 1366, Height: 620}} {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			_, q := uitest.NewApp(t)
			w := newFormWindow(t, size)
			p := newPetForm(w, 25)
			p.d.Show()
			assertInside(t, w, p.d.SaveButton, p.d.CancelButton)
			// With problems shown, the message line sits above the buttons,
			// and both stay in the window.
			test.Tap(p.d.SaveButton)
			q.RunUntil(t, "problems shown", func() bool { return !p.d.Saving() && p.d.Message() != "" })
			assertInside(t, w, p.d.SaveButton, p.d.CancelButton, p.d.message)
			drv := fyne.CurrentApp().Driver()
			if msg, btn := drv.AbsolutePositionForObject(p.d.message), drv.AbsolutePositionForObject(p.d.SaveButton); msg.Y+p.d.message.Size().Height > btn.Y {
				t.Errorf("the message (y %v, height %v) overlaps the buttons (y %v)", msg.Y, p.d.message.Size().Height, btn.Y)
			}
			for _, o := range test.LaidOutObjects(p.d.Scroll()) {
				if o == fyne.CanvasObject(p.d.SaveButton) {
					t.Fatal("the buttons scroll with the fields")
				}
			}
			before := p.d.Scroll().Offset.Y
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.name).AddXY(10, 10)
			test.Scroll(w.Canvas(), pos, 0, -200)
			if p.d.Scroll().Offset.Y <= before {
				t.Errorf("the wheel over an entry did not scroll the form (offset %v)", p.d.Scroll().Offset.Y)
			}
		})
	}
}

// assertInside fails unless each object is visible and wholly inside the
// window's canvas.
func assertInside(t *testing.T, w fyne.Window, objs ...fyne.CanvasObject) {
	t.Helper()
	c := w.Canvas().Size()
	for _, o := range objs {
		p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		s := o.Size()
		if !o.Visible() || s.Width <= 0 || s.Height <= 0 || p.X < 0 || p.Y < 0 || p.X+s.Width > c.Width || p.Y+s.Height > c.Height {
			t.Errorf("%T at %v size %v is not inside the %v window", o, p, s, c)
		}
	}
}

// TestFileSaveOverwriteInSpanish: the question Fyne's save dialog asks
// before replacing a file, in English in Fyne, reads in Spanish.
func TestFileSaveOverwriteInSpanish(t *testing.T) {
	uitest.NewApp(t)
	w := newFormWindow(t, fyne.NewSize(1024, 768))
	dialog.ShowConfirm("Overwrite?", "Are you sure you want to overwrite the file\nA-1.xml?", func(bool) {}, w)
	localizeOverwrite(w)
	var texts []string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	for _, s := range texts {
		if strings.Contains(s, "verwrite") {
			t.Errorf("still in English: %q", s)
		}
	}
	if !slices.Contains(texts, "Ya existe «A-1.xml». ¿Desea reemplazarlo?") && !slices.Contains(texts, "“A-1.xml” already exists. Do you want to replace it?") {
		t.Errorf("texts = %q", texts)
	}
}
