package mailsql

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/secret"
)

// SealContext binds a sealed SMTP password to its issuer, so a value
// copied to another company's row does not open.
func SealContext(issuerRFC string) string {
	return "folio/mail/" + issuerRFC + "/smtp-password"
}

func securityText(s delivery.Security) string {
	if s == delivery.ImplicitTLS {
		return "tls"
	}
	return "starttls"
}

// SaveSettings stores, in tx, the issuer's SMTP settings (already
// validated, st.IssuerRFC in upper case) with the password as sealed,
// replacing earlier ones, and makes the issuer's queued deliveries due at
// once: they may have been waiting for these settings.
func SaveSettings(ctx context.Context, tx Q, st delivery.SMTPSettings, sealed []byte, now time.Time) error {
	n := TimeText(now)
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_settings (issuer_rfc, host, port, security, username, password_sealed, from_address, from_name, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (issuer_rfc) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
			username = excluded.username, password_sealed = excluded.password_sealed, from_address = excluded.from_address,
			from_name = excluded.from_name, updated_at = excluded.updated_at`,
		st.IssuerRFC, st.Host, st.Port, securityText(st.Security), st.User, sealed, st.From, st.FromName, n)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1
		AND (issuer_rfc = ?2 OR document_id IN (SELECT id FROM documents WHERE issuer_rfc = ?2))`, n, st.IssuerRFC)
	return err
}

// Settings returns the issuer's SMTP settings without the password, and
// the password as sealed (none when empty). It is NotFound when none were
// saved.
func Settings(ctx context.Context, q Q, op, issuerRFC string) (delivery.SMTPSettings, []byte, error) {
	var st delivery.SMTPSettings
	var security string
	var sealed []byte
	err := q.QueryRowContext(ctx, `SELECT issuer_rfc, host, port, security, username, password_sealed, from_address, from_name
		FROM mail_settings WHERE issuer_rfc = ?`, strings.ToUpper(strings.TrimSpace(issuerRFC))).
		Scan(&st.IssuerRFC, &st.Host, &st.Port, &security, &st.User, &sealed, &st.From, &st.FromName)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil, domain.E(domain.NotFound, op, "La empresa no tiene configurado el correo (servidor SMTP).", err)
	}
	if err != nil {
		return st, nil, err
	}
	if security == "tls" {
		st.Security = delivery.ImplicitTLS
	}
	return st, sealed, nil
}

// SealSettings trims and validates st and seals its password (none when
// empty) with the installation key box(true) gives: what SaveSettings
// stores.
func SealSettings(op string, st delivery.SMTPSettings, box func(create bool) (*secret.Box, error)) (delivery.SMTPSettings, []byte, error) {
	st.IssuerRFC = strings.ToUpper(strings.TrimSpace(st.IssuerRFC))
	st.Host = strings.TrimSpace(st.Host)
	st.User, st.From, st.FromName = strings.TrimSpace(st.User), strings.TrimSpace(st.From), strings.TrimSpace(st.FromName)
	if err := st.Validate(); err != nil {
		return st, nil, err
	}
	if st.Password == "" {
		return st, nil, nil
	}
	b, err := box(true)
	if err != nil {
		return st, nil, err
	}
	sealed, err := b.Seal([]byte(st.Password), SealContext(st.IssuerRFC))
	if err != nil {
		return st, nil, domain.E(domain.Internal, op, "No se pudo proteger la contraseña de correo.", err)
	}
	return st, sealed, nil
}

// OpenPassword sets st.Password from sealed (nothing when empty) with the
// installation key box(false) gives; a password that does not open is
// Invalid with unreadable, the store's message telling the user why.
func OpenPassword(op string, st *delivery.SMTPSettings, sealed []byte, box func(create bool) (*secret.Box, error), unreadable string) error {
	if len(sealed) == 0 {
		return nil
	}
	b, err := box(false)
	if err != nil {
		return domain.E(domain.Invalid, op, unreadable, err)
	}
	pw, err := b.Open(sealed, SealContext(st.IssuerRFC))
	if err != nil {
		return domain.E(domain.Invalid, op, unreadable, err)
	}
	st.Password = string(pw)
	return nil
}
