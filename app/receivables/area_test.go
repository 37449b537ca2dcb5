package receivables

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/payments"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/listing"
	recv "github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/uitest"
)

// now is the fixed "now" of these tests (12:00 in Mexico City).
var now = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// TestCobranzaPaymentThroughTheForm: a stamped credit invoice shows in the
// aging; "Registrar cobro…" opens the form on the selected customer, a
// partial payment shows installment 1 and what stays owed, posts a CFDI
// Pago that SAT's tools accept, and the aging then shows the rest.
func TestCobranzaPaymentThroughTheForm(t *testing.T) {
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
	c := sales.DemoCustomers()[1] // 30 days of credit
	c.Normalize()
	if err := store.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	p := sales.DemoProducts()[0]
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, now)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	svc := &sales.Service{Invoices: store, Catalogs: cat, Clock: clock}
	inv := sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: c.UsoCFDI, Terms: sales.Credito,
		FormaPago: "99", Moneda: "MXN", Lines: []sales.Line{sales.LineFromProduct(&p, decimal.NewFromInt(1))}}
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	posted, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docID, _, _, _ := store.InvoiceDocument(ctx, posted.ID)
	if err := sqlite.NewStampStore(store).MarkStamped(ctx, docID, posted.SealedXML, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000C1",
		stamping.Outcome{Class: stamping.Stamped}, now); err != nil {
		t.Fatal(err)
	}
	total := posted.Total

	// The company's accounts: the form offers the active ones, the first in
	// the payment's currency by default.
	accts := &banks.Service{Store: store}
	for _, a := range []banks.Account{
		{Issuer: co.RFC, Kind: banks.Banco, Name: "Dólares", Bank: "BBVA", Moneda: "USD", Active: true},
		{Issuer: co.RFC, Kind: banks.Caja, Name: "Caja", Moneda: "MXN", Active: true},
		{Issuer: co.RFC, Kind: banks.Caja, Name: "Caja cerrada", Moneda: "MXN"},
	} {
		if err := accts.SaveAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}

	var receipt sales.Invoice
	area := NewArea(AreaDeps{Source: &recv.Service{Store: store}, Clock: clock,
		Payments: payments.Deps{Store: store, Accounts: store, Poster: svc, Rules: cat, Clock: clock,
			Signer:   func(context.Context) (cfdi.Signer, error) { return signer, nil },
			OnPosted: func(r sales.Invoice) { receipt = r }}}, co)
	w := test.NewWindow(area)
	defer w.Close()
	w.Resize(fyne.NewSize(1200, 800))
	s := area.Screen()
	s.Reload()
	q.RunUntil(t, "aging loaded", func() bool { return len(s.aging.Customers) == 1 })
	if got, want := s.cellText(cellID(0, 1)), "$"+money(total); got != want {
		t.Errorf("al corriente %q, want %q", got, want)
	}
	// The aging exports as shown: the customer, an empty cell where the
	// screen leaves a bucket blank, amounts as numbers.
	e, ok := area.Export()
	if !ok || len(e.Columns) != int(recv.NumBuckets)+2 || e.Columns[1].Kind != listing.Money {
		t.Fatalf("aging export %q %+v", e.Title, e.Columns)
	}
	var rows []listing.Row
	if err := e.Rows(ctx, func(r listing.Row) error { rows = append(rows, r); return listing.Check(e.Columns, r) }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !rows[0][1].(decimal.Decimal).Equal(total) || rows[0][2] != nil || !rows[0][len(rows[0])-1].(decimal.Decimal).Equal(total) {
		t.Errorf("aging exported %v, want %s current and in total", rows, total)
	}
	s.table.Select(cellID(0, 0))
	q.RunUntil(t, "movements", func() bool { return len(s.moves) == 1 })
	area.ShowPayment()
	if _, ok := area.Export(); ok {
		t.Error("the payment form exports the aging it hides")
	}
	area.ShowAging()

	area.ShowPayment()
	f := area.Form()
	q.RunUntil(t, "form loaded", func() bool { return f.OpenInvoices() == 1 && f.Serie() == "P" && f.Account() == "Caja" })
	if f.SetAccount("Caja cerrada") {
		t.Error("the form offers an inactive account")
	}
	f.SetMonto("500.00")
	// A dollar account refuses a payment in pesos: the domain's verdict.
	f.SetAccount("Dólares")
	if got, want := f.Problem(), "La cuenta Dólares es en USD: solo recibe pagos en USD."; got != want {
		t.Errorf("problem with the USD account = %q, want %q", got, want)
	}
	f.SetAccount("Caja")
	if f.Problem() != "" {
		t.Fatalf("form refuses a 500.00 payment: %q", f.Problem())
	}
	r := f.Receipt()
	d := r.Payment.Docs[0]
	if d.NumParcialidad != 1 || !d.ImpSaldoAnt.Equal(total) || !d.ImpSaldoInsoluto.Equal(total.Sub(decimal.NewFromInt(500))) {
		t.Errorf("paid document %+v", d)
	}
	f.PostConfirmed()
	q.RunUntil(t, "receipt posted", func() bool {
		return receipt.ID != 0 || (!f.Busy() && f.Problem() != "" && !strings.HasPrefix(f.Problem(), "Emitiendo"))
	})
	if receipt.ID == 0 {
		t.Fatalf("not posted: %q", f.Problem())
	}
	x, err := cfdi.Parse(receipt.SealedXML)
	if err != nil || x.TipoDeComprobante != "P" || x.Complemento == nil || x.Complemento.Pagos == nil {
		t.Fatalf("sealed receipt: %v", err)
	}
	file := filepath.Join(t.TempDir(), "pago.xml")
	if err := os.WriteFile(file, receipt.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Fatalf("verify-seal.sh: %s", verdict)
	}
	if area.Form() != nil {
		t.Error("the form stayed open after posting")
	}
	if receipt.Payment.AccountID == 0 {
		t.Error("the receipt names no account")
	}
	if list, _ := store.FindAccounts(ctx, co.RFC); len(list) == 3 {
		b, err := store.AccountBalance(ctx, banks.MovementFilter{AccountID: list[0].ID}) // "Caja", by name
		if err != nil || !b.Equal(decimal.NewFromInt(500)) {
			t.Errorf("balance of Caja after the receipt = %s, %v, want 500", b, err)
		}
	}
	left := total.Sub(decimal.NewFromInt(500))
	q.RunUntil(t, "aging after the payment", func() bool {
		return len(s.aging.Customers) == 1 && s.aging.Customers[0].MXN.Total().Equal(left)
	})
}

func cellID(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

func money(d decimal.Decimal) string {
	s := d.StringFixed(2)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}
