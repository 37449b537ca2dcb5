package postgres

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

var (
	_ sales.PaymentTx    = postTx{}
	_ sales.PaymentStore = (*Store)(nil)
)

// PaidOf returns what reduced invoice id so far (sales.PaymentTx): its live
// payment receipts and its live credit notes' shares.
func (t postTx) PaidOf(ctx context.Context, id int64) (sales.PaidSummary, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return sales.PaidSummary{}, err
	}
	return paidOf(ctx, t.q, id)
}

// PaidOf returns what the live payment receipts paid of invoice id, how many
// they are, and what its live credit notes took.
func (s *Store) PaidOf(ctx context.Context, id int64) (sales.PaidSummary, error) {
	return paidOf(ctx, s.ReadDB(), id)
}

func paidOf(ctx context.Context, q querier, id int64) (sales.PaidSummary, error) {
	var paid, credited int64
	var out sales.PaidSummary
	err := q.QueryRowContext(ctx, `SELECT COALESCE(sum(d.pagado_micro), 0), count(*)
		FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
		WHERE d.related_id = ? AND `+livePayment, id).Scan(&paid, &out.Payments)
	if err != nil {
		return out, fmt.Errorf("paid of %d: %w", id, err)
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(sum(r.credited_micro), 0)
		FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
		WHERE r.related_id = ? AND `+liveCredit, id).Scan(&credited)
	if err != nil {
		return out, fmt.Errorf("credited of %d: %w", id, err)
	}
	out.Paid, out.Credited = fromMicro(paid), fromMicro(credited)
	return out, nil
}

// PayableInvoices returns issuer's stamped invoices on credit (PPD) whose
// receivable is under customerID (invoiced to them, or to another customer
// with them as "Cuenta x cobrar a") with something still owed, oldest
// first, each with its stored total and taxes (design decision 12) and what
// reduced it. Each keeps its own receptor (Invoice.Customer): the payment
// receipt of an invoice collected from another customer is still issued to
// the invoice's receptor (sales.BuildPayment).
func (s *Store) PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]sales.Payable, error) {
	q := s.ReadDB()
	rows, err := q.QueryContext(ctx, `SELECT i.id FROM invoices i WHERE i.issuer = ? AND `+receivableCustomer+` = ?
		AND i.due_date IS NOT NULL AND i.tipo = 'I' AND i.terms = 'credito' AND i.state IN ('stamped', 'cancel_rejected')
		ORDER BY i.fecha, i.id`, issuer, customerID)
	if err != nil {
		return nil, fmt.Errorf("payable invoices: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []sales.Payable
	for _, id := range ids {
		p, err := payable(ctx, q, id)
		if err != nil {
			return nil, err
		}
		if p.Balance().IsPositive() {
			out = append(out, p)
		}
	}
	return out, nil
}

// Payable returns invoice id as a payment sees it: stored total and taxes
// and what reduced it.
func (s *Store) Payable(ctx context.Context, id int64) (sales.Payable, error) {
	return payable(ctx, s.ReadDB(), id)
}

func payable(ctx context.Context, q querier, id int64) (sales.Payable, error) {
	inv, err := findInvoice(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	a, ok, err := findAmounts(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	if !ok {
		return sales.Payable{}, domain.E(domain.Invalid, "payable", "La factura "+inv.FolioText()+" no está emitida.", nil)
	}
	paid, err := paidOf(ctx, q, id)
	if err != nil {
		return sales.Payable{}, err
	}
	return sales.Payable{Invoice: &inv, Total: a.Total, Taxes: a.Taxes, PaidSummary: paid}, nil
}

// PaymentsOf returns the payment receipts that paid invoice id, live or
// cancelled, oldest first: its trace and the reason it may not be
// cancelled yet.
func (s *Store) PaymentsOf(ctx context.Context, id int64) ([]sales.PaymentRow, error) {
	return paymentsOf(ctx, s.ReadDB(), id)
}

func paymentsOf(ctx context.Context, q querier, id int64) ([]sales.PaymentRow, error) {
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
		r.State, r.ImpPagado = sales.State(st), fromMicro(paid)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PendingReceipts returns the posted payment receipts of every issuer that
// are not stamped yet (sealed and queued, or rejected by the PAC), oldest
// payment first: the status bar warns before their deadline.
func (s *Store) PendingReceipts(ctx context.Context) ([]sales.PendingReceipt, error) {
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT i.id, i.issuer, i.serie, COALESCE(i.folio, 0), p.fecha_pago, i.state
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
		var sc salesScan
		r.FechaPago, r.State = sc.time(fecha), sales.State(state)
		if sc.err != nil {
			return nil, sc.err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
