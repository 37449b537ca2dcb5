package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
)

// creditInvoice posts a PPD invoice of the demo credit customer (a company)
// with lines, in moneda at tc, and records the PAC's stamp uuid.
func creditInvoice(t *testing.T, s *Store, c sales.Customer, moneda, tc string, uuid string, lines ...sales.Line) sales.Invoice {
	t.Helper()
	inv := sales.Invoice{Issuer: testIssuer, TipoDeComprobante: "I", Serie: "A", CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Credito, FormaPago: "99", Moneda: moneda, Lines: lines}
	if tc != "" {
		inv.TipoCambio = dec(tc)
	}
	d := mustSaveDraft(t, s, inv)
	posted, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post credit invoice: %v", err)
	}
	stampNote(t, s, posted, uuid)
	got, err := s.FindInvoiceByID(context.Background(), posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func productLine(i int, qty string) sales.Line {
	p := sales.DemoProducts()[i]
	return sales.LineFromProduct(&p, dec(qty))
}

// postPayment builds a payment receipt from the customer's payable
// invoices as the store has them now, and posts it through the domain's
// use case (sales.Service.PostBatch) at now.
func postPayment(t *testing.T, s *Store, customerID int64, in sales.PaymentInput, now time.Time) (sales.Invoice, error) {
	t.Helper()
	ctx := context.Background()
	open, err := s.PayableInvoices(ctx, testIssuer, customerID)
	if err != nil {
		t.Fatal(err)
	}
	if in.FechaPago.IsZero() {
		in.FechaPago = now.Add(-time.Hour)
	}
	rcpt, err := sales.BuildPayment("P", in, open, testCatalogs(t))
	if err != nil {
		return sales.Invoice{}, err
	}
	svc := &sales.Service{Invoices: s, Catalogs: testCatalogs(t), Clock: func() time.Time { return now }}
	posted, err := svc.PostBatch(ctx, sales.DemoCompany(), demoSigner(t), []sales.Invoice{rcpt})
	if err != nil {
		return sales.Invoice{}, batchCause(err)
	}
	return posted[0], nil
}

// batchCause returns the one refusal of a refused batch of one.
func batchCause(err error) error {
	var b *sales.BatchError
	if e, ok := err.(*domain.Error); ok {
		if be, ok := e.Err.(*sales.BatchError); ok {
			b = be
		}
	}
	if b != nil && len(b.Refused) == 1 {
		return b.Refused[0]
	}
	return err
}

// TestPaymentInstallmentsThroughThePostingPath: three payments of one
// invoice, each a CFDI tipo P posted through the same use case as invoices
// in its own P series, number themselves 1 to 3, chain the balance to zero,
// are read back as posted and pass SAT's tools; a fourth is refused, and
// the invoice cannot be cancelled while they are live.
func TestPaymentInstallmentsThroughThePostingPath(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "P", "P")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	inv := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-00000000000A", productLine(0, "1")) // 18,558.84
	if !inv.Total.Equal(dec("18558.84")) {
		t.Fatalf("invoice total %s", inv.Total)
	}
	steps := []struct{ pay, ant, left string }{
		{"5000.00", "18558.84", "13558.84"},
		{"8000.00", "13558.84", "5558.84"},
		{"5558.84", "5558.84", "0.00"},
	}
	at := salesClock
	for i, st := range steps {
		at = at.Add(time.Hour)
		rcpt, err := postPayment(t, s, c.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec(st.pay), NumOperacion: fmt.Sprint("REF", i)}, at)
		if err != nil {
			t.Fatalf("payment %d: %v", i+1, err)
		}
		x, err := cfdi.Parse(rcpt.SealedXML)
		if err != nil {
			t.Fatal(err)
		}
		dr := x.Complemento.Pagos.Pago[0].DoctoRelacionado[0]
		if x.TipoDeComprobante != "P" || x.Serie != "P" || x.Folio != fmt.Sprint(i+1) || dr.NumParcialidad != fmt.Sprint(i+1) ||
			dr.ImpSaldoAnt != st.ant || dr.ImpPagado != st.pay || dr.ImpSaldoInsoluto != st.left || dr.IdDocumento != inv.UUID {
			t.Errorf("payment %d: %s %s-%s DoctoRelacionado %+v", i+1, x.TipoDeComprobante, x.Serie, x.Folio, dr)
		}
		verifySealed(t, rcpt)
		got, err := s.FindInvoiceByID(ctx, rcpt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TipoDeComprobante != "P" || got.Payment == nil || len(got.Payment.Docs) != 1 ||
			!got.Payment.Docs[0].ImpSaldoInsoluto.Equal(dec(st.left)) || got.Payment.Docs[0].NumParcialidad != i+1 ||
			len(got.Payment.Docs[0].Taxes) != 1 || !got.Payment.Monto.Equal(dec(st.pay)) {
			t.Errorf("payment %d read back: %+v", i+1, got.Payment)
		}
		stampNote(t, s, rcpt, fmt.Sprintf("6A1B2C3D-4E5F-4A6B-8C7D-00000000010%d", i))
	}
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoPago})
	if err != nil || len(rows) != 3 || rows[0].Tipo != "P" || rows[0].Folio != 3 {
		t.Errorf("list of payment receipts = %+v, %v", rows, err)
	}
	rows, err = s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: testIssuer, Tipo: sales.TipoPago, Status: sales.StatusStamped, Search: "UNIVERSIDAD"})
	if err != nil || len(rows) != 3 {
		t.Errorf("stamped payment receipts of a customer = %+v, %v", rows, err)
	}
	paid, err := s.PaidOf(ctx, inv.ID)
	if err != nil || !paid.Paid.Equal(inv.Total) || paid.Payments != 3 {
		t.Errorf("PaidOf = %+v, %v", paid, err)
	}
	if open, _ := s.PayableInvoices(ctx, testIssuer, c.ID); len(open) != 0 {
		t.Errorf("a paid invoice is still payable: %+v", open)
	}
	if _, err := postPayment(t, s, c.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec("1"),
		Apply: []sales.Application{{InvoiceID: inv.ID, ImpPagado: dec("1")}}}, at); err == nil {
		t.Error("a fourth payment of a paid invoice was accepted")
	}
	docID, _, _, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	err = NewStampStore(s).AllowCancel(ctx, docID)
	if domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "P-1, P-2, P-3") {
		t.Errorf("AllowCancel of a paid invoice = %v (%s)", err, domain.UserMessage(err))
	}
}

