-- When SAT confirms a cancellation (Estado "Cancelado" from the status
-- service, or code 202 "previously cancelled"), the invoice moves to the
-- "Canceladas" tab in the same transaction that records it.
CREATE TRIGGER invoices_follow_cancel_insert AFTER INSERT ON cancellations
WHEN new.estado = 'Cancelado' OR new.estatus_uuid = '202' BEGIN
    UPDATE invoices SET status = 'cancelled', updated_at = substr(new.requested_at, 1, 19) || 'Z'
    WHERE document_id = new.document_id AND status = 'stamped';
END;

CREATE TRIGGER invoices_follow_cancel AFTER UPDATE OF estado ON cancellations
WHEN new.estado = 'Cancelado' BEGIN
    UPDATE invoices SET status = 'cancelled', updated_at = substr(new.checked_at, 1, 19) || 'Z'
    WHERE document_id = new.document_id AND status = 'stamped';
END;

-- A document re-dated and re-sealed after SAT's 72-hour window keeps its
-- invoice's Fecha in step (documents keep nanoseconds, invoices seconds).
CREATE TRIGGER invoices_follow_redate AFTER UPDATE OF fecha ON documents BEGIN
    UPDATE invoices SET fecha = substr(new.fecha, 1, 19) || 'Z' WHERE document_id = new.id;
END;
