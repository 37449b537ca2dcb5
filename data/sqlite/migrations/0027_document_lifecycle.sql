-- The domain owns a document's life (design decisions 11 and 12).
--
-- state is the lifecycle state decided by domain/sales (lifecycle.go):
-- draft, sealed, rejected, stamped, cancel_requested, cancel_rejected,
-- cancelled. status stays the list tab it maps to (State.Status), kept for
-- the list's index. Both are written by the store with what the domain
-- decided; the triggers that used to move invoices along are dropped.
ALTER TABLE invoices ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'sealed', 'rejected', 'stamped', 'cancel_requested', 'cancel_rejected', 'cancelled'));

UPDATE invoices SET state = CASE
    WHEN status = 'cancelled' THEN 'cancelled'
    WHEN status = 'sealed' AND EXISTS (SELECT 1 FROM documents d WHERE d.id = invoices.document_id AND d.state = 'rejected')
        THEN 'rejected'
    WHEN status = 'sealed' THEN 'sealed'
    WHEN status = 'stamped' THEN COALESCE((
        SELECT CASE WHEN c.estatus_cancelacion = 'Solicitud rechazada' THEN 'cancel_rejected' ELSE 'cancel_requested' END
        FROM cancellations c WHERE c.document_id = invoices.document_id ORDER BY c.id DESC LIMIT 1), 'stamped')
    ELSE 'draft' END
WHERE status <> 'draft';

DROP TRIGGER invoices_follow_stamp;
DROP TRIGGER invoices_follow_cancel_insert;
DROP TRIGGER invoices_follow_cancel;
DROP TRIGGER invoices_follow_redate;

-- Derived amounts of a posted document, in micro-units (value × 10^6) as
-- INTEGER so that SQL sums are exact; NULL while a draft. tipo_cambio is 1
-- for MXN; total_mxn is the total in pesos (tax.RoundMXN).
ALTER TABLE invoices ADD COLUMN subtotal_micro INTEGER;
ALTER TABLE invoices ADD COLUMN descuento_micro INTEGER;
ALTER TABLE invoices ADD COLUMN traslados_micro INTEGER;
ALTER TABLE invoices ADD COLUMN retenciones_micro INTEGER;
ALTER TABLE invoices ADD COLUMN total_micro INTEGER;
ALTER TABLE invoices ADD COLUMN tipo_cambio_micro INTEGER;
ALTER TABLE invoices ADD COLUMN total_mxn_micro INTEGER;

-- Taxes of a posted document by tax, factor and rate (micro-units).
CREATE TABLE invoice_taxes (
    invoice_id    INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    n             INTEGER NOT NULL,
    retencion     INTEGER NOT NULL CHECK (retencion IN (0, 1)),
    impuesto      TEXT    NOT NULL,
    tipo_factor   TEXT    NOT NULL,
    tasa_micro    INTEGER NOT NULL,
    base_micro    INTEGER NOT NULL,
    importe_micro INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, n)
) STRICT, WITHOUT ROWID;

-- CfdiRelacionados of a document: relation type and the related CFDI's
-- UUID; related_id when the related document was issued here.
CREATE TABLE invoice_relations (
    invoice_id    INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    n             INTEGER NOT NULL,
    tipo_relacion TEXT    NOT NULL,
    uuid          TEXT    NOT NULL,
    related_id    INTEGER REFERENCES invoices (id),
    PRIMARY KEY (invoice_id, n)
) STRICT, WITHOUT ROWID;

CREATE INDEX invoice_relations_related ON invoice_relations (related_id) WHERE related_id IS NOT NULL;
CREATE INDEX invoice_relations_uuid ON invoice_relations (uuid);

-- Posted documents whose amounts and relations are still to be read from
-- their sealed XML, once, by the store after migrating (backfill.go).
CREATE TABLE pending_backfills (name TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
INSERT INTO pending_backfills (name) VALUES ('document_amounts');
