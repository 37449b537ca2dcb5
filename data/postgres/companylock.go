package postgres

import (
	"context"
	"fmt"
)

// Posting is serialized per company, as SQLite serializes every write.
// A post decides on balances it reads (the credit check reads the
// customer's open balances, a payment what is still owed of each invoice,
// a credit note what is left to credit, a collection the invoice's
// deposits): two workstations posting in different series for the same
// customer lock no common row, so each would pass its check against what
// it read before the other committed. Every unit of work that reads or
// writes balances (posts of every kind and collections through PostTx;
// cancellation requests and SAT's answers, which give balances back)
// therefore takes a transaction-scoped advisory lock on its company
// before the first such read, and before it locks any invoice row, so
// two of them never wait for each other in opposite orders; the others
// wait at that point
// and, the store's transactions being read committed, read afterwards
// what the first one committed.
//
// The lock is per company rather than per customer row because not every
// balance hangs off a customer (a payment or a collection names invoices;
// a collection's deposits belong to a bank account) and a company posts
// a few documents a minute at most: the wait is one post's length.

// companyLockClass is the first key of the company locks (the second is
// hashtext of the company's RFC, the issuer every table names it by: a
// collision between two companies only makes them wait for each other).
const companyLockClass = 0x466f6c70

// lockCompany takes, for the rest of the transaction q is in, the posting
// lock of the company issuer (its RFC).
func lockCompany(ctx context.Context, q querier, issuer string) error {
	if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(?))`, int32(companyLockClass), issuer); err != nil {
		return fmt.Errorf("lock company %s: %w", issuer, err)
	}
	return nil
}

// locks remembers which companies a posting transaction locked, so each
// is asked for once.
type locks map[string]bool

// company takes issuer's lock in t's transaction once.
func (t postTx) company(ctx context.Context, issuer string) error {
	if t.locked[issuer] {
		return nil
	}
	if err := lockCompany(ctx, t.q, issuer); err != nil {
		return err
	}
	t.locked[issuer] = true
	return nil
}

// invoiceCompany takes the lock of the company that issued invoice id (an
// unknown id takes none: the read that follows reports it).
func (t postTx) invoiceCompany(ctx context.Context, id int64) error {
	var issuer string
	err := t.q.QueryRowContext(ctx, `SELECT issuer FROM invoices WHERE id = ?`, id).Scan(&issuer)
	if err == errNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("issuer of %d: %w", id, err)
	}
	return t.company(ctx, issuer)
}

// accountCompany takes the lock of the company bank account id belongs to.
func (t postTx) accountCompany(ctx context.Context, id int64) error {
	var issuer string
	err := t.q.QueryRowContext(ctx, `SELECT issuer FROM bank_accounts WHERE id = ?`, id).Scan(&issuer)
	if err == errNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("issuer of account %d: %w", id, err)
	}
	return t.company(ctx, issuer)
}
