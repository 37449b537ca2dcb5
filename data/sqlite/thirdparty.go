package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/internal/thirdpartysql"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
)

// The third parties' catalog, the sale details and snapshots an invoice
// carries, the sales settings, and the third parties' balances, payouts
// and reports run the SQL the PostgreSQL store runs
// (data/internal/thirdpartysql); this file keeps the file's dialect and
// its transactions.

// tpDialect is SQLite's: empty text for a missing instant, the FTS4 index for name
// words, index hints.
var tpDialect = thirdpartysql.Dialect{
	Unique:     isUniqueViolation,
	ForeignKey: func(err error) bool { return strings.Contains(err.Error(), "FOREIGN KEY") },
	Words: func(text string) (string, []any) {
		match := ftsMatch(text)
		if match == "" {
			return "", nil
		}
		return "t.id IN (SELECT docid FROM third_parties_fts WHERE third_parties_fts MATCH ?)", []any{match}
	},
	NameOrder: "t.name COLLATE NOCASE",
}

var (
	_ sales.ThirdPartyStore    = (*Store)(nil)
	_ sales.SalesSettingsStore = (*Store)(nil)
	_ thirdparty.Store         = (*Store)(nil)
)

// CreateThirdParty stores a new third party (already validated) and sets
// its ID and timestamps; an RFC its issuer already has is a Conflict.
func (s *Store) CreateThirdParty(ctx context.Context, t *sales.ThirdParty) error {
	t.CreatedAt = s.Now()
	t.UpdatedAt = t.CreatedAt
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return thirdpartysql.InsertThirdParty(ctx, tx, tpDialect, t) })
}

// UpdateThirdParty rewrites a third party (its issuer never changes);
// NotFound if absent, Conflict if its new RFC is another's of the same
// issuer. Invoice lines keep the snapshot they carry.
func (s *Store) UpdateThirdParty(ctx context.Context, t *sales.ThirdParty) error {
	t.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return thirdpartysql.UpdateThirdParty(ctx, tx, tpDialect, t) })
}

// SetThirdPartyActive activates or deactivates a third party.
func (s *Store) SetThirdPartyActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return thirdpartysql.SetThirdPartyActive(ctx, tx, id, active, s.Now()) })
}

// FindThirdPartyByID returns one third party; NotFound if absent.
func (s *Store) FindThirdPartyByID(ctx context.Context, id int64) (sales.ThirdParty, error) {
	return thirdpartysql.FindThirdParty(ctx, s.ReadDB(), id)
}

// FindThirdParties searches f.Issuer's third parties by name words or RFC
// prefix, ordered by name.
func (s *Store) FindThirdParties(ctx context.Context, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error) {
	return thirdpartysql.FindThirdParties(ctx, s.ReadDB(), tpDialect, f)
}

// SalesSettings returns issuer's sales settings; the zero value when none
// were saved.
func (s *Store) SalesSettings(ctx context.Context, issuer string) (sales.SalesSettings, error) {
	return thirdpartysql.SalesSettings(ctx, s.ReadDB(), issuer)
}

// SetSalesSettings saves issuer's sales settings.
func (s *Store) SetSalesSettings(ctx context.Context, issuer string, st sales.SalesSettings) error {
	key, value, err := thirdpartysql.SalesSettingsValue(issuer, st)
	if err != nil {
		return err
	}
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return s.putSetting(ctx, tx, key, value) })
}

// ThirdPartyDocs returns the live posted invoices f selects that bill on
// behalf of third parties, oldest first (thirdparty.Reader).
func (s *Store) ThirdPartyDocs(ctx context.Context, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	return thirdpartysql.ThirdPartyDocs(ctx, s.ReadDB(), tpDialect, f)
}

// Payouts returns the payouts f selects, oldest first (thirdparty.Reader).
func (s *Store) Payouts(ctx context.Context, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	return thirdpartysql.Payouts(ctx, s.ReadDB(), tpDialect, f)
}

// PayoutTx runs fn in one immediate write transaction (thirdparty.Store):
// the checks it reads and the payout it writes cannot interleave with
// another payout, on this or another connection to the file.
func (s *Store) PayoutTx(ctx context.Context, fn func(tx thirdparty.PayoutTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		return fn(&thirdpartysql.PayoutTx{Q: tx, D: tpDialect, Bank: payoutBank{tx}})
	})
}

// payoutBank is the file's bank movements inside a payout's transaction.
type payoutBank struct{ q querier }

func (b payoutBank) Account(ctx context.Context, id int64) (banks.Account, error) {
	return findAccount(ctx, b.q, id)
}

func (b payoutBank) InsertMovement(ctx context.Context, m *banks.Movement) error {
	return insertMovement(ctx, b.q, m)
}

func (b payoutBank) Movements(ctx context.Context, id int64) ([]banks.Movement, error) {
	return movementAndReversals(ctx, b.q, id)
}

// CommissionDocs returns issuer's live posted invoices dated in [from, to)
// whose sale details name sellers, with all their concepts.
func (s *Store) CommissionDocs(ctx context.Context, issuer string, from, to time.Time) ([]sales.Invoice, error) {
	q := s.ReadDB()
	return thirdpartysql.CommissionDocs(ctx, q, issuer, from, to, func(ctx context.Context, id int64) (sales.Invoice, error) {
		return findInvoice(ctx, q, id)
	})
}

// SalesBook returns issuer's posted invoices and credit notes dated in
// [from, to) with their stored amounts and third-party concepts, and the
// folios of its I and E series voided in the period.
func (s *Store) SalesBook(ctx context.Context, issuer string, from, to time.Time) ([]thirdparty.BookDoc, []thirdparty.VoidedFolio, error) {
	return thirdpartysql.SalesBook(ctx, s.ReadDB(), tpDialect, issuer, from, to)
}
