package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

var _ receivables.Store = (*Store)(nil)

// OpenGroups returns the PostTx's view of a customer's open balances.
func (t postTx) OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	if err := t.company(ctx, issuer); err != nil {
		return nil, err
	}
	return openGroups(ctx, t.q, issuer, customerID, asOf)
}

// OpenGroups sums issuer's open balances by customer, currency, exchange
// rate and aging bucket on day asOf (receivables.Store); customerID 0 for
// every customer. It reads only the partial index invoices_open.
func (s *Store) OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	return openGroups(ctx, s.ReadDB(), issuer, customerID, asOf)
}

func openGroups(ctx context.Context, q querier, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	return salessql.OpenGroups(ctx, q, "invoices i", issuer, customerID, asOf)
}

// Movements returns a customer's live receivables with the shares of their
// live credit notes and what each live payment receipt paid, oldest first
// (the same payments paidMicro sums).
func (s *Store) Movements(ctx context.Context, issuer string, customerID int64) ([]receivables.Movement, error) {
	return movements(ctx, s.ReadDB(), issuer, customerID, "", time.Time{}, time.Time{})
}

// MovementsBetween returns the sum of customerID's movements in moneda
// dated before since and those dated from since to before until, in the
// order of Movements (receivables.Store). The sum is exact (micro-units
// added in SQL) and reads no movement into Go.
func (s *Store) MovementsBetween(ctx context.Context, issuer string, customerID int64, moneda string, since, until time.Time) (decimal.Decimal, []receivables.Movement, error) {
	var before int64
	q, args := movementsSQL(issuer, customerID, moneda, time.Time{}, since)
	q = strings.TrimSuffix(q, movementsOrder) // a sum needs no order
	if err := s.ReadDB().QueryRowContext(ctx, `SELECT COALESCE(sum(amount), 0) FROM (`+q+`) m`, args...).Scan(&before); err != nil {
		return decimal.Zero, nil, fmt.Errorf("movements of customer %d before %s: %w", customerID, since, err)
	}
	m, err := movements(ctx, s.ReadDB(), issuer, customerID, moneda, since, until)
	return fromMicro(before), m, err
}

