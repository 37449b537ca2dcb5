-- The cash or bank account a credit note of a cash sale (PUE) pays its
-- refund from; NULL when the refund is not recorded (a credit sale's note
-- is set off against what the customer owes instead).
ALTER TABLE invoices ADD COLUMN refund_account INTEGER REFERENCES bank_accounts (id);
