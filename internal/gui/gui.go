// Package gui puts the window together: it opens the store, builds the
// services the app packages need (invoices, stamping, mail, company setup)
// from domain and data, and runs the Fyne application. It is the only
// package besides main that imports app, domain and data together.
package gui

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/event"
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

	b, rules, err := openGUIStore(ctx, dbPath)
	if err != nil {
		// Started from a desktop icon there is no terminal: say it in a window too.
		app.NewStartupError(fa, err).ShowAndRun()
		return err
	}

	var server company.Connector
	var sc *serverConnector
	if ws, err := wire.DefaultWorkstation(); err == nil {
		sc = &serverConnector{ws: ws}
		defer sc.Close()
		server = sc
	} else {
		slog.Warn("no workstation configuration; «Conectar a un servidor» hidden", "err", err)
	}
	w := newWindow(b, rules, server)
	wctx, wcancel := context.WithCancel(runCtx)
	w.start(wctx, fa, nil)
	ui := w.ui
	if b.file != nil {
		ui.LoadCatalogs(wctx, func(ctx context.Context, progress func(done, total int)) error {
			return b.file.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, progress)
		})
	}
	// The window and its workers over the database open now; replaced when
	// the first run connects to a server.
	cur, stop := w, wcancel
	defer func() { stop(); cur.Close(); cur.b.store.Close() }()
	if sc != nil {
		ui.OnServerConnected = func(company.Server) {
			ps := sc.take()
			if ps == nil {
				ui.StatusBar().SetMessage("No quedó abierta la conexión al servidor; cierre Folio y vuelva a abrirlo para trabajar en él.")
				return
			}
			nw := newWindow(serverBackend(ps), rules, server)
			nctx, ncancel := context.WithCancel(runCtx)
			old, oldStop := cur, stop
			cur, stop = nw, ncancel
			oldStop()
			nw.reopen(nctx, ui)
			go func() { old.Close(); old.b.store.Close() }()
		}
	}
	ui.ShowAndRun()
	return nil
}

// demoSeeder is the store as the first-run screen sees it: choosing the demo
// company also creates its series, customers, products and a few invoices
// (what `folio demo` does), so a new user can issue an invoice at once.
type demoSeeder struct {
	windowStore
	events event.Publisher
}

func (d demoSeeder) SaveCompany(ctx context.Context, c *sales.Company) error {
	if !c.Demo {
		return d.windowStore.SaveCompany(ctx, c)
	}
	co, err := wire.SeedDemo(ctx, d.windowStore, io.Discard)
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

// openGUIStore opens the database (--db, FOLIO_DB, the server this
// workstation connected to when neither names one — as the commands do,
// see useSavedServer in internal/cli — or the default file) and reads the
// embedded SAT catalogs used by the validators.
func openGUIStore(ctx context.Context, dbPath string) (backend, *sat.Catalogs, error) {
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return backend{}, nil, fmt.Errorf("gui: embedded catalogs: %w", err)
	}
	if dbPath == "" {
		if ws, err := wire.DefaultWorkstation(); err == nil {
			c, found, err := ws.SavedServer()
			if err != nil {
				return backend{}, nil, err
			}
			if found {
				dbPath = c.DSN()
			}
		}
	}
	var b backend
	if wire.IsServer(dbPath) {
		ps, err := wire.OpenServer(ctx, dbPath)
		if err != nil {
			return backend{}, nil, err
		}
		b = serverBackend(ps)
	} else {
		fs, err := wire.OpenStore(ctx, dbPath)
		if err != nil {
			return backend{}, nil, err
		}
		b = fileBackend(fs)
	}
	go func() {
		if err := rules.Preload(); err != nil {
			slog.Warn("preload SAT catalogs", "err", err)
		}
	}()
	return b, rules, nil
}
