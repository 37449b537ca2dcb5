-- Stamping: sealed documents (any CFDI type), their stamp jobs (the outbox),
-- the attempt log and the stamp ledger per issuer RFC. Times are UTC RFC 3339
-- with nanoseconds at fixed width, so TEXT comparison orders them.

-- A sealed CFDI and its stamping outcome. sealed_xml is stored verbatim and
-- never rebuilt; stamped_xml is what the PAC returned. Other tables (invoices,
-- credit notes, payments…) link to documents.id.
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    issuer_rfc    TEXT    NOT NULL,
    tipo          TEXT    NOT NULL DEFAULT '',  -- TipoDeComprobante (I, E, P, T, N)
    serie         TEXT    NOT NULL DEFAULT '',
    folio         TEXT    NOT NULL DEFAULT '',
    fecha         TEXT    NOT NULL,             -- Comprobante/@Fecha as an instant
    custom_id     TEXT    NOT NULL UNIQUE,      -- PAC idempotency key, kept across re-seals
    sealed_xml    BLOB    NOT NULL,
    stamped_xml   BLOB,
    uuid          TEXT    UNIQUE,               -- TFD UUID, upper case; NULL until stamped
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'stamped', 'rejected', 'expired')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    error_code    TEXT    NOT NULL DEFAULT '',
    error_message TEXT    NOT NULL DEFAULT '',
    error_hint    TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    stamped_at    TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE UNIQUE INDEX documents_number ON documents (issuer_rfc, serie, folio) WHERE folio <> '';
CREATE INDEX documents_issuer_state ON documents (issuer_rfc, state);

-- One row per document still to be stamped. lease_until is set while an
-- attempt is in flight ('' otherwise): one send per document at a time.
CREATE TABLE stamp_jobs (
    document_id     INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX stamp_jobs_due ON stamp_jobs (next_attempt_at);

-- Every classified PAC answer, for audit (no secrets).
CREATE TABLE stamp_attempts (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    class       TEXT    NOT NULL,
    code        TEXT    NOT NULL DEFAULT '',
    message     TEXT    NOT NULL DEFAULT '',
    unknown     INTEGER NOT NULL DEFAULT 0 CHECK (unknown IN (0, 1))
) STRICT;

CREATE INDEX stamp_attempts_document ON stamp_attempts (document_id);

-- Last known stamp balance of each issuer's PAC account.
CREATE TABLE stamp_balances (
    issuer_rfc    TEXT    PRIMARY KEY,
    stamps        INTEGER NOT NULL DEFAULT 0,
    used          INTEGER NOT NULL DEFAULT 0,
    unlimited     INTEGER NOT NULL DEFAULT 0 CHECK (unlimited IN (0, 1)),
    as_of         TEXT    NOT NULL DEFAULT '',
    low_threshold INTEGER            -- NULL: the default threshold
) STRICT, WITHOUT ROWID;

-- Stamp history: each stamp (-1), top-up (+n) and cancellation.
CREATE TABLE stamp_movements (
    id          INTEGER PRIMARY KEY,
    issuer_rfc  TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('stamp', 'topup', 'cancel')),
    stamps      INTEGER NOT NULL,
    document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    uuid        TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX stamp_movements_issuer ON stamp_movements (issuer_rfc, at);

-- Cancellation requests of stamped documents, with SAT's acuse kept verbatim
-- and the last status read from SAT's status service.
CREATE TABLE cancellations (
    id                  INTEGER PRIMARY KEY,
    document_id         INTEGER NOT NULL REFERENCES documents (id),
    issuer_rfc          TEXT    NOT NULL,
    uuid                TEXT    NOT NULL,
    motivo              TEXT    NOT NULL CHECK (motivo IN ('01', '02', '03', '04')),
    folio_sustitucion   TEXT    NOT NULL DEFAULT '',
    estatus_uuid        TEXT    NOT NULL,           -- SAT code of the request (201, 202…)
    acuse               BLOB,
    estado              TEXT    NOT NULL DEFAULT '', -- Vigente, Cancelado…
    es_cancelable       TEXT    NOT NULL DEFAULT '',
    estatus_cancelacion TEXT    NOT NULL DEFAULT '',
    requested_at        TEXT    NOT NULL,
    checked_at          TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX cancellations_document ON cancellations (document_id);

-- Raw PAC exchanges kept for audit, with passwords and tokens removed by the
-- client before they reach this table.
CREATE TABLE pac_exchanges (
    id              INTEGER PRIMARY KEY,
    at              TEXT    NOT NULL,
    method          TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    request_header  TEXT    NOT NULL DEFAULT '',
    request_body    BLOB,
    status          INTEGER NOT NULL DEFAULT 0,
    response_body   BLOB,
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    transport_error TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX pac_exchanges_at ON pac_exchanges (at);
