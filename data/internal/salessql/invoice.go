package salessql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

const InvoiceColumns = `id, issuer, state, status, tipo, serie, folio, fecha, customer_id, customer_rfc, customer_name,
	uso_cfdi, terms, forma_pago, moneda, tipo_cambio, condiciones_de_pago, order_ref, notes, global_periodicidad,
	global_meses, global_anio, total, uuid, credit_kind, delivery_date, refund_account, deposit_account, warehouse_id, collect_from,
	sale_details, created_at, updated_at`

// invoiceArgs returns the values of the columns after id and before
// created_at, in InvoiceColumns order, for INSERT and UPDATE.
func (p Parts) invoiceArgs(inv *sales.Invoice) ([]any, error) {
	var folio any
	if inv.Folio != 0 {
		folio = inv.Folio
	}
	var uuid any
	if inv.UUID != "" {
		uuid = inv.UUID
	}
	var g sales.Global
	if inv.Global != nil {
		g = *inv.Global
	}
	var refund any
	if inv.RefundAccount != 0 {
		refund = inv.RefundAccount
	}
	var deposit any
	if inv.DepositAccount != 0 {
		deposit = inv.DepositAccount
	}
	var warehouse any
	if inv.WarehouseID != 0 {
		warehouse = inv.WarehouseID
	}
	collect, details, err := p.SaleDetailsColumns(inv.Details)
	if err != nil {
		return nil, err
	}
	return []any{inv.Issuer, string(inv.State), string(inv.State.Status()), inv.TipoDeComprobante, inv.Serie, folio, TimeText(inv.Fecha),
		inv.CustomerID, inv.Customer.RFC, inv.Customer.Name, inv.UsoCFDI, string(inv.Terms), inv.FormaPago,
		inv.Moneda, inv.TipoCambio.String(), inv.CondicionesDePago, inv.OrderRef, inv.Notes, g.Periodicidad,
		g.Meses, g.Anio, inv.Total.String(), uuid, string(inv.CreditKind), OptionalTimeText(inv.DeliveryDate), refund,
		deposit, warehouse, collect, details}, nil
}

