// Package quotes is the "Cotizaciones" area: the list of a company's
// quotes with status tabs (Todas, Abiertas, Enviadas, Aceptadas, Vencidas,
// Facturadas), search by customer or number, dates and keyset paging, the
// actions each status allows (quotes.Quote.ActionsOn: Editar, Vista previa
// / PDF, Enviar por correo, Aceptar, Facturar, Abrir factura), and the
// invoice editor in quote mode (invoices.NewQuoteEditor) in the list's
// place. It reaches the store and the use cases only through Deps; it
// never imports data/.
package quotes

import (
	"context"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// Store reads quotes (*sqlite.Store and *postgres.Store satisfy it).
type Store interface {
	ListQuotes(ctx context.Context, f quotes.Filter) ([]quotes.Quote, error)
	FindQuote(ctx context.Context, id int64) (quotes.Quote, error)
}

// Deps is what the area needs. Every function is called off the UI
// goroutine and returns errors with Spanish user messages; Store, Editor
// and Save are required, a nil action hides its button.
type Deps struct {
	Store Store
	// Editor is the invoice editor's dependencies: the quote is captured
	// in it, with its Totals (sales.Compute).
	Editor invoices.EditorDeps
	// Save stores a quote (quotes.Service.Save).
	Save func(ctx context.Context, q *quotes.Quote) error
	// Accept records the customer's acceptance (quotes.Service.Accept).
	Accept func(ctx context.Context, id int64) error
	// Facturar makes the invoice draft of an accepted quote and links
	// both (quotes.Service.Facturar in the series the editor would
	// propose).
	Facturar func(ctx context.Context, id int64) (sales.Invoice, error)
	// PDF draws a quote: the file name and its bytes.
	PDF func(ctx context.Context, id int64) (name string, pdf []byte, err error)
	// Emails are the addresses a quote goes to by default (its customer's).
	Emails func(ctx context.Context, id int64) ([]string, error)
	// Mail queues a quote's e-mail with its PDF for to and marks it
	// enviada; it returns what to tell the user.
	Mail func(ctx context.Context, id int64, to []string) (string, error)
	// OpenInvoice, when set, shows invoice id in "Facturas" (the draft
	// Facturar made, or a facturada quote's invoice).
	OpenInvoice func(invoiceID int64)
	// Status shows messages and progress (the window's status bar); nil:
	// only the list's status line.
	Status invoices.StatusSink
	// Clock is "now" for the derived vencida status (domain.SystemClock
	// when nil).
	Clock domain.Clock
}

func (d Deps) now() domain.Clock {
	if d.Clock == nil {
		return domain.SystemClock
	}
	return d.Clock
}