// TestPaymentRecheckedWhenPosted: two receipts built from the same balance
// cannot both be posted: the posting transaction rebuilds each against the
// invoice as it is then.
func TestPaymentRecheckedWhenPosted(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "P", "P")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	inv := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-00000000000B", productLine(1, "10")) // 4,054.20
	open, err := s.PayableInvoices(ctx, testIssuer, c.ID)
	if err != nil || len(open) != 1 {
		t.Fatalf("payable = %+v, %v", open, err)
	}
	in := sales.PaymentInput{FechaPago: salesClock, FormaDePagoP: "03", Monto: inv.Total}
	var drafts []sales.Invoice
	for range 2 {
		r, err := sales.BuildPayment("P", in, open, testCatalogs(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDraft(ctx, &r); err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, r)
	}
	if _, err := postDraft(t, s, drafts[0].ID, sales.PostOptions{}, salesClock); err != nil {
		t.Fatal(err)
	}
	_, err = postDraft(t, s, drafts[1].ID, sales.PostOptions{}, salesClock)
	if domain.KindOf(err) != domain.Invalid || !strings.Contains(fmt.Sprint(domain.UserMessage(err), err), "se le deben 0.00 MXN") {
		t.Errorf("second payment of the same balance: %v", err)
	}
	if got := nextFolio(t, s, "P"); got != 2 {
		t.Errorf("next P folio %d, want 2 (the refused post takes none)", got)
	}
}

