package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// Store is what the wiring shared by the window and the commands needs
// from a store, whichever it is: the SQLite file of one computer
// (*sqlite.Store) or the PostgreSQL server of several workstations
// (*postgres.Store).
type Store interface {
	sales.InvoiceStore
	sales.CustomerStore
	sales.ProductStore
	sales.SeriesStore
	sales.CompanySecretStore
	sales.SecretKeys
	sales.Directory
	banks.Store
	ListCompanies(ctx context.Context) ([]sales.Company, error)
	SaveCompany(ctx context.Context, c *sales.Company) error
	SetActiveCompany(ctx context.Context, id int64) error
	ActiveCompany(ctx context.Context) (*sales.Company, error)
	CompanyPACSettings(ctx context.Context, companyID int64) (sales.PACSettings, error)
	CompanySecondaryPAC(ctx context.Context, companyID int64) (*sales.PACFailover, error)
	// Path names the database for messages: the SQLite file, or the
	// server's address without its password.
	Path() string
	Now() time.Time
	io.Closer
}

var (
	_ Store = (*postgres.Store)(nil)
	_ Store = (*sqlite.Store)(nil)
)

// StampQueue is a store's stamp queue with what `folio sync` and the
// window read of it.
type StampQueue interface {
	stamping.Store
	RetryAllNow(ctx context.Context, now time.Time) (int, error)
	QueueActivity(ctx context.Context, now time.Time) (sending, due int, err error)
	QueueCounts(ctx context.Context) (waiting, attention int, err error)
	// The cancellations (stamping.Cancellations' Store and Guard).
	stamping.CancelStore
	stamping.CancelGuard
	// RetryIssuerNow makes a company's waiting documents due at once (its
	// PAC settings changed).
	RetryIssuerNow(ctx context.Context, issuerRFC string, now time.Time) (int, error)
}

// Mails is a store's mail outbox with the companies' mail settings and
// the export of stamped documents (*sqlite.MailStore and
// *postgres.MailStore).
type Mails interface {
	delivery.Store
	delivery.SettingsStore
	ExportDocuments(ctx context.Context, issuerRFC string, from, to time.Time) ([]delivery.ExportDoc, error)
}

// MailsOf returns the mail outbox of s (a *sqlite.Store or a
// *postgres.Store).
func MailsOf(s Store) Mails {
	switch st := s.(type) {
	case *sqlite.Store:
		return sqlite.NewMailStore(st)
	case *postgres.Store:
		return postgres.NewMailStore(st)
	}
	panic(fmt.Sprintf("wire.MailsOf: unknown store %T", s))
}

// QueueOf returns the stamp queue of s (a *sqlite.Store or a
// *postgres.Store).
func QueueOf(s Store) StampQueue {
	switch st := s.(type) {
	case *sqlite.Store:
		return sqlite.NewStampStore(st)
	case *postgres.Store:
		return postgres.NewStampStore(st)
	}
	panic(fmt.Sprintf("wire.QueueOf: unknown store %T", s))
}

// IsServer reports whether db (--db or FOLIO_DB) names a PostgreSQL
// server (postgres://…) rather than a SQLite file.
func IsServer(db string) bool { return postgres.IsDSN(db) }

// OpenServer opens the PostgreSQL database db names (postgres://…) and
// brings its schema up to date.
func OpenServer(ctx context.Context, db string) (*postgres.Store, error) {
	return postgres.Open(ctx, db, postgres.Options{})
}

// FollowServer publishes on pub, until ctx ends, the changes every
// workstation commits on s when s is a PostgreSQL server (LISTEN/NOTIFY,
// postgres.Store.Listen, which reconnects by itself and then publishes
// event.Resync), and reports whether it does; a SQLite file has no other
// writer to follow and returns false. ready, when not nil, is closed once
// listening. Screens and workers follow pub as they follow their own
// changes.
func FollowServer(ctx context.Context, s Store, pub event.Publisher, ready chan<- struct{}) bool {
	ps, ok := s.(*postgres.Store)
	if !ok {
		return false
	}
	go func() {
		if err := ps.Listen(ctx, pub, ready); err != nil && !errors.Is(err, context.Canceled) {
			slog.Warn("follow server", "err", err)
		}
	}()
	return true
}
