package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/mailsql"
	"github.com/folio-mx/folio/domain/delivery"
)

// MailStore is the e-mail side of a Store: the SMTP settings of each
// company (mail_settings) and the delivery outbox (deliveries). The SMTP
// password is sealed with the installation key like the CSD password
// (companycsd_secret.go): the database never holds it in plain text.
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
// replacing earlier ones, with the password sealed (see the type doc). An
// empty password stores none. The issuer's queued deliveries become due at
// once, in the same transaction: they may have been waiting for these
// settings.
func (m *MailStore) SaveMailSettings(ctx context.Context, st delivery.SMTPSettings) error {
	st, sealed, err := mailsql.SealSettings("sqlite.MailStore.SaveMailSettings", st, m.s.SecretBox)
	if err != nil {
		return err
	}
	return m.s.WriteTx(ctx, func(tx *sql.Tx) error { return mailsql.SaveSettings(ctx, tx, st, sealed, m.s.Now()) })
}

// MailSettings returns the issuer's SMTP settings with the password opened.
// It is NotFound when none were saved, and Invalid when the stored password
// does not open (the database was moved without its secret file).
func (m *MailStore) MailSettings(ctx context.Context, issuerRFC string) (delivery.SMTPSettings, error) {
	const op = "sqlite.MailStore.MailSettings"
	st, sealed, err := mailsql.Settings(ctx, m.s.ReadDB(), op, issuerRFC)
	if err != nil {
		return st, mapErr(op, m.s.path, err)
	}
	return st, mailsql.OpenPassword(op, &st, sealed, m.s.SecretBox, "La contraseña de correo guardada no se puede leer (¿se copió la base de datos sin su archivo de claves?). Escríbala de nuevo en la configuración de correo.")
}
