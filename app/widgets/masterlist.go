package widgets

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
)

// Column is one column of a MasterList whose rows are view models of type
// R. Title is Spanish source text, translated with lang.L when the header is
// shown; Width is in Fyne units; Text returns the already formatted cell.
// Kind and Value type the column for export (listing.Row): Value returns
// the cell's value of Kind's type; without Value the export writes Text.
type Column[R any] struct {
	Title string
	Width float32
	Text  func(R) string
	Kind  listing.Kind
	Value func(R) any
	// ExportOnly columns are exported but not shown (the currency of an
	// amount the screen writes with its currency in one cell).
	ExportOnly bool
}

// MasterListConfig configures a MasterList over items of type T shown as
// rows of type R. Every field is required.
type MasterListConfig[T, R any] struct {
	// Placeholder of the search entry, already translated.
	Placeholder string
	// NewText is the label of the "new item" button, already translated.
	NewText string
	// InactiveText is the label of the check that shows inactive rows,
	// translated; "Mostrar dados de baja" when empty.
	InactiveText string
	// Columns of the table, in order.
	Columns []Column[R]
	// Load searches for query (trimmed), including inactive items when
	// inactive is set, and returns the items with one formatted row each. It
	// runs off the UI goroutine and must not touch widgets.
	Load func(ctx context.Context, query string, inactive bool) ([]T, []R, error)
	// CountText is the status line after a load of n rows, translated.
	CountText func(n int) string
	// Active reports whether an item is active.
	Active func(T) bool
	// SetActive stores the new active flag of item; it runs off the UI
	// goroutine and returns errors with user-safe messages (domain.Error).
	SetActive func(ctx context.Context, item T, active bool) error
	// Open is called on the UI goroutine to create (item nil) or edit a copy
	// of the selected item, usually with a FormDialog on WindowOf(list).
	Open func(item *T)

	// Title, when set, makes the list exportable (Export) under that
	// title, already translated.
	Title string
	// All, when set, is what the export writes: every row of the search,
	// without the limit Load may put on what is shown. It runs off the UI
	// goroutine. Without it the export writes what Load returns.
	All func(ctx context.Context, query string, inactive bool) ([]R, error)
}

// MasterList is the body of a master-data screen (customers, products…): a
// search entry, a "Mostrar dados de baja" check, the new/edit/deactivate
// buttons, a table with single selection and a status line. Searches run off
// the UI goroutine and only the newest result is shown. Create it with
// NewMasterList; its methods run on the UI goroutine.
type MasterList[T, R any] struct {
	widget.BaseWidget

	// The parts, exposed so that screens can focus the search entry and
	// tests can drive them; do not replace them.
	Search   *widget.Entry
	Inactive *widget.Check
	New      *widget.Button
	Edit     *widget.Button
	Toggle   *widget.Button
	Table    *widget.Table
	Status   *widget.Label

	cfg      MasterListConfig[T, R]
	items    []T
	rows     []R
	selected int // row index, -1 for none
	gen      uint64
}

// NewMasterList builds the list; it loads nothing until Reload.
func NewMasterList[T, R any](cfg MasterListConfig[T, R]) *MasterList[T, R] {
	l := &MasterList[T, R]{cfg: cfg, selected: -1}
	var shown []Column[R]
	for _, c := range cfg.Columns {
		if !c.ExportOnly {
			shown = append(shown, c)
		}
	}
	l.Search = widget.NewEntry()
	l.Search.SetPlaceHolder(cfg.Placeholder)
	l.Search.OnChanged = func(string) { l.Reload() }
	inactive := cfg.InactiveText
	if inactive == "" {
		inactive = lang.L("Mostrar dados de baja")
	}
	l.Inactive = widget.NewCheck(inactive, func(bool) { l.Reload() })
	l.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.rows), len(shown) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(l.rows) || id.Col < 0 || id.Col >= len(shown) {
				lb.SetText("")
				return
			}
			lb.SetText(shown[id.Col].Text(l.rows[id.Row]))
		})
	l.Table.ShowHeaderColumn = false
	l.Table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(shown) {
			o.(*widget.Label).SetText(lang.L(shown[id.Col].Title))
		}
	}
	for i, c := range shown {
		l.Table.SetColumnWidth(i, c.Width)
	}
	l.Table.OnSelected = func(id widget.TableCellID) { l.selectRow(id.Row) }
	l.Status = widget.NewLabel("")
	l.New = widget.NewButtonWithIcon(cfg.NewText, theme.ContentAddIcon(), func() { cfg.Open(nil) })
	l.Edit = widget.NewButtonWithIcon(lang.L("Editar"), theme.DocumentCreateIcon(), func() { cfg.Open(l.Selected()) })
	l.Toggle = widget.NewButton(lang.L("Dar de baja"), l.toggleActive)
	l.selectRow(-1)
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays out toolbar, table and status line. The toolbar is
// one row (search, then the check and the buttons) where the list is wide
// enough, and two rows (the search above them) where it is not, so a
// tablet or a narrow window never cuts the buttons off.
func (l *MasterList[T, R]) CreateRenderer() fyne.WidgetRenderer {
	controls := container.NewHBox(l.Inactive, l.New, l.Edit, l.Toggle)
	r := &masterListRenderer{
		oneRow:  container.NewBorder(nil, nil, nil, controls, l.Search),
		twoRows: container.NewVBox(l.Search, controls),
		parts:   []fyne.CanvasObject{l.Table, l.Status},
	}
	r.top = container.NewStack(r.twoRows)
	r.WidgetRenderer = widget.NewSimpleRenderer(container.NewBorder(r.top, l.Status, nil, nil, l.Table))
	return r
}

