package thirdpartysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
)

// The third parties' balances are computed from the concepts of the
// documents (invoice_lines.third_party_id, partial index
// invoice_lines_third_party), never stored: a posted document's concepts
// never change, and the domain decides every amount (ThirdPartyTotals).
// Payouts (third_party_payouts) keep their amount as entered and in
// micro-units (amount_micro), like the other tables' sums.

// liveCredit is the condition on a credit note n that still reduces the
// invoice it relates to (as the stores' credit notes read it).
const liveCredit = `n.credit_kind <> '' AND n.state NOT IN ('draft', 'cancelled')`

// paidMicro is what the live payment receipts paid of invoice i, in
// micro-units (as the stores' receivables read it).
const paidMicro = `COALESCE((SELECT sum(d.pagado_micro) FROM payment_documents d JOIN invoices p ON p.id = d.payment_id
	WHERE d.related_id = i.id AND p.state NOT IN ('draft', 'cancelled')), 0)`

// Bank is what a payout needs from the store's bank accounts, inside the
// payout's transaction: each store keeps its own movements' SQL.
type Bank interface {
	// Account returns one account; NotFound if absent.
	Account(ctx context.Context, id int64) (banks.Account, error)
	// InsertMovement stores m and sets its ID.
	InsertMovement(ctx context.Context, m *banks.Movement) error
	// Movements returns movement id and the movements reversing it.
	Movements(ctx context.Context, id int64) ([]banks.Movement, error)
}

// PayoutTx is thirdparty.PayoutTx over one transaction of a store.
type PayoutTx struct {
	Q    Q
	D    Dialect
	Bank Bank
	// Lock, when set, is taken before the first read of a third party's
	// documents or payouts and before a payout of it is written or
	// cancelled, and held until the transaction ends: two workstations
	// paying the same balance take turns, the second reading the first's
	// payout. Nil when the store's write transaction already excludes
	// every other writer (SQLite).
	Lock func(ctx context.Context, issuer string, thirdPartyID int64) error
	// Changed lists the companies whose payouts this transaction recorded
	// or cancelled (for the store to announce once it commits).
	Changed []string
}

var _ thirdparty.PayoutTx = (*PayoutTx)(nil)

func (t *PayoutTx) lock(ctx context.Context, issuer string, id int64) error {
	if t.Lock == nil || id == 0 {
		return nil
	}
	return t.Lock(ctx, issuer, id)
}

// ThirdPartyDocs is ThirdPartyDocs inside the transaction, under the third
// party's lock.
func (t *PayoutTx) ThirdPartyDocs(ctx context.Context, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	if err := t.lock(ctx, f.Issuer, f.ThirdPartyID); err != nil {
		return nil, err
	}
	return ThirdPartyDocs(ctx, t.Q, t.D, f)
}

// Payouts is Payouts inside the transaction, under the third party's lock.
func (t *PayoutTx) Payouts(ctx context.Context, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	if err := t.lock(ctx, f.Issuer, f.ThirdPartyID); err != nil {
		return nil, err
	}
	return Payouts(ctx, t.Q, t.D, f)
}

// Account reads an account through the store's Bank.
func (t *PayoutTx) Account(ctx context.Context, id int64) (banks.Account, error) {
	return t.Bank.Account(ctx, id)
}

