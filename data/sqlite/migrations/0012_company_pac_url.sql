-- A company's PAC account may name the PAC's services base URL when it is
-- not its environment's default host: a provider's own host, or a local PAC
-- such as `folio pac-sim` (PACSettings.URL). It is not a secret and never
-- carries credentials; '' means the environment's hosts.
ALTER TABLE company_pac ADD COLUMN services_url TEXT NOT NULL DEFAULT '';