// InsertInvoice inserts inv (ID 0) with its relations, lines and payment,
// setting inv.ID.
func (p Parts) InsertInvoice(ctx context.Context, q Q, inv *sales.Invoice) error {
	args, err := p.invoiceArgs(inv)
	if err != nil {
		return err
	}
	args = append(args, TimeText(inv.CreatedAt), TimeText(inv.UpdatedAt))
	res, err := q.ExecContext(ctx, `INSERT INTO invoices (issuer, state, status, tipo, serie, folio, fecha, customer_id,
		customer_rfc, customer_name, uso_cfdi, terms, forma_pago, moneda, tipo_cambio, condiciones_de_pago,
		order_ref, notes, global_periodicidad, global_meses, global_anio, total, uuid, credit_kind, delivery_date,
		refund_account, deposit_account, warehouse_id, collect_from, sale_details, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return fmt.Errorf("insert invoice: %w", err)
	}
	inv.ID, err = res.LastInsertId()
	if err != nil {
		return err
	}
	if err := p.InsertRelations(ctx, q, inv.ID, inv.Relations); err != nil {
		return err
	}
	if err := InsertLines(ctx, q, inv.ID, inv.Lines); err != nil {
		return err
	}
	if inv.Payment != nil {
		return p.WritePayment(ctx, q, inv.ID, inv.Payment)
	}
	return nil
}

// UpdateInvoice rewrites the header of inv (and its lines and relations
// when lines is true). Only a row whose state is still from may change:
// otherwise the domain's verdict on the state found is returned.
func (p Parts) UpdateInvoice(ctx context.Context, q Q, inv *sales.Invoice, from sales.State, lines bool) error {
	args, err := p.invoiceArgs(inv)
	if err != nil {
		return err
	}
	args = append(args, TimeText(inv.UpdatedAt), inv.ID, string(from))
	res, err := q.ExecContext(ctx, `UPDATE invoices SET issuer = ?, state = ?, status = ?, tipo = ?, serie = ?, folio = ?,
		fecha = ?, customer_id = ?, customer_rfc = ?, customer_name = ?, uso_cfdi = ?, terms = ?, forma_pago = ?,
		moneda = ?, tipo_cambio = ?, condiciones_de_pago = ?, order_ref = ?, notes = ?, global_periodicidad = ?,
		global_meses = ?, global_anio = ?, total = ?, uuid = ?, credit_kind = ?, delivery_date = ?, refund_account = ?,
		deposit_account = ?, warehouse_id = ?, collect_from = ?, sale_details = ?, updated_at = ?
		WHERE id = ? AND state = ?`, args...)
	if err != nil {
		return fmt.Errorf("update invoice %d: %w", inv.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return Refused(ctx, q, inv.ID, sales.EventEdit)
	}
	if !lines {
		return nil
	}
	for _, del := range []string{`DELETE FROM invoice_lines WHERE invoice_id = ?`, `DELETE FROM invoice_relations WHERE invoice_id = ?`} {
		if _, err := q.ExecContext(ctx, del, inv.ID); err != nil {
			return fmt.Errorf("delete lines: %w", err)
		}
	}
	if err := p.InsertRelations(ctx, q, inv.ID, inv.Relations); err != nil {
		return err
	}
	if err := InsertLines(ctx, q, inv.ID, inv.Lines); err != nil {
		return err
	}
	if inv.Payment != nil || inv.TipoDeComprobante == sales.TipoPago {
		return p.WritePayment(ctx, q, inv.ID, inv.Payment)
	}
	return nil
}

// Refused explains why a change touched no row: NotFound, or the
// lifecycle's verdict on event e for the state the document has now.
func Refused(ctx context.Context, q Q, id int64, e sales.Event) error {
	var st string
	err := q.QueryRowContext(ctx, `SELECT state FROM invoices WHERE id = ?`, id).Scan(&st)
	if err == sql.ErrNoRows {
		return domain.E(domain.NotFound, "update invoice", "La factura no existe.", err)
	}
	if err != nil {
		return err
	}
	if err := sales.State(st).Allowed(e); err != nil {
		return err
	}
	return domain.E(domain.Conflict, "update invoice", "Otro usuario cambió el documento al mismo tiempo; ábralo de nuevo.", nil)
}

// InsertRelations inserts the relations of invoice id, numbered from 1.
func (p Parts) InsertRelations(ctx context.Context, q Q, id int64, rels []sales.Relation) error {
	for i, r := range rels {
		var related, credited any
		if r.DocumentID != 0 {
			related = r.DocumentID
		}
		if !r.Credited.IsZero() {
			m, err := p.Micro(r.Credited)
			if err != nil {
				return err
			}
			credited = m
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO invoice_relations (invoice_id, n, tipo_relacion, uuid, related_id, credited_micro)
			VALUES (?, ?, ?, ?, ?, ?)`, id, i+1, r.TipoRelacion, r.UUID, related, credited); err != nil {
			return fmt.Errorf("insert relation %d: %w", i+1, err)
		}
	}
	return nil
}

// InsertLines inserts the lines of invoice id, numbered from 1.
func InsertLines(ctx context.Context, q Q, id int64, lines []sales.Line) error {
	for i, l := range lines {
		var product, creditsInvoice, creditsLine any
		if l.ProductID != 0 {
			product = l.ProductID
		}
		if l.Credits != nil {
			creditsInvoice, creditsLine = l.Credits.InvoiceID, l.Credits.Line
		}
		var tpID any
		var tp sales.ThirdPartyRef
		if l.ThirdParty != nil {
			tp, tpID = *l.ThirdParty, l.ThirdParty.ID
		}
		t := l.Taxes
		if _, err := q.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, n, product_id, no_identificacion,
			cantidad, clave_unidad, unidad, clave_prod_serv, descripcion, valor_unitario, descuento, objeto_imp,
			iva_exento, iva_tasa, ieps_factor, ieps_valor, ret_iva, ret_isr, credits_invoice, credits_line,
			third_party_id, tp_rfc, tp_name, tp_regimen, tp_cp)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, product, l.NoIdentificacion, l.Cantidad.String(), l.ClaveUnidad, l.Unidad, l.ClaveProdServ,
			l.Descripcion, l.ValorUnitario.String(), l.Descuento.String(), l.ObjetoImp, t.IVAExento,
			t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String(),
			creditsInvoice, creditsLine, tpID, tp.RFC, tp.Name, tp.RegimenFiscal, tp.CodigoPostal); err != nil {
			return fmt.Errorf("insert line %d: %w", i+1, err)
		}
	}
	return nil
}

