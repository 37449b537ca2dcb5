-- The warehouse (bodega) an invoice's stock exit leaves from (issue 15),
-- chosen in the editor or with "bodega" in `folio post`; NULL is the
-- company's default warehouse. A return still goes back to the warehouse
-- of its invoice's exit (its movement says which).
ALTER TABLE invoices ADD COLUMN warehouse_id INTEGER REFERENCES warehouses (id);
