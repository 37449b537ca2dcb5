-- The cash or bank account a cash sale (PUE invoice) was collected into,
-- chosen when it is posted; NULL when its collection is not recorded then
-- ("cobro sin registrar", recorded later from Cobros as a deposit linked
-- to the invoice). The deposit itself is a bank_movements row written by
-- the posting transaction.
ALTER TABLE invoices ADD COLUMN deposit_account INTEGER REFERENCES bank_accounts (id);
