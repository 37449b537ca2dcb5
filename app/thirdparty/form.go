package thirdparty

import (
	"context"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// formTimeout bounds one store or post call of the form.
const formTimeout = 30 * time.Second

// The form's shortcuts (Ctrl, or ⌘ on macOS): guardar borrador, imprimir.
var (
	ShortcutSave  = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	ShortcutPrint = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault}
)

// FormDeps is what the document form needs. Editor is the invoice
// editor's (customers, products, series, the sales service, the catalogs,
// the signer and the administrator check); ThirdParties lists the third
// parties the items may carry. Print, when set, prints (or shows the PDF
// of) a posted document. MultipleSellers shows the "Vendedores" tab.
type FormDeps struct {
	Editor          invoices.EditorDeps
	ThirdParties    Catalog
	Loader          InvoiceLoader
	Print           func(invoiceID int64)
	MultipleSellers bool
}

// DocumentForm is the "Documento" tab: one document with items on the
// company's own account and items billed on behalf of third parties, saved
// as a draft ("PDF-n", pendiente de facturar) and posted on "Imprimir"
// (form_post.go). Amounts come only from the sales service's Totals, split
// with sales.SplitTotals. Create it with NewDocumentForm; its methods run
// on the UI goroutine.
type DocumentForm struct {
	widget.BaseWidget

	deps   FormDeps
	issuer *sales.Company

	// OnPosted, when set, is called on the UI goroutine with the posted
	// document (the list reloads).
	OnPosted func(inv *sales.Invoice)

	inv      sales.Invoice   // as last loaded or saved: ID, state, keys
	customer *sales.Customer // "Facturar a"
	collect  *sales.Customer // "Cuenta x cobrar a"; nil: the same customer
	filling  bool
	busy     bool
	locked   bool
	tps      []sales.ThirdParty // the active third parties, for the grid's select

	*header // form_header.go
	Own     *itemGrid
	Third   *itemGrid

	Number                       *widget.Label // "PDF-nuevo", "PDF-12", "A-5"
	NewBtn, SaveBtn, PrintBtn    *widget.Button
	OwnTotal, ThirdTotal, DocTot *widget.Label
	Status, Problems             *widget.Label
	progress                     *widget.ProgressBarInfinite

	prompt *Prompt // the dialog of the posting sequence on screen (form_post.go)
	body   *fyne.Container
	scroll *container.Scroll
}

// NewDocumentForm returns the form for a new document of issuer; Reload
// loads the series and third parties.
func NewDocumentForm(deps FormDeps, issuer *sales.Company) *DocumentForm {
	f := &DocumentForm{deps: deps, issuer: issuer, filling: true}
	f.buildHeader()
	f.Own = f.newGrid(false)
	f.Third = f.newGrid(true)
	f.Number = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.NewBtn = widget.NewButtonWithIcon(lang.L("Nuevo"), theme.DocumentCreateIcon(), f.Reset)
	f.SaveBtn = widget.NewButtonWithIcon(lang.L("Guardar borrador (Ctrl+S)"), theme.DocumentSaveIcon(), f.Save)
	f.PrintBtn = widget.NewButtonWithIcon(lang.L("Imprimir (Ctrl+P)"), theme.DocumentPrintIcon(), f.Print)
	f.PrintBtn.Importance = widget.HighImportance
	f.OwnTotal = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	f.ThirdTotal = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	f.DocTot = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	f.Status = widget.NewLabel("")
	f.Status.Wrapping = fyne.TextWrapWord
	f.Problems = widget.NewLabel("")
	f.Problems.Wrapping = fyne.TextWrapWord
	f.Problems.Importance = widget.DangerImportance
	f.Problems.Hide()
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Stop()
	f.progress.Hide()
	f.body = container.NewVBox(f.header.object, f.Own.object, f.Third.object, f.Problems)
	f.ExtendBaseWidget(f)
	f.show(nil)
	return f
}

