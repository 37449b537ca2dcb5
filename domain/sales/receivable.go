package sales

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/receivables"
)

// OpensReceivable reports whether posted document inv opens a receivable
// (receivables.Opens: an invoice paid later, PPD).
func (inv *Invoice) OpensReceivable() bool {
	return receivables.Opens(inv.TipoDeComprobante, inv.MetodoPago())
}

// receivable is what a post decides about receivables before sealing: the
// due date, the credit check's verdict (or its authorized override) and
// which related invoices are receivables.
type receivable struct {
	due      time.Time
	override *receivables.Override
	related  map[int64]*Invoice // the related invoices of this installation
}

// checkReceivable decides, inside the post's transaction, inv's due date
// (Fecha plus its customer's credit days) and whether the customer may be
// sold to on credit (receivables.CheckCredit against the customer's open
// balances as stored in this transaction). A refusal is overridden only by
// an administrator's credential verified before the transaction, with a
// reason; the override is recorded with the invoice.
func (p *poster) checkReceivable(ctx context.Context, tx PostTx, inv *Invoice, t Totals) (*receivable, error) {
	r := &receivable{related: map[int64]*Invoice{}}
	for _, rel := range inv.Relations {
		if rel.DocumentID == 0 || r.related[rel.DocumentID] != nil {
			continue
		}
		src, err := tx.LoadDocument(ctx, rel.DocumentID)
		if err != nil {
			return nil, err
		}
		r.related[rel.DocumentID] = &src
	}
	if !inv.OpensReceivable() {
		return r, nil
	}
	r.due = receivables.DueDate(inv.Fecha, inv.Customer.CreditDays)
	// The receivable is under the "Cuenta x cobrar a" customer when the
	// sale names one: that customer's limit and balances decide.
	owner := inv.ReceivableCustomerID()
	limit := inv.Customer.CreditLimit
	if owner != inv.CustomerID {
		c, err := collectFrom(ctx, tx, owner)
		if err != nil {
			return nil, err
		}
		limit = c.CreditLimit
	}
	groups, err := tx.OpenGroups(ctx, inv.Issuer, owner, inv.Fecha)
	if err != nil {
		return nil, err
	}
	bal := receivables.NewBalance(owner, inv.Fecha, groups)
	amount := AmountsOf(inv, t).TotalMXN
	err = receivables.CheckCredit(limit, bal, amount)
	if err == nil {
		return r, nil
	}
	if !p.creditAuthorized || !errors.Is(err, receivables.ErrCreditRefused) {
		return nil, err
	}
	r.override = &receivables.Override{InvoiceID: inv.ID, CustomerID: owner, By: p.creditBy,
		Reason: p.creditReason, At: p.now, Limit: limit, Open: bal.Open, Overdue: bal.Overdue,
		AmountMXN: amount, Refusal: domain.UserMessage(err)}
	return r, nil
}

// collectFrom returns the "Cuenta x cobrar a" customer id as this
// transaction sees it: it must exist and be active.
func collectFrom(ctx context.Context, tx PostTx, id int64) (Customer, error) {
	const op = "post invoice"
	c, err := tx.Customer(ctx, id)
	if domain.KindOf(err) == domain.NotFound {
		return Customer{}, domain.E(domain.Invalid, op, "El cliente de «Cuenta x cobrar a» ya no existe; elija otro en la pestaña Cuenta x cobrar a.", err)
	}
	if err != nil {
		return Customer{}, err
	}
	if !c.Active {
		return Customer{}, domain.E(domain.Invalid, op, fmt.Sprintf("El cliente de «Cuenta x cobrar a» (%s) está dado de baja; reactívelo o elija otro en la pestaña Cuenta x cobrar a.", c.Name), nil)
	}
	return c, nil
}

// changes returns the open-balance changes of posting inv (after its credit
// shares are set): its own receivable opens with its total, a credit note
// lowers each related receivable by its share, and a payment receipt each
// invoice it pays by ImpPagado.
func (r *receivable) changes(inv *Invoice) []receivables.Change {
	d := receivables.Doc{ID: inv.ID, Receivable: inv.OpensReceivable(), Total: inv.Total}
	for _, rel := range inv.Relations {
		src := r.related[rel.DocumentID]
		if src == nil || rel.Credited.IsZero() {
			continue
		}
		d.Shares = append(d.Shares, receivables.Share{InvoiceID: src.ID, Amount: rel.Credited,
			Receivable: src.OpensReceivable(), Cancelled: src.State == StateCancelled})
	}
	d.Shares = append(d.Shares, PaymentShares(inv)...)
	return receivables.Posted(d)
}

// creditOverride verifies, before the transaction, the administrator's
// credential that authorizes a credit sale CheckCredit would refuse.
func (p *poster) creditOverride(ctx context.Context, opts PostOptions) error {
	const op = "post invoice"
	if opts.CreditOverrideReason == "" {
		return nil
	}
	if p.s.Admin == nil {
		return domain.E(domain.Invalid, op, "Solo un administrador puede autorizar una venta a crédito fuera de límite; defina la contraseña de administrador en Empresa.", nil)
	}
	if !p.authorized { // the same credential, already verified for a folio override
		if err := p.s.Admin.CheckAdminPassword(ctx, opts.AdminPassword); err != nil {
			return err
		}
	}
	p.creditAuthorized, p.creditReason, p.creditBy = true, opts.CreditOverrideReason, opts.CreditOverrideBy
	if p.creditBy == "" {
		p.creditBy = "administrador"
	}
	return nil
}

// PaymentShares is what payment receipt inv takes from each invoice it pays
// (ImpPagado, in the invoice's currency); none for another document. Only
// open, stamped PPD invoices can be paid (BuildPayment, CheckPayment), so
// each is a live receivable.
func PaymentShares(inv *Invoice) []receivables.Share {
	if inv.Payment == nil {
		return nil
	}
	var out []receivables.Share
	for _, d := range inv.Payment.Docs {
		out = append(out, receivables.Share{InvoiceID: d.InvoiceID, Amount: d.ImpPagado, Receivable: true})
	}
	return out
}
