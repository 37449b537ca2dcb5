-- Credit sales an administrator authorized although the domain's credit
-- check refused them (receivables.CheckCredit: credit limit passed or
-- balances past due): who, why, when, and the figures overridden. Written
-- by the posting transaction of the invoice. Amounts in micro-units of
-- pesos; the limit as the customer's TEXT decimal.
CREATE TABLE credit_overrides (
    id               INTEGER PRIMARY KEY,
    invoice_id       INTEGER NOT NULL REFERENCES invoices (id),
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    authorized_by    TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    at               TEXT    NOT NULL,
    credit_limit     TEXT    NOT NULL,
    open_micro       INTEGER NOT NULL,
    overdue_micro    INTEGER NOT NULL,
    amount_mxn_micro INTEGER NOT NULL,
    refusal          TEXT    NOT NULL
) STRICT;

CREATE INDEX credit_overrides_customer ON credit_overrides (customer_id, id);
