// Package invoices holds the invoice screens: today the list with its status
// tabs (Borradores, Generadas, Emitidas, Canceladas), search by customer,
// RFC, folio or UUID, date range and keyset paging. It reaches the store only
// through the narrow interface declared here; it never imports data/.
package invoices

import (
	"context"

	"github.com/folio-mx/folio/domain/sales"
)

// Store is what the list needs (*sqlite.Store satisfies it). Errors carry
// Spanish user messages (domain.Error).
type Store interface {
	FindInvoices(ctx context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error)
}
