package postgres

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

var _ sales.Directory = (*Store)(nil)

// uuidText is the form of a CFDI's UUID (folio fiscal).
var uuidText = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// liveCredit is the condition on a credit note n (an alias of invoices)
// that makes it count against its invoices: posted and not cancelled. A
// note rejected by the PAC still holds its folio and may be re-sealed, so
// it counts until it is cancelled.
const liveCredit = `n.credit_kind <> '' AND n.state NOT IN ('draft', 'cancelled')`

// Credited returns what the live credit notes of invoice id took from each
// of its lines (sales.PostTx.Credited).
func (t postTx) Credited(ctx context.Context, id int64) (sales.Credited, error) {
	if err := t.invoiceCompany(ctx, id); err != nil {
		return sales.Credited{}, err
	}
	return credited(ctx, t.q, id)
}

// Credited returns what the live credit notes of invoice id took from each
// of its lines: what the credit-note form may still offer.
func (s *Store) Credited(ctx context.Context, id int64) (sales.Credited, error) {
	return credited(ctx, s.ReadDB(), id)
}

func credited(ctx context.Context, q querier, id int64) (sales.Credited, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.credit_kind, l.credits_line, l.cantidad, l.valor_unitario
		FROM invoice_lines l JOIN invoices n ON n.id = l.invoice_id
		WHERE l.credits_invoice = ? AND `+liveCredit, id)
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
		var s salesScan
		l := sales.Line{Cantidad: s.parse(qty), ValorUnitario: s.parse(price)}
		if s.err != nil {
			return c, s.err
		}
		c.Add(sales.CreditKind(kind), line, l)
	}
	return c, rows.Err()
}

// CreditNotesOf returns the credit notes posted against invoice id, live
// or cancelled, oldest first: the invoice's trace and the reason it may not
// be cancelled yet.
func (s *Store) CreditNotesOf(ctx context.Context, id int64) ([]sales.CreditNoteRow, error) {
	return creditNotesOf(ctx, s.ReadDB(), id)
}

func creditNotesOf(ctx context.Context, q querier, id int64) ([]sales.CreditNoteRow, error) {
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
		var s salesScan
		r.State, r.Kind, r.Fecha, r.Total = sales.State(state), sales.CreditKind(kind), s.time(fecha), s.parse(total)
		r.Applied = fromMicro(applied)
		if s.err != nil {
			return nil, s.err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindDocument returns issuer's posted document named ref: its
// "SERIE-FOLIO" (the serie in any case) or its UUID (sales.Directory, for
// the invoices a credit note of `folio post` names). A draft has no folio
// and is never found; an unknown name is NotFound.
func (s *Store) FindDocument(ctx context.Context, issuer, ref string) (sales.Invoice, error) {
	const op = "find document"
	ref = strings.TrimSpace(ref)
	var id int64
	var err error
	if i := strings.LastIndex(ref, "-"); i > 0 && !uuidText.MatchString(ref) {
		folio, perr := strconv.ParseInt(ref[i+1:], 10, 64)
		if perr != nil || folio <= 0 {
			return sales.Invoice{}, domain.E(domain.NotFound, op, "«"+ref+"» no es SERIE-FOLIO (p. ej. A-12) ni un UUID.", perr)
		}
		err = s.ReadDB().QueryRowContext(ctx, `SELECT id FROM invoices WHERE issuer = ? AND serie = ? AND folio = ? AND state <> 'draft'`,
			issuer, strings.ToUpper(ref[:i]), folio).Scan(&id)
	} else {
		err = s.ReadDB().QueryRowContext(ctx, `SELECT id FROM invoices WHERE issuer = ? AND uuid = ?`, issuer, strings.ToUpper(ref)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return sales.Invoice{}, domain.E(domain.NotFound, op, "No hay un documento emitido «"+ref+"» de esta empresa.", err)
	}
	if err != nil {
		return sales.Invoice{}, fmt.Errorf("find document %q: %w", ref, err)
	}
	return s.FindInvoiceByID(ctx, id)
}
