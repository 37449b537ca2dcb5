// Package sheets puts "Importar…" and "Exportar…" above a catalog list
// (customers, products): the import reads a CSV or XLSX, guesses which
// column holds each field and lets the user change it, shows how many rows
// will be imported and, row by row, what is refused and why, and imports
// the valid rows only after the user confirms, all or nothing; the export
// writes the catalog to XLSX (it imports back) or the list as shown to XLSX
// or PDF. ShowListExport and ExportList export any widgets.Exportable list
// (Archivo › Exportar lista…): every row under its search and filters,
// typed cells in XLSX (domain/listing, data/sheet), the printed listing in
// PDF, with progress and Cancelar. Every catalog rule comes from
// domain/catalogio.
package sheets

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// Deps is what imports and exports need: the use cases, the sheet reader
// and writer (data/sheet) and the PDF of a listing (print.RenderListing).
type Deps struct {
	Service   *catalogio.Service
	Read      func(name string, data []byte) (catalogio.Table, error)
	WriteXLSX func(w io.Writer, sheet string, t catalogio.Table) error
	PDF       func(l *print.Listing) ([]byte, error)
	// WriteListing writes a list as shown to XLSX with typed cells
	// (sheet.WriteListing), for "Exportar lista".
	WriteListing func(ctx context.Context, w io.Writer, t listing.Table, progress func(done int)) error
}

// Kind is the catalog a list shows.
type Kind int

// The catalogs.
const (
	Products Kind = iota
	Customers
)

func (k Kind) fields() []catalogio.Field {
	if k == Customers {
		return catalogio.CustomerFields
	}
	return catalogio.ProductFields
}

func (k Kind) title() string {
	if k == Customers {
		return lang.L("Clientes")
	}
	return lang.L("Productos")
}

// list is what a wrapped catalog list offers the app.
type list interface {
	fyne.CanvasObject
	Reload()
}

// Area is a catalog list with "Importar…" and "Exportar…" above it.
type Area struct {
	widget.BaseWidget
	inner  list
	deps   Deps
	kind   Kind
	status *widget.Label

	importing *importer // the import dialog shown last (for tests)
}

// Wrap puts the actions above inner; it forwards Reload and, when inner
// has one, FocusTarget.
func Wrap(inner list, deps Deps, kind Kind) *Area {
	a := &Area{inner: inner, deps: deps, kind: kind, status: widget.NewLabel("")}
	a.status.Truncation = fyne.TextTruncateEllipsis
	a.ExtendBaseWidget(a)
	return a
}

// CreateRenderer lays the actions above the list.
func (a *Area) CreateRenderer() fyne.WidgetRenderer {
	imp := widget.NewButtonWithIcon(lang.L("Importar…"), theme.DownloadIcon(), a.startImport)
	exp := widget.NewButtonWithIcon(lang.L("Exportar…"), theme.UploadIcon(), a.startExport)
	top := container.NewBorder(nil, nil, container.NewHBox(imp, exp), nil, a.status)
	return widget.NewSimpleRenderer(container.NewBorder(top, nil, nil, nil, a.inner))
}

// Reload reloads the list.
func (a *Area) Reload() { a.inner.Reload() }

// FocusTarget is the list's search entry.
func (a *Area) FocusTarget() fyne.Focusable {
	if s, ok := a.inner.(interface{ FocusTarget() fyne.Focusable }); ok {
		return s.FocusTarget()
	}
	return nil
}

func (a *Area) say(msg string, isErr bool) {
	a.status.Importance = widget.MediumImportance
	if isErr {
		a.status.Importance = widget.DangerImportance
	}
	a.status.SetText(msg)
}

// startImport asks for the file, reads it off the UI goroutine and opens
// the mapping and preview.
func (a *Area) startImport() {
	w := widgets.WindowOf(a)
	if w == nil {
		return
	}
	widgets.ShowFileOpen(w, lang.L("Importar desde CSV o Excel"), []string{".csv", ".xlsx"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		name := rc.URI().Name()
		go func() {
			defer rc.Close()
			data, err := io.ReadAll(rc)
			var t catalogio.Table
			if err == nil {
				t, err = a.deps.Read(name, data)
			}
			fyne.Do(func() {
				if err != nil {
					a.say(domain.UserMessage(err), true)
					return
				}
				a.showImport(w, name, t)
			})
		}()
	})
}

// importer is one import dialog's state.
type importer struct {
	a        *Area
	table    catalogio.Table
	selects  map[string]*widget.Select
	summary  *widget.Label
	refusals []catalogio.Refusal
	refused  *widget.Table
	confirm  *widget.Button
	products []any // the planned records, as planned
}

