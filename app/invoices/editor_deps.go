package invoices

import (
	"context"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
)

// CustomerFinder searches customers as the user types (*sqlite.Store
// satisfies it).
type CustomerFinder interface {
	FindCustomers(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, error)
}

// ProductFinder searches products by code or description (*sqlite.Store
// satisfies it).
type ProductFinder interface {
	FindProducts(ctx context.Context, f sales.ProductFilter) ([]sales.Product, error)
}

// SeriesFinder lists the issuer's series (*sqlite.Store satisfies it).
type SeriesFinder interface {
	FindSeries(ctx context.Context, issuer string) ([]sales.Series, error)
}

// InvoiceService runs the invoicing use cases (*sales.Service satisfies
// it). Totals is the computation that also builds the XML, so the editor
// never computes an amount itself; SaveDraft and Post are called off the UI
// goroutine.
type InvoiceService interface {
	Totals(inv *sales.Invoice) (sales.Totals, error)
	SaveDraft(ctx context.Context, inv *sales.Invoice) (sales.Totals, error)
	Post(ctx context.Context, id int64, co *sales.Company, signer cfdi.Signer, opts sales.PostOptions) (sales.Invoice, error)
}

// EditorRules answers the catalog questions of the editor in memory: what
// the domain's verdicts (sales.Invoice.FieldRules, Validate) consult, and
// List for the pickers. *sat.Catalogs satisfies it.
type EditorRules interface {
	sales.OptionCatalogs
}

// EditorDeps is everything the invoice editor needs. All fields are
// required except Clock (domain.SystemClock when nil), CheckAdmin,
// Accounts and Warehouses.
type EditorDeps struct {
	Customers CustomerFinder
	Products  ProductFinder
	Series    SeriesFinder
	Invoices  InvoiceService
	Rules     EditorRules
	// Signer returns the issuer's CSD, ready to seal. It is called off the
	// UI goroutine when the user posts, so it may read files or ask a
	// keyring; its error's domain.UserMessage is shown to the user.
	Signer func(ctx context.Context) (cfdi.Signer, error)
	Clock  domain.Clock
	// CheckAdmin, when set, checks the administrator's password before the
	// proposed folio may be changed ("Cambiar folio…"); nil hides that
	// action. It is called off the UI goroutine.
	CheckAdmin func(ctx context.Context, password string) error
	// Accounts, when set, offers "Cobrado en" on a cash sale: the account
	// its money goes into when it is posted. Nil hides it.
	Accounts AccountLister
	// Warehouses, when set (the company keeps stock), offers "Bodega" on
	// an invoice when there is more than one active warehouse: the one its
	// stock exit leaves from. Nil hides it.
	Warehouses WarehouseLister
}

func (d EditorDeps) now() domain.Clock {
	if d.Clock == nil {
		return domain.SystemClock
	}
	return d.Clock
}
