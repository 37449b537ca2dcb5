package salessql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// PaidMicro is the seam between receivables and payments (CFDI Pago): an
// SQL expression giving, for the invoice row aliased i, what its live
// payment receipts paid of it (ImpPagado, micro-units of the invoice's
// currency). Posting and cancelling a receipt write the open-balance
// changes the domain decides (receivables.Posted/Cancelled with one Share
// per paid invoice: sales.PaymentShares); everything that recomputes a
// balance from scratch (Receivables, Movements) reads payments only here.
const PaidMicro = `COALESCE((SELECT sum(d.pagado_micro) FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
	WHERE d.related_id = i.id AND p.state NOT IN ('draft', 'cancelled')), 0)`

// LiveReceivable is the condition on an invoice i that opened a receivable
// that still counts: posted and not cancelled.
const LiveReceivable = `i.due_date IS NOT NULL AND i.state NOT IN ('draft', 'cancelled')`

// ReceivableCustomer is the customer an invoice i's receivable belongs to:
// its "Cuenta x cobrar a" customer when set (sales.Invoice.
// ReceivableCustomerID), else the invoiced one. The CFDI receptor stays
// customer_id. Written exactly as in the indexes of migration 0046.
const ReceivableCustomer = `coalesce(i.collect_from, i.customer_id)`

