// Package inventory is the "Existencias" area: what is on hand per
// product and warehouse (paged), the movements between two dates with the
// document behind each, the products below their minimum, and the
// warehouse's actions (adjustment, transfer, new warehouse). Every figure
// and every refusal comes from domain/inventory.
package inventory

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	inv "github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/sales"
)

// Store is what the area reads (*sqlite.Store).
type Store interface {
	Warehouses(ctx context.Context, issuer string) ([]inv.Warehouse, error)
	OnHand(ctx context.Context, f inv.LevelFilter) ([]inv.LevelRow, error)
	StockMovements(ctx context.Context, f inv.MovementFilter) ([]inv.MovementRow, error)
	Short(ctx context.Context, issuer string, limit int) ([]inv.LevelRow, error)
}

// Deps is what the area needs; nil Store hides the area. Service makes
// the adjustments, transfers and warehouses; Products finds a product by
// code or words for them. Export, when set, offers "Exportar…" of the
// stock (XLSX or PDF).
type Deps struct {
	Store    Store
	Service  *inv.Service
	Products func(ctx context.Context, query string) ([]sales.Product, error)
	Sheets   *sheets.Deps
	// Suppliers, when set, adds the "Proveedores" tab (the catalog and
	// "Registrar compra…"); Service must be set too.
	Suppliers inv.SupplierStore
}

// The tables' column titles (Spanish source texts, translated where shown).
var (
	levelTitles = []string{"Código", "Producto", "Bodega", "Existencia", "Costo promedio", "Mínimo"}
	moveTitles  = []string{"Fecha", "Movimiento", "Código", "Producto", "Bodega", "Cantidad", "Costo", "Documento"}
	shortTitles = []string{"Código", "Producto", "Existencia", "Mínimo"}
)

// TableTexts returns the Spanish texts the area keeps in tables and
// translates where they are shown: column titles and kinds of movement.
func TableTexts() []string {
	out := append(append(append(append([]string{}, levelTitles...), moveTitles...), shortTitles...), supplierTitles...)
	for _, k := range inv.Kinds() {
		out = append(out, k.Label())
	}
	return out
}

// PageSize is the rows of one page of on-hand and movements.
const PageSize = 100

// Screen is the area. Create it with NewScreen; its methods run on the UI
// goroutine.
type Screen struct {
	widget.BaseWidget
	deps   Deps
	issuer string

	warehouses []inv.Warehouse
	whSelect   *widget.Select
	levels     []inv.LevelRow
	levelTable *widget.Table
	levelMore  *widget.Button

	from, to  *widget.Entry
	moves     []inv.MovementRow
	moveTable *widget.Table
	moveMore  *widget.Button

	short      []inv.LevelRow
	shortTable *widget.Table

	suppliers   []inv.Supplier
	supTable    *widget.Table
	supSelected int

	status *widget.Label
	tabs   *container.AppTabs
}

// NewScreen builds the area for the company issuer; it loads on Reload.
func NewScreen(deps Deps, issuer string) *Screen {
	s := &Screen{deps: deps, issuer: issuer, supSelected: -1}
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.whSelect = widgets.NewSelect(nil, func(string) { s.loadLevels(false) })
	s.levelTable = newTable(levelTitles,
		[]float32{110, 320, 150, 110, 130, 90}, func() int { return len(s.levels) }, func(r, c int) string {
			l := s.levels[r]
			return [...]string{l.Code, l.Description, l.Warehouse, l.Qty.String(), l.AvgCost.StringFixed(2), l.Minimum.String()}[c]
		})
	s.levelMore = widget.NewButton(lang.L("Cargar más"), func() { s.loadLevels(true) })
	s.levelMore.Disable()

	s.from, s.to = widget.NewEntry(), widget.NewEntry()
	s.from.SetPlaceHolder(lang.L("Desde dd/mm/aaaa"))
	s.to.SetPlaceHolder(lang.L("Hasta dd/mm/aaaa"))
	s.from.OnSubmitted = func(string) { s.loadMoves(false) }
	s.to.OnSubmitted = func(string) { s.loadMoves(false) }
	s.moveTable = newTable(moveTitles,
		[]float32{130, 110, 100, 260, 130, 90, 100, 160}, func() int { return len(s.moves) }, func(r, c int) string {
			m := s.moves[r]
			doc := m.Document
			if m.Reason != "" {
				doc = m.Reason
			}
			return [...]string{m.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04"), lang.L(m.Kind.Label()), m.Code, m.Description,
				m.Warehouse, m.Qty.String(), m.UnitCost.StringFixed(2), doc}[c]
		})
	s.moveMore = widget.NewButton(lang.L("Cargar más"), func() { s.loadMoves(true) })
	s.moveMore.Disable()
	s.shortTable = newTable(shortTitles, []float32{110, 360, 110, 110},
		func() int { return len(s.short) }, func(r, c int) string {
			l := s.short[r]
			return [...]string{l.Code, l.Description, l.Qty.String(), l.Minimum.String()}[c]
		})

	var actions []fyne.CanvasObject
	if deps.Service != nil {
		actions = append(actions,
			widget.NewButton(lang.L("Ajuste…"), s.showAdjust),
			widget.NewButton(lang.L("Traspaso…"), s.showTransfer),
			widget.NewButton(lang.L("Nueva bodega…"), s.showWarehouse))
	}
	if deps.Sheets != nil {
		actions = append(actions, widget.NewButton(lang.L("Exportar…"), s.export))
	}
	onHand := container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Bodega")), container.NewHBox(actions...), s.whSelect),
		container.NewBorder(nil, nil, nil, s.levelMore), nil, nil, s.levelTable)
	moves := container.NewBorder(container.NewGridWithColumns(3, s.from, s.to, widget.NewButton(lang.L("Buscar"), func() { s.loadMoves(false) })),
		container.NewBorder(nil, nil, nil, s.moveMore), nil, nil, s.moveTable)
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Existencias"), onHand),
		container.NewTabItem(lang.L("Movimientos"), moves),
		container.NewTabItem(lang.L("Por surtir"), s.shortTable))
	if deps.Suppliers != nil && deps.Service != nil {
		s.tabs.Append(container.NewTabItem(lang.L("Proveedores"), s.suppliersTab()))
	}
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer lays out the tabs above the status line.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, s.status, nil, nil, s.tabs))
}

