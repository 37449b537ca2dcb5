-- Each company stamps at its own PAC account, and a document whose outcome
-- at one account is unknown is sent to no other account until that account
-- settles it (decision 13).

-- pac_account is the key of the account the document was last sent to: it
-- names the account without secrets (environment, services URL and a hash
-- of the user or token; 'local' for the local PAC of demo mode). '' means
-- never sent, or sent before this migration. pac_unsettled is 1 from the
-- moment an attempt leaves for pac_account until an answer from that
-- account says whether it stamped the document (a stamp or a refusal); a
-- timeout, a lost reply or a crash mid-send leave it 1.
ALTER TABLE documents ADD COLUMN pac_account TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN pac_unsettled INTEGER NOT NULL DEFAULT 0 CHECK (pac_unsettled IN (0, 1));

-- The account that gave each answer ('' when nothing was sent).
ALTER TABLE stamp_attempts ADD COLUMN pac_account TEXT NOT NULL DEFAULT '';
