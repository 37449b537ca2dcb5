package postgres

import (
	"context"

	"github.com/folio-mx/folio/data/internal/mailsql"
	"github.com/folio-mx/folio/domain/delivery"
)

// MailStore is the e-mail side of a Store: the SMTP settings of each
// company (mail_settings) and the delivery outbox (deliveries), the
// SQLite store's MailStore on the server. The SMTP password is sealed with
// the installation key like the CSD password (companycsd_secret.go). The
// outbox is shared by the workstations: a delivery is leased by one
// worker at a time (Claim skips the rows another one is claiming), and a
// workstation starting up releases only the leases of workers that are
// gone, as the stamp queue does.
type MailStore struct {
	s *Store
}

var (
	_ delivery.Store         = (*MailStore)(nil)
	_ delivery.SettingsStore = (*MailStore)(nil)
)

// NewMailStore returns the mail settings and outbox of s.
func NewMailStore(s *Store) *MailStore { return &MailStore{s: s} }

// SaveMailSettings validates and stores the issuer's SMTP settings,
// replacing earlier ones, with the password sealed. An empty password
// stores none. The issuer's queued deliveries become due at once, in the
// same transaction: they may have been waiting for these settings.
func (m *MailStore) SaveMailSettings(ctx context.Context, st delivery.SMTPSettings) error {
	st, sealed, err := mailsql.SealSettings("postgres.MailStore.SaveMailSettings", st, m.s.SecretBox)
	if err != nil {
		return err
	}
	return m.s.WriteTx(ctx, func(tx *Tx) error { return mailsql.SaveSettings(ctx, tx, st, sealed, m.s.Now()) })
}

// MailSettings returns the issuer's SMTP settings with the password opened.
// It is NotFound when none were saved, and Invalid when the stored password
// does not open (this workstation lacks the installation key it was
// sealed with).
func (m *MailStore) MailSettings(ctx context.Context, issuerRFC string) (delivery.SMTPSettings, error) {
	const op = "postgres.MailStore.MailSettings"
	st, sealed, err := mailsql.Settings(ctx, m.s.ReadDB(), op, issuerRFC)
	if err != nil {
		return st, mapErr(op, m.s.name, err)
	}
	return st, mailsql.OpenPassword(op, &st, sealed, m.s.SecretBox, "La contraseña de correo guardada no se puede leer en esta computadora (le falta la clave de las contraseñas guardadas). Escríbala de nuevo en la configuración de correo.")
}
