package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/data/internal/quotesql"
	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/data/internal/stocksql"
	"github.com/folio-mx/folio/data/internal/thirdpartysql"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

var (
	uuidPattern  = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	folioPattern = regexp.MustCompile(`^(?:([A-Za-z][A-Za-z0-9]{0,24})-)?([0-9]{1,18})$`)
)

// invoiceListQuery builds the SQL of one list page; "" when the search can
// match nothing. Every filter maps onto an index: (issuer, status, fecha, id)
// for a tab, (issuer, fecha, id) for all statuses, (customer_id, fecha, id)
// for a customer search, the folio and uuid indexes for those searches; the
// credit notes' list (Tipo "E") walks the partial indexes of tipo 'E'
// (invoices_credit_list, invoices_credit_fecha), the invoices' list (Tipo
// "I", most of the table) the whole ones. Paging is by keyset on (fecha,
// id), never OFFSET. Each row also carries, from indexed lookups of its own,
// the sum of its live credit notes' totals (an invoice) or the folios it
// relates (a credit note).
func invoiceListQuery(f sales.InvoiceFilter, cust customerMatch) (query string, args []any, limit int) {
	limit = f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where := []string{"issuer = ?"}
	args = []any{f.Issuer}
	// tipo is written as a literal, not bound: only a literal lets the
	// planner use the partial indexes of tipo 'E' and 'P'.
	switch f.Tipo {
	case "":
	case sales.TipoIngreso:
		where = append(where, "tipo = 'I'")
	case sales.TipoEgreso:
		where = append(where, "tipo = 'E'")
	case sales.TipoPago:
		where = append(where, "tipo = 'P'")
	default:
		return "", nil, limit
	}
	switch f.Status {
	case "":
	case sales.StatusReverted:
		where = append(where, stocksql.RevertedLive)
	default:
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.ThirdParty {
		where = append(where, thirdpartysql.ListCondition)
	}
	if !f.From.IsZero() {
		where = append(where, "fecha >= ?")
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "fecha < ?")
		args = append(args, salesTimeText(f.To))
	}
	if f.After != nil {
		where = append(where, "(fecha, id) < (?, ?)")
		args = append(args, salesTimeText(f.After.Fecha), f.After.ID)
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		switch m := folioPattern.FindStringSubmatch(s); {
		case uuidPattern.MatchString(s):
			where = append(where, "uuid = ?")
			args = append(args, strings.ToUpper(s))
		case m != nil:
			n, _ := strconv.ParseInt(m[2], 10, 64)
			if m[1] != "" {
				where = append(where, "serie = ? AND folio = ?")
				args = append(args, strings.ToUpper(m[1]), n)
			} else {
				where = append(where, "folio = ?")
				args = append(args, n)
			}
		default:
			switch {
			case cust.many:
				// More matching customers than maxHashedIDs: walk the list
				// newest first and keep the rows whose customer matches,
				// each checked by its primary key (a semi-join, memoized
				// per customer); the matches are dense, the walk short.
				// Written as customer_id IN (subquery), the planner chose
				// a nested loop that scanned the whole list of matching
				// customers for every invoice it walked (0.4 s for
				// "garcia" at 1M invoices, BenchmarkInvoiceSearch).
				cond, cargs := customerCond("c.", s)
				where = append(where, "EXISTS (SELECT 1 FROM customers c WHERE c.id = invoices.customer_id AND "+cond+")")
				args = append(args, cargs...)
			case len(cust.ids) > maxCustomerIDs:
				// Common words: walk the list newest first and keep the
				// rows of the matching customers, their ids a constant
				// array, which the server looks up in a hash table: a
				// tenth of the cost of the primary-key probes above. A
				// literal, not a parameter: a prepared statement's generic
				// plan would search a parameter's array linearly.
				ids := make([]string, len(cust.ids))
				for i, id := range cust.ids {
					ids[i] = strconv.FormatInt(id, 10)
				}
				where = append(where, "customer_id = ANY('{"+strings.Join(ids, ",")+"}'::bigint[])")
			case len(cust.ids) > 0:
				// Few customers: read only their invoices, then sort them.
				where = append(where, "customer_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(cust.ids)), ", ")+")")
				for _, id := range cust.ids {
					args = append(args, id)
				}
			default:
				return "", nil, limit
			}
		}
	}
	args = append(args, limit)
	query = `SELECT id, state, status, serie, folio, fecha, customer_rfc, customer_name, ` + listMoneda + `, ` + listTotal + `, uuid,
		order_ref, printed_at <> '', tipo, credit_kind, total_micro, ` + listCredited + `, ` + listRelated + `, ` + stocksql.RevertedLive + `
		FROM invoices WHERE ` + strings.Join(where, " AND ") + ` ORDER BY fecha DESC, id DESC LIMIT ?`
	return query, args, limit
}

