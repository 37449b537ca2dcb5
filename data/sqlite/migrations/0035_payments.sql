-- Payment receipts (CFDI "Pago" with the Pagos 2.0 complement): the payment
-- received, one row per receipt, and the documents it pays. Amounts are in
-- micro-units (value × 10^6) as INTEGER, exact in SQL sums, like 0027.
-- EquivalenciaDR may carry ten decimals and is never summed: TEXT.
-- ImpuestosP and Totales are derived from the documents' taxes by the
-- domain (sales.Payment.Summary) and the sealed XML keeps them verbatim.
CREATE TABLE payments (
    invoice_id          INTEGER PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    fecha_pago          TEXT    NOT NULL,
    forma_de_pago_p     TEXT    NOT NULL,
    moneda_p            TEXT    NOT NULL,
    tipo_cambio_p_micro INTEGER NOT NULL,
    monto_micro         INTEGER NOT NULL,
    num_operacion       TEXT    NOT NULL DEFAULT '',
    account_id          INTEGER
) STRICT;

-- Each document a payment pays (pago20:DoctoRelacionado); related_id is the
-- invoice in this installation. What an invoice has been paid is the sum of
-- pagado_micro over its rows whose payment is live.
CREATE TABLE payment_documents (
    payment_id           INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    n                    INTEGER NOT NULL,
    related_id           INTEGER NOT NULL REFERENCES invoices (id),
    uuid                 TEXT    NOT NULL,
    serie                TEXT    NOT NULL DEFAULT '',
    folio                INTEGER,
    moneda_dr            TEXT    NOT NULL,
    equivalencia_dr      TEXT    NOT NULL,
    num_parcialidad      INTEGER NOT NULL,
    saldo_ant_micro      INTEGER NOT NULL,
    pagado_micro         INTEGER NOT NULL,
    saldo_insoluto_micro INTEGER NOT NULL,
    objeto_imp_dr        TEXT    NOT NULL,
    PRIMARY KEY (payment_id, n)
) STRICT, WITHOUT ROWID;

CREATE INDEX payment_documents_related ON payment_documents (related_id);

-- TrasladosDR and RetencionesDR of each paid document (micro-units).
CREATE TABLE payment_document_taxes (
    payment_id    INTEGER NOT NULL,
    doc_n         INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    retencion     INTEGER NOT NULL CHECK (retencion IN (0, 1)),
    impuesto      TEXT    NOT NULL,
    tipo_factor   TEXT    NOT NULL,
    tasa_micro    INTEGER NOT NULL,
    base_micro    INTEGER NOT NULL,
    importe_micro INTEGER NOT NULL,
    PRIMARY KEY (payment_id, doc_n, n),
    FOREIGN KEY (payment_id, doc_n) REFERENCES payment_documents (payment_id, n) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
