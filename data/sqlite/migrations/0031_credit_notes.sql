-- Credit notes (CFDI Egreso) against invoices: returns and rebates.
--
-- credit_kind says why a credit note was issued ('devolucion' or 'rebaja';
-- '' for every other document); delivery_date is when the returned goods
-- came back (UTC RFC 3339 text, '' when not given).
ALTER TABLE invoices ADD COLUMN credit_kind TEXT NOT NULL DEFAULT ''
    CHECK (credit_kind IN ('', 'devolucion', 'rebaja'));
ALTER TABLE invoices ADD COLUMN delivery_date TEXT NOT NULL DEFAULT '';

-- The invoice line (its invoice and 0-based position) each credit-note line
-- credits: what earlier notes took is summed from here, per product and
-- line, so neither a later note nor the stock can take more than was
-- invoiced.
ALTER TABLE invoice_lines ADD COLUMN credits_invoice INTEGER REFERENCES invoices (id);
ALTER TABLE invoice_lines ADD COLUMN credits_line INTEGER;

CREATE INDEX invoice_lines_credits ON invoice_lines (credits_invoice) WHERE credits_invoice IS NOT NULL;
