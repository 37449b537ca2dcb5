-- The columns SQLite's stock (migration 0050) added to tables the server
-- already has, so that `folio migrate --to` copies products and invoices of
-- an installation that keeps stock. Stock itself (warehouses, movements,
-- levels) is not on PostgreSQL yet.
ALTER TABLE products ADD COLUMN sell_without_stock BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE products ADD COLUMN min_stock NUMERIC NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN reverted_at TIMESTAMPTZ;
