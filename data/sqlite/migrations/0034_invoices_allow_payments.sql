-- folio:rebuild-with-foreign-keys-off
-- Payment receipts (CFDI "Pago", TipoDeComprobante P) are issued documents
-- like invoices and credit notes, so they live in invoices too; its tipo
-- CHECK allowed only 'I' and 'E'. SQLite cannot alter a CHECK constraint:
-- the table is rebuilt (create the new one, copy every row with its id,
-- drop the old one, rename), with foreign key enforcement off for this one
-- migration (migrate.go, rebuildDirective) so that dropping the old table
-- does not cascade to its lines, taxes and relations; PRAGMA
-- foreign_key_check runs before the commit. The children keep pointing at
-- "invoices" by name. Every index is created again as it was (0023, 0032).
CREATE TABLE invoices_new (
    id                  INTEGER PRIMARY KEY,
    issuer              TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'sealed', 'stamped', 'cancelled')),
    tipo                TEXT    NOT NULL DEFAULT 'I' CHECK (tipo IN ('I', 'E', 'P')),
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
    printed_at          TEXT    NOT NULL DEFAULT '',
    state               TEXT    NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'sealed', 'rejected', 'stamped', 'cancel_requested', 'cancel_rejected', 'cancelled')),
    subtotal_micro      INTEGER,
    descuento_micro     INTEGER,
    traslados_micro     INTEGER,
    retenciones_micro   INTEGER,
    total_micro         INTEGER,
    tipo_cambio_micro   INTEGER,
    total_mxn_micro     INTEGER,
    credit_kind         TEXT    NOT NULL DEFAULT '' CHECK (credit_kind IN ('', 'devolucion', 'rebaja')),
    delivery_date       TEXT    NOT NULL DEFAULT '',
    UNIQUE (issuer, serie, folio)
) STRICT;

INSERT INTO invoices_new (id, issuer, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
    uso_cfdi, terms, forma_pago, moneda, tipo_cambio, condiciones_de_pago, order_ref, notes, global_periodicidad,
    global_meses, global_anio, total, uuid, document_id, created_at, updated_at, printed_at, state, subtotal_micro,
    descuento_micro, traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro, credit_kind,
    delivery_date)
SELECT id, issuer, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
    uso_cfdi, terms, forma_pago, moneda, tipo_cambio, condiciones_de_pago, order_ref, notes, global_periodicidad,
    global_meses, global_anio, total, uuid, document_id, created_at, updated_at, printed_at, state, subtotal_micro,
    descuento_micro, traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro, credit_kind,
    delivery_date
FROM invoices;

DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;

CREATE INDEX invoices_list ON invoices (issuer, status, fecha DESC, id DESC);
CREATE INDEX invoices_fecha ON invoices (issuer, fecha DESC, id DESC);
CREATE INDEX invoices_customer ON invoices (customer_id, fecha DESC, id DESC);
CREATE INDEX invoices_folio ON invoices (folio) WHERE folio IS NOT NULL;
CREATE UNIQUE INDEX invoices_uuid ON invoices (uuid) WHERE uuid IS NOT NULL;
CREATE UNIQUE INDEX invoices_document ON invoices (document_id) WHERE document_id IS NOT NULL;
CREATE INDEX invoices_credit_list ON invoices (issuer, status, fecha DESC, id DESC) WHERE tipo = 'E';
CREATE INDEX invoices_credit_fecha ON invoices (issuer, fecha DESC, id DESC) WHERE tipo = 'E';
-- The payment receipts' own list walks small partial indexes, as the credit
-- notes' does.
CREATE INDEX invoices_payment_list ON invoices (issuer, status, fecha DESC, id DESC) WHERE tipo = 'P';
CREATE INDEX invoices_payment_fecha ON invoices (issuer, fecha DESC, id DESC) WHERE tipo = 'P';
