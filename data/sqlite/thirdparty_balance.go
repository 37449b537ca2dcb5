package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
)

var (
	_ thirdparty.Store    = (*Store)(nil)
	_ thirdparty.PayoutTx = payoutTx{}
)

// The third parties' balances are computed from the concepts of the
// documents (invoice_lines.third_party_id, partial index
// invoice_lines_third_party), never stored: a posted document's concepts
// never change, and the domain decides every amount (ThirdPartyTotals).

// ThirdPartyDocs returns the live posted invoices f selects that bill on
// behalf of third parties, oldest first (thirdparty.Reader).
func (s *Store) ThirdPartyDocs(ctx context.Context, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	return thirdPartyDocs(ctx, s.ReadDB(), f)
}

// Payouts returns the payouts f selects, oldest first (thirdparty.Reader).
func (s *Store) Payouts(ctx context.Context, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	return findPayouts(ctx, s.ReadDB(), f)
}

// PayoutTx runs fn in one immediate write transaction (thirdparty.Store):
// the checks it reads and the payout it writes cannot interleave with
// another payout.
func (s *Store) PayoutTx(ctx context.Context, fn func(tx thirdparty.PayoutTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return fn(payoutTx{q: tx}) })
}

type payoutTx struct{ q querier }

func (t payoutTx) ThirdPartyDocs(ctx context.Context, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	return thirdPartyDocs(ctx, t.q, f)
}

func (t payoutTx) Payouts(ctx context.Context, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	return findPayouts(ctx, t.q, f)
}

func (t payoutTx) Account(ctx context.Context, id int64) (banks.Account, error) {
	return findAccount(ctx, t.q, id)
}

