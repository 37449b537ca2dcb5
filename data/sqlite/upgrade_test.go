package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/storetest"
	"github.com/shopspring/decimal"
)

// legacy writes rows the way Folio wrote them at schema version 26, before
// the domain owned a document's life: an invoice has a status and no state,
// posting seals its XML and queues it in documents and stamp_jobs, and the
// stamp queue and cancellation service write documents and cancellations
// only, leaving the v26 triggers (0024, 0026) to move the invoice. The SQL
// is that of the v26 code; the XML is really built and sealed.
type legacy struct {
	t      *testing.T
	s      *Store
	cat    *sat.Catalogs
	signer *csd.CSD
	co     *sales.Company
}

func (l *legacy) tx(fn func(tx *sql.Tx) error) {
	l.t.Helper()
	if err := l.s.WriteTx(context.Background(), fn); err != nil {
		l.t.Fatal(err)
	}
}

// draft inserts a draft as the v26 SaveDraft did.
func (l *legacy) draft(inv *sales.Invoice, at time.Time) {
	l.t.Helper()
	ctx := context.Background()
	inv.Issuer, inv.Status, inv.Fecha = l.co.RFC, sales.StatusDraft, at
	if inv.TipoDeComprobante == "" {
		inv.TipoDeComprobante = sales.TipoIngreso
	}
	t, err := sales.Compute(inv, 2)
	if err != nil {
		l.t.Fatal(err)
	}
	inv.Total = t.Total
	l.tx(func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO invoices (issuer, status, tipo, serie, folio, fecha, customer_id,
			customer_rfc, customer_name, uso_cfdi, terms, forma_pago, moneda, tipo_cambio, condiciones_de_pago,
			order_ref, notes, global_periodicidad, global_meses, global_anio, total, uuid, created_at, updated_at)
			VALUES (?, 'draft', ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?, NULL, ?, ?)`,
			inv.Issuer, inv.TipoDeComprobante, inv.Serie, salesTimeText(at), inv.CustomerID, inv.Customer.RFC,
			inv.Customer.Name, inv.UsoCFDI, string(inv.Terms), inv.FormaPago, inv.Moneda, inv.TipoCambio.String(),
			inv.CondicionesDePago, inv.OrderRef, inv.Notes, inv.Total.String(), salesTimeText(at), salesTimeText(at))
		if err != nil {
			return err
		}
		if inv.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return legacyLines(ctx, tx, inv.ID, inv.Lines)
	})
}

// legacyLines inserts lines as the v26 code did (before credit notes).
func legacyLines(ctx context.Context, tx *sql.Tx, id int64, lines []sales.Line) error {
	for i, l := range lines {
		var product any
		if l.ProductID != 0 {
			product = l.ProductID
		}
		t := l.Taxes
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, n, product_id, no_identificacion,
			cantidad, clave_unidad, unidad, clave_prod_serv, descripcion, valor_unitario, descuento, objeto_imp,
			iva_exento, iva_tasa, ieps_factor, ieps_valor, ret_iva, ret_isr)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, product, l.NoIdentificacion, l.Cantidad.String(), l.ClaveUnidad, l.Unidad, l.ClaveProdServ,
			l.Descripcion, l.ValorUnitario.String(), l.Descuento.String(), l.ObjetoImp, t.IVAExento,
			t.IVATasa.String(), t.IEPSFactor, t.IEPSValor.String(), t.RetIVA.String(), t.RetISR.String()); err != nil {
			return err
		}
	}
	return nil
}

// seal builds and seals inv's CFDI with the demo CSD.
func (l *legacy) seal(inv *sales.Invoice) []byte {
	l.t.Helper()
	c, err := sales.BuildComprobante(inv, l.co, l.cat)
	if err != nil {
		l.t.Fatal(err)
	}
	xml, err := cfdi.Seal(c, l.signer)
	if err != nil {
		l.t.Fatal(err)
	}
	return xml
}

// post posts a draft as the v26 store did: take the folio, seal, mark the
// invoice sealed and queue the sealed document, in one transaction. It
// returns the document's id.
func (l *legacy) post(inv *sales.Invoice, at time.Time) int64 {
	l.t.Helper()
	ctx := context.Background()
	var doc int64
	l.tx(func(tx *sql.Tx) error {
		s, err := findSeries(ctx, tx, inv.Issuer, inv.Serie)
		if err != nil {
			return err
		}
		inv.Folio, inv.Fecha, inv.Status = s.NextFolio, at, sales.StatusSealed
		if _, err := tx.ExecContext(ctx, `INSERT INTO folios (issuer, serie, folio, kind, taken_at) VALUES (?, ?, ?, 'document', ?)`,
			inv.Issuer, inv.Serie, inv.Folio, salesTimeText(at)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE series SET next_folio = ? WHERE id = ?`, inv.Folio+1, s.ID); err != nil {
			return err
		}
		inv.SealedXML = l.seal(inv)
		if _, err := tx.ExecContext(ctx, `UPDATE invoices SET status = 'sealed', folio = ?, fecha = ?, updated_at = ?
			WHERE id = ? AND status = 'draft'`, inv.Folio, salesTimeText(at), salesTimeText(at), inv.ID); err != nil {
			return err
		}
		doc, err = postDocument(ctx, tx, stamping.NewDocument{IssuerRFC: inv.Issuer, TipoDeComprobante: inv.TipoDeComprobante,
			Serie: inv.Serie, Folio: strconv.FormatInt(inv.Folio, 10), Fecha: at,
			CustomID: "folio-" + inv.Issuer + "-" + inv.Serie + "-" + strconv.FormatInt(inv.Folio, 10), SealedXML: inv.SealedXML}, stampTime(at))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invoices SET document_id = ? WHERE id = ?`, doc, inv.ID)
		return err
	})
	return doc
}

// stamp records the PAC's stamp as the v26 queue did (the 0024 trigger
// moved the invoice) and returns the UUID.
func (l *legacy) stamp(doc int64, sealed []byte, n int, at time.Time) string {
	l.t.Helper()
	uuid := fmt.Sprintf("6A1B2C3D-4E5F-4A6B-8C7D-%012d", n)
	xml, err := cfdi.InsertTimbre(sealed, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid, FechaTimbrado: at.Format(sales.FechaLayout),
		RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=", NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
	if err != nil {
		l.t.Fatal(err)
	}
	now := stampTime(at)
	l.tx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE documents SET state = 'stamped', stamped_xml = ?, uuid = ?, stamped_at = ?, updated_at = ?,
			error_code = '', error_message = '', error_hint = '' WHERE id = ? AND state <> 'stamped'`, xml, uuid, now, now, doc); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM stamp_jobs WHERE document_id = ?`, doc); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO stamp_attempts (document_id, at, class, code, message, unknown) VALUES (?, ?, 'stamped', '', '', 0)`, doc, now); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO stamp_movements (issuer_rfc, at, kind, stamps, document_id, uuid) VALUES (?, ?, 'stamp', -1, ?, ?)`,
			l.co.RFC, now, doc, uuid)
		return err
	})
	return uuid
}

// finish ends a job as rejected or expired, as the v26 queue did.
func (l *legacy) finish(doc int64, state stamping.State, code string, at time.Time) {
	l.t.Helper()
	now := stampTime(at)
	l.tx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM stamp_jobs WHERE document_id = ?`, doc); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE documents SET state = ?, error_code = ?, error_message = 'rechazado', error_hint = 'corrija', updated_at = ? WHERE id = ?`,
			string(state), code, now, doc); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO stamp_attempts (document_id, at, class, code, message, unknown) VALUES (?, ?, 'needs user', ?, 'rechazado', 0)`, doc, now, code)
		return err
	})
}

