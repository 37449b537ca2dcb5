// Package wire holds what the window (internal/gui) and the headless
// commands (internal/cli) both need to put Folio together: opening the
// store, the companies' signers and print options, the demo company's data,
// and the PAC clients. It imports domain and data, never Fyne, so a command
// never starts the user interface.
package wire

import (
	"context"
	"log/slog"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// OpenStore opens the database at path, or at the default location when
// path is empty (--db and FOLIO_DB unset).
// A PostgreSQL server (postgres://…) is refused with a Spanish message:
// what opens one is OpenServer, for the parts of Folio that already work
// on it.
func OpenStore(ctx context.Context, path string) (*sqlite.Store, error) {
	if IsServer(path) {
		return nil, domain.E(domain.Invalid, "wire.OpenStore", "Esta función de Folio todavía no funciona con un servidor PostgreSQL; "+
			"por ahora en el servidor funcionan «folio demo», «folio post» y «folio sync». Use un archivo SQLite (--db archivo.db) para lo demás.", nil)
	}
	if path == "" {
		p, err := sqlite.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return sqlite.Open(ctx, path, sqlite.Options{})
}

// CompanySigner returns the CSD of the company with RFC rfc, for sealing or
// re-sealing a document of that issuer. NotFound when no company has it.
func CompanySigner(ctx context.Context, store Store, rfc string) (cfdi.Signer, error) {
	list, err := store.ListCompanies(ctx)
	if err != nil {
		return nil, err
	}
	for _, co := range list {
		if co.RFC == rfc {
			return NewCompanies(store).CompanySigner(ctx, co.ID)
		}
	}
	return nil, domain.E(domain.NotFound, "wire.CompanySigner", "No hay una empresa con el RFC "+rfc+" en esta instalación.", nil)
}

// CancelSigner returns the CSD of the company with RFC rfc, with which
// Folio signs that issuer's cancellation requests (Finkok's
// cancel_signature): the private key never leaves the workstation.
func CancelSigner(ctx context.Context, store Store, rfc string) (cfdi.CancelSigner, error) {
	co, err := companyByRFC(ctx, store, rfc)
	if err != nil {
		return nil, err
	}
	c, err := NewCompanies(store).CompanySigner(ctx, co.ID)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// PrintStore is what PrintOptions reads: the companies and their logos
// (*sqlite.Store and *postgres.Store).
type PrintStore interface {
	ListCompanies(ctx context.Context) ([]sales.Company, error)
	CompanyLogo(ctx context.Context, companyID int64) ([]byte, error)
}

// SectionStore is what InvoiceSections and DocumentSections read
// (*sqlite.Store and *postgres.Store).
type SectionStore interface {
	FindInvoiceByID(ctx context.Context, id int64) (sales.Invoice, error)
	FindCustomerByID(ctx context.Context, id int64) (sales.Customer, error)
	InvoiceOfDocument(ctx context.Context, documentID int64) (int64, error)
}

// PrintOptions are the print options of the issuer with RFC rfc: its logo,
// when it has uploaded one (normalised at upload), and the demo mark when
// it is the demo company. A logo that cannot be
// read prints without it rather than failing the PDF. The window, the
// e-mail outbox and `folio export` share it.
func PrintOptions(ctx context.Context, store PrintStore, rfc string) print.Options {
	var opt print.Options
	list, err := store.ListCompanies(ctx)
	if err != nil {
		return opt
	}
	for _, co := range list {
		if co.RFC != rfc {
			continue
		}
		opt.Demo = co.Demo
		if logo, err := store.CompanyLogo(ctx, co.ID); err == nil {
			opt.Logo = logo
		} else {
			slog.Warn("company logo", "rfc", rfc, "err", err)
		}
	}
	return opt
}

// InvoiceSections are the non-fiscal data invoice id prints with
// (print.Options.Sections): its sale details with the "Cuenta x cobrar a"
// customer's name. None when it has no details or cannot be read; the PDF
// prints without them rather than failing.
func InvoiceSections(ctx context.Context, store SectionStore, id int64) []print.Section {
	inv, err := store.FindInvoiceByID(ctx, id)
	if err != nil || inv.Details == nil {
		return nil
	}
	collect := ""
	if cid := inv.Details.CollectFromID; cid != 0 {
		if c, err := store.FindCustomerByID(ctx, cid); err == nil {
			collect = c.Name + " (" + c.RFC + ")"
		}
	}
	return print.SaleSections(inv.Details, collect)
}

// DocumentSections is InvoiceSections by the id of the invoice's fiscal
// document (documents.id), for the PDFs the mail outbox and `folio export`
// render from the stored XML; nil when the document is no invoice's or has
// no sale details.
func DocumentSections(ctx context.Context, store SectionStore, documentID int64) []print.Section {
	id, err := store.InvoiceOfDocument(ctx, documentID)
	if err != nil {
		return nil
	}
	return InvoiceSections(ctx, store, id)
}
