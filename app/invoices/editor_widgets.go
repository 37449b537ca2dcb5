package invoices

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/sat"
)

// The small widgets every part of the editor uses: an entry that hands the
// editor its shortcuts, a catalog choice, a field's error line.

// entry is a widget.Entry that hands the editor's shortcuts to the editor:
// a focused Entry receives every shortcut first and would drop Ctrl+S.
type entry struct {
	widget.Entry
	ed *InvoiceEditor
	// onDown, when set, handles the Down arrow (move into the suggestions).
	onDown func()
}

func (ed *InvoiceEditor) newEntry(placeholder string) *entry {
	e := &entry{ed: ed}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	return e
}

// TypedShortcut runs the editor's shortcuts and passes the rest (copy,
// paste…) to the Entry.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if !e.ed.runShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

// TypedKey sends Down to onDown when set.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// AcceptsTab is false even for the multi-line notes: Tab always moves to
// the next field, so the keyboard alone can walk the whole editor.
func (e *entry) AcceptsTab() bool { return false }

// minWidth gives obj at least width w, so amounts that grow as the user
// types do not overflow a layout computed for shorter text.
func minWidth(obj fyne.CanvasObject, w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(r, obj)
}

// choice is a Select over catalog entries shown as "key — description".
// Layouts and the focus hold its *widget.Select, never the choice itself
// (the Select refreshes its own renderer).
type choice struct {
	*widget.Select
	keys []string
}

func newChoice(entries []sat.Entry, changed func()) *choice {
	c := &choice{Select: widgets.NewSelect(nil, func(string) { changed() })}
	c.setEntries(entries)
	return c
}

// setEntries replaces the options, keeping the selected key when it is
// still offered.
func (c *choice) setEntries(entries []sat.Entry) {
	old := c.key()
	opts := make([]string, len(entries))
	c.keys = make([]string, len(entries))
	for i, e := range entries {
		opts[i], c.keys[i] = e.Key+" — "+e.Description, e.Key
	}
	c.Options = opts
	c.Select.ClearSelected()
	c.selectKey(old)
	c.Refresh()
}

func (c *choice) key() string {
	if i := c.SelectedIndex(); i >= 0 && i < len(c.keys) {
		return c.keys[i]
	}
	return ""
}

// selectKey selects key and reports whether it is offered.
func (c *choice) selectKey(key string) bool {
	if i := slices.Index(c.keys, key); i >= 0 && key != "" {
		c.SetSelectedIndex(i)
		return true
	}
	return false
}

// pickList is a widget.List of suggestions where Enter, like Space, picks
// the highlighted row: from the search entry the user goes Down into the
// list and expects Enter to choose, as everywhere else in the editor.
type pickList struct {
	widget.List
}

func newPickList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *pickList {
	l := &pickList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey picks the highlighted row on Enter; other keys move as in a
// List.
func (l *pickList) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		k = &fyne.KeyEvent{Name: fyne.KeySpace}
	}
	l.List.TypedKey(k)
}

// newErrorLabel returns the hidden label that shows a field's problem.
func newErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}
