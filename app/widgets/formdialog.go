package widgets

import (
	"context"
	"errors"
	"image/color"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// formSaveTimeout bounds one Save of a form dialog.
const formSaveTimeout = 30 * time.Second

// Field is one input of a form dialog: a label beside it, and below it a
// hint line (help and examples: an example never goes inside the entry as
// a placeholder, where it looks like data) and an error line that shows
// the problem of this field after "Guardar" and clears as soon as the
// field is fixed.
type Field struct {
	// Key is the name of the domain field whose problems this row shows:
	// sales.FieldError.Field, such as "RFC" or "Taxes.RetIVA". Empty for
	// none.
	Key string
	// Label is shown beside the input, already translated.
	Label string
	// Input is what the user edits. FormEntry, FormSelect, FormCheck and
	// CatalogPicker pass Escape and Enter to the dialog; widget.Entry,
	// widget.Select and widget.Check work, but a key typed in them stays
	// there.
	Input fyne.CanvasObject
	// Hint, when not empty, is the line below the input, already
	// translated.
	Hint string

	errLine *widget.Label
}

// Error returns the problem shown under the field, "" when none.
func (f *Field) Error() string {
	if f.errLine == nil || !f.errLine.Visible() {
		return ""
	}
	return f.errLine.Text
}

// ErrorLine returns the label under the input that shows the field's
// problem (hidden when there is none), for tests and layouts.
func (f *Field) ErrorLine() *widget.Label { return f.errLine }

func (f *Field) setError(msg string) {
	if msg == "" {
		f.errLine.SetText("")
		f.errLine.Hide()
		return
	}
	f.errLine.SetText(msg)
	f.errLine.Show()
}

// FormDialogConfig describes a form dialog whose fields make an item of
// type T. Title, Fields, Build and Save are required.
type FormDialogConfig[T any] struct {
	// Title of the dialog, already translated.
	Title string
	// Intro, when not empty, is a paragraph above the fields.
	Intro string
	// Fields, top to bottom (also the Tab order).
	Fields []*Field
	// SaveText labels the save button ["Guardar"].
	SaveText string
	// Width is the width the dialog asks for [680]; the dialog is never
	// wider or taller than its window, and no taller than its fields need.
	Width float32
	// Build returns the item the fields hold; it runs on the UI goroutine
	// and must be quick. Problems found while reading the fields (a number
	// that does not parse) are returned as *sales.FieldError values joined
	// in the error; when the item is not nil they are shown together with
	// Validate's, and nothing is saved.
	Build func() (*T, error)
	// Validate, when set, checks the item off the UI goroutine and returns
	// its problems (sales.FieldError values go under their fields). It also
	// runs as the user fixes the fields, to clear the problems fixed.
	Validate func(*T) error
	// Save stores a valid item; it runs off the UI goroutine. Its errors
	// are shown like Validate's.
	Save func(context.Context, *T) error
	// OnSaved, when set, is called on the UI goroutine with the stored item,
	// after the dialog closed.
	OnSaved func(*T)
}

// FormDialog is the one way Folio shows a form in a dialog: fields with
// their hint and error lines in a body that scrolls (also with the mouse
// wheel over an entry), and below it, outside the scroll and so always in
// view, a message line and the "Cancelar" and "Guardar" buttons. The dialog
// fits its window. Escape, "Cancelar" or a click outside the dialog close
// it, asking first only when a field was changed; Enter saves. Saving
// builds, validates and stores the item off the UI goroutine with the
// inputs disabled; each problem is shown under its field and the first one
// is scrolled into view; on success the dialog closes.
//
// Create it with NewFormDialog and call Show; its methods run on the UI
// goroutine.
type FormDialog[T any] struct {
	cfg FormDialogConfig[T]
	win fyne.Window

	overlay *formOverlay
	box     *fyne.Container
	content *fyne.Container
	scroll  *container.Scroll
	title   *widget.Label
	message *widget.Label
	// SaveButton and CancelButton are exposed for tests and screens that
	// need to focus them; do not replace them.
	SaveButton, CancelButton *widget.Button

	initial     []string
	disabled    []bool // inputs disabled before a save started
	saving      bool
	shown       bool
	gen         uint64 // bumped by every save and check; older checks are stale
	prevKey     func(*fyne.KeyEvent)
	confirm     dialog.Dialog
	confirmOpen bool
}

// NewFormDialog builds the dialog on win without showing it.
func NewFormDialog[T any](win fyne.Window, cfg FormDialogConfig[T]) *FormDialog[T] {
	if cfg.SaveText == "" {
		cfg.SaveText = lang.L("Guardar")
	}
	if cfg.Width == 0 {
		cfg.Width = 680
	}
	d := &FormDialog[T]{cfg: cfg, win: win}
	d.title = widget.NewLabelWithStyle(cfg.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.message = widget.NewLabel("")
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Hide()
	d.SaveButton = widget.NewButtonWithIcon(cfg.SaveText, theme.DocumentSaveIcon(), d.Save)
	d.SaveButton.Importance = widget.HighImportance
	d.CancelButton = widget.NewButtonWithIcon(lang.L("Cancelar"), theme.CancelIcon(), d.Cancel)

	d.content = container.NewVBox()
	// The scroll bar is drawn over the content's right edge: keep the
	// inputs clear of it.
	gutter := canvas.NewRectangle(color.Transparent)
	gutter.SetMinSize(fyne.NewSize(theme.Padding()*3, 0))
	d.scroll = container.NewVScroll(container.NewBorder(nil, nil, nil, gutter, d.content))
	if cfg.Intro != "" {
		intro := widget.NewLabel(cfg.Intro)
		intro.Wrapping = fyne.TextWrapWord
		d.content.Add(intro)
	}
	rows := container.New(layout.NewFormLayout())
	keys := func(k fyne.KeyName) bool { return d.typedKey(k) }
	for _, f := range cfg.Fields {
		f.errLine = widget.NewLabel("")
		f.errLine.Importance = widget.DangerImportance
		f.errLine.Wrapping = fyne.TextWrapWord
		f.errLine.Hide()
		lines := []fyne.CanvasObject{d.wheelAware(f.Input)}
		if f.Hint != "" {
			hint := widget.NewLabelWithStyle(f.Hint, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
			hint.SizeName = theme.SizeNameCaptionText
			hint.Wrapping = fyne.TextWrapWord
			lines = append(lines, hint)
		}
		lines = append(lines, f.errLine)
		label := widget.NewLabelWithStyle(f.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		rows.Add(container.NewVBox(label))
		rows.Add(container.NewVBox(lines...))
		if k, ok := f.Input.(formKeyer); ok {
			k.setFormKeys(keys)
		}
		d.watch(f.Input)
	}
	d.content.Add(rows)

	buttons := container.NewHBox(layout.NewSpacer(), d.CancelButton, d.SaveButton)
	footer := container.NewVBox(widget.NewSeparator(), d.message, buttons)
	d.box = container.NewPadded(container.NewBorder(
		container.NewVBox(d.title, widget.NewSeparator()), footer, nil, nil, d.scroll))
	d.overlay = newFormOverlay(d.box, d.naturalSize, d.Cancel)
	return d
}

// wheelAware returns input with the mouse wheel over it scrolling the form.
func (d *FormDialog[T]) wheelAware(input fyne.CanvasObject) fyne.CanvasObject {
	if p, ok := input.(interface{ setWheelTarget(fyne.Scrollable) }); ok {
		p.setWheelTarget(d.scroll)
		return input
	}
	return container.NewStack(input, newWheelForwarder(d.scroll))
}

// watch calls d.changed after the input's own change callback.
func (d *FormDialog[T]) watch(input fyne.CanvasObject) {
	switch w := input.(type) {
	case *FormEntry:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	case *widget.Entry:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	case *FormSelect:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	case *widget.Select:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	case *FormCheck:
		prev := w.OnChanged
		w.OnChanged = func(b bool) { call(prev, b); d.changed() }
	case *widget.Check:
		prev := w.OnChanged
		w.OnChanged = func(b bool) { call(prev, b); d.changed() }
	case *widget.RadioGroup:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	case *CatalogPicker:
		prev := w.OnChanged
		w.OnChanged = func(s string) { call(prev, s); d.changed() }
	}
}

func call[V any](f func(V), v V) {
	if f != nil {
		f(v)
	}
}

// valueOf is what an input holds, to tell whether the user changed it.
func valueOf(input fyne.CanvasObject) string {
	switch w := input.(type) {
	case *FormEntry:
		return w.Text
	case *widget.Entry:
		return w.Text
	case *FormSelect:
		return w.Selected
	case *widget.Select:
		return w.Selected
	case *FormCheck:
		return strconv.FormatBool(w.Checked)
	case *widget.Check:
		return strconv.FormatBool(w.Checked)
	case *widget.RadioGroup:
		return w.Selected
	case *CatalogPicker:
		return w.Text()
	}
	return ""
}

// focusable returns what to focus to edit input, or nil.
func focusable(input fyne.CanvasObject) fyne.Focusable {
	if p, ok := input.(*CatalogPicker); ok {
		return p.Focusable()
	}
	if f, ok := input.(fyne.Focusable); ok {
		if dis, ok := input.(fyne.Disableable); !ok || !dis.Disabled() {
			return f
		}
	}
	return nil
}

// Show shows the dialog over its window with the first field focused.
func (d *FormDialog[T]) Show() {
	if d.shown {
		return
	}
	d.shown = true
	c := d.win.Canvas()
	d.initial = d.values()
	d.overlay.Resize(c.Size())
	c.Overlays().Add(d.overlay)
	d.prevKey = c.OnTypedKey()
	c.SetOnTypedKey(d.canvasKey)
	for _, f := range d.cfg.Fields {
		if t := focusable(f.Input); t != nil && f.Input.Visible() {
			c.Focus(t)
			break
		}
	}
}

// Hide closes the dialog without asking; a save in progress goes on.
func (d *FormDialog[T]) Hide() {
	if !d.shown {
		return
	}
	d.shown = false
	if d.confirm != nil && d.confirmOpen {
		d.confirmOpen = false
		d.confirm.Hide()
	}
	c := d.win.Canvas()
	c.Overlays().Remove(d.overlay)
	c.SetOnTypedKey(d.prevKey)
	d.prevKey = nil
}

// Visible reports whether the dialog is shown.
func (d *FormDialog[T]) Visible() bool { return d.shown }

// Dirty reports whether a field differs from what it held when the dialog
// was shown.
func (d *FormDialog[T]) Dirty() bool { return !slices.Equal(d.values(), d.initial) }

func (d *FormDialog[T]) values() []string {
	out := make([]string, len(d.cfg.Fields))
	for i, f := range d.cfg.Fields {
		out[i] = valueOf(f.Input)
	}
	return out
}

// Cancel closes the dialog, after asking whether to discard the changes
// when a field was changed. It does nothing while saving.
func (d *FormDialog[T]) Cancel() {
	if d.saving || !d.shown {
		return
	}
	if !d.Dirty() {
		d.Hide()
		return
	}
	msg := widget.NewLabel(lang.L("Los cambios de «{{.Title}}» no se han guardado.", map[string]any{"Title": d.cfg.Title}))
	msg.Wrapping = fyne.TextWrapWord
	d.confirm = dialog.NewCustomConfirm(lang.L("¿Descartar los cambios?"), lang.L("Descartar"), lang.L("Seguir editando"), msg, func(discard bool) {
		d.confirmOpen = false
		if discard {
			d.Hide()
		}
	}, d.win)
	d.confirmOpen = true
	d.confirm.Show()
}

// Confirming reports whether the dialog asks whether to discard changes.
func (d *FormDialog[T]) Confirming() bool { return d.confirmOpen }

// Saving reports whether a save is running.
func (d *FormDialog[T]) Saving() bool { return d.saving }

// Message returns the text of the message line above the buttons, "" when
// it is hidden.
func (d *FormDialog[T]) Message() string {
	if !d.message.Visible() {
		return ""
	}
	return d.message.Text
}

// Fields returns the dialog's fields.
func (d *FormDialog[T]) Fields() []*Field { return d.cfg.Fields }

// Field returns the field showing the problems of key, or nil.
func (d *FormDialog[T]) Field(key string) *Field {
	for _, f := range d.cfg.Fields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// Scroll returns the scrolling body of the dialog, for tests.
func (d *FormDialog[T]) Scroll() *container.Scroll { return d.scroll }

// typedKey handles Escape and Enter typed in an input of the dialog or on
// the window while it is on top; it reports whether it used the key.
func (d *FormDialog[T]) typedKey(k fyne.KeyName) bool {
	if !d.shown {
		return false
	}
	if d.confirmOpen {
		if k == fyne.KeyEscape {
			d.confirm.Hide() // "Seguir editando"
			return true
		}
		return false
	}
	if d.win.Canvas().Overlays().Top() != d.overlay {
		return false
	}
	switch {
	case k == fyne.KeyEscape:
		d.Cancel()
		return true
	case isEnter(k):
		d.Save()
		return true
	}
	return false
}

// canvasKey receives the keys typed while no widget has the focus.
func (d *FormDialog[T]) canvasKey(ev *fyne.KeyEvent) {
	if !d.typedKey(ev.Name) && d.prevKey != nil {
		d.prevKey(ev)
	}
}

// Save builds the item, then validates and stores it off the UI
// goroutine with the inputs disabled; problems are shown under their
// fields, and on success the dialog closes and OnSaved runs. A Save while
// saving does nothing.
func (d *FormDialog[T]) Save() {
	if d.saving {
		return
	}
	item, buildErr := d.cfg.Build()
	d.gen++
	d.setSaving(true)
	validate, save := d.cfg.Validate, d.cfg.Save
	go func() {
		err := buildErr
		if item != nil {
			if validate != nil {
				err = errors.Join(buildErr, validate(item))
			}
			if err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), formSaveTimeout)
				err = save(ctx, item)
				cancel()
			}
		}
		fyne.Do(func() { d.saved(item, err) })
	}()
}

// saved shows the outcome of Save.
func (d *FormDialog[T]) saved(item *T, err error) {
	d.setSaving(false)
	if err != nil {
		d.showProblems(err)
		return
	}
	d.Hide()
	if d.cfg.OnSaved != nil {
		d.cfg.OnSaved(item)
	}
}

// setSaving disables the inputs and buttons while saving and enables again
// those that were enabled before.
func (d *FormDialog[T]) setSaving(on bool) {
	d.saving = on
	if on {
		d.disabled = make([]bool, len(d.cfg.Fields))
		for i, f := range d.cfg.Fields {
			if w, ok := f.Input.(fyne.Disableable); ok {
				d.disabled[i] = w.Disabled()
				w.Disable()
			}
		}
		d.SaveButton.Disable()
		d.CancelButton.Disable()
		d.say(widget.MediumImportance, lang.L("Guardando…"))
		return
	}
	for i, f := range d.cfg.Fields {
		if w, ok := f.Input.(fyne.Disableable); ok && i < len(d.disabled) && !d.disabled[i] {
			w.Enable()
		}
	}
	d.SaveButton.Enable()
	d.CancelButton.Enable()
	d.say(widget.MediumImportance, "")
}

// say shows text in the message line ("" hides it) and lays the dialog
// out again, with the error lines shown or hidden since the last time.
func (d *FormDialog[T]) say(imp widget.Importance, text string) {
	d.message.Importance = imp
	d.message.SetText(text)
	if text == "" {
		d.message.Hide()
	} else {
		d.message.Show()
	}
	// A line shown or hidden changes the rows' and the footer's height: the
	// dialog takes its new size, then lays out its parts again (a container
	// whose size did not change would keep its old layout).
	d.overlay.Refresh()
	d.box.Refresh()
}

// problems splits err into the message of each field and the user messages
// of the problems no field shows.
func (d *FormDialog[T]) problems(err error) (map[*Field]string, []string) {
	byField := map[*Field]string{}
	var rest []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *sales.FieldError
		if errors.As(err, &fe) {
			if f := d.Field(fe.Field); f != nil {
				if _, seen := byField[f]; !seen {
					byField[f] = fe.Err.Msg
				}
				return
			}
		}
		if msg := domain.UserMessage(err); !slices.Contains(rest, msg) {
			rest = append(rest, msg)
		}
	}
	if err != nil {
		walk(err)
	}
	return byField, rest
}

// showProblems shows err after a failed save: each field's problem under
// it (fields without one are cleared), the others in the message line, and
// the first field with a problem scrolled into view.
func (d *FormDialog[T]) showProblems(err error) {
	byField, rest := d.problems(err)
	var first *Field
	for _, f := range d.cfg.Fields {
		f.setError(byField[f])
		if first == nil && byField[f] != "" {
			first = f
		}
	}
	var msg string
	if first != nil {
		msg = lang.L("Revise los campos marcados en rojo.")
	}
	for _, m := range rest {
		if msg != "" {
			msg += "\n"
		}
		msg += m
	}
	d.say(widget.DangerImportance, msg)
	if first != nil {
		d.scrollTo(first)
	}
}

// scrollTo scrolls the body so that f's row is in view.
func (d *FormDialog[T]) scrollTo(f *Field) {
	drv := fyne.CurrentApp().Driver()
	y := drv.AbsolutePositionForObject(f.Input).Y - drv.AbsolutePositionForObject(d.content).Y
	top, bottom := d.scroll.Offset.Y, d.scroll.Offset.Y+d.scroll.Size().Height
	rowBottom := y + f.Input.Size().Height + f.errLine.MinSize().Height
	if y < top || rowBottom > bottom {
		d.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-theme.Padding())))
	}
}

