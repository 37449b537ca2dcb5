// Package catalogs is the "Catálogos SAT" screen: pick a SAT catalog, type
// to search it, read keys and descriptions. It reaches the catalogs only
// through the Searcher interface; it never imports data/.
package catalogs

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// Searcher finds entries of one SAT catalog whose key or description matches
// query ("" lists the catalog from its first key), returning at most limit
// entries. Errors carry a Spanish user message (domain.Error).
type Searcher interface {
	SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error)
}

// Catalog names a SAT catalog the browser offers.
type Catalog struct {
	Name  string // SAT name, as stored: "c_ClaveProdServ"
	Title string // Spanish source text, translated with lang.L when shown
}

// Catalogs lists the catalogs offered, in the order shown; the one users
// search most (c_ClaveProdServ) comes first.
var Catalogs = []Catalog{
	{sat.ClaveProdServ, "Productos y servicios"},
	{sat.ClaveUnidad, "Unidades de medida"},
	{sat.CodigoPostal, "Códigos postales"},
	{sat.RegimenFiscal, "Régimen fiscal"},
	{sat.UsoCFDI, "Uso del CFDI"},
	{sat.FormaPago, "Forma de pago"},
	{sat.MetodoPago, "Método de pago"},
	{sat.Moneda, "Monedas"},
	{sat.Pais, "Países"},
	{sat.Estado, "Estados"},
	{sat.Impuesto, "Impuestos"},
	{sat.TasaOCuota, "Tasa o cuota"},
	{sat.TipoFactor, "Tipo de factor"},
	{sat.ObjetoImp, "Objeto de impuesto"},
	{sat.TipoDeComprobante, "Tipo de comprobante"},
	{sat.TipoRelacion, "Tipo de relación"},
	{sat.Exportacion, "Exportación"},
	{sat.Periodicidad, "Periodicidad"},
	{sat.Meses, "Meses"},
}

// Defaults of a new Browser.
const (
	// DefaultDebounce is how long typing must pause before a search starts.
	DefaultDebounce = 150 * time.Millisecond
	// DefaultLimit is the most rows one search shows.
	DefaultLimit = 200
)

// Layout sizes, in Fyne units.
const (
	keyWidth    = 140 // the Clave column
	pickerWidth = 340 // the catalog select: "c_ClaveProdServ — Productos y servicios"
)

// row is one table line, already formatted.
type row struct {
	key, description string
}

// Browser is the catalog browser screen. Create it with NewBrowser; all its
// methods run on the UI goroutine.
type Browser struct {
	widget.BaseWidget

	src      Searcher
	debounce time.Duration
	limit    int

	picker *widget.Select
	search *widget.Entry
	table  *widget.Table
	status *widget.Label

	catalog string
	rows    []row
	gen     uint64             // bumped by every change; results of older generations are stale
	timer   *time.Timer        // pending debounced search
	cancel  context.CancelFunc // cancels the search in flight
}

// NewBrowser builds the screen on c_ClaveProdServ. It does not search until
// Reload is called (the app calls it when the screen is first shown).
func NewBrowser(src Searcher) *Browser {
	b := &Browser{src: src, debounce: DefaultDebounce, limit: DefaultLimit, catalog: Catalogs[0].Name}

	labels := make([]string, len(Catalogs))
	for i, c := range Catalogs {
		labels[i] = optionLabel(c)
	}
	b.picker = widgets.NewSelect(labels, nil)
	b.picker.SetSelectedIndex(0)
	b.picker.OnChanged = func(string) {
		i := b.picker.SelectedIndex()
		if i < 0 || Catalogs[i].Name == b.catalog {
			return
		}
		b.catalog = Catalogs[i].Name
		b.Reload()
	}

	b.search = widget.NewEntry()
	b.search.SetPlaceHolder(lang.L("Buscar por clave o descripción (Ctrl+F)"))
	b.search.OnChanged = func(string) { b.scheduleSearch() }
	b.search.OnSubmitted = func(string) { b.Reload() }

	b.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(b.rows), 2 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(b.rows) {
				l.SetText("")
				return
			}
			if id.Col == 0 {
				l.SetText(b.rows[id.Row].key)
			} else {
				l.SetText(b.rows[id.Row].description)
			}
		})
	b.table.ShowHeaderColumn = false
	b.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	b.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch id.Col {
		case 0:
			l.SetText(lang.L("Clave"))
		case 1:
			l.SetText(lang.L("Descripción"))
		default:
			l.SetText("")
		}
	}
	b.table.SetColumnWidth(0, keyWidth)
	b.table.SetColumnWidth(1, 600)

	b.status = widget.NewLabel("")
	b.ExtendBaseWidget(b)
	return b
}

