package gui

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/wire"
)

// invoiceServices wires the "Facturas" area: the store's lists, the sales
// service, the active company's signer and printing; companies keeps the
// companies' secrets (the signer, the administrator password).
func invoiceServices(store *sqlite.Store, companies *sales.Companies, rules *sat.Catalogs, events event.Publisher, status func(string)) (app.InvoiceStore, invoices.EditorDeps, func(int64)) {
	deps := invoices.EditorDeps{
		Customers: store, Products: store, Series: store,
		Invoices:   &sales.Service{Invoices: store, Catalogs: rules, Admin: companies, Events: events, Clock: domain.SystemClock},
		Rules:      rules,
		CheckAdmin: companies.CheckAdminPassword,
		Signer: func(ctx context.Context) (cfdi.Signer, error) {
			co, err := store.ActiveCompany(ctx)
			if err != nil {
				return nil, err
			}
			return companies.CompanySigner(ctx, co.ID)
		},
	}
	printInvoice := func(id int64) {
		go func() {
			path, err := writeInvoicePDF(context.Background(), store, id)
			if err != nil {
				slog.Error("print invoice", "id", id, "err", err)
				fyne.Do(func() { status(domain.UserMessage(err)) })
				return
			}
			event.Publish(events, event.Event{Kind: event.DocumentPrinted, InvoiceID: id})
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

// sendInvoice returns the list's "Enviar por correo": it queues the
// invoice's XML and PDF for the customer's e-mail addresses in the outbox,
// which sends them once the document is stamped and retries while the
// server cannot be reached.
func sendInvoice(store *sqlite.Store, outbox *delivery.Outbox, status func(string)) func(int64) {
	return func(id int64) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			msg, err := queueInvoiceMail(ctx, store, outbox, id)
			if err != nil {
				msg = domain.UserMessage(err)
			}
			fyne.Do(func() { status(msg) })
		}()
	}
}

func queueInvoiceMail(ctx context.Context, store *sqlite.Store, outbox *delivery.Outbox, id int64) (string, error) {
	inv, err := store.FindInvoiceByID(ctx, id)
	if err != nil {
		return "", err
	}
	if len(inv.Customer.Emails) == 0 {
		return "", domain.E(domain.Invalid, "gui.sendInvoice",
			"El cliente no tiene correos; agréguelos en Clientes para enviarle sus facturas.", nil)
	}
	docID, _, _, err := store.InvoiceDocument(ctx, id)
	if err != nil {
		return "", err
	}
	if _, err := outbox.Enqueue(ctx, docID, inv.Customer.Emails); err != nil {
		return "", err
	}
	return fmt.Sprintf("Factura %s en cola de correo para %s.", inv.FolioText(), strings.Join(inv.Customer.Emails, ", ")), nil
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
	opt := wire.PrintOptions(ctx, store, c.Emisor.Rfc)
	opt.CreationDate = time.Now()
	pdf, err := print.Render(c, opt)
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

// exportAll writes SERIE-FOLIO_UUID.xml and .pdf for every stamped document
// of issuer rfc into dir (the "Exportar XML y PDF…" menu item).
func exportAll(store *sqlite.Store, mails *sqlite.MailStore) func(context.Context, string, string, func(int, int)) (int, error) {
	return func(ctx context.Context, rfc, dir string, progress func(done, total int)) (int, error) {
		docs, err := mails.ExportDocuments(ctx, rfc, time.Time{}, time.Time{})
		if err != nil {
			return 0, err
		}
		if len(docs) == 0 {
			return 0, domain.E(domain.NotFound, "gui.export", "No hay comprobantes timbrados que exportar.", nil)
		}
		err = delivery.ExportWith(ctx, docs, dir, delivery.ExportOptions{Print: wire.PrintOptions(ctx, store, rfc)}, progress)
		return len(docs), err
	}
}
