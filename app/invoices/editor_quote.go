package invoices

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// A quote (cotización) is captured in the invoice editor itself: its
// customer, terms, currency and concepts are an invoice draft's, computed
// by the same Totals. In quote mode the editor has no serie, folio,
// "Emitir" or printing; it has "Vigente hasta" (the validity, 15 days by
// default, quotes.DefaultValidUntil), its notes are the quote's (printed
// on it) and "Guardar cotización" stores it through QuoteMode.Save.

// quoteValidField keys the validity's problems (its error label).
const quoteValidField = "ValidUntil"

// QuoteMode is what the editor needs to capture a quote.
type QuoteMode struct {
	// Quote is the quote shown: ID 0 for a new one (Issuer is set from the
	// editor's issuer).
	Quote quotes.Quote
	// Save stores the quote (quotes.Service.Save, which validates it and
	// gives a new one its number); called off the UI goroutine.
	Save func(ctx context.Context, q *quotes.Quote) error
	// OnSaved, when set, is called on the UI goroutine after each save.
	OnSaved func(q quotes.Quote)
}

// quoteState is the quote the editor shows.
type quoteState struct {
	mode  QuoteMode
	q     quotes.Quote // as last loaded or saved: ID, number, status
	valid *entry       // "Vigente hasta", dd/mm/aaaa
}

// NewQuoteEditor returns the invoice editor capturing issuer's quote
// m.Quote (a new one when its ID is 0).
func NewQuoteEditor(deps EditorDeps, issuer *sales.Company, m QuoteMode) *InvoiceEditor {
	st := &quoteState{mode: m, q: m.Quote}
	var inv *sales.Invoice
	if m.Quote.ID != 0 {
		doc := m.Quote.Doc
		doc.Notes = m.Quote.Notes
		inv = &doc
	}
	return newEditor(deps, issuer, inv, st)
}

// Quote returns the quote as last loaded or saved, and whether the editor
// captures a quote at all.
func (ed *InvoiceEditor) Quote() (quotes.Quote, bool) {
	if ed.quote == nil {
		return quotes.Quote{}, false
	}
	return ed.quote.q, true
}

// buildQuoteValidity creates the "Vigente hasta" entry.
func (ed *InvoiceEditor) buildQuoteValidity() fyne.CanvasObject {
	ed.quote.valid = ed.newEntry(lang.L("dd/mm/aaaa"))
	ed.quote.valid.OnChanged = func(string) {
		if !ed.filling && ed.recheck != nil {
			_, err := ed.quoteValidity()
			ed.setFieldError(quoteValidField, errText(err))
		}
	}
	return ed.quote.valid
}

// errText is err's user message, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return domain.UserMessage(err)
}

// showQuote presents the quote part of what show filled: a new quote
// starts with the default validity.
func (ed *InvoiceEditor) showQuote(now time.Time) {
	st := ed.quote
	if st.q.ID == 0 {
		st.q.Issuer = ed.issuer.RFC
		if st.q.ValidUntil.IsZero() {
			st.q.ValidUntil = quotes.DefaultValidUntil(now)
		}
	}
	st.valid.SetText(st.q.ValidUntil.In(domain.MexicoCity).Format("02/01/2006"))
	ed.setFieldError(quoteValidField, "")
	fecha := now
	if !st.q.Fecha.IsZero() {
		fecha = st.q.Fecha.In(domain.MexicoCity)
	}
	ed.fecha.SetText(fecha.Format("02/01/2006"))
	ed.folio.SetText(quoteTitle(&st.q, now))
}

// quoteTitle is the toolbar's name of the quote: "Cotización 7 · Enviada".
func quoteTitle(q *quotes.Quote, now time.Time) string {
	if q.ID == 0 {
		return lang.L("Cotización nueva")
	}
	return lang.L("Cotización {{.Number}} · {{.Status}}", map[string]any{"Number": q.Number, "Status": lang.L(q.StatusOn(now).Label())})
}

// quoteValidity reads "Vigente hasta" as a day in Mexico City.
func (ed *InvoiceEditor) quoteValidity() (time.Time, error) {
	text := strings.TrimSpace(ed.quote.valid.Text)
	if text == "" {
		return time.Time{}, domain.E(domain.Invalid, "quote validity", "Escriba hasta qué día vale la cotización (dd/mm/aaaa).", nil)
	}
	return sales.ParseDay(text, domain.MexicoCity)
}

// saveQuote stores what the editor shows as the quote, off the UI
// goroutine: the customer is required at once (as for a draft), the
// validity must be a date, and the domain's refusals (no concepts, a
// validity before its date, a quote accepted meanwhile) are shown in the
// status line and the problems list.
func (ed *InvoiceEditor) saveQuote() {
	if ed.busy {
		return
	}
	inv, errs := ed.invoice()
	valid, verr := ed.quoteValidity()
	check := func(inv *sales.Invoice) error { return inv.CheckSavable() }
	if verr != nil {
		errs[quoteValidField] = domain.UserMessage(verr)
	}
	if err := check(&inv); err != nil {
		for k, v := range sales.FieldErrors(err) {
			errs[k] = v
		}
	}
	ed.setFieldError(quoteValidField, errs[quoteValidField])
	if len(errs) > 0 {
		ed.refuse(check, errs)
		return
	}
	q := ed.quote.q
	q.Issuer = ed.issuer.RFC
	q.ValidUntil = valid
	q.Notes = strings.TrimSpace(inv.Notes)
	inv.Notes = ""
	q.Doc = inv
	ed.setBusy(true, lang.L("Guardando cotización…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		err := ed.quote.mode.Save(ctx, &q)
		fyne.Do(func() {
			ed.setBusy(false, "")
			if err != nil {
				ed.showError("save quote", err)
				return
			}
			ed.quote.q = q
			ed.recheck = nil
			ed.showProblems(nil, "")
			now := ed.deps.now()()
			ed.folio.SetText(quoteTitle(&q, now))
			ed.fecha.SetText(q.Fecha.In(domain.MexicoCity).Format("02/01/2006"))
			ed.status.SetText(lang.L("Cotización {{.Number}} guardada.", map[string]any{"Number": q.Number}))
			if ed.quote.mode.OnSaved != nil {
				ed.quote.mode.OnSaved(q)
			}
		})
	}()
}