// masterListRenderer puts the toolbar on one or two rows by the width it
// gets; its minimum width is the two-row toolbar's.
type masterListRenderer struct {
	fyne.WidgetRenderer
	top             *fyne.Container
	oneRow, twoRows *fyne.Container
	parts           []fyne.CanvasObject
	wide            bool
}

func (r *masterListRenderer) Layout(size fyne.Size) {
	if wide := size.Width >= r.oneRow.MinSize().Width; wide != r.wide || len(r.top.Objects) == 0 {
		r.wide = wide
		r.top.Objects = []fyne.CanvasObject{r.twoRows}
		if wide {
			r.top.Objects[0] = r.oneRow
		}
		r.top.Refresh()
	}
	r.WidgetRenderer.Layout(size)
}

func (r *masterListRenderer) MinSize() fyne.Size {
	min := r.WidgetRenderer.MinSize()
	w := r.twoRows.MinSize().Width
	for _, o := range r.parts {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, min.Height)
}

// Rows returns the rows shown now (the caller must not modify them).
func (l *MasterList[T, R]) Rows() []R { return l.rows }

// Selected returns a copy of the selected item, or nil when none is.
func (l *MasterList[T, R]) Selected() *T {
	if l.selected < 0 {
		return nil
	}
	item := l.items[l.selected]
	return &item
}

// Reload searches again off the UI goroutine and shows the result in the
// table and the count (or the error's user message) in the status line;
// results of an older search are dropped. The selection is cleared.
func (l *MasterList[T, R]) Reload() {
	l.gen++
	gen, query, inactive := l.gen, strings.TrimSpace(l.Search.Text), l.Inactive.Checked
	l.Status.SetText(lang.L("Buscando…"))
	go func() {
		items, rows, err := l.cfg.Load(context.Background(), query, inactive)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			if err != nil {
				l.Status.SetText(domain.UserMessage(err))
				return
			}
			l.items, l.rows = items, rows
			l.Table.UnselectAll()
			l.selectRow(-1)
			l.Table.Refresh()
			l.Status.SetText(l.cfg.CountText(len(rows)))
		})
	}()
}

// selectRow enables edit and toggle for row i (or disables them when i is
// out of range) and labels toggle after the item's active flag.
func (l *MasterList[T, R]) selectRow(i int) {
	if i < 0 || i >= len(l.items) {
		l.selected = -1
		l.Edit.Disable()
		l.Toggle.Disable()
		return
	}
	l.selected = i
	l.Edit.Enable()
	l.Toggle.Enable()
	if l.cfg.Active(l.items[i]) {
		l.Toggle.SetText(lang.L("Dar de baja"))
	} else {
		l.Toggle.SetText(lang.L("Reactivar"))
	}
}

// toggleActive deactivates or reactivates the selected item off the UI
// goroutine, then reloads.
func (l *MasterList[T, R]) toggleActive() {
	item := l.Selected()
	if item == nil {
		return
	}
	go func() {
		err := l.cfg.SetActive(context.Background(), *item, !l.cfg.Active(*item))
		fyne.Do(func() {
			if err != nil {
				l.Status.SetText(domain.UserMessage(err))
				return
			}
			l.Reload()
		})
	}()
}

// Export is the list as shown under its current search and inactive
// check, every row (MasterListConfig.All, or Load), with the columns'
// translated titles and typed values; ok is false without a Title.
func (l *MasterList[T, R]) Export() (ListExport, bool) {
	if l.cfg.Title == "" {
		return ListExport{}, false
	}
	cols := make([]listing.Column, len(l.cfg.Columns))
	for i, c := range l.cfg.Columns {
		cols[i] = listing.Column{Title: lang.L(c.Title), Kind: c.Kind}
		if c.Value == nil {
			cols[i].Kind = listing.Text
		}
	}
	query, inactive := strings.TrimSpace(l.Search.Text), l.Inactive.Checked
	cfg := l.cfg
	rows := func(ctx context.Context, emit func(listing.Row) error) error {
		var rs []R
		var err error
		if cfg.All != nil {
			rs, err = cfg.All(ctx, query, inactive)
		} else {
			_, rs, err = cfg.Load(ctx, query, inactive)
		}
		if err != nil {
			return err
		}
		for _, r := range rs {
			line := make(listing.Row, len(cfg.Columns))
			for i, c := range cfg.Columns {
				if c.Value != nil {
					line[i] = c.Value(r)
				} else {
					line[i] = c.Text(r)
				}
			}
			if err := emit(line); err != nil {
				return err
			}
		}
		return nil
	}
	return ListExport{Title: cfg.Title, Columns: cols, Rows: rows}, true
}
