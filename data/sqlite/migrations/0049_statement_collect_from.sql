-- A customer's statement reads its own receivables from invoices_statement
-- alone (0042) and those it pays for another receptor ("Cuenta x cobrar a",
-- invoices.collect_from, 0043) from invoices_receivable (0046). Telling the
-- two apart needs collect_from in the covering index.
DROP INDEX invoices_statement;
CREATE INDEX invoices_statement ON invoices (customer_id, tipo, fecha, id, issuer, state, due_date, moneda, total_micro, credit_kind, serie, folio,
    collect_from);
