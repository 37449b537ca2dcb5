package sales

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// CustomerFilter selects customers. Query matches words of the name
// (accent- and case-insensitive, as prefixes) or the beginning of the RFC.
type CustomerFilter struct {
	Query           string
	IncludeInactive bool
	Limit           int // default 100, at most 1000
}

// CustomerStore keeps customers. Create and Update store a customer that
// already passed Validate; missing ids are NotFound.
type CustomerStore interface {
	CreateCustomer(ctx context.Context, c *Customer) error
	UpdateCustomer(ctx context.Context, c *Customer) error
	SetCustomerActive(ctx context.Context, id int64, active bool) error
	FindCustomerByID(ctx context.Context, id int64) (Customer, error)
	FindCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)
}

// ProductFilter selects products by words of the code or description.
type ProductFilter struct {
	Query           string
	IncludeInactive bool
	Limit           int // default 100, at most 1000
}

// ProductStore keeps products and services. A duplicate Code is a Conflict.
type ProductStore interface {
	CreateProduct(ctx context.Context, p *Product) error
	UpdateProduct(ctx context.Context, p *Product) error
	SetProductActive(ctx context.Context, id int64, active bool) error
	FindProductByID(ctx context.Context, id int64) (Product, error)
	FindProducts(ctx context.Context, f ProductFilter) ([]Product, error)
}

// SeriesStore keeps series and the register of used and voided folios.
type SeriesStore interface {
	CreateSeries(ctx context.Context, s *Series) error
	FindSeries(ctx context.Context, issuer string) ([]Series, error)
	// VoidFolio records a number as voided (never to be used); only numbers
	// up to the series' next one; a used or voided number is a Conflict.
	VoidFolio(ctx context.Context, issuer, serie string, folio int64, reason string) error
	CountVoidedFolios(ctx context.Context, issuer, serie string) (int, error)
}

// InvoiceFilter selects a page of the invoice list. Rows come newest first
// (Fecha, then ID, descending); After is the last row of the previous page
// (keyset paging: no OFFSET, constant cost per page).
type InvoiceFilter struct {
	Issuer   string
	Status   Status    // "" for every status
	From, To time.Time // Fecha range, inclusive From, exclusive To; zero = open
	// Search matches the customer's name words or RFC prefix, a folio
	// ("A-123" or "123") or a UUID.
	Search string
	After  *InvoiceCursor
	Limit  int // default 50, at most 500
}

// InvoiceCursor is the position of a row in the list order.
type InvoiceCursor struct {
	Fecha time.Time
	ID    int64
}

// InvoiceRow is one row of the invoice list.
type InvoiceRow struct {
	ID           int64
	Status       Status
	Serie        string
	Folio        int64
	Fecha        time.Time
	CustomerRFC  string
	CustomerName string
	Moneda       string
	Total        decimal.Decimal
	UUID         string
	OrderRef     string // the customer's order reference
	Printed      bool   // its PDF has been produced at least once
}

// Cursor returns the position of r for the next page.
func (r InvoiceRow) Cursor() *InvoiceCursor { return &InvoiceCursor{Fecha: r.Fecha, ID: r.ID} }

// SealFunc builds and seals the CFDI of inv, which the store has loaded with
// its current customer, Fecha and the folio just assigned, inside the post
// transaction. It returns the sealed XML, stored verbatim.
type SealFunc func(inv *Invoice) (sealedXML []byte, err error)

// InvoiceStore keeps invoices.
type InvoiceStore interface {
	// SaveDraft inserts (ID 0) or replaces a draft with its lines; a posted
	// invoice cannot be saved (Conflict).
	SaveDraft(ctx context.Context, inv *Invoice) error
	// DeleteDraft removes a draft; a posted invoice is a Conflict.
	DeleteDraft(ctx context.Context, id int64) error
	FindInvoiceByID(ctx context.Context, id int64) (Invoice, error)
	FindInvoices(ctx context.Context, f InvoiceFilter) ([]InvoiceRow, error)
	// PostInvoice runs in ONE transaction: load the draft and its customer,
	// set Fecha to now, take the folio (opts), call seal, store the sealed
	// XML, mark the invoice sealed and queue its stamp job. Any error rolls
	// everything back: no folio is consumed by a failed post.
	PostInvoice(ctx context.Context, id int64, opts PostOptions, now time.Time, seal SealFunc) (Invoice, error)
}
