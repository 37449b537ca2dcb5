package sales

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/shopspring/decimal"
)

// A cash sale (an invoice with MetodoPago PUE) is paid when it is issued:
// it gets no payment receipt (Guía de llenado de pagos 2.0). Its money
// still goes into one of the company's accounts, recorded as a deposit
// linked to the invoice: when it is posted (Invoice.DepositAccount,
// saleDepositOf, in the posting transaction), or later from Cobros when
// it was posted without one ("cobro sin registrar", RecordCollections).
// Cancelling the invoice reverses that deposit like a receipt's.

// saleDepositOf is the deposit a cash sale makes into the account it
// names (DepositAccount) for its total, decided inside the posting
// transaction like a receipt's deposit (depositOf): the account exists,
// is the company's and active, and takes the invoice's currency
// (banks.Convert: an MXN account at the invoice's TipoCambio). Only a PUE
// invoice names one; a credit sale (PPD) is collected through a payment
// receipt. No account, no movement.
func saleDepositOf(ctx context.Context, tx PostTx, inv *Invoice, total decimal.Decimal) (*banks.Movement, error) {
	const op = "post invoice"
	if inv.DepositAccount == 0 {
		return nil, nil
	}
	if inv.TipoDeComprobante != TipoIngreso || inv.MetodoPago() != "PUE" {
		return nil, domain.E(domain.Invalid, op, "Solo una factura de contado (PUE) registra su cobro al emitirse; el de una factura a crédito (PPD) se registra con un recibo de pago en Cobros. Quite la cuenta «Cobrado en» o cambie la condición a contado.", nil)
	}
	a, err := accountIn(ctx, tx, inv.DepositAccount, op)
	if err != nil {
		return nil, err
	}
	m, err := banks.Move(a, inv.Issuer, banks.Deposit, inv.Fecha, inv.ID, inv.Moneda, total, rateOf(inv))
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// rateOf is the invoice's exchange rate for its own currency: 1 in pesos.
func rateOf(inv *Invoice) decimal.Decimal {
	if inv.Moneda == "MXN" {
		return decimal.NewFromInt(1)
	}
	return inv.TipoCambio
}

// accountIn reads account id inside the unit of work tx.
func accountIn(ctx context.Context, tx PostTx, id int64, op string) (banks.Account, error) {
	btx, ok := tx.(BankTx)
	if !ok {
		return banks.Account{}, domain.E(domain.Internal, op, "Este almacén no registra cuentas de caja y bancos.", nil)
	}
	a, err := btx.Account(ctx, id)
	if domain.KindOf(err) == domain.NotFound {
		return banks.Account{}, domain.E(domain.Invalid, op, "La cuenta elegida para el cobro no existe.", err)
	}
	return a, err
}

// CollectionTx is what recording the collection of a cash sale reads and
// writes inside its unit of work besides PostTx.
type CollectionTx interface {
	BankTx
	// InvoiceMovements returns the movements of the company's accounts
	// linked to invoice id (deposits, refunds and their reversals), oldest
	// first.
	InvoiceMovements(ctx context.Context, id int64) ([]banks.Movement, error)
	// RecordMovement stores a movement the domain decided and sets its ID.
	RecordMovement(ctx context.Context, m *banks.Movement) error
}

// CollectionStore reads the cash sales whose collection is still to be
// recorded.
type CollectionStore interface {
	// UncollectedInvoices returns issuer's PUE invoices to customerID,
	// posted and not cancelled (nor being cancelled), with no live deposit
	// (a deposit not reversed) linked to them, oldest first. Payable.Total
	// is the amount their collection deposits.
	UncollectedInvoices(ctx context.Context, issuer string, customerID int64) ([]Payable, error)
}

// Collection is the deposit that records, on date at into account a, the
// collection of cash sale inv of issuer, given the movements already
// linked to it (moves): the invoice's total in its currency (an MXN
// account takes another currency at the invoice's TipoCambio, as when it
// is posted). Refusals, in Spanish: an invoice of another company, not an
// ingreso PUE (a PPD one is collected with a payment receipt), not posted,
// cancelled or being cancelled (Conflict), one whose collection is already
// recorded by a live deposit (Conflict), and what banks.Move refuses.
func Collection(inv *Invoice, issuer string, moves []banks.Movement, a banks.Account, at time.Time) (banks.Movement, error) {
	const op = "record collection"
	if inv.Issuer != issuer {
		return banks.Movement{}, domain.E(domain.Invalid, op, "La factura es de otra empresa.", nil)
	}
	if inv.TipoDeComprobante != TipoIngreso {
		return banks.Movement{}, domain.Errorf(domain.Invalid, op, "El documento %s no es una factura de ingreso: no se cobra.", inv.FolioText())
	}
	if inv.MetodoPago() != "PUE" {
		return banks.Movement{}, domain.Errorf(domain.Invalid, op, "La factura %s es a crédito (PPD): su cobro se registra con un recibo de pago.", inv.FolioText())
	}
	switch inv.State {
	case StateSealed, StateStamped, StateCancelRejected:
	case StateDraft:
		return banks.Movement{}, domain.E(domain.Conflict, op, "La factura no está emitida: emítala y registre su cobro al emitirla.", nil)
	default:
		return banks.Movement{}, domain.Errorf(domain.Conflict, op, "La factura %s está cancelada, en cancelación o rechazada: no se registra su cobro.", inv.FolioText())
	}
	var deposits []banks.Movement
	for _, m := range moves {
		if m.Direction == banks.Deposit {
			deposits = append(deposits, m)
		}
	}
	if len(banks.Reverse(deposits, at)) > 0 {
		return banks.Movement{}, domain.Errorf(domain.Conflict, op, "El cobro de la factura %s ya está registrado.", inv.FolioText())
	}
	m, err := banks.Move(a, issuer, banks.Deposit, at, inv.ID, inv.Moneda, inv.Total, rateOf(inv))
	if err != nil {
		return banks.Movement{}, err
	}
	m.Memo = "Cobro de " + inv.FolioText()
	return m, nil
}

// RecordCollections records, in one transaction, the collection of the
// cash sales ids of company co into account accountID on date at: one
// deposit each, linked to its invoice (Collection decides each against the
// invoice and its movements as they are inside the transaction). No CFDI
// is issued: a PUE invoice was paid when issued. Any refusal records
// nothing.
func (s *Service) RecordCollections(ctx context.Context, co *Company, accountID int64, at time.Time, ids []int64) ([]banks.Movement, error) {
	const op = "record collection"
	if len(ids) == 0 {
		return nil, domain.E(domain.Invalid, op, "Elija al menos una factura de contado que cobrar.", nil)
	}
	if accountID == 0 {
		return nil, domain.E(domain.Invalid, op, "Elija la cuenta en que entró el dinero: sin cuenta no hay cobro que registrar.", nil)
	}
	if at.IsZero() {
		return nil, domain.E(domain.Invalid, op, "Indique la fecha y hora del cobro.", nil)
	}
	var out []banks.Movement
	err := s.Invoices.PostTx(ctx, func(tx PostTx) error {
		out = out[:0]
		ctx2, ok := tx.(CollectionTx)
		if !ok {
			return domain.E(domain.Internal, op, "Este almacén no registra cobros.", nil)
		}
		a, err := accountIn(ctx, tx, accountID, op)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, id := range ids {
			if seen[id] {
				return domain.E(domain.Invalid, op, "Una factura aparece dos veces en el cobro.", nil)
			}
			seen[id] = true
			inv, err := tx.LoadDocument(ctx, id)
			if err != nil {
				return err
			}
			moves, err := ctx2.InvoiceMovements(ctx, id)
			if err != nil {
				return err
			}
			m, err := Collection(&inv, co.RFC, moves, a, at)
			if err != nil {
				return err
			}
			if err := ctx2.RecordMovement(ctx, &m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