// replace re-dates and re-seals an expired document as the v26 queue did
// (the 0026 trigger moved the invoice's Fecha).
func (l *legacy) replace(doc int64, inv *sales.Invoice, fecha, at time.Time) {
	l.t.Helper()
	inv.Fecha = fecha
	inv.SealedXML = l.seal(inv)
	now := stampTime(at)
	l.tx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE documents SET sealed_xml = ?, fecha = ?, state = 'queued', error_code = '', error_message = '', error_hint = '', updated_at = ?
			WHERE id = ? AND state IN ('expired', 'rejected', 'queued', 'sending')`, inv.SealedXML, stampTime(fecha), now, doc); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO stamp_jobs (document_id, next_attempt_at, created_at) VALUES (?, ?, ?)
			ON CONFLICT (document_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at, lease_until = ''`, doc, now, now)
		return err
	})
}

// requestCancel stores an accepted cancellation request as the v26 store
// did (the 0026 trigger cancelled the invoice on a 202).
func (l *legacy) requestCancel(doc int64, uuid, estatusUUID string, at time.Time) int64 {
	l.t.Helper()
	var id int64
	l.tx(func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO cancellations (document_id, issuer_rfc, uuid, motivo, folio_sustitucion, estatus_uuid, acuse, requested_at)
			VALUES (?, ?, ?, '02', '', ?, ?, ?)`, doc, l.co.RFC, uuid, estatusUUID, []byte("<Acuse "+uuid+"/>"), stampTime(at))
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO stamp_movements (issuer_rfc, at, kind, stamps, document_id, uuid, comment) VALUES (?, ?, 'cancel', 0, ?, ?, 'Motivo 02')`,
			l.co.RFC, stampTime(at), doc, uuid)
		return err
	})
	return id
}

