-- The installation key shared by the workstations (issue 17): the data
-- key that seals the companies' secrets, kept only wrapped under a key
-- derived with Argon2id from the administrator password
-- (domain/secret.WrapKey; NULL until an administrator password is set).
-- database_id names this database's key in each workstation's keychain
-- or key folder. One row.
CREATE TABLE installation_key (
    one         BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    database_id TEXT NOT NULL,
    wrapped     TEXT,
    updated_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO installation_key (database_id, updated_at) VALUES (gen_random_uuid()::text, now());
