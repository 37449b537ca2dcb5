-- Payouts (liquidaciones) to third parties: the money collected on their
-- behalf that the company hands over. amount_micro is the amount in moneda
-- as micro-units (value × 10^6, exact SQL sums, like 0027 and 0035);
-- amount keeps the decimal text as entered. account_id is the cash or bank
-- account it left from and bank_movement its withdrawal (package banks),
-- both NULL when not recorded there. A payout is cancelled (cancelled_at),
-- never deleted.
CREATE TABLE third_party_payouts (
    id             INTEGER PRIMARY KEY,
    issuer         TEXT    NOT NULL,
    third_party_id INTEGER NOT NULL REFERENCES third_parties (id),
    fecha          TEXT    NOT NULL,
    moneda         TEXT    NOT NULL,
    amount         TEXT    NOT NULL,
    amount_micro   INTEGER NOT NULL CHECK (amount_micro > 0),
    account_id     INTEGER REFERENCES bank_accounts (id),
    bank_movement  INTEGER REFERENCES bank_movements (id),
    reference      TEXT    NOT NULL DEFAULT '',
    cancelled_at   TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL
) STRICT;

CREATE INDEX third_party_payouts_party ON third_party_payouts (third_party_id, fecha);
CREATE INDEX third_party_payouts_issuer ON third_party_payouts (issuer, fecha);
