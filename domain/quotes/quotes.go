// Package quotes keeps cotizaciones: an offer to a customer with the lines
// of an invoice (a sales.Invoice draft, computed by the same rules), a
// validity date and a status (abierta, enviada, aceptada, vencida,
// facturada). "Facturar" turns an accepted quote into an invoice draft in
// one step, keeping the link both ways. A quote carries no fiscal data:
// its printed form says COTIZACIÓN and is never sealed.
package quotes

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// Status is where a quote is.
type Status string

// The statuses. Vencida is never stored: an open or sent quote past its
// validity date shows as vencida (Quote.StatusOn).
const (
	Open     Status = "abierta"
	Sent     Status = "enviada"
	Accepted Status = "aceptada"
	Expired  Status = "vencida"
	Invoiced Status = "facturada"
)

// Label is the status as the screens show it.
func (s Status) Label() string {
	switch s {
	case Open:
		return "Abierta"
	case Sent:
		return "Enviada"
	case Accepted:
		return "Aceptada"
	case Expired:
		return "Vencida"
	case Invoiced:
		return "Facturada"
	}
	return string(s)
}

// Quote is one cotización.
type Quote struct {
	ID         int64
	Issuer     string
	Number     int64 // consecutive per company, given when first stored
	Fecha      time.Time
	ValidUntil time.Time // last day the offer holds (Mexico City)
	Status     Status
	Doc        sales.Invoice // customer, currency, terms and lines, as an invoice draft
	Notes      string
	InvoiceID  int64 // the invoice draft "Facturar" made, 0 before
	// InvoiceFolio is that invoice's "SERIE-FOLIO" once posted, "" while
	// it is a draft; the store fills it when reading, never stores it.
	InvoiceFolio string
}

// StatusOn is the status shown on day now: an open or sent quote whose
// validity ended before now's day in Mexico City is vencida.
func (q *Quote) StatusOn(now time.Time) Status {
	if (q.Status == Open || q.Status == Sent) && Day(q.ValidUntil).Before(Day(now)) {
		return Expired
	}
	return q.Status
}

// Day is the start of t's day in Mexico City: the dates of a quote
// (its Fecha's day and ValidUntil) are days there.
func Day(t time.Time) time.Time {
	d := t.In(domain.MexicoCity)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.MexicoCity)
}

// DefaultValidityDays is how long a new quote holds unless the user says
// otherwise.
const DefaultValidityDays = 15

// DefaultValidUntil is the validity a new quote made on day now proposes:
// DefaultValidityDays later, as a day in Mexico City.
func DefaultValidUntil(now time.Time) time.Time {
	return Day(now).AddDate(0, 0, DefaultValidityDays)
}

// CheckEdit reports whether the quote may still be changed: an open or
// sent one may (also past its validity, to extend it); an accepted or
// invoiced one is Invalid with the reason.
func (q *Quote) CheckEdit() error {
	switch q.Status {
	case Open, Sent:
		return nil
	case Accepted:
		return domain.E(domain.Invalid, "edit quote", "El cliente ya aceptó esta cotización; factúrela o haga una nueva.", nil)
	}
	return domain.E(domain.Invalid, "edit quote", "Esta cotización ya se facturó; no se puede cambiar.", nil)
}

// Actions is what a quote's status allows on a day: the verdict the
// screens present (each is the corresponding transition succeeding).
type Actions struct {
	Edit    bool // CheckEdit
	Send    bool // Send
	Accept  bool // Accept
	Invoice bool // InvoiceDraft
	// OpenInvoice: the quote was invoiced and its invoice can be opened.
	OpenInvoice bool
}

// ActionsOn returns what q allows on day now, without changing q.
func (q *Quote) ActionsOn(now time.Time) Actions {
	try := func(f func(c *Quote) error) bool {
		c := *q
		return f(&c) == nil
	}
	return Actions{
		Edit:        q.CheckEdit() == nil,
		Send:        try(func(c *Quote) error { return c.Send(now) }),
		Accept:      try(func(c *Quote) error { return c.Accept(now) }),
		Invoice:     try(func(c *Quote) error { _, err := c.InvoiceDraft("", now); return err }),
		OpenInvoice: q.Status == Invoiced && q.InvoiceID != 0,
	}
}

