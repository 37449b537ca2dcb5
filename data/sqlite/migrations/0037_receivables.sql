-- Receivables (domain/receivables): every posted credit invoice (tipo I,
-- terms credito = MetodoPago PPD) opens a receivable.
--
-- due_date is the day it falls due (YYYY-MM-DD, the invoice's day in Mexico
-- City plus the customer's credit days), decided by the domain at posting;
-- NULL for a document that opens no receivable.
--
-- open_micro is the invoice's open balance in micro-units of its currency:
-- its total less its live credit notes' shares less its live payments. The
-- domain decides every change (receivables.Posted/Cancelled) and the store
-- writes it in the transaction of the event (posting an invoice or a note,
-- cancelling one); no trigger changes it (design decision 11). It is 0
-- for everything that is not an open receivable.
ALTER TABLE invoices ADD COLUMN due_date TEXT;
ALTER TABLE invoices ADD COLUMN open_micro INTEGER NOT NULL DEFAULT 0;

-- Receivables posted before this migration: their customer's credit days
-- as they are now, from the invoice's day in Mexico City (UTC-6, no
-- daylight saving since 2022). Their open balances are recomputed by the
-- domain (receivables.Recompute) once the store opens, after the amounts of
-- older documents are read from their XML (backfill.go).
UPDATE invoices SET due_date = date(fecha, '-6 hours',
        '+' || (SELECT c.credit_days FROM customers c WHERE c.id = invoices.customer_id) || ' days')
WHERE tipo = 'I' AND terms = 'credito' AND state <> 'draft';

INSERT INTO pending_backfills (name) VALUES ('receivable_balances');

-- The open receivables only (a small part of the invoices): the aging and
-- a customer's balance read this index and never the closed invoices.
CREATE INDEX invoices_open ON invoices (issuer, customer_id, moneda, tipo_cambio_micro, due_date, open_micro)
    WHERE open_micro <> 0;
