package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

var (
	_ banks.Store           = (*Store)(nil)
	_ sales.CollectionStore = (*Store)(nil)
	_ sales.CollectionTx    = postTx{}
	_ interface {
		Account(context.Context, int64) (banks.Account, error)
	} = postTx{}
)

// CreateAccount stores a new account and sets its ID; a second account
// of the company with the same name is a Conflict.
func (s *Store) CreateAccount(ctx context.Context, a *banks.Account) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO bank_accounts (issuer, kind, name, bank, number, moneda, active)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Issuer, string(a.Kind), a.Name, a.Bank, a.Number, a.Moneda, a.Active)
		if isUniqueViolation(err) {
			return domain.Errorf(domain.Conflict, "create account", "Ya existe una cuenta llamada %s.", a.Name)
		}
		if err != nil {
			return fmt.Errorf("create account: %w", err)
		}
		a.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateAccount rewrites an account; NotFound if absent, Conflict when its
// currency would change under its movements.
func (s *Store) UpdateAccount(ctx context.Context, a *banks.Account) error {
	const op = "update account"
	return s.WriteTx(ctx, func(tx *Tx) error {
		old, err := findAccount(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if old.Moneda != a.Moneda {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bank_movements WHERE account_id = ?`, a.ID).Scan(&n); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if n > 0 {
				return domain.E(domain.Conflict, op, "La cuenta ya tiene movimientos: no puede cambiar su moneda.", nil)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE bank_accounts SET issuer = ?, kind = ?, name = ?, bank = ?, number = ?,
			moneda = ?, active = ? WHERE id = ?`, a.Issuer, string(a.Kind), a.Name, a.Bank, a.Number, a.Moneda, a.Active, a.ID)
		if isUniqueViolation(err) {
			return domain.Errorf(domain.Conflict, op, "Ya existe una cuenta llamada %s.", a.Name)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}

// FindAccount returns one account; NotFound if absent.
func (s *Store) FindAccount(ctx context.Context, id int64) (banks.Account, error) {
	return findAccount(ctx, s.ReadDB(), id)
}

// FindAccounts returns issuer's accounts, active or not, by name.
func (s *Store) FindAccounts(ctx context.Context, issuer string) ([]banks.Account, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT id, issuer, kind, name, bank, number, moneda, active
		FROM bank_accounts WHERE issuer = ? ORDER BY name, id`, issuer)
	if err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	defer rows.Close()
	var out []banks.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RecordMovement stores a movement the domain decided and sets its ID.
func (s *Store) RecordMovement(ctx context.Context, m *banks.Movement) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return insertMovement(ctx, tx, m) })
}

// AccountMovements returns the movements f selects, oldest first.
func (s *Store) AccountMovements(ctx context.Context, f banks.MovementFilter) ([]banks.Movement, error) {
	where, args := movementWhere(f)
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT id, account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo FROM bank_movements WHERE `+where+` ORDER BY at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("movements: %w", err)
	}
	return scanMovements(rows)
}

// AccountBalance is the exact sum (INTEGER micro-units) of the movements f
// selects.
func (s *Store) AccountBalance(ctx context.Context, f banks.MovementFilter) (decimal.Decimal, error) {
	where, args := movementWhere(f)
	var sum int64
	if err := s.ReadDB().QueryRowContext(ctx, `SELECT coalesce(sum(amount_micro), 0) FROM bank_movements WHERE `+where, args...).Scan(&sum); err != nil {
		return decimal.Zero, fmt.Errorf("balance: %w", err)
	}
	return fromMicro(sum), nil
}

// Account reads an account inside the posting transaction (sales.BankTx).
func (t postTx) Account(ctx context.Context, id int64) (banks.Account, error) {
	return findAccount(ctx, t.q, id)
}

func movementWhere(f banks.MovementFilter) (string, []any) {
	where, args := `account_id = ?`, []any{f.AccountID}
	if !f.From.IsZero() {
		where += ` AND at >= ?`
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND at < ?`
		args = append(args, salesTimeText(f.To))
	}
	return where, args
}

func findAccount(ctx context.Context, q querier, id int64) (banks.Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT id, issuer, kind, name, bank, number, moneda, active
		FROM bank_accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return banks.Account{}, domain.E(domain.NotFound, "find account", "La cuenta no existe.", err)
	}
	return a, err
}

func scanAccount(r interface{ Scan(...any) error }) (banks.Account, error) {
	var a banks.Account
	var kind string
	if err := r.Scan(&a.ID, &a.Issuer, &kind, &a.Name, &a.Bank, &a.Number, &a.Moneda, &a.Active); err != nil {
		return banks.Account{}, err
	}
	a.Kind = banks.Kind(kind)
	return a, nil
}

func insertMovement(ctx context.Context, q querier, m *banks.Movement) error {
	amount, err := micro(m.Amount)
	if err != nil {
		return err
	}
	doc, err := micro(m.DocAmount)
	if err != nil {
		return err
	}
	var rate string
	if !m.TipoCambio.IsZero() {
		rate = m.TipoCambio.String()
	}
	var inv, rev any
	if m.InvoiceID != 0 {
		inv = m.InvoiceID
	}
	if m.Reverses != 0 {
		rev = m.Reverses
	}
	res, err := q.ExecContext(ctx, `INSERT INTO bank_movements (account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.AccountID, salesTimeText(m.Date), string(m.Direction), amount, m.DocMoneda, doc, rate, inv, rev, m.Memo)
	if err != nil {
		return fmt.Errorf("insert movement: %w", err)
	}
	m.ID, err = res.LastInsertId()
	return err
}

func scanMovements(rows *sql.Rows) ([]banks.Movement, error) {
	defer rows.Close()
	var out []banks.Movement
	for rows.Next() {
		var m banks.Movement
		var at, dir, rate string
		var amount, doc int64
		var inv, rev sql.NullInt64
		if err := rows.Scan(&m.ID, &m.AccountID, &at, &dir, &amount, &m.DocMoneda, &doc, &rate, &inv, &rev, &m.Memo); err != nil {
			return nil, err
		}
		var sc salesScan
		m.Date = sc.time(at)
		if rate != "" {
			m.TipoCambio = sc.parse(rate)
		}
		if sc.err != nil {
			return nil, sc.err
		}
		m.Direction, m.Amount, m.DocAmount = banks.Direction(dir), fromMicro(amount), fromMicro(doc)
		m.InvoiceID, m.Reverses = inv.Int64, rev.Int64
		out = append(out, m)
	}
	return out, rows.Err()
}

// recordCancelMovements writes, in the transaction that records the
// cancellation of document id, the reversal of the money it moved through
// the company's accounts as the domain decides it (banks.Reverse).
func recordCancelMovements(ctx context.Context, q querier, id int64, at time.Time) error {
	rows, err := q.QueryContext(ctx, `SELECT id, account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo FROM bank_movements WHERE invoice_id = ? ORDER BY id`, id)
	if err != nil {
		return fmt.Errorf("movements of %d: %w", id, err)
	}
	ms, err := scanMovements(rows)
	if err != nil {
		return err
	}
	for _, r := range banks.Reverse(ms, at) {
		if err := insertMovement(ctx, q, &r); err != nil {
			return err
		}
	}
	return nil
}

// InvoiceMovements returns the movements linked to invoice id inside the
// unit of work (sales.CollectionTx), oldest first.
func (t postTx) InvoiceMovements(ctx context.Context, id int64) ([]banks.Movement, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, `SELECT id, account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo FROM bank_movements WHERE invoice_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("movements of %d: %w", id, err)
	}
	return scanMovements(rows)
}

// RecordMovement stores, inside the unit of work, a movement the domain
// decided (sales.CollectionTx).
func (t postTx) RecordMovement(ctx context.Context, m *banks.Movement) error {
	if err := t.accountCompany(ctx, m.AccountID); err != nil {
		return err
	}
	return insertMovement(ctx, t.q, m)
}

// UncollectedInvoices returns issuer's cash sales not yet collected,
// oldest first (sales.CollectionStore; salessql).
func (s *Store) UncollectedInvoices(ctx context.Context, issuer string, customerID int64) ([]sales.Payable, error) {
	return salesParts.UncollectedInvoices(ctx, s.ReadDB(), issuer, customerID)
}

// movementAndReversals returns movement id and the movements reversing it
// (what cancelling a third party's payout reverses).
func movementAndReversals(ctx context.Context, q querier, id int64) ([]banks.Movement, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo FROM bank_movements WHERE id = ? OR reverses = ? ORDER BY id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("movement %d: %w", id, err)
	}
	return scanMovements(rows)
}
