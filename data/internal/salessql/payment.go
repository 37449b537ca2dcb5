package salessql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// LivePayment is the condition on a payment receipt p (an alias of
// invoices) that makes it count against the invoices it pays: posted and
// not cancelled. A receipt rejected by the PAC keeps its folio and may be
// re-sealed, so it counts until it is cancelled.
const LivePayment = `p.tipo = 'P' AND p.state NOT IN ('draft', 'cancelled')`

// WritePayment replaces the payment of receipt id (its header, documents
// and their taxes, migration 0035). Every amount is converted before
// anything is written.
func (p Parts) WritePayment(ctx context.Context, q Q, id int64, pay *sales.Payment) error {
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
			m, err := p.Micro(d)
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
		id, TimeText(pay.FechaPago), pay.FormaDePagoP, pay.MonedaP, h[0], h[1], pay.NumOperacion, account); err != nil {
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

// FindPayment reads the payment of receipt id; nil when it has none.
func FindPayment(ctx context.Context, q Q, id int64) (*sales.Payment, error) {
	var (
		pay         sales.Payment
		fecha       string
		tc, monto   int64
		account     sql.NullInt64
		scanned     scan
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
	pay.FechaPago, pay.TipoCambioP, pay.Monto, pay.AccountID = scanned.time(fecha), FromMicro(tc), FromMicro(monto), account.Int64
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
		d.ImpSaldoAnt, d.ImpPagado, d.ImpSaldoInsoluto = FromMicro(ant), FromMicro(paid), FromMicro(left)
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
		x.TasaOCuota, x.Base, x.Importe = FromMicro(tasa), FromMicro(base), FromMicro(imp)
		pay.Docs[n-1].Taxes = append(pay.Docs[n-1].Taxes, x)
	}
	return &pay, rows.Err()
}
