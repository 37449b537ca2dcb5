package wire

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestQuoteMailAndInvoice: a quote of the demo company is drawn as a PDF
// that reads back (pdftotext) as COTIZACIÓN with its customer and totals;
// "Enviar por correo" queues that PDF in the outbox for the customer's
// addresses and marks the quote enviada; a vencida quote is refused before
// anything is queued; once accepted, FacturarQuote makes the invoice draft
// in the first invoicing series with the quote's lines.
func TestQuoteMailAndInvoice(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co, err := SeedDemo(ctx, store, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	tot := &sales.Service{Invoices: store, Catalogs: rules}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, domain.MexicoCity)
	svc := &quotes.Service{Store: store, Clock: func() time.Time { return now }, Totals: tot}
	custs, err := store.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429TM6"})
	if err != nil || len(custs) == 0 {
		t.Fatalf("demo customer: %v %v", custs, err)
	}
	prods, err := store.FindProducts(ctx, sales.ProductFilter{Query: "LAP-14"})
	if err != nil || len(prods) == 0 {
		t.Fatalf("demo product: %v %v", prods, err)
	}
	doc := sales.Invoice{CustomerID: custs[0].ID, Customer: custs[0], Moneda: "MXN", Terms: sales.Credito, UsoCFDI: "G01", FormaPago: "99",
		Lines: []sales.Line{sales.LineFromProduct(&prods[0], decimal.NewFromInt(2))}}
	q := quotes.Quote{Issuer: co.RFC, ValidUntil: quotes.DefaultValidUntil(now), Doc: doc}
	if err := svc.Save(ctx, &q); err != nil {
		t.Fatal(err)
	}

	f, err := QuotePDF(ctx, store, tot, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := tax.FormatMXN(f.Totals.Total)
	if total != "$37,117.68" {
		t.Errorf("quote total %s, want 2 × 15,999.00 + IVA = $37,117.68", total)
	}
	text := pdfText(t, f.PDF)
	for _, want := range []string{"COTIZACIÓN 1", "UNIVERSIDAD ROBOTICA ESPAÑOLA", "URE180429TM6", "Vigente hasta 22/12/2026",
		"Computadora portátil 14 pulgadas", tax.FormatMXN(f.Totals.SubTotal), total} {
		if !strings.Contains(text, want) {
			t.Errorf("the quote's PDF lacks %q:\n%s", want, text)
		}
	}

	mails := sqlite.NewMailStore(store)
	outbox := delivery.NewOutbox(mails, mails, nil, func() time.Time { return now }, delivery.Options{})
	id, to, err := MailQuote(ctx, store, outbox, svc, tot, q.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(to, ",") != "compras@example.com,pagos@example.com" {
		t.Errorf("sent to %v, want the customer's addresses", to)
	}
	att, err := mails.Attachments(ctx, id)
	if err != nil || len(att) != 1 || att[0].Name != "cotizacion-1_URE180429TM6.pdf" || !bytes.HasPrefix(att[0].Data, []byte("%PDF")) {
		t.Fatalf("queued attachments %v: %v", att, err)
	}
	if d, err := mails.Delivery(ctx, id); err != nil || !strings.Contains(d.Subject, "Cotización 1") || d.State != delivery.StateQueued {
		t.Errorf("queued delivery %+v: %v", d, err)
	}
	if back, _ := store.FindQuote(ctx, q.ID); back.Status != quotes.Sent {
		t.Errorf("quote after the e-mail: %s, want enviada", back.Status)
	}

	// A quote past its validity is not sent: nothing is queued.
	old := quotes.Quote{Issuer: co.RFC, ValidUntil: quotes.Day(now), Doc: doc}
	if err := svc.Save(ctx, &old); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 2)
	if _, _, err := MailQuote(ctx, store, outbox, svc, tot, old.ID, []string{"otro@example.com"}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("e-mailing a vencida quote: %v", err)
	}
	if d, err := mails.Delivery(ctx, id+1); err == nil {
		t.Errorf("a vencida quote was queued: %+v", d)
	}

	if _, err := FacturarQuote(ctx, store, svc, q.ID); domain.KindOf(err) != domain.Invalid {
		t.Errorf("invoicing a quote not accepted: %v", err)
	}
	if err := svc.Accept(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	inv, err := FacturarQuote(ctx, store, svc, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Serie == "" || got.State != sales.StateDraft || len(got.Lines) != 1 || !got.Lines[0].Cantidad.Equal(decimal.NewFromInt(2)) {
		t.Errorf("invoice draft from the quote: serie %q state %s lines %+v", got.Serie, got.State, got.Lines)
	}
	if !got.Total.Equal(f.Totals.Total) {
		t.Errorf("draft's stored total (the invoice list's) %s, want the quote's %s", got.Total, f.Totals.Total)
	}
	if gt, err := tot.Totals(&got); err != nil || !gt.Total.Equal(f.Totals.Total) {
		t.Errorf("draft total %s, want the quote's %s (%v)", gt.Total, f.Totals.Total, err)
	}
}

// pdfText is the text of pdf as pdftotext reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	testpack.RequireTools(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