// FindReceivables returns the receivables of the invoices i that where
// selects (with args), oldest first.
func FindReceivables(ctx context.Context, q Q, where string, args ...any) ([]receivables.Receivable, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, `+ReceivableCustomer+`, i.serie, i.folio, i.fecha, i.due_date, i.moneda,
		COALESCE(i.tipo_cambio_micro, 0), i.state = 'cancelled', COALESCE(i.total_micro, 0),
		COALESCE((SELECT sum(r.credited_micro) FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
			WHERE r.related_id = i.id AND `+LiveCredit+`), 0),
		`+PaidMicro+`, i.open_micro
		FROM invoices i WHERE `+where+` AND i.due_date IS NOT NULL AND i.state <> 'draft'
		ORDER BY i.fecha, i.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("receivables: %w", err)
	}
	defer rows.Close()
	var out []receivables.Receivable
	for rows.Next() {
		var r receivables.Receivable
		var fecha, due string
		var tc, total, credited, paid, open int64
		if err := rows.Scan(&r.InvoiceID, &r.CustomerID, &r.Serie, &r.Folio, &fecha, &due, &r.Moneda, &tc, &r.Cancelled,
			&total, &credited, &paid, &open); err != nil {
			return nil, err
		}
		var sc scan
		r.Fecha = sc.time(fecha)
		if sc.err != nil {
			return nil, sc.err
		}
		if r.DueDate, err = time.Parse(receivables.DateLayout, due); err != nil {
			return nil, fmt.Errorf("due date %q: %w", due, err)
		}
		r.TipoCambio, r.Total, r.Credited = FromMicro(tc), FromMicro(total), FromMicro(credited)
		r.Paid, r.Open = FromMicro(paid), FromMicro(open)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecomputeOpen sets every receivable's open balance to what the domain
// recomputes from scratch (receivables.Recompute): the backfill of
// receivables posted before migration 0037.
func (p Parts) RecomputeOpen(ctx context.Context, q Q) error {
	all, err := FindReceivables(ctx, q, `1 = 1`)
	if err != nil {
		return err
	}
	var changes []receivables.Change
	for _, r := range all {
		if want := r.Recomputed(); !want.Equal(r.Open) {
			changes = append(changes, receivables.Change{InvoiceID: r.InvoiceID, Set: true, Open: want})
		}
	}
	return p.ApplyBalances(ctx, q, changes)
}

// ApplyBalances writes the open-balance changes the domain decided, in the
// caller's transaction.
func (p Parts) ApplyBalances(ctx context.Context, q Q, changes []receivables.Change) error {
	for _, c := range changes {
		var res sql.Result
		var err error
		if c.Set {
			m, merr := p.Micro(c.Open)
			if merr != nil {
				return merr
			}
			res, err = q.ExecContext(ctx, `UPDATE invoices SET open_micro = ? WHERE id = ?`, m, c.InvoiceID)
		} else {
			m, merr := p.Micro(c.Delta)
			if merr != nil {
				return merr
			}
			res, err = q.ExecContext(ctx, `UPDATE invoices SET open_micro = open_micro + ? WHERE id = ?`, m, c.InvoiceID)
		}
		if err != nil {
			return fmt.Errorf("open balance of %d: %w", c.InvoiceID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return domain.E(domain.Internal, "apply balances", "", fmt.Errorf("open balance of %d: %d rows, %v", c.InvoiceID, n, err))
		}
	}
	return nil
}

// RecordReceivable writes what a post decided about receivables: the due
// date, the open-balance changes and the credit override.
func (p Parts) RecordReceivable(ctx context.Context, q Q, posted *sales.Posted) error {
	if !posted.DueDate.IsZero() {
		if _, err := q.ExecContext(ctx, `UPDATE invoices SET due_date = ? WHERE id = ?`,
			posted.DueDate.Format(receivables.DateLayout), posted.Invoice.ID); err != nil {
			return fmt.Errorf("due date: %w", err)
		}
	}
	if err := p.ApplyBalances(ctx, q, posted.Balances); err != nil {
		return err
	}
	if o := posted.CreditOverride; o != nil {
		vals := make([]int64, 3)
		for i, d := range []decimal.Decimal{o.Open, o.Overdue, o.AmountMXN} {
			m, err := p.Micro(d)
			if err != nil {
				return err
			}
			vals[i] = m
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO credit_overrides (invoice_id, customer_id, authorized_by, reason, at,
			credit_limit, open_micro, overdue_micro, amount_mxn_micro, refusal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			posted.Invoice.ID, o.CustomerID, o.By, o.Reason, TimeText(o.At), o.Limit.String(), vals[0], vals[1], vals[2], o.Refusal); err != nil {
			return fmt.Errorf("record credit override: %w", err)
		}
	}
	return nil
}

// RecordCancelBalances writes, in the transaction that records the
// cancellation of invoice id, the open-balance changes the domain decides
// for it (receivables.Cancelled): a cancelled invoice owes nothing, a
// cancelled credit note gives its shares back.
func (p Parts) RecordCancelBalances(ctx context.Context, q Q, id int64) error {
	var tipo, terms string
	var total sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT tipo, terms, total_micro FROM invoices WHERE id = ?`, id).Scan(&tipo, &terms, &total); err != nil {
		return fmt.Errorf("cancel balances of %d: %w", id, err)
	}
	d := receivables.Doc{ID: id, Receivable: receivables.Opens(tipo, sales.PaymentTerms(terms).MetodoPago()), Total: FromMicro(total.Int64)}
	rows, err := q.QueryContext(ctx, `SELECT i.id, r.credited_micro, i.tipo, i.terms, i.state
		FROM invoice_relations r JOIN invoices i ON i.id = r.related_id
		WHERE r.invoice_id = ? AND r.credited_micro IS NOT NULL`, id)
	if err != nil {
		return fmt.Errorf("cancel balances of %d: %w", id, err)
	}
	for rows.Next() {
		var sh receivables.Share
		var amount int64
		var rtipo, rterms, rstate string
		if err := rows.Scan(&sh.InvoiceID, &amount, &rtipo, &rterms, &rstate); err != nil {
			rows.Close()
			return err
		}
		sh.Amount = FromMicro(amount)
		sh.Receivable = receivables.Opens(rtipo, sales.PaymentTerms(rterms).MetodoPago())
		sh.Cancelled = sales.State(rstate) == sales.StateCancelled
		d.Shares = append(d.Shares, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// A cancelled payment receipt gives back what it paid of each invoice.
	pays, err := q.QueryContext(ctx, `SELECT d.related_id, d.pagado_micro, i.state FROM payment_documents d
		JOIN invoices i ON i.id = d.related_id WHERE d.payment_id = ?`, id)
	if err != nil {
		return fmt.Errorf("cancel balances of %d: %w", id, err)
	}
	for pays.Next() {
		var sh receivables.Share
		var amount int64
		var rstate string
		if err := pays.Scan(&sh.InvoiceID, &amount, &rstate); err != nil {
			pays.Close()
			return err
		}
		sh.Amount, sh.Receivable, sh.Cancelled = FromMicro(amount), true, sales.State(rstate) == sales.StateCancelled
		d.Shares = append(d.Shares, sh)
	}
	pays.Close()
	if err := pays.Err(); err != nil {
		return err
	}
	return p.ApplyBalances(ctx, q, receivables.Cancelled(d))
}

// CreditOverrides returns the credit sales authorized for a customer.
func CreditOverrides(ctx context.Context, q Q, customerID int64) ([]receivables.Override, error) {
	rows, err := q.QueryContext(ctx, `SELECT invoice_id, customer_id, authorized_by, reason, at, credit_limit,
		open_micro, overdue_micro, amount_mxn_micro, refusal FROM credit_overrides WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("credit overrides: %w", err)
	}
	defer rows.Close()
	var out []receivables.Override
	for rows.Next() {
		var o receivables.Override
		var at, limit string
		var open, overdue, amount int64
		if err := rows.Scan(&o.InvoiceID, &o.CustomerID, &o.By, &o.Reason, &at, &limit, &open, &overdue, &amount, &o.Refusal); err != nil {
			return nil, err
		}
		var sc scan
		o.At, o.Limit = sc.time(at), sc.parse(limit)
		if sc.err != nil {
			return nil, sc.err
		}
		o.Open, o.Overdue, o.AmountMXN = FromMicro(open), FromMicro(overdue), FromMicro(amount)
		out = append(out, o)
	}
	return out, rows.Err()
}

// OpenGroups returns issuer's open balances (of customerID only, unless 0)
// grouped by customer, currency and rate and by overdue bucket as of
// asOf. from is the FROM item of the invoices, aliased i: SQLite names the
// index (invoices_open) its plan needs.
func OpenGroups(ctx context.Context, q Q, from, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	lim := receivables.Limits(asOf)
	args := []any{issuer}
	for _, d := range lim {
		args = append(args, d.Format(receivables.DateLayout))
	}
	where := `i.issuer = ?1 AND i.open_micro <> 0`
	if customerID != 0 {
		where += ` AND ` + ReceivableCustomer + ` = ?6`
		args = append(args, customerID)
	}
	// One row per customer, currency and rate, with a count and a sum per
	// bucket: the groups come out of the index in its order, without
	// sorting (bucket b holds Limits[b] <= due_date < Limits[b-1]).
	sel := ""
	for b := range receivables.NumBuckets {
		cond := []string{}
		if b > 0 {
			cond = append(cond, fmt.Sprintf("i.due_date < ?%d", b+1))
		}
		if b < receivables.NumBuckets-1 {
			cond = append(cond, fmt.Sprintf("i.due_date >= ?%d", b+2))
		}
		c := strings.Join(cond, " AND ")
		sel += fmt.Sprintf(", sum(CASE WHEN %s THEN 1 ELSE 0 END), sum(CASE WHEN %s THEN i.open_micro ELSE 0 END)", c, c)
	}
	rows, err := q.QueryContext(ctx, `SELECT g.*, c.rfc, c.name FROM (SELECT `+ReceivableCustomer+` AS cust, i.moneda, i.tipo_cambio_micro`+sel+`
			FROM `+from+` WHERE `+where+`
			GROUP BY `+ReceivableCustomer+`, i.moneda, i.tipo_cambio_micro) g
		JOIN customers c ON c.id = g.cust`, args...)
	if err != nil {
		return nil, fmt.Errorf("open groups: %w", err)
	}
	defer rows.Close()
	var out []receivables.Group
	for rows.Next() {
		var g receivables.Group
		var tc sql.NullInt64
		var n, open [receivables.NumBuckets]int64
		dest := []any{&g.CustomerID, &g.Moneda, &tc}
		for b := range n {
			dest = append(dest, &n[b], &open[b])
		}
		if err := rows.Scan(append(dest, &g.CustomerRFC, &g.CustomerName)...); err != nil {
			return nil, err
		}
		g.TipoCambio = FromMicro(tc.Int64)
		for b := range n {
			if n[b] == 0 {
				continue
			}
			g.Bucket, g.Invoices, g.Open = receivables.Bucket(b), int(n[b]), FromMicro(open[b])
			out = append(out, g)
		}
	}
	return out, rows.Err()
}
