package wire

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// Totaler computes an invoice's totals the way its XML would have them
// (*sales.Service).
type Totaler = quotes.Totaler

// QuoteStore is what a quote's PDF, e-mail and Facturar read: the quotes
// with the customers, series and companies they name (*sqlite.Store and
// *postgres.Store).
type QuoteStore interface {
	quotes.Store
	PrintStore
	FindCustomerByID(ctx context.Context, id int64) (sales.Customer, error)
	FindSeries(ctx context.Context, issuer string) ([]sales.Series, error)
}

// QuoteFile is a quote drawn as PDF, with the customer as stored now.
type QuoteFile struct {
	Quote      quotes.Quote
	IssuerName string
	Totals     sales.Totals
	Name       string // "cotizacion-N_RFC.pdf"
	PDF        []byte
}

// QuotePDF draws quote id (quotes.PDF) with its customer as the store has
// it now, totals from tot (sales.Compute, the invoice's) and the issuer's
// print options (logo, demo mark). The window's "Vista previa / PDF…", its
// e-mail and `folio cotizacion pdf` share it.
func QuotePDF(ctx context.Context, store QuoteStore, tot Totaler, id int64) (QuoteFile, error) {
	q, err := store.FindQuote(ctx, id)
	if err != nil {
		return QuoteFile{}, err
	}
	return quoteFile(ctx, store, tot, q)
}

func quoteFile(ctx context.Context, store QuoteStore, tot Totaler, q quotes.Quote) (QuoteFile, error) {
	if c, err := store.FindCustomerByID(ctx, q.Doc.CustomerID); err == nil {
		q.Doc.Customer = c
	}
	t, err := tot.Totals(&q.Doc)
	if err != nil {
		return QuoteFile{}, err
	}
	opt := PrintOptions(ctx, store, q.Issuer)
	opt.CreationDate = time.Now()
	pdf, err := quotes.PDF(&q, t, opt)
	if err != nil {
		return QuoteFile{}, err
	}
	f := QuoteFile{Quote: q, IssuerName: q.Issuer, Totals: t, PDF: pdf,
		Name: fmt.Sprintf("cotizacion-%d_%s.pdf", q.Number, q.Doc.Customer.RFC)}
	if list, err := store.ListCompanies(ctx); err == nil {
		for _, co := range list {
			if co.RFC == q.Issuer {
				f.IssuerName = co.Nombre
			}
		}
	}
	return f, nil
}

// QuoteEmails returns the addresses a quote goes to by default: its
// customer's.
func QuoteEmails(ctx context.Context, store QuoteStore, id int64) ([]string, error) {
	q, err := store.FindQuote(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := store.FindCustomerByID(ctx, q.Doc.CustomerID)
	return c.Emails, err
}

// MailQuote queues quote id's e-mail (delivery.QuoteMessage, its PDF
// attached) in outbox for the addresses to, or the customer's when to is
// empty, and records the quote as enviada (quotes.Service.Send: a quote
// that cannot be sent is refused before anything is queued). It returns
// the delivery and the addresses. The outbox sends and retries it like an
// invoice's e-mail.
func MailQuote(ctx context.Context, store QuoteStore, outbox *delivery.Outbox, svc *quotes.Service, tot Totaler, id int64, to []string) (int64, []string, error) {
	var (
		delivID int64
		rcpts   []string
	)
	err := svc.Send(ctx, id, func(ctx context.Context, q *quotes.Quote) error {
		f, err := quoteFile(ctx, store, tot, *q)
		if err != nil {
			return err
		}
		c := f.Quote.Doc.Customer
		if len(to) == 0 {
			to = c.Emails
		}
		if len(to) == 0 {
			return domain.E(domain.Invalid, "wire.MailQuote",
				fmt.Sprintf("%s (%s) no tiene correos; escriba a quién enviarla o agréguelos en Clientes.", c.Name, c.RFC), nil)
		}
		if rcpts, err = delivery.ParseRecipients(to...); err != nil {
			return err
		}
		m := delivery.QuoteMessage(delivery.Quote{IssuerName: f.IssuerName, IssuerRFC: q.Issuer, CustomerName: c.Name, CustomerRFC: c.RFC,
			Number: q.Number, ValidUntil: q.ValidUntil.In(domain.MexicoCity), Total: tax.FormatMXN(f.Totals.Total) + " " + q.Doc.Moneda, PDF: f.PDF})
		delivID, err = outbox.EnqueueMessage(ctx, q.Issuer, rcpts, m)
		return err
	})
	return delivID, rcpts, err
}

// FacturarQuote turns accepted quote id into an invoice draft
// (quotes.Service.Facturar) in the issuer's first series that numbers
// invoices, the one the invoice editor proposes; the draft can take
// another series in the editor before it is issued. No such series is
// Invalid with what to do.
func FacturarQuote(ctx context.Context, store QuoteStore, svc *quotes.Service, id int64) (sales.Invoice, error) {
	q, err := store.FindQuote(ctx, id)
	if err != nil {
		return sales.Invoice{}, err
	}
	series, err := store.FindSeries(ctx, q.Issuer)
	if err != nil {
		return sales.Invoice{}, err
	}
	for _, s := range series {
		if s.CanNumberInvoices() {
			return svc.Facturar(ctx, id, s.Serie)
		}
	}
	return sales.Invoice{}, domain.E(domain.Invalid, "wire.FacturarQuote", "No hay series de facturas; créelas en Empresa › Series antes de facturar la cotización.", nil)
}
