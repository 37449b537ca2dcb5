package thirdparty

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/sales"
)

// catalogRow is one line of the catalog's table, already formatted.
type catalogRow struct {
	rfc, name, regimen, cp, bank, estado string
}

func catalogRowOf(t *sales.ThirdParty) catalogRow {
	r := catalogRow{rfc: t.RFC, name: t.Name, regimen: t.RegimenFiscal, cp: t.CodigoPostal, estado: lang.L("Activo")}
	if t.Bank != "" || t.BankAccount != "" {
		r.bank = t.Bank + " " + t.BankAccount
	}
	if !t.Active {
		r.estado = lang.L("Baja")
	}
	return r
}

// catalogColumns are the catalog table's columns (titles are Spanish
// source text).
var catalogColumns = []widgets.Column[catalogRow]{
	{Title: "RFC", Width: 150, Text: func(r catalogRow) string { return r.rfc }},
	{Title: "Nombre", Width: 300, Text: func(r catalogRow) string { return r.name }},
	{Title: "Régimen", Width: 80, Text: func(r catalogRow) string { return r.regimen }},
	{Title: "C.P.", Width: 70, Text: func(r catalogRow) string { return r.cp }},
	{Title: "Banco y cuenta", Width: 220, Text: func(r catalogRow) string { return r.bank }},
	{Title: "Estado", Width: 70, Text: func(r catalogRow) string { return r.estado }},
}

// TableTexts returns the Spanish texts the area keeps in tables and
// translates where they are shown.
func TableTexts() []string {
	out := make([]string, len(catalogColumns))
	for i, c := range catalogColumns {
		out[i] = c.Title
	}
	out = append(out, inheritedTitles...)
	return append(out, optionalTabs...)
}

// CatalogList is the "Terceros" tab: search the issuer's third parties by
// name or RFC, create and edit them, deactivate and reactivate them.
// Create it with NewCatalogList; its methods run on the UI goroutine.
type CatalogList struct {
	widget.BaseWidget

	catalog Catalog
	rules   Rules
	issuer  string
	List    *widgets.MasterList[sales.ThirdParty, catalogRow]
	form    *CatalogForm // the form opened last

	// OnSaved, when set, is called on the UI goroutine after a third party
	// was created or edited (the document form offers it at once).
	OnSaved func(*sales.ThirdParty)
}

// NewCatalogList builds the tab for issuer's third parties; it loads
// nothing until Reload.
func NewCatalogList(catalog Catalog, rules Rules, issuer string) *CatalogList {
	l := &CatalogList{catalog: catalog, rules: rules, issuer: issuer}
	l.List = widgets.NewMasterList(widgets.MasterListConfig[sales.ThirdParty, catalogRow]{
		Placeholder: lang.L("Buscar tercero por nombre o RFC (Ctrl+F)"),
		NewText:     lang.L("Nuevo tercero"),
		Columns:     catalogColumns,
		Load:        l.load,
		CountText: func(n int) string {
			return lang.L("Terceros: {{.Count}}", map[string]any{"Count": n})
		},
		Active: func(t sales.ThirdParty) bool { return t.Active },
		SetActive: func(ctx context.Context, t sales.ThirdParty, active bool) error {
			if active {
				return catalog.Activate(ctx, t.ID)
			}
			return catalog.Deactivate(ctx, t.ID)
		},
		Open: l.openForm,
	})
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer shows the list.
func (l *CatalogList) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(l.List) }

// FocusTarget is the search entry (Ctrl+F).
func (l *CatalogList) FocusTarget() fyne.Focusable { return l.List.Search }

// Reload searches again off the UI goroutine.
func (l *CatalogList) Reload() { l.List.Reload() }

// Form returns the form opened last (nil before any).
func (l *CatalogList) Form() *CatalogForm { return l.form }

// load runs the search; synchronous and UI-free.
func (l *CatalogList) load(ctx context.Context, query string, inactive bool) ([]sales.ThirdParty, []catalogRow, error) {
	ts, err := l.catalog.List(ctx, sales.ThirdPartyFilter{Issuer: l.issuer, Query: query, IncludeInactive: inactive, Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	rows := make([]catalogRow, len(ts))
	for i := range ts {
		rows[i] = catalogRowOf(&ts[i])
	}
	return ts, rows, nil
}

// openForm shows the form in a dialog (t nil: a new third party).
func (l *CatalogList) openForm(t *sales.ThirdParty) {
	w := widgets.WindowOf(l)
	if w == nil {
		return
	}
	f := NewCatalogForm(w, l.catalog, l.rules, l.issuer, t)
	f.OnSaved = func(t *sales.ThirdParty) {
		l.Reload()
		if l.OnSaved != nil {
			l.OnSaved(t)
		}
	}
	l.form = f
	f.Show()
}
