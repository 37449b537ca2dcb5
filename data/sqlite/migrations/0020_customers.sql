-- Customers of the invoicing module. Amounts and rates are TEXT decimals.
-- Name/RFC search uses an FTS4 index: the stock mattn/go-sqlite3 build has
-- FTS3/FTS4 but not FTS5 (that needs the sqlite_fts5 build tag).
CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    rfc             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    regimen_fiscal  TEXT    NOT NULL,
    codigo_postal   TEXT    NOT NULL DEFAULT '',
    uso_cfdi        TEXT    NOT NULL,
    forma_pago      TEXT    NOT NULL DEFAULT '',
    metodo_pago     TEXT    NOT NULL DEFAULT '',
    emails          TEXT    NOT NULL DEFAULT '',
    credit_days     INTEGER NOT NULL DEFAULT 0,
    credit_limit    TEXT    NOT NULL DEFAULT '0',
    retencion_iva   TEXT    NOT NULL DEFAULT '0',
    retencion_isr   TEXT    NOT NULL DEFAULT '0',
    pais            TEXT    NOT NULL DEFAULT '',
    num_reg_id_trib TEXT    NOT NULL DEFAULT '',
    notes           TEXT    NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX customers_rfc ON customers (rfc);
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

-- External-content FTS4 index over name and RFC, kept in sync by triggers.
-- unicode61 folds case and removes accents; prefix indexes make "kem*" fast.
CREATE VIRTUAL TABLE customers_fts USING fts4 (
    content="customers", name, rfc, tokenize=unicode61, prefix="2,3,4"
);

CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (docid, name, rfc) VALUES (new.id, new.name, new.rfc);
END;
CREATE TRIGGER customers_fts_bu BEFORE UPDATE OF name, rfc ON customers BEGIN
    DELETE FROM customers_fts WHERE docid = old.id;
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, rfc ON customers BEGIN
    INSERT INTO customers_fts (docid, name, rfc) VALUES (new.id, new.name, new.rfc);
END;
CREATE TRIGGER customers_fts_bd BEFORE DELETE ON customers BEGIN
    DELETE FROM customers_fts WHERE docid = old.id;
END;