// newTable is a read-only table with a header row.
func newTable(titles []string, widths []float32, rows func() int, text func(r, c int) string) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(titles) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= 0 && id.Row < rows() && id.Col >= 0 && id.Col < len(titles) {
				o.(*widget.Label).SetText(text(id.Row, id.Col))
			}
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(titles) {
			o.(*widget.Label).SetText(lang.L(titles[id.Col]))
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// say shows msg in the status line (danger when isErr).
func (s *Screen) say(msg string, isErr bool) {
	s.status.Importance = widget.MediumImportance
	if isErr {
		s.status.Importance = widget.DangerImportance
	}
	s.status.SetText(msg)
}

// Reload loads the warehouses, the first page of each tab and the short list.
func (s *Screen) Reload() {
	go func() {
		ctx := context.Background()
		whs, err := s.deps.Store.Warehouses(ctx, s.issuer)
		var short []inv.LevelRow
		if err == nil {
			short, err = s.deps.Store.Short(ctx, s.issuer, 500)
		}
		fyne.Do(func() {
			if err != nil {
				s.say(domain.UserMessage(err), true)
				return
			}
			s.warehouses, s.short = whs, short
			opts := []string{lang.L("Todas las bodegas")}
			for _, w := range whs {
				opts = append(opts, w.Name)
			}
			s.whSelect.SetOptions(opts)
			if s.whSelect.SelectedIndex() < 0 {
				s.whSelect.SetSelectedIndex(0) // loads the levels
			} else {
				s.loadLevels(false)
			}
			s.shortTable.Refresh()
			s.loadMoves(false)
			s.loadSuppliers()
		})
	}()
}

// Changed reloads when stock may have moved, here or at another
// workstation: a document posted (its exit) or cancelled (its return),
// stock moved outside a post (purchase, transfer, adjustment, revert) or
// a warehouse changed, or events were lost (Resync).
func (s *Screen) Changed(events []event.Event) {
	for _, e := range events {
		switch e.Kind {
		case event.DocumentPosted, event.CancellationAnswered, event.StockChanged, event.Resync:
			s.Reload()
			return
		}
	}
}

func (s *Screen) warehouseID() int64 {
	if i := s.whSelect.SelectedIndex(); i > 0 && i-1 < len(s.warehouses) {
		return s.warehouses[i-1].ID
	}
	return 0
}

// loadLevels loads the first page of on-hand (or the next, with more).
func (s *Screen) loadLevels(more bool) {
	f := inv.LevelFilter{Issuer: s.issuer, WarehouseID: s.warehouseID(), Limit: PageSize}
	if more && len(s.levels) > 0 {
		last := s.levels[len(s.levels)-1]
		f.AfterCode, f.AfterWH = last.Code, last.WarehouseID
	}
	go func() {
		rows, err := s.deps.Store.OnHand(context.Background(), f)
		fyne.Do(func() {
			if err != nil {
				s.say(domain.UserMessage(err), true)
				return
			}
			if more {
				s.levels = append(s.levels, rows...)
			} else {
				s.levels = rows
			}
			if len(rows) == PageSize {
				s.levelMore.Enable()
			} else {
				s.levelMore.Disable()
			}
			s.levelTable.Refresh()
			s.say(lang.L("Renglones de existencias mostrados: {{.Count}}", map[string]any{"Count": len(s.levels)}), false)
		})
	}()
}

// loadMoves loads the movements between the typed dates.
func (s *Screen) loadMoves(more bool) {
	f := inv.MovementFilter{Issuer: s.issuer, Limit: PageSize}
	var err error
	if f.From, err = day(s.from.Text); err == nil {
		f.To, err = day(s.to.Text)
	}
	if err != nil {
		s.say(domain.UserMessage(err), true)
		return
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	if more && len(s.moves) > 0 {
		f.Before = &s.moves[len(s.moves)-1].Movement
	}
	go func() {
		rows, err := s.deps.Store.StockMovements(context.Background(), f)
		fyne.Do(func() {
			if err != nil {
				s.say(domain.UserMessage(err), true)
				return
			}
			if more {
				s.moves = append(s.moves, rows...)
			} else {
				s.moves = rows
			}
			if len(rows) == PageSize {
				s.moveMore.Enable()
			} else {
				s.moveMore.Disable()
			}
			s.moveTable.Refresh()
		})
	}()
}

// day parses a dd/mm/aaaa date typed by the user (empty: none).
func day(text string) (time.Time, error) {
	if text = strings.TrimSpace(text); text == "" {
		return time.Time{}, nil
	}
	return sales.ParseDay(text, domain.MexicoCity)
}

// export exports the list of the tab shown (XLSX or PDF).
func (s *Screen) export() {
	w := widgets.WindowOf(s)
	if w == nil {
		return
	}
	e, ok := s.Export()
	if !ok {
		s.say(lang.L("Esta pestaña no tiene una lista que exportar."), true)
		return
	}
	sheets.ShowListExport(w, *s.deps.Sheets, e, s.say)
}

// exportPage is the rows of one page an export reads (the store's most).
const exportPage = 500

// Export is the list of the tab shown, every page, under its filters: the
// stock on hand of the warehouse chosen, the movements between the typed
// dates, or the products below their minimum (Archivo › Exportar lista…).
func (s *Screen) Export() (widgets.ListExport, bool) {
	titles := func(ts []string, kinds ...listing.Kind) []listing.Column {
		out := make([]listing.Column, len(ts))
		for i, t := range ts {
			out[i] = listing.Column{Title: lang.L(t), Kind: kinds[i]}
		}
		return out
	}
	const tx, qty, money, when = listing.Text, listing.Quantity, listing.Money, listing.DateTime
	switch s.tabs.SelectedIndex() {
	case 0:
		f := inv.LevelFilter{Issuer: s.issuer, WarehouseID: s.warehouseID(), Limit: exportPage}
		title := lang.L("Existencias")
		if i := s.whSelect.SelectedIndex(); i > 0 {
			title += " (" + s.whSelect.Selected + ")"
		}
		return widgets.ListExport{Title: title, Columns: titles(levelTitles, tx, tx, tx, qty, money, qty),
			Rows: func(ctx context.Context, emit func(listing.Row) error) error {
				for {
					page, err := s.deps.Store.OnHand(ctx, f)
					if err != nil {
						return err
					}
					for _, l := range page {
						if err := emit(listing.Row{l.Code, l.Description, l.Warehouse, l.Qty, l.AvgCost, l.Minimum}); err != nil {
							return err
						}
					}
					if len(page) < f.Limit {
						return nil
					}
					last := page[len(page)-1]
					f.AfterCode, f.AfterWH = last.Code, last.WarehouseID
				}
			}}, true
	case 1:
		f := inv.MovementFilter{Issuer: s.issuer, Limit: exportPage}
		var ferr error
		if f.From, ferr = day(s.from.Text); ferr == nil {
			f.To, ferr = day(s.to.Text)
		}
		if !f.To.IsZero() {
			f.To = f.To.AddDate(0, 0, 1)
		}
		return widgets.ListExport{Title: lang.L("Movimientos de almacén"), Columns: titles(moveTitles, when, tx, tx, tx, tx, qty, money, tx),
			Rows: func(ctx context.Context, emit func(listing.Row) error) error {
				if ferr != nil {
					return ferr
				}
				for {
					page, err := s.deps.Store.StockMovements(ctx, f)
					if err != nil {
						return err
					}
					for _, m := range page {
						doc := m.Document
						if m.Reason != "" {
							doc = m.Reason
						}
						if err := emit(listing.Row{m.Fecha, lang.L(m.Kind.Label()), m.Code, m.Description, m.Warehouse, m.Qty, m.UnitCost, doc}); err != nil {
							return err
						}
					}
					if len(page) < f.Limit {
						return nil
					}
					f.Before = &page[len(page)-1].Movement
				}
			}}, true
	case 2:
		return widgets.ListExport{Title: lang.L("Por surtir"), Columns: titles(shortTitles, tx, tx, qty, qty),
			Rows: func(ctx context.Context, emit func(listing.Row) error) error {
				rows, err := s.deps.Store.Short(ctx, s.issuer, exportPage)
				if err != nil {
					return err
				}
				for _, l := range rows {
					if err := emit(listing.Row{l.Code, l.Description, l.Qty, l.Minimum}); err != nil {
						return err
					}
				}
				return nil
			}}, true
	}
	return widgets.ListExport{}, false
}