// ScanInvoice reads a row of InvoiceColumns.
func (p Parts) ScanInvoice(sc interface{ Scan(...any) error }) (sales.Invoice, error) {
	var (
		inv                                    sales.Invoice
		state, status, terms, fecha, tc, total string
		ca, ua, kind, delivery                 string
		refund, deposit, warehouse, collect    sql.NullInt64
		details                                string
		folio                                  sql.NullInt64
		uuid                                   sql.NullString
		g                                      sales.Global
	)
	err := sc.Scan(&inv.ID, &inv.Issuer, &state, &status, &inv.TipoDeComprobante, &inv.Serie, &folio, &fecha,
		&inv.CustomerID, &inv.Customer.RFC, &inv.Customer.Name, &inv.UsoCFDI, &terms, &inv.FormaPago, &inv.Moneda,
		&tc, &inv.CondicionesDePago, &inv.OrderRef, &inv.Notes, &g.Periodicidad, &g.Meses, &g.Anio, &total,
		&uuid, &kind, &delivery, &refund, &deposit, &warehouse, &collect, &details, &ca, &ua)
	if err != nil {
		return inv, err
	}
	inv.State, inv.Status, inv.Terms = sales.State(state), sales.Status(status), sales.PaymentTerms(terms)
	inv.Folio, inv.UUID, inv.CreditKind, inv.RefundAccount = folio.Int64, uuid.String, sales.CreditKind(kind), refund.Int64
	inv.DepositAccount, inv.WarehouseID = deposit.Int64, warehouse.Int64
	if g != (sales.Global{}) {
		inv.Global = &g
	}
	if inv.Details, err = p.ParseSaleDetails(collect, details); err != nil {
		return inv, err
	}
	var s scan
	inv.Fecha = s.time(fecha)
	inv.TipoCambio = s.parse(tc)
	inv.Total = s.parse(total)
	inv.CreatedAt = s.time(ca)
	inv.UpdatedAt = s.time(ua)
	if delivery != "" {
		inv.DeliveryDate = s.time(delivery)
	}
	return inv, s.err
}

