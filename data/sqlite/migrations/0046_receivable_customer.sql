-- "Cuenta x cobrar a" (sales.SaleDetails.CollectFromID): an invoice's
-- receivable belongs to invoices.collect_from when set, else to the
-- invoiced customer. Every receivables query groups and filters by
-- coalesce(collect_from, customer_id), so the indexes that serve them are
-- on that expression (SQLite uses an expression index only for the same
-- expression, written the same way in the query).
DROP INDEX invoices_open;
-- collect_from and customer_id close the index so that it covers the
-- query: SQLite reads the columns of an indexed expression from the table
-- otherwise, one lookup per open invoice.
CREATE INDEX invoices_open ON invoices (issuer, coalesce(collect_from, customer_id), moneda, tipo_cambio_micro, due_date,
    open_micro, collect_from, customer_id)
    WHERE open_micro <> 0;

-- A customer's receivables (statement movements, the payment form's
-- payable invoices): the invoices that opened a receivable under them.
CREATE INDEX invoices_receivable ON invoices (issuer, coalesce(collect_from, customer_id), fecha)
    WHERE due_date IS NOT NULL;