// Validate reports a quote that cannot be kept: no customer, no lines,
// validity before its date; and every problem of its lines as an invoice
// draft would have them.
func (q *Quote) Validate() error {
	const op = "validate quote"
	switch {
	case q.Doc.CustomerID == 0:
		return domain.E(domain.Invalid, op, "Elija el cliente de la cotización.", nil)
	case len(q.Doc.Lines) == 0:
		return domain.E(domain.Invalid, op, "Agregue al menos un concepto a la cotización.", nil)
	case q.ValidUntil.IsZero() || Day(q.ValidUntil).Before(Day(q.Fecha)):
		return domain.E(domain.Invalid, op, "La vigencia debe ser igual o posterior a la fecha de la cotización.", nil)
	}
	return q.Doc.ValidateDraft()
}

// Send marks an open quote as sent to the customer.
func (q *Quote) Send(now time.Time) error {
	switch q.StatusOn(now) {
	case Open, Sent:
		q.Status = Sent
		return nil
	case Expired:
		return domain.E(domain.Invalid, "send quote", "La cotización venció; cambie su vigencia antes de enviarla.", nil)
	}
	return domain.E(domain.Invalid, "send quote", "Solo se envía una cotización abierta.", nil)
}

// Accept records the customer's acceptance, while the offer holds.
func (q *Quote) Accept(now time.Time) error {
	switch q.StatusOn(now) {
	case Open, Sent:
		q.Status = Accepted
		return nil
	case Expired:
		return domain.E(domain.Invalid, "accept quote", "La cotización venció; cambie su vigencia o haga una nueva.", nil)
	}
	return domain.E(domain.Invalid, "accept quote", "Esta cotización ya no se puede aceptar.", nil)
}

// InvoiceDraft is the invoice draft of an accepted quote in series serie:
// its customer, currency, terms and lines as they are, a new draft (no ID,
// no folio), dated now.
func (q *Quote) InvoiceDraft(serie string, now time.Time) (sales.Invoice, error) {
	const op = "invoice quote"
	switch q.Status {
	case Accepted:
	case Invoiced:
		return sales.Invoice{}, domain.E(domain.Conflict, op, "Esta cotización ya se facturó.", nil)
	default:
		return sales.Invoice{}, domain.E(domain.Invalid, op, "Solo se factura una cotización aceptada; márquela como aceptada primero.", nil)
	}
	inv := q.Doc
	inv.ID, inv.Folio, inv.State, inv.Status = 0, 0, sales.StateDraft, sales.StatusDraft
	inv.Issuer, inv.TipoDeComprobante, inv.Serie, inv.Fecha = q.Issuer, sales.TipoIngreso, serie, now
	inv.SealedXML, inv.UUID = nil, ""
	inv.Lines = append([]sales.Line(nil), q.Doc.Lines...)
	return inv, nil
}

// Store keeps quotes.
type Store interface {
	// SaveQuote inserts (ID 0, giving the next Number) or updates a quote.
	SaveQuote(ctx context.Context, q *Quote) error
	// FindQuote returns a quote; NotFound if absent.
	FindQuote(ctx context.Context, id int64) (Quote, error)
	// FindQuotes returns a company's quotes, newest first.
	FindQuotes(ctx context.Context, issuer string, limit int) ([]Quote, error)
	// ListQuotes returns one page of the quotes f selects, newest first
	// (fecha, then id, descending), after f.After when set.
	ListQuotes(ctx context.Context, f Filter) ([]Quote, error)
	// InvoiceQuote stores draft as a new invoice draft and marks quote id
	// facturada with the link, in one transaction; a quote already
	// invoiced meanwhile is a Conflict.
	InvoiceQuote(ctx context.Context, id int64, draft *sales.Invoice) error
}

// Filter selects a page of a company's quotes (Store.ListQuotes).
type Filter struct {
	Issuer string
	// Status: "" every quote; Open or Sent only those still valid on day
	// Now; Expired the open or sent ones past their validity on day Now
	// (Quote.StatusOn); Accepted, Invoiced as stored.
	Status Status
	Now    time.Time
	// Search matches the customer's name or RFC (contains, any case) or
	// the quote's number.
	Search string
	// From and To bound the quote's Fecha: From <= Fecha < To; zero: open.
	From, To time.Time
	After    *Cursor // the last row of the previous page
	Limit    int
}

