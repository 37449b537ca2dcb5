-- The list of credit notes (tipo 'E'): its pages walk these small partial
-- indexes, one per kind of page as invoices_list and invoices_fecha, instead
-- of every invoice. The invoices' own list (tipo 'I', the bulk of the
-- table) keeps walking invoices_list and invoices_fecha.
CREATE INDEX invoices_credit_list ON invoices (issuer, status, fecha DESC, id DESC) WHERE tipo = 'E';
CREATE INDEX invoices_credit_fecha ON invoices (issuer, fecha DESC, id DESC) WHERE tipo = 'E';