// CreateRenderer lays out the actions on top, the capture in the middle
// (scrolling) and the totals with the status line always in sight below.
func (f *DocumentForm) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewGridWrap(fyne.NewSize(230, 40), f.NewBtn, f.SaveBtn, f.PrintBtn)
	top := container.NewBorder(nil, nil, nil, container.NewCenter(f.Number), bar)
	caption := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Alignment = fyne.TextAlignTrailing
		return l
	}
	// Amounts grow as the user types: reserve their width so a layout
	// made for shorter text does not overlap them.
	amount := func(l *widget.Label, w float32) fyne.CanvasObject {
		r := canvas.NewRectangle(color.Transparent)
		r.SetMinSize(fyne.NewSize(w, 0))
		return container.NewStack(r, l)
	}
	totals := container.NewHBox(layout.NewSpacer(),
		caption(lang.L("Total propio")), amount(f.OwnTotal, 120), widget.NewSeparator(),
		caption(lang.L("Por cuenta ajena")), amount(f.ThirdTotal, 120), widget.NewSeparator(),
		caption(lang.L("Total")), amount(f.DocTot, 160))
	bottom := container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)),
		container.NewVBox(widget.NewSeparator(), totals, f.progress, f.Status))
	f.scroll = container.NewVScroll(f.body)
	return widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, f.scroll))
}

// FocusTarget is where typing starts: the customer search of "Facturar a".
func (f *DocumentForm) FocusTarget() fyne.Focusable { return f.CustomerSearch }

// Reload loads the series, the active third parties and the warehouses
// ("Bodega", when the editor's deps list them) off the UI goroutine.
func (f *DocumentForm) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		series, err := f.deps.Editor.Series.FindSeries(ctx, f.issuer.RFC)
		var tps []sales.ThirdParty
		if err == nil && f.deps.ThirdParties != nil {
			tps, err = f.deps.ThirdParties.List(ctx, sales.ThirdPartyFilter{Issuer: f.issuer.RFC, Limit: 1000})
		}
		var whs []inventory.Warehouse
		if err == nil && f.deps.Editor.Warehouses != nil {
			whs, err = f.deps.Editor.Warehouses.Warehouses(ctx, f.issuer.RFC)
		}
		fyne.Do(func() {
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			f.filling = true
			f.Warehouse.SetWarehouses(whs)
			f.Warehouse.SelectWarehouse(f.inv.WarehouseID)
			f.Warehouse.Present(sales.TipoIngreso, f.locked)
			f.filling = false
			var names []string
			for _, s := range series {
				if s.CanNumberInvoices() {
					names = append(names, s.Serie)
				}
			}
			f.filling = true
			f.Serie.Options = names
			if f.inv.Serie != "" && slices.Contains(names, f.inv.Serie) {
				f.Serie.SetSelected(f.inv.Serie)
			} else if len(names) > 0 && !f.locked {
				f.Serie.SetSelectedIndex(0)
			}
			f.filling = false
			f.setThirdParties(tps)
			if len(names) == 0 {
				f.Status.SetText(lang.L("No hay series de facturas; créelas en la configuración."))
			}
		})
	}()
}

// setThirdParties offers tps in every third-party row.
func (f *DocumentForm) setThirdParties(tps []sales.ThirdParty) {
	f.tps = tps
	for _, r := range f.Third.rows {
		r.offerThirdParties(tps)
	}
}

// Reset starts a new document, discarding what is not saved.
func (f *DocumentForm) Reset() {
	if f.busy {
		return
	}
	f.show(nil)
}

// Open loads document id off the UI goroutine and shows it (read-only
// once posted).
func (f *DocumentForm) Open(id int64) {
	if f.deps.Loader == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		inv, err := f.deps.Loader.FindInvoiceByID(ctx, id)
		fyne.Do(func() {
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			f.show(&inv)
		})
	}()
}

