package sqlite

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// postFixture is a store with series A (I) and NC (E), the sales setting for
// third parties on, the demo credit customer and two third parties.
type postFixture struct {
	s            *Store
	cust         sales.Customer
	xochilt, iia sales.ThirdParty
}

func newPostFixture(t *testing.T, settings sales.SalesSettings) *postFixture {
	t.Helper()
	ctx := context.Background()
	f := &postFixture{s: openSalesStore(t)}
	mustCreateSeries(t, f.s, "A", "I")
	mustCreateSeries(t, f.s, "NC", "E")
	f.cust = mustCreateCustomer(t, f.s, sales.DemoCustomers()[1])
	if err := f.s.SetSalesSettings(ctx, testIssuer, settings); err != nil {
		t.Fatal(err)
	}
	f.xochilt = newThirdParty(t, f.s, testIssuer, "CACX7605101P8", "XOCHILT CASAS CHAVEZ", "612", "36257")
	f.iia = newThirdParty(t, f.s, testIssuer, "IIA040805DZ4", "INDISTRIA ILUMINADORA DE ALMACENES", "601", "62661")
	return f
}

func newThirdParty(t *testing.T, s *Store, issuer, rfc, name, regimen, cp string) sales.ThirdParty {
	t.Helper()
	tp := sales.ThirdParty{Issuer: issuer, RFC: rfc, Name: name, RegimenFiscal: regimen, CodigoPostal: cp, Active: true,
		CreatedAt: salesClock, UpdatedAt: salesClock}
	if err := s.CreateThirdParty(context.Background(), &tp); err != nil {
		t.Fatalf("CreateThirdParty(%s): %v", rfc, err)
	}
	return tp
}

// mixedDraft is a credit invoice with own concepts (a service with IVA 16
// and both withholdings, a mouse at 16 %) and concepts on behalf of
// xochilt (a laptop at 16 %) and iia (an exempt book).
func (f *postFixture) mixedDraft() sales.Invoice {
	lines := []sales.Line{productLine(2, "3"), productLine(1, "2"), productLine(0, "1"), productLine(4, "5")}
	lines[2].ThirdParty = f.xochilt.Ref()
	lines[3].ThirdParty = f.iia.Ref()
	return sales.Invoice{Issuer: testIssuer, TipoDeComprobante: "I", Serie: "A", CustomerID: f.cust.ID, Customer: f.cust,
		UsoCFDI: "G03", Terms: sales.Credito, FormaPago: "99", Moneda: "MXN", Lines: lines}
}