// listCredited is the list's column of what the live credit notes of an
// invoice took: the exact sum of their shares of it (credited_micro, set
// once per invoice a note relates: sales.SetCreditShares), NULL for none
// and for anything that is not a posted invoice. The relations are found
// through invoice_relations_related, their notes by primary key.
//
// The lookups cost about 0.1 ms per 50-row page (BenchmarkCreditNoteList,
// "facturas-emitidas" against "facturas-emitidas-sin-credito").
const listCredited = `CASE WHEN invoices.tipo = 'I' AND invoices.state <> 'draft' THEN (SELECT sum(r.credited_micro)
		FROM invoice_relations r JOIN invoices n ON n.id = r.invoice_id
		WHERE r.related_id = invoices.id AND ` + liveCredit + `) END`

// listMoneda and listTotal are the list's currency and total: a payment
// receipt's CFDI says 0 XXX, so its row shows the money received (the
// payment's Monto and MonedaP, by the payments primary key) instead.
const (
	listMoneda = `CASE WHEN invoices.tipo = 'P' THEN COALESCE((SELECT p.moneda_p FROM payments p WHERE p.invoice_id = invoices.id), moneda) ELSE moneda END`
	listTotal  = `CASE WHEN invoices.tipo = 'P' THEN COALESCE((SELECT ((p.monto_micro / 1000000)::text || '.' || lpad((p.monto_micro % 1000000)::text, 6, '0'))::numeric
		FROM payments p WHERE p.invoice_id = invoices.id), total) ELSE total END`
)

// listRelated is the list's column of the folios ("A-12") a credit note
// relates, in CfdiRelacionados order and separated by ", ", through the
// relations' primary key ("" for anything else).
const listRelated = `CASE WHEN invoices.tipo = 'E' THEN (SELECT coalesce(string_agg(x.folio, ', '), '') FROM
		(SELECT v.serie || '-' || v.folio AS folio FROM invoice_relations r JOIN invoices v ON v.id = r.related_id
		WHERE r.invoice_id = invoices.id AND v.folio IS NOT NULL ORDER BY r.n) x) ELSE '' END`

// customerMatch is the set of customers a list search names: their ids when
// there are at most maxHashedIDs, or many.
type customerMatch struct {
	ids  []int64
	many bool
}

// A customer search with at most maxCustomerIDs matching customers reads
// each one's invoices (invoices_customer) and sorts them; with more it
// walks the list by date, looking the customers up in a constant array of
// their ids up to maxHashedIDs of them, by primary key beyond. Variables
// for the tests of each path.
var (
	maxCustomerIDs = 200
	maxHashedIDs   = 5000
)

// isCustomerSearch reports whether text searches by customer rather than
// by folio or UUID.
func isCustomerSearch(text string) bool {
	s := strings.TrimSpace(text)
	return s != "" && !uuidPattern.MatchString(s) && !folioPattern.MatchString(s)
}

// matchCustomers finds the customers whose name words or RFC prefix match
// text.
func matchCustomers(ctx context.Context, q querier, text string) (customerMatch, error) {
	cond, args := customerIDs(text)
	if cond == "" {
		return customerMatch{}, nil
	}
	ids, many, err := salessql.MatchCustomers(ctx, q, cond, args, maxHashedIDs)
	return customerMatch{ids: ids, many: many}, err
}