// FindInvoice loads an invoice with its lines and its customer's current
// record.
func (p Parts) FindInvoice(ctx context.Context, q Q, id int64) (sales.Invoice, error) {
	inv, err := p.ScanInvoice(q.QueryRowContext(ctx, `SELECT `+InvoiceColumns+` FROM invoices WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return inv, domain.E(domain.NotFound, "find invoice", "La factura no existe.", err)
	}
	if err != nil {
		return inv, fmt.Errorf("find invoice %d: %w", id, err)
	}
	if inv.Customer, err = p.FindCustomer(ctx, q, inv.CustomerID); err != nil {
		return inv, err
	}
	if inv.Relations, err = p.FindRelations(ctx, q, id); err != nil {
		return inv, err
	}
	rows, err := q.QueryContext(ctx, `SELECT product_id, no_identificacion, cantidad, clave_unidad, unidad,
		clave_prod_serv, descripcion, valor_unitario, descuento, objeto_imp, iva_exento, iva_tasa, ieps_factor,
		ieps_valor, ret_iva, ret_isr, credits_invoice, credits_line, third_party_id, tp_rfc, tp_name, tp_regimen,
		tp_cp FROM invoice_lines WHERE invoice_id = ? ORDER BY n`, id)
	if err != nil {
		return inv, fmt.Errorf("find lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			l                                       sales.Line
			product, creditsInvoice, creditsLine    sql.NullInt64
			tpID                                    sql.NullInt64
			tp                                      sales.ThirdPartyRef
			qty, price, disc, iva, ieps, rIVA, rISR string
		)
		if err := rows.Scan(&product, &l.NoIdentificacion, &qty, &l.ClaveUnidad, &l.Unidad, &l.ClaveProdServ,
			&l.Descripcion, &price, &disc, &l.ObjetoImp, &l.Taxes.IVAExento, &iva, &l.Taxes.IEPSFactor, &ieps,
			&rIVA, &rISR, &creditsInvoice, &creditsLine, &tpID, &tp.RFC, &tp.Name, &tp.RegimenFiscal,
			&tp.CodigoPostal); err != nil {
			return inv, fmt.Errorf("scan line: %w", err)
		}
		var s scan
		l.ProductID = product.Int64
		if creditsInvoice.Valid {
			l.Credits = &sales.LineRef{InvoiceID: creditsInvoice.Int64, Line: int(creditsLine.Int64)}
		}
		if tpID.Valid {
			tp.ID = tpID.Int64
			l.ThirdParty = &tp
		}
		l.Cantidad, l.ValorUnitario, l.Descuento = s.parse(qty), s.parse(price), s.parse(disc)
		l.Taxes.IVATasa, l.Taxes.IEPSValor = s.parse(iva), s.parse(ieps)
		l.Taxes.RetIVA, l.Taxes.RetISR = s.parse(rIVA), s.parse(rISR)
		if s.err != nil {
			return inv, s.err
		}
		inv.Lines = append(inv.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return inv, err
	}
	if inv.TipoDeComprobante == sales.TipoPago {
		if inv.Payment, err = FindPayment(ctx, q, id); err != nil {
			return inv, err
		}
	}
	return inv, nil
}

// InvoiceRows runs query, one page of a store's invoice list (at most
// limit rows), and reads its rows: id, state, status, serie, folio, fecha,
// customer RFC and name, currency, total, uuid, order reference, printed,
// tipo, credit kind, total_micro, credited micro-units, related folios
// and whether the stock exit was reverted.
func InvoiceRows(ctx context.Context, q Q, query string, args []any, limit int) ([]sales.InvoiceRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find invoices: %w", err)
	}
	defer rows.Close()
	out := make([]sales.InvoiceRow, 0, limit)
	for rows.Next() {
		var (
			r                      sales.InvoiceRow
			state, status, kind    string
			fecha, tot, related    string
			folio                  sql.NullInt64
			totalMicro, creditedMu sql.NullInt64
			uuid                   sql.NullString
		)
		dest := []any{&r.ID, &state, &status, &r.Serie, &folio, &fecha, &r.CustomerRFC, &r.CustomerName, &r.Moneda,
			&tot, &uuid, &r.OrderRef, &r.Printed, &r.Tipo, &kind, &totalMicro, &creditedMu, &related, &r.Reverted}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan invoice row: %w", err)
		}
		var s scan
		r.State, r.Status, r.Folio, r.UUID = sales.State(state), sales.Status(status), folio.Int64, uuid.String
		r.CreditKind = sales.CreditKind(kind)
		if related != "" {
			r.RelatedFolios = strings.Split(related, ", ")
		}
		r.Fecha = s.time(fecha)
		r.Total = s.parse(tot)
		if s.err != nil {
			return nil, s.err
		}
		if creditedMu.Valid && totalMicro.Valid {
			r.CreditedTotal = FromMicro(creditedMu.Int64)
			r.Credited = sales.CreditedOf(FromMicro(totalMicro.Int64), r.CreditedTotal)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MatchCustomers runs cond (with args), a query of customer ids, for at
// most max of them: their ids, or many when there are more.
func MatchCustomers(ctx context.Context, q Q, cond string, args []any, max int) (ids []int64, many bool, err error) {
	rows, err := q.QueryContext(ctx, cond+` LIMIT ?`, append(args, max+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("match customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, err
		}
		ids = append(ids, id)
	}
	if len(ids) > max {
		return nil, true, rows.Err()
	}
	return ids, false, rows.Err()
}
