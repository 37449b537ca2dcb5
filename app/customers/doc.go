// Package customers is the "Clientes" screen: search customers by name or
// RFC, create and edit them, deactivate and reactivate them. It reaches the
// store only through the narrow interfaces declared here; it never imports
// data/.
package customers

import (
	"context"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// Store is what the screen needs from the customer store (*sqlite.Store
// satisfies it). Errors carry Spanish user messages (domain.Error).
type Store interface {
	FindCustomers(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, error)
	CreateCustomer(ctx context.Context, c *sales.Customer) error
	UpdateCustomer(ctx context.Context, c *sales.Customer) error
	SetCustomerActive(ctx context.Context, id int64, active bool) error
}

// Rules answers the catalog questions of the form in memory: the port of
// sales.Customer.Validate plus List for the pickers. *sat.Catalogs
// satisfies it.
type Rules interface {
	sales.Catalogs
	List(catalog string) []sat.Entry
}