// hasProblems reports whether a field shows a problem.
func (d *FormDialog[T]) hasProblems() bool {
	for _, f := range d.cfg.Fields {
		if f.Error() != "" {
			return true
		}
	}
	return false
}

// changed checks the fields again, off the UI goroutine, when some show a
// problem: the problems fixed are cleared at once, the others keep showing
// (with their current wording). A problem is never added while typing.
func (d *FormDialog[T]) changed() {
	if d.saving || !d.hasProblems() {
		return
	}
	d.gen++
	gen := d.gen
	item, buildErr := d.cfg.Build()
	validate := d.cfg.Validate
	go func() {
		err := buildErr
		if item != nil && validate != nil {
			err = errors.Join(buildErr, validate(item))
		}
		fyne.Do(func() {
			if gen != d.gen || d.saving {
				return // a newer check or a save took over
			}
			byField, _ := d.problems(err)
			for _, f := range d.cfg.Fields {
				if f.Error() != "" {
					f.setError(byField[f])
				}
			}
			if d.hasProblems() {
				d.say(widget.DangerImportance, lang.L("Revise los campos marcados en rojo."))
			} else {
				d.say(widget.MediumImportance, "")
			}
		})
	}()
}

// naturalSize is the size the dialog would like: its fields all in view
// and at least the configured width.
func (d *FormDialog[T]) naturalSize() fyne.Size {
	min := d.box.MinSize()
	extra := d.content.MinSize().Height - d.scroll.MinSize().Height
	return fyne.NewSize(max(min.Width, d.cfg.Width), min.Height+max(0, extra))
}

