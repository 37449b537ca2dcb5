package invoices

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

// InvoiceLoader reads one invoice with its lines (*sqlite.Store satisfies it).
type InvoiceLoader interface {
	FindInvoiceByID(ctx context.Context, id int64) (sales.Invoice, error)
}

// ScreenDeps is what the "Facturas" area needs: the list's store (which
// also serves the list's actions when it is an ActionStore), the loader that
// opens a row, and the editor's dependencies. Printing prints a posted
// invoice or saves its PDF (the PDF of its stored XML) with progress in
// Status, OnCancel asks SAT to cancel a stamped one, OnSend queues its XML
// and PDF for e-mail; each may be nil.
type ScreenDeps struct {
	List     Store
	Loader   InvoiceLoader
	Editor   EditorDeps
	Printing Printing
	Status   StatusSink
	OnCancel func(invoiceID int64)
	OnSend   func(invoiceID int64)
	// Deliveries, when set, feeds the list's "Correo" column.
	Deliveries DeliveryStates
	// Credit, when its Credits is set, lets the user return or rebate a
	// stamped invoice ("Devolver…", "Rebajar…") in the credit-note form.
	Credit CreditDeps
	// Tipo is the type of document listed: "I" invoices, "E" credit notes.
	Tipo string
	// Revert, when set, lets the warehouse revert an invoice's stock exit.
	Revert Reverter
}

// Screen is the "Facturas" area: the invoice list, and the editor in its
// place when the user creates or opens an invoice; "Volver a la lista"
// returns and reloads the list.
type Screen struct {
	widget.BaseWidget

	deps   ScreenDeps
	issuer *sales.Company
	list   *InvoiceList
	editor *InvoiceEditor
	credit *CreditForm
	body   *fyne.Container
	back   *widget.Button
	print  *printFlow // nil without ScreenDeps.Printing
}

// NewScreen builds the area for issuer; it loads nothing until Reload.
func NewScreen(deps ScreenDeps, issuer *sales.Company) *Screen {
	s := &Screen{deps: deps, issuer: issuer}
	s.list = NewInvoiceList(deps.List, issuer.RFC)
	s.list.OnNew = s.New
	s.list.OnOpen = s.Open
	if deps.Printing != nil {
		s.print = &printFlow{p: deps.Printing, status: deps.Status, window: s.window}
		s.list.OnPrint = s.print.Print
		s.list.OnChoosePrinter = s.print.Choose
		s.list.OnSavePDF = s.print.SavePDF
	}
	s.list.OnCancel = deps.OnCancel
	s.list.OnSend = deps.OnSend
	s.list.Deliveries = deps.Deliveries
	s.list.Tipo = deps.Tipo
	s.list.Revert = deps.Revert
	if deps.Credit.Credits != nil {
		s.list.OnCredit = s.Credit
	}
	s.back = widget.NewButtonWithIcon(lang.L("Volver a la lista"), theme.NavigateBackIcon(), s.ShowList)
	s.body = container.NewStack(s.list)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the list or the editor.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.body) }

// Reload reloads the list.
func (s *Screen) Reload() { s.list.Reload() }

// FocusTarget is the list's search entry, or the editor's first field.
func (s *Screen) FocusTarget() fyne.Focusable {
	if s.credit != nil {
		return s.credit.FocusTarget()
	}
	if s.editor != nil {
		return s.editor.FocusTarget()
	}
	return s.list.FocusTarget()
}

// Editing reports whether the editor is shown.
func (s *Screen) Editing() bool { return s.editor != nil || s.credit != nil }

// Export is the list's (Archivo › Exportar lista…) while the list is
// shown; none while a document is edited.
func (s *Screen) Export() (widgets.ListExport, bool) {
	if s.Editing() {
		return widgets.ListExport{}, false
	}
	return s.list.Export()
}

// Credit opens the credit-note form of kind on invoice id (a return or a
// rebate), once what it needs is read off the UI goroutine.
func (s *Screen) Credit(id int64, kind sales.CreditKind) {
	if s.deps.Credit.Credits == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		in, err := LoadCredit(ctx, s.deps.Credit, id)
		fyne.Do(func() {
			if err != nil {
				if w := s.window(); w != nil {
					dialog.ShowError(userError{err}, w)
				}
				return
			}
			s.showCredit(NewCreditForm(s.creditDeps(), s.issuer, kind, in))
		})
	}()
}

