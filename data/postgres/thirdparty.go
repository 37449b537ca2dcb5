package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/data/internal/thirdpartysql"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/jackc/pgx/v5/pgconn"
)

// The third parties' catalog, the sale details and snapshots an invoice
// carries, the sales settings, and the third parties' balances, payouts
// and reports run the SQLite store's SQL (data/internal/thirdpartysql);
// this file keeps the server's dialect, its transactions and the lock
// that makes two workstations paying one third party take turns.

// tpDialect is the server's: NULL for a missing instant, the trigram index
// for name words.
var tpDialect = thirdpartysql.Dialect{
	Postgres:   true,
	Unique:     isUniqueViolation,
	ForeignKey: isForeignKeyViolation,
	Words: func(text string) (string, []any) {
		if !hasWords(text) {
			return "", nil
		}
		return matchWords("t.search", text)
	},
	NameOrder: "lower(t.name)",
}

func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// payoutLockClass is the first key of the lock a payout takes (the second
// is hashtext of the company's RFC and the third party's id), apart from
// the posting and quote locks so a payout never waits for them.
const payoutLockClass = 0x54507479

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
	return s.WriteTx(ctx, func(tx *Tx) error { return thirdpartysql.InsertThirdParty(ctx, tx, tpDialect, t) })
}

// UpdateThirdParty rewrites a third party (its issuer never changes);
// NotFound if absent, Conflict if its new RFC is another's of the same
// issuer. Invoice lines keep the snapshot they carry.
func (s *Store) UpdateThirdParty(ctx context.Context, t *sales.ThirdParty) error {
	t.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *Tx) error { return thirdpartysql.UpdateThirdParty(ctx, tx, tpDialect, t) })
}

// SetThirdPartyActive activates or deactivates a third party.
func (s *Store) SetThirdPartyActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return thirdpartysql.SetThirdPartyActive(ctx, tx, id, active, s.Now()) })
}

// FindThirdPartyByID returns one third party; NotFound if absent.
func (s *Store) FindThirdPartyByID(ctx context.Context, id int64) (sales.ThirdParty, error) {
	t, err := thirdpartysql.FindThirdParty(ctx, s.ReadDB(), id)
	return t, mapErr("postgres.FindThirdPartyByID", s.name, err)
}

// FindThirdParties searches f.Issuer's third parties by name words or RFC
// prefix, ordered by name.
func (s *Store) FindThirdParties(ctx context.Context, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error) {
	ts, err := thirdpartysql.FindThirdParties(ctx, s.ReadDB(), tpDialect, f)
	return ts, mapErr("postgres.FindThirdParties", s.name, err)
}

// SalesSettings returns issuer's sales settings; the zero value when none
// were saved.
func (s *Store) SalesSettings(ctx context.Context, issuer string) (sales.SalesSettings, error) {
	st, err := thirdpartysql.SalesSettings(ctx, s.ReadDB(), issuer)
	return st, mapErr("postgres.SalesSettings", s.name, err)
}

// SetSalesSettings saves issuer's sales settings.
func (s *Store) SetSalesSettings(ctx context.Context, issuer string, st sales.SalesSettings) error {
	key, value, err := thirdpartysql.SalesSettingsValue(issuer, st)
	if err != nil {
		return err
	}
	return s.WriteTx(ctx, func(tx *Tx) error { return s.putSetting(ctx, tx, key, value) })
}

// ThirdPartyDocs returns the live posted invoices f selects that bill on
// behalf of third parties, oldest first (thirdparty.Reader).
func (s *Store) ThirdPartyDocs(ctx context.Context, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	ds, err := thirdpartysql.ThirdPartyDocs(ctx, s.ReadDB(), tpDialect, f)
	return ds, mapErr("postgres.ThirdPartyDocs", s.name, err)
}

// Payouts returns the payouts f selects, oldest first (thirdparty.Reader).
func (s *Store) Payouts(ctx context.Context, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	ps, err := thirdpartysql.Payouts(ctx, s.ReadDB(), tpDialect, f)
	return ps, mapErr("postgres.Payouts", s.name, err)
}

// PayoutTx runs fn in one transaction (thirdparty.Store). Before it reads
// a third party's documents and payouts it takes the transaction lock of
// the company and that third party, so a payout on another workstation to
// the same third party waits for this one to end and then reads its
// payout: a balance is never paid twice. A recorded or cancelled payout is
// announced to the other workstations (thirdparty.payout).
func (s *Store) PayoutTx(ctx context.Context, fn func(tx thirdparty.PayoutTx) error) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		ptx := &thirdpartysql.PayoutTx{Q: tx, D: tpDialect, Bank: payoutBank{tx},
			Lock: func(ctx context.Context, issuer string, id int64) error {
				_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(?))`, int32(payoutLockClass),
					fmt.Sprintf("%s/%d", issuer, id))
				if err != nil {
					return fmt.Errorf("lock payouts of third party %d: %w", id, err)
				}
				return nil
			}}
		if err := fn(ptx); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, issuer := range ptx.Changed {
			if seen[issuer] {
				continue
			}
			seen[issuer] = true
			if err := notify(ctx, tx, change{Kind: event.ThirdPartyPayout, Issuer: issuer}); err != nil {
				return err
			}
		}
		return nil
	})
}

// payoutBank is the server's bank movements inside a payout's
// transaction.
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
	invs, err := thirdpartysql.CommissionDocs(ctx, q, issuer, from, to, func(ctx context.Context, id int64) (sales.Invoice, error) {
		return findInvoice(ctx, q, id)
	})
	return invs, mapErr("postgres.CommissionDocs", s.name, err)
}

// SalesBook returns issuer's posted invoices and credit notes dated in
// [from, to) with their stored amounts and third-party concepts, and the
// folios of its I and E series voided in the period.
func (s *Store) SalesBook(ctx context.Context, issuer string, from, to time.Time) ([]thirdparty.BookDoc, []thirdparty.VoidedFolio, error) {
	docs, voided, err := thirdpartysql.SalesBook(ctx, s.ReadDB(), tpDialect, issuer, from, to)
	return docs, voided, mapErr("postgres.SalesBook", s.name, err)
}
