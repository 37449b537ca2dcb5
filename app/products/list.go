package products

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
	code, description, claves, price, iva, estado string
}

func rowOf(p *sales.Product) row {
	r := row{code: p.Code, description: p.Description, claves: p.ClaveProdServ + " / " + p.ClaveUnidad,
		price: p.Price.String(), estado: lang.L("Activo")}
	switch {
	case p.ObjetoImp != sales.ObjetoImpSi:
		r.iva = lang.L("No objeto")
	case p.Taxes.IVAExento:
		r.iva = lang.L("Exento")
	default:
		r.iva = p.Taxes.IVATasa.Shift(2).String() + " %"
	}
	if !p.Active {
		r.estado = lang.L("Baja")
	}
	return r
}

func (r row) cell(col int) string {
	return []string{r.code, r.description, r.claves, r.price, r.iva, r.estado}[col]
}

// columns of the table: title (Spanish source text) and width.
var columns = []struct {
	title string
	width float32
}{{"Código", 120}, {"Descripción", 320}, {"Claves SAT", 150}, {"Precio", 110}, {"IVA", 80}, {"Estado", 80}}

// ProductList is the "Productos" screen. Create it with NewProductList; its
// methods run on the UI goroutine.
type ProductList struct {
	widget.BaseWidget

	store    Store
	rules    Rules
	catalogs Searcher

	search   *widget.Entry
	inactive *widget.Check
	table    *widget.Table
	status   *widget.Label
	edit     *widget.Button
	toggle   *widget.Button

	products []sales.Product
	rows     []row
	selected int
	gen      uint64
}

// NewProductList builds the screen; it loads nothing until Reload. The
// product form searches SAT catalogs through catalogs.
func NewProductList(store Store, rules Rules, catalogs Searcher) *ProductList {
	l := &ProductList{store: store, rules: rules, catalogs: catalogs, selected: -1}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Buscar por código o descripción (Ctrl+F)"))
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
			lb.SetText(l.rows[id.Row].cell(id.Col))
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
func (l *ProductList) CreateRenderer() fyne.WidgetRenderer {
	nuevo := widget.NewButtonWithIcon(lang.L("Nuevo producto"), theme.ContentAddIcon(), func() { l.openForm(nil) })
	top := container.NewBorder(nil, nil, nil, container.NewHBox(l.inactive, nuevo, l.edit, l.toggle), l.search)
	return widget.NewSimpleRenderer(container.NewBorder(top, l.status, nil, nil, l.table))
}

// FocusTarget is the search entry (Ctrl+F).
func (l *ProductList) FocusTarget() fyne.Focusable { return l.search }

// load runs the search; it is synchronous and UI-free.
func (l *ProductList) load(ctx context.Context, query string, inactive bool) ([]sales.Product, []row, error) {
	ps, err := l.store.FindProducts(ctx, sales.ProductFilter{Query: query, IncludeInactive: inactive, Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(ps))
	for i := range ps {
		rows[i] = rowOf(&ps[i])
	}
	return ps, rows, nil
}

// Reload searches again off the UI goroutine; older results are dropped.
func (l *ProductList) Reload() {
	l.gen++
	gen, query, inactive := l.gen, strings.TrimSpace(l.search.Text), l.inactive.Checked
	l.status.SetText(lang.L("Buscando…"))
	go func() {
		ps, rows, err := l.load(context.Background(), query, inactive)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			l.products, l.rows = ps, rows
			l.table.UnselectAll()
			l.selectRow(-1)
			l.table.Refresh()
			l.status.SetText(lang.L("Productos: {{.Count}}", map[string]any{"Count": len(rows)}))
		})
	}()
}

func (l *ProductList) selectRow(i int) {
	if i < 0 || i >= len(l.products) {
		l.selected = -1
		l.edit.Disable()
		l.toggle.Disable()
		return
	}
	l.selected = i
	l.edit.Enable()
	l.toggle.Enable()
	if l.products[i].Active {
		l.toggle.SetText(lang.L("Dar de baja"))
	} else {
		l.toggle.SetText(lang.L("Reactivar"))
	}
}

func (l *ProductList) current() *sales.Product {
	if l.selected < 0 {
		return nil
	}
	p := l.products[l.selected]
	return &p
}

func (l *ProductList) toggleActive() {
	p := l.current()
	if p == nil {
		return
	}
	go func() {
		err := l.store.SetProductActive(context.Background(), p.ID, !p.Active)
		fyne.Do(func() {
			if err != nil {
				l.status.SetText(domain.UserMessage(err))
				return
			}
			l.Reload()
		})
	}()
}

// openForm shows the product form in a dialog (p nil: a new product).
func (l *ProductList) openForm(p *sales.Product) {
	c := fyne.CurrentApp().Driver().CanvasForObject(l)
	if c == nil {
		return
	}
	f := NewProductForm(l.store, l.rules, l.catalogs, p)
	title := lang.L("Nuevo producto")
	if p != nil {
		title = lang.L("Editar producto")
	}
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Canvas() == c {
			d := dialog.NewCustomWithoutButtons(title, container.NewVScroll(f), w)
			f.OnSaved = func(*sales.Product) { d.Hide(); l.Reload() }
			f.OnCancel = d.Hide
			d.Resize(fyne.NewSize(640, 600))
			d.Show()
			return
		}
	}
}
