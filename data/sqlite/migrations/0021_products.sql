-- Products and services. Price and rates are TEXT decimals (up to 6 places).
CREATE TABLE products (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    description     TEXT    NOT NULL,
    unit            TEXT    NOT NULL DEFAULT '',
    clave_prod_serv TEXT    NOT NULL,
    clave_unidad    TEXT    NOT NULL,
    price           TEXT    NOT NULL,
    iva_exento      INTEGER NOT NULL DEFAULT 0,
    iva_tasa        TEXT    NOT NULL DEFAULT '0',
    ieps_factor     TEXT    NOT NULL DEFAULT '' CHECK (ieps_factor IN ('', 'Tasa', 'Cuota')),
    ieps_valor      TEXT    NOT NULL DEFAULT '0',
    ret_iva         TEXT    NOT NULL DEFAULT '0',
    ret_isr         TEXT    NOT NULL DEFAULT '0',
    objeto_imp      TEXT    NOT NULL,
    track_stock     INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE VIRTUAL TABLE products_fts USING fts4 (
    content="products", code, description, tokenize=unicode61, prefix="2,3,4"
);

CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (docid, code, description) VALUES (new.id, new.code, new.description);
END;
CREATE TRIGGER products_fts_bu BEFORE UPDATE OF code, description ON products BEGIN
    DELETE FROM products_fts WHERE docid = old.id;
END;
CREATE TRIGGER products_fts_au AFTER UPDATE OF code, description ON products BEGIN
    INSERT INTO products_fts (docid, code, description) VALUES (new.id, new.code, new.description);
END;
CREATE TRIGGER products_fts_bd BEFORE DELETE ON products BEGIN
    DELETE FROM products_fts WHERE docid = old.id;
END;
