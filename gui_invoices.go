package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// demoCSD is the demo company's CSD, decrypted once per run (decision:
// open the key once while the app runs, not once per document).
var demoCSD = sync.OnceValues(func() (*csd.CSD, error) {
	return csd.Load(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword)
})

// invoiceServices wires the "Facturas" area: the store's lists, the sales
// service, the active company's signer and printing.
func invoiceServices(store *sqlite.Store, rules *sat.Catalogs, status func(string)) (app.InvoiceStore, invoices.EditorDeps, func(int64)) {
	deps := invoices.EditorDeps{
		Customers: store, Products: store, Series: store,
		Invoices: &sales.Service{Invoices: store, Catalogs: rules, Clock: domain.SystemClock},
		Rules:    rules,
		Signer:   func(ctx context.Context) (cfdi.Signer, error) { return activeSigner(ctx, store) },
	}
	printInvoice := func(id int64) {
		go func() {
			path, err := writeInvoicePDF(context.Background(), store, id)
			if err != nil {
				slog.Error("print invoice", "id", id, "err", err)
				fyne.Do(func() { status(domain.UserMessage(err)) })
				return
			}
			fyne.Do(func() {
				status(fmt.Sprintf("PDF: %s", path))
				if err := fyne.CurrentApp().OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
					slog.Warn("open PDF", "path", path, "err", err)
				}
			})
		}()
	}
	return store, deps, printInvoice
}

// activeSigner returns the CSD of the active company. Today only the demo
// company has one (SAT's public test CSD); a company of its own needs its
// CSD uploaded first.
func activeSigner(ctx context.Context, store *sqlite.Store) (cfdi.Signer, error) {
	co, err := store.ActiveCompany(ctx)
	if err != nil {
		return nil, err
	}
	if co.Demo {
		return demoCSD()
	}
	return nil, domain.E(domain.Invalid, "gui.signer",
		"La empresa aún no tiene su CSD (certificado de sello digital). Cárguelo en Empresa antes de emitir.", nil)
}

// writeInvoicePDF renders invoice id's PDF from its stored XML (stamped if
// it is, sealed otherwise, which prints with the "sin validez" mark) into
// the "pdf" folder beside the database and records that it was printed.
func writeInvoicePDF(ctx context.Context, store *sqlite.Store, id int64) (string, error) {
	xml, _, err := store.InvoiceXML(ctx, id)
	if err != nil {
		return "", err
	}
	c, err := cfdi.Parse(xml)
	if err != nil {
		return "", err
	}
	pdf, err := print.Render(c, print.Options{CreationDate: time.Now()})
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(store.Path()), "pdf")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", domain.E(domain.Unavailable, "gui.pdf", "No se pudo crear la carpeta de los PDF: "+dir, err)
	}
	name := fmt.Sprintf("%s-%s_%s.pdf", c.Serie, c.Folio, c.Emisor.Rfc)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return "", domain.E(domain.Unavailable, "gui.pdf", "No se pudo guardar el PDF en "+path, err)
	}
	return path, store.MarkInvoicePrinted(ctx, id)
}