// cancelStatus stores SAT's answer as the v26 store did (the 0026 trigger
// cancelled the invoice on "Cancelado").
func (l *legacy) cancelStatus(id int64, estado, estatus string, at time.Time) {
	l.t.Helper()
	l.tx(func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE cancellations SET estado = ?, es_cancelable = 'Cancelable con aceptación', estatus_cancelacion = ?, checked_at = ? WHERE id = ?`,
			estado, estatus, stampTime(at), id)
		return err
	})
}

// dump returns every row of every table of the database, each value
// printed with %q, tables and rows in a fixed order; columns lists each
// table's columns (those of an earlier dump when given).
func dump(t *testing.T, db *sql.DB, columns map[string][]string) (map[string][]string, map[string][]string) {
	t.Helper()
	if columns == nil {
		columns = map[string][]string{}
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			tables = append(tables, n)
		}
		rows.Close()
		for _, table := range tables {
			cols, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
			if err != nil {
				t.Fatal(err)
			}
			for cols.Next() {
				var c string
				cols.Scan(&c)
				columns[table] = append(columns[table], c)
			}
			cols.Close()
		}
	}
	out := map[string][]string{}
	for table, cols := range columns {
		order := make([]string, len(cols))
		for i := range cols {
			order[i] = strconv.Itoa(i + 1)
		}
		where := ""
		if table == "schema_migrations" {
			where = " WHERE version <= 26"
		}
		rows, err := db.Query(`SELECT "` + strings.Join(cols, `", "`) + `" FROM "` + table + `"` + where + ` ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				fmt.Fprintf(&b, "%s=%q ", cols[i], v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
	}
	return out, columns
}

// TestUpgradeFromSchema26 opens a database that the v26 code wrote —
// stamped, cancelled (SAT-confirmed and by code 202), re-dated, rejected,
// sealed, cancellation in process, cancellation refused, draft, a credit
// note relating to an earlier invoice, an invoice in dollars — with every
// migration: each invoice gets the state its old rows meant, amounts and
// relations are read from its sealed XML, nothing else changes, and its
// life goes on under the domain's rules.
func TestUpgradeFromSchema26(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "folio.db")
	old := mustOpen(t, path, Options{MaxVersion: 26, Now: fixedNow})
	if v, err := old.SchemaVersion(ctx); err != nil || v != 26 {
		t.Fatalf("schema version %d, %v; want 26", v, err)
	}
	l := &legacy{t: t, s: old, cat: testCatalogs(t), signer: demoSigner(t), co: sales.DemoCompany()}
	mustCreateSeries(t, old, "A", "I")
	mustCreateSeries(t, old, "NC", "E")
	var cust []sales.Customer
	for _, c := range sales.DemoCustomers()[:2] {
		cust = append(cust, mustCreateCustomer(t, old, c))
	}
	ps := sales.DemoProducts()

	// The documents, by what happened to them under the v26 code.
	type doc struct {
		name  string
		inv   sales.Invoice
		docID int64
		uuid  string
		state sales.State
	}
	var docs []*doc
	at := salesClock
	add := func(name string, state sales.State, edit func(*sales.Invoice)) *doc {
		c := cust[len(docs)%2]
		inv := sales.Invoice{Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03",
			Moneda: "MXN", Lines: []sales.Line{sales.LineFromProduct(&ps[0], dec("1")), sales.LineFromProduct(&ps[3], dec("2.5"))}}
		if c.RFC == cust[1].RFC {
			inv.Terms, inv.FormaPago = sales.Credito, "99"
			for i := range ps {
				line := sales.LineFromProduct(&ps[i], dec("1.5"))
				line.Descuento = dec("3.33")
				inv.Lines = append(inv.Lines, line)
			}
		}
		if edit != nil {
			edit(&inv)
		}
		at = at.Add(time.Minute)
		l.draft(&inv, at)
		d := &doc{name: name, inv: inv, state: state}
		if state != sales.StateDraft {
			d.docID = l.post(&d.inv, at)
		}
		docs = append(docs, d)
		return d
	}
	stamp := func(d *doc) {
		d.uuid = l.stamp(d.docID, d.inv.SealedXML, len(docs)*10+int(d.docID), at.Add(time.Minute))
	}

	stamped := add("stamped", sales.StateStamped, nil)
	stamp(stamped)
	confirmed := add("cancelled, SAT confirmed", sales.StateCancelled, nil)
	stamp(confirmed)
	cid := l.requestCancel(confirmed.docID, confirmed.uuid, "201", at.Add(time.Hour))
	l.cancelStatus(cid, "Cancelado", "Cancelado sin aceptación", at.Add(2*time.Hour))
	c202 := add("cancelled, code 202", sales.StateCancelled, nil)
	stamp(c202)
	l.requestCancel(c202.docID, c202.uuid, "202", at.Add(time.Hour))
	redated := add("re-dated", sales.StateSealed, nil)
	l.finish(redated.docID, stamping.StateExpired, "401", at.Add(73*time.Hour))
	newFecha := at.Add(74 * time.Hour)
	l.replace(redated.docID, &redated.inv, newFecha, newFecha)
	rejected := add("rejected", sales.StateRejected, nil)
	l.finish(rejected.docID, stamping.StateRejected, "CFDI40102", at.Add(time.Minute))
	queued := add("sealed, queued", sales.StateSealed, nil)
	inProcess := add("cancellation in process", sales.StateCancelRequested, nil)
	stamp(inProcess)
	inProcessID := l.requestCancel(inProcess.docID, inProcess.uuid, "201", at.Add(time.Hour))
	l.cancelStatus(inProcessID, "Vigente", "En proceso", at.Add(2*time.Hour))
	refused := add("cancellation refused", sales.StateCancelRejected, nil)
	stamp(refused)
	rid := l.requestCancel(refused.docID, refused.uuid, "201", at.Add(time.Hour))
	l.cancelStatus(rid, "Vigente", "Solicitud rechazada", at.Add(2*time.Hour))
	add("draft", sales.StateDraft, nil)
	const foreign = "0C5E7E3B-1A2B-4C3D-8E9F-A0B1C2D3E4F5"
	note := add("credit note with relations", sales.StateStamped, func(inv *sales.Invoice) {
		inv.TipoDeComprobante, inv.Serie = sales.TipoEgreso, "NC"
		inv.Lines = inv.Lines[:1]
		inv.Relations = []sales.Relation{{TipoRelacion: "01", UUID: stamped.uuid}, {TipoRelacion: "01", UUID: foreign}}
	})
	stamp(note)
	dollars := add("in dollars", sales.StateStamped, func(inv *sales.Invoice) {
		inv.Moneda, inv.TipoCambio = "USD", dec("17.123456")
	})
	stamp(dollars)

	// The v26 triggers did their part: statuses, UUIDs and the re-dated Fecha.
	var status, fecha string
	old.ReadDB().QueryRow(`SELECT status, fecha FROM invoices WHERE id = ?`, redated.inv.ID).Scan(&status, &fecha)
	if status != "sealed" || fecha != salesTimeText(newFecha) {
		t.Fatalf("re-dated invoice at v26: %s %s, want sealed %s", status, fecha, salesTimeText(newFecha))
	}
	for _, d := range []*doc{confirmed, c202} {
		old.ReadDB().QueryRow(`SELECT status FROM invoices WHERE id = ?`, d.inv.ID).Scan(&status)
		if status != "cancelled" {
			t.Fatalf("%s at v26: status %s", d.name, status)
		}
	}
	before, columns := dump(t, old.ReadDB(), nil)
	if len(before["invoices"]) != len(docs) || len(before["documents"]) != len(docs)-1 {
		t.Fatalf("v26 database: %d invoices, %d documents", len(before["invoices"]), len(before["documents"]))
	}
	old.Close()

	// When the current Folio opens it.
	s := mustOpen(t, path, Options{Now: fixedNow})

	// Then every row of the v26 schema is still there, byte for byte.
	after, _ := dump(t, s.ReadDB(), columns)
	for table, rows := range before {
		if !slices.Equal(rows, after[table]) {
			t.Errorf("table %s changed: %d rows before, %d after\nbefore %q\nafter  %q", table, len(rows), len(after[table]), rows, after[table])
		}
	}
	// …and so is the backup written before migrating.
	baks, _ := filepath.Glob(path + ".bak-v26-*")
	if len(baks) != 1 {
		t.Fatalf("backups = %v, want one of v26", baks)
	}
	bak, err := sql.Open("sqlite3", "file://"+baks[0]+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer bak.Close()
	if saved, _ := dump(t, bak, columns); fmt.Sprint(saved) != fmt.Sprint(before) {
		t.Error("the backup of v26 differs from the database before migrating")
	}
	var pending int
	s.ReadDB().QueryRow(`SELECT count(*) FROM pending_backfills`).Scan(&pending)
	if pending != 0 {
		t.Errorf("%d backfills pending after Open", pending)
	}

	for _, d := range docs {
		got, err := s.FindInvoiceByID(ctx, d.inv.ID)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if got.State != d.state || got.Status != d.state.Status() || got.UUID != d.uuid || got.Folio != d.inv.Folio ||
			!got.Total.Equal(d.inv.Total) || len(got.Lines) != len(d.inv.Lines) {
			t.Errorf("%s: state %s status %s uuid %q folio %d total %s; want %s, %q, %d, %s", d.name, got.State, got.Status,
				got.UUID, got.Folio, got.Total, d.state, d.uuid, d.inv.Folio, d.inv.Total)
		}
		a, ok, err := s.FindAmounts(ctx, d.inv.ID)
		if d.state == sales.StateDraft {
			if ok || err != nil {
				t.Errorf("%s: amounts %v, %v; want none", d.name, ok, err)
			}
			continue
		}
		// The sealed bytes are the ones sealed under v26 (after the re-seal
		// for the re-dated one), and the amounts are theirs.
		if string(got.SealedXML) != string(d.inv.SealedXML) {
			t.Errorf("%s: sealed XML changed", d.name)
		}
		c, err := cfdi.Parse(got.SealedXML)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := sales.AmountsFromCFDI(c)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || !a.Total.Equal(dec(c.Total)) || !a.SubTotal.Equal(dec(c.SubTotal)) || !storetest.EqualAmounts(a, want) {
			t.Errorf("%s: amounts %+v (%v, %v)\nwant %+v", d.name, a, ok, err, want)
		}
	}
	if got := s.mustFind(t, redated.inv.ID); !got.Fecha.Equal(newFecha) {
		t.Errorf("re-dated invoice: fecha %v, want %v", got.Fecha, newFecha)
	}
	a, _, _ := s.FindAmounts(ctx, dollars.inv.ID)
	if !a.TipoCambio.Equal(dec("17.123456")) || a.Moneda != "USD" || a.TotalMXN.Equal(a.Total) {
		t.Errorf("dollar invoice amounts: %+v", a)
	}
	creditA, _, _ := s.FindAmounts(ctx, confirmed.inv.ID) // the credit customer's, with every tax
	if len(creditA.Taxes) < 3 || creditA.Retenciones.IsZero() {
		t.Errorf("credit invoice taxes by rate: %+v", creditA.Taxes)
	}
	wantRel := []sales.Relation{{TipoRelacion: "01", UUID: stamped.uuid, DocumentID: stamped.inv.ID}, {TipoRelacion: "01", UUID: foreign}}
	if got := s.mustFind(t, note.inv.ID).Relations; !slices.Equal(got, wantRel) {
		t.Errorf("credit note relations = %+v, want %+v", got, wantRel)
	}
	sum, err := s.SumAmounts(ctx, sales.AmountsFilter{Issuer: sales.DemoRFC, Moneda: "MXN"})
	if err != nil || sum.Documents != len(docs)-2 {
		t.Errorf("sum of the upgraded documents in pesos: %+v, %v; want %d documents", sum, err, len(docs)-2)
	}

	// The credit invoices opened receivables due 30 days after their day,
	// with their totals open (none of them was credited); the cancelled
	// one is not open, and the credit note opens nothing.
	recs, err := s.Receivables(ctx, sales.DemoRFC, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantOpen := map[int64]*doc{confirmed.inv.ID: nil, redated.inv.ID: redated, queued.inv.ID: queued, refused.inv.ID: refused}
	if len(recs) != len(wantOpen) {
		t.Errorf("receivables after the upgrade = %+v, want invoices %v", recs, wantOpen)
	}
	for _, r := range recs {
		d, ok := wantOpen[r.InvoiceID]
		open := decimal.Zero
		if d != nil {
			open = d.inv.Total
		}
		if got := s.mustFind(t, r.InvoiceID); !ok || !r.Open.Equal(open) || !r.Open.Equal(r.Recomputed()) ||
			!r.DueDate.Equal(receivables.DueDate(got.Fecha, 30)) {
			t.Errorf("receivable after the upgrade: %+v, want open %s due %s", r, open, receivables.DueDate(got.Fecha, 30))
		}
	}

	// And their life goes on under the domain's rules.
	q := NewStampStore(s)
	now := at.Add(100 * time.Hour)
	if err := q.MarkStamped(ctx, queued.docID, queued.inv.SealedXML, "7B1B2C3D-4E5F-4A6B-8C7D-000000000001", stamping.Outcome{Class: stamping.Stamped}, now); err != nil {
		t.Fatal(err)
	}
	if err := q.UpdateCancelStatus(ctx, inProcessID, stamping.SATStatus{Estado: "Cancelado", EstatusCancelacion: "Cancelado con aceptación"}, now); err != nil {
		t.Fatal(err)
	}
	if err := q.Replace(ctx, rejected.docID, rejected.inv.SealedXML, now, now); err != nil {
		t.Fatal(err)
	}
	if err := q.AllowCancel(ctx, c202.docID); err == nil {
		t.Error("AllowCancel of a cancelled document = nil")
	}
	for id, want := range map[int64]sales.State{queued.inv.ID: sales.StateStamped, inProcess.inv.ID: sales.StateCancelled, rejected.inv.ID: sales.StateSealed} {
		if got := s.mustFind(t, id); got.State != want {
			t.Errorf("invoice %d after the upgrade: %s, want %s", id, got.State, want)
		}
	}
	// A new post numbers after the v26 folios.
	d := mustSaveDraft(t, s, draftFor(cust[0], "A"))
	if inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, now); err != nil || inv.Folio != int64(len(docs)-1) {
		t.Errorf("post after the upgrade: folio %d, %v; want %d", inv.Folio, err, len(docs)-1)
	}
}

func (s *Store) mustFind(t *testing.T, id int64) sales.Invoice {
	t.Helper()
	inv, err := s.FindInvoiceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}
