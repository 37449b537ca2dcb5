package thirdparty

import (
	"context"
	"time"

	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// DocFilter selects posted invoices of Issuer by Fecha: From inclusive, To
// exclusive; a zero bound is open. ThirdPartyID 0 selects every third party.
type DocFilter struct {
	Issuer       string
	From, To     time.Time
	ThirdPartyID int64
}

// Doc is a posted invoice (tipo I, not cancelled) that bills concepts on
// behalf of third parties, as the store reads it: its header, its stored
// total, what its live credit notes took (Credited) and its live payment
// receipts paid (Paid) in its currency, its third-party concepts only, and
// its live credit notes.
type Doc struct {
	InvoiceID                 int64
	Serie                     string
	Folio                     int64
	Fecha                     time.Time
	CustomerRFC, CustomerName string
	Moneda                    string
	TipoCambio                decimal.Decimal
	Terms                     sales.PaymentTerms
	Total, Credited, Paid     decimal.Decimal
	Lines                     []sales.Line // the concepts with a ThirdParty; own ones are left out
	Notes                     []Note
}

// Note is a live credit note of a Doc: its total, the share of it that
// credits this invoice and its third-party concepts.
type Note struct {
	ID              int64
	Total, Credited decimal.Decimal
	Lines           []sales.Line
}

// PayoutFilter selects Issuer's payouts by Fecha (From inclusive, To
// exclusive, zero bounds open) and third party (0 for all); cancelled ones
// only when Cancelled.
type PayoutFilter struct {
	Issuer       string
	ThirdPartyID int64
	From, To     time.Time
	Cancelled    bool
}

// Reader reads what balances are computed from.
type Reader interface {
	// ThirdPartyDocs returns the Docs f selects, oldest first.
	ThirdPartyDocs(ctx context.Context, f DocFilter) ([]Doc, error)
	// Payouts returns the payouts f selects, oldest first.
	Payouts(ctx context.Context, f PayoutFilter) ([]Payout, error)
}

// PayoutTx is the store's unit of work for a payout: what it reads sees
// every payout recorded before it, and what it writes is kept only if the
// whole function succeeds.
type PayoutTx interface {
	Reader
	// Account returns one account; NotFound if absent.
	Account(ctx context.Context, id int64) (banks.Account, error)
	// InsertPayout stores p (with its withdrawal m, nil for none, which it
	// stores first) and sets their IDs.
	InsertPayout(ctx context.Context, p *Payout, m *banks.Movement) error
	// FindPayout returns payout id of issuer; NotFound if absent.
	FindPayout(ctx context.Context, issuer string, id int64) (Payout, error)
	// MarkPayoutCancelled records payout id as cancelled at at and stores
	// the reversals rs of its withdrawal.
	MarkPayoutCancelled(ctx context.Context, id int64, at time.Time, rs []banks.Movement) error
	// Movements returns the bank movement id and the movements reversing it.
	Movements(ctx context.Context, id int64) ([]banks.Movement, error)
}

// Store is what the package's use cases need.
type Store interface {
	Reader
	// PayoutTx runs fn in one write transaction.
	PayoutTx(ctx context.Context, fn func(tx PayoutTx) error) error
	// FindThirdParties lists the catalog (sales.ThirdPartyStore).
	FindThirdParties(ctx context.Context, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error)
	// CommissionDocs returns Issuer's live posted invoices in the period
	// whose sale details name sellers, with all their concepts.
	CommissionDocs(ctx context.Context, issuer string, from, to time.Time) ([]sales.Invoice, error)
	// SalesBook returns every posted invoice and credit note of issuer
	// dated in [from, to), and the folios of its I and E series voided in it.
	SalesBook(ctx context.Context, issuer string, from, to time.Time) ([]BookDoc, []VoidedFolio, error)
}

// BookDoc is a posted invoice or credit note as the sales book needs it:
// stored amounts in its currency and its third-party concepts (to split).
type BookDoc struct {
	ID                        int64
	Tipo                      string // I or E
	Serie                     string
	Folio                     int64
	Fecha                     time.Time
	CustomerRFC, CustomerName string
	Moneda                    string
	TipoCambio                decimal.Decimal
	Cancelled                 bool
	SubTotal, Descuento       decimal.Decimal
	IVA, IEPS, Retenciones    decimal.Decimal // transferred IVA, IEPS; every withholding
	Total                     decimal.Decimal
	TPLines                   []sales.Line
}

// VoidedFolio is a folio number voided (anulado) without a document.
type VoidedFolio struct {
	Serie  string
	Folio  int64
	At     time.Time
	Reason string
}
