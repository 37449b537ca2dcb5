-- Billing on behalf of third parties (facturación a terceros).
--
-- The third parties a company bills for (Concepto/ACuentaTerceros), per
-- issuer RFC; one record per RFC and company. Deactivated, never deleted:
-- invoice lines refer to them.
CREATE TABLE third_parties (
    id             INTEGER PRIMARY KEY,
    issuer         TEXT    NOT NULL,
    rfc            TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    regimen_fiscal TEXT    NOT NULL,
    codigo_postal  TEXT    NOT NULL,
    contact        TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    bank           TEXT    NOT NULL DEFAULT '',
    bank_account   TEXT    NOT NULL DEFAULT '',
    notes          TEXT    NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    UNIQUE (issuer, rfc)
) STRICT;

CREATE INDEX third_parties_name ON third_parties (issuer, name COLLATE NOCASE);

-- Name/RFC search, as customers_fts (0020): unicode61 folds case and accents.
CREATE VIRTUAL TABLE third_parties_fts USING fts4 (
    content="third_parties", name, rfc, tokenize=unicode61, prefix="2,3,4"
);

CREATE TRIGGER third_parties_fts_ai AFTER INSERT ON third_parties BEGIN
    INSERT INTO third_parties_fts (docid, name, rfc) VALUES (new.id, new.name, new.rfc);
END;
CREATE TRIGGER third_parties_fts_bu BEFORE UPDATE OF name, rfc ON third_parties BEGIN
    DELETE FROM third_parties_fts WHERE docid = old.id;
END;
CREATE TRIGGER third_parties_fts_au AFTER UPDATE OF name, rfc ON third_parties BEGIN
    INSERT INTO third_parties_fts (docid, name, rfc) VALUES (new.id, new.name, new.rfc);
END;
CREATE TRIGGER third_parties_fts_bd BEFORE DELETE ON third_parties BEGIN
    DELETE FROM third_parties_fts WHERE docid = old.id;
END;

-- A concept billed on behalf of a third party: the catalog record and the
-- snapshot of what goes into ACuentaTerceros, taken at posting so the
-- sealed document never changes with the catalog. NULL / '' on the
-- company's own concepts.
ALTER TABLE invoice_lines ADD COLUMN third_party_id INTEGER REFERENCES third_parties (id);
ALTER TABLE invoice_lines ADD COLUMN tp_rfc TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN tp_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN tp_regimen TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN tp_cp TEXT NOT NULL DEFAULT '';

-- Balances per third party read its concepts.
CREATE INDEX invoice_lines_third_party ON invoice_lines (third_party_id) WHERE third_party_id IS NOT NULL;

-- The sale's header data beyond the CFDI (sales.SaleDetails): collect_from
-- is the "Cuenta x cobrar a" customer (NULL = the invoiced customer);
-- sale_details the rest as a JSON object ('' for an ordinary invoice).
-- Nothing is summed or searched inside sale_details.
ALTER TABLE invoices ADD COLUMN collect_from INTEGER REFERENCES customers (id);
ALTER TABLE invoices ADD COLUMN sale_details TEXT NOT NULL DEFAULT '';
