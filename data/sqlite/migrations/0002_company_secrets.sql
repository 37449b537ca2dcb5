-- Per company: the CSD, the PAC account and the logo. Secrets (the .key
-- file, its password, the PAC user, password and token) are stored sealed
-- with AES-256-GCM under the installation key kept in the secret file beside
-- the database (see companycsd_secret.go); the database never holds them in
-- plain text. The administrator password is a settings row
-- ('admin_password': an Argon2id hash).

CREATE TABLE company_csd (
    company_id      INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    no_certificado  TEXT NOT NULL,
    rfc             TEXT NOT NULL,
    nombre          TEXT NOT NULL,
    not_before      TEXT NOT NULL,
    not_after       TEXT NOT NULL,
    cer_der         BLOB NOT NULL,
    key_sealed      BLOB NOT NULL,
    password_sealed BLOB NOT NULL,
    uploaded_at     TEXT NOT NULL
) STRICT;

CREATE TABLE company_pac (
    company_id      INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    environment     TEXT NOT NULL CHECK (environment IN ('local', 'pruebas', 'produccion')),
    user_sealed     BLOB,
    password_sealed BLOB,
    token_sealed    BLOB,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE company_logo (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    logo       BLOB NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
