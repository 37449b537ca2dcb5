-- What a credit note takes from each invoice it relates: its share of the
-- note's total (micro-units, value × 10^6, exact in SQL sums), decided by
-- the domain when the note is posted (sales.SetCreditShares). NULL for a
-- relation that is not a credit. A note that credits several invoices
-- counts against each only its own part.
ALTER TABLE invoice_relations ADD COLUMN credited_micro INTEGER;

-- Credit notes posted before the share was stored relate one invoice: the
-- whole total is its share.
UPDATE invoice_relations SET credited_micro = (SELECT n.total_micro FROM invoices n WHERE n.id = invoice_relations.invoice_id)
WHERE related_id IS NOT NULL
  AND invoice_id IN (SELECT id FROM invoices WHERE credit_kind <> '' AND total_micro IS NOT NULL);
