package sales

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/event"
)

// Service runs the invoicing use cases on top of the stores: saving drafts
// with their computed totals and posting them (validate → folio → build →
// seal → store, in one store transaction).
type Service struct {
	Invoices InvoiceStore
	Catalogs Catalogs
	Admin    AdminVerifier   // verifies the credential of a folio override; nil refuses overrides
	Events   event.Publisher // announces saved drafts and posted documents; may be nil
	Clock    domain.Clock    // domain.SystemClock when nil
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
	event.Publish(s.Events, event.Event{Kind: event.DocumentDraftSaved, IssuerRFC: inv.Issuer, InvoiceID: inv.ID})
	return t, nil
}

// certified is implemented by signers that know their certificate, such as
// *csd.CSD.
type certified interface{ Certificate() *csd.Certificate }

// Post turns draft id into a sealed CFDI of company co signed with signer.
// The whole decision is taken here, inside one unit of work of the store
// (InvoiceStore.PostTx): the lifecycle allows the post; the document as
// stored, with its customer's current data and the Fecha of now, passes
// Validate; every related document may be related; the series may number
// it; the folio is chosen (an override needs opts.AdminPassword, verified
// by s.Admin before the transaction); BuildComprobante maps it; the
// pre-flight checks of SAT's rules (with their CFDI40xxx codes) pass; a
// credit invoice passes the credit check against the customer's balances
// in this transaction (receivables.CheckCredit; opts.CreditOverrideReason
// with an administrator's credential overrides it); cfdi.Seal signs it;
// and the store records the document, its amounts, its relations, its
// receivable and the open balances it changes, the sealed XML and the
// stamp job. Any failure rolls everything
// back: the draft is untouched and no folio is consumed. The signer's
// certificate must belong to co (Invalid otherwise).
func (s *Service) Post(ctx context.Context, id int64, co *Company, signer cfdi.Signer, opts PostOptions) (Invoice, error) {
	p, err := s.poster(ctx, co, signer, opts)
	if err != nil {
		return Invoice{}, err
	}
	var posted Invoice
	err = s.Invoices.PostTx(ctx, func(tx PostTx) error {
		var err error
		posted, err = p.post(ctx, tx, id)
		return err
	})
	if err != nil {
		return Invoice{}, err
	}
	event.Publish(s.Events, event.Event{Kind: event.DocumentPosted, IssuerRFC: posted.Issuer, InvoiceID: posted.ID})
	return posted, nil
}

// BatchError lists the documents of a batch that were refused, by their
// position in the batch (0-based); none of the batch was posted.
type BatchError struct {
	Refused map[int]error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("post batch: %d of the documents refused", len(e.Refused))
}

// PostBatch creates each document of docs as a draft and posts it, all in
// ONE unit of work: every document is posted or none is (a refused batch
// leaves the store as it was). Every document is tried, so the returned
// *BatchError (kind Invalid) names each refused one with its problems. It
// is the headless path (`folio post`) to the same rules as Post.
func (s *Service) PostBatch(ctx context.Context, co *Company, signer cfdi.Signer, docs []Invoice) ([]Invoice, error) {
	return s.batch(ctx, co, signer, docs, true)
}

// PostNew creates doc as a draft and posts it in ONE unit of work (a batch
// of one): a refused document leaves nothing stored and takes no folio.
// Its refusal comes back as is, not inside a *BatchError. The forms that
// issue a document in one step (credit notes, payment receipts) use it.
func (s *Service) PostNew(ctx context.Context, co *Company, signer cfdi.Signer, doc Invoice) (Invoice, error) {
	out, err := s.PostBatch(ctx, co, signer, []Invoice{doc})
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) {
			for _, e := range be.Refused {
				return Invoice{}, e
			}
		}
		return Invoice{}, err
	}
	return out[0], nil
}

