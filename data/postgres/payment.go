package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

var (
	_ sales.PaymentTx    = postTx{}
	_ sales.PaymentStore = (*Store)(nil)
)

// livePayment is the condition on a payment receipt p (an alias of
// invoices) that makes it count against the invoices it pays: posted and
// not cancelled. A receipt rejected by the PAC keeps its folio and may be
// re-sealed, so it counts until it is cancelled.
const livePayment = `p.tipo = 'P' AND p.state NOT IN ('draft', 'cancelled')`

// writePayment replaces the payment of receipt id (its header, documents
// and their taxes, migration 0035). Every amount is converted before
// anything is written.
func writePayment(ctx context.Context, q querier, id int64, pay *sales.Payment) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM payment_document_taxes WHERE payment_id = ?`, id); err != nil {
		return fmt.Errorf("delete payment taxes: %w", err)
	}
	for _, del := range []string{`DELETE FROM payment_documents WHERE payment_id = ?`, `DELETE FROM payments WHERE invoice_id = ?`} {
		if _, err := q.ExecContext(ctx, del, id); err != nil {
			return fmt.Errorf("delete payment: %w", err)
		}
	}
	if pay == nil {
		return nil
	}
	ms := func(ds ...decimal.Decimal) ([]int64, error) {
		out := make([]int64, len(ds))
		for i, d := range ds {
			m, err := micro(d)
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	}
	h, err := ms(pay.TipoCambioP, pay.Monto)
	if err != nil {
		return err
	}
	var account any
	if pay.AccountID != 0 {
		account = pay.AccountID
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO payments (invoice_id, fecha_pago, forma_de_pago_p, moneda_p,
		tipo_cambio_p_micro, monto_micro, num_operacion, account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, salesTimeText(pay.FechaPago), pay.FormaDePagoP, pay.MonedaP, h[0], h[1], pay.NumOperacion, account); err != nil {
		return fmt.Errorf("insert payment: %w", err)
	}
	for i, d := range pay.Docs {
		a, err := ms(d.ImpSaldoAnt, d.ImpPagado, d.ImpSaldoInsoluto)
		if err != nil {
			return err
		}
		var folio any
		if d.Folio != 0 {
			folio = d.Folio
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO payment_documents (payment_id, n, related_id, uuid, serie, folio,
			moneda_dr, equivalencia_dr, num_parcialidad, saldo_ant_micro, pagado_micro, saldo_insoluto_micro, objeto_imp_dr)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i+1, d.InvoiceID, d.UUID, d.Serie, folio, d.MonedaDR,
			d.EquivalenciaDR.String(), d.NumParcialidad, a[0], a[1], a[2], d.ObjetoImpDR); err != nil {
			return fmt.Errorf("insert paid document %d: %w", i+1, err)
		}
		for j, x := range d.Taxes {
			t, err := ms(x.TasaOCuota, x.Base, x.Importe)
			if err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO payment_document_taxes (payment_id, doc_n, n, retencion, impuesto,
				tipo_factor, tasa_micro, base_micro, importe_micro) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, i+1, j+1, x.Retencion, x.Impuesto, x.TipoFactor, t[0], t[1], t[2]); err != nil {
				return fmt.Errorf("insert paid document tax: %w", err)
			}
		}
	}
	return nil
}

// findPayment reads the payment of receipt id; nil when it has none.
func findPayment(ctx context.Context, q querier, id int64) (*sales.Payment, error) {
	var (
		pay         sales.Payment
		fecha       string
		tc, monto   int64
		account     sql.NullInt64
		scanned     salesScan
		errNoRecord = sql.ErrNoRows
	)
	err := q.QueryRowContext(ctx, `SELECT fecha_pago, forma_de_pago_p, moneda_p, tipo_cambio_p_micro, monto_micro,
		num_operacion, account_id FROM payments WHERE invoice_id = ?`, id).Scan(&fecha, &pay.FormaDePagoP, &pay.MonedaP,
		&tc, &monto, &pay.NumOperacion, &account)
	if errors.Is(err, errNoRecord) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find payment %d: %w", id, err)
	}
	pay.FechaPago, pay.TipoCambioP, pay.Monto, pay.AccountID = scanned.time(fecha), fromMicro(tc), fromMicro(monto), account.Int64
	rows, err := q.QueryContext(ctx, `SELECT related_id, uuid, serie, COALESCE(folio, 0), moneda_dr, equivalencia_dr,
		num_parcialidad, saldo_ant_micro, pagado_micro, saldo_insoluto_micro, objeto_imp_dr
		FROM payment_documents WHERE payment_id = ? ORDER BY n`, id)
	if err != nil {
		return nil, fmt.Errorf("find paid documents: %w", err)
	}
	for rows.Next() {
		var (
			d               sales.PaidDocument
			eq              string
			ant, paid, left int64
		)
		if err := rows.Scan(&d.InvoiceID, &d.UUID, &d.Serie, &d.Folio, &d.MonedaDR, &eq, &d.NumParcialidad, &ant, &paid, &left, &d.ObjetoImpDR); err != nil {
			rows.Close()
			return nil, err
		}
		d.EquivalenciaDR = scanned.parse(eq)
		d.ImpSaldoAnt, d.ImpPagado, d.ImpSaldoInsoluto = fromMicro(ant), fromMicro(paid), fromMicro(left)
		pay.Docs = append(pay.Docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if scanned.err != nil {
		return nil, scanned.err
	}
	rows, err = q.QueryContext(ctx, `SELECT doc_n, retencion, impuesto, tipo_factor, tasa_micro, base_micro, importe_micro
		FROM payment_document_taxes WHERE payment_id = ? ORDER BY doc_n, n`, id)
	if err != nil {
		return nil, fmt.Errorf("find paid document taxes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			n               int
			x               sales.DocumentTax
			tasa, base, imp int64
		)
		if err := rows.Scan(&n, &x.Retencion, &x.Impuesto, &x.TipoFactor, &tasa, &base, &imp); err != nil {
			return nil, err
		}
		if n < 1 || n > len(pay.Docs) {
			return nil, fmt.Errorf("paid document tax of document %d of %d", n, len(pay.Docs))
		}
		x.TasaOCuota, x.Base, x.Importe = fromMicro(tasa), fromMicro(base), fromMicro(imp)
		pay.Docs[n-1].Taxes = append(pay.Docs[n-1].Taxes, x)
	}
	return &pay, rows.Err()
}

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