// Cursor is the position of a row in the list (keyset paging).
type Cursor struct {
	Fecha time.Time
	ID    int64
}

// Cursor returns the position of q in the list.
func (q *Quote) Cursor() *Cursor { return &Cursor{Fecha: q.Fecha, ID: q.ID} }

// Totaler computes an invoice's totals as its XML would have them
// (*sales.Service).
type Totaler interface {
	Totals(inv *sales.Invoice) (sales.Totals, error)
}

// Service is the quotes' use cases. Totals, when set, gives the invoice
// draft Facturar stores its total, as sales.Service.SaveDraft does for the
// invoice list; without it the draft lists a zero total until it is saved
// in the editor.
type Service struct {
	Store  Store
	Clock  func() time.Time
	Totals Totaler
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// Save validates and stores a quote (a new one is open and dated now). An
// existing one keeps its number, date, status and link as stored, and is
// saved only while CheckEdit allows it (so a quote accepted meanwhile is
// not reopened by an editor that still showed it sent).
func (s *Service) Save(ctx context.Context, q *Quote) error {
	if q.ID == 0 {
		q.Status, q.Fecha = Open, s.now()
	} else {
		stored, err := s.Store.FindQuote(ctx, q.ID)
		if err != nil {
			return err
		}
		if err := stored.CheckEdit(); err != nil {
			return err
		}
		q.Issuer, q.Number, q.Fecha, q.Status, q.InvoiceID = stored.Issuer, stored.Number, stored.Fecha, stored.Status, stored.InvoiceID
	}
	q.Doc.Issuer, q.Doc.TipoDeComprobante = q.Issuer, sales.TipoIngreso
	if err := q.Validate(); err != nil {
		return err
	}
	return s.Store.SaveQuote(ctx, q)
}

// change loads a quote, applies f and stores it.
func (s *Service) change(ctx context.Context, id int64, f func(q *Quote, now time.Time) error) error {
	q, err := s.Store.FindQuote(ctx, id)
	if err != nil {
		return err
	}
	if err := f(&q, s.now()); err != nil {
		return err
	}
	return s.Store.SaveQuote(ctx, &q)
}

// MarkSent records that the quote was sent to the customer.
func (s *Service) MarkSent(ctx context.Context, id int64) error {
	return s.change(ctx, id, (*Quote).Send)
}

// Accept records the customer's acceptance.
func (s *Service) Accept(ctx context.Context, id int64) error {
	return s.change(ctx, id, (*Quote).Accept)
}

// Send e-mails quote id through deliver and records it as enviada. A
// quote whose status refuses sending (vencida, aceptada, facturada) is
// refused before deliver runs; when deliver fails the quote stays as it
// was.
func (s *Service) Send(ctx context.Context, id int64, deliver func(ctx context.Context, q *Quote) error) error {
	q, err := s.Store.FindQuote(ctx, id)
	if err != nil {
		return err
	}
	sent := q
	if err := sent.Send(s.now()); err != nil {
		return err
	}
	if err := deliver(ctx, &q); err != nil {
		return err
	}
	return s.Store.SaveQuote(ctx, &sent)
}

// Facturar turns accepted quote id into an invoice draft in series serie
// and returns it; the quote is facturada and keeps the draft's id.
func (s *Service) Facturar(ctx context.Context, id int64, serie string) (sales.Invoice, error) {
	q, err := s.Store.FindQuote(ctx, id)
	if err != nil {
		return sales.Invoice{}, err
	}
	draft, err := q.InvoiceDraft(serie, s.now())
	if err != nil {
		return sales.Invoice{}, err
	}
	draft.Normalize()
	if s.Totals != nil {
		t, err := s.Totals.Totals(&draft)
		if err != nil {
			return sales.Invoice{}, err
		}
		draft.Total = t.Total
	}
	if err := s.Store.InvoiceQuote(ctx, id, &draft); err != nil {
		return sales.Invoice{}, err
	}
	return draft, nil
}
