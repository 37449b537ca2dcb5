package widgets

import (
	"context"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain/sat"
)

// CatalogSearcher finds entries of one SAT catalog (by SAT name, e.g.
// "c_ClaveProdServ") whose key or description matches query, at most limit
// of them. It is called off the UI goroutine; *sqlite.Store satisfies it.
type CatalogSearcher interface {
	SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error)
}

// Defaults of a new CatalogPicker.
const (
	// PickerDebounce is how long typing must pause before a search starts.
	PickerDebounce = 150 * time.Millisecond
	// PickerLimit is the most suggestions one search shows.
	PickerLimit = 20
	// pickerRows is how many suggestions are visible without scrolling.
	pickerRows = 5
)

// keySeparator separates key and description in the entry and in the
// suggestions: "H87 — Pieza".
const keySeparator = " — "

// CatalogPicker is an entry that searches one SAT catalog as the user types
// and shows the matches ("clave — descripción") in a list below it. Down
// moves into the suggestions, Up moves back, Enter (or a tap) picks one,
// Escape closes them. A key typed by hand is accepted as it is: Key returns
// the text before " — ", so the form's validator decides whether it exists.
// Create it with NewCatalogPicker; its methods run on the UI goroutine.
type CatalogPicker struct {
	widget.BaseWidget

	// OnChanged, when set, is called with the new key whenever Key changes
	// (a suggestion picked, SetKey, or the user typing a key).
	OnChanged func(key string)

	src      CatalogSearcher
	catalog  string
	debounce time.Duration
	limit    int

	entry       *pickerEntry
	list        *widget.List
	suggestions *fyne.Container

	results   []sat.Entry
	highlight int  // suggestion under the keyboard cursor, -1 for none
	moving    bool // the list selection is being moved by the keyboard
	quiet     bool // the entry text is being set by the picker itself
	key       string
	gen       uint64             // bumped by every change; older results are stale
	timer     *time.Timer        // pending debounced search
	cancel    context.CancelFunc // cancels the search in flight

	keys  func(fyne.KeyName) bool // the form dialog's Escape and Enter, or nil
	wheel fyne.Scrollable         // the form dialog's scroll, or nil
}

// pickerEntry is the picker's entry: it hands the navigation keys to the
// picker while suggestions are shown.
type pickerEntry struct {
	widget.Entry
	p *CatalogPicker
}

// TypedKey moves through and picks suggestions; with the suggestions
// closed, Escape and Enter go to the form dialog; other keys edit the text.
func (e *pickerEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.p.navigate(ev.Name) {
		return
	}
	if k := e.p.keys; k != nil && !e.p.suggestions.Visible() && (ev.Name == fyne.KeyEscape || isEnter(ev.Name)) && k(ev.Name) {
		return
	}
	e.Entry.TypedKey(ev)
}

