-- A company may stamp at Finkok as well as at SW sapien (issue 16): the
-- vendor of its PAC account, and an optional second account the stamp
-- worker fails over to after after_minutes without an answer. Same as
-- SQLite's migration 0055.
ALTER TABLE company_pac ADD COLUMN vendor TEXT NOT NULL DEFAULT 'sw' CHECK (vendor IN ('sw', 'finkok'));

CREATE TABLE company_pac_secondary (
    company_id      BIGINT PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    vendor          TEXT NOT NULL CHECK (vendor IN ('sw', 'finkok')),
    environment     TEXT NOT NULL CHECK (environment IN ('pruebas', 'produccion')),
    services_url    TEXT NOT NULL DEFAULT '',
    user_sealed     BYTEA,
    password_sealed BYTEA,
    token_sealed    BYTEA,
    after_minutes   INTEGER NOT NULL CHECK (after_minutes BETWEEN 1 AND 1440),
    updated_at      TIMESTAMPTZ NOT NULL
);
