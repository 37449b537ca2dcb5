package sales

import (
	"context"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
)

// Service runs the invoicing use cases on top of the stores: saving drafts
// with their computed totals and posting them (validate → folio → build →
// seal → store, in one store transaction).
type Service struct {
	Invoices InvoiceStore
	Catalogs Catalogs
	Clock    domain.Clock // domain.SystemClock when nil
}

func (s *Service) now() domain.Clock {
	if s.Clock == nil {
		return domain.SystemClock
	}
	return s.Clock
}

// Totals computes inv's amounts for its currency; this is what the editor
// shows. An unknown currency is Invalid.
func (s *Service) Totals(inv *Invoice) (Totals, error) {
	decimals, ok := s.Catalogs.MonedaDecimals(inv.Moneda)
	if !ok {
		return Totals{}, domain.E(domain.Invalid, "compute invoice", "La moneda no existe en el catálogo del SAT.", nil)
	}
	return Compute(inv, decimals)
}

// SaveDraft normalizes inv, checks what a draft must respect
// (ValidateDraft), computes its total for the list and stores it. It
// returns the totals shown by the editor.
func (s *Service) SaveDraft(ctx context.Context, inv *Invoice) (Totals, error) {
	inv.Normalize()
	if err := inv.ValidateDraft(); err != nil {
		return Totals{}, err
	}
	t, err := s.Totals(inv)
	if err != nil {
		return Totals{}, err
	}
	inv.Total = t.Total
	if err := s.Invoices.SaveDraft(ctx, inv); err != nil {
		return Totals{}, err
	}
	return t, nil
}

// certified is implemented by signers that know their certificate, such as
// *csd.CSD.
type certified interface{ Certificate() *csd.Certificate }

// Post turns draft id into a sealed CFDI of company co signed with signer,
// in one store transaction (see InvoiceStore.PostInvoice): the invoice as
// stored, with the customer's current data and the Fecha of now, must pass
// Validate; the folio is taken; BuildComprobante maps it; cfdi.Seal signs
// it. Any failure leaves the draft untouched and consumes no folio. The
// signer's certificate must belong to co (Invalid otherwise).
func (s *Service) Post(ctx context.Context, id int64, co *Company, signer cfdi.Signer, opts PostOptions) (Invoice, error) {
	const op = "post invoice"
	if c, ok := signer.(certified); ok && c.Certificate() != nil && c.Certificate().RFC != co.RFC {
		return Invoice{}, domain.E(domain.Invalid, op, "El certificado de sello digital (CSD) no corresponde al RFC de la empresa.", nil)
	}
	now := s.now()().Truncate(1e9)
	return s.Invoices.PostInvoice(ctx, id, opts, now, func(inv *Invoice) ([]byte, error) {
		if inv.Issuer != co.RFC {
			return nil, domain.E(domain.Invalid, op, "La factura es de otra empresa.", nil)
		}
		if err := inv.Validate(s.Catalogs, inv.Fecha.In(domain.MexicoCity).Year()); err != nil {
			return nil, err
		}
		c, err := BuildComprobante(inv, co, s.Catalogs)
		if err != nil {
			return nil, err
		}
		t, err := s.Totals(inv)
		if err != nil {
			return nil, err
		}
		inv.Total = t.Total
		xml, err := cfdi.Seal(c, signer)
		if err != nil {
			return nil, err
		}
		if err := cfdi.CheckRequired(c); err != nil {
			return nil, err
		}
		return xml, nil
	})
}
