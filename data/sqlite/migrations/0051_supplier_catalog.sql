-- The suppliers catalog (issue 15) grows from the rows the import of
-- received CFDI fills (0045): postal code, contact, e-mail, phone, credit
-- days and whether it is active.
ALTER TABLE suppliers ADD COLUMN codigo_postal TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN credit_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE suppliers ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
