package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/folio-mx/folio/data/internal/thirdpartysql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/shopspring/decimal"
)

// PostTx runs fn in one immediate write transaction: the unit of work of
// posting (sales.InvoiceStore.PostTx). fn's error rolls everything back.
func (s *Store) PostTx(ctx context.Context, fn func(tx sales.PostTx) error) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return fn(postTx{q: tx, locked: locks{}}) })
}

// postTx is sales.PostTx on one SQL transaction. Every method that reads
// or writes documents or balances first takes its company's lock
// (companylock.go); catalog reads (customer, third party, account,
// settings) take none.
type postTx struct {
	q      querier
	locked locks
}

var _ sales.PostTx = postTx{}

func (t postTx) LoadDocument(ctx context.Context, id int64) (sales.Invoice, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return sales.Invoice{}, err
	}
	return findInvoice(ctx, t.q, id)
}

func (t postTx) InsertDraft(ctx context.Context, inv *sales.Invoice, now time.Time) error {
	if err := t.company(ctx, inv.Issuer); err != nil {
		return err
	}
	inv.State, inv.Status, inv.Folio = sales.StateDraft, sales.StatusDraft, 0
	inv.CreatedAt, inv.UpdatedAt = now, now
	if inv.Fecha.IsZero() {
		inv.Fecha = now
	}
	return insertInvoice(ctx, t.q, inv)
}

// FindSeries reads the series and locks its row until the posting
// transaction ends: a workstation posting in the same series at the same
// time waits here and then reads the next number this one left, so folios
// never collide and never skip between workstations.
func (t postTx) FindSeries(ctx context.Context, issuer, serie string) (sales.Series, error) {
	if err := t.company(ctx, issuer); err != nil {
		return sales.Series{}, err
	}
	s, err := scanSeries(t.q.QueryRowContext(ctx, `SELECT `+seriesColumns+` FROM series WHERE issuer = ? AND serie = ? FOR UPDATE`, issuer, serie))
	if err == sql.ErrNoRows {
		return s, domain.E(domain.NotFound, "find series", "La serie «"+serie+"» no existe.", err)
	}
	if err != nil {
		return s, fmt.Errorf("find series %s: %w", serie, err)
	}
	return s, nil
}

func (t postTx) RelatedDocument(ctx context.Context, issuer, uuid string) (int64, sales.State, bool, error) {
	if err := t.company(ctx, issuer); err != nil {
		return 0, "", false, err
	}
	var id int64
	var st string
	err := t.q.QueryRowContext(ctx, `SELECT id, state FROM invoices WHERE uuid = ? AND issuer = ?`, uuid, issuer).Scan(&id, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("find related %s: %w", uuid, err)
	}
	return id, sales.State(st), true, nil
}

func (t postTx) ThirdParty(ctx context.Context, id int64) (sales.ThirdParty, error) {
	return thirdpartysql.FindThirdParty(ctx, t.q, id)
}

func (t postTx) Customer(ctx context.Context, id int64) (sales.Customer, error) {
	return findCustomer(ctx, t.q, id)
}

func (t postTx) SalesSettings(ctx context.Context, issuer string) (sales.SalesSettings, error) {
	return thirdpartysql.SalesSettings(ctx, t.q, issuer)
}

