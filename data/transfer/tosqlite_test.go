package transfer_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/data/transfer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/folio-mx/folio/internal/wire"
	"github.com/shopspring/decimal"
)

// seedFile returns a SQLite installation with the demo company, one of
// its documents stamped and then cancelled, another stamped and queued by
// e-mail, a message with an attachment in the outbox, a received CFDI
// with its supplier, a remembered concordance, a quote invoiced into a
// draft (the link both ways) beside an open one, and the company's PAC
// account flagged as a dealer account with one action recorded through it.
func seedFile(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	ctx := context.Background()
	src := sqlite.MustOpenTest(t)
	co, err := wire.SeedDemo(ctx, src, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	q := sqlite.NewStampStore(src)
	docs, err := q.Documents(ctx, co.RFC)
	if err != nil || len(docs) != 3 {
		t.Fatalf("demo documents: %d, %v", len(docs), err)
	}
	at := time.Date(2026, 11, 25, 18, 30, 0, 123456000, time.UTC)
	for i, d := range docs[:2] {
		uuid := fmt.Sprintf("5FB2822E-396D-4725-8521-%012d", i+1)
		xml, err := cfdi.InsertTimbre(d.SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
			FechaTimbrado: at.In(domain.MexicoCity).Format(sales.FechaLayout), RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
			NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.MarkStamped(ctx, d.ID, xml, uuid, stamping.Outcome{Class: stamping.Stamped}, at); err != nil {
			t.Fatal(err)
		}
	}
	d, err := q.Document(ctx, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	id, err := q.SaveCancellation(ctx, stamping.Cancellation{DocumentID: d.ID, RequestedAt: at.Add(time.Minute),
		Request: stamping.CancelRequest{IssuerRFC: d.IssuerRFC, UUID: d.UUID, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.UpdateCancelStatus(ctx, id, stamping.SATStatus{Estado: "Cancelado", EstatusCancelacion: "Cancelado sin aceptación"}, at.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	m := sqlite.NewMailStore(src)
	if _, err := m.Enqueue(ctx, docs[1].ID, []string{"a@cliente.test"}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := m.EnqueueMessage(ctx, co.RFC, []string{"pagos@cliente.test"}, delivery.Message{Subject: "Estado de cuenta", Body: "Adjunto.",
		Attachments: []delivery.Attachment{{Name: "estado.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.3 \x00\xff")}}}, at); err != nil {
		t.Fatal(err)
	}
	doc := []byte("<?xml version=\"1.0\"?>\n<cfdi:Comprobante Total=\"1160.00\"/>")
	if _, err := src.SaveReceived(ctx, []received.Doc{{Issuer: co.RFC, Direction: received.Recibido, Key: "AAAA", UUID: "AAAA", Version: "4.0",
		RfcEmisor: "AAA010101AAA", NombreEmisor: "PAPELERÍA ÁGUILA", RfcReceptor: co.RFC, Fecha: "2026-11-01T10:00:00", Total: "1160.00",
		OK: true, Verdict: "OK", XML: doc, Source: "a.xml"}}); err != nil {
		t.Fatal(err)
	}
	if err := src.Remember(ctx, co.RFC, 1, []received.Mapping{{Description: "tornillo hexagonal", ProductID: 1}}, at); err != nil {
		t.Fatal(err)
	}
	seedQuotes(t, src, co.RFC, at)
	seedPayouts(t, src, co.RFC, at)
	seedStock(t, src, co.RFC, at)
	if err := src.SetDealerEnabled(ctx, co.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := src.RecordDealerAction(ctx, &dealer.Action{Dealer: "cuenta-sw", At: at, Kind: dealer.ActionAdd, ClientID: "c1",
		ClientName: "Cliente Ñandú", In: 50, Balance: 150, Folio: 9, Comment: "recarga"}); err != nil {
		t.Fatal(err)
	}
	return src, co.RFC
}

// seedPayouts stores, through the payouts' unit of work, two payouts to a
// third party: one in pesos withdrawn from a bank account, and one in
// dollars at a rate without an account, cancelled.
func seedPayouts(t *testing.T, src *sqlite.Store, issuer string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	tp := sales.ThirdParty{Issuer: issuer, RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "601",
		CodigoPostal: "62661", Active: true}
	if err := src.CreateThirdParty(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	acct := banks.Account{Issuer: issuer, Kind: banks.Banco, Name: "Cheques terceros", Bank: "BBVA", Moneda: "MXN", Active: true}
	if err := src.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	err := src.PayoutTx(ctx, func(tx thirdparty.PayoutTx) error {
		p := thirdparty.Payout{Issuer: issuer, ThirdPartyID: tp.ID, Fecha: at, Moneda: "MXN", Amount: decimal.RequireFromString("1250.50"),
			AccountID: acct.ID, Reference: "SPEI 7", CreatedAt: at}
		m, err := banks.Move(acct, issuer, banks.Withdrawal, at, 0, "MXN", p.Amount, decimal.Zero)
		if err != nil {
			return err
		}
		if err := tx.InsertPayout(ctx, &p, &m); err != nil {
			return err
		}
		usd := thirdparty.Payout{Issuer: issuer, ThirdPartyID: tp.ID, Fecha: at.Add(time.Hour), Moneda: "USD",
			Amount: decimal.RequireFromString("80"), TipoCambio: decimal.RequireFromString("17.2512"), CreatedAt: at}
		if err := tx.InsertPayout(ctx, &usd, nil); err != nil {
			return err
		}
		return tx.MarkPayoutCancelled(ctx, usd.ID, at.Add(2*time.Hour), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// seedStock receives goods from the received CFDI's supplier into a
// second warehouse (a purchase linked to that CFDI) and adjusts them: a
// warehouse, a purchase, stock movements and levels to carry.
func seedStock(t *testing.T, src *sqlite.Store, issuer string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	svc := &inventory.Service{Store: src, Suppliers: src, Clock: func() time.Time { return at }}
	w := inventory.Warehouse{Issuer: issuer, Name: "Bodega norte", Active: true}
	if err := svc.SaveWarehouse(ctx, &w); err != nil {
		t.Fatal(err)
	}
	sup, err := src.SupplierCatalog(ctx, issuer)
	if err != nil || len(sup) != 1 {
		t.Fatalf("suppliers: %+v, %v", sup, err)
	}
	rec, err := src.FindReceived(ctx, received.Filter{Issuer: issuer, Direction: received.Recibido})
	if err != nil || len(rec) != 1 {
		t.Fatalf("received: %+v, %v", rec, err)
	}
	p := sales.DemoProducts()[0]
	prods, err := src.FindProducts(ctx, sales.ProductFilter{Query: p.Code, Limit: 1})
	if err != nil || len(prods) != 1 {
		t.Fatalf("product %s: %+v, %v", p.Code, prods, err)
	}
	buy := inventory.Purchase{Issuer: issuer, SupplierID: sup[0].ID, WarehouseID: w.ID, Fecha: at, Reference: "F-77", ReceivedID: rec[0].ID,
		Lines: []inventory.PurchaseLine{{ProductID: prods[0].ID, Qty: decimal.RequireFromString("7.5"), UnitCost: decimal.RequireFromString("1234.567891")}}}
	if err := svc.Receive(ctx, &buy); err != nil {
		t.Fatal(err)
	}
	if err := svc.Adjust(ctx, issuer, prods[0].ID, w.ID, decimal.RequireFromString("-0.5"), decimal.Zero, "Merma"); err != nil {
		t.Fatal(err)
	}
}

// dump returns every row of every table Folio copies, as text with each
// value's type: what two files must agree on to be the same installation.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tb := range transfer.Tables() {
		table := tb.Name
		rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY ` + tb.Order)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if x, ok := v.([]byte); ok {
					v = "blob:" + string(x)
				}
				fmt.Fprintf(&b, "%s=%T:%v ", cols[i], v, v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
	}
	return out
}

// TestRoundTripKeepsTheFile moves an installation from its file to the
// server and back to a new file: every row of every table, and so every
// document's sealed and stamped XML, comes back identical.
func TestRoundTripKeepsTheFile(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	src, rfc := seedFile(t)
	server, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k")})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	if _, err := transfer.ToPostgres(ctx, src, server, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	back := sqlite.MustOpenTest(t)
	rep, err := transfer.ToSQLite(ctx, server, back, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 3 || rep.Rows["cancellations"] != 1 || rep.Rows["invoices"] != 4 || rep.Rows["deliveries"] != 2 || rep.Rows["delivery_attachments"] != 1 ||
		rep.Rows["received_cfdi"] != 1 || rep.Rows["suppliers"] != 1 || rep.Rows["concordance_memory"] != 1 || rep.Rows["quotes"] != 2 ||
		rep.Rows["third_party_payouts"] != 2 || rep.Rows["company_dealer"] != 1 || rep.Rows["dealer_actions"] != 1 ||
		rep.Rows["warehouses"] < 1 || rep.Rows["purchases"] != 1 || rep.Rows["stock_movements"] < 2 || rep.Rows["stock_levels"] < 1 {
		t.Fatalf("report %+v: want 3 documents, 4 invoices (one the draft of a quote), 1 cancellation, 2 deliveries, 1 attachment, 2 quotes, 2 payouts, 1 dealer flag and action, 1 purchase with its movements", rep)
	}
	want, got := dump(t, src.ReadDB()), dump(t, back.ReadDB())
	for _, tb := range transfer.Tables() {
		table := tb.Name
		if len(got[table]) != len(want[table]) {
			t.Errorf("%s: %d rows back, want %d", table, len(got[table]), len(want[table]))
			continue
		}
		for i := range want[table] {
			if got[table][i] != want[table][i] {
				t.Errorf("%s row %d back:\n%s\nwant\n%s", table, i+1, got[table][i], want[table][i])
			}
		}
	}
	a, b := sqlite.NewStampStore(src), sqlite.NewStampStore(back)
	docs, _ := a.Documents(ctx, rfc)
	for _, d := range docs {
		g, err := b.Document(ctx, d.ID)
		if err != nil || !bytes.Equal(g.SealedXML, d.SealedXML) || !bytes.Equal(g.StampedXML, d.StampedXML) || g.State != d.State {
			t.Errorf("document %d back: %v, state %s; want its XML byte-identical (state %s)", d.ID, err, g.State, d.State)
		}
	}
	// The server reads the payouts as the file does: the live one with its
	// withdrawal, the cancelled one with its rate.
	for _, cancelled := range []bool{false, true} {
		f := thirdparty.PayoutFilter{Issuer: rfc, Cancelled: cancelled}
		want, err := src.Payouts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := server.Payouts(ctx, f)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) || len(want) != map[bool]int{false: 1, true: 2}[cancelled] {
			t.Errorf("payouts on the server (cancelled %v) = %+v, %v\nwant %+v", cancelled, got, err, want)
		}
	}
	// The file works as one Folio wrote: it lists, searches and numbers on.
	found, err := back.FindCustomers(ctx, sales.CustomerFilter{Query: "española"})
	if err != nil || len(found) != 1 {
		t.Errorf("FindCustomers(española) in the file = %d, %v", len(found), err)
	}
	if _, err := transfer.ToSQLite(ctx, server, back, nil); domain.KindOf(err) != domain.Conflict {
		t.Errorf("a second copy into the same file = %v, want Conflict", err)
	}
}

// seedQuotes stores two quotes of issuer's first customer: one open, one
// accepted and invoiced into a draft of its first invoice series.
func seedQuotes(t *testing.T, src *sqlite.Store, issuer string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	inv, err := src.FindInvoices(ctx, sales.InvoiceFilter{Issuer: issuer, Limit: 1})
	if err != nil || len(inv) == 0 {
		t.Fatalf("demo invoices: %v", err)
	}
	doc, err := src.FindInvoiceByID(ctx, inv[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	svc := &quotes.Service{Store: src, Clock: func() time.Time { return at }}
	for i := range 2 {
		q := quotes.Quote{Issuer: issuer, ValidUntil: at.AddDate(0, 0, 15), Doc: doc, Notes: "Precios en pesos"}
		q.Doc.ID, q.Doc.Folio, q.Doc.UUID, q.Doc.SealedXML = 0, 0, "", nil
		if err := svc.Save(ctx, &q); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			continue
		}
		if err := svc.Accept(ctx, q.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Facturar(ctx, q.ID, doc.Serie); err != nil {
			t.Fatal(err)
		}
	}
}
