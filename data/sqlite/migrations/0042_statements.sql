-- Account statements (estado de cuenta). A customer's documents of each
-- type in date order, carrying what a statement reads of them, so that
-- Movements and MovementsBetween walk one range of this index per type
-- (invoices, credit notes, payment receipts) and SQLite merges the three
-- in date order without sorting (EXPLAIN QUERY PLAN: MERGE (UNION ALL)).
CREATE INDEX invoices_statement ON invoices (customer_id, tipo, fecha, id, issuer, state, due_date, moneda, total_micro, credit_kind, serie, folio);

