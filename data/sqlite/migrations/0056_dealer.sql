-- Administrador de timbres (issue 16): a company whose PAC account is an SW
-- dealer ("distribuidor") may manage client accounts and hand out stamps.
-- company_dealer flags that account; dealer_actions keeps what Folio did
-- through it, because SW's API lists no movements ("Mis acciones",
-- "Ver detalle de movimientos"). dealer is the account's non-secret key.
CREATE TABLE company_dealer (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE dealer_actions (
    id          INTEGER PRIMARY KEY,
    dealer      TEXT NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('alta', 'asignacion', 'retiro', 'edicion', 'contrasena', 'baja',
                                               'reactivacion', 'eliminacion', 'emisores', 'cuenta_pac')),
    client_id   TEXT NOT NULL,
    client_name TEXT NOT NULL DEFAULT '',
    stamps_in   INTEGER NOT NULL DEFAULT 0 CHECK (stamps_in >= 0),
    stamps_out  INTEGER NOT NULL DEFAULT 0 CHECK (stamps_out >= 0),
    balance     INTEGER NOT NULL DEFAULT 0,
    folio       INTEGER NOT NULL DEFAULT 0,
    comment     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX dealer_actions_by_dealer ON dealer_actions (dealer, at, id);
CREATE INDEX dealer_actions_by_client ON dealer_actions (dealer, client_id, at, id);
