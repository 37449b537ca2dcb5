package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestPostEndToEnd: a draft saved through the service is posted (validate →
// folio → build → seal → store + stamp job, one transaction); the stored
// bytes pass SAT's XSD, XSLT and OpenSSL check and carry the totals the
// editor showed; when the queue records the stamp the invoice is "Emitida".
func TestPostEndToEnd(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	co := sales.DemoCompany()
	svc := &sales.Service{Invoices: s, Catalogs: cat, Clock: func() time.Time { return salesClock }}
	mustCreateSeries(t, s, "A", "I")
	cust := mustCreateCustomer(t, s, sales.DemoCustomers()[1]) // credit customer
	var lines []sales.Line
	for i, p := range sales.DemoProducts() {
		if err := s.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, sales.LineFromProduct(&p, dec("1.5")))
		lines[i].Descuento = dec("10")
	}

	// Given a credit draft with every kind of product.
	inv := sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: cust.ID, Customer: cust, UsoCFDI: "G01",
		Terms: sales.Credito, Moneda: "MXN", OrderRef: "OC-1", Lines: lines}
	shown, err := svc.SaveDraft(ctx, &inv)
	if err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	// A signer of another RFC is refused before anything is written.
	other, err := csd.LoadAt(testpack.Read(t, "csd", "CACX7605101P8.cer"), testpack.Read(t, "csd", "CACX7605101P8.key"), "12345678a", salesClock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Post(ctx, inv.ID, co, other, sales.PostOptions{}); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Post with another CSD = %v, want Invalid", err)
	}

	// When it is posted.
	posted, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatalf("Post: %v", err)
	}

	// Then the stored XML is the sealed one, valid for SAT, with the totals shown.
	got, err := s.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != sales.StatusSealed || got.Folio != 1 || string(got.SealedXML) != string(posted.SealedXML) {
		t.Fatalf("stored status %s folio %d", got.Status, got.Folio)
	}
	c, err := cfdi.Parse(got.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != shown.Total.StringFixed(2) || !got.Total.Equal(shown.Total) || c.MetodoPago != "PPD" || c.FormaPago != "99" || c.Folio != "1" {
		t.Errorf("sealed Total %s MetodoPago %s FormaPago %s Folio %s; editor showed %s", c.Total, c.MetodoPago, c.FormaPago, c.Folio, shown.Total)
	}
	file := filepath.Join(t.TempDir(), "posted.xml")
	if err := os.WriteFile(file, got.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Fatalf("verify-seal.sh: %s", verdict)
	}

	// The stamp job was queued in the same transaction…
	q := NewStampStore(s)
	jobs, err := q.Claim(ctx, salesClock.Add(time.Second), salesClock.Add(time.Minute), 10)
	if err != nil || len(jobs) != 1 || string(jobs[0].SealedXML) != string(got.SealedXML) {
		t.Fatalf("Claim = %d jobs, %v", len(jobs), err)
	}
	// …and its stamp moves the invoice to the Emitidas tab.
	const uuid = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	if err := q.MarkStamped(ctx, jobs[0].DocumentID, got.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, salesClock); err != nil {
		t.Fatal(err)
	}
	rows, err := s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: co.RFC, Status: sales.StatusStamped, Search: uuid})
	if err != nil || len(rows) != 1 || rows[0].UUID != uuid || rows[0].Folio != 1 {
		t.Errorf("Emitidas with UUID = %+v, %v", rows, err)
	}
}

// TestPostRefusesInvalidInvoice: validation runs inside the transaction
// with the stored data and the customer's current record.
func TestPostRefusesInvalidInvoice(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	svc := &sales.Service{Invoices: s, Catalogs: cat, Clock: func() time.Time { return salesClock }}
	mustCreateSeries(t, s, "A", "I")
	cust := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	p := sales.DemoProducts()[0]
	inv := sales.Invoice{Issuer: sales.DemoRFC, Serie: "A", CustomerID: cust.ID, Customer: cust, UsoCFDI: "G03",
		Terms: sales.Contado, FormaPago: "03", Lines: []sales.Line{sales.LineFromProduct(&p, dec("1"))}}
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	// Given the customer was deactivated after the draft was saved.
	if err := s.SetCustomerActive(ctx, cust.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Post(ctx, inv.ID, sales.DemoCompany(), signer, sales.PostOptions{})
	if fe := sales.FieldErrors(err); fe["CustomerID"] == "" {
		t.Fatalf("Post = %v, want a CustomerID problem", err)
	}
	list, _ := s.FindSeries(ctx, sales.DemoRFC)
	if list[0].NextFolio != 1 {
		t.Errorf("NextFolio = %d after a refused post, want 1", list[0].NextFolio)
	}
}