// CheckBatch runs PostBatch's whole path and rolls it back whatever the
// outcome: nil when every document would be posted, a *BatchError naming
// each one that would be refused. Nothing is stored and no folio is taken.
func (s *Service) CheckBatch(ctx context.Context, co *Company, signer cfdi.Signer, docs []Invoice) error {
	_, err := s.batch(ctx, co, signer, docs, false)
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// errDryRun rolls back a batch that CheckBatch only tries.
var errDryRun = errors.New("dry run")

func (s *Service) batch(ctx context.Context, co *Company, signer cfdi.Signer, docs []Invoice, commit bool) ([]Invoice, error) {
	const op = "post batch"
	p, err := s.poster(ctx, co, signer, PostOptions{})
	if err != nil {
		return nil, err
	}
	var posted []Invoice
	err = s.Invoices.PostTx(ctx, func(tx PostTx) error {
		posted = posted[:0]
		refused := map[int]error{}
		for i := range docs {
			inv := docs[i]
			inv.ID = 0
			inv.State, inv.Status = StateDraft, StatusDraft
			inv.Normalize()
			if err := inv.ValidateDraft(); err != nil {
				refused[i] = err
				continue
			}
			if err := tx.InsertDraft(ctx, &inv, p.now); err != nil {
				refused[i] = err
				continue
			}
			out, err := p.post(ctx, tx, inv.ID)
			if err != nil {
				refused[i] = err
				continue
			}
			posted = append(posted, out)
		}
		if len(refused) > 0 {
			return domain.E(domain.Invalid, op, fmt.Sprintf("Se rechazaron %d de %d documentos; no se emitió ninguno.", len(refused), len(docs)), &BatchError{Refused: refused})
		}
		if !commit {
			return errDryRun
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range posted {
		event.Publish(s.Events, event.Event{Kind: event.DocumentPosted, IssuerRFC: p.Issuer, InvoiceID: p.ID})
	}
	return posted, nil
}

// poster is one post's facts known before the transaction: the company,
// its signer and certificate, the verified folio override and the instant.
type poster struct {
	s          *Service
	co         *Company
	signer     cfdi.Signer
	cert       *csd.Certificate
	override   *int64
	authorized bool
	now        time.Time

	// An administrator's authorization of a credit sale that the credit
	// check refuses (PostOptions.CreditOverrideReason), verified.
	creditAuthorized       bool
	creditReason, creditBy string
}

// poster checks what can be checked before the transaction: the signer's
// certificate belongs to co, and a folio override comes with a valid
// administrator credential (verified here, outside the write transaction,
// because the password hash is deliberately slow).
func (s *Service) poster(ctx context.Context, co *Company, signer cfdi.Signer, opts PostOptions) (*poster, error) {
	const op = "post invoice"
	p := &poster{s: s, co: co, signer: signer, override: opts.OverrideFolio, now: s.now()().Truncate(1e9)}
	if c, ok := signer.(certified); ok {
		p.cert = c.Certificate()
	}
	if p.cert != nil && p.cert.RFC != co.RFC {
		return nil, domain.E(domain.Invalid, op, "El certificado de sello digital (CSD) no corresponde al RFC de la empresa.", nil)
	}
	if opts.OverrideFolio != nil {
		if s.Admin == nil {
			return nil, domain.E(domain.Invalid, op, "Solo un administrador puede cambiar el folio propuesto; defina la contraseña de administrador en Empresa.", nil)
		}
		if err := s.Admin.CheckAdminPassword(ctx, opts.AdminPassword); err != nil {
			return nil, err
		}
		p.authorized = true
	}
	if err := p.creditOverride(ctx, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// post is the body of a post inside the unit of work tx (see Post).
func (p *poster) post(ctx context.Context, tx PostTx, id int64) (Invoice, error) {
	const op = "post invoice"
	s := p.s
	inv, err := tx.LoadDocument(ctx, id)
	if err != nil {
		return Invoice{}, err
	}
	from := inv.State
	next, err := from.Next(EventPost)
	if err != nil {
		return Invoice{}, err
	}
	if inv.Issuer != p.co.RFC {
		return Invoice{}, domain.E(domain.Invalid, op, "La factura es de otra empresa.", nil)
	}
	inv.Fecha = p.now
	if err := snapshotThirdParties(ctx, tx, &inv); err != nil {
		return Invoice{}, err
	}
	var moves []banks.Movement
	if inv.TipoDeComprobante == TipoPago {
		if err := s.checkPayment(ctx, tx, &inv); err != nil {
			return Invoice{}, err
		}
		if moves, err = depositOf(ctx, tx, &inv); err != nil {
			return Invoice{}, err
		}
	} else if err := inv.Validate(s.Catalogs, p.now.In(domain.MexicoCity).Year()); err != nil {
		return Invoice{}, err
	}
	if err := s.relate(ctx, tx, &inv); err != nil {
		return Invoice{}, err
	}
	if err := s.checkCredit(ctx, tx, &inv); err != nil {
		return Invoice{}, err
	}
	series, err := tx.FindSeries(ctx, inv.Issuer, inv.Serie)
	if err != nil {
		return Invoice{}, err
	}
	if err := series.CanNumber(inv.TipoDeComprobante); err != nil {
		return Invoice{}, err
	}
	choice, err := ChooseFolio(series.NextFolio, p.override, p.authorized)
	if err != nil {
		return Invoice{}, err
	}
	inv.Folio = choice.Folio
	c, err := BuildComprobante(&inv, p.co, s.Catalogs)
	if err != nil {
		return Invoice{}, err
	}
	if err := preflight.Check(c, s.Catalogs, preflightOptions(p.now, p.cert)); err != nil {
		return Invoice{}, err
	}
	t, err := s.Totals(&inv)
	if err != nil {
		return Invoice{}, err
	}
	rec, err := p.checkReceivable(ctx, tx, &inv, t)
	if err != nil {
		return Invoice{}, err
	}
	xml, err := cfdi.Seal(c, p.signer)
	if err != nil {
		return Invoice{}, err
	}
	if err := tx.TakeFolio(ctx, series, choice, p.now); err != nil {
		return Invoice{}, err
	}
	inv.State, inv.Status = next, next.Status()
	inv.Total = t.Total
	SetCreditShares(&inv, t)
	if refund, err := refundOf(ctx, tx, &inv, t.Total); err != nil {
		return Invoice{}, err
	} else if refund != nil {
		moves = append(moves, *refund)
	}
	if dep, err := saleDepositOf(ctx, tx, &inv, t.Total); err != nil {
		return Invoice{}, err
	} else if dep != nil {
		moves = append(moves, *dep)
	}
	if err := moveStock(ctx, tx, &inv); err != nil {
		return Invoice{}, err
	}
	inv.SealedXML = xml
	inv.UpdatedAt = p.now
	if err := tx.RecordPosted(ctx, &Posted{Invoice: &inv, From: from, Amounts: AmountsOf(&inv, t),
		SealedXML: xml, CustomID: CustomID(inv.Issuer, inv.Serie, inv.Folio),
		DueDate: rec.due, Balances: rec.changes(&inv), CreditOverride: rec.override, Movements: moves}); err != nil {
		return Invoice{}, err
	}
	return inv, nil
}

// relate checks that every related document may be related (a cancelled or
// unstamped document of this installation may not) and links the ones
// issued here by id.
func (s *Service) relate(ctx context.Context, tx PostTx, inv *Invoice) error {
	for i := range inv.Relations {
		r := &inv.Relations[i]
		id, st, found, err := tx.RelatedDocument(ctx, inv.Issuer, r.UUID)
		if err != nil {
			return err
		}
		if !found {
			r.DocumentID = 0
			continue
		}
		if err := st.Allowed(EventRelate); err != nil {
			return err
		}
		if err := notHeld(ctx, tx, id, "el documento "+r.UUID, inv.Fecha); err != nil {
			return err
		}
		r.DocumentID = id
	}
	return nil
}

// checkCredit runs CheckCredit on a credit note against its invoices as
// they are inside the transaction, with what the other live notes took.
func (s *Service) checkCredit(ctx context.Context, tx PostTx, inv *Invoice) error {
	if inv.TipoDeComprobante != TipoEgreso || inv.CreditKind == "" {
		return nil
	}
	decimals, ok := s.Catalogs.MonedaDecimals(inv.Moneda)
	if !ok {
		return domain.E(domain.Invalid, "post credit note", "La moneda no existe en el catálogo del SAT.", nil)
	}
	invoices, done := map[int64]*Invoice{}, map[int64]Credited{}
	for _, l := range inv.Lines {
		if l.Credits == nil || invoices[l.Credits.InvoiceID] != nil {
			continue
		}
		id := l.Credits.InvoiceID
		src, err := tx.LoadDocument(ctx, id)
		if err != nil {
			return err
		}
		c, err := tx.Credited(ctx, id)
		if err != nil {
			return err
		}
		invoices[id], done[id] = &src, c
	}
	return CheckCredit(inv, invoices, done, decimals)
}

// preflightOptions are the facts outside the document that the pre-flight
// checks need: now, and the validity and holder of the sealing certificate.
func preflightOptions(now time.Time, cert *csd.Certificate) preflight.Options {
	o := preflight.Options{Now: now}
	if cert != nil {
		o.CertNotBefore, o.CertNotAfter, o.CertRFC = cert.NotBefore, cert.NotAfter, cert.RFC
	}
	return o
}