// formOverlay covers the window while a form dialog is shown: it dims the
// window, centres the dialog at its natural size or as large as the window
// allows, and reports taps outside the dialog.
type formOverlay struct {
	widget.BaseWidget
	box     fyne.CanvasObject
	natural func() fyne.Size
	outside func()
}

func newFormOverlay(box fyne.CanvasObject, natural func() fyne.Size, outside func()) *formOverlay {
	o := &formOverlay{box: box, natural: natural, outside: outside}
	o.ExtendBaseWidget(o)
	return o
}

// Tapped reports a tap outside the dialog.
func (o *formOverlay) Tapped(ev *fyne.PointEvent) {
	p, s := o.box.Position(), o.box.Size()
	if ev.Position.X < p.X || ev.Position.Y < p.Y || ev.Position.X > p.X+s.Width || ev.Position.Y > p.Y+s.Height {
		o.outside()
	}
}

// CreateRenderer draws the dimmed window, the dialog's background and the
// dialog.
func (o *formOverlay) CreateRenderer() fyne.WidgetRenderer {
	th := o.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r := &formOverlayRenderer{o: o,
		underlay:   canvas.NewRectangle(th.Color(theme.ColorNameShadow, v)),
		background: canvas.NewRectangle(th.Color(theme.ColorNameOverlayBackground, v)),
	}
	r.background.CornerRadius = th.Size(theme.SizeNameInputRadius)
	return r
}