// Currencies returns the currencies of a customer's live receivables in
// the order of their first invoice (receivables.Store): its own invoices
// from the invoices_statement index alone, and those it pays for another
// receptor ("Cuenta x cobrar a") from invoices_receivable.
func (s *Store) Currencies(ctx context.Context, issuer string, customerID int64) ([]string, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT moneda FROM (
		SELECT i.moneda, i.fecha FROM invoices i
		WHERE i.customer_id = ?2 AND i.tipo = 'I' AND i.issuer = ?1 AND i.collect_from IS NULL AND `+liveReceivable+`
		UNION ALL
		SELECT i.moneda, i.fecha FROM invoices i
		WHERE i.issuer = ?1 AND `+receivableCustomer+` = ?2 AND i.collect_from IS NOT NULL AND i.tipo = 'I' AND `+liveReceivable+`) c
		GROUP BY moneda ORDER BY min(fecha)`, issuer, customerID)
	if err != nil {
		return nil, fmt.Errorf("currencies of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// movementsSQL is the query of a customer's movements (in moneda when not
// empty) dated from since to before until (zero: unbounded), in date order
// (at the same instant an invoice before a note before a payment). The
// first three parts are the customer's own receivables (invoices without
// "Cuenta x cobrar a"): each walks the customer's documents of its type in
// the invoices_statement index; a note's and a receipt's customer is their
// invoice's (the domain refuses any other: sales.BuildCredit,
// sales.BuildPayment), so the receivable's own conditions still decide
// what counts. The last three are the invoices the customer pays for
// another receptor (invoices.collect_from, rare) with their notes and
// receipts, found from invoices_receivable. Columns: kind, k, doc, inv,
// serie, folio, fecha, due (invoices only), moneda, amount; the invoice's
// reference and due date of the rest come from its own row.
func movementsSQL(issuer string, customerID int64, moneda string, since, until time.Time) (string, []any) {
	args := []any{issuer, customerID, moneda, timeText(since), timeText(until)}
	own := func(x string) string {
		c := ""
		if !since.IsZero() {
			c += " AND " + x + ".fecha >= ?4"
		}
		if !until.IsZero() {
			c += " AND " + x + ".fecha < ?5"
		}
		return c
	}
	cur := ""
	if moneda != "" {
		cur = " AND i.moneda = ?3"
	}
	mine := " AND i.collect_from IS NULL"
	other := `i.issuer = ?1 AND ` + receivableCustomer + ` = ?2 AND i.collect_from IS NOT NULL AND ` + liveReceivable + cur
	return `SELECT 'factura' AS kind, 0 AS k, i.id AS doc, i.id AS inv, i.serie AS serie, i.folio AS folio, i.fecha AS fecha,
			i.due_date AS due, i.moneda AS moneda, i.total_micro AS amount
		FROM invoices i
		WHERE i.customer_id = ?2 AND i.tipo = 'I' AND i.issuer = ?1 AND ` + liveReceivable + mine + cur + own("i") + `
			AND ?3::text IS NOT NULL AND ?4::timestamptz IS NOT NULL AND ?5::timestamptz IS NOT NULL -- PostgreSQL types every parameter
		UNION ALL
		SELECT 'nota_credito', 1, n.id, i.id, n.serie, n.folio, n.fecha, NULL, i.moneda, -r.credited_micro
		FROM invoices n JOIN invoice_relations r ON r.invoice_id = n.id JOIN invoices i ON i.id = r.related_id
		WHERE n.customer_id = ?2 AND n.tipo = 'E' AND ` + liveCredit + own("n") + ` AND r.credited_micro IS NOT NULL
			AND i.customer_id = ?2 AND i.issuer = ?1 AND ` + liveReceivable + mine + cur + `
		UNION ALL
		SELECT 'pago', 2, p.id, i.id, p.serie, p.folio, p.fecha, NULL, i.moneda, -d.pagado_micro
		FROM invoices p JOIN payment_documents d ON d.payment_id = p.id JOIN invoices i ON i.id = d.related_id
		WHERE p.customer_id = ?2 AND p.tipo = 'P' AND p.state NOT IN ('draft', 'cancelled')` + own("p") + `
			AND i.customer_id = ?2 AND i.issuer = ?1 AND ` + liveReceivable + mine + cur + `
		UNION ALL
		SELECT 'factura', 0, i.id, i.id, i.serie, i.folio, i.fecha, i.due_date, i.moneda, i.total_micro
		FROM invoices i
		WHERE ` + other + ` AND i.tipo = 'I'` + own("i") + `
		UNION ALL
		SELECT 'nota_credito', 1, n.id, i.id, n.serie, n.folio, n.fecha, NULL, i.moneda, -r.credited_micro
		FROM invoices i JOIN invoice_relations r ON r.related_id = i.id JOIN invoices n ON n.id = r.invoice_id
		WHERE ` + other + ` AND ` + liveCredit + own("n") + ` AND r.credited_micro IS NOT NULL
		UNION ALL
		SELECT 'pago', 2, p.id, i.id, p.serie, p.folio, p.fecha, NULL, i.moneda, -d.pagado_micro
		FROM invoices i JOIN payment_documents d ON d.related_id = i.id JOIN invoices p ON p.id = d.payment_id
		WHERE ` + other + ` AND p.state NOT IN ('draft', 'cancelled')` + own("p") + movementsOrder, args
}

// movementsOrder ends movementsSQL: each part comes in this order out of
// the index, so the planner can merge them.
const movementsOrder = `
		ORDER BY fecha, k, doc`

// movements reads movementsSQL. Every note and payment names an invoice
// that is itself a movement of the same query (the same conditions on i)
// only when the period holds it, so the invoice's reference and due date
// are read per invoice, once, where they are missing.
func movements(ctx context.Context, q querier, issuer string, customerID int64, moneda string, since, until time.Time) ([]receivables.Movement, error) {
	query, args := movementsSQL(issuer, customerID, moneda, since, until)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("movements of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	type invoice struct {
		ref string
		due time.Time
	}
	invoices := map[int64]invoice{}
	var missing []int64
	var out []receivables.Movement
	var sc salesScan
	for rows.Next() {
		var m receivables.Movement
		var kind, fecha string
		var due sql.NullString
		var amount, k int64
		if err := rows.Scan(&kind, &k, &m.DocumentID, &m.InvoiceID, &m.Serie, &m.Folio, &fecha, &due, &m.Moneda, &amount); err != nil {
			return nil, err
		}
		m.Kind, m.Fecha, m.Amount = receivables.MovementKind(kind), sc.time(fecha), fromMicro(amount)
		if due.Valid {
			d, err := time.Parse(receivables.DateLayout, due.String)
			if err != nil {
				return nil, fmt.Errorf("due date %q: %w", due.String, err)
			}
			m.DueDate, m.InvoiceRef = d, m.Serie+"-"+strconv.FormatInt(m.Folio, 10)
			invoices[m.InvoiceID] = invoice{m.InvoiceRef, d}
		} else if _, ok := invoices[m.InvoiceID]; !ok {
			invoices[m.InvoiceID] = invoice{}
			missing = append(missing, m.InvoiceID)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sc.err != nil {
		return nil, sc.err
	}
	for _, id := range missing {
		var ref, due string
		if err := q.QueryRowContext(ctx, `SELECT serie || '-' || folio, due_date FROM invoices WHERE id = ?`, id).Scan(&ref, &due); err != nil {
			return nil, fmt.Errorf("invoice %d of a movement: %w", id, err)
		}
		d, err := time.Parse(receivables.DateLayout, due)
		if err != nil {
			return nil, fmt.Errorf("due date %q: %w", due, err)
		}
		invoices[id] = invoice{ref, d}
	}
	for i := range out {
		if out[i].Kind != receivables.Invoice {
			inv := invoices[out[i].InvoiceID]
			out[i].InvoiceRef, out[i].DueDate = inv.ref, inv.due
		}
	}
	return out, nil
}

// Receivables returns every invoice that opened a receivable with its
// stored open balance and, from scratch, its total, its live credit notes'
// shares and its payments (paidMicro).
func (s *Store) Receivables(ctx context.Context, issuer string, customerID int64) ([]receivables.Receivable, error) {
	return findReceivables(ctx, s.ReadDB(), `i.issuer = ?1 AND (?2 = 0 OR `+receivableCustomer+` = ?2)`, issuer, customerID)
}

func findReceivables(ctx context.Context, q querier, where string, args ...any) ([]receivables.Receivable, error) {
	return salessql.FindReceivables(ctx, q, where, args...)
}

func recomputeOpen(ctx context.Context, q querier) error { return salesParts.RecomputeOpen(ctx, q) }

func applyBalances(ctx context.Context, q querier, changes []receivables.Change) error {
	return salesParts.ApplyBalances(ctx, q, changes)
}

func recordReceivable(ctx context.Context, q querier, p *sales.Posted) error {
	return salesParts.RecordReceivable(ctx, q, p)
}

func recordCancelBalances(ctx context.Context, q querier, id int64) error {
	return salesParts.RecordCancelBalances(ctx, q, id)
}

// CreditOverrides returns the credit sales authorized for a customer.
func (s *Store) CreditOverrides(ctx context.Context, customerID int64) ([]receivables.Override, error) {
	return salessql.CreditOverrides(ctx, s.ReadDB(), customerID)
}
