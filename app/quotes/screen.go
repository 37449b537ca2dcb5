package quotes

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// Screen is the "Cotizaciones" area: the list, and the invoice editor in
// quote mode in its place while a quote is created or edited; "Volver a
// la lista" returns and reloads the list.
type Screen struct {
	widget.BaseWidget

	deps   Deps
	issuer *sales.Company
	list   *QuoteList
	editor *invoices.InvoiceEditor
	body   *fyne.Container
	back   *widget.Button
}

// NewScreen builds the area for issuer; it loads nothing until Reload.
func NewScreen(deps Deps, issuer *sales.Company) *Screen {
	s := &Screen{deps: deps, issuer: issuer}
	s.list = NewQuoteList(deps, issuer.RFC)
	s.list.OnNew = s.New
	s.list.OnEdit = s.Edit
	s.back = widget.NewButtonWithIcon(lang.L("Volver a la lista"), theme.NavigateBackIcon(), s.ShowList)
	s.body = container.NewStack(s.list)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the list or the editor.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.body) }

// Reload reloads the list.
func (s *Screen) Reload() { s.list.Reload() }

// List returns the list (tests, and the window's shortcuts).
func (s *Screen) List() *QuoteList { return s.list }

// Editor returns the editor shown, or nil while the list is.
func (s *Screen) Editor() *invoices.InvoiceEditor { return s.editor }

// FocusTarget is the list's search, or the editor's first field.
func (s *Screen) FocusTarget() fyne.Focusable {
	if s.editor != nil {
		return s.editor.FocusTarget()
	}
	return s.list.FocusTarget()
}

// Save saves the quote in the editor (Ctrl+S).
func (s *Screen) Save() {
	if s.editor != nil {
		s.editor.SaveDraft()
	}
}

// New opens the editor on a new quote.
func (s *Screen) New() { s.showEditor(quotes.Quote{Issuer: s.issuer.RFC}) }

// Edit loads quote id off the UI goroutine and opens it in the editor.
func (s *Screen) Edit(id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q, err := s.deps.Store.FindQuote(ctx, id)
		fyne.Do(func() {
			if err != nil {
				s.list.say(domain.UserMessage(err))
				return
			}
			s.showEditor(q)
		})
	}()
}

// Changed follows the data (app's changeListener): while the list is
// shown it reloads when a document of this issuer changed, so an invoice
// made from a quote shows its serie-folio once posted. The editor is left
// alone.
func (s *Screen) Changed(events []event.Event) {
	if s.editor != nil {
		return
	}
	for _, e := range events {
		if e.IssuerRFC == "" || e.IssuerRFC == s.issuer.RFC {
			s.list.Reload()
			return
		}
	}
}

// ShowList closes the editor and reloads the list.
func (s *Screen) ShowList() {
	s.editor = nil
	s.body.Objects = []fyne.CanvasObject{s.list}
	s.body.Refresh()
	s.list.Reload()
}

func (s *Screen) showEditor(q quotes.Quote) {
	ed := invoices.NewQuoteEditor(s.deps.Editor, s.issuer, invoices.QuoteMode{Quote: q, Save: s.deps.Save})
	s.editor = ed
	ed.Reload()
	s.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(s.back), nil, nil, nil, ed)}
	s.body.Refresh()
	if w := widgets.WindowOf(s); w != nil {
		w.Canvas().Focus(ed.FocusTarget())
	}
}

// TableTexts returns the Spanish texts the list keeps in tables and
// translates where they are shown: tab and column titles, statuses.
func TableTexts() []string {
	var out []string
	for _, t := range Tabs {
		out = append(out, t.Title)
	}
	for _, c := range columns {
		out = append(out, c.title)
	}
	for _, st := range []quotes.Status{quotes.Open, quotes.Sent, quotes.Accepted, quotes.Expired, quotes.Invoiced} {
		out = append(out, st.Label())
	}
	return out
}
