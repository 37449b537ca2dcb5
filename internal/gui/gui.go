// Package gui puts the window together: it opens the store, builds the
// services the app packages need (invoices, stamping, mail, company setup)
// from domain and data, and runs the Fyne application. It is the only
// package besides main that imports app, domain and data together.
package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/mail"
	"github.com/folio-mx/folio/data/printer"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/wire"
)

// Run opens the store at dbPath (the default location when empty) and the
// main window, starts filling the store's SAT catalog tables in the
// background with progress in the status bar, and runs until the user quits
// or ctx is cancelled (SIGINT/SIGTERM).
func Run(ctx context.Context, dbPath string) error {
	fa := fyneapp.NewWithID("mx.folio.desktop")
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel() // also stops a catalog load still running when the window closes
	go func() {
		<-runCtx.Done()
		if ctx.Err() != nil { // a signal, not the user closing the window
			fyne.Do(fa.Quit)
		}
	}()

	store, rules, err := openGUIStore(ctx, dbPath)
	if err != nil {
		// Started from a desktop icon there is no terminal: say it in a window too.
		app.NewStartupError(fa, err).ShowAndRun()
		return err
	}
	defer store.Close()

	// One bus carries every change the domain announces: the screens follow
	// it, and a posted document wakes the stamp worker at once.
	bus := event.NewBus()
	st := newStamping(store, bus)
	defer st.Close()
	go st.follow(runCtx, bus.Subscribe(64))
	mails := sqlite.NewMailStore(store)
	outbox := delivery.NewOutbox(mails, mails, mail.Deliverer{}, domain.SystemClock, delivery.Options{
		Print:    func(ctx context.Context, rfc string) print.Options { return wire.PrintOptions(ctx, store, rfc) },
		Sections: func(ctx context.Context, id int64) []print.Section { return wire.DocumentSections(ctx, store, id) },
		OnChange: func(docID int64, s delivery.State) {
			kind := event.DeliveryFailed
			if s == delivery.StateSent {
				kind = event.DeliverySent
			}
			bus.Publish(event.Event{Kind: kind, DocumentID: docID})
		},
	})

	companies := wire.NewCompanies(store)
	var server company.Connector
	if ws, err := wire.DefaultWorkstation(); err == nil {
		sc := &serverConnector{ws: ws}
		defer sc.Close()
		server = sc
	} else {
		slog.Warn("no workstation configuration; «Conectar a un servidor» hidden", "err", err)
	}
	var ui *app.App
	invStore, editor, credit := invoiceServices(store, companies, rules, bus)
	prints := printing{store: store, events: bus, printer: printer.System{}}
	tps := &sales.ThirdParties{Store: store, Catalogs: rules}
	ui = app.New(fa, app.Services{
		Catalogs: store, Rules: rules, Companies: demoSeeder{store, bus},
		Customers: store, Products: store, SalesRules: rules,
		Invoices: invStore, Editor: editor, Credit: credit, Receivables: receivablesArea(store, credit, rules, outbox),
		Printing:    prints,
		SendInvoice: sendInvoice(store, outbox, func(msg string) { ui.StatusBar().SetMessage(msg) }),
		Deliveries:  mails,
		ExportAll:   exportAll(store, mails),
		Stamps:      st.deps, Cancels: st.cancels,
		Setup: demoSeeder{store, bus}, Secrets: pacSaved{companies, st.accountSaved}, TestPAC: wire.TestPACSettings, Server: server,
		Mail: mails, MailTester: mail.Deliverer{}, KickOutbox: outbox.Kick,
		Events:        bus,
		Received:      receivedArea(store, rules, st.accounts, bus),
		Stock:         stockArea(store, rules),
		Sheets:        sheetsDeps(store, rules),
		Quotes:        quotesArea(store, editor, outbox, bus),
		SalesSettings: store,
		Dealer:        dealerDeps(store, pacSaved{companies, st.accountSaved}, st.accounts),
		DealerFlag:    store,
		ThirdParty: thirdparty.AreaDeps{
			Form: thirdparty.FormDeps{Editor: editor, ThirdParties: tps, Loader: store},
			List: store, Catalog: tps, Rules: rules, Printing: prints,
			Reports: thirdPartyReports(store, rules),
		},
	})
	ui.OnChanged = func([]event.Event) { st.refreshStatus(runCtx, ui) }
	go st.run(runCtx, ui)
	go func() {
		if err := outbox.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Error("mail outbox", "err", err)
		}
	}()

	ui.LoadCatalogs(runCtx, func(ctx context.Context, progress func(done, total int)) error {
		return store.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, progress)
	})
	ui.ShowAndRun()
	return nil
}

// demoSeeder is the store as the first-run screen sees it: choosing the demo
// company also creates its series, customers, products and a few invoices
// (what `folio demo` does), so a new user can issue an invoice at once.
type demoSeeder struct {
	*sqlite.Store
	events event.Publisher
}

func (d demoSeeder) SaveCompany(ctx context.Context, c *sales.Company) error {
	if !c.Demo {
		return d.Store.SaveCompany(ctx, c)
	}
	co, err := wire.SeedDemo(ctx, d.Store, io.Discard)
	if err != nil {
		return err
	}
	event.Publish(d.events, event.Event{Kind: event.DocumentPosted, IssuerRFC: co.RFC})
	*c = *co
	return nil
}

// pacSaved is the company secrets service as the company setup sees it:
// saving a company's PAC account also sends that company's waiting
// documents to the new account at once (afterPAC), without restarting
// Folio.
type pacSaved struct {
	*sales.Companies
	afterPAC func(ctx context.Context, issuerRFC string)
}

func (s pacSaved) SavePACSettings(ctx context.Context, companyID int64, p sales.PACSettings) error {
	if err := s.Companies.SavePACSettings(ctx, companyID, p); err != nil {
		return err
	}
	if co, err := s.Store.FindCompany(ctx, companyID); err == nil {
		s.afterPAC(ctx, co.RFC)
	}
	return nil
}

// SaveSecondaryPAC keeps the company's second PAC account and lets its
// waiting documents try again at once, now with failover.
func (s pacSaved) SaveSecondaryPAC(ctx context.Context, companyID int64, f *sales.PACFailover) error {
	if err := s.Companies.SaveSecondaryPAC(ctx, companyID, f); err != nil {
		return err
	}
	if co, err := s.Store.FindCompany(ctx, companyID); err == nil {
		s.afterPAC(ctx, co.RFC)
	}
	return nil
}

// openGUIStore opens the database (--db, FOLIO_DB or the default location)
// and reads the embedded SAT catalogs used by the validators.
func openGUIStore(ctx context.Context, dbPath string) (*sqlite.Store, *sat.Catalogs, error) {
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return nil, nil, fmt.Errorf("gui: embedded catalogs: %w", err)
	}
	store, err := wire.OpenStore(ctx, dbPath)
	if err != nil {
		return nil, nil, err
	}
	go func() {
		if err := rules.Preload(); err != nil {
			slog.Warn("preload SAT catalogs", "err", err)
		}
	}()
	return store, rules, nil
}