func (t payoutTx) InsertPayout(ctx context.Context, p *thirdparty.Payout, m *banks.Movement) error {
	amount, err := micro(p.Amount)
	if err != nil {
		return err
	}
	var account, movement any
	if p.AccountID != 0 {
		account = p.AccountID
	}
	if m != nil {
		if err := insertMovement(ctx, t.q, m); err != nil {
			return err
		}
		p.MovementID, movement = m.ID, m.ID
	}
	var rate string
	if !p.TipoCambio.IsZero() {
		rate = p.TipoCambio.String()
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO third_party_payouts (issuer, third_party_id, fecha, moneda, amount,
		amount_micro, account_id, bank_movement, reference, created_at, tipo_cambio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Issuer, p.ThirdPartyID, salesTimeText(p.Fecha), p.Moneda, p.Amount.String(), amount, account, movement,
		p.Reference, salesTimeText(p.CreatedAt), rate)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return domain.E(domain.Invalid, "insert payout", "El tercero no existe: elíjalo del catálogo.", err)
		}
		return fmt.Errorf("insert payout: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

func (t payoutTx) FindPayout(ctx context.Context, issuer string, id int64) (thirdparty.Payout, error) {
	ps, err := queryPayouts(ctx, t.q, `issuer = ? AND id = ?`, issuer, id)
	if err != nil {
		return thirdparty.Payout{}, err
	}
	if len(ps) == 0 {
		return thirdparty.Payout{}, domain.Errorf(domain.NotFound, "find payout", "No existe la liquidación %d.", id)
	}
	return ps[0], nil
}

func (t payoutTx) MarkPayoutCancelled(ctx context.Context, id int64, at time.Time, rs []banks.Movement) error {
	res, err := t.q.ExecContext(ctx, `UPDATE third_party_payouts SET cancelled_at = ? WHERE id = ? AND cancelled_at = ''`,
		salesTimeText(at), id)
	if err != nil {
		return fmt.Errorf("cancel payout %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.Conflict, "cancel payout", "La liquidación %d ya está cancelada.", id)
	}
	for _, r := range rs {
		if err := insertMovement(ctx, t.q, &r); err != nil {
			return err
		}
	}
	return nil
}

func (t payoutTx) Movements(ctx context.Context, id int64) ([]banks.Movement, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT id, account_id, at, direction, amount_micro, doc_moneda,
		doc_amount_micro, tipo_cambio, invoice_id, reverses, memo FROM bank_movements WHERE id = ? OR reverses = ? ORDER BY id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("movement %d: %w", id, err)
	}
	return scanMovements(rows)
}

func findPayouts(ctx context.Context, q querier, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	where, args := `issuer = ?`, []any{f.Issuer}
	if f.ThirdPartyID != 0 {
		where += ` AND third_party_id = ?`
		args = append(args, f.ThirdPartyID)
	}
	if !f.From.IsZero() {
		where += ` AND fecha >= ?`
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND fecha < ?`
		args = append(args, salesTimeText(f.To))
	}
	if !f.Cancelled {
		where += ` AND cancelled_at = ''`
	}
	return queryPayouts(ctx, q, where, args...)
}

func queryPayouts(ctx context.Context, q querier, where string, args ...any) ([]thirdparty.Payout, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, issuer, third_party_id, fecha, moneda, amount_micro, tipo_cambio,
		COALESCE(account_id, 0), COALESCE(bank_movement, 0), reference, cancelled_at, created_at
		FROM third_party_payouts WHERE `+where+` ORDER BY fecha, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("payouts: %w", err)
	}
	defer rows.Close()
	var out []thirdparty.Payout
	for rows.Next() {
		var p thirdparty.Payout
		var fecha, rate, cancelled, created string
		var amount int64
		if err := rows.Scan(&p.ID, &p.Issuer, &p.ThirdPartyID, &fecha, &p.Moneda, &amount, &rate, &p.AccountID,
			&p.MovementID, &p.Reference, &cancelled, &created); err != nil {
			return nil, err
		}
		var sc salesScan
		p.Fecha, p.CreatedAt, p.Amount = sc.time(fecha), sc.time(created), fromMicro(amount)
		if cancelled != "" {
			p.CancelledAt = sc.time(cancelled)
		}
		if rate != "" {
			p.TipoCambio = sc.parse(rate)
		}
		if sc.err != nil {
			return nil, sc.err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// tpLineColumns are the columns of a concept that its amounts depend on,
// and its third party (alias l).
const tpLineColumns = `l.cantidad, l.valor_unitario, l.descuento, l.objeto_imp, l.iva_exento, l.iva_tasa, l.ieps_factor,
	l.ieps_valor, l.ret_iva, l.ret_isr, l.third_party_id, l.tp_rfc, l.tp_name, l.tp_regimen, l.tp_cp`

// scanTPLine reads tpLineColumns after the leading destinations lead.
func scanTPLine(rows *sql.Rows, lead ...any) (sales.Line, error) {
	var (
		l                                       sales.Line
		tp                                      sales.ThirdPartyRef
		tpID                                    sql.NullInt64
		qty, price, disc, iva, ieps, rIVA, rISR string
	)
	dest := append(lead, &qty, &price, &disc, &l.ObjetoImp, &l.Taxes.IVAExento, &iva, &l.Taxes.IEPSFactor, &ieps,
		&rIVA, &rISR, &tpID, &tp.RFC, &tp.Name, &tp.RegimenFiscal, &tp.CodigoPostal)
	if err := rows.Scan(dest...); err != nil {
		return l, fmt.Errorf("scan third-party line: %w", err)
	}
	var s salesScan
	l.Cantidad, l.ValorUnitario, l.Descuento = s.parse(qty), s.parse(price), s.parse(disc)
	l.Taxes.IVATasa, l.Taxes.IEPSValor = s.parse(iva), s.parse(ieps)
	l.Taxes.RetIVA, l.Taxes.RetISR = s.parse(rIVA), s.parse(rISR)
	if tpID.Valid {
		tp.ID = tpID.Int64
		l.ThirdParty = &tp
	}
	return l, s.err
}

// tpDocWhere selects, on invoices i, the live posted invoices of f.
func tpDocWhere(f thirdparty.DocFilter) (string, []any) {
	where, args := `i.issuer = ? AND i.tipo = 'I' AND i.state NOT IN ('draft', 'cancelled')`, []any{f.Issuer}
	if !f.From.IsZero() {
		where += ` AND i.fecha >= ?`
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND i.fecha < ?`
		args = append(args, salesTimeText(f.To))
	}
	return where, args
}

func tpLineWhere(f thirdparty.DocFilter) (string, []any) {
	if f.ThirdPartyID != 0 {
		return `l.third_party_id = ?`, []any{f.ThirdPartyID}
	}
	return `l.third_party_id IS NOT NULL`, nil
}

// thirdPartyDocs reads, in three passes over the third-party concepts
// (the partial index), the invoices' concepts, their headers with what
// reduced them, and their live credit notes' third-party concepts.
func thirdPartyDocs(ctx context.Context, q querier, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	dw, dargs := tpDocWhere(f)
	lw, largs := tpLineWhere(f)
	rows, err := q.QueryContext(ctx, `SELECT l.invoice_id, `+tpLineColumns+`
		FROM invoice_lines l INDEXED BY invoice_lines_third_party CROSS JOIN invoices i ON i.id = l.invoice_id
		WHERE `+lw+` AND `+dw+` ORDER BY l.invoice_id, l.n`,
		append(largs, dargs...)...)
	if err != nil {
		return nil, fmt.Errorf("third-party lines: %w", err)
	}
	lines := map[int64][]sales.Line{}
	for rows.Next() {
		var id int64
		l, err := scanTPLine(rows, &id)
		if err != nil {
			rows.Close()
			return nil, err
		}
		lines[id] = append(lines[id], l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, nil
	}
	// The partial index holds only the third-party concepts: the reads
	// grow with them, not with the company's whole history.
	sub := `SELECT l.invoice_id FROM invoice_lines l INDEXED BY invoice_lines_third_party WHERE ` + lw
	rows, err = q.QueryContext(ctx, `SELECT i.id, i.serie, COALESCE(i.folio, 0), i.fecha, i.customer_rfc, i.customer_name,
		i.moneda, COALESCE(i.tipo_cambio_micro, 0), i.terms, COALESCE(i.total_micro, 0),
		COALESCE((SELECT sum(r.credited_micro) FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
			WHERE r.related_id = i.id AND `+liveCredit+`), 0), `+paidMicro+`
		FROM invoices i WHERE i.id IN (`+sub+`) AND `+dw+` ORDER BY i.fecha, i.id`, append(largs, dargs...)...)
	if err != nil {
		return nil, fmt.Errorf("third-party documents: %w", err)
	}
	var out []thirdparty.Doc
	index := map[int64]int{}
	for rows.Next() {
		var d thirdparty.Doc
		var fecha, terms string
		var tc, total, credited, paid int64
		if err := rows.Scan(&d.InvoiceID, &d.Serie, &d.Folio, &fecha, &d.CustomerRFC, &d.CustomerName, &d.Moneda, &tc,
			&terms, &total, &credited, &paid); err != nil {
			rows.Close()
			return nil, err
		}
		var sc salesScan
		d.Fecha = sc.time(fecha)
		if sc.err != nil {
			rows.Close()
			return nil, sc.err
		}
		d.TipoCambio, d.Terms = fromMicro(tc), sales.PaymentTerms(terms)
		d.Total, d.Credited, d.Paid = fromMicro(total), fromMicro(credited), fromMicro(paid)
		d.Lines = lines[d.InvoiceID]
		index[d.InvoiceID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Live credit notes of those invoices, with their third-party concepts.
	rows, err = q.QueryContext(ctx, `SELECT r.related_id, n.id, COALESCE(n.total_micro, 0), r.credited_micro, `+tpLineColumns+`
		FROM invoices i JOIN invoice_relations r ON r.related_id = i.id JOIN invoices n ON n.id = r.invoice_id
		JOIN invoice_lines l ON l.invoice_id = n.id
		WHERE `+dw+` AND i.id IN (`+sub+`) AND `+liveCredit+` AND r.credited_micro IS NOT NULL AND l.third_party_id IS NOT NULL
		ORDER BY r.related_id, n.id, l.n`, append(dargs, largs...)...)
	if err != nil {
		return nil, fmt.Errorf("third-party credit notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var inv, note, total, credited int64
		l, err := scanTPLine(rows, &inv, &note, &total, &credited)
		if err != nil {
			return nil, err
		}
		k, ok := index[inv]
		if !ok {
			continue
		}
		d := &out[k]
		if n := len(d.Notes); n == 0 || d.Notes[n-1].ID != note {
			d.Notes = append(d.Notes, thirdparty.Note{ID: note, Total: fromMicro(total), Credited: fromMicro(credited)})
		}
		nn := &d.Notes[len(d.Notes)-1]
		nn.Lines = append(nn.Lines, l)
	}
	return out, rows.Err()
}

// CommissionDocs returns issuer's live posted invoices dated in [from, to)
// whose sale details name sellers, with all their concepts.
func (s *Store) CommissionDocs(ctx context.Context, issuer string, from, to time.Time) ([]sales.Invoice, error) {
	q := s.ReadDB()
	rows, err := q.QueryContext(ctx, `SELECT id FROM invoices WHERE issuer = ? AND tipo = 'I' AND state NOT IN ('draft', 'cancelled')
		AND fecha >= ? AND fecha < ? AND sale_details LIKE '%"sellers"%' ORDER BY fecha, id`,
		issuer, salesTimeText(from), salesTimeText(to))
	if err != nil {
		return nil, fmt.Errorf("commission documents: %w", err)
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
	out := make([]sales.Invoice, 0, len(ids))
	for _, id := range ids {
		inv, err := findInvoice(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

// SalesBook returns issuer's posted invoices and credit notes dated in
// [from, to) with their stored amounts and third-party concepts, and the
// folios of its I and E series voided in the period.
func (s *Store) SalesBook(ctx context.Context, issuer string, from, to time.Time) ([]thirdparty.BookDoc, []thirdparty.VoidedFolio, error) {
	q := s.ReadDB()
	args := []any{issuer, salesTimeText(from), salesTimeText(to)}
	const where = `i.issuer = ?1 AND i.tipo IN ('I', 'E') AND i.state <> 'draft' AND i.fecha >= ?2 AND i.fecha < ?3`
	rows, err := q.QueryContext(ctx, `SELECT l.invoice_id, `+tpLineColumns+` FROM invoices i INDEXED BY invoices_fecha
		JOIN invoice_lines l ON l.invoice_id = i.id WHERE `+where+` AND l.third_party_id IS NOT NULL ORDER BY l.invoice_id, l.n`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sales book lines: %w", err)
	}
	lines := map[int64][]sales.Line{}
	for rows.Next() {
		var id int64
		l, err := scanTPLine(rows, &id)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		lines[id] = append(lines[id], l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	tax := func(ret int, imp string) string {
		return fmt.Sprintf(`COALESCE((SELECT sum(x.importe_micro) FROM invoice_taxes x WHERE x.invoice_id = i.id AND x.retencion = %d AND x.impuesto = '%s'), 0)`, ret, imp)
	}
	rows, err = q.QueryContext(ctx, `SELECT i.id, i.tipo, i.serie, COALESCE(i.folio, 0), i.fecha, i.customer_rfc, i.customer_name,
		i.moneda, COALESCE(i.tipo_cambio_micro, 0), i.state = 'cancelled', COALESCE(i.subtotal_micro, 0),
		COALESCE(i.descuento_micro, 0), `+tax(0, "002")+`, `+tax(0, "003")+`, COALESCE(i.retenciones_micro, 0),
		COALESCE(i.total_micro, 0) FROM invoices i INDEXED BY invoices_fecha WHERE `+where+` ORDER BY i.serie, i.folio`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sales book: %w", err)
	}
	var docs []thirdparty.BookDoc
	for rows.Next() {
		var d thirdparty.BookDoc
		var fecha string
		var m [7]int64
		if err := rows.Scan(&d.ID, &d.Tipo, &d.Serie, &d.Folio, &fecha, &d.CustomerRFC, &d.CustomerName, &d.Moneda, &m[0],
			&d.Cancelled, &m[1], &m[2], &m[3], &m[4], &m[5], &m[6]); err != nil {
			rows.Close()
			return nil, nil, err
		}
		var sc salesScan
		if d.Fecha = sc.time(fecha); sc.err != nil {
			rows.Close()
			return nil, nil, sc.err
		}
		d.TipoCambio, d.SubTotal, d.Descuento = fromMicro(m[0]), fromMicro(m[1]), fromMicro(m[2])
		d.IVA, d.IEPS, d.Retenciones, d.Total = fromMicro(m[3]), fromMicro(m[4]), fromMicro(m[5]), fromMicro(m[6])
		d.TPLines = lines[d.ID]
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT f.serie, f.folio, f.taken_at, f.reason FROM folios f
		JOIN series s ON s.issuer = f.issuer AND s.serie = f.serie
		WHERE f.issuer = ?1 AND f.kind = 'void' AND s.tipo IN ('I', 'E') AND f.taken_at >= ?2 AND f.taken_at < ?3
		ORDER BY f.serie, f.folio`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("voided folios: %w", err)
	}
	defer rows.Close()
	var voided []thirdparty.VoidedFolio
	for rows.Next() {
		var v thirdparty.VoidedFolio
		var at string
		if err := rows.Scan(&v.Serie, &v.Folio, &at, &v.Reason); err != nil {
			return nil, nil, err
		}
		var sc salesScan
		if v.At = sc.time(at); sc.err != nil {
			return nil, nil, sc.err
		}
		voided = append(voided, v)
	}
	return docs, voided, rows.Err()
}
