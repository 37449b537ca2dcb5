package gui

import (
	"context"
	"time"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/customers"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/payments"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/settings"
	"github.com/folio-mx/folio/app/stamps"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// windowStore is what the window reads and changes in the database it
// opened, whichever it is: the SQLite file or a PostgreSQL server
// (*sqlite.Store and *postgres.Store, one store contract). An area whose
// ports only the file keeps takes them from backend.file instead.
type windowStore interface {
	wire.Store
	wire.StatementStore
	wire.SectionStore
	wire.QuoteStore
	app.InvoiceStore
	customers.Store
	products.Store
	company.SetupStore
	sales.SalesSettingsStore
	invoices.CreditReader
	invoices.InvoiceFinder
	payments.Store
	payments.Uncollected
	InvoiceXML(ctx context.Context, invoiceID int64) (xml []byte, stamped bool, err error)
	MarkInvoicePrinted(ctx context.Context, id int64) error
	PendingReceipts(ctx context.Context) ([]sales.PendingReceipt, error)
	sales.ThirdPartyStore
	thirdPartyStore
	stockStore
	invoices.WarehouseLister
	invoices.RevertedCounter
	receivedStore
	dealerStore
	catalogio.Store
	company.DealerFlag
}

// windowQueue is the stamp queue with the cancellations and what the
// "Timbres" screen and the status bar read of it (*sqlite.StampStore and
// *postgres.StampStore).
type windowQueue interface {
	wire.StampQueue
	stamps.Store
	stamping.CancelStore
	stamping.CancelGuard
	stamping.LedgerStore
	RetryIssuerNow(ctx context.Context, issuerRFC string, now time.Time) (int, error)
}

// windowMails is the mail outbox and the companies' mail settings
// (*sqlite.MailStore and *postgres.MailStore).
type windowMails interface {
	delivery.Store
	delivery.SettingsStore
	settings.MailStore
	invoices.DeliveryStates
	ExportDocuments(ctx context.Context, issuerRFC string, from, to time.Time) ([]delivery.ExportDoc, error)
}

// backend is the database the window opened with its stamp queue and mail
// outbox. file is the SQLite store when the database is a file, nil on a
// server: only the SAT catalogs' tables (loaded into the file at start,
// searched in memory on a server) come from it; every area runs on
// either store.
type backend struct {
	store windowStore
	queue windowQueue
	mails windowMails
	file  *sqlite.Store
}

// fileBackend is the window over a SQLite file.
func fileBackend(s *sqlite.Store) backend {
	return backend{store: s, queue: sqlite.NewStampStore(s), mails: sqlite.NewMailStore(s), file: s}
}

// serverBackend is the window over a PostgreSQL server.
func serverBackend(s *postgres.Store) backend {
	return backend{store: s, queue: postgres.NewStampStore(s), mails: postgres.NewMailStore(s)}
}

var (
	_ windowStore = (*sqlite.Store)(nil)
	_ windowStore = (*postgres.Store)(nil)
)

// catalogSearch searches the SAT catalogs embedded in the binary
// (sat.Catalogs.Search): the window's catalog searches on a server, which
// keeps no catalog tables.
type catalogSearch struct{ rules *sat.Catalogs }

// SearchCatalog implements app.CatalogSearcher.
func (c catalogSearch) SearchCatalog(_ context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	return c.rules.Search(catalog, query, limit)
}
