package gui

import (
	"context"
	"errors"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/data/mail"
	"github.com/folio-mx/folio/data/printer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/wire"
)

// window is the main window's wiring over one open database: the event
// bus every screen follows, the stamp worker, the mail outbox and the
// services of the areas. newWindow builds it without a window (tests
// use svc directly); start opens the window and starts the workers.
type window struct {
	b      backend
	rules  *sat.Catalogs
	bus    *event.Bus
	st     *stampingRuntime
	outbox *delivery.Outbox
	svc    app.Services
	ui     *app.App
}

// newWindow builds the services of the areas over b, every one of them
// over the store the window opened, a file or a server; on a server the
// SAT catalogs are searched in memory (catalogSearch), since the server
// keeps no catalog tables.
func newWindow(b backend, rules *sat.Catalogs, server company.Connector) *window {
	store := b.store
	// One bus carries every change the domain announces: the screens follow
	// it, and a posted document wakes the stamp worker at once.
	bus := event.NewBus()
	w := &window{b: b, rules: rules, bus: bus}
	w.st = newStamping(b, bus)
	mails := b.mails
	w.outbox = delivery.NewOutbox(mails, mails, mail.Deliverer{}, domain.SystemClock, delivery.Options{
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
	invStore, editor, credit := invoiceServices(store, companies, rules, bus)
	editor.Warehouses = store
	prints := printing{store: store, events: bus, printer: printer.System{}}
	w.svc = app.Services{
		Catalogs: catalogSearch{rules}, Rules: rules, Companies: demoSeeder{store, bus},
		Customers: store, Products: store, SalesRules: rules,
		Invoices: invStore, Editor: editor, Credit: credit, Receivables: receivablesArea(store, credit, rules, w.outbox),
		Printing: prints,
		SendInvoice: sendInvoice(store, w.outbox, func(msg string) {
			if w.ui != nil {
				w.ui.StatusBar().SetMessage(msg)
			}
		}),
		Deliveries: mails,
		ExportAll:  exportAll(store, mails),
		Stamps:     w.st.deps, Cancels: w.st.cancels,
		Setup: demoSeeder{store, bus}, Secrets: pacSaved{companies, w.st.accountSaved}, TestPAC: wire.TestPACSettings, Server: server,
		Mail: mails, MailTester: mail.Deliverer{}, KickOutbox: w.outbox.Kick,
		Events:        bus,
		SalesSettings: store,
		Quotes:        quotesArea(store, editor, w.outbox, bus),
	}
	tps := &sales.ThirdParties{Store: store, Catalogs: rules}
	w.svc.ThirdParty = thirdparty.AreaDeps{
		Form: thirdparty.FormDeps{Editor: editor, ThirdParties: tps, Loader: store},
		List: store, Catalog: tps, Rules: rules, Printing: prints,
		Reports: thirdPartyReports(store, rules),
	}
	w.svc.Received = receivedArea(store, rules, w.st.accounts, bus)
	w.svc.Stock = stockArea(store, store, rules)
	w.svc.Sheets = sheetsDeps(store, rules)
	w.svc.Dealer = dealerDeps(store, pacSaved{companies, w.st.accountSaved}, w.st.accounts)
	w.svc.DealerFlag = store
	if f := b.file; f != nil {
		w.svc.Catalogs = f // the SAT catalogs' tables (on a server: catalogSearch, in memory)
	}
	return w
}

// start opens the window over fa and runs the window's workers (run).
func (w *window) start(ctx context.Context, fa fyne.App, listening chan<- struct{}) {
	w.ui = app.New(fa, w.svc)
	w.run(ctx, listening)
}

// reopen makes ui, the window open over another database, work on w's
// (the server "Conectar a un servidor" just connected to) and runs w's
// workers.
func (w *window) reopen(ctx context.Context, ui *app.App) {
	w.ui = ui
	ui.Reopen(w.svc)
	w.run(ctx, nil)
}

// run starts, until ctx ends, the stamp worker, the mail outbox and, on a
// server, the following of the other workstations' changes
// (wire.FollowServer: LISTEN/NOTIFY into the bus, so lists and the status
// bar refresh when another workstation posts, stamps or cancels).
// listening, when not nil, is closed once the server is followed (at once
// on a file).
func (w *window) run(ctx context.Context, listening chan<- struct{}) {
	go w.st.follow(ctx, w.bus.Subscribe(64))
	if !wire.FollowServer(ctx, w.b.store, w.bus, listening) && listening != nil {
		close(listening)
	}
	ui := w.ui
	ui.OnChanged = func([]event.Event) { w.st.refreshStatus(ctx, ui) }
	go w.st.run(ctx, ui)
	go func() {
		if err := w.outbox.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Error("mail outbox", "err", err)
		}
	}()
}

// Close stops the local PAC, if one was started.
func (w *window) Close() error { return w.st.Close() }
