package gui

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/payments"
	"github.com/folio-mx/folio/app/receivables"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/print"
	recv "github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	tp "github.com/folio-mx/folio/domain/thirdparty"
	"github.com/folio-mx/folio/internal/wire"
)

// invoiceServices wires the "Facturas" area: the store's lists, the sales
// service and the active company's signer; companies keeps the companies'
// secrets (the signer, the administrator password).
func invoiceServices(store windowStore, companies *sales.Companies, rules *sat.Catalogs, events event.Publisher) (app.InvoiceStore, invoices.EditorDeps, invoices.CreditDeps) {
	svc := &sales.Service{Invoices: store, Catalogs: rules, Admin: companies, Events: events, Clock: domain.SystemClock}
	signer := func(ctx context.Context) (cfdi.Signer, error) {
		co, err := store.ActiveCompany(ctx)
		if err != nil {
			return nil, err
		}
		return companies.CompanySigner(ctx, co.ID)
	}
	deps := invoices.EditorDeps{
		Customers: store, Products: store, Series: store,
		Invoices:   svc,
		Rules:      rules,
		CheckAdmin: companies.CheckAdminPassword,
		Signer:     signer,
		Accounts:   store,
	}
	credit := invoices.CreditDeps{Loader: store, Credits: store, Series: store, Notes: svc, Rules: rules, Signer: signer, Finder: store, Accounts: store}
	return store, deps, credit
}

