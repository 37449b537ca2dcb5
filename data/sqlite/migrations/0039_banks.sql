-- The company's cash and bank accounts (package banks): each holds one
-- currency. Accounts are deactivated, never deleted: movements refer to
-- them.
CREATE TABLE bank_accounts (
    id      INTEGER PRIMARY KEY,
    issuer  TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('caja', 'banco')),
    name    TEXT    NOT NULL,
    bank    TEXT    NOT NULL DEFAULT '',
    number  TEXT    NOT NULL DEFAULT '',
    moneda  TEXT    NOT NULL,
    active  INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE UNIQUE INDEX bank_accounts_name ON bank_accounts (issuer, name);

-- Money in (positive) or out (negative) of one account, in the account's
-- currency as micro-units (exact SQL sums, like 0027). doc_amount_micro is
-- the document's amount in doc_moneda; tipo_cambio the rate used when the
-- currencies differ ('' otherwise), TEXT because it is never summed.
-- A cancellation adds a reversing row (reverses = the undone row); rows
-- are never updated or deleted. A payment receipt's deposit is written by
-- its posting transaction.
CREATE TABLE bank_movements (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES bank_accounts (id),
    at               TEXT    NOT NULL,
    direction        TEXT    NOT NULL CHECK (direction IN ('deposito', 'retiro')),
    amount_micro     INTEGER NOT NULL,
    doc_moneda       TEXT    NOT NULL,
    doc_amount_micro INTEGER NOT NULL,
    tipo_cambio      TEXT    NOT NULL DEFAULT '',
    invoice_id       INTEGER REFERENCES invoices (id),
    reverses         INTEGER REFERENCES bank_movements (id),
    memo             TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX bank_movements_account ON bank_movements (account_id, at);
CREATE INDEX bank_movements_invoice ON bank_movements (invoice_id);
CREATE UNIQUE INDEX bank_movements_reverses ON bank_movements (reverses);