// show fills the form from inv (nil: a new document dated today).
func (f *DocumentForm) show(inv *sales.Invoice) {
	f.filling = true
	defer func() {
		f.filling = false
		f.recompute()
	}()
	if inv == nil {
		inv = &sales.Invoice{Issuer: f.issuer.RFC, State: sales.StateDraft, Status: sales.StatusDraft,
			TipoDeComprobante: sales.TipoIngreso, Terms: sales.Contado, Moneda: "MXN", Serie: f.Serie.Selected,
			Fecha: f.now()}
	}
	f.inv = *inv
	f.inv.Lines = nil
	f.customer, f.collect = nil, nil
	if inv.CustomerID != 0 {
		c := inv.Customer
		f.customer = &c
	}
	f.fillHeader(inv)
	var own, third []sales.Line
	for _, l := range inv.Lines {
		if l.OnBehalf() {
			third = append(third, l)
		} else {
			own = append(own, l)
		}
	}
	f.Own.fill(own)
	f.Third.fill(third)
	f.locked = inv.ID != 0 && inv.State != sales.StateDraft
	f.setLocked(f.locked)
	f.Number.SetText(numberText(inv))
	f.Problems.Hide()
	f.Status.SetText("")
	if f.locked {
		f.Status.SetText(lang.L("Documento {{.Folio}}: {{.Status}}.", map[string]any{"Folio": inv.FolioText(), "Status": lang.L(inv.State.Label())}))
	}
}

// numberText is the number the form shows: the folio once posted, else
// the temporary "PDF-n" (pendiente de facturar; n is the draft's id) or
// "PDF-nuevo" before the first save.
func numberText(inv *sales.Invoice) string {
	switch {
	case inv.Folio != 0:
		return inv.FolioText()
	case inv.ID != 0:
		return "PDF-" + strconv.FormatInt(inv.ID, 10)
	default:
		return "PDF-nuevo"
	}
}

// now is the current time of the form's clock.
func (f *DocumentForm) now() time.Time {
	if f.deps.Editor.Clock != nil {
		return f.deps.Editor.Clock()
	}
	return domain.SystemClock()
}

