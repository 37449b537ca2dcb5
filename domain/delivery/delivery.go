package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// State is where a delivery stands.
type State string

// Delivery states. Queued and Sending are pending; Sent and Failed are final.
const (
	StateQueued  State = "queued"  // waiting for its next attempt (or for the document's stamp)
	StateSending State = "sending" // an attempt is in flight (or was, when the process died)
	StateSent    State = "sent"    // the server accepted the message
	StateFailed  State = "failed"  // refused or impossible; LastError says why
)

// Label is the Spanish name of the state shown to users.
func (s State) Label() string {
	switch s {
	case StateQueued:
		return "Por enviar"
	case StateSending:
		return "Enviando"
	case StateSent:
		return "Enviado"
	case StateFailed:
		return "No enviado"
	}
	return string(s)
}

// Pending reports whether the worker still has to send the delivery.
func (s State) Pending() bool { return s == StateQueued || s == StateSending }

// Security is how the connection to the SMTP server is protected.
type Security int

const (
	// STARTTLS connects in clear text (usually port 587) and upgrades to TLS
	// before authenticating.
	STARTTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (usually port 465).
	ImplicitTLS
)

// Label is the Spanish name of the security mode shown in the settings form.
func (s Security) Label() string {
	if s == ImplicitTLS {
		return "TLS implícito"
	}
	return "STARTTLS"
}

// SMTPSettings are the SMTP account one company (issuer RFC) sends its
// documents from. Password is the clear text only in memory: stores keep it
// encrypted and nothing may log it (design decision 10).
type SMTPSettings struct {
	IssuerRFC string
	Host      string
	Port      int // 0 means 587 for STARTTLS and 465 for ImplicitTLS
	Security  Security
	User      string // empty: no authentication
	Password  string
	From      string // sender address; empty means User
	FromName  string // display name, e.g. the company name
}

// String describes s for logs without the password.
func (s SMTPSettings) String() string {
	return fmt.Sprintf("smtp %s:%d (%s) user %q from %q", s.Host, s.Port, s.Security.Label(), s.User, s.From)
}

// GoString hides the password from %#v as well.
func (s SMTPSettings) GoString() string { return s.String() }

// Validate checks the settings before they are saved or tried. It reports
// every problem at once as domain.Invalid errors joined with errors.Join.
func (s SMTPSettings) Validate() error {
	const op = "delivery.SMTPSettings.Validate"
	var errs []error
	bad := func(msg string) { errs = append(errs, domain.E(domain.Invalid, op, msg, nil)) }
	if strings.TrimSpace(s.IssuerRFC) == "" {
		bad("Falta la empresa a la que pertenece la configuración de correo.")
	}
	host := strings.TrimSpace(s.Host)
	switch {
	case host == "":
		bad("Escriba el servidor de correo (SMTP), p. ej. smtp.gmail.com.")
	case strings.ContainsAny(host, " /:@"):
		bad("El servidor de correo debe ser solo el nombre, sin «smtp://», usuario ni puerto.")
	}
	if s.Port < 0 || s.Port > 65535 {
		bad("El puerto debe ser un número entre 1 y 65535 (587 para STARTTLS, 465 para TLS implícito).")
	}
	if s.Security != STARTTLS && s.Security != ImplicitTLS {
		bad("Elija la seguridad de la conexión: STARTTLS o TLS implícito.")
	}
	from := s.From
	if from == "" {
		from = s.User
	}
	if from == "" {
		bad("Escriba la dirección del remitente (o un usuario que sea una dirección de correo).")
	} else if _, err := mail.ParseAddress(from); err != nil {
		bad("La dirección del remitente no es válida.")
	}
	if s.User != "" && s.Password == "" {
		bad("Escriba la contraseña del usuario de correo.")
	}
	return errors.Join(errs...)
}

