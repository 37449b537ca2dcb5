-- When the stamp queue records a document's stamp, its invoice moves to the
-- "Emitidas" tab with its UUID, in the same transaction.
CREATE TRIGGER invoices_follow_stamp AFTER UPDATE OF state ON documents
WHEN new.state = 'stamped' BEGIN
    UPDATE invoices SET status = 'stamped', uuid = new.uuid, updated_at = new.updated_at
    WHERE document_id = new.id AND status = 'sealed';
END;
