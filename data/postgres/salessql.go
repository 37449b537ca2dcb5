package postgres

import (
	"context"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/data/internal/thirdpartysql"
	"github.com/folio-mx/folio/domain/sales"
)

// salesParts gives the shared sales SQL this store's readers and encoders
// of the tables whose code has not moved to salessql yet.
var salesParts = salessql.Parts{
	FindCustomer: func(ctx context.Context, q salessql.Q, id int64) (sales.Customer, error) {
		return findCustomer(ctx, q, id)
	},
	FindRelations: func(ctx context.Context, q salessql.Q, id int64) ([]sales.Relation, error) {
		return findRelations(ctx, q, id)
	},
	Micro: micro,
	FindAmounts: func(ctx context.Context, q salessql.Q, id int64) (sales.Amounts, bool, error) {
		return findAmounts(ctx, q, id)
	},
	SaleDetailsColumns: thirdpartysql.SaleDetailsColumns,
	ParseSaleDetails:   thirdpartysql.ParseSaleDetails,
	IsUnique:           isUniqueViolation,
}

// The store's names of the shared statements, which the rest of the store
// calls.

const (
	invoiceColumns     = salessql.InvoiceColumns
	livePayment        = salessql.LivePayment
	liveCredit         = salessql.LiveCredit
	paidMicro          = salessql.PaidMicro
	liveReceivable     = salessql.LiveReceivable
	receivableCustomer = salessql.ReceivableCustomer
)

func insertInvoice(ctx context.Context, q querier, inv *sales.Invoice) error {
	return salesParts.InsertInvoice(ctx, q, inv)
}

func updateInvoice(ctx context.Context, q querier, inv *sales.Invoice, from sales.State, lines bool) error {
	return salesParts.UpdateInvoice(ctx, q, inv, from, lines)
}

func refused(ctx context.Context, q querier, id int64, e sales.Event) error {
	return salessql.Refused(ctx, q, id, e)
}

func insertRelations(ctx context.Context, q querier, id int64, rels []sales.Relation) error {
	return salesParts.InsertRelations(ctx, q, id, rels)
}

func findInvoice(ctx context.Context, q querier, id int64) (sales.Invoice, error) {
	return salesParts.FindInvoice(ctx, q, id)
}

func writePayment(ctx context.Context, q querier, id int64, pay *sales.Payment) error {
	return salesParts.WritePayment(ctx, q, id, pay)
}

func paidOf(ctx context.Context, q querier, id int64) (sales.PaidSummary, error) {
	return salessql.PaidOf(ctx, q, id)
}

func payable(ctx context.Context, q querier, id int64) (sales.Payable, error) {
	return salesParts.Payable(ctx, q, id)
}

func paymentsOf(ctx context.Context, q querier, id int64) ([]sales.PaymentRow, error) {
	return salessql.PaymentsOf(ctx, q, id)
}

func credited(ctx context.Context, q querier, id int64) (sales.Credited, error) {
	return salessql.Credited(ctx, q, id)
}

func creditNotesOf(ctx context.Context, q querier, id int64) ([]sales.CreditNoteRow, error) {
	return salessql.CreditNotesOf(ctx, q, id)
}