// TestThirdPartyInvoiceThroughThePostingPath: a document with own and
// third-party concepts posts through the real use case; each third-party
// concept carries ACuentaTerceros with the catalog's data at posting (not
// the draft's stale copy); SAT's tools accept the sealed XML; its
// structure matches the golden file; the parts of the split add up to the
// sealed total.
func TestThirdPartyInvoiceThroughThePostingPath(t *testing.T) {
	ctx := context.Background()
	f := newPostFixture(t, sales.SalesSettings{ThirdParties: true})
	draft := f.mixedDraft()
	draft.Lines[2].ThirdParty.Name = "NOMBRE VIEJO" // the draft's copy went stale
	d := mustSaveDraft(t, f.s, draft)

	inv, err := postDraft(t, f.s, d.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	x, err := cfdi.Parse(inv.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	want := []*cfdi.ACuentaTerceros{nil, nil,
		{RfcACuentaTerceros: "CACX7605101P8", NombreACuentaTerceros: "XOCHILT CASAS CHAVEZ", RegimenFiscalACuentaTerceros: "612", DomicilioFiscalACuentaTerceros: "36257"},
		{RfcACuentaTerceros: "IIA040805DZ4", NombreACuentaTerceros: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscalACuentaTerceros: "601", DomicilioFiscalACuentaTerceros: "62661"}}
	for i, k := range x.Conceptos {
		if (k.ACuentaTerceros == nil) != (want[i] == nil) || k.ACuentaTerceros != nil && *k.ACuentaTerceros != *want[i] {
			t.Errorf("concepto %d ACuentaTerceros = %+v, want %+v", i, k.ACuentaTerceros, want[i])
		}
	}
	if x.Receptor.Rfc != f.cust.RFC {
		t.Errorf("receptor %s, want the invoiced customer %s", x.Receptor.Rfc, f.cust.RFC)
	}
	// The stored line keeps the snapshot the XML carries.
	got, err := f.s.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Lines[2].ThirdParty; r == nil || r.Name != "XOCHILT CASAS CHAVEZ" || r.ID != f.xochilt.ID {
		t.Errorf("stored snapshot = %+v", r)
	}
	own, third, err := got.Split(2)
	if err != nil {
		t.Fatal(err)
	}
	if s := own.Total.Add(third.Total).StringFixed(2); s != x.Total {
		t.Errorf("own %s + third %s = %s, sealed Total %s", own.Total, third.Total, s, x.Total)
	}
	if !third.Retenciones.IsZero() || !own.Retenciones.IsPositive() {
		t.Errorf("withholdings: own %s third %s", own.Retenciones, third.Retenciones)
	}
	verifySealed(t, inv)
	checkGolden(t, "acuentaterceros.golden.xml", structureOf(inv.SealedXML))
}

// structureOf is a sealed XML without what changes with the key and
// certificate (Sello, Certificado, NoCertificado).
func structureOf(xml []byte) []byte {
	re := regexp.MustCompile(` (Sello|Certificado|NoCertificado)="[^"]*"`)
	return re.ReplaceAll(xml, nil)
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(failed, got, 0o644)
		t.Errorf("XML differs from %s; the new one is in %s (diff them; -update accepts it)", path, failed)
	}
}

// TestCollectFromReceivable: an invoice issued to one customer with
// another as "Cuenta x cobrar a" is a receivable of the second in the
// balance, the aging, the statement and the payment form, while its CFDI
// receptor (and so its payment receipt's) is the first.
func TestCollectFromReceivable(t *testing.T) {
	ctx := context.Background()
	f := newPostFixture(t, sales.SalesSettings{ThirdParties: true})
	mustCreateSeries(t, f.s, "P", "P")
	payer := sales.DemoCustomers()[1]
	payer.RFC, payer.Name = "IIA040805DZ4", "INDISTRIA ILUMINADORA DE ALMACENES"
	payer = mustCreateCustomer(t, f.s, payer)

	draft := f.mixedDraft()
	draft.Details = &sales.SaleDetails{CollectFromID: payer.ID}
	inv, err := postDraft(t, f.s, mustSaveDraft(t, f.s, draft).ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	stampNote(t, f.s, inv, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000C1")
	// The payer also has an invoice of their own.
	ownInv := creditInvoice(t, f.s, payer, "MXN", "", "6A1B2C3D-4E5F-4A6B-8C7D-0000000000C2", productLine(1, "1"))

	svc := &receivables.Service{Store: f.s}
	asOf := salesClock.Add(time.Hour)
	for _, c := range []struct {
		name     string
		id       int64
		invoices int
		open     string
	}{{"payer", payer.ID, 2, inv.Total.Add(ownInv.Total).StringFixed(2)}, {"invoiced", f.cust.ID, 0, "0.00"}} {
		b, err := svc.Balance(ctx, testIssuer, c.id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if b.Open.StringFixed(2) != c.open {
			t.Errorf("%s balance open %s, want %s", c.name, b.Open.StringFixed(2), c.open)
		}
		st, err := svc.Statement(ctx, testIssuer, c.id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Movements) != c.invoices {
			t.Errorf("%s statement has %d movements, want %d", c.name, len(st.Movements), c.invoices)
		}
		rs, err := f.s.Receivables(ctx, testIssuer, c.id)
		if err != nil || len(rs) != c.invoices {
			t.Errorf("%s Receivables = %d, %v; want %d", c.name, len(rs), err, c.invoices)
		}
		pay, err := f.s.PayableInvoices(ctx, testIssuer, c.id)
		if err != nil || len(pay) != c.invoices {
			t.Errorf("%s PayableInvoices = %d, %v; want %d", c.name, len(pay), err, c.invoices)
		}
	}
	a, err := svc.Aging(ctx, testIssuer, asOf)
	if err != nil || len(a.Customers) != 1 || a.Customers[0].CustomerID != payer.ID || a.Customers[0].Invoices != 2 {
		t.Errorf("aging = %+v, %v; want the payer with 2 invoices", a.Customers, err)
	}

	// The payment form of the payer: one receipt cannot mix receptors…
	open, err := f.s.PayableInvoices(ctx, testIssuer, payer.ID)
	if err != nil {
		t.Fatal(err)
	}
	mixed := sales.PaymentInput{FechaPago: salesClock, FormaDePagoP: "03", Monto: dec("200"),
		Apply: []sales.Application{{InvoiceID: inv.ID, ImpPagado: dec("100")}, {InvoiceID: ownInv.ID, ImpPagado: dec("100")}}}
	if _, err := sales.BuildPayment("P", mixed, open, testCatalogs(t)); !strings.Contains(domain.UserMessage(err), "registre un pago aparte") {
		t.Errorf("mixed receptors = %v", err)
	}
	// …and the receipt of the collected invoice is issued to its receptor.
	rcpt, err := postPayment(t, f.s, payer.ID, sales.PaymentInput{FormaDePagoP: "03", Monto: dec("1000.00"),
		Apply: []sales.Application{{InvoiceID: inv.ID, ImpPagado: dec("1000.00")}}}, asOf)
	if err != nil {
		t.Fatalf("payment: %v", err)
	}
	x, err := cfdi.Parse(rcpt.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	if x.Receptor.Rfc != f.cust.RFC || rcpt.CustomerID != f.cust.ID {
		t.Errorf("receipt receptor %s (customer %d), want the invoice's receptor %s", x.Receptor.Rfc, rcpt.CustomerID, f.cust.RFC)
	}
	verifySealed(t, rcpt)
	b, err := svc.Balance(ctx, testIssuer, payer.ID, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if want := inv.Total.Add(ownInv.Total).Sub(dec("1000")).StringFixed(2); b.Open.StringFixed(2) != want {
		t.Errorf("payer owes %s after the payment, want %s", b.Open.StringFixed(2), want)
	}
}

// TestThirdPartyFolios: documents with third-party concepts are numbered
// like any other: the proposal is the number after the last posted one,
// a voided number is never proposed again, an override needs a valid
// administrator's password.
func TestThirdPartyFolios(t *testing.T) {
	ctx := context.Background()
	f := newPostFixture(t, sales.SalesSettings{ThirdParties: true})
	const admin = "clave-de-administrador"
	if err := companiesOf(f.s).SetAdminPassword(ctx, "", admin); err != nil {
		t.Fatal(err)
	}
	post := func(o sales.PostOptions) (sales.Invoice, error) {
		d := mustSaveDraft(t, f.s, f.mixedDraft())
		return postDraft(t, f.s, d.ID, o, salesClock)
	}
	folio := func(n int64) *int64 { return &n }
	if inv, err := post(sales.PostOptions{}); err != nil || inv.Folio != 1 || nextFolio(t, f.s, "A") != 2 {
		t.Fatalf("first post: folio %d, %v; proposal %d", inv.Folio, err, nextFolio(t, f.s, "A"))
	}
	// Number 2 is voided: the proposal skips it.
	if err := f.s.VoidFolio(ctx, testIssuer, "A", 2, "Hoja dañada"); err != nil {
		t.Fatal(err)
	}
	if n := nextFolio(t, f.s, "A"); n != 3 {
		t.Fatalf("proposal after voiding 2 = %d, want 3", n)
	}
	if inv, err := post(sales.PostOptions{}); err != nil || inv.Folio != 3 {
		t.Fatalf("post after the void: folio %d, %v", inv.Folio, err)
	}
	// Overrides: refused without or with a wrong password, nothing taken.
	for _, pw := range []string{"", "otra-clave"} {
		if _, err := post(sales.PostOptions{OverrideFolio: folio(10), AdminPassword: pw}); domain.KindOf(err) != domain.Invalid {
			t.Errorf("override with password %q = %v, want Invalid", pw, err)
		}
	}
	if n := nextFolio(t, f.s, "A"); n != 4 {
		t.Fatalf("proposal after refused overrides = %d, want 4", n)
	}
	// A voided number cannot be taken even by an administrator.
	if _, err := post(sales.PostOptions{OverrideFolio: folio(2), AdminPassword: admin}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("override onto voided 2 = %v, want Conflict", err)
	}
	if inv, err := post(sales.PostOptions{OverrideFolio: folio(10), AdminPassword: admin}); err != nil || inv.Folio != 10 {
		t.Fatalf("override to 10: folio %d, %v", inv.Folio, err)
	}
	if n := nextFolio(t, f.s, "A"); n != 11 {
		t.Errorf("proposal after the override = %d, want 11 (4–9 voided)", n)
	}
	if n, err := f.s.CountVoidedFolios(ctx, testIssuer, "A"); err != nil || n != 7 {
		t.Errorf("voided = %d, %v; want 7 (2 and 4–9)", n, err)
	}
}

// TestConcurrentPostingFolios: 16 posts racing into one series on a real
// file database take 16 distinct, contiguous folios.
func TestConcurrentPostingFolios(t *testing.T) {
	f := newPostFixture(t, sales.SalesSettings{ThirdParties: true})
	const n = 16
	ids := make([]int64, n)
	for i := range ids {
		d := f.mixedDraft() // cash sales: the credit limit is not what this tests
		d.Terms, d.FormaPago = sales.Contado, "03"
		ids[i] = mustSaveDraft(t, f.s, d).ID
	}
	folios := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			inv, err := postDraft(t, f.s, ids[i], sales.PostOptions{}, salesClock)
			folios[i], errs[i] = inv.Folio, err
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	slices.Sort(folios)
	for i, f := range folios {
		if f != int64(i+1) {
			t.Fatalf("folios %v; want 1…%d each once", folios, n)
		}
	}
	if got := nextFolio(t, f.s, "A"); got != n+1 {
		t.Errorf("next folio %d, want %d", got, n+1)
	}
}

// TestThirdPartyCreditNote: a return of an invoice with third-party
// concepts keeps each credited concept's third party (the Egreso's
// concepts carry ACuentaTerceros) even after the catalog changed, and SAT's
// tools accept it.
func TestThirdPartyCreditNote(t *testing.T) {
	ctx := context.Background()
	f := newPostFixture(t, sales.SalesSettings{ThirdParties: true})
	d := mustSaveDraft(t, f.s, f.mixedDraft())
	inv, err := postDraft(t, f.s, d.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	stampNote(t, f.s, inv, "6A1B2C3D-4E5F-4A6B-8C7D-0000000000D1")
	if inv, err = f.s.FindInvoiceByID(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	// The third party is deactivated after the invoice: the note still posts.
	if err := f.s.SetThirdPartyActive(ctx, f.xochilt.ID, false); err != nil {
		t.Fatal(err)
	}
	note, err := sales.BuildCreditNote(&inv, sales.Devolucion, "NC",
		[]sales.CreditLine{{Line: 0, Cantidad: dec("1")}, {Line: 2, Cantidad: dec("1")}, {Line: 3, Cantidad: dec("2")}}, sales.Credited{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveDraft(ctx, &note); err != nil {
		t.Fatal(err)
	}
	posted, err := postDraft(t, f.s, note.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post credit note: %v", err)
	}
	x, err := cfdi.Parse(posted.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range x.Conceptos {
		s := "propio"
		if k.ACuentaTerceros != nil {
			s = k.ACuentaTerceros.RfcACuentaTerceros
		}
		got = append(got, s)
	}
	if fmt.Sprint(got) != "[propio CACX7605101P8 IIA040805DZ4]" {
		t.Errorf("credit note concepts on behalf of %v", got)
	}
	verifySealed(t, posted)
}
