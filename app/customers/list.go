package customers

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// row is one table line, already formatted.
type row struct {
	rfc, name, regimen, cp, estado string
}

func rowOf(c *sales.Customer) row {
	r := row{rfc: c.RFC, name: c.Name, regimen: c.RegimenFiscal, cp: c.CodigoPostal, estado: lang.L("Activo")}
	if !c.Active {
		r.estado = lang.L("Baja")
	}
	return r
}

// columns of the table: title (Spanish source text) and width.
var columns = []struct {
	title string
	width float32
}{{"RFC", 150}, {"Nombre", 360}, {"Régimen", 80}, {"C.P.", 80}, {"Estado", 80}}

// CustomerList is the "Clientes" screen. Create it with NewCustomerList; its
// methods run on the UI goroutine.
type CustomerList struct {
	widget.BaseWidget

	store Store
	rules Rules

	search   *widget.Entry
	inactive *widget.Check
	table    *widget.Table
	status   *widget.Label
	edit     *widget.Button
	toggle   *widget.Button

	customers []sales.Customer
	rows      []row
	selected  int // row index, -1 for none
	gen       uint64
}

// NewCustomerList builds the screen; it loads nothing until Reload.
func NewCustomerList(store Store, rules Rules) *CustomerList {
	l := &CustomerList{store: store, rules: rules, selected: -1}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Buscar por nombre o RFC (Ctrl+F)"))
	l.search.OnChanged = func(string) { l.Reload() }
	l.inactive = widget.NewCheck(lang.L("Mostrar dados de baja"), func(bool) { l.Reload() })
	l.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.rows), len(columns) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(l.rows) {
				lb.SetText("")
				return
			}
			r := l.rows[id.Row]
			lb.SetText([]string{r.rfc, r.name, r.regimen, r.cp, r.estado}[id.Col])
		})
	l.table.ShowHeaderColumn = false
	l.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(columns) {
			o.(*widget.Label).SetText(lang.L(columns[id.Col].title))
		}
	}
	for i, c := range columns {
		l.table.SetColumnWidth(i, c.width)
	}
	l.table.OnSelected = func(id widget.TableCellID) { l.selectRow(id.Row) }
	l.status = widget.NewLabel("")
	l.edit = widget.NewButtonWithIcon(lang.L("Editar"), theme.DocumentCreateIcon(), func() { l.openForm(l.current()) })
	l.toggle = widget.NewButton(lang.L("Dar de baja"), l.toggleActive)
	l.selectRow(-1)
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays out toolbar, table and status line.
func (l *CustomerList) CreateRenderer() fyne.WidgetRenderer {
	nuevo := widget.NewButtonWithIcon(lang.L("Nuevo cliente"), theme.ContentAddIcon(), func() { l.openForm(nil) })
	top := container.NewBorder(nil, nil, nil, container.NewHBox(l.inactive, nuevo, l.edit, l.toggle), l.search)
	return widget.NewSimpleRenderer(container.NewBorder(top, l.status, nil, nil, l.table))
}

// FocusTarget is the search entry (Ctrl+F).
func (l *CustomerList) FocusTarget() fyne.Focusable { return l.search }

// load runs the search; it is synchronous and UI-free.
func (l *CustomerList) load(ctx context.Context, query string, inactive bool) ([]sales.Customer, []row, error) {
	cs, err := l.store.FindCustomers(ctx, sales.CustomerFilter{Query: query, IncludeInactive: inactive, Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(cs))
	for i := range cs {
		rows[i] = rowOf(&cs[i])
	}
	return cs, rows, nil
}

// Reload searches again off the UI goroutine and shows the result; results
// of an older search are dropped.
func (l *CustomerList) Reload() {
	l.gen++
	gen, query, inactive := l.gen, strings.TrimSpace(l.search.Text), l.inactive.Checked
	l.status.SetText(lang.L("Buscando…"))
	go func() {
		cs, rows, err := l.load(context.Background(), query, inactive)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			l.customers, l.rows = cs, rows
			l.table.UnselectAll()
			l.selectRow(-1)
			l.table.Refresh()
			l.status.SetText(lang.L("Clientes: {{.Count}}", map[string]any{"Count": len(rows)}))
		})
	}()
}

func (l *CustomerList) selectRow(i int) {
	if i < 0 || i >= len(l.customers) {
		l.selected = -1
		l.edit.Disable()
		l.toggle.Disable()
		return
	}
	l.selected = i
	l.edit.Enable()
	l.toggle.Enable()
	if l.customers[i].Active {
		l.toggle.SetText(lang.L("Dar de baja"))
	} else {
		l.toggle.SetText(lang.L("Reactivar"))
	}
}

func (l *CustomerList) current() *sales.Customer {
	if l.selected < 0 {
		return nil
	}
	c := l.customers[l.selected]
	return &c
}

// toggleActive deactivates or reactivates the selected customer.
func (l *CustomerList) toggleActive() {
	c := l.current()
	if c == nil {
		return
	}
	go func() {
		err := l.store.SetCustomerActive(context.Background(), c.ID, !c.Active)
		fyne.Do(func() {
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			l.Reload()
		})
	}()
}

// openForm shows the customer form in a dialog (c nil: a new customer).
func (l *CustomerList) openForm(c *sales.Customer) {
	win := fyne.CurrentApp().Driver().CanvasForObject(l)
	f := NewCustomerForm(l.store, l.rules, c)
	var d dialog.Dialog
	f.OnSaved = func(*sales.Customer) { d.Hide(); l.Reload() }
	f.OnCancel = func() { d.Hide() }
	title := lang.L("Nuevo cliente")
	if c != nil {
		title = lang.L("Editar cliente")
	}
	if win == nil {
		return
	}
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Canvas() == win {
			d = dialog.NewCustomWithoutButtons(title, container.NewVScroll(f), w)
			d.Resize(fyne.NewSize(640, 640))
			d.Show()
			return
		}
	}
}