// creditDeps are the screen's credit deps with the status bar told of a
// posted note.
func (s *Screen) creditDeps() CreditDeps {
	d := s.deps.Credit
	posted := d.OnPosted
	d.OnPosted = func(note sales.Invoice) {
		if s.deps.Status != nil {
			s.deps.Status.SetMessage(lang.L("Nota de crédito {{.Folio}} emitida y sellada; queda en cola para timbrar.", map[string]any{"Folio": note.FolioText()}))
		}
		if posted != nil {
			posted(note)
		}
	}
	return d
}

// showCredit puts f in the list's place.
func (s *Screen) showCredit(f *CreditForm) {
	s.editor, s.credit = nil, f
	f.OnClose = s.ShowList
	s.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(s.back), nil, nil, nil, f)}
	s.body.Refresh()
	if w := s.window(); w != nil {
		w.Canvas().Focus(f.FocusTarget())
	}
}

// New opens the editor on a new invoice (Ctrl+N).
func (s *Screen) New() { s.showEditor(nil) }

// Open loads invoice id off the UI goroutine and opens it in the editor.
func (s *Screen) Open(id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		inv, err := s.deps.Loader.FindInvoiceByID(ctx, id)
		fyne.Do(func() {
			if err != nil {
				if w := s.window(); w != nil {
					dialog.ShowError(userError{err}, w)
				}
				return
			}
			s.showEditor(&inv)
		})
	}()
}

// Changed follows the data (app's changeListener): the list reloads when a
// document of this issuer changed, and a posted invoice open in the editor
// (read only) is shown again with its new state, UUID or cancellation.
func (s *Screen) Changed(events []event.Event) {
	if !concerns(events, s.issuer.RFC) {
		return
	}
	s.list.Reload()
	if ed := s.editor; ed != nil && ed.locked && ed.inv.ID != 0 {
		s.refresh(ed, ed.inv.ID)
	}
}

// concerns reports whether events change what a screen of issuer shows:
// any change of its documents, their cancellations or deliveries.
func concerns(events []event.Event, issuer string) bool {
	for _, e := range events {
		if e.IssuerRFC == "" || e.IssuerRFC == issuer {
			return true
		}
	}
	return false
}

// refresh loads invoice id again and shows it in ed's place if ed is still
// the editor on screen, without moving the focus.
func (s *Screen) refresh(ed *InvoiceEditor, id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		inv, err := s.deps.Loader.FindInvoiceByID(ctx, id)
		if err != nil {
			return // the list shows the problem on its own reload
		}
		fyne.Do(func() {
			if s.editor == ed {
				s.showEditorFocus(&inv, false)
			}
		})
	}()
}

// ShowList closes the editor and reloads the list.
func (s *Screen) ShowList() {
	s.editor, s.credit = nil, nil
	s.body.Objects = []fyne.CanvasObject{s.list}
	s.body.Refresh()
	s.list.Reload()
}

// Save saves the editor's draft (Ctrl+S); Post issues it (Ctrl+E). Both do
// nothing while the list is shown.
func (s *Screen) Save() {
	if s.editor != nil {
		s.editor.SaveDraft()
	}
}

// Post issues the invoice in the editor.
func (s *Screen) Post() {
	if s.credit != nil {
		s.credit.Post()
		return
	}
	if s.editor != nil {
		s.editor.Post()
	}
}

func (s *Screen) showEditor(inv *sales.Invoice) { s.showEditorFocus(inv, true) }

func (s *Screen) showEditorFocus(inv *sales.Invoice, focus bool) {
	ed := NewInvoiceEditor(s.deps.Editor, s.issuer, inv)
	s.credit = nil
	if s.print != nil {
		ed.OnPrint = s.print.Print
	}
	s.editor = ed
	ed.Reload()
	s.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(s.back), nil, nil, nil, ed)}
	s.body.Refresh()
	if w := s.window(); w != nil && focus {
		w.Canvas().Focus(ed.FocusTarget())
	}
}

// window is the window showing the screen, or nil before it is shown.
func (s *Screen) window() fyne.Window {
	return widgets.WindowOf(s)
}

// userError shows an error's Spanish user message in a dialog.
type userError struct{ err error }

func (u userError) Error() string { return domain.UserMessage(u.err) }

// TableTexts returns the Spanish texts the list keeps in tables and
// translates where they are shown: tab, quick-filter and column titles.
func TableTexts() []string {
	var out []string
	for _, t := range Tabs {
		out = append(out, t.Title)
	}
	out = append(out, Periods...)
	for _, c := range columns {
		out = append(out, c.title)
	}
	for _, st := range []delivery.State{delivery.StateQueued, delivery.StateSending, delivery.StateSent, delivery.StateFailed} {
		out = append(out, st.Label())
	}
	return append(out, creditTexts()...)
}
