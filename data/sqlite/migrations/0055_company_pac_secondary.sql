-- A company may stamp at Finkok as well as at SW sapien (issue 16): the
-- vendor of its PAC account, and an optional second account the stamp
-- worker fails over to when the first has been unreachable for
-- after_minutes ("Cambiar al secundario tras N minutos sin respuesta").
-- The secondary's credentials are sealed like the primary's, each under
-- its own place (folio/company/N/pac2-…), so neither opens as the other.
ALTER TABLE company_pac ADD COLUMN vendor TEXT NOT NULL DEFAULT 'sw' CHECK (vendor IN ('sw', 'finkok'));

CREATE TABLE company_pac_secondary (
    company_id      INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    vendor          TEXT NOT NULL CHECK (vendor IN ('sw', 'finkok')),
    environment     TEXT NOT NULL CHECK (environment IN ('pruebas', 'produccion')),
    services_url    TEXT NOT NULL DEFAULT '',
    user_sealed     BLOB,
    password_sealed BLOB,
    token_sealed    BLOB,
    after_minutes   INTEGER NOT NULL CHECK (after_minutes BETWEEN 1 AND 1440),
    updated_at      TEXT NOT NULL
) STRICT;
