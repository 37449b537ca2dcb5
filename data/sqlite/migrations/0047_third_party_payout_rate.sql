-- The exchange rate of a payout (pesos per unit of its currency) when it
-- left a pesos account in another currency, or when it is reported in
-- pesos; '' when none. TEXT: it is never summed.
ALTER TABLE third_party_payouts ADD COLUMN tipo_cambio TEXT NOT NULL DEFAULT '';

-- The sales book reads a month's voided folios.
CREATE INDEX folios_void ON folios (issuer, taken_at) WHERE kind = 'void';
