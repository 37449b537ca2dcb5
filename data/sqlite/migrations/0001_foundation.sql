-- Foundation: settings, SAT catalogs and companies.

-- Small key/value settings of the installation (catalogs_version, …).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Every row of every SAT catalog (domain/sat names: c_UsoCFDI, …). key keeps
-- leading zeros; vigencia_hasta is '' while in force; data holds the other
-- non-empty CSV columns (not the key, descripcion or vigencia dates) as a
-- JSON object, e.g. {"c_Estado":"HID",…} for a c_CodigoPostal. c_TasaOCuota has no key column: key is its valor, so
-- (catalog, key) is not unique there.
CREATE TABLE catalog_entries (
    id             INTEGER PRIMARY KEY,
    catalog        TEXT NOT NULL,
    key            TEXT NOT NULL,
    description    TEXT NOT NULL,
    vigencia_hasta TEXT NOT NULL DEFAULT '',
    data           TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX catalog_entries_key ON catalog_entries (catalog, key);

-- Word search over catalog descriptions (and c_ClaveProdServ similares).
-- docid = catalog_entries.id; words are already folded by sat.Normalize, so
-- the simple tokenizer suffices. FTS4 because the stock mattn/go-sqlite3
-- build has FTS3/FTS4 but not FTS5 (that needs the sqlite_fts5 build tag).
CREATE VIRTUAL TABLE catalog_search USING fts4 (words, tokenize=simple, prefix="2,3");

-- The companies (emisores) kept in this database; exactly one is active.
CREATE TABLE companies (
    id               INTEGER PRIMARY KEY,
    rfc              TEXT NOT NULL UNIQUE,
    nombre           TEXT NOT NULL,
    regimen_fiscal   TEXT NOT NULL,
    lugar_expedicion TEXT NOT NULL,
    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX companies_one_active ON companies (active) WHERE active = 1;
