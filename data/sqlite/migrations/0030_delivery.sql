-- Delivery of documents by e-mail: the SMTP account of each company and the
-- outbox of e-mails (one row per delivery of a document to its customer).
-- Times are UTC RFC 3339 with nanoseconds at fixed width (as in
-- 0010_stamping), so TEXT comparison orders them.

-- SMTP settings per issuer RFC. password_sealed is the password sealed with
-- AES-256-GCM under the installation key in the secret file beside the
-- database (domain/secret, companycsd_secret.go), bound to the issuer; the
-- clear password is never stored.
CREATE TABLE mail_settings (
    issuer_rfc   TEXT    PRIMARY KEY,
    host         TEXT    NOT NULL,
    port         INTEGER NOT NULL DEFAULT 0,
    security     TEXT    NOT NULL CHECK (security IN ('starttls', 'tls')),
    username     TEXT    NOT NULL DEFAULT '',
    password_sealed BLOB,
    from_address TEXT    NOT NULL DEFAULT '',
    from_name    TEXT    NOT NULL DEFAULT '',
    updated_at   TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- The outbox. recipients holds one address per line. lease_until is set
-- while an attempt is in flight ('' otherwise).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    recipients      TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL DEFAULT '',
    lease_until     TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    sent_at         TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('queued', 'sending');
-- "Was document X sent?": the newest delivery of each document.
CREATE INDEX deliveries_document ON deliveries (document_id, id);