// NewCatalogPicker returns a picker over catalog (a SAT catalog name such
// as sat.ClaveProdServ) searched through src; placeholder is shown while it
// is empty.
func NewCatalogPicker(src CatalogSearcher, catalog, placeholder string) *CatalogPicker {
	p := &CatalogPicker{src: src, catalog: catalog, debounce: PickerDebounce, limit: PickerLimit, highlight: -1}
	p.entry = &pickerEntry{p: p}
	p.entry.ExtendBaseWidget(p.entry)
	p.entry.SetPlaceHolder(placeholder)
	p.entry.OnChanged = p.typed
	p.list = widget.NewList(
		func() int { return len(p.results) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(p.results) {
				o.(*widget.Label).SetText(entryText(p.results[id]))
			}
		})
	p.list.OnSelected = func(id widget.ListItemID) {
		if !p.moving && id >= 0 && id < len(p.results) {
			p.pick(p.results[id])
		}
	}
	space := canvas.NewRectangle(color.Transparent)
	space.SetMinSize(fyne.NewSize(0, pickerRows*p.list.MinSize().Height))
	p.suggestions = container.NewStack(space, p.list)
	p.suggestions.Hide()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the entry with the suggestions below it. In a form
// dialog, the wheel over the entry scrolls the form; over the suggestions
// it scrolls them.
func (p *CatalogPicker) CreateRenderer() fyne.WidgetRenderer {
	var entry fyne.CanvasObject = p.entry
	if p.wheel != nil {
		entry = container.NewStack(p.entry, newWheelForwarder(p.wheel))
	}
	return widget.NewSimpleRenderer(container.NewVBox(entry, p.suggestions))
}

func (p *CatalogPicker) setFormKeys(keys func(fyne.KeyName) bool) { p.keys = keys }

func (p *CatalogPicker) setWheelTarget(s fyne.Scrollable) { p.wheel = s }

// Key returns the key chosen or typed: the entry's text before " — ",
// trimmed.
func (p *CatalogPicker) Key() string { return p.key }

// SetKey shows key in the entry without searching and closes the
// suggestions.
func (p *CatalogPicker) SetKey(key string) {
	p.setText(strings.TrimSpace(key))
	p.closeSuggestions()
}

// Text returns the entry's text as shown ("H87 — Pieza" after a pick).
func (p *CatalogPicker) Text() string { return p.entry.Text }

// Focusable returns the entry, for focusing the picker from a shortcut or
// a test.
func (p *CatalogPicker) Focusable() fyne.Focusable { return p.entry }

// Disable stops editing; Enable allows it again.
func (p *CatalogPicker) Disable() { p.entry.Disable(); p.closeSuggestions() }

// Enable allows editing again.
func (p *CatalogPicker) Enable() { p.entry.Enable() }

// Disabled reports whether editing is stopped.
func (p *CatalogPicker) Disabled() bool { return p.entry.Disabled() }

// entryText is how a catalog entry reads in the picker.
func entryText(e sat.Entry) string { return e.Key + keySeparator + e.Description }

// keyOf extracts the key from the entry's text.
func keyOf(text string) string {
	if i := strings.Index(text, keySeparator); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSpace(text)
}

// setText changes the entry's text without starting a search.
func (p *CatalogPicker) setText(text string) {
	p.quiet = true
	p.entry.SetText(text)
	p.quiet = false
	p.updateKey(text)
}

func (p *CatalogPicker) updateKey(text string) {
	if k := keyOf(text); k != p.key {
		p.key = k
		if p.OnChanged != nil {
			p.OnChanged(k)
		}
	}
}

// typed reacts to the user's typing: the key follows the text and a search
// starts once typing pauses. Results of searches in flight become stale.
func (p *CatalogPicker) typed(text string) {
	if p.quiet {
		return
	}
	p.updateKey(text)
	p.gen++
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	query := keyOf(text)
	if query == "" {
		p.closeSuggestions()
		return
	}
	gen := p.gen
	p.timer = time.AfterFunc(p.debounce, func() {
		fyne.Do(func() {
			if gen == p.gen {
				p.search(query)
			}
		})
	})
}

// search runs query off the UI goroutine and shows its result unless a
// newer change made it stale meanwhile.
func (p *CatalogPicker) search(query string) {
	p.gen++
	gen := p.gen
	p.timer = nil
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	p.cancel = cancel
	src, catalog, limit := p.src, p.catalog, p.limit
	go func() {
		entries, err := src.SearchCatalog(ctx, catalog, query, limit)
		cancel()
		fyne.Do(func() {
			if gen != p.gen {
				return // stale: the user typed on
			}
			p.cancel = nil
			if err != nil {
				entries = nil // the form's validator reports an unknown key
			}
			p.show(entries)
		})
	}()
}

// show puts entries in the suggestion list; none closes it.
func (p *CatalogPicker) show(entries []sat.Entry) {
	p.results = entries
	p.highlight = -1
	p.moving = true
	p.list.UnselectAll()
	p.moving = false
	p.list.Refresh()
	if len(entries) == 0 {
		p.suggestions.Hide()
	} else {
		p.list.ScrollToTop()
		p.suggestions.Show()
	}
	p.Refresh()
}

// closeSuggestions hides the list and drops pending searches.
func (p *CatalogPicker) closeSuggestions() {
	p.gen++
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.suggestions.Visible() || len(p.results) > 0 {
		p.show(nil)
	}
}

// pick takes e as the picker's value.
func (p *CatalogPicker) pick(e sat.Entry) {
	p.setText(entryText(e))
	p.closeSuggestions()
	p.entry.CursorColumn = len([]rune(p.entry.Text))
	p.entry.Refresh()
}

// navigate handles a key typed in the entry while suggestions are shown;
// it reports whether the key was used.
func (p *CatalogPicker) navigate(k fyne.KeyName) bool {
	if !p.suggestions.Visible() || len(p.results) == 0 {
		return false
	}
	switch k {
	case fyne.KeyDown:
		p.moveTo(min(p.highlight+1, len(p.results)-1))
	case fyne.KeyUp:
		p.moveTo(p.highlight - 1)
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.highlight < 0 {
			return false
		}
		p.pick(p.results[p.highlight])
	case fyne.KeyEscape:
		p.closeSuggestions()
	default:
		return false
	}
	return true
}

// moveTo highlights suggestion i (-1: back in the entry).
func (p *CatalogPicker) moveTo(i int) {
	p.highlight = max(i, -1)
	p.moving = true
	defer func() { p.moving = false }()
	if p.highlight < 0 {
		p.list.UnselectAll()
		return
	}
	p.list.Select(p.highlight)
	p.list.ScrollTo(p.highlight)
}

// Suggestions returns the suggestions shown, as "clave — descripción".
func (p *CatalogPicker) Suggestions() []string {
	if !p.suggestions.Visible() {
		return nil
	}
	out := make([]string, len(p.results))
	for i, e := range p.results {
		out[i] = entryText(e)
	}
	return out
}
