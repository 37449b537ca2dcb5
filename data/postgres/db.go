package postgres

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The store runs the same SQL as the SQLite one wherever the two dialects
// agree, through database/sql on pgx's driver: DB and Tx rewrite SQLite's
// positional placeholders (?) into PostgreSQL's ($1, $2…) and give an
// INSERT into a table with an identity column its new id as
// sql.Result.LastInsertId (RETURNING id), which PostgreSQL has no other
// way to report.

// querier is what the repository helpers need: a *Tx or a *DB.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryRower reads one row.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is a pool of connections to the database.
type DB struct{ *sql.DB }

// Tx is one transaction.
type Tx struct{ *sql.Tx }

// ExecContext runs q (with ? placeholders); an INSERT into a table with an
// identity column reports the new row's id as LastInsertId.
func (d *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return exec(ctx, d.DB, q, args)
}

// QueryContext runs q (with ? placeholders).
func (d *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.DB.QueryContext(ctx, rebind(q), args...)
}

// QueryRowContext runs q (with ? placeholders) for one row.
func (d *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return d.DB.QueryRowContext(ctx, rebind(q), args...)
}

// BeginTx starts a transaction.
func (d *DB) BeginTx(ctx context.Context, opt *sql.TxOptions) (*Tx, error) {
	tx, err := d.DB.BeginTx(ctx, opt)
	if err != nil {
		return nil, err
	}
	return &Tx{tx}, nil
}

// ExecContext is DB.ExecContext inside the transaction.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return exec(ctx, t.Tx, q, args)
}

// QueryContext is DB.QueryContext inside the transaction.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, rebind(q), args...)
}

// QueryRowContext is DB.QueryRowContext inside the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, rebind(q), args...)
}

type rawQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// identityTables are the tables whose rows get their id from an identity
// column.
var identityTables = map[string]bool{
	"companies": true, "documents": true, "stamp_attempts": true, "stamp_movements": true,
	"cancellations": true, "pac_exchanges": true, "customers": true, "products": true, "series": true,
	"bank_accounts": true, "third_parties": true, "invoices": true, "credit_overrides": true,
	"bank_movements": true, "deliveries": true, "received_cfdi": true, "suppliers": true, "quotes": true,
	"third_party_payouts": true,
	"dealer_actions":      true,
	"warehouses":          true, "purchases": true, "stock_movements": true,
}

var insertInto = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+([a-z_]+)`)

// result is the sql.Result of an INSERT … RETURNING id.
type result struct{ id, n int64 }

func (r result) LastInsertId() (int64, error) { return r.id, nil }
func (r result) RowsAffected() (int64, error) { return r.n, nil }

func exec(ctx context.Context, q rawQuerier, query string, args []any) (sql.Result, error) {
	m := insertInto.FindStringSubmatch(query)
	if m == nil || !identityTables[strings.ToLower(m[1])] || strings.Contains(strings.ToUpper(query), "RETURNING") ||
		strings.Contains(strings.ToUpper(query), "SELECT") {
		return q.ExecContext(ctx, rebind(query), args...)
	}
	var id int64
	if err := q.QueryRowContext(ctx, rebind(query)+" RETURNING id", args...).Scan(&id); err != nil {
		if err == sql.ErrNoRows { // ON CONFLICT DO NOTHING inserted none
			return result{}, nil
		}
		return nil, err
	}
	return result{id: id, n: 1}, nil
}

var rebound sync.Map // query → rewritten query

// rebind rewrites ? placeholders outside string literals and comments as
// $1, $2… in order.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case inStr:
			if c == '\'' {
				inStr = false
			}
		case c == '\'':
			inStr = true
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
			continue
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 { // SQLite's numbered ?NNN
				k, _ := strconv.Atoi(q[i+1 : j])
				n = max(n, k)
				b.WriteString("$" + q[i+1:j])
				i = j - 1
				continue
			}
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}
