package app

import (
	"context"

	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/customers"
	dealerapp "github.com/folio-mx/folio/app/dealer"
	"github.com/folio-mx/folio/app/inventory"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/app/receivables"
	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/app/settings"
	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// CatalogSearcher finds entries of one SAT catalog (by SAT name, e.g.
// "c_ClaveProdServ") whose key or description matches query; "" lists the
// catalog from its first key. At most limit entries are returned. Errors
// carry a Spanish user message (domain.Error).
type CatalogSearcher interface {
	SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error)
}

// CompanyStore reads and writes the issuing company's profile.
// ActiveCompany returns a domain.Error of kind NotFound while no company is
// configured (first run). SaveCompany inserts or updates c, makes it the
// active company and sets c.ID.
type CompanyStore interface {
	ActiveCompany(ctx context.Context) (*sales.Company, error)
	SaveCompany(ctx context.Context, c *sales.Company) error
}

// CatalogRules answers catalog questions in memory, from the catalogs
// embedded in the binary (so they work before the store's catalog tables
// are filled): the port of sales.Company.Validate plus List for pickers of
// small catalogs. *sat.Catalogs satisfies it.
type CatalogRules interface {
	CodigoPostalExists(cp string) bool
	RegimenExists(regimen string) bool
	RegimenAllowed(regimen string, personaMoral bool) bool
	List(catalog string) []sat.Entry
}

// CatalogLoader fills the store's catalog tables from the embedded SAT
// catalogs when they are missing or outdated, reporting progress as it goes
// (done of total steps). It may take seconds on the first run and returns
// quickly when the catalogs are current.
type CatalogLoader func(ctx context.Context, progress func(done, total int)) error

// Services is everything the UI needs from the rest of Folio. internal/gui
// wires the real store in; tests pass fakes.
type Services struct {
	Catalogs  CatalogSearcher
	Rules     CatalogRules
	Companies CompanyStore
	Customers customers.Store
	Products  products.Store
	// Invoices lists invoices and loads one to open it.
	Invoices InvoiceStore
	// Editor is what the invoice editor needs (stores, sales service, the
	// issuer's signer).
	Editor invoices.EditorDeps
	// Credit is what the credit-note form needs ("Devolver…", "Rebajar…").
	Credit invoices.CreditDeps
	// Receivables is what "Cobranza" needs: the aging, statements and their
	// PDF, and the payment form; nil Source hides the area.
	Receivables receivables.AreaDeps
	// Printing, when set, prints a posted invoice's PDF (drawn from its
	// stored XML) through the system's printers or saves it; SendInvoice
	// queues its XML and PDF for e-mail to the customer. Both run their
	// work off the UI goroutine.
	Printing    invoices.Printing
	SendInvoice func(invoiceID int64)
	// ExportAll writes the XML and PDF of every stamped document of the
	// issuer into dir, reporting progress; it returns how many it wrote.
	// It runs off the UI goroutine.
	ExportAll func(ctx context.Context, issuerRFC, dir string, progress func(done, total int)) (int, error)
	// Deliveries tells whether invoices were e-mailed (the list's column).
	Deliveries invoices.DeliveryStates
	// Stamps is what the "Timbres" screen needs (queue, worker, ledger,
	// re-seal); Cancels sends cancellation requests.
	Stamps  stamps.Deps
	Cancels stamps.Canceller
	// Setup is the company setup's store (profile, logo, series,
	// companies); Secrets keeps the company's CSD and PAC account and the
	// administrator password (sales.Companies); TestPAC tries PAC
	// credentials.
	Setup   company.SetupStore
	Secrets company.Secrets
	TestPAC company.PACTester
	// Server connects this workstation to a PostgreSQL server from the
	// first run ("Conectar a un servidor"); nil hides that choice.
	Server company.Connector
	// Mail stores SMTP settings; MailTester sends a test message;
	// KickOutbox makes the e-mail outbox try waiting deliveries now.
	Mail       settings.MailStore
	MailTester settings.MailTester
	KickOutbox func()
	// SalesRules answers the catalog questions of the customer and product
	// forms (*sat.Catalogs).
	SalesRules customers.Rules
	// Received is what "CFDI externos" needs: the imported documents and
	// the import (also of files dropped on the window); its Store nil: the
	// area is never offered.
	Received received.Deps
	// SalesSettings keeps each company's sales switches ("Ventas" in
	// Empresa); nil hides that tab and every area they enable.
	SalesSettings sales.SalesSettingsStore
	// ThirdParty is what "Saldos contra terceros" needs (its Catalog nil:
	// the area is never offered); the area shows only while the company's
	// sales settings enable third parties.
	ThirdParty thirdparty.AreaDeps
	// Stock is what "Existencias" needs (its Store nil: the area is never
	// offered); its Service also reverts invoices' exits in Facturas.
	Stock inventory.Deps
	// Quotes is what "Cotizaciones" needs (its Store nil: the area is
	// never offered); its Editor is filled from Editor when empty.
	Quotes quotes.Deps
	// Dealer is what the "Administrador de timbres" needs; DealerFlag
	// keeps which companies' PAC accounts are dealer accounts (set in
	// Empresa › PAC). The area is offered while the active company's
	// account is flagged; Open or DealerFlag nil: never.
	Dealer     dealerapp.Deps
	DealerFlag company.DealerFlag
	// Sheets imports and exports the customers and products catalogs
	// (CSV, XLSX, PDF); its Service nil hides the actions.
	Sheets sheets.Deps
	// Events announces what changed (documents posted, stamped,
	// cancelled…); every open screen follows it. Nil in tests that do not
	// need it.
	Events EventSource
}

// InvoiceStore is what the "Facturas" area reads and changes
// (*sqlite.Store): the list, its actions, and the stamp-queue document of
// an invoice, which a cancellation names.
type InvoiceStore interface {
	invoices.Store
	invoices.InvoiceLoader
	invoices.ActionStore
	InvoiceDocument(ctx context.Context, invoiceID int64) (docID int64, uuid, name string, err error)
}
