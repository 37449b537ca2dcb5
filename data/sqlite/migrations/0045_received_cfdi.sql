-- CFDI imported from files (package received): documents issued elsewhere
-- to one of the companies ('recibido') or issued by one of them through
-- another system ('emitido'), stored verbatim with the verdict of their
-- checks. doc_key is the UUID (upper case), or SHA256:<hash of the bytes>
-- for a document without a stamp: a document is never stored twice.
-- total_micro is the Total in micro-units (exact sums, like 0027); NULL
-- when it does not fit. search is the normalised text the lists search
-- (UUID, serie, folio, RFCs and names). sat_status is SAT's answer when
-- consulted, '' while it has not been.
CREATE TABLE received_cfdi (
    id              INTEGER PRIMARY KEY,
    issuer          TEXT    NOT NULL,
    direction       TEXT    NOT NULL CHECK (direction IN ('emitido', 'recibido')),
    doc_key         TEXT    NOT NULL UNIQUE,
    uuid            TEXT    NOT NULL DEFAULT '',
    version         TEXT    NOT NULL,
    serie           TEXT    NOT NULL DEFAULT '',
    folio           TEXT    NOT NULL DEFAULT '',
    rfc_emisor      TEXT    NOT NULL,
    nombre_emisor   TEXT    NOT NULL DEFAULT '',
    rfc_receptor    TEXT    NOT NULL,
    nombre_receptor TEXT    NOT NULL DEFAULT '',
    fecha           TEXT    NOT NULL DEFAULT '',
    tipo            TEXT    NOT NULL DEFAULT '',
    moneda          TEXT    NOT NULL DEFAULT '',
    total           TEXT    NOT NULL DEFAULT '',
    total_micro     INTEGER,
    ok              INTEGER NOT NULL,
    historical      INTEGER NOT NULL DEFAULT 0,
    verdict         TEXT    NOT NULL,
    sat_status      TEXT    NOT NULL DEFAULT '',
    xml             BLOB    NOT NULL,
    source          TEXT    NOT NULL DEFAULT '',
    imported_at     TEXT    NOT NULL,
    search          TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX received_cfdi_list ON received_cfdi (issuer, direction, fecha DESC, id DESC);

-- The suppliers import finds: the Emisor of each received document. The
-- full suppliers catalog is another issue's; it starts from these rows.
CREATE TABLE suppliers (
    id         INTEGER PRIMARY KEY,
    issuer     TEXT NOT NULL,
    rfc        TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    regimen    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    UNIQUE (issuer, rfc)
) STRICT;
