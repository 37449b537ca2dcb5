package products

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/sales"
)

// row is one table line, already formatted.
type row struct {
	code, description, claves, price, iva, estado string
	priceValue                                    decimal.Decimal // the export's Precio
}

func rowOf(p *sales.Product) row {
	r := row{code: p.Code, description: p.Description, claves: p.ClaveProdServ + " / " + p.ClaveUnidad,
		price: p.Price.String(), priceValue: p.Price, estado: lang.L("Activo")}
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

// columns of the table: title (Spanish source text), width and cell text.
var columns = []widgets.Column[row]{
	{Title: "Código", Width: 120, Text: func(r row) string { return r.code }},
	{Title: "Descripción", Width: 320, Text: func(r row) string { return r.description }},
	{Title: "Claves SAT", Width: 150, Text: func(r row) string { return r.claves }},
	{Title: "Precio", Width: 110, Text: func(r row) string { return r.price }, Kind: listing.Money, Value: func(r row) any { return r.priceValue }},
	{Title: "IVA", Width: 80, Text: func(r row) string { return r.iva }},
	{Title: "Estado", Width: 80, Text: func(r row) string { return r.estado }},
}

// TableTexts returns the Spanish texts the screen keeps in tables and
// translates where they are shown: the column titles and the form's tax
// options.
func TableTexts() []string {
	var out []string
	for _, c := range columns {
		out = append(out, c.Title)
	}
	for _, o := range ivaOptions {
		out = append(out, o.label)
	}
	for _, o := range iepsOptions {
		out = append(out, o.label)
	}
	return out
}

// ProductList is the "Productos" screen. Create it with NewProductList; its
// methods run on the UI goroutine.
type ProductList struct {
	widget.BaseWidget

	store    Store
	rules    Rules
	catalogs Searcher
	list     *widgets.MasterList[sales.Product, row]
	form     *ProductForm // the form opened last
}

// NewProductList builds the screen; it loads nothing until Reload. The
// product form searches SAT catalogs through catalogs.
func NewProductList(store Store, rules Rules, catalogs Searcher) *ProductList {
	l := &ProductList{store: store, rules: rules, catalogs: catalogs}
	l.list = widgets.NewMasterList(widgets.MasterListConfig[sales.Product, row]{
		Placeholder: lang.L("Buscar por código o descripción (Ctrl+F)"),
		NewText:     lang.L("Nuevo producto"),
		Columns:     columns,
		Load:        l.load,
		CountText: func(n int) string {
			return lang.L("Productos: {{.Count}}", map[string]any{"Count": n})
		},
		Active: func(p sales.Product) bool { return p.Active },
		SetActive: func(ctx context.Context, p sales.Product, active bool) error {
			return store.SetProductActive(ctx, p.ID, active)
		},
		Open:  l.openForm,
		Title: lang.L("Productos"),
		All: func(ctx context.Context, query string, inactive bool) ([]row, error) {
			_, rows, err := l.find(ctx, sales.ProductFilter{Query: query, IncludeInactive: inactive, All: true})
			return rows, err
		},
	})
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer shows the list (toolbar, table and status line).
func (l *ProductList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.list)
}

// FocusTarget is the search entry (Ctrl+F).
func (l *ProductList) FocusTarget() fyne.Focusable { return l.list.Search }

// Export is the list as shown under the current search, every match.
func (l *ProductList) Export() (widgets.ListExport, bool) { return l.list.Export() }

// Reload searches again off the UI goroutine; older results are dropped.
func (l *ProductList) Reload() { l.list.Reload() }

// load runs the search; it is synchronous and UI-free.
func (l *ProductList) load(ctx context.Context, query string, inactive bool) ([]sales.Product, []row, error) {
	return l.find(ctx, sales.ProductFilter{Query: query, IncludeInactive: inactive, Limit: 500})
}

// find runs the search f and formats its rows.
func (l *ProductList) find(ctx context.Context, f sales.ProductFilter) ([]sales.Product, []row, error) {
	ps, err := l.store.FindProducts(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(ps))
	for i := range ps {
		rows[i] = rowOf(&ps[i])
	}
	return ps, rows, nil
}

// openForm shows the product form in a dialog (p nil: a new product); the
// list reloads after a save.
func (l *ProductList) openForm(p *sales.Product) {
	w := widgets.WindowOf(l)
	if w == nil {
		return
	}
	f := NewProductForm(w, l.store, l.rules, l.catalogs, p)
	f.OnSaved = func(*sales.Product) { l.Reload() }
	l.form = f
	f.Show()
}
