package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/folio-mx/folio/domain"
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

// mailSealContext binds a sealed SMTP password to its issuer, so a value
// copied to another company's row does not open (the SQLite store's
// context: a password sealed in a file opens on the server).
func mailSealContext(issuerRFC string) string {
	return "folio/mail/" + issuerRFC + "/smtp-password"
}

func securityText(s delivery.Security) string {
	if s == delivery.ImplicitTLS {
		return "tls"
	}
	return "starttls"
}

// SaveMailSettings validates and stores the issuer's SMTP settings,
// replacing earlier ones, with the password sealed. An empty password
// stores none. The issuer's queued deliveries become due at once, in the
// same transaction: they may have been waiting for these settings.
func (m *MailStore) SaveMailSettings(ctx context.Context, st delivery.SMTPSettings) error {
	const op = "postgres.MailStore.SaveMailSettings"
	st.IssuerRFC = strings.ToUpper(strings.TrimSpace(st.IssuerRFC))
	st.Host = strings.TrimSpace(st.Host)
	st.User, st.From, st.FromName = strings.TrimSpace(st.User), strings.TrimSpace(st.From), strings.TrimSpace(st.FromName)
	if err := st.Validate(); err != nil {
		return err
	}
	var sealed []byte
	if st.Password != "" {
		box, err := m.s.SecretBox(true)
		if err != nil {
			return err
		}
		if sealed, err = box.Seal([]byte(st.Password), mailSealContext(st.IssuerRFC)); err != nil {
			return domain.E(domain.Internal, op, "No se pudo proteger la contraseña de correo.", err)
		}
	}
	now := stampTime(m.s.Now())
	return m.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_settings (issuer_rfc, host, port, security, username, password_sealed, from_address, from_name, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (issuer_rfc) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
				username = excluded.username, password_sealed = excluded.password_sealed, from_address = excluded.from_address,
				from_name = excluded.from_name, updated_at = excluded.updated_at`,
			st.IssuerRFC, st.Host, st.Port, securityText(st.Security), st.User, sealed, st.From, st.FromName, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1
			AND (issuer_rfc = ?2 OR document_id IN (SELECT id FROM documents WHERE issuer_rfc = ?2))`, now, st.IssuerRFC)
		return err
	})
}

// MailSettings returns the issuer's SMTP settings with the password opened.
// It is NotFound when none were saved, and Invalid when the stored password
// does not open (this workstation lacks the installation key it was
// sealed with).
func (m *MailStore) MailSettings(ctx context.Context, issuerRFC string) (delivery.SMTPSettings, error) {
	const op = "postgres.MailStore.MailSettings"
	var st delivery.SMTPSettings
	var security string
	var sealed []byte
	err := m.s.ReadDB().QueryRowContext(ctx, `SELECT issuer_rfc, host, port, security, username, password_sealed, from_address, from_name
		FROM mail_settings WHERE issuer_rfc = ?`, strings.ToUpper(strings.TrimSpace(issuerRFC))).
		Scan(&st.IssuerRFC, &st.Host, &st.Port, &security, &st.User, &sealed, &st.From, &st.FromName)
	if errors.Is(err, sql.ErrNoRows) {
		return st, domain.E(domain.NotFound, op, "La empresa no tiene configurado el correo (servidor SMTP).", err)
	}
	if err != nil {
		return st, mapErr(op, m.s.name, err)
	}
	if security == "tls" {
		st.Security = delivery.ImplicitTLS
	}
	if len(sealed) > 0 {
		unreadable := func(err error) error {
			return domain.E(domain.Invalid, op, "La contraseña de correo guardada no se puede leer en esta computadora (le falta la clave de las contraseñas guardadas). Escríbala de nuevo en la configuración de correo.", err)
		}
		box, err := m.s.SecretBox(false)
		if err != nil {
			return st, unreadable(err)
		}
		pw, err := box.Open(sealed, mailSealContext(st.IssuerRFC))
		if err != nil {
			return st, unreadable(err)
		}
		st.Password = string(pw)
	}
	return st, nil
}
