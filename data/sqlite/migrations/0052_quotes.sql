-- Quotes (cotizaciones, package quotes): number consecutive per company;
-- doc is the quote's customer, currency, terms and lines as the JSON of a
-- sales.Invoice draft (decimals as strings), computed by the same rules
-- when shown or printed; invoice_id is the invoice draft "Facturar" made.
-- status is abierta, enviada, aceptada or facturada (vencida is derived
-- from valid_until).
CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    issuer      TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    fecha       TEXT    NOT NULL,
    valid_until TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('abierta', 'enviada', 'aceptada', 'facturada')),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    doc         TEXT    NOT NULL,
    notes       TEXT    NOT NULL DEFAULT '',
    invoice_id  INTEGER UNIQUE REFERENCES invoices (id),
    UNIQUE (issuer, number)
) STRICT;
CREATE INDEX quotes_list ON quotes (issuer, fecha DESC, id DESC);
