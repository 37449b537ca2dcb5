package invoices

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/quotes"
)

// TestQuoteEditor: the invoice editor in quote mode has no serie, no
// Emitir and no printing but "Vigente hasta" (15 days by default); it
// refuses a quote without customer or with a validity that is not a date,
// next to their fields; captured with the keyboard like an invoice, its
// totals are the invoice's (sales.Compute) and "Guardar cotización" stores
// it open, with its number, its validity and its notes; saved again it
// stays the same quote; Ctrl+E does nothing.
func TestQuoteEditor(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	if err := f.store.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, nil); err != nil {
		t.Fatal(err)
	}
	svc := &quotes.Service{Store: f.store, Clock: f.deps.Clock}
	var saved []quotes.Quote
	ed := NewQuoteEditor(f.deps, f.co, QuoteMode{Save: svc.Save, OnSaved: func(q quotes.Quote) { saved = append(saved, q) }})
	w := test.NewWindow(ed)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 800))
	ed.Reload()
	c := w.Canvas()

	if ed.postBtn.Visible() || ed.printBtn.Visible() || ed.folioBtn.Visible() || ed.saveBtn.Text != "Guardar cotización (Ctrl+S)" {
		t.Errorf("quote toolbar: post %v print %v folio %v save %q", ed.postBtn.Visible(), ed.printBtn.Visible(), ed.folioBtn.Visible(), ed.saveBtn.Text)
	}
	if got, want := ed.quote.valid.Text, quotes.DefaultValidUntil(editorNow).Format("02/01/2006"); got != want {
		t.Errorf("Vigente hasta = %q, want the default %q", got, want)
	}
	if ed.folio.Text != "Cotización nueva" {
		t.Errorf("title %q", ed.folio.Text)
	}

	// Given nothing captured and a validity that is not a date, Guardar
	// refuses both next to their fields.
	ed.quote.valid.SetText("31/02/2026")
	ed.SaveDraft()
	if ed.busy || ed.errs["CustomerID"].Hidden || ed.errs[quoteValidField].Hidden || ed.status.Text != "La cotización tiene datos por corregir." {
		t.Fatalf("refusal: busy %v customer %q validity %q status %q", ed.busy, ed.errs["CustomerID"].Text, ed.errs[quoteValidField].Text, ed.status.Text)
	}
	ed.quote.valid.SetText("20/12/2026")
	if !ed.errs[quoteValidField].Hidden {
		t.Errorf("the validity's problem stays once fixed: %q", ed.errs[quoteValidField].Text)
	}

	// When a customer and two lines are captured with the keyboard.
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "100", "TOR-01", true)
	addLineByKeyboard(t, f, ed, c, "200", "CEM-01", false)
	ed.notes.SetText("Precios sujetos a existencias")
	if ed.totals.total.Text != "$3,654.00 MXN" {
		t.Errorf("quote total %q, want the invoice's $3,654.00 MXN", ed.totals.total.Text)
	}
	shortcut(t, c, ShortcutPost)
	if ed.busy {
		t.Fatal("Ctrl+E posts a quote")
	}
	shortcut(t, c, ShortcutSave)
	f.q.RunUntil(t, "quote saved", func() bool { return !ed.busy && len(saved) == 1 })

	// Then it is stored open with its number, validity, lines and notes.
	q, err := f.store.FindQuote(ctx, saved[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if q.Number != 1 || q.Status != quotes.Open || q.ValidUntil.Format("02/01/2006") != "20/12/2026" || len(q.Doc.Lines) != 2 ||
		q.Notes != "Precios sujetos a existencias" || q.Doc.Notes != "" || q.Doc.Customer.RFC != "CACX7605101P8" {
		t.Fatalf("stored quote: number %d status %s until %s lines %d notes %q/%q", q.Number, q.Status, q.ValidUntil, len(q.Doc.Lines), q.Notes, q.Doc.Notes)
	}
	tot, err := f.deps.Invoices.Totals(&q.Doc)
	if err != nil || tot.Total.String() != "3654" {
		t.Errorf("stored quote computes %s (%v)", tot.Total, err)
	}
	if ed.folio.Text != "Cotización 1 · Abierta" || ed.status.Text != "Cotización 1 guardada." {
		t.Errorf("after saving: title %q status %q", ed.folio.Text, ed.status.Text)
	}

	// Saved again after a change, it is the same quote.
	ed.lines[1].qty.SetText("250")
	ed.SaveDraft()
	f.q.RunUntil(t, "saved again", func() bool { return !ed.busy && len(saved) == 2 })
	if saved[1].ID != q.ID || saved[1].Number != 1 {
		t.Errorf("second save made quote %d number %d, want %d number 1", saved[1].ID, saved[1].Number, q.ID)
	}
	if all, _ := f.store.FindQuotes(ctx, f.co.RFC, 10); len(all) != 1 || !all[0].Doc.Lines[1].Cantidad.Equal(decimal.NewFromInt(250)) {
		t.Errorf("quotes after the second save: %d", len(all))
	}

	// Reopened, it shows what was saved; Nueva starts a new quote.
	again := NewQuoteEditor(f.deps, f.co, QuoteMode{Quote: q, Save: svc.Save})
	if again.customerSearch.Text != "XOCHILT CASAS CHAVEZ" || len(again.lines) < 2 || again.notes.Text != "Precios sujetos a existencias" ||
		again.quote.valid.Text != "20/12/2026" || again.folio.Text != "Cotización 1 · Abierta" {
		t.Errorf("reopened: customer %q notes %q until %q title %q", again.customerSearch.Text, again.notes.Text, again.quote.valid.Text, again.folio.Text)
	}
	again.Reset()
	if again.folio.Text != "Cotización nueva" || again.customerSearch.Text != "" {
		t.Errorf("Nueva: title %q customer %q", again.folio.Text, again.customerSearch.Text)
	}
	if got, _ := again.Quote(); got.ID != 0 {
		t.Errorf("Nueva keeps quote %d", got.ID)
	}
}
