package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

var _ receivables.Store = (*Store)(nil)

// OpenGroups returns the PostTx's view of a customer's open balances.
func (t postTx) OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	return openGroups(ctx, t.q, issuer, customerID, asOf)
}

// OpenGroups sums issuer's open balances by customer, currency, exchange
// rate and aging bucket on day asOf (receivables.Store); customerID 0 for
// every customer. It reads only the partial index invoices_open.
func (s *Store) OpenGroups(ctx context.Context, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	return openGroups(ctx, s.ReadDB(), issuer, customerID, asOf)
}

func openGroups(ctx context.Context, q querier, issuer string, customerID int64, asOf time.Time) ([]receivables.Group, error) {
	return salessql.OpenGroups(ctx, q, "invoices i INDEXED BY invoices_open", issuer, customerID, asOf)
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
	if err := s.ReadDB().QueryRowContext(ctx, `SELECT COALESCE(sum(amount), 0) FROM (`+q.union()+`)`, args...).Scan(&before); err != nil {
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
		SELECT i.moneda, i.fecha FROM invoices i INDEXED BY invoices_statement
		WHERE i.customer_id = ?2 AND i.tipo = 'I' AND i.issuer = ?1 AND i.collect_from IS NULL AND `+liveReceivable+`
		UNION ALL
		SELECT i.moneda, i.fecha FROM invoices i INDEXED BY invoices_receivable
		WHERE i.issuer = ?1 AND `+receivableCustomer+` = ?2 AND i.collect_from IS NOT NULL AND i.tipo = 'I' AND `+liveReceivable+`)
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

// movementQueries are the parts of a customer's movements (movementsSQL).
// Each of own comes out of the invoices_statement index in the order of
// its document's date and id, without sorting; others is sorted by SQL.
type movementQueries struct {
	own    [3]string // the customer's own invoices, credit notes and payments
	others string    // those of the invoices it pays for another receptor
	// loose is set when own[1] and own[2] do not join their invoice (a
	// customer's whole history): the caller keeps only the rows whose
	// invoice own[0] returned, which are exactly the receivables the joined
	// conditions accept, and takes their currency from it.
	loose bool
}

// union is every part as one query without order (for sums; never loose).
func (q movementQueries) union() string {
	return q.own[0] + " UNION ALL " + q.own[1] + " UNION ALL " + q.own[2] + " UNION ALL " + q.others
}

// movementsSQL is the query of a customer's movements (in moneda when not
// empty) dated from since to before until (zero: unbounded), in parts
// that movements merges in date order (at the same instant an invoice
// before a note before a payment). The own parts are the customer's own
// receivables (invoices without "Cuenta x cobrar a"): each walks the
// customer's documents of its type in the invoices_statement index; a
// note's and a receipt's customer is their invoice's (the domain refuses
// any other: sales.BuildCredit, sales.BuildPayment), so the receivable's
// own conditions still decide what counts. With neither limit the notes
// and receipts are not joined to their invoice (movementQueries.loose):
// the invoices part holds every receivable they may apply to, and
// checking them in Go saves a table lookup per row. The others part
// holds the invoices the customer pays for another receptor
// (invoices.collect_from, rare) with their notes and receipts, found from
// invoices_receivable. Columns: k (0 invoice, 1 note, 2 payment), doc,
// inv, serie, folio, fecha, due (invoices only), moneda (NULL in loose
// notes and payments), amount; the invoice's reference and due date of
// the rest come from its own row.
func movementsSQL(issuer string, customerID int64, moneda string, since, until time.Time) (movementQueries, []any) {
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
	q := movementQueries{loose: since.IsZero() && until.IsZero()}
	q.own[0] = `SELECT 0 AS k, i.id AS doc, i.id AS inv, i.serie AS serie, i.folio AS folio, i.fecha AS fecha,
			i.due_date AS due, i.moneda AS moneda, i.total_micro AS amount
		FROM invoices i INDEXED BY invoices_statement
		WHERE i.customer_id = ?2 AND i.tipo = 'I' AND i.issuer = ?1 AND ` + liveReceivable + mine + cur + own("i")
	if q.loose {
		q.own[1] = `SELECT 1 AS k, n.id AS doc, r.related_id, n.serie, n.folio, n.fecha AS fecha, NULL, NULL, -r.credited_micro
		FROM invoices n INDEXED BY invoices_statement JOIN invoice_relations r ON r.invoice_id = n.id
		WHERE n.customer_id = ?2 AND n.tipo = 'E' AND ` + liveCredit + ` AND r.credited_micro IS NOT NULL`
		q.own[2] = `SELECT 2 AS k, p.id AS doc, d.related_id, p.serie, p.folio, p.fecha AS fecha, NULL, NULL, -d.pagado_micro
		FROM invoices p INDEXED BY invoices_statement JOIN payment_documents d ON d.payment_id = p.id
		WHERE p.customer_id = ?2 AND p.tipo = 'P' AND p.state NOT IN ('draft', 'cancelled')`
	} else {
		q.own[1] = `SELECT 1 AS k, n.id AS doc, i.id, n.serie, n.folio, n.fecha AS fecha, NULL, i.moneda, -r.credited_micro
		FROM invoices n INDEXED BY invoices_statement JOIN invoice_relations r ON r.invoice_id = n.id JOIN invoices i ON i.id = r.related_id
		WHERE n.customer_id = ?2 AND n.tipo = 'E' AND ` + liveCredit + own("n") + ` AND r.credited_micro IS NOT NULL
			AND i.customer_id = ?2 AND i.issuer = ?1 AND ` + liveReceivable + mine + cur
		q.own[2] = `SELECT 2 AS k, p.id AS doc, i.id, p.serie, p.folio, p.fecha AS fecha, NULL, i.moneda, -d.pagado_micro
		FROM invoices p INDEXED BY invoices_statement JOIN payment_documents d ON d.payment_id = p.id JOIN invoices i ON i.id = d.related_id
		WHERE p.customer_id = ?2 AND p.tipo = 'P' AND p.state NOT IN ('draft', 'cancelled')` + own("p") + `
			AND i.customer_id = ?2 AND i.issuer = ?1 AND ` + liveReceivable + mine + cur
	}
	q.others = `SELECT 0 AS k, i.id AS doc, i.id, i.serie, i.folio, i.fecha AS fecha, i.due_date, i.moneda, i.total_micro
		FROM invoices i INDEXED BY invoices_receivable
		WHERE ` + other + ` AND i.tipo = 'I'` + own("i") + `
		UNION ALL
		SELECT 1, n.id, i.id, n.serie, n.folio, n.fecha, NULL, i.moneda, -r.credited_micro
		FROM invoices i INDEXED BY invoices_receivable JOIN invoice_relations r ON r.related_id = i.id JOIN invoices n ON n.id = r.invoice_id
		WHERE ` + other + ` AND ` + liveCredit + own("n") + ` AND r.credited_micro IS NOT NULL
		UNION ALL
		SELECT 2, p.id, i.id, p.serie, p.folio, p.fecha, NULL, i.moneda, -d.pagado_micro
		FROM invoices i INDEXED BY invoices_receivable JOIN payment_documents d ON d.related_id = i.id JOIN invoices p ON p.id = d.payment_id
		WHERE ` + other + ` AND p.state NOT IN ('draft', 'cancelled')` + own("p")
	return q, args
}

// movementOrder is the order of a customer's movements, and of each part
// of movementsSQL: date (the stored text, as SQL orders it), then kind,
// then document.
const movementOrder = ` ORDER BY fecha, k, doc`

// movementRow is a row of movementsSQL.
type movementRow struct {
	k           int
	doc, inv    int64
	serie       string
	folio       int64
	fecha       string
	due, moneda sql.NullString
	amount      int64
}

// before reports whether r comes before o in movementOrder.
func (r *movementRow) before(o *movementRow) bool {
	if r.fecha != o.fecha {
		return r.fecha < o.fecha
	}
	if r.k != o.k {
		return r.k < o.k
	}
	return r.doc < o.doc
}

// readMovementRows runs the parts of movementsSQL on one connection of
// db, straight through the driver: database/sql's Scan converts every
// column of every row (reflection, locks, NullString's own Scan), which
// cost a third of a 10,000-movement statement; the driver's values are
// already int64 and string.
func readMovementRows(ctx context.Context, db *sql.DB, queries []string, args []any) ([][]movementRow, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	out := make([][]movementRow, len(queries))
	err = conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver %T cannot query", dc)
		}
		for i, query := range queries {
			rows, err := qc.QueryContext(ctx, query, named)
			if err != nil {
				return err
			}
			out[i], err = movementRows(rows)
			if cerr := rows.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// movementRows reads the rows of one part of movementsSQL.
func movementRows(rows driver.Rows) ([]movementRow, error) {
	var out []movementRow
	dest := make([]driver.Value, 9)
	if n := len(rows.Columns()); n != len(dest) {
		return nil, fmt.Errorf("%d columns, want %d", n, len(dest))
	}
	var v rawValues
	for {
		if err := rows.Next(dest); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		r := movementRow{k: int(v.int(dest[0])), doc: v.int(dest[1]), inv: v.int(dest[2]), serie: v.text(dest[3]),
			folio: v.int(dest[4]), fecha: v.text(dest[5]), amount: v.int(dest[8])}
		if dest[6] != nil {
			r.due = sql.NullString{String: v.text(dest[6]), Valid: true}
		}
		if dest[7] != nil {
			r.moneda = sql.NullString{String: v.text(dest[7]), Valid: true}
		}
		if v.err != nil {
			return nil, v.err
		}
		if r.k < 0 || r.k >= len(movementKinds) {
			return nil, fmt.Errorf("movement kind %d", r.k)
		}
		out = append(out, r)
	}
	return out, nil
}

// rawValues reads the driver's values of INTEGER and TEXT columns (NULL
// reads as zero), keeping the first unexpected type as an error.
type rawValues struct{ err error }

func (r *rawValues) int(x driver.Value) int64 {
	switch n := x.(type) {
	case int64:
		return n
	case nil:
		return 0
	}
	if r.err == nil {
		r.err = fmt.Errorf("integer column holds %T", x)
	}
	return 0
}

func (r *rawValues) text(x driver.Value) string {
	switch s := x.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case nil:
		return ""
	}
	if r.err == nil {
		r.err = fmt.Errorf("text column holds %T", x)
	}
	return ""
}

// movements reads the parts of movementsSQL and merges them in
// movementOrder. Every note and payment names an invoice that is itself a
// movement of the same query (the same conditions on i) only when the
// period holds it, so the invoice's reference, due date (and, loose, the
// currency) are read per invoice, once, where they are missing.
func movements(ctx context.Context, db *sql.DB, issuer string, customerID int64, moneda string, since, until time.Time) ([]receivables.Movement, error) {
	query, args := movementsSQL(issuer, customerID, moneda, since, until)
	// Each own part is ordered by its index (the ORDER BY costs no sort);
	// the others' parts are merged by SQL.
	read, err := readMovementRows(ctx, db, []string{query.own[0] + ` ORDER BY fecha, doc`, query.own[1] + ` ORDER BY fecha, doc`,
		query.own[2] + ` ORDER BY fecha, doc`, query.others + movementOrder}, args)
	if err != nil {
		return nil, fmt.Errorf("movements of customer %d: %w", customerID, err)
	}
	parts := [4][]movementRow{read[0], read[1], read[2], read[3]}
	type invoice struct {
		ref, moneda string
		due         time.Time
		own         bool // from query.own[0]
	}
	invoices := make(map[int64]invoice, len(parts[0])+len(parts[3]))
	for i, p := range [][]movementRow{parts[0], parts[3]} {
		for _, r := range p {
			if r.k != 0 {
				continue
			}
			d, err := time.Parse(receivables.DateLayout, r.due.String)
			if err != nil {
				return nil, fmt.Errorf("due date %q: %w", r.due.String, err)
			}
			invoices[r.inv] = invoice{r.serie + "-" + strconv.FormatInt(r.folio, 10), r.moneda.String, d, i == 0}
		}
	}
	out := make([]receivables.Movement, 0, len(parts[0])+len(parts[1])+len(parts[2])+len(parts[3]))
	var missing []int64
	var sc salesScan
	var next [4]int
	for {
		best := -1
		for i := range parts {
			if next[i] < len(parts[i]) && (best < 0 || parts[i][next[i]].before(&parts[best][next[best]])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		r := &parts[best][next[best]]
		next[best]++
		m := receivables.Movement{Kind: movementKinds[r.k], DocumentID: r.doc, InvoiceID: r.inv, Serie: r.serie, Folio: r.folio,
			Fecha: sc.time(r.fecha), Moneda: r.moneda.String, Amount: fromMicro(r.amount)}
		inv, ok := invoices[r.inv]
		switch {
		case query.loose && (best == 1 || best == 2):
			if !ok || !inv.own {
				continue // not one of the customer's own live receivables
			}
			m.InvoiceRef, m.DueDate, m.Moneda = inv.ref, inv.due, inv.moneda
		case ok:
			m.InvoiceRef, m.DueDate = inv.ref, inv.due // "" when missing: filled below
		default:
			invoices[r.inv] = invoice{}
			missing = append(missing, r.inv)
		}
		out = append(out, m)
	}
	if sc.err != nil {
		return nil, sc.err
	}
	if len(missing) == 0 {
		return out, nil
	}
	for _, id := range missing {
		var ref, due string
		if err := db.QueryRowContext(ctx, `SELECT serie || '-' || folio, due_date FROM invoices WHERE id = ?`, id).Scan(&ref, &due); err != nil {
			return nil, fmt.Errorf("invoice %d of a movement: %w", id, err)
		}
		d, err := time.Parse(receivables.DateLayout, due)
		if err != nil {
			return nil, fmt.Errorf("due date %q: %w", due, err)
		}
		invoices[id] = invoice{ref: ref, due: d}
	}
	for i := range out {
		if out[i].InvoiceRef == "" {
			inv := invoices[out[i].InvoiceID]
			out[i].InvoiceRef, out[i].DueDate = inv.ref, inv.due
		}
	}
	return out, nil
}

// movementKinds are the kinds of movementsSQL's column k.
var movementKinds = [...]receivables.MovementKind{receivables.Invoice, receivables.CreditNote, receivables.Payment}

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
