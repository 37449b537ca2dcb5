-- Series and the register of every folio number ever taken. A number is
-- taken by a posted document (kind 'document') or voided (kind 'void');
-- the primary key makes a duplicate impossible whatever the document type.
CREATE TABLE series (
    id         INTEGER PRIMARY KEY,
    issuer     TEXT    NOT NULL,
    serie      TEXT    NOT NULL,
    tipo       TEXT    NOT NULL CHECK (tipo IN ('I', 'E', 'P')),
    next_folio INTEGER NOT NULL CHECK (next_folio >= 1),
    active     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (issuer, serie)
) STRICT;

CREATE TABLE folios (
    issuer     TEXT    NOT NULL,
    serie      TEXT    NOT NULL,
    folio      INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('document', 'void')),
    reason     TEXT    NOT NULL DEFAULT '',
    taken_at   TEXT    NOT NULL,
    PRIMARY KEY (issuer, serie, folio)
) STRICT, WITHOUT ROWID;
