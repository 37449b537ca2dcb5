package sales

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/shopspring/decimal"
)

// CustomerFilter selects customers. Query matches words of the name
// (accent- and case-insensitive, as prefixes) or the beginning of the RFC.
type CustomerFilter struct {
	Query           string
	IncludeInactive bool
	Limit           int // default 100, at most 1000
	// All returns every match, Limit ignored: what an export of the list
	// writes.
	All bool
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
	// All returns every match, Limit ignored: what an export of the list
	// writes.
	All bool
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
	Tipo     string    // TipoDeComprobante: "" for every type, "I" invoices, "E" credit notes, "P" payment receipts
	Status   Status    // "" for every status
	From, To time.Time // Fecha range, inclusive From, exclusive To; zero = open
	// ThirdParty keeps only the documents of "Saldos contra terceros":
	// with concepts on behalf of third parties or with sale details.
	ThirdParty bool
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
	State        State  // where the document is in its life
	Status       Status // its list tab, State.Status()
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
	Tipo         string // TipoDeComprobante: "I" invoice, "E" credit note

	// On a credit note: why it was issued, and the folios ("A-12") of the
	// invoices it relates, in the order of its CfdiRelacionados.
	CreditKind    CreditKind
	RelatedFolios []string

	// On a posted invoice: the sum of its live credit notes' totals (posted,
	// not cancelled) and what that sum is against its total.
	CreditedTotal decimal.Decimal
	Credited      CreditedState
	// Reverted: the warehouse reverted the invoice's stock exit and it is
	// not cancelled yet ("Revertida": it must be cancelled).
	Reverted bool
}

// Cursor returns the position of r for the next page.
func (r InvoiceRow) Cursor() *InvoiceCursor { return &InvoiceCursor{Fecha: r.Fecha, ID: r.ID} }

// Posted is what a post records, all in the post's transaction: the
// document with its new state, folio, Fecha and total; its derived amounts;
// the sealed XML (stored verbatim, the fiscal truth from then on) and the
// stamp job's idempotency key.
type Posted struct {
	Invoice   *Invoice
	From      State // the state the document had; the store refuses a row that changed meanwhile
	Amounts   Amounts
	SealedXML []byte
	CustomID  string

	// Receivables (package receivables): the due date of the receivable the
	// document opens (zero when it opens none), the changes of open balances
	// its posting makes (its own, and those of the invoices a credit note
	// credits), and the administrator's authorization of a credit sale the
	// credit check refused (nil when none was needed).
	DueDate        time.Time
	Balances       []receivables.Change
	CreditOverride *receivables.Override

	// Movements are the money the document moved through the company's
	// accounts (package banks): a payment receipt's or a cash sale's
	// deposit, a cash credit note's refund.
	Movements []banks.Movement
}

// PostTx is what posting reads and writes inside its one transaction.
type PostTx interface {
	// LoadDocument returns a document with its lines, its relations and its
	// customer's current record; NotFound if absent.
	LoadDocument(ctx context.Context, id int64) (Invoice, error)
	// InsertDraft stores a new draft (ID 0) with its lines and relations,
	// stamped with now as its creation time (a batch posts drafts it
	// creates in the same transaction).
	InsertDraft(ctx context.Context, inv *Invoice, now time.Time) error
	// FindSeries returns an issuer's series; NotFound if absent.
	FindSeries(ctx context.Context, issuer, serie string) (Series, error)
	// RelatedDocument finds a document of issuer by its UUID; found is false
	// when it was not issued in this installation.
	RelatedDocument(ctx context.Context, issuer, uuid string) (id int64, st State, found bool, err error)
	// Credited returns what the live credit notes of invoice id (posted and
	// not cancelled) took from each of its lines.
	Credited(ctx context.Context, id int64) (Credited, error)
	// OpenGroups returns the sums of a customer's open balances on day asOf
	// as this transaction sees them (receivables.Store.OpenGroups).
	OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error)
	// ThirdParty returns a third party of the catalog as this transaction
	// sees it; NotFound if absent.
	ThirdParty(ctx context.Context, id int64) (ThirdParty, error)
	// Customer returns a customer's current record; NotFound if absent.
	Customer(ctx context.Context, id int64) (Customer, error)
	// SalesSettings returns issuer's sales settings as this transaction
	// sees them (the zero value when never saved).
	SalesSettings(ctx context.Context, issuer string) (SalesSettings, error)
	// TakeFolio records c for series s: the document's number and every
	// skipped one as voided, and moves the series' next number. A number
	// already used or voided is a Conflict.
	TakeFolio(ctx context.Context, s Series, c FolioChoice, at time.Time) error
	// RecordPosted writes p: the document's header, amounts, taxes and
	// relations, its due date, the open-balance changes and the credit
	// override, and the sealed document with its stamp job (design
	// decision 4: one transaction).
	RecordPosted(ctx context.Context, p *Posted) error
}

// InvoiceStore keeps invoices.
type InvoiceStore interface {
	// SaveDraft inserts (ID 0) or replaces a draft with its lines and
	// relations; a posted invoice cannot be saved (Conflict).
	SaveDraft(ctx context.Context, inv *Invoice) error
	// DeleteDraft removes a draft; a posted invoice is a Conflict.
	DeleteDraft(ctx context.Context, id int64) error
	FindInvoiceByID(ctx context.Context, id int64) (Invoice, error)
	FindInvoices(ctx context.Context, f InvoiceFilter) ([]InvoiceRow, error)
	// PostTx is the unit of work of posting: it runs fn in ONE write
	// transaction and commits when fn returns nil. Any error rolls
	// everything back: no folio is consumed by a failed post.
	PostTx(ctx context.Context, fn func(tx PostTx) error) error
}

// AdminVerifier checks an administrator's credential (the installation's
// administrator password). A wrong or missing one is Invalid.
type AdminVerifier interface {
	CheckAdminPassword(ctx context.Context, password string) error
}

// AmountsFilter selects the posted documents whose stored amounts
// SumAmounts adds up. Amounts are stored positive whatever the document
// type: a credit note (E) subtracts from what invoices (I) add, so callers
// sum each type apart.
type AmountsFilter struct {
	Issuer            string
	TipoDeComprobante string    // "" for every type
	Moneda            string    // "" for every currency: only the MXN sums are meaningful then
	From, To          time.Time // Fecha range, inclusive From, exclusive To; zero = open
	States            []State   // nil or empty for every posted state
}

// AmountsSum is the exact sum of the stored amounts of some documents.
// Total is the sum in each document's own currency, so it is meaningful
// only when the filter names one Moneda; TotalMXN always is.
type AmountsSum struct {
	Documents   int
	SubTotal    decimal.Decimal
	Descuento   decimal.Decimal
	Traslados   decimal.Decimal
	Retenciones decimal.Decimal
	Total       decimal.Decimal
	TotalMXN    decimal.Decimal
}

// AmountsStore reads the derived amounts that a post stored beside each
// document (design decision 12): what receivables, books and reports add
// up without reading the sealed XML again.
type AmountsStore interface {
	// FindAmounts returns the amounts stored when document id was posted;
	// ok is false for a draft. A missing document is NotFound.
	FindAmounts(ctx context.Context, id int64) (a Amounts, ok bool, err error)
	// SumAmounts adds up the stored amounts of the posted documents f
	// selects, exactly: no floating point anywhere on the way.
	SumAmounts(ctx context.Context, f AmountsFilter) (AmountsSum, error)
}
