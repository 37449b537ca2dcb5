-- The column SQLite's migration 0058 added to invoices: the warehouse an
-- invoice's stock exit leaves from (NULL: the company's default), so that
-- `folio migrate --to` copies it. Warehouses are not on PostgreSQL yet,
-- hence no foreign key.
ALTER TABLE invoices ADD COLUMN warehouse_id BIGINT;