// showImport shows the column mapping and the preview of table.
func (a *Area) showImport(w fyne.Window, name string, t catalogio.Table) {
	im := &importer{a: a, table: t, selects: map[string]*widget.Select{}, summary: widget.NewLabel("")}
	a.importing = im
	im.summary.Wrapping = fyne.TextWrapWord
	guess := catalogio.Guess(t.Header, a.kind.fields())
	options := append([]string{lang.L("(ninguna)")}, t.Header...)
	form := widget.NewForm()
	for _, f := range a.kind.fields() {
		sel := widgets.NewSelect(options, nil)
		sel.SetSelectedIndex(0)
		if col, ok := guess[f.Key]; ok {
			sel.SetSelectedIndex(col + 1)
		}
		sel.OnChanged = func(string) { im.plan() }
		im.selects[f.Key] = sel
		label := lang.L(f.Title)
		if f.Required {
			label += " *"
		}
		form.Append(label, sel)
	}
	im.refused = widget.NewTableWithHeaders(func() (int, int) { return len(im.refusals), 3 },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < 0 || id.Row >= len(im.refusals) {
				return
			}
			r := im.refusals[id.Row]
			o.(*widget.Label).SetText([]string{fmt.Sprint(r.Row), r.Key, strings.Join(r.Reasons, " ")}[id.Col])
		})
	im.refused.ShowHeaderColumn = false
	im.refused.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	im.refused.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < 3 {
			o.(*widget.Label).SetText([]string{lang.L("Renglón"), lang.L("Clave"), lang.L("Motivo")}[id.Col])
		}
	}
	im.refused.SetColumnWidth(0, 70)
	im.refused.SetColumnWidth(1, 140)
	im.refused.SetColumnWidth(2, 600)
	var d dialog.Dialog
	im.confirm = widget.NewButtonWithIcon(lang.L("Importar"), theme.ConfirmIcon(), func() { im.run(d) })
	im.confirm.Importance = widget.HighImportance
	im.confirm.Disable()
	cancel := widget.NewButton(lang.L("Cancelar"), func() { d.Hide() })
	body := container.NewBorder(
		container.NewVBox(widget.NewLabel(lang.L("Archivo: {{.Name}}. Elija qué columna tiene cada dato (* obligatorio).", map[string]any{"Name": name})),
			container.NewVScroll(form)),
		container.NewVBox(im.summary, container.NewHBox(cancel, im.confirm)), nil, nil,
		im.refused)
	d = dialog.NewCustomWithoutButtons(lang.L("Importar {{.Catalog}}", map[string]any{"Catalog": a.kind.title()}), body, w)
	d.Resize(fyne.NewSize(w.Canvas().Size().Width*0.9, w.Canvas().Size().Height*0.9))
	d.Show()
	im.plan()
}

// mapping reads the selects.
func (im *importer) mapping() catalogio.Mapping {
	m := catalogio.Mapping{}
	for key, sel := range im.selects {
		if i := sel.SelectedIndex(); i > 0 {
			m[key] = i - 1
		}
	}
	return m
}

// plan checks the rows under the current mapping off the UI goroutine
// and shows what will be imported and what is refused.
func (im *importer) plan() {
	m := im.mapping()
	im.confirm.Disable()
	im.summary.SetText(lang.L("Revisando…"))
	go func() {
		ctx := context.Background()
		var (
			rep  catalogio.Report
			err  error
			recs []any
		)
		if im.a.kind == Customers {
			cs, r, e := im.a.deps.Service.PlanCustomers(ctx, im.table, m)
			rep, err = r, e
			for _, c := range cs {
				recs = append(recs, c)
			}
		} else {
			ps, r, e := im.a.deps.Service.PlanProducts(ctx, im.table, m)
			rep, err = r, e
			for _, p := range ps {
				recs = append(recs, p)
			}
		}
		fyne.Do(func() {
			im.refusals = rep.Refused
			im.refused.Refresh()
			im.products = recs
			if err != nil {
				im.summary.SetText(domain.UserMessage(err))
				im.summary.Importance = widget.DangerImportance
				im.summary.Refresh()
				return
			}
			im.summary.Importance = widget.MediumImportance
			im.summary.SetText(lang.L("Renglones: {{.Rows}}. Se importarán {{.Ok}}; se rechazan {{.Bad}} (vea el motivo de cada uno arriba). Nada se guarda hasta que oprima Importar.",
				map[string]any{"Rows": rep.Rows, "Ok": rep.Accepted, "Bad": len(rep.Refused)}))
			im.confirm.SetText(lang.L("Importar {{.Count}}", map[string]any{"Count": rep.Accepted}))
			im.confirm.Enable()
		})
	}()
}

