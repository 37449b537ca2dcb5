package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Fyne delivers a key only to the focused widget (or to the canvas when none
// is focused): a dialog never sees Escape or Enter typed in one of its
// entries. The inputs below pass the keys they do not use to the form
// dialog they are in, so Escape cancels and Enter saves wherever the focus
// is. Outside a form dialog they behave like Fyne's.

// formKeyer is an input that hands Escape and Enter to its form dialog.
// keys reports whether the dialog used the key.
type formKeyer interface {
	setFormKeys(keys func(fyne.KeyName) bool)
}

// isEnter reports whether k is one of the two Enter keys.
func isEnter(k fyne.KeyName) bool { return k == fyne.KeyReturn || k == fyne.KeyEnter }

// FormEntry is a widget.Entry for form dialogs: Escape cancels the dialog
// and, in a single-line entry, Enter saves it. Create it with NewFormEntry
// or NewFormMultiLineEntry.
type FormEntry struct {
	widget.Entry
	keys func(fyne.KeyName) bool
}

// NewFormEntry returns a single-line entry.
func NewFormEntry() *FormEntry {
	e := &FormEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// NewFormMultiLineEntry returns an entry for several lines of text, where
// Enter starts a new line.
func NewFormMultiLineEntry() *FormEntry {
	e := &FormEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *FormEntry) setFormKeys(keys func(fyne.KeyName) bool) { e.keys = keys }

// TypedKey passes Escape, and Enter of a single-line entry, to the dialog.
func (e *FormEntry) TypedKey(k *fyne.KeyEvent) {
	if e.keys != nil && (k.Name == fyne.KeyEscape || (!e.MultiLine && isEnter(k.Name))) && e.keys(k.Name) {
		return
	}
	e.Entry.TypedKey(k)
}

// SelectPlaceholder is the text of a Select with nothing chosen. Fyne's
// default, "(Select one)", is a constant that its translations cannot
// reach.
func SelectPlaceholder() string { return lang.L("(Elija una opción)") }

// NewSelect returns a widget.Select with the Spanish placeholder; use it
// instead of widget.NewSelect outside form dialogs.
func NewSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = SelectPlaceholder()
	return s
}

// FormSelect is a widget.Select for form dialogs, with the Spanish
// placeholder: Escape cancels the dialog and Enter saves it. Create it with
// NewFormSelect.
type FormSelect struct {
	widget.Select
	keys func(fyne.KeyName) bool
}

// NewFormSelect returns a select over options; changed, when not nil, is
// called with the option chosen.
func NewFormSelect(options []string, changed func(string)) *FormSelect {
	s := &FormSelect{}
	s.Options = options
	s.OnChanged = changed
	s.PlaceHolder = SelectPlaceholder()
	s.ExtendBaseWidget(s)
	return s
}

func (s *FormSelect) setFormKeys(keys func(fyne.KeyName) bool) { s.keys = keys }

// TypedKey passes Escape and Enter to the dialog.
func (s *FormSelect) TypedKey(k *fyne.KeyEvent) {
	if s.keys != nil && (k.Name == fyne.KeyEscape || isEnter(k.Name)) && s.keys(k.Name) {
		return
	}
	s.Select.TypedKey(k)
}

// FormCheck is a widget.Check for form dialogs: Escape cancels the dialog
// and Enter saves it. Create it with NewFormCheck.
type FormCheck struct {
	widget.Check
	keys func(fyne.KeyName) bool
}

// NewFormCheck returns a check box labelled text.
func NewFormCheck(text string, changed func(bool)) *FormCheck {
	c := &FormCheck{}
	c.Text = text
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *FormCheck) setFormKeys(keys func(fyne.KeyName) bool) { c.keys = keys }

// TypedKey passes Escape and Enter to the dialog.
func (c *FormCheck) TypedKey(k *fyne.KeyEvent) {
	if c.keys != nil && (k.Name == fyne.KeyEscape || isEnter(k.Name)) && c.keys(k.Name) {
		return
	}
	c.Check.TypedKey(k)
}

// wheelForwarder lies over an input and hands the mouse wheel to the form's
// scroll. Fyne gives a wheel event to the innermost scrollable under the
// pointer, and every Entry holds a scroller of its own that swallows the
// event: over a field, the wheel did not move the form.
type wheelForwarder struct {
	widget.BaseWidget
	target fyne.Scrollable
}

func newWheelForwarder(target fyne.Scrollable) *wheelForwarder {
	f := &wheelForwarder{target: target}
	f.ExtendBaseWidget(f)
	return f
}

// Scrolled scrolls the form.
func (f *wheelForwarder) Scrolled(ev *fyne.ScrollEvent) { f.target.Scrolled(ev) }

// CreateRenderer draws nothing: the forwarder only catches the wheel (it
// is neither tappable nor hoverable, so clicks reach the input below).
func (f *wheelForwarder) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(&fyne.Container{})
}
