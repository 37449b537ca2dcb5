package postgres

import (
	"context"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/sales"
)

var (
	_ sales.PaymentTx    = postTx{}
	_ sales.PaymentStore = (*Store)(nil)
)

// PaidOf returns what reduced invoice id so far (sales.PaymentTx): its live
// payment receipts and its live credit notes' shares.
func (t postTx) PaidOf(ctx context.Context, id int64) (sales.PaidSummary, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return sales.PaidSummary{}, err
	}
	return paidOf(ctx, t.q, id)
}

// PaidOf returns what the live payment receipts paid of invoice id, how many
// they are, and what its live credit notes took.
func (s *Store) PaidOf(ctx context.Context, id int64) (sales.PaidSummary, error) {
	return paidOf(ctx, s.ReadDB(), id)
}

// PayableInvoices returns issuer's stamped invoices on credit (PPD) whose
// receivable is under customerID (invoiced to them, or to another customer
// with them as "Cuenta x cobrar a") with something still owed, oldest
// first, each with its stored total and taxes (design decision 12) and what
// reduced it. Each keeps its own receptor (Invoice.Customer): the payment
// receipt of an invoice collected from another customer is still issued to
// the invoice's receptor (sales.BuildPayment).
func (s *Store) PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]sales.Payable, error) {
	return salesParts.PayableInvoices(ctx, s.ReadDB(), issuer, customerID)
}

// Payable returns invoice id as a payment sees it: stored total and taxes
// and what reduced it.
func (s *Store) Payable(ctx context.Context, id int64) (sales.Payable, error) {
	return payable(ctx, s.ReadDB(), id)
}

// PaymentsOf returns the payment receipts that paid invoice id, live or
// cancelled, oldest first: its trace and the reason it may not be
// cancelled yet.
func (s *Store) PaymentsOf(ctx context.Context, id int64) ([]sales.PaymentRow, error) {
	return paymentsOf(ctx, s.ReadDB(), id)
}

// PendingReceipts returns the posted payment receipts of every issuer that
// are not stamped yet (sealed and queued, or rejected by the PAC), oldest
// payment first: the status bar warns before their deadline.
func (s *Store) PendingReceipts(ctx context.Context) ([]sales.PendingReceipt, error) {
	return salessql.PendingReceipts(ctx, s.ReadDB())
}