// ParseRecipients splits and checks e-mail addresses (one per item, or
// several separated by commas, semicolons or new lines), dropping blanks and
// duplicates. At least one address is required; each bad one is reported as
// a domain.Invalid error.
func ParseRecipients(items ...string) ([]string, error) {
	const op = "delivery.ParseRecipients"
	var out []string
	var errs []error
	seen := map[string]bool{}
	for _, it := range items {
		for _, f := range strings.FieldsFunc(it, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			a, err := mail.ParseAddress(f)
			if err != nil {
				errs = append(errs, domain.E(domain.Invalid, op, fmt.Sprintf("La dirección de correo %q no es válida.", f), err))
				continue
			}
			key := strings.ToLower(a.Address)
			if !seen[key] {
				seen[key] = true
				out = append(out, a.Address)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, domain.E(domain.Invalid, op, "Escriba al menos una dirección de correo del cliente.", nil)
	}
	return out, nil
}

// Message is an e-mail that is not a stamped document (an account
// statement, say): its Spanish subject and body, and its files.
type Message struct {
	Subject     string
	Body        string // plain text
	Attachments []Attachment
}

// Attachment is a file attached to a Message, kept byte for byte.
type Attachment struct {
	Name        string // file name shown to the recipient
	ContentType string // "application/pdf"
	Data        []byte
}

// Delivery is one e-mail of a document to its customer, or of a Message,
// as stored.
type Delivery struct {
	ID            int64
	DocumentID    int64  // 0 for a message
	Subject       string // a message's; "" for a document
	To            []string
	State         State
	Attempts      int
	NextAttemptAt time.Time // zero once final
	LastError     string    // Spanish reason of the last failed attempt
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
}

// DocumentState is the stamping state of the delivered document, as far as
// the outbox cares.
type DocumentState int

// Document states seen by the outbox.
const (
	DocumentStamped  DocumentState = iota // stamped XML stored: it can be sent
	DocumentPending                       // still waiting for its stamp
	DocumentRejected                      // rejected or expired: it will never be stamped as it is
)

// Job is a claimed delivery: what the worker needs for one attempt.
type Job struct {
	ID         int64
	DocumentID int64
	IssuerRFC  string
	To         []string
	// XML is the stored stamped XML, byte for byte (nil unless DocState is
	// DocumentStamped).
	XML       []byte
	DocState  DocumentState
	Cancelled bool // SAT accepted the document's cancellation
	Attempts  int  // including the attempt just claimed
	// Message is what a delivery that is not a document sends (DocumentID
	// 0); nil for a document.
	Message *Message
}

// Store is the outbox's persistence. Every method is atomic.
type Store interface {
	// Enqueue stores a queued delivery of the document to the recipients,
	// due at now, in one transaction, and returns its id. A document that
	// does not exist is NotFound; one that was rejected or expired is
	// Conflict.
	Enqueue(ctx context.Context, documentID int64, to []string, now time.Time) (int64, error)
	// EnqueueMessage stores a queued delivery of m from the company with
	// RFC issuerRFC to the recipients, its attachments included, due at
	// now, in one transaction, and returns its id.
	EnqueueMessage(ctx context.Context, issuerRFC string, to []string, m Message, now time.Time) (int64, error)
	// Claim marks up to limit due deliveries (queued with next attempt ≤
	// now, or sending with an expired lease) whose document is not waiting
	// for its stamp as sending, with a lease until leaseUntil, counts the
	// attempt and returns them. A delivery is never returned twice while its
	// lease holds.
	Claim(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Job, error)
	// NextDue returns the earliest instant a pending delivery may be
	// claimed. Deliveries whose document waits for its stamp are left out:
	// the worker polls for them, or is kicked when a stamp arrives.
	NextDue(ctx context.Context) (t time.Time, ok bool, err error)
	// ReleaseLeases makes every sending delivery claimable at once. Call it
	// only when no other worker uses the database (start-up after a crash).
	ReleaseLeases(ctx context.Context) error
	// MarkSent ends a delivery as sent.
	MarkSent(ctx context.Context, id int64, now time.Time) error
	// Retry schedules the next attempt, keeping the Spanish reason.
	Retry(ctx context.Context, id int64, next time.Time, reason string, now time.Time) error
	// Fail ends a delivery as failed with the Spanish reason.
	Fail(ctx context.Context, id int64, reason string, now time.Time) error
	// Delivery returns one delivery; NotFound if absent.
	Delivery(ctx context.Context, id int64) (Delivery, error)
	// DeliveryStates returns, for each document id that has deliveries, the
	// state of its newest one. Documents never sent are absent.
	DeliveryStates(ctx context.Context, documentIDs []int64) (map[int64]State, error)
}

// SettingsStore keeps the SMTP settings of each company.
type SettingsStore interface {
	// MailSettings returns the settings of the issuer, password decrypted;
	// NotFound when none were saved.
	MailSettings(ctx context.Context, issuerRFC string) (SMTPSettings, error)
	// SaveMailSettings inserts or replaces the issuer's settings, storing
	// the password encrypted.
	SaveMailSettings(ctx context.Context, s SMTPSettings) error
}

// Mailer sends one document. Implementations build the Spanish message that
// names the document from c, attach xml and pdf byte for byte, honour ctx,
// and return domain errors: Unavailable when the server cannot be reached
// (worth retrying), Rejected or Invalid when it refuses.
type Mailer interface {
	SendDocument(ctx context.Context, s SMTPSettings, to []string, c *cfdi.Comprobante, xml, pdf []byte) error
	// SendMessage sends m as it is, with the same errors as SendDocument.
	SendMessage(ctx context.Context, s SMTPSettings, to []string, m Message) error
}