// InsertPayout stores p (with its withdrawal m first, nil for none) and
// sets their IDs; a third party that is not in the catalog is Invalid.
func (t *PayoutTx) InsertPayout(ctx context.Context, p *thirdparty.Payout, m *banks.Movement) error {
	if err := t.lock(ctx, p.Issuer, p.ThirdPartyID); err != nil {
		return err
	}
	amount, err := micro(p.Amount)
	if err != nil {
		return err
	}
	var account, movement any
	if p.AccountID != 0 {
		account = p.AccountID
	}
	if m != nil {
		if err := t.Bank.InsertMovement(ctx, m); err != nil {
			return err
		}
		p.MovementID, movement = m.ID, m.ID
	}
	rate := t.D.none()
	if !p.TipoCambio.IsZero() {
		rate = p.TipoCambio.String()
	}
	res, err := t.Q.ExecContext(ctx, `INSERT INTO third_party_payouts (issuer, third_party_id, fecha, moneda, amount,
		amount_micro, account_id, bank_movement, reference, created_at, tipo_cambio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Issuer, p.ThirdPartyID, timeText(p.Fecha), p.Moneda, p.Amount.String(), amount, account, movement,
		p.Reference, timeText(p.CreatedAt), rate)
	if err != nil {
		if t.D.ForeignKey(err) {
			return domain.E(domain.Invalid, "insert payout", "El tercero no existe: elíjalo del catálogo.", err)
		}
		return fmt.Errorf("insert payout: %w", err)
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	t.Changed = append(t.Changed, p.Issuer)
	return nil
}

// FindPayout returns payout id of issuer, taking its third party's lock;
// NotFound if absent.
func (t *PayoutTx) FindPayout(ctx context.Context, issuer string, id int64) (thirdparty.Payout, error) {
	ps, err := queryPayouts(ctx, t.Q, `issuer = ? AND id = ?`, issuer, id)
	if err != nil {
		return thirdparty.Payout{}, err
	}
	if len(ps) == 0 {
		return thirdparty.Payout{}, domain.Errorf(domain.NotFound, "find payout", "No existe la liquidación %d.", id)
	}
	if err := t.lock(ctx, issuer, ps[0].ThirdPartyID); err != nil {
		return thirdparty.Payout{}, err
	}
	return ps[0], nil
}

// MarkPayoutCancelled records live payout id as cancelled at at and stores
// the reversals rs of its withdrawal; a payout already cancelled is a
// Conflict.
func (t *PayoutTx) MarkPayoutCancelled(ctx context.Context, id int64, at time.Time, rs []banks.Movement) error {
	var issuer string
	if err := t.Q.QueryRowContext(ctx, `SELECT issuer FROM third_party_payouts WHERE id = ?`, id).Scan(&issuer); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.NotFound, "cancel payout", "No existe la liquidación %d.", id)
		}
		return fmt.Errorf("cancel payout %d: %w", id, err)
	}
	res, err := t.Q.ExecContext(ctx, `UPDATE third_party_payouts SET cancelled_at = ? WHERE id = ? AND `+t.D.notCancelled(),
		timeText(at), id)
	if err != nil {
		return fmt.Errorf("cancel payout %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.Conflict, "cancel payout", "La liquidación %d ya está cancelada.", id)
	}
	for _, r := range rs {
		if err := t.Bank.InsertMovement(ctx, &r); err != nil {
			return err
		}
	}
	t.Changed = append(t.Changed, issuer)
	return nil
}

// Movements returns bank movement id and its reversals through the
// store's Bank.
func (t *PayoutTx) Movements(ctx context.Context, id int64) ([]banks.Movement, error) {
	return t.Bank.Movements(ctx, id)
}

// Payouts returns the payouts f selects, oldest first.
func Payouts(ctx context.Context, q Q, d Dialect, f thirdparty.PayoutFilter) ([]thirdparty.Payout, error) {
	where, args := `issuer = ?`, []any{f.Issuer}
	if f.ThirdPartyID != 0 {
		where += ` AND third_party_id = ?`
		args = append(args, f.ThirdPartyID)
	}
	if !f.From.IsZero() {
		where += ` AND fecha >= ?`
		args = append(args, timeText(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND fecha < ?`
		args = append(args, timeText(f.To))
	}
	if !f.Cancelled {
		where += ` AND ` + d.notCancelled()
	}
	return queryPayouts(ctx, q, where, args...)
}