// setLocked makes every input read-only (a posted document) or editable.
func (f *DocumentForm) setLocked(locked bool) {
	for _, w := range append(f.header.inputs(), append(f.Own.inputs(), f.Third.inputs()...)...) {
		if locked {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	f.updateButtons()
}

func (f *DocumentForm) updateButtons() {
	for _, b := range []*widget.Button{f.SaveBtn, f.PrintBtn} {
		if f.busy || f.locked {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if f.locked && f.inv.ID != 0 && f.deps.Print != nil && !f.busy {
		f.PrintBtn.Enable() // a posted document prints again
	}
}

// changed is called on every edit: it recomputes the totals.
func (f *DocumentForm) changed() {
	if f.filling {
		return
	}
	f.recompute()
}

// Document returns what the form shows as an invoice, and the problems of
// text that does not parse, keyed by field.
func (f *DocumentForm) Document() (sales.Invoice, map[string]string) {
	bad := map[string]string{}
	inv := f.inv
	f.readHeader(&inv, bad)
	inv.Lines = append(f.Own.lines(&inv, "Propios", bad), f.Third.lines(&inv, "Terceros", bad)...)
	return inv, bad
}

// recompute shows the totals of what the form holds: the own part, the
// part on behalf of third parties and the document's total, from the
// sales service's Totals split with sales.SplitTotals.
func (f *DocumentForm) recompute() {
	inv, bad := f.Document()
	f.refreshInherited(&inv)
	if len(bad) > 0 {
		f.clearTotals()
		f.showProblems(bad)
		return
	}
	f.showProblems(nil)
	t, err := f.deps.Editor.Invoices.Totals(&inv)
	if err != nil {
		f.clearTotals()
		f.Problems.SetText(domain.UserMessage(err))
		f.Problems.Show()
		return
	}
	own, third := sales.SplitTotals(&inv, t)
	f.OwnTotal.SetText(tax.FormatMXN(own.Total))
	f.ThirdTotal.SetText(tax.FormatMXN(third.Total))
	f.DocTot.SetText(tax.FormatMXN(t.Total) + " " + inv.Moneda)
	k := 0
	for _, g := range []*itemGrid{f.Own, f.Third} {
		for _, r := range g.rows {
			if r.blank() || k >= len(t.Lines) {
				r.Importe.SetText("")
				continue
			}
			r.Importe.SetText(tax.FormatMXN(t.Lines[k].Neto))
			k++
		}
	}
}

func (f *DocumentForm) clearTotals() {
	for _, l := range []*widget.Label{f.OwnTotal, f.ThirdTotal, f.DocTot} {
		l.SetText("—")
	}
}

// showProblems lists problems (field → message) under the grids.
func (f *DocumentForm) showProblems(problems map[string]string) {
	if len(problems) == 0 {
		f.Problems.SetText("")
		f.Problems.Hide()
		return
	}
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var lines []string
	for _, k := range keys {
		lines = append(lines, "• "+problems[k])
	}
	f.Problems.SetText(strings.Join(lines, "\n"))
	f.Problems.Show()
}

// setBusy disables the actions and shows progress while a save or post
// runs.
func (f *DocumentForm) setBusy(busy bool, msg string) {
	f.busy = busy
	if busy {
		f.progress.Show()
		f.progress.Start()
	} else {
		f.progress.Stop()
		f.progress.Hide()
	}
	f.updateButtons()
	f.Status.SetText(msg)
}

// Save stores the document as a draft (Ctrl+S) off the UI goroutine; the
// number becomes "PDF-n".
func (f *DocumentForm) Save() { f.saveThen(nil) }

// saveThen saves the draft and, when it worked, runs next on the UI
// goroutine with the saved document.
func (f *DocumentForm) saveThen(next func(inv sales.Invoice)) {
	if f.busy || f.locked {
		return
	}
	inv, bad := f.Document()
	if len(bad) > 0 {
		f.showProblems(bad)
		f.Status.SetText(lang.L("El documento tiene datos por corregir."))
		return
	}
	if err := inv.CheckSavable(); err != nil {
		f.showFieldErrors(err)
		return
	}
	f.setBusy(true, lang.L("Guardando borrador…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		_, err := f.deps.Editor.Invoices.SaveDraft(ctx, &inv)
		fyne.Do(func() {
			f.setBusy(false, "")
			if inv.ID != 0 {
				f.inv.ID = inv.ID
				f.Number.SetText(numberText(&f.inv))
			}
			if err != nil {
				f.showFieldErrors(err)
				return
			}
			f.Status.SetText(lang.L("Borrador {{.Number}} guardado.", map[string]any{"Number": numberText(&f.inv)}))
			if next != nil {
				next(inv)
			}
		})
	}()
}

// showFieldErrors shows err's problems (all of them, when it joins
// several) in the problems list and the status line.
func (f *DocumentForm) showFieldErrors(err error) {
	if fields := sales.FieldErrors(err); len(fields) > 0 {
		f.showProblems(fields)
		f.Status.SetText(lang.L("El documento tiene datos por corregir."))
		return
	}
	f.Status.SetText(domain.UserMessage(err))
}

// Shortcuts returns the form's shortcuts: Ctrl+S guardar borrador, Ctrl+P
// imprimir.
func (f *DocumentForm) Shortcuts() []fyne.Shortcut {
	return []fyne.Shortcut{ShortcutSave, ShortcutPrint}
}

// TypedShortcut runs the action of one of Shortcuts.
func (f *DocumentForm) TypedShortcut(s fyne.Shortcut) { f.runShortcut(s) }

func (f *DocumentForm) runShortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case ShortcutSave.ShortcutName():
		f.Save()
	case ShortcutPrint.ShortcutName():
		f.Print()
	default:
		return false
	}
	return true
}

// entry is a widget.Entry that hands the form's shortcuts to the form (a
// focused Entry receives every shortcut first and would drop Ctrl+S) and
// tells when the focus leaves it (Tab after a product code).
type entry struct {
	widget.Entry
	f      *DocumentForm
	onBlur func()
}

func (f *DocumentForm) newEntry(placeholder string) *entry {
	e := &entry{f: f}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { f.changed() }
	return e
}

func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if !e.f.runShortcut(s) {
		e.Entry.TypedShortcut(s)
	}
}

func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}

// AcceptsTab is false even for multi-line entries: Tab always moves on.
func (e *entry) AcceptsTab() bool { return false }

// window returns the window showing the form, if any.
func (f *DocumentForm) window() fyne.Window { return widgets.WindowOf(f) }

// percentText shows a rate (0.106667) as a percentage ("10.6667 %").
func percentText(rate interface{ String() string }) string {
	s := rate.String()
	d, err := tax.ParseAmount(s)
	if err != nil {
		return s
	}
	return d.Shift(2).String() + " %"
}
