package salessql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// PaidOf returns what the live payment receipts paid of invoice id, how many
// they are, and what its live credit notes took.
func PaidOf(ctx context.Context, q Q, id int64) (sales.PaidSummary, error) {
	var paid, credited int64
	var out sales.PaidSummary
	err := q.QueryRowContext(ctx, `SELECT COALESCE(sum(d.pagado_micro), 0), count(*)
		FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
		WHERE d.related_id = ? AND `+LivePayment, id).Scan(&paid, &out.Payments)
	if err != nil {
		return out, fmt.Errorf("paid of %d: %w", id, err)
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(sum(r.credited_micro), 0)
		FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
		WHERE r.related_id = ? AND `+LiveCredit, id).Scan(&credited)
	if err != nil {
		return out, fmt.Errorf("credited of %d: %w", id, err)
	}
	out.Paid, out.Credited = FromMicro(paid), FromMicro(credited)
	return out, nil
}

// PayableInvoices returns issuer's stamped invoices on credit (PPD) whose
// receivable is under customerID (invoiced to them, or to another customer
// with them as "Cuenta x cobrar a") with something still owed, oldest
// first, each with its stored total and taxes (design decision 12) and what
// reduced it. Each keeps its own receptor (Invoice.Customer): the payment
// receipt of an invoice collected from another customer is still issued to
// the invoice's receptor (sales.BuildPayment).
func (p Parts) PayableInvoices(ctx context.Context, q Q, issuer string, customerID int64) ([]sales.Payable, error) {
	ids, err := IDs(ctx, q, "payable invoices", `SELECT i.id FROM invoices i WHERE i.issuer = ? AND `+ReceivableCustomer+` = ?
		AND i.due_date IS NOT NULL AND i.tipo = 'I' AND i.terms = 'credito' AND i.state IN ('stamped', 'cancel_rejected')
		ORDER BY i.fecha, i.id`, issuer, customerID)
	if err != nil {
		return nil, err
	}
	var out []sales.Payable
	for _, id := range ids {
		py, err := p.Payable(ctx, q, id)
		if err != nil {
			return nil, err
		}
		if py.Balance().IsPositive() {
			out = append(out, py)
		}
	}
	return out, nil
}

// Payable returns invoice id as a payment sees it: stored total and taxes
// and what reduced it.
func (p Parts) Payable(ctx context.Context, q Q, id int64) (sales.Payable, error) {
	inv, err := p.FindInvoice(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	a, ok, err := p.FindAmounts(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	if !ok {
		return sales.Payable{}, domain.E(domain.Invalid, "payable", "La factura "+inv.FolioText()+" no está emitida.", nil)
	}
	paid, err := PaidOf(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	return sales.Payable{Invoice: &inv, Total: a.Total, Taxes: a.Taxes, PaidSummary: paid}, nil
}

// PaymentsOf returns the payment receipts that paid invoice id, live or
// cancelled, oldest first.
func PaymentsOf(ctx context.Context, q Q, id int64) ([]sales.PaymentRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.serie, COALESCE(p.folio, 0), p.state, d.pagado_micro
		FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
		WHERE d.related_id = ? AND p.tipo = 'P' AND p.state <> 'draft' ORDER BY p.fecha, p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("payments of %d: %w", id, err)
	}
	defer rows.Close()
	var out []sales.PaymentRow
	for rows.Next() {
		var r sales.PaymentRow
		var st string
		var paid int64
		if err := rows.Scan(&r.ID, &r.Serie, &r.Folio, &st, &paid); err != nil {
			return nil, err
		}
		r.State, r.ImpPagado = sales.State(st), FromMicro(paid)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PendingReceipts returns the posted payment receipts of every issuer that
// are not stamped yet (sealed and queued, or rejected by the PAC), oldest
// payment first: the status bar warns before their deadline.
func PendingReceipts(ctx context.Context, q Q) ([]sales.PendingReceipt, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.issuer, i.serie, COALESCE(i.folio, 0), p.fecha_pago, i.state
		FROM invoices i JOIN payments p ON p.invoice_id = i.id
		WHERE i.tipo = 'P' AND i.state IN ('sealed', 'rejected') ORDER BY p.fecha_pago`)
	if err != nil {
		return nil, fmt.Errorf("pending receipts: %w", err)
	}
	defer rows.Close()
	var out []sales.PendingReceipt
	for rows.Next() {
		var r sales.PendingReceipt
		var fecha, state string
		if err := rows.Scan(&r.ID, &r.Issuer, &r.Serie, &r.Folio, &fecha, &state); err != nil {
			return nil, err
		}
		var sc scan
		r.FechaPago, r.State = sc.time(fecha), sales.State(state)
		if sc.err != nil {
			return nil, sc.err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// LiveCredit is the condition on a credit note n (an alias of invoices)
// that makes it count against its invoices: posted and not cancelled. A
// note rejected by the PAC still holds its folio and may be re-sealed, so
// it counts until it is cancelled.
const LiveCredit = `n.credit_kind <> '' AND n.state NOT IN ('draft', 'cancelled')`

// Credited returns what the live credit notes of invoice id took from each
// of its lines.
func Credited(ctx context.Context, q Q, id int64) (sales.Credited, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.credit_kind, l.credits_line, l.cantidad, l.valor_unitario
		FROM invoice_lines l JOIN invoices n ON n.id = l.invoice_id
		WHERE l.credits_invoice = ? AND `+LiveCredit, id)
	if err != nil {
		return sales.Credited{}, fmt.Errorf("credited %d: %w", id, err)
	}
	defer rows.Close()
	var c sales.Credited
	for rows.Next() {
		var kind, qty, price string
		var line int
		if err := rows.Scan(&kind, &line, &qty, &price); err != nil {
			return c, err
		}
		var s scan
		l := sales.Line{Cantidad: s.parse(qty), ValorUnitario: s.parse(price)}
		if s.err != nil {
			return c, s.err
		}
		c.Add(sales.CreditKind(kind), line, l)
	}
	return c, rows.Err()
}

// CreditNotesOf returns the credit notes posted against invoice id, live
// or cancelled, oldest first.
func CreditNotesOf(ctx context.Context, q Q, id int64) ([]sales.CreditNoteRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.serie, n.folio, n.state, n.credit_kind, n.fecha, n.moneda, n.total,
		COALESCE(n.uuid, ''), COALESCE((SELECT sum(r.credited_micro) FROM invoice_relations r
			WHERE r.invoice_id = n.id AND r.related_id = ?1), 0)
		FROM invoices n WHERE n.credit_kind <> '' AND n.state <> 'draft'
		AND n.id IN (SELECT r.invoice_id FROM invoice_relations r WHERE r.related_id = ?1)
		ORDER BY n.fecha, n.id`, id)
	if err != nil {
		return nil, fmt.Errorf("credit notes of %d: %w", id, err)
	}
	defer rows.Close()
	var out []sales.CreditNoteRow
	for rows.Next() {
		var (
			r                         sales.CreditNoteRow
			state, kind, fecha, total string
			applied                   int64
		)
		if err := rows.Scan(&r.ID, &r.Serie, &r.Folio, &state, &kind, &fecha, &r.Moneda, &total, &r.UUID, &applied); err != nil {
			return nil, err
		}
		var s scan
		r.State, r.Kind, r.Fecha, r.Total = sales.State(state), sales.CreditKind(kind), s.time(fecha), s.parse(total)
		r.Applied = FromMicro(applied)
		if s.err != nil {
			return nil, s.err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// uuidText is the form of a CFDI's UUID (folio fiscal).
var uuidText = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// FindDocument returns the id of issuer's posted document named ref: its
// "SERIE-FOLIO" (the serie in any case) or its UUID (sales.Directory, for
// the invoices a credit note of `folio post` names). A draft has no folio
// and is never found; an unknown name is NotFound.
func FindDocument(ctx context.Context, q Q, issuer, ref string) (int64, error) {
	const op = "find document"
	ref = strings.TrimSpace(ref)
	var id int64
	var err error
	if i := strings.LastIndex(ref, "-"); i > 0 && !uuidText.MatchString(ref) {
		folio, perr := strconv.ParseInt(ref[i+1:], 10, 64)
		if perr != nil || folio <= 0 {
			return 0, domain.E(domain.NotFound, op, "«"+ref+"» no es SERIE-FOLIO (p. ej. A-12) ni un UUID.", perr)
		}
		err = q.QueryRowContext(ctx, `SELECT id FROM invoices WHERE issuer = ? AND serie = ? AND folio = ? AND state <> 'draft'`,
			issuer, strings.ToUpper(ref[:i]), folio).Scan(&id)
	} else {
		err = q.QueryRowContext(ctx, `SELECT id FROM invoices WHERE issuer = ? AND uuid = ?`, issuer, strings.ToUpper(ref)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.E(domain.NotFound, op, "No hay un documento emitido «"+ref+"» de esta empresa.", err)
	}
	if err != nil {
		return 0, fmt.Errorf("find document %q: %w", ref, err)
	}
	return id, nil
}

// LiveDeposit is the SQL condition "invoices.id has a deposit no movement
// reverses": its collection is recorded.
const LiveDeposit = `EXISTS (SELECT 1 FROM bank_movements m WHERE m.invoice_id = invoices.id AND m.direction = 'deposito'
	AND m.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM bank_movements r WHERE r.reverses = m.id))`

// UncollectedInvoices returns issuer's cash sales (PUE ingresos) to
// customerID, posted and not cancelled nor being cancelled, whose
// collection no live deposit records, oldest first
// (sales.CollectionStore).
func (p Parts) UncollectedInvoices(ctx context.Context, q Q, issuer string, customerID int64) ([]sales.Payable, error) {
	ids, err := IDs(ctx, q, "uncollected invoices", `SELECT id FROM invoices WHERE issuer = ? AND customer_id = ? AND tipo = 'I'
		AND terms = 'contado' AND state IN ('sealed', 'stamped', 'cancel_rejected') AND NOT `+LiveDeposit+`
		ORDER BY fecha, id`, issuer, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]sales.Payable, 0, len(ids))
	for _, id := range ids {
		py, err := p.Payable(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, py)
	}
	return out, nil
}

// IDs runs query, which selects one id column, and returns the ids in
// order; what names the read in errors. The rows are closed before the
// caller reads each id's record (SQLite's single read connection of a
// transaction cannot hold two result sets).
func IDs(ctx context.Context, q Q, what, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