// TakeFolio records the folio register rows of c (the primary key of
// folios refuses a number used or voided before) and moves the series.
func (t postTx) TakeFolio(ctx context.Context, s sales.Series, c sales.FolioChoice, now time.Time) error {
	const op = "take folio"
	if err := t.company(ctx, s.Issuer); err != nil {
		return err
	}
	at := salesTimeText(now)
	record := func(n int64, kind, reason string) error {
		_, err := t.q.ExecContext(ctx, `INSERT INTO folios (issuer, serie, folio, kind, reason, taken_at) VALUES (?, ?, ?, ?, ?, ?)`,
			s.Issuer, s.Serie, n, kind, reason, at)
		if isUniqueViolation(err) {
			return domain.Errorf(domain.Conflict, op, "El folio %d de la serie %s ya fue usado o cancelado.", n, s.Serie)
		}
		if err != nil {
			return fmt.Errorf("record folio %d: %w", n, err)
		}
		return nil
	}
	for _, v := range c.Voided {
		if err := record(v, "void", "Número saltado al cambiar el folio propuesto"); err != nil {
			return err
		}
	}
	if err := record(c.Folio, "document", ""); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE series SET next_folio = ? WHERE id = ?`, c.NextFolio, s.ID); err != nil {
		return fmt.Errorf("advance series: %w", err)
	}
	return nil
}

// RecordPosted writes the posted header (only if the row is still in
// p.From), its amounts, taxes and relations, and the sealed document with
// its stamp job.
func (t postTx) RecordPosted(ctx context.Context, p *sales.Posted) error {
	inv := p.Invoice
	if err := t.company(ctx, inv.Issuer); err != nil {
		return err
	}
	if err := updateInvoice(ctx, t.q, inv, p.From, false); err != nil {
		if isUniqueViolation(err) {
			return domain.E(domain.Conflict, "post invoice", "Ese folio ya está usado en la serie.", err)
		}
		return err
	}
	if err := thirdpartysql.WriteSnapshots(ctx, t.q, inv); err != nil {
		return err
	}
	if err := writeAmounts(ctx, t.q, inv.ID, p.Amounts); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `DELETE FROM invoice_relations WHERE invoice_id = ?`, inv.ID); err != nil {
		return fmt.Errorf("delete relations: %w", err)
	}
	if err := insertRelations(ctx, t.q, inv.ID, inv.Relations); err != nil {
		return err
	}
	if inv.Payment != nil {
		// The balances and NumParcialidad the post decided (sales.CheckPayment).
		if err := writePayment(ctx, t.q, inv.ID, inv.Payment); err != nil {
			return err
		}
	}
	if err := recordReceivable(ctx, t.q, p); err != nil {
		return err
	}
	for i := range p.Movements {
		if err := insertMovement(ctx, t.q, &p.Movements[i]); err != nil {
			return err
		}
	}
	doc, err := postDocument(ctx, t.q, stamping.NewDocument{
		IssuerRFC: inv.Issuer, TipoDeComprobante: inv.TipoDeComprobante, Serie: inv.Serie,
		Folio: strconv.FormatInt(inv.Folio, 10), Fecha: inv.Fecha, CustomID: p.CustomID, SealedXML: p.SealedXML,
	}, stampTime(inv.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store sealed document: %w", err)
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE invoices SET document_id = ? WHERE id = ?`, doc, inv.ID); err != nil {
		return fmt.Errorf("link document: %w", err)
	}
	return notify(ctx, t.q, change{Kind: event.DocumentPosted, Issuer: inv.Issuer, Document: doc, InvoiceID: inv.ID})
}

// micro turns an amount into micro-units (× 10^6), the INTEGER form whose
// SQL sums are exact. Folio's amounts have at most six decimals; more is an
// Internal error rather than a silent rounding.
func micro(d decimal.Decimal) (int64, error) {
	m := d.Shift(6)
	if !m.Equal(m.Truncate(0)) || !m.BigInt().IsInt64() {
		return 0, domain.E(domain.Internal, "postgres.micro", "", fmt.Errorf("amount %s: %w", d, errNotMicro))
	}
	return m.IntPart(), nil
}

// errNotMicro is an amount with more than six decimals or beyond int64
// micro-units.
var errNotMicro = errors.New("does not fit in micro-units")

// fromMicro is the inverse of micro.
func fromMicro(n int64) decimal.Decimal { return decimal.New(n, -6) }

