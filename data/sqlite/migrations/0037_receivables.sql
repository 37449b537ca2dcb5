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
-- as they are now, the day in Mexico City (UTC-6, no daylight saving since
-- 2022), and the open balance recomputed from the stored shares.
UPDATE invoices SET due_date = date(fecha, '-6 hours',
        '+' || (SELECT c.credit_days FROM customers c WHERE c.id = invoices.customer_id) || ' days')
WHERE tipo = 'I' AND terms = 'credito' AND state <> 'draft';

UPDATE invoices SET open_micro = total_micro - COALESCE((
        SELECT sum(r.credited_micro) FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
        WHERE r.related_id = invoices.id AND n.credit_kind <> '' AND n.state NOT IN ('draft', 'cancelled')), 0)
WHERE tipo = 'I' AND terms = 'credito' AND state NOT IN ('draft', 'cancelled') AND total_micro IS NOT NULL;

-- The open receivables only (a small part of the invoices): the aging and
-- a customer's balance read this index and never the closed invoices.
CREATE INDEX invoices_open ON invoices (issuer, customer_id, moneda, tipo_cambio_micro, due_date, open_micro)
    WHERE open_micro <> 0;