// findInvoices returns one page of the list (see invoiceListQuery).
func findInvoices(ctx context.Context, q querier, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	var cust customerMatch
	if isCustomerSearch(f.Search) {
		var err error
		if cust, err = matchCustomers(ctx, q, f.Search); err != nil {
			return nil, err
		}
	}
	query, args, limit := invoiceListQuery(f, cust)
	if query == "" {
		return nil, nil
	}
	return salessql.InvoiceRows(ctx, q, query, args, limit)
}

// customerIDs returns a query selecting the ids of the customers whose
// name words or RFC prefix match text, and its arguments ("" when text has
// nothing to search for).
func customerIDs(text string) (string, []any) {
	cond, args := customerCond("c.", text)
	if cond == "" {
		return "", nil
	}
	return "SELECT c.id FROM customers c WHERE " + cond, args
}

// customerCond is the condition that the customer (columns prefixed with
// p) has every word of text beginning a word of its name or RFC, or, when
// text looks like one, an RFC that begins with it; "" when text has
// nothing to search for. The RFC prefix is a range in the byte order of
// text_pattern_ops (~>=~, ~<~), which the customers_rfc index serves under
// any collation and in a prepared statement's generic plan: a range in the
// collation's order (>=, <) and a LIKE with a bound pattern both read
// every customer (7 ms of the 8 of a search at 20,000 customers).
func customerCond(p, text string) (string, []any) {
	match := hasWords(text)
	rfc := strings.ToUpper(strings.TrimSpace(text))
	switch {
	case looksLikeRFC(rfc) && match:
		cond, wargs := matchWords(p+"search", text)
		return "(" + p + "rfc ~>=~ ? AND " + p + "rfc ~<~ ? OR " + cond + ")", append([]any{rfc, rfc + "\U0010FFFF"}, wargs...)
	case match:
		return matchWords(p+"search", text)
	}
	return "", nil
}

var _ sales.InvoiceStore = (*Store)(nil)

// SaveDraft inserts a draft (ID 0) or replaces a draft and its lines. A
// posted invoice is a Conflict, a missing one NotFound.
func (s *Store) SaveDraft(ctx context.Context, inv *sales.Invoice) error {
	now := s.Now()
	inv.State, inv.Status = sales.StateDraft, sales.StatusDraft
	inv.Folio = 0
	inv.UpdatedAt = now
	if inv.Fecha.IsZero() {
		inv.Fecha = now
	}
	return s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		if inv.ID == 0 {
			inv.CreatedAt = now
			err = insertInvoice(ctx, tx, inv)
		} else {
			err = updateInvoice(ctx, tx, inv, sales.StateDraft, true)
		}
		if err != nil {
			return err
		}
		return notify(ctx, tx, change{Kind: event.DocumentDraftSaved, Issuer: inv.Issuer, InvoiceID: inv.ID})
	})
}

// DeleteDraft removes a draft and its lines; a posted invoice is a Conflict.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		if err := quotesql.KeepsDraft(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM invoices WHERE id = ? AND state = 'draft'`, id)
		if err != nil {
			return fmt.Errorf("delete draft %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refused(ctx, tx, id, sales.EventDelete)
		}
		return nil
	})
}

// FindInvoiceByID returns an invoice with its lines, its customer's current
// record and, once posted, its sealed XML; NotFound if absent.
func (s *Store) FindInvoiceByID(ctx context.Context, id int64) (sales.Invoice, error) {
	inv, err := findInvoice(ctx, s.ReadDB(), id)
	if err != nil {
		return inv, err
	}
	err = loadSealed(ctx, s.ReadDB(), &inv)
	return inv, err
}

// FindInvoices returns one page of the invoice list; see sales.InvoiceFilter.
func (s *Store) FindInvoices(ctx context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	return findInvoices(ctx, s.ReadDB(), f)
}