func queryPayouts(ctx context.Context, q Q, where string, args ...any) ([]thirdparty.Payout, error) {
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
		var fecha, created string
		var rate, cancelled sql.NullString // '' on SQLite, NULL on PostgreSQL: none
		var amount int64
		if err := rows.Scan(&p.ID, &p.Issuer, &p.ThirdPartyID, &fecha, &p.Moneda, &amount, &rate, &p.AccountID,
			&p.MovementID, &p.Reference, &cancelled, &created); err != nil {
			return nil, err
		}
		var sc scan
		p.Fecha, p.CreatedAt, p.Amount = sc.time(fecha), sc.time(created), fromMicro(amount)
		if cancelled.String != "" {
			p.CancelledAt = sc.time(cancelled.String)
		}
		if rate.String != "" {
			p.TipoCambio = sc.parse(rate.String)
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
	var s scan
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
		args = append(args, timeText(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND i.fecha < ?`
		args = append(args, timeText(f.To))
	}
	return where, args
}

func tpLineWhere(f thirdparty.DocFilter) (string, []any) {
	if f.ThirdPartyID != 0 {
		return `l.third_party_id = ?`, []any{f.ThirdPartyID}
	}
	return `l.third_party_id IS NOT NULL`, nil
}

// readLines reads the third-party concepts a query selects after their
// document's id, by document.
func readLines(rows *sql.Rows) (map[int64][]sales.Line, error) {
	defer rows.Close()
	lines := map[int64][]sales.Line{}
	for rows.Next() {
		var id int64
		l, err := scanTPLine(rows, &id)
		if err != nil {
			return nil, err
		}
		lines[id] = append(lines[id], l)
	}
	return lines, rows.Err()
}

// ThirdPartyDocs returns the live posted invoices f selects that bill on
// behalf of third parties, oldest first, reading in three passes over the
// third-party concepts (the partial index) the invoices' concepts, their
// headers with what reduced them, and their live credit notes'
// third-party concepts.
func ThirdPartyDocs(ctx context.Context, q Q, d Dialect, f thirdparty.DocFilter) ([]thirdparty.Doc, error) {
	dw, dargs := tpDocWhere(f)
	lw, largs := tpLineWhere(f)
	rows, err := q.QueryContext(ctx, `SELECT l.invoice_id, `+tpLineColumns+`
		FROM invoice_lines l`+d.indexed("invoice_lines_third_party")+` `+d.crossJoin()+` invoices i ON i.id = l.invoice_id
		WHERE `+lw+` AND `+dw+` ORDER BY l.invoice_id, l.n`,
		append(largs, dargs...)...)
	if err != nil {
		return nil, fmt.Errorf("third-party lines: %w", err)
	}
	lines, err := readLines(rows)
	if err != nil || len(lines) == 0 {
		return nil, err
	}
	// The partial index holds only the third-party concepts: the reads
	// grow with them, not with the company's whole history.
	sub := `SELECT l.invoice_id FROM invoice_lines l` + d.indexed("invoice_lines_third_party") + ` WHERE ` + lw
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
		var doc thirdparty.Doc
		var fecha, terms string
		var tc, total, credited, paid int64
		if err := rows.Scan(&doc.InvoiceID, &doc.Serie, &doc.Folio, &fecha, &doc.CustomerRFC, &doc.CustomerName, &doc.Moneda, &tc,
			&terms, &total, &credited, &paid); err != nil {
			rows.Close()
			return nil, err
		}
		var sc scan
		doc.Fecha = sc.time(fecha)
		if sc.err != nil {
			rows.Close()
			return nil, sc.err
		}
		doc.TipoCambio, doc.Terms = fromMicro(tc), sales.PaymentTerms(terms)
		doc.Total, doc.Credited, doc.Paid = fromMicro(total), fromMicro(credited), fromMicro(paid)
		doc.Lines = lines[doc.InvoiceID]
		index[doc.InvoiceID] = len(out)
		out = append(out, doc)
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
		doc := &out[k]
		if n := len(doc.Notes); n == 0 || doc.Notes[n-1].ID != note {
			doc.Notes = append(doc.Notes, thirdparty.Note{ID: note, Total: fromMicro(total), Credited: fromMicro(credited)})
		}
		nn := &doc.Notes[len(doc.Notes)-1]
		nn.Lines = append(nn.Lines, l)
	}
	return out, rows.Err()
}

// CommissionDocs returns issuer's live posted invoices dated in [from, to)
// whose sale details name sellers, with all their concepts, each read by
// the store's find.
func CommissionDocs(ctx context.Context, q Q, issuer string, from, to time.Time,
	find func(ctx context.Context, id int64) (sales.Invoice, error)) ([]sales.Invoice, error) {
	ids, err := salessql.IDs(ctx, q, "commission documents", `SELECT id FROM invoices WHERE issuer = ? AND tipo = 'I' AND state NOT IN ('draft', 'cancelled')
		AND fecha >= ? AND fecha < ? AND sale_details LIKE '%"sellers"%' ORDER BY fecha, id`,
		issuer, timeText(from), timeText(to))
	if err != nil {
		return nil, err
	}
	out := make([]sales.Invoice, 0, len(ids))
	for _, id := range ids {
		inv, err := find(ctx, id)
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
func SalesBook(ctx context.Context, q Q, d Dialect, issuer string, from, to time.Time) ([]thirdparty.BookDoc, []thirdparty.VoidedFolio, error) {
	args := []any{issuer, timeText(from), timeText(to)}
	const where = `i.issuer = ?1 AND i.tipo IN ('I', 'E') AND i.state <> 'draft' AND i.fecha >= ?2 AND i.fecha < ?3`
	byFecha := d.indexed("invoices_fecha")
	rows, err := q.QueryContext(ctx, `SELECT l.invoice_id, `+tpLineColumns+` FROM invoices i`+byFecha+`
		JOIN invoice_lines l ON l.invoice_id = i.id WHERE `+where+` AND l.third_party_id IS NOT NULL ORDER BY l.invoice_id, l.n`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sales book lines: %w", err)
	}
	lines, err := readLines(rows)
	if err != nil {
		return nil, nil, err
	}
	tax := func(ret bool, imp string) string {
		return fmt.Sprintf(`COALESCE((SELECT sum(x.importe_micro) FROM invoice_taxes x WHERE x.invoice_id = i.id AND x.retencion = %t AND x.impuesto = '%s'), 0)`, ret, imp)
	}
	rows, err = q.QueryContext(ctx, `SELECT i.id, i.tipo, i.serie, COALESCE(i.folio, 0), i.fecha, i.customer_rfc, i.customer_name,
		i.moneda, COALESCE(i.tipo_cambio_micro, 0), i.state = 'cancelled', COALESCE(i.subtotal_micro, 0),
		COALESCE(i.descuento_micro, 0), `+tax(false, "002")+`, `+tax(false, "003")+`, COALESCE(i.retenciones_micro, 0),
		COALESCE(i.total_micro, 0) FROM invoices i`+byFecha+` WHERE `+where+` ORDER BY i.serie, i.folio`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sales book: %w", err)
	}
	var docs []thirdparty.BookDoc
	for rows.Next() {
		var doc thirdparty.BookDoc
		var fecha string
		var m [7]int64
		if err := rows.Scan(&doc.ID, &doc.Tipo, &doc.Serie, &doc.Folio, &fecha, &doc.CustomerRFC, &doc.CustomerName, &doc.Moneda, &m[0],
			&doc.Cancelled, &m[1], &m[2], &m[3], &m[4], &m[5], &m[6]); err != nil {
			rows.Close()
			return nil, nil, err
		}
		var sc scan
		if doc.Fecha = sc.time(fecha); sc.err != nil {
			rows.Close()
			return nil, nil, sc.err
		}
		doc.TipoCambio, doc.SubTotal, doc.Descuento = fromMicro(m[0]), fromMicro(m[1]), fromMicro(m[2])
		doc.IVA, doc.IEPS, doc.Retenciones, doc.Total = fromMicro(m[3]), fromMicro(m[4]), fromMicro(m[5]), fromMicro(m[6])
		doc.TPLines = lines[doc.ID]
		docs = append(docs, doc)
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
		var sc scan
		if v.At = sc.time(at); sc.err != nil {
			return nil, nil, sc.err
		}
		voided = append(voided, v)
	}
	return docs, voided, rows.Err()
}
