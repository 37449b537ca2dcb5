package customers

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
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

// columns of the table: title (Spanish source text), width and cell text.
var columns = []widgets.Column[row]{
	{Title: "RFC", Width: 150, Text: func(r row) string { return r.rfc }},
	{Title: "Nombre", Width: 360, Text: func(r row) string { return r.name }},
	{Title: "Régimen", Width: 80, Text: func(r row) string { return r.regimen }},
	{Title: "C.P.", Width: 80, Text: func(r row) string { return r.cp }},
	{Title: "Estado", Width: 80, Text: func(r row) string { return r.estado }},
}

// TableTexts returns the Spanish texts the screen keeps in tables and
// translates where they are shown: the column titles.
func TableTexts() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.Title
	}
	return out
}

// CustomerList is the "Clientes" screen. Create it with NewCustomerList; its
// methods run on the UI goroutine.
type CustomerList struct {
	widget.BaseWidget

	store Store
	rules Rules
	list  *widgets.MasterList[sales.Customer, row]
	form  *CustomerForm // the form opened last
}

// NewCustomerList builds the screen; it loads nothing until Reload.
func NewCustomerList(store Store, rules Rules) *CustomerList {
	l := &CustomerList{store: store, rules: rules}
	l.list = widgets.NewMasterList(widgets.MasterListConfig[sales.Customer, row]{
		Placeholder: lang.L("Buscar por nombre o RFC (Ctrl+F)"),
		NewText:     lang.L("Nuevo cliente"),
		Columns:     columns,
		Load:        l.load,
		CountText: func(n int) string {
			return lang.L("Clientes: {{.Count}}", map[string]any{"Count": n})
		},
		Active: func(c sales.Customer) bool { return c.Active },
		SetActive: func(ctx context.Context, c sales.Customer, active bool) error {
			return store.SetCustomerActive(ctx, c.ID, active)
		},
		Open:  l.openForm,
		Title: lang.L("Clientes"),
		All: func(ctx context.Context, query string, inactive bool) ([]row, error) {
			_, rows, err := l.find(ctx, sales.CustomerFilter{Query: query, IncludeInactive: inactive, All: true})
			return rows, err
		},
	})
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer shows the list (toolbar, table and status line).
func (l *CustomerList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.list)
}

// FocusTarget is the search entry (Ctrl+F).
func (l *CustomerList) FocusTarget() fyne.Focusable { return l.list.Search }

// Export is the list as shown under the current search, every match.
func (l *CustomerList) Export() (widgets.ListExport, bool) { return l.list.Export() }

// Reload searches again off the UI goroutine and shows the result; results
// of an older search are dropped.
func (l *CustomerList) Reload() { l.list.Reload() }

// load runs the search; it is synchronous and UI-free.
func (l *CustomerList) load(ctx context.Context, query string, inactive bool) ([]sales.Customer, []row, error) {
	return l.find(ctx, sales.CustomerFilter{Query: query, IncludeInactive: inactive, Limit: 500})
}

// find runs the search f and formats its rows.
func (l *CustomerList) find(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, []row, error) {
	cs, err := l.store.FindCustomers(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(cs))
	for i := range cs {
		rows[i] = rowOf(&cs[i])
	}
	return cs, rows, nil
}

// openForm shows the customer form in a dialog (c nil: a new customer);
// the list reloads after a save.
func (l *CustomerList) openForm(c *sales.Customer) {
	w := widgets.WindowOf(l)
	if w == nil {
		return
	}
	f := NewCustomerForm(w, l.store, l.rules, c)
	f.OnSaved = func(*sales.Customer) { l.Reload() }
	l.form = f
	f.Show()
}