// sendInvoice returns the list's "Enviar por correo": it queues the
// invoice's XML and PDF for the customer's e-mail addresses in the outbox,
// which sends them once the document is stamped and retries while the
// server cannot be reached.
func sendInvoice(store windowStore, outbox *delivery.Outbox, status func(string)) func(int64) {
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

func queueInvoiceMail(ctx context.Context, store windowStore, outbox *delivery.Outbox, id int64) (string, error) {
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

// systemPrinter is what printing needs from the operating system
// (printer.System).
type systemPrinter interface {
	Printers(ctx context.Context) ([]string, string, error)
	Print(ctx context.Context, printer string, copies int, title string, pdf []byte) error
}

// printing is the list's and the editor's "Imprimir…" and "Guardar PDF…":
// the PDF is drawn from the invoice's stored XML (stamped if it is, sealed
// otherwise, which prints with the "sin validez" mark; the demo company's
// with the demo mark) and sent to a printer of the system or returned to
// be saved; either way the invoice is recorded as printed.
type printing struct {
	store   windowStore
	events  event.Publisher
	printer systemPrinter
}

var _ invoices.Printing = printing{}

func (p printing) Printers(ctx context.Context) ([]string, string, error) {
	names, def, err := p.printer.Printers(ctx)
	if err != nil {
		slog.Error("list printers", "err", err)
	}
	return names, def, err
}

func (p printing) PrintInvoice(ctx context.Context, id int64, printer string, copies int) (string, error) {
	name, pdf, err := p.render(ctx, id)
	if err != nil {
		return "", err
	}
	if err := p.printer.Print(ctx, printer, copies, name, pdf); err != nil {
		slog.Error("print invoice", "id", id, "printer", printer, "err", err)
		return "", err
	}
	return name, p.printed(ctx, id)
}

func (p printing) InvoicePDF(ctx context.Context, id int64) (string, []byte, error) {
	name, pdf, err := p.render(ctx, id)
	if err != nil {
		return "", nil, err
	}
	return name + ".pdf", pdf, nil
}

func (p printing) PDFSaved(ctx context.Context, id int64) error { return p.printed(ctx, id) }

// render draws invoice id's PDF and names it "SERIE-FOLIO_RFC".
func (p printing) render(ctx context.Context, id int64) (string, []byte, error) {
	xml, _, err := p.store.InvoiceXML(ctx, id)
	if err != nil {
		return "", nil, err
	}
	c, err := cfdi.Parse(xml)
	if err != nil {
		return "", nil, err
	}
	opt := wire.PrintOptions(ctx, p.store, c.Emisor.Rfc)
	opt.Sections = wire.InvoiceSections(ctx, p.store, id)
	opt.CreationDate = time.Now()
	pdf, err := print.Render(c, opt)
	if err != nil {
		slog.Error("render invoice", "id", id, "err", err)
		return "", nil, err
	}
	return fmt.Sprintf("%s-%s_%s", c.Serie, c.Folio, c.Emisor.Rfc), pdf, nil
}

// printed records that invoice id was printed (the list's "PDF" column).
func (p printing) printed(ctx context.Context, id int64) error {
	if err := p.store.MarkInvoicePrinted(ctx, id); err != nil {
		return err
	}
	event.Publish(p.events, event.Event{Kind: event.DocumentPrinted, InvoiceID: id})
	return nil
}

// exportAll writes SERIE-FOLIO_UUID.xml and .pdf for every stamped document
// of issuer rfc into dir (the "Exportar XML y PDF…" menu item).
func exportAll(store windowStore, mails windowMails) func(context.Context, string, string, func(int, int)) (int, error) {
	return func(ctx context.Context, rfc, dir string, progress func(done, total int)) (int, error) {
		docs, err := mails.ExportDocuments(ctx, rfc, time.Time{}, time.Time{})
		if err != nil {
			return 0, err
		}
		if len(docs) == 0 {
			return 0, domain.E(domain.NotFound, "gui.export", "No hay comprobantes timbrados que exportar.", nil)
		}
		err = delivery.ExportWith(ctx, docs, dir, delivery.ExportOptions{Print: wire.PrintOptions(ctx, store, rfc),
			Sections: func(id int64) []print.Section { return wire.DocumentSections(ctx, store, id) }}, progress)
		return len(docs), err
	}
}

// receivablesArea wires "Cobranza": the aging and statements over the
// store, the payment form posting through the same sales service and
// signer as the credit notes, and the statements of the active company
// (wire.BuildStatement, as `folio estado-de-cuenta` prints them): one
// customer's saved as PDF or queued in the mail outbox, or every customer's
// with a balance into a folder (wire.WriteStatements, as --todos).
func receivablesArea(store windowStore, credit invoices.CreditDeps, rules *sat.Catalogs, outbox *delivery.Outbox) receivables.AreaDeps {
	active := func(ctx context.Context) (string, error) {
		co, err := store.ActiveCompany(ctx)
		if err != nil {
			return "", err
		}
		return co.RFC, nil
	}
	// The sales service behind the credit notes also records the
	// collection of cash sales (sales.Service.RecordCollections).
	collector, _ := credit.Notes.(payments.Collector)
	return receivables.AreaDeps{
		Source: &recv.Service{Store: store},
		Payments: payments.Deps{Store: store, Accounts: store, Poster: credit.Notes, Rules: rules, Signer: credit.Signer,
			Uncollected: store, Collector: collector},
		Accounts: &banks.Service{Store: store, MonedaExists: func(m string) bool { return rules.Has(sat.Moneda, m) }},
		StatementPDF: func(ctx context.Context, customerID int64, from, to time.Time) ([]byte, error) {
			rfc, err := active(ctx)
			if err != nil {
				return nil, err
			}
			return wire.StatementPDF(ctx, store, rfc, customerID, "", from, to)
		},
		CustomerEmails: func(ctx context.Context, customerID int64) ([]string, error) {
			c, err := store.FindCustomerByID(ctx, customerID)
			return c.Emails, err
		},
		MailStatement: func(ctx context.Context, customerID int64, from, to time.Time, rcpts []string) (string, error) {
			rfc, err := active(ctx)
			if err != nil {
				return "", err
			}
			st, err := wire.BuildStatement(ctx, store, rfc, customerID, "", from, to)
			if err != nil {
				return "", err
			}
			_, sent, err := wire.MailStatement(ctx, outbox, st, rcpts)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Estado de cuenta de %s en cola de correo para %s.", st.Customer.Name, strings.Join(sent, ", ")), nil
		},
		AllStatements: func(ctx context.Context, dir string, from, to time.Time, send bool, progress func(done, total int)) (receivables.AllResult, error) {
			rfc, err := active(ctx)
			if err != nil {
				return receivables.AllResult{}, err
			}
			opt := wire.StatementsOptions{Progress: func(done, total int, _ wire.StatementJob) { progress(done, total) }}
			if send {
				opt.Outbox = outbox
			}
			res, err := wire.WriteStatements(ctx, store, rfc, dir, from, to, opt)
			return receivables.AllResult{Dir: dir, Written: len(res.Files), Queued: len(res.Queued), NoMail: res.NoMail}, err
		},
	}
}

// thirdPartyStore is what the third parties' report tabs read and write:
// balances and payouts, the accounts a payout leaves from, the company's
// logo for the PDFs (*sqlite.Store and *postgres.Store).
type thirdPartyStore interface {
	tp.Store
	banks.Store
	wire.PrintStore
}

// thirdPartyReports wires the balances, sales book and commissions tabs of
// "Saldos contra terceros" for a company: domain/thirdparty over the store,
// its accounts for payouts, and the PDF or CSV files `folio saldos-terceros`,
// `folio libro-ventas` and `folio comisiones` write (wire.ThirdPartyReports).
func thirdPartyReports(store thirdPartyStore, rules *sat.Catalogs) func(*sales.Company) thirdparty.ReportsDeps {
	src := wire.ThirdPartyService(store, rules)
	accounts := &banks.Service{Store: store}
	return func(co *sales.Company) thirdparty.ReportsDeps {
		files := wire.ThirdPartyReports{Store: store, Company: co}
		return thirdparty.ReportsDeps{
			Issuer:   co.RFC,
			Source:   src,
			Accounts: accounts.FindAccounts,
			BalancesFile: func(ctx context.Context, f thirdparty.Format, rep *tp.Report) ([]byte, error) {
				return files.Balances(ctx, wire.ReportFormat(f), rep, true)
			},
			SalesBookFile: func(ctx context.Context, f thirdparty.Format, b *tp.Book) ([]byte, error) {
				return files.SalesBook(ctx, wire.ReportFormat(f), b)
			},
			CommissionsFile: func(ctx context.Context, f thirdparty.Format, c *tp.Commissions) ([]byte, error) {
				return files.Commissions(ctx, wire.ReportFormat(f), c)
			},
		}
	}
}
