-- Account statements (estado de cuenta). A customer's documents of each
-- type in date order, carrying what a statement reads of them, so that
-- Movements and MovementsBetween walk one range of this index per type
-- (invoices, credit notes, payment receipts) and SQLite merges the three
-- in date order without sorting (EXPLAIN QUERY PLAN: MERGE (UNION ALL)).
CREATE INDEX invoices_statement ON invoices (customer_id, tipo, fecha, id, issuer, state, due_date, moneda, total_micro, credit_kind, serie, folio);

-- E-mails that are not a stamped document (an account statement): the
-- outbox's deliveries get an issuer, a subject and a body of their own and
-- their attachments, and document_id becomes optional. Exactly one of
-- document_id and issuer_rfc is set. SQLite cannot drop a NOT NULL, hence
-- the copy; no table refers to deliveries.
CREATE TABLE deliveries_new (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER REFERENCES documents (id) ON DELETE CASCADE,
    issuer_rfc      TEXT    NOT NULL DEFAULT '',
    subject         TEXT    NOT NULL DEFAULT '',
    body            TEXT    NOT NULL DEFAULT '',
    recipients      TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL DEFAULT '',
    lease_until     TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    sent_at         TEXT    NOT NULL DEFAULT '',
    CHECK ((document_id IS NULL) = (issuer_rfc <> ''))
) STRICT;

INSERT INTO deliveries_new (id, document_id, recipients, state, attempts, next_attempt_at, lease_until, last_error, created_at, updated_at, sent_at)
    SELECT id, document_id, recipients, state, attempts, next_attempt_at, lease_until, last_error, created_at, updated_at, sent_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX deliveries_document ON deliveries (document_id, id);

-- The files a message delivery attaches, byte for byte, in order.
CREATE TABLE delivery_attachments (
    delivery_id  INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    n            INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (delivery_id, n)
) STRICT, WITHOUT ROWID;