// writeAmounts stores a posted document's derived amounts and its taxes by
// tax and rate. Every amount is converted before anything is written, so an
// amount that does not fit (errNotMicro) writes nothing.
func writeAmounts(ctx context.Context, q querier, id int64, a sales.Amounts) error {
	vals := []decimal.Decimal{a.SubTotal, a.Descuento, a.Traslados, a.Retenciones, a.Total, a.TipoCambio, a.TotalMXN}
	for _, x := range a.Taxes {
		vals = append(vals, x.TasaOCuota, x.Base, x.Importe)
	}
	ms := make([]any, len(vals))
	for i, v := range vals {
		m, err := micro(v)
		if err != nil {
			return err
		}
		ms[i] = m
	}
	if _, err := q.ExecContext(ctx, `UPDATE invoices SET subtotal_micro = ?, descuento_micro = ?, traslados_micro = ?,
		retenciones_micro = ?, total_micro = ?, tipo_cambio_micro = ?, total_mxn_micro = ? WHERE id = ?`,
		append(ms[:7:7], id)...); err != nil {
		return fmt.Errorf("write amounts: %w", err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM invoice_taxes WHERE invoice_id = ?`, id); err != nil {
		return fmt.Errorf("delete taxes: %w", err)
	}
	for i, x := range a.Taxes {
		t := ms[7+3*i : 10+3*i]
		if _, err := q.ExecContext(ctx, `INSERT INTO invoice_taxes (invoice_id, n, retencion, impuesto, tipo_factor,
			tasa_micro, base_micro, importe_micro) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, x.Retencion, x.Impuesto, x.TipoFactor, t[0], t[1], t[2]); err != nil {
			return fmt.Errorf("insert tax %d: %w", i+1, err)
		}
	}
	return nil
}

// findAmounts returns the stored amounts of a posted document; ok is false
// for a draft (or a row from before amounts were stored).
func findAmounts(ctx context.Context, q querier, id int64) (a sales.Amounts, ok bool, err error) {
	var vals [7]sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT moneda, subtotal_micro, descuento_micro, traslados_micro, retenciones_micro,
		total_micro, tipo_cambio_micro, total_mxn_micro FROM invoices WHERE id = ?`, id).Scan(&a.Moneda,
		&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5], &vals[6])
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, domain.E(domain.NotFound, "find amounts", "La factura no existe.", err)
	}
	if err != nil || !vals[4].Valid {
		return a, false, err
	}
	a.SubTotal, a.Descuento = fromMicro(vals[0].Int64), fromMicro(vals[1].Int64)
	a.Traslados, a.Retenciones = fromMicro(vals[2].Int64), fromMicro(vals[3].Int64)
	a.Total, a.TipoCambio, a.TotalMXN = fromMicro(vals[4].Int64), fromMicro(vals[5].Int64), fromMicro(vals[6].Int64)
	rows, err := q.QueryContext(ctx, `SELECT retencion, impuesto, tipo_factor, tasa_micro, base_micro, importe_micro
		FROM invoice_taxes WHERE invoice_id = ? ORDER BY n`, id)
	if err != nil {
		return a, false, fmt.Errorf("find taxes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x sales.DocumentTax
		var tasa, base, imp int64
		if err := rows.Scan(&x.Retencion, &x.Impuesto, &x.TipoFactor, &tasa, &base, &imp); err != nil {
			return a, false, err
		}
		x.TasaOCuota, x.Base, x.Importe = fromMicro(tasa), fromMicro(base), fromMicro(imp)
		a.Taxes = append(a.Taxes, x)
	}
	return a, true, rows.Err()
}

// FindAmounts returns the derived amounts stored when document id was
// posted; ok is false for a draft.
func (s *Store) FindAmounts(ctx context.Context, id int64) (sales.Amounts, bool, error) {
	return findAmounts(ctx, s.ReadDB(), id)
}

func findRelations(ctx context.Context, q querier, id int64) ([]sales.Relation, error) {
	rows, err := q.QueryContext(ctx, `SELECT tipo_relacion, uuid, COALESCE(related_id, 0), COALESCE(credited_micro, 0)
		FROM invoice_relations WHERE invoice_id = ? ORDER BY n`, id)
	if err != nil {
		return nil, fmt.Errorf("find relations: %w", err)
	}
	defer rows.Close()
	var out []sales.Relation
	for rows.Next() {
		var r sales.Relation
		var credited int64
		if err := rows.Scan(&r.TipoRelacion, &r.UUID, &r.DocumentID, &credited); err != nil {
			return nil, err
		}
		if credited != 0 {
			r.Credited = fromMicro(credited)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