func optionLabel(c Catalog) string { return c.Name + " — " + lang.L(c.Title) }

// CreateRenderer lays out picker and search on top, the table, the status line.
func (b *Browser) CreateRenderer() fyne.WidgetRenderer {
	picker := container.NewGridWrap(fyne.NewSize(pickerWidth, b.picker.MinSize().Height), b.picker)
	top := container.NewBorder(nil, nil, picker, nil, b.search)
	return widget.NewSimpleRenderer(container.NewBorder(top, b.status, nil, nil, b.table))
}

// Resize gives the Descripción column the width the Clave column leaves.
func (b *Browser) Resize(size fyne.Size) {
	b.table.SetColumnWidth(1, max(300, size.Width-keyWidth-4*theme.Padding()))
	b.BaseWidget.Resize(size)
}

// FocusTarget returns the search entry, focused by Ctrl+F.
func (b *Browser) FocusTarget() fyne.Focusable { return b.search }

// load runs one search synchronously and formats its rows. It touches no
// widget, so it may run on any goroutine.
func (b *Browser) load(ctx context.Context, catalog, query string) ([]row, error) {
	entries, err := b.src.SearchCatalog(ctx, catalog, strings.TrimSpace(query), b.limit)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(entries))
	for i, e := range entries {
		rows[i] = row{key: e.Key, description: e.Description}
	}
	return rows, nil
}

// scheduleSearch restarts the debounce timer after a keystroke. Results of
// searches already in flight become stale at once.
func (b *Browser) scheduleSearch() {
	b.gen++
	if b.timer != nil {
		b.timer.Stop()
	}
	b.timer = time.AfterFunc(b.debounce, func() { fyne.Do(b.Reload) })
}

// Reload searches the selected catalog for the current text off the UI
// goroutine and shows the result when it arrives, unless a newer change made
// it stale meanwhile.
func (b *Browser) Reload() {
	b.gen++
	gen := b.gen
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if b.cancel != nil {
		b.cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	b.cancel = cancel
	catalog, query := b.catalog, b.search.Text
	b.status.Importance = widget.MediumImportance
	b.status.SetText(lang.L("Buscando…"))
	go func() {
		rows, err := b.load(ctx, catalog, query)
		cancel()
		fyne.Do(func() {
			if gen != b.gen {
				return // stale: the user changed the query or the catalog
			}
			b.apply(rows, err)
		})
	}()
}

// apply shows a search result; it runs on the UI goroutine.
func (b *Browser) apply(rows []row, err error) {
	if err != nil {
		b.rows = nil
		b.status.Importance = widget.DangerImportance
		b.status.SetText(domain.UserMessage(err))
	} else {
		b.rows = rows
		b.status.Importance = widget.MediumImportance
		b.status.SetText(countText(len(rows), b.limit, b.search.Text))
	}
	b.table.Refresh()
	b.table.ScrollToTop()
}

// countText is the status line for n rows found for query.
func countText(n, limit int, query string) string {
	switch {
	case n == 0 && strings.TrimSpace(query) == "":
		return lang.L("El catálogo está vacío. Si la barra de estado muestra que se están cargando los catálogos del SAT, aparecerá al terminar.")
	case n == 0:
		return lang.L("Sin resultados")
	case n >= limit:
		return lang.L("Se muestran los primeros {{.Count}} resultados; escriba más para afinar la búsqueda.", map[string]any{"Count": n})
	default:
		return lang.N("{{.Count}} resultados", n, map[string]any{"Count": n})
	}
}
