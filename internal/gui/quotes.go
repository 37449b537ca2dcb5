package gui

import (
	"context"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	dq "github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
)

// quotesArea wires "Cotizaciones": quotes.Service over the store (the
// file's or the server's: wire.QuoteStore), the
// quote captured in the invoice editor (editor, whose Totals also give the
// list's totals and the PDF's), the PDF and the e-mail through the outbox
// that `folio cotizacion` shares (wire.QuotePDF, wire.MailQuote), and
// Facturar (wire.FacturarQuote), which announces the new draft so
// "Facturas" shows it.
func quotesArea(store wire.QuoteStore, editor invoices.EditorDeps, outbox *delivery.Outbox, events event.Publisher) quotes.Deps {
	tot := editor.Invoices
	svc := &dq.Service{Store: store, Clock: domain.SystemClock, Totals: tot}
	return quotes.Deps{
		Store:  store,
		Editor: editor,
		Save:   svc.Save,
		Accept: svc.Accept,
		Facturar: func(ctx context.Context, id int64) (sales.Invoice, error) {
			inv, err := wire.FacturarQuote(ctx, store, svc, id)
			if err == nil {
				event.Publish(events, event.Event{Kind: event.DocumentDraftSaved, IssuerRFC: inv.Issuer, InvoiceID: inv.ID})
			}
			return inv, err
		},
		PDF: func(ctx context.Context, id int64) (string, []byte, error) {
			f, err := wire.QuotePDF(ctx, store, tot, id)
			return f.Name, f.PDF, err
		},
		Emails: func(ctx context.Context, id int64) ([]string, error) { return wire.QuoteEmails(ctx, store, id) },
		Mail: func(ctx context.Context, id int64, to []string) (string, error) {
			_, sent, err := wire.MailQuote(ctx, store, outbox, svc, tot, id, to)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Cotización en cola de correo para %s; quedó como enviada.", strings.Join(sent, ", ")), nil
		},
	}
}
