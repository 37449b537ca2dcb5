-- When an invoice's PDF was first produced, for the list's CFDI column
-- (--- not stamped, TFD stamped, PDF stamped and printed). '' = never.
ALTER TABLE invoices ADD COLUMN printed_at TEXT NOT NULL DEFAULT '';
