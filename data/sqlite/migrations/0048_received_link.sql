-- Imported CFDI (0045) tied to Folio (issue 14, items 4–6).
--
-- invoice_id: the invoice of Folio that took the document as its fiscal
-- truth (received.Link), NULL while none; one document per invoice.
-- sat_checked_at: when SAT's status service was last consulted (RFC 3339),
-- '' never; sat_status stays '' until then (pending).
ALTER TABLE received_cfdi ADD COLUMN invoice_id INTEGER REFERENCES invoices (id);
ALTER TABLE received_cfdi ADD COLUMN sat_checked_at TEXT NOT NULL DEFAULT '';

CREATE UNIQUE INDEX received_cfdi_invoice ON received_cfdi (invoice_id) WHERE invoice_id IS NOT NULL;
-- The documents still to consult, per company.
CREATE INDEX received_cfdi_sat_pending ON received_cfdi (issuer, id) WHERE sat_status = '';

-- Concordancia's memory: which product a customer's concepto description
-- (normalised: received.NormalizeDescription) was mapped to, how many
-- times the user confirmed it and when last. Offered most confirmed first.
CREATE TABLE concordance_memory (
    issuer        TEXT    NOT NULL,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    description   TEXT    NOT NULL,
    product_id    INTEGER NOT NULL REFERENCES products (id),
    confirmations INTEGER NOT NULL DEFAULT 1,
    last_used     TEXT    NOT NULL,
    PRIMARY KEY (issuer, customer_id, description, product_id)
) STRICT, WITHOUT ROWID;