type formOverlayRenderer struct {
	o                    *formOverlay
	underlay, background *canvas.Rectangle
}

// formMargin is the least space between the dialog and its window's edges.
const formMargin = 8

func (r *formOverlayRenderer) Layout(size fyne.Size) {
	r.underlay.Resize(size)
	want := r.o.natural()
	s := fyne.NewSize(min(want.Width, size.Width-2*formMargin), min(want.Height, size.Height-2*formMargin))
	s = s.Max(fyne.NewSize(0, 0))
	pos := fyne.NewPos((size.Width-s.Width)/2, (size.Height-s.Height)/2)
	r.background.Move(pos)
	r.background.Resize(s)
	r.o.box.Move(pos)
	r.o.box.Resize(s)
}

func (r *formOverlayRenderer) MinSize() fyne.Size { return r.o.box.MinSize() }

func (r *formOverlayRenderer) Refresh() {
	th := r.o.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.underlay.FillColor = th.Color(theme.ColorNameShadow, v)
	r.background.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	r.Layout(r.o.Size())
	r.underlay.Refresh()
	r.background.Refresh()
}

func (r *formOverlayRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.underlay, r.background, r.o.box}
}

func (r *formOverlayRenderer) Destroy() {}

// WindowOf returns the window that shows o, or nil when o is not shown.
// The driver's canvas cache answers; an entry of it expires when o has not
// been drawn for a while (a form the user has been typing into for
// minutes is not redrawn as a whole), and then the application's only
// window is o's: Folio shows everything, dialogs included, in one window.
func WindowOf(o fyne.CanvasObject) fyne.Window {
	wins := fyne.CurrentApp().Driver().AllWindows()
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
		for _, w := range wins {
			if w.Canvas() == c {
				return w
			}
		}
		return nil
	}
	if len(wins) == 1 {
		return wins[0]
	}
	return nil
}
