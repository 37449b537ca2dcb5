package salessql

// PaidMicro is the seam between receivables and payments (CFDI Pago): an
// SQL expression giving, for the invoice row aliased i, what its live
// payment receipts paid of it (ImpPagado, micro-units of the invoice's
// currency). Posting and cancelling a receipt write the open-balance
// changes the domain decides (receivables.Posted/Cancelled with one Share
// per paid invoice: sales.PaymentShares); everything that recomputes a
// balance from scratch (Receivables, Movements) reads payments only here.
const PaidMicro = `COALESCE((SELECT sum(d.pagado_micro) FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
	WHERE d.related_id = i.id AND p.state NOT IN ('draft', 'cancelled')), 0)`

// LiveReceivable is the condition on an invoice i that opened a receivable
// that still counts: posted and not cancelled.
const LiveReceivable = `i.due_date IS NOT NULL AND i.state NOT IN ('draft', 'cancelled')`

// ReceivableCustomer is the customer an invoice i's receivable belongs to:
// its "Cuenta x cobrar a" customer when set (sales.Invoice.
// ReceivableCustomerID), else the invoiced one. The CFDI receptor stays
// customer_id. Written exactly as in the indexes of migration 0046.
const ReceivableCustomer = `coalesce(i.collect_from, i.customer_id)`