// TestPaymentCurrenciesAndTaxes: each kind of payment SAT's guide
// describes, posted and checked with SAT's tools: an invoice with IVA 16,
// IVA 0, exento, IEPS and withholdings paid in part; a dollar invoice paid in
// pesos; a peso invoice paid in dollars; several invoices in one payment.
func TestPaymentCurrenciesAndTaxes(t *testing.T) {
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "P", "P")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	mixed := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-00000000001A",
		productLine(0, "1"), productLine(2, "3"), productLine(3, "2"), productLine(4, "1"),
		sales.Line{Cantidad: dec("24"), ClaveUnidad: "H87", Unidad: "Pieza", ClaveProdServ: "50202306", Descripcion: "Refresco 600 ml",
			ValorUnitario: dec("15.50"), ObjetoImp: "02", Taxes: sales.Taxes{IVATasa: dec("0.16"), IEPSFactor: sales.FactorTasa, IEPSValor: dec("0.08")}})
	usd := creditInvoice(t, s, c, "USD", "17.5", "6A1B2C3D-4E5F-4A6B-8C7D-00000000001B", productLine(1, "4"))
	mxn := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-00000000001C", productLine(1, "2"))
	other := creditInvoice(t, s, c, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-00000000001D", productLine(3, "1"))
	at := salesClock
	tests := []struct {
		name string
		in   sales.PaymentInput
		want func(t *testing.T, c *cfdi.Comprobante)
	}{
		{"mixed taxes, half paid", sales.PaymentInput{FormaDePagoP: "03", Monto: dec("10000.00"),
			Apply: []sales.Application{{InvoiceID: mixed.ID, ImpPagado: dec("10000.00")}}},
			func(t *testing.T, c *cfdi.Comprobante) {
				p := c.Complemento.Pagos
				dr := p.Pago[0].DoctoRelacionado[0]
				if dr.ObjetoImpDR != "02" || len(dr.ImpuestosDR.RetencionesDR) != 2 || len(dr.ImpuestosDR.TrasladosDR) != 4 {
					t.Errorf("DoctoRelacionado taxes %+v", dr.ImpuestosDR)
				}
				tt := p.Totales
				if tt.TotalRetencionesISR == "" || tt.TotalRetencionesIVA == "" || tt.TotalTrasladosBaseIVA16 == "" ||
					tt.TotalTrasladosBaseIVA0 == "" || tt.TotalTrasladosBaseIVAExento == "" || tt.MontoTotalPagos != "10000.00" {
					t.Errorf("Totales %+v", tt)
				}
			}},
		{"dollar invoice paid in pesos", sales.PaymentInput{FormaDePagoP: "03", Monto: dec("28379.40"),
			Apply: []sales.Application{{InvoiceID: usd.ID, ImpPagado: dec("1621.68"), EquivalenciaDR: dec("0.057142857")}}},
			func(t *testing.T, c *cfdi.Comprobante) {
				pg := c.Complemento.Pagos.Pago[0]
				dr := pg.DoctoRelacionado[0]
				if pg.MonedaP != "MXN" || pg.TipoCambioP != "1" || dr.MonedaDR != "USD" || dr.EquivalenciaDR != "0.057142857" ||
					dr.ImpSaldoInsoluto != "0.00" {
					t.Errorf("Pago %+v DoctoRelacionado %+v", pg, dr)
				}
			}},
		{"peso invoice paid in dollars", sales.PaymentInput{FormaDePagoP: "03", MonedaP: "USD", TipoCambioP: dec("18.5"), Monto: dec("40.00"),
			Apply: []sales.Application{{InvoiceID: mxn.ID, ImpPagado: dec("740.00"), EquivalenciaDR: dec("18.5")}}},
			func(t *testing.T, c *cfdi.Comprobante) {
				p := c.Complemento.Pagos
				pg := p.Pago[0]
				if pg.MonedaP != "USD" || pg.TipoCambioP != "18.5" || pg.DoctoRelacionado[0].EquivalenciaDR != "18.5" || p.Totales.MontoTotalPagos != "740.00" {
					t.Errorf("Pago %+v Totales %+v", pg, p.Totales)
				}
			}},
		{"several invoices, oldest first, paid up", sales.PaymentInput{FormaDePagoP: "02", Monto: dec("12816.42")},
			func(t *testing.T, c *cfdi.Comprobante) {
				drs := c.Complemento.Pagos.Pago[0].DoctoRelacionado
				if len(drs) != 3 || drs[0].IdDocumento != mixed.UUID || drs[0].NumParcialidad != "2" || drs[1].IdDocumento != mxn.UUID ||
					drs[1].NumParcialidad != "2" || drs[2].IdDocumento != other.UUID || drs[2].ImpSaldoInsoluto != "0.00" {
					t.Errorf("documents %+v", drs)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at = at.Add(time.Hour)
			rcpt, err := postPayment(t, s, c.ID, tt.in, at)
			if err != nil {
				t.Fatal(domain.UserMessage(err), err)
			}
			x, err := cfdi.Parse(rcpt.SealedXML)
			if err != nil {
				t.Fatal(err)
			}
			tt.want(t, x)
			verifySealed(t, rcpt)
		})
	}
}

// TestUpgradeFromSchema33: a database the v33 code wrote, with an invoice on
// credit, a credit note against it and a draft, keeps every row through the
// rebuild of invoices (0034) and the payment tables (0035), keeps its
// indexes and foreign keys, and then takes a payment receipt.
func TestUpgradeFromSchema33(t *testing.T) {
	path := filepath.Join(t.TempDir(), "folio.db")
	old := mustOpen(t, path, Options{MaxVersion: 33, Now: func() time.Time { return salesClock }})
	mustCreateSeries(t, old, "A", "I")
	mustCreateSeries(t, old, "NC", "E")
	mustCreateSeries(t, old, "P", "P")
	c := mustCreateCustomer(t, old, sales.DemoCustomers()[1])
	// Drafts only: posting now needs the receivables of 0037, so what the
	// v33 code posted is covered by TestUpgradeFromSchema26's legacy rows,
	// which go through every migration, this rebuild included.
	// Written with the SQL of the older code (legacy), which knows none of
	// the columns later migrations add.
	l := &legacy{t: t, s: old, co: sales.DemoCompany()}
	credit := sales.Invoice{TipoDeComprobante: "I", Serie: "A", CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Credito, FormaPago: "99", Moneda: "MXN", Lines: []sales.Line{productLine(0, "2"), productLine(2, "1")}}
	l.draft(&credit, salesClock)
	other := draftFor(c, "A")
	l.draft(&other, salesClock)
	// A tipo P row is refused by the v33 CHECK.
	if _, err := old.WriteDB().Exec(`UPDATE invoices SET tipo = 'P' WHERE id = ?`, credit.ID); err == nil {
		t.Fatal("v33 accepted tipo P")
	}
	indexes := func(s *Store) []string {
		rows, err := s.ReadDB().Query(`SELECT name || ':' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' AND sql IS NOT NULL ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var x string
			rows.Scan(&x)
			out = append(out, x)
		}
		return out
	}
	beforeIdx := indexes(old)
	before, columns := dump(t, old.ReadDB(), nil)
	old.Close()

	s := mustOpen(t, path, Options{Now: func() time.Time { return salesClock }})
	after, _ := dump(t, s.ReadDB(), columns)
	for table, rows := range before {
		if !slices.Equal(rows, after[table]) {
			t.Errorf("table %s changed:\nbefore %q\nafter  %q", table, rows, after[table])
		}
	}
	afterIdx := indexes(s)
	for _, x := range beforeIdx {
		if !slices.Contains(afterIdx, x) {
			t.Errorf("index lost: %s", x)
		}
	}
	var fk int
	s.ReadDB().QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&fk)
	var on int
	s.WriteDB().QueryRow(`PRAGMA foreign_keys`).Scan(&on)
	if fk != 0 || on != 1 {
		t.Errorf("after the rebuild: %d broken foreign keys, enforcement %d", fk, on)
	}
	// The children still point at invoices and cascade from it: deleting
	// the draft takes its lines.
	for _, child := range []string{"invoice_lines", "invoice_taxes", "invoice_relations", "payments", "payment_documents"} {
		var parents []string
		rows, err := s.ReadDB().Query(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, child)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			rows.Scan(&p)
			parents = append(parents, p)
		}
		rows.Close()
		if !slices.Contains(parents, "invoices") {
			t.Errorf("%s references %v, want invoices", child, parents)
		}
	}
	var draftID int64
	s.ReadDB().QueryRow(`SELECT id FROM invoices WHERE state = 'draft' AND id <> ?`, credit.ID).Scan(&draftID)
	if err := s.DeleteDraft(context.Background(), draftID); err != nil {
		t.Fatal(err)
	}
	var orphans int
	s.ReadDB().QueryRow(`SELECT count(*) FROM invoice_lines WHERE invoice_id = ?`, draftID).Scan(&orphans)
	if draftID == 0 || orphans != 0 {
		t.Errorf("draft %d deleted, %d lines left", draftID, orphans)
	}
	// The upgraded draft posts on credit, takes a return and then a payment
	// that counts the credit note.
	posted, err := postDraft(t, s, credit.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post the upgraded credit draft: %v", err)
	}
	stampNote(t, s, posted, "6A1B2C3D-4E5F-4A6B-8C7D-00000000002A")
	inv, err := s.FindInvoiceByID(context.Background(), posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	note, err := postReturn(t, s, &inv, "1", sales.Credited{})
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := postPayment(t, s, c.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec("1000.00")}, salesClock.Add(time.Hour))
	if err != nil {
		t.Fatal(domain.UserMessage(err), err)
	}
	d := rcpt.Payment.Docs[0]
	if want := inv.Total.Sub(note.Total); d.InvoiceID != inv.ID || !d.ImpSaldoAnt.Equal(want) {
		t.Errorf("payment after upgrade: %+v, want ImpSaldoAnt %s", d, want)
	}
	verifySealed(t, rcpt)
}
