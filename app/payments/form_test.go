package payments

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/uitest"
)

var now = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// TestFormCollectsCashSales: the form lists a customer's cash sale posted
// without an account ("cobro sin registrar") after their credit invoice,
// but not the one collected when posted; choosing both kinds at once is
// refused with the reason; a cash sale is collected whole and into an
// account; collecting it records the deposit linked to the invoice and
// issues no payment receipt, and it leaves the list.
func TestFormCollectsCashSales(t *testing.T) {
	_, q := uitest.NewApp(t)
	ctx := context.Background()
	store := sqlite.MustOpenTest(t)
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	co := sales.DemoCompany()
	for _, sr := range []sales.Series{{Serie: "A", TipoDeComprobante: sales.TipoIngreso}, {Serie: "P", TipoDeComprobante: sales.TipoPago}} {
		sr.Issuer, sr.NextFolio, sr.Active = co.RFC, 1, true
		if err := store.CreateSeries(ctx, &sr); err != nil {
			t.Fatal(err)
		}
	}
	c := sales.DemoCustomers()[1]
	c.Normalize()
	if err := store.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	caja := banks.Account{Issuer: co.RFC, Kind: banks.Caja, Name: "Caja", Moneda: "MXN", Active: true}
	if err := (&banks.Service{Store: store}).SaveAccount(ctx, &caja); err != nil {
		t.Fatal(err)
	}
	p := sales.DemoProducts()[0]
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, now)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	svc := &sales.Service{Invoices: store, Catalogs: cat, Clock: clock}
	post := func(terms sales.PaymentTerms, account int64, uuid string) sales.Invoice {
		t.Helper()
		inv := sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: c.UsoCFDI, Terms: terms,
			FormaPago: "01", Moneda: "MXN", DepositAccount: account, Lines: []sales.Line{sales.LineFromProduct(&p, decimal.NewFromInt(1))}}
		if terms == sales.Credito {
			inv.FormaPago = "99"
		}
		if _, err := svc.SaveDraft(ctx, &inv); err != nil {
			t.Fatal(err)
		}
		posted, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{})
		if err != nil {
			t.Fatal(err)
		}
		docID, _, _, _ := store.InvoiceDocument(ctx, posted.ID)
		if err := sqlite.NewStampStore(store).MarkStamped(ctx, docID, posted.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, now); err != nil {
			t.Fatal(err)
		}
		return posted
	}
	post(sales.Credito, 0, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000E1")
	post(sales.Contado, caja.ID, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000E2") // collected when posted
	cash := post(sales.Contado, 0, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000E3")

	var collected []banks.Movement
	closed := false
	f := NewForm(Deps{Store: store, Accounts: store, Uncollected: store, Collector: svc, Poster: svc, Rules: cat, Clock: clock,
		Signer:      func(context.Context) (cfdi.Signer, error) { return signer, nil },
		OnCollected: func(ms []banks.Movement) { collected = ms }}, co)
	f.OnClose = func() { closed = true }
	w := test.NewWindow(f)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 700))
	f.Load()
	q.RunUntil(t, "series and accounts", func() bool { return f.Serie() == "P" && f.Account() == "Caja" })
	f.SelectCustomer(c)
	q.RunUntil(t, "open invoices", func() bool { return f.OpenInvoices() == 2 })
	if f.open[1].Invoice.ID != cash.ID {
		t.Fatalf("second row is invoice %d, want the uncollected cash sale %d", f.open[1].Invoice.ID, cash.ID)
	}

	total := cash.Total.StringFixed(2)
	f.SetAmount(0, "100.00")
	f.SetAmount(1, total)
	if !strings.Contains(f.Problem(), "cobros separados") || f.postBtn.Disabled() == false {
		t.Errorf("credit and cash together: problem %q, button enabled %v", f.Problem(), !f.postBtn.Disabled())
	}
	f.SetAmount(0, "")
	f.SetAmount(1, "1.00")
	if !strings.Contains(f.Problem(), "se cobra completa") {
		t.Errorf("part of a cash sale: %q", f.Problem())
	}
	f.SetAmount(1, total)
	f.SetAccount("")
	if !strings.Contains(f.Problem(), "Elija la cuenta") {
		t.Errorf("cash sale into no account: %q", f.Problem())
	}
	f.SetAccount("Caja")
	if f.Problem() != "" || len(f.Collecting()) != 1 || f.Receipt().Payment != nil || f.postBtn.Text != "Registrar cobro" {
		t.Fatalf("collecting the cash sale: problem %q, collecting %v, receipt %v, button %q", f.Problem(), f.Collecting(), f.Receipt().Payment, f.postBtn.Text)
	}
	f.PostConfirmed()
	q.RunUntil(t, "collected", func() bool {
		return closed || (!f.Busy() && f.Problem() != "" && !strings.HasPrefix(f.Problem(), "Registrando"))
	})
	if len(collected) != 1 || collected[0].InvoiceID != cash.ID || !collected[0].Amount.Equal(cash.Total) || !closed {
		t.Fatalf("collected %+v, closed %v, problem %q", collected, closed, f.Problem())
	}
	if rows, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: co.RFC, Tipo: sales.TipoPago}); err != nil || len(rows) != 0 {
		t.Errorf("a cash sale's collection issued receipts %+v, %v", rows, err)
	}
	if left, err := store.UncollectedInvoices(ctx, co.RFC, c.ID); err != nil || len(left) != 0 {
		t.Errorf("still uncollected: %+v, %v", left, err)
	}
}
