package thirdparty

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// Service runs the package's use cases on a Store.
type Service struct {
	Store    Store
	Decimals Decimals         // c_Moneda decimals; nil: two
	Clock    func() time.Time // nil: time.Now
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// Balances returns the Report of issuer's third parties over [from, to)
// (zero bounds open): the invoices dated in the period with their
// collection as of now, and the live payouts dated in it. thirdPartyID 0
// reports every third party.
func (s *Service) Balances(ctx context.Context, issuer string, from, to time.Time, thirdPartyID int64) (Report, error) {
	docs, err := s.Store.ThirdPartyDocs(ctx, DocFilter{Issuer: issuer, From: from, To: to, ThirdPartyID: thirdPartyID})
	if err != nil {
		return Report{}, err
	}
	pays, err := s.Store.Payouts(ctx, PayoutFilter{Issuer: issuer, ThirdPartyID: thirdPartyID, From: from, To: to})
	if err != nil {
		return Report{}, err
	}
	cat, err := s.Store.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: issuer, IncludeInactive: true})
	if err != nil {
		return Report{}, err
	}
	return Compute(docs, pays, cat, s.Decimals, from, to)
}

// PayoutResult is a recorded payout with the figures it was checked
// against. Ahead is true when the payout hands over more than was
// collected for the third party and not paid out yet: allowed (the company
// advances money), but the user should know.
type PayoutResult struct {
	Payout  Payout
	Before  Balance // the third party's balance in the payout's currency before it
	Ahead   bool
	Advance decimal.Decimal // how much of the payout was not collected yet
}

// RecordPayout validates p and, in one transaction, checks it against the
// third party's whole history in p's currency and records it with its
// withdrawal from p.AccountID (banks.Move, the accounts' currency rule; no
// account, no movement). It refuses (Invalid, in Spanish, with the figures)
// a payout larger than what is owed (billed − paid out); paying out before
// collecting is allowed and reported in the result.
func (s *Service) RecordPayout(ctx context.Context, p Payout) (PayoutResult, error) {
	const op = "record payout"
	p.Normalize()
	if err := p.Validate(); err != nil {
		return PayoutResult{}, err
	}
	var res PayoutResult
	err := s.Store.PayoutTx(ctx, func(tx PayoutTx) error {
		docs, err := tx.ThirdPartyDocs(ctx, DocFilter{Issuer: p.Issuer, ThirdPartyID: p.ThirdPartyID})
		if err != nil {
			return err
		}
		pays, err := tx.Payouts(ctx, PayoutFilter{Issuer: p.Issuer, ThirdPartyID: p.ThirdPartyID})
		if err != nil {
			return err
		}
		rep, err := Compute(docs, pays, nil, s.Decimals, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		b := Balance{ThirdPartyID: p.ThirdPartyID, Moneda: p.Moneda}
		for _, x := range rep.Balances {
			if x.ThirdPartyID == p.ThirdPartyID && x.Moneda == p.Moneda {
				b = x
			}
		}
		if p.Amount.GreaterThan(b.Owed) {
			return domain.Errorf(domain.Invalid, op,
				"No puede liquidar %s %s: a este tercero se le debe %s %s (facturado %s menos liquidado %s). Revise el monto.",
				tax.FormatMXN(p.Amount), p.Moneda, tax.FormatMXN(decimal.Max(b.Owed, decimal.Zero)), p.Moneda,
				tax.FormatMXN(b.Billed), tax.FormatMXN(b.PaidOut))
		}
		res.Before = b
		if pending := decimal.Max(b.PendingPayout, decimal.Zero); p.Amount.GreaterThan(pending) {
			res.Ahead, res.Advance = true, p.Amount.Sub(pending)
		}
		var m *banks.Movement
		if p.AccountID != 0 {
			a, err := tx.Account(ctx, p.AccountID)
			if domain.KindOf(err) == domain.NotFound {
				return domain.E(domain.Invalid, op, "La cuenta elegida no existe.", err)
			}
			if err != nil {
				return err
			}
			mv, err := banks.Move(a, p.Issuer, banks.Withdrawal, p.Fecha, 0, p.Moneda, p.Amount, p.TipoCambio)
			if err != nil {
				return err
			}
			mv.Memo = fmt.Sprintf("Liquidación a tercero %s", p.Reference)
			if !mv.TipoCambio.IsZero() {
				p.TipoCambio = mv.TipoCambio
			}
			m = &mv
		}
		p.CreatedAt = s.now()
		if err := tx.InsertPayout(ctx, &p, m); err != nil {
			return err
		}
		res.Payout = p
		return nil
	})
	return res, err
}

// CancelPayout cancels issuer's payout id and reverses its withdrawal
// (banks.Reverse) in one transaction: the money counts as owed again.
// Cancelling twice is a Conflict.
func (s *Service) CancelPayout(ctx context.Context, issuer string, id int64) error {
	const op = "cancel payout"
	return s.Store.PayoutTx(ctx, func(tx PayoutTx) error {
		p, err := tx.FindPayout(ctx, issuer, id)
		if err != nil {
			return err
		}
		if p.Cancelled() {
			return domain.Errorf(domain.Conflict, op, "La liquidación %d ya está cancelada.", id)
		}
		at := s.now()
		var rs []banks.Movement
		if p.MovementID != 0 {
			ms, err := tx.Movements(ctx, p.MovementID)
			if err != nil {
				return err
			}
			rs = banks.Reverse(ms, at)
		}
		return tx.MarkPayoutCancelled(ctx, id, at, rs)
	})
}

// ThirdParties lists issuer's third parties, inactive ones too.
func (s *Service) ThirdParties(ctx context.Context, issuer string) ([]sales.ThirdParty, error) {
	return s.Store.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: issuer, IncludeInactive: true})
}

// MonthRange is [first instant, first instant of the next month) of the
// month of t in Mexico City.
func MonthRange(t time.Time) (time.Time, time.Time) {
	y, m, _ := t.In(domain.MexicoCity).Date()
	from := time.Date(y, m, 1, 0, 0, 0, 0, domain.MexicoCity)
	return from, from.AddDate(0, 1, 0)
}
