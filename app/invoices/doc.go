// Package invoices holds the invoice screens: the list with its status tabs
// (Borradores, Generadas, Emitidas, Canceladas), search by customer, RFC,
// folio or UUID, date range and keyset paging; and the editor
// (InvoiceEditor), where an invoice is captured with the keyboard, saved as
// a draft and posted (folio, seal, stamp queue). It reaches the store and
// the invoicing service only through the narrow interfaces declared here
// (Store, EditorDeps); it never imports data/.
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