// run imports the planned records, all or none, then closes and reloads.
func (im *importer) run(d dialog.Dialog) {
	recs := im.products
	im.confirm.Disable()
	go func() {
		ctx := context.Background()
		var err error
		if im.a.kind == Customers {
			cs := make([]salesCustomer, len(recs))
			for i, r := range recs {
				cs[i] = r.(salesCustomer)
			}
			err = im.a.deps.Service.ImportCustomers(ctx, cs)
		} else {
			ps := make([]salesProduct, len(recs))
			for i, r := range recs {
				ps[i] = r.(salesProduct)
			}
			err = im.a.deps.Service.ImportProducts(ctx, ps)
		}
		fyne.Do(func() {
			if err != nil {
				im.summary.SetText(domain.UserMessage(err))
				im.summary.Importance = widget.DangerImportance
				im.summary.Refresh()
				return
			}
			d.Hide()
			im.a.say(lang.L("Importados: {{.Count}}.", map[string]any{"Count": len(recs)}), false)
			im.a.Reload()
		})
	}()
}

// Export is the wrapped list's, when it has one (Archivo › Exportar lista…).
func (a *Area) Export() (widgets.ListExport, bool) {
	if e, ok := a.inner.(widgets.Exportable); ok && a.deps.WriteListing != nil {
		return e.Export()
	}
	return widgets.ListExport{}, false
}

// startExport offers the catalog for importing back (XLSX) and, when the
// list is exportable, the list as shown (XLSX or PDF).
func (a *Area) startExport() {
	w := widgets.WindowOf(a)
	if w == nil {
		return
	}
	load := func(ctx context.Context) (catalogio.Table, error) {
		if a.kind == Customers {
			return a.deps.Service.ExportCustomers(ctx)
		}
		return a.deps.Service.ExportProducts(ctx)
	}
	e, ok := a.Export()
	if !ok {
		ShowExport(w, a.deps, a.kind.title(), catalogio.Titles(a.kind.fields()), load, a.say)
		return
	}
	catalog := widget.NewButton(lang.L("Catálogo completo para volver a importar (Excel)"), nil)
	d := listExportDialog(w, a.deps, e, a.say, catalog)
	catalog.OnTapped = func() {
		d.Hide()
		saveCatalog(w, a.deps, a.kind.title(), nil, load, a.say, ".xlsx")
	}
	d.Show()
}

// ShowExport asks Excel or PDF, then where to save, and writes what load
// returns: the XLSX with its own header (it imports back), the PDF as a
// listing titled title with the column titles header. say reports the
// outcome.
func ShowExport(w fyne.Window, deps Deps, title string, header []string, load func(ctx context.Context) (catalogio.Table, error), say func(msg string, isErr bool)) {
	var d dialog.Dialog
	run := func(ext string) {
		d.Hide()
		saveCatalog(w, deps, title, header, load, say, ext)
	}
	xlsx := widget.NewButton(lang.L("Excel (.xlsx)"), func() { run(".xlsx") })
	pdf := widget.NewButton(lang.L("PDF"), func() { run(".pdf") })
	d = dialog.NewCustom(lang.L("Exportar {{.Catalog}}", map[string]any{"Catalog": title}), lang.L("Cancelar"),
		container.NewVBox(widget.NewLabel(lang.L("El archivo de Excel de un catálogo se puede volver a importar.")), xlsx, pdf), w)
	d.Show()
}

// saveCatalog asks where to save and writes what load returns as ext.
func saveCatalog(w fyne.Window, deps Deps, title string, header []string, load func(ctx context.Context) (catalogio.Table, error), say func(msg string, isErr bool), ext string) {
	widgets.ShowFileSave(w, lang.L("Exportar"), strings.ToLower(title)+ext, []string{ext}, func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		go func() {
			defer wc.Close()
			t, err := load(context.Background())
			if err == nil {
				if ext == ".xlsx" {
					err = deps.WriteXLSX(wc, title, t)
				} else {
					err = WritePDF(wc, deps, title, header, t)
				}
			}
			fyne.Do(func() {
				if err != nil {
					say(domain.UserMessage(err), true)
					return
				}
				say(lang.L("Exportado a {{.Name}}.", map[string]any{"Name": wc.URI().Name()}), false)
			})
		}()
	})
}

// TableTexts returns the Spanish texts translated where shown: the
// fields' titles.
func TableTexts() []string {
	return append(catalogio.Titles(catalogio.ProductFields), catalogio.Titles(catalogio.CustomerFields)...)
}

// WritePDF prints t as a listing titled title with the given column titles.
func WritePDF(w io.Writer, deps Deps, title string, header []string, t catalogio.Table) error {
	b, err := deps.PDF(&print.Listing{Title: title, Header: header, Rows: t.Rows})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, bytes.NewReader(b))
	return err
}

type (
	salesProduct  = sales.Product
	salesCustomer = sales.Customer
)
