-- Invoices (facturas) from draft to sealed, and their lines. Once posted,
-- the sealed XML and its stamp job live in documents (0010_stamping);
-- document_id links them. Amounts are
-- TEXT decimals; fecha is UTC text of fixed width so that text order is
-- time order (keyset paging on (fecha, id)). folio is NULL while a draft.
CREATE TABLE invoices (
    id                  INTEGER PRIMARY KEY,
    issuer              TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'sealed', 'stamped', 'cancelled')),
    tipo                TEXT    NOT NULL DEFAULT 'I' CHECK (tipo IN ('I', 'E')),
    serie               TEXT    NOT NULL DEFAULT '',
    folio               INTEGER,
    fecha               TEXT    NOT NULL,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    customer_rfc        TEXT    NOT NULL,
    customer_name       TEXT    NOT NULL,
    uso_cfdi            TEXT    NOT NULL DEFAULT '',
    terms               TEXT    NOT NULL DEFAULT 'contado' CHECK (terms IN ('contado', 'credito')),
    forma_pago          TEXT    NOT NULL DEFAULT '',
    moneda              TEXT    NOT NULL DEFAULT 'MXN',
    tipo_cambio         TEXT    NOT NULL DEFAULT '0',
    condiciones_de_pago TEXT    NOT NULL DEFAULT '',
    order_ref           TEXT    NOT NULL DEFAULT '',
    notes               TEXT    NOT NULL DEFAULT '',
    global_periodicidad TEXT    NOT NULL DEFAULT '',
    global_meses        TEXT    NOT NULL DEFAULT '',
    global_anio         TEXT    NOT NULL DEFAULT '',
    total               TEXT    NOT NULL DEFAULT '0',
    uuid                TEXT,
    document_id         INTEGER REFERENCES documents (id),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (issuer, serie, folio)
) STRICT;

-- The list: one tab per status, newest first, optional date range.
CREATE INDEX invoices_list ON invoices (issuer, status, fecha DESC, id DESC);
-- The "all statuses" view and date-range reports.
CREATE INDEX invoices_fecha ON invoices (issuer, fecha DESC, id DESC);
-- Search by customer (ids come from customers_fts or the rfc index).
CREATE INDEX invoices_customer ON invoices (customer_id, fecha DESC, id DESC);
-- Search by folio without series, and by UUID.
CREATE INDEX invoices_folio ON invoices (folio) WHERE folio IS NOT NULL;
CREATE UNIQUE INDEX invoices_uuid ON invoices (uuid) WHERE uuid IS NOT NULL;
CREATE UNIQUE INDEX invoices_document ON invoices (document_id) WHERE document_id IS NOT NULL;

CREATE TABLE invoice_lines (
    invoice_id        INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    n                 INTEGER NOT NULL,
    product_id        INTEGER REFERENCES products (id),
    no_identificacion TEXT    NOT NULL DEFAULT '',
    cantidad          TEXT    NOT NULL,
    clave_unidad      TEXT    NOT NULL DEFAULT '',
    unidad            TEXT    NOT NULL DEFAULT '',
    clave_prod_serv   TEXT    NOT NULL DEFAULT '',
    descripcion       TEXT    NOT NULL DEFAULT '',
    valor_unitario    TEXT    NOT NULL,
    descuento         TEXT    NOT NULL DEFAULT '0',
    objeto_imp        TEXT    NOT NULL DEFAULT '',
    iva_exento        INTEGER NOT NULL DEFAULT 0,
    iva_tasa          TEXT    NOT NULL DEFAULT '0',
    ieps_factor       TEXT    NOT NULL DEFAULT '',
    ieps_valor        TEXT    NOT NULL DEFAULT '0',
    ret_iva           TEXT    NOT NULL DEFAULT '0',
    ret_isr           TEXT    NOT NULL DEFAULT '0',
    PRIMARY KEY (invoice_id, n)
) STRICT, WITHOUT ROWID;

CREATE INDEX invoice_lines_product ON invoice_lines (product_id) WHERE product_id IS NOT NULL;
