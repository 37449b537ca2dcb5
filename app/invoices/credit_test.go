package invoices

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/testpack"
)

// manualUUID is the UUID the tests give the stamped invoice.
const manualUUID = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"

// creditFixture is the editor fixture with the users' manual's invoice
// posted and stamped — 100 PZA of TOR-01 at 11.50 and 200 KG of CEM-01 at
// 10.00, IVA 16 %, total 3,654.00 — and a series NC for credit notes.
type creditFixture struct {
	*editorFixture
	inv  sales.Invoice
	deps CreditDeps
}

func newCreditFixture(t *testing.T) *creditFixture {
	t.Helper()
	f := &creditFixture{editorFixture: newEditorFixture(t)}
	ctx := context.Background()
	nc := sales.Series{Issuer: f.co.RFC, Serie: "NC", TipoDeComprobante: sales.TipoEgreso, NextFolio: 1, Active: true}
	if err := f.store.CreateSeries(ctx, &nc); err != nil {
		t.Fatal(err)
	}
	custs, err := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429TM6"})
	if err != nil || len(custs) != 1 {
		t.Fatalf("customer: %v %v", custs, err)
	}
	prods := map[string]sales.Product{}
	for _, code := range []string{"TOR-01", "CEM-01"} {
		ps, err := f.store.FindProducts(ctx, sales.ProductFilter{Query: code})
		if err != nil || len(ps) == 0 {
			t.Fatalf("product %s: %v", code, err)
		}
		prods[code] = ps[0]
	}
	c := custs[0]
	inv := sales.Invoice{Issuer: f.co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: "G01", Terms: sales.Contado,
		FormaPago: "03", Moneda: "MXN", Lines: []sales.Line{
			sales.LineFromProduct(ptr(prods["TOR-01"]), dec("100")), sales.LineFromProduct(ptr(prods["CEM-01"]), dec("200"))}}
	svc := f.editorFixture.deps.Invoices.(*sales.Service)
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	signer, _ := f.editorFixture.deps.Signer(ctx)
	posted, err := svc.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if posted.Total.StringFixed(2) != "3654.00" {
		t.Fatalf("manual invoice total %s, want 3654.00", posted.Total.StringFixed(2))
	}
	docID, _, _, err := f.store.InvoiceDocument(ctx, posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.NewStampStore(f.store).MarkStamped(ctx, docID, posted.SealedXML, manualUUID,
		stamping.Outcome{Class: stamping.Stamped}, editorNow); err != nil {
		t.Fatal(err)
	}
	if f.inv, err = f.store.FindInvoiceByID(ctx, posted.ID); err != nil {
		t.Fatal(err)
	}
	f.deps = CreditDeps{Loader: f.store, Credits: f.store, Series: f.store, Notes: svc, Rules: testCatalogs(t),
		Signer: f.editorFixture.deps.Signer, Clock: f.editorFixture.deps.Clock}
	return f
}

func ptr[T any](v T) *T { return &v }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// open shows the form of kind on the manual invoice in a 1100×800 window.
func (f *creditFixture) open(t *testing.T, kind sales.CreditKind) (*CreditForm, fyne.Window) {
	t.Helper()
	in, err := LoadCredit(context.Background(), f.deps, f.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := NewCreditForm(f.deps, f.co, kind, in)
	w := test.NewWindow(form)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 800))
	return form, w
}

// cells returns the grid's rows as drawn, in order.
func cells(form *CreditForm) []*creditLineView { return cellsIn(form.lines) }

// cellsIn returns the grid's rows drawn under root, in order.
func cellsIn(root fyne.CanvasObject) []*creditLineView {
	var out []*creditLineView
	for _, o := range test.LaidOutObjects(root) {
		if c, ok := o.(*creditCell); ok && c.Visible() && c.view.index >= 0 {
			out = append(out, c.view)
		}
	}
	for i := 0; i < len(out); i++ { // in list order
		for j := i + 1; j < len(out); j++ {
			if out[j].index < out[i].index {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// post issues the form's note and returns it as stored, with its sealed XML.
func (f *creditFixture) post(t *testing.T, form *CreditForm) (sales.Invoice, *cfdi.Comprobante) {
	t.Helper()
	var got sales.Invoice
	form.deps.OnPosted = func(n sales.Invoice) { got = n }
	form.doPost()
	f.q.RunUntil(t, "note posted", func() bool { return !form.busy })
	if got.ID == 0 {
		t.Fatalf("not posted: %q", form.Problem())
	}
	x, err := cfdi.Parse(got.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "nc.xml")
	if err := os.WriteFile(file, got.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Fatalf("verify-seal.sh: %s", verdict)
	}
	return got, x
}

// TestCreditFormReturnOfPartOfALine: the users' manual's return — line A
// deleted, 100 of the 200 KG of B returned — shows Importe 1,000.00, IVA
// 160.00 and Total 1,160.00 on screen, and the sealed Egreso says the same.
func TestCreditFormReturnOfPartOfALine(t *testing.T) {
	f := newCreditFixture(t)
	form, _ := f.open(t, sales.Devolucion)
	if got := form.totalsView.total.Text; got != "$3,654.00 MXN" {
		t.Fatalf("form opened with total %q, want the whole invoice $3,654.00 MXN", got)
	}
	form.Remove(0) // product A
	rows := cells(form)
	if len(rows) != 1 || rows[0].code.Text != "CEM-01" {
		t.Fatalf("rows after removing A: %d", len(rows))
	}
	rows[0].value.SetText("100") // as typed: OnChanged recomputes
	rows = cells(form)
	if got := rows[0].importe.Text; got != "$1,000.00" {
		t.Errorf("line importe %q, want $1,000.00", got)
	}
	if got := rows[0].taxes.Text; got != "IVA 16%: $160.00" {
		t.Errorf("line taxes %q, want IVA 16%%: $160.00", got)
	}
	if got := form.totalsView.total.Text; got != "$1,160.00 MXN" {
		t.Errorf("total %q, want $1,160.00 MXN", got)
	}
	if got := form.totalsView.iva.Text; got != "$160.00" {
		t.Errorf("IVA %q, want $160.00", got)
	}
	note, x := f.post(t, form)
	if x.TipoDeComprobante != "E" || x.Total != "1160.00" || x.SubTotal != "1000.00" || len(x.Conceptos) != 1 ||
		x.Conceptos[0].Impuestos.Traslados[0].Importe != "160.00" || x.CfdiRelacionados[0].TipoRelacion != "03" ||
		x.CfdiRelacionados[0].CfdiRelacionado[0].UUID != manualUUID || x.FormaPago != "03" {
		t.Errorf("sealed note: tipo %s subtotal %s total %s forma %s relacionados %+v", x.TipoDeComprobante, x.SubTotal, x.Total, x.FormaPago, x.CfdiRelacionados)
	}
	if note.FolioText() != "NC-1" || note.CreditKind != sales.Devolucion {
		t.Errorf("note %s kind %s", note.FolioText(), note.CreditKind)
	}
	// What the note took is what the next form offers.
	done, err := f.store.Credited(context.Background(), f.inv.ID)
	if err != nil || !done.Returned[1].Equal(dec("100")) {
		t.Fatalf("credited after the note: %+v, %v", done, err)
	}
	again, _ := f.open(t, sales.Devolucion)
	if got := again.totalsView.total.Text; got != "$2,494.00 MXN" { // 3,654.00 − 1,160.00
		t.Errorf("second return opens with %q, want what is left $2,494.00 MXN", got)
	}
}

// TestCreditFormRebate: a rebate of 1.00 per KG on B only shows Importe
// 200.00, IVA 32.00, Total 232.00 and issues that Egreso with relation 01.
func TestCreditFormRebate(t *testing.T) {
	f := newCreditFixture(t)
	form, _ := f.open(t, sales.Rebaja)
	form.Remove(0)
	rows := cells(form)
	rows[0].value.SetText("1.00")
	rows = cells(form)
	if rows[0].importe.Text != "$200.00" || rows[0].taxes.Text != "IVA 16%: $32.00" || form.totalsView.total.Text != "$232.00 MXN" {
		t.Errorf("rebate: importe %q taxes %q total %q", rows[0].importe.Text, rows[0].taxes.Text, form.totalsView.total.Text)
	}
	_, x := f.post(t, form)
	if x.Total != "232.00" || x.CfdiRelacionados[0].TipoRelacion != "01" || x.Conceptos[0].Cantidad != "200" {
		t.Errorf("sealed rebate: total %s relacion %s cantidad %s", x.Total, x.CfdiRelacionados[0].TipoRelacion, x.Conceptos[0].Cantidad)
	}
}

// TestCreditFormUnchangedIsTheWholeInvoice: the form left as it opens
// credits the whole invoice, 3,654.00, and the sealed total says so.
func TestCreditFormUnchangedIsTheWholeInvoice(t *testing.T) {
	f := newCreditFixture(t)
	form, _ := f.open(t, sales.Devolucion)
	_, x := f.post(t, form)
	if x.Total != "3654.00" || len(x.Conceptos) != 2 {
		t.Errorf("whole return: total %s with %d concepts", x.Total, len(x.Conceptos))
	}
	// Nothing is left to return: the invoice cannot be cancelled while the note lives.
	in, err := LoadCredit(context.Background(), f.deps, f.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sales.WholeCredit(&in.Invoice, sales.Devolucion, in.Done)) != 0 {
		t.Errorf("a fully returned invoice still offers lines")
	}
}

// TestCreditFormRefusesOverReturn: a quantity above what is left is
// reported on its line with the figures, the note cannot be issued, and
// nothing typed is lost.
func TestCreditFormRefusesOverReturn(t *testing.T) {
	f := newCreditFixture(t)
	form, _ := f.open(t, sales.Devolucion)
	rows := cells(form)
	rows[1].value.SetText("250")
	rows = cells(form)
	want := "No se pueden devolver más de 200: se facturaron 200 y ya se devolvieron 0."
	if !rows[1].problem.Visible() || rows[1].problem.Text != want {
		t.Errorf("line problem %q (visible %v), want %q", rows[1].problem.Text, rows[1].problem.Visible(), want)
	}
	if !form.postBtn.Disabled() || form.Problem() == "" {
		t.Errorf("post enabled (%v) with problem %q", !form.postBtn.Disabled(), form.Problem())
	}
	if rows[1].value.Text != "250" {
		t.Errorf("typed value lost: %q", rows[1].value.Text)
	}
	// The line's own amount is gone, the other line still counts.
	if form.totalsView.total.Text != "$1,334.00 MXN" { // 100 × 11.50 × 1.16
		t.Errorf("total with the refused line left out %q, want $1,334.00 MXN", form.totalsView.total.Text)
	}
	rows[1].value.SetText("abc")
	if rows = cells(form); !strings.Contains(rows[1].problem.Text, "número") {
		t.Errorf("letters: problem %q", rows[1].problem.Text)
	}
}

// TestCreditFormTaxesInProportion: a line with IEPS, IVA and both
// withholdings and a discount shows each tax taken away as tasa:importe,
// equal to what the sealed Egreso carries.
func TestCreditFormTaxesInProportion(t *testing.T) {
	f := newCreditFixture(t)
	ctx := context.Background()
	inv := f.inv
	inv.ID, inv.Folio, inv.UUID, inv.SealedXML, inv.State, inv.Status = 0, 0, "", nil, sales.StateDraft, sales.StatusDraft
	inv.Lines = inv.Lines[:1]
	inv.Lines[0].Descuento = dec("115.00") // 10 %
	inv.Lines[0].Taxes = sales.Taxes{IVATasa: dec("0.16"), IEPSFactor: sales.FactorTasa, IEPSValor: dec("0.08"),
		RetIVA: dec("0.106667"), RetISR: dec("0.10")}
	svc := f.deps.Notes.(*sales.Service)
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	signer, _ := f.deps.Signer(ctx)
	posted, err := svc.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docID, _, _, _ := f.store.InvoiceDocument(ctx, posted.ID)
	const uuid = "6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
	if err := sqlite.NewStampStore(f.store).MarkStamped(ctx, docID, posted.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, editorNow); err != nil {
		t.Fatal(err)
	}
	in, err := LoadCredit(ctx, f.deps, posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := NewCreditForm(f.deps, f.co, sales.Devolucion, in)
	w := test.NewWindow(form)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 800))
	rows := cells(form)
	rows[0].value.SetText("40") // 40 of 100
	rows = cells(form)
	_, x := f.post(t, form)
	c := x.Conceptos[0]
	if c.Descuento != "46.00" { // 115.00 × 40 / 100
		t.Errorf("discount in proportion %s, want 46.00", c.Descuento)
	}
	var want []string
	for _, tr := range c.Impuestos.Traslados {
		want = append(want, tr.Importe)
	}
	for _, r := range c.Impuestos.Retenciones {
		want = append(want, r.Importe)
	}
	for _, imp := range want {
		if !strings.Contains(rows[0].taxes.Text, tax.FormatMXN(dec(imp))) {
			t.Errorf("screen taxes %q lack the sealed %s", rows[0].taxes.Text, imp)
		}
	}
	if got, wantTotal := form.totalsView.total.Text, tax.FormatMXN(dec(x.Total))+" MXN"; got != wantTotal {
		t.Errorf("screen total %q, sealed %q", got, wantTotal)
	}
}

// TestCreditFormFitsTheScreen: at 1024×768, 1366×768 and 800×1280 beside
// the sidebar, the form fits its window, its total and "Emitir" are in
// sight, and every figure of a line is inside the window (a card per line
// on the upright tablet).
func TestCreditFormFitsTheScreen(t *testing.T) {
	for _, size := range screenSizes {
		name := sizeName(size)
		t.Run(name, func(t *testing.T) {
			f := newCreditFixture(t)
			in, err := LoadCredit(context.Background(), f.deps, f.inv.ID)
			if err != nil {
				t.Fatal(err)
			}
			form := NewCreditForm(f.deps, f.co, sales.Devolucion, in)
			w := inMainWindow(t, form, size)
			form.Remove(0)
			form.SetValue(0, "100")
			w.Resize(size.SubtractWidthHeight(1, 1))
			w.Resize(size)
			c := w.Canvas()
			if min := w.Content().MinSize(); min.Width > size.Width {
				t.Errorf("content needs %v px wide, window is %v", min.Width, size.Width)
			}
			if pos, ok := inside(c, form.totalsView.total); !ok || form.totalsView.total.Text != "$1,160.00 MXN" {
				t.Errorf("total %q at %v: not inside the %v window", form.totalsView.total.Text, pos, size)
			}
			if pos, ok := inside(c, form.postBtn); !ok || form.postBtn.Size().Width < form.postBtn.MinSize().Width {
				t.Errorf("Emitir at %v size %v: cut or outside the window", pos, form.postBtn.Size())
			}
			rows := cellsIn(w.Content())
			if len(rows) != 1 {
				t.Fatalf("%d rows drawn, want the one line left", len(rows))
			}
			// The list is inside the window, and every figure of its row
			// inside the list's width (positions are relative to the row).
			if pos, ok := inside(c, form.lines); !ok {
				t.Errorf("lines at %v size %v: outside the %v window", pos, form.lines.Size(), size)
			}
			width := form.lines.Size().Width
			for what, o := range map[string]fyne.CanvasObject{"value": rows[0].value, "importe": rows[0].importe, "taxes": rows[0].taxes, "remove": rows[0].remove} {
				if end := o.Position().X + o.Size().Width; end > width+0.5 || o.Size().Width < 40 || !o.Visible() {
					t.Errorf("%s at x %v–%v: beyond the list's %v px", what, o.Position().X, end, width)
				}
			}
			if *screenshots {
				saveScreenshot(t, c, filepath.Join("..", "..", "docs", "screenshots", "credit-note-"+name+".png"))
			}
		})
	}
}

// stamp posts inv (a draft of the fixture's company) and records it
// stamped with uuid, as the PAC would; it returns the stored invoice.
func (f *creditFixture) stamp(t *testing.T, inv sales.Invoice, uuid string) sales.Invoice {
	t.Helper()
	ctx := context.Background()
	inv.ID, inv.Folio, inv.UUID, inv.SealedXML, inv.State, inv.Status = 0, 0, "", nil, sales.StateDraft, sales.StatusDraft
	svc := f.deps.Notes.(*sales.Service)
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	signer, _ := f.deps.Signer(ctx)
	posted, err := svc.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docID, _, _, err := f.store.InvoiceDocument(ctx, posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.NewStampStore(f.store).MarkStamped(ctx, docID, posted.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, editorNow); err != nil {
		t.Fatal(err)
	}
	out, err := f.store.FindInvoiceByID(ctx, posted.ID)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCreditFormRebateOverSeveralInvoices: "Agregar factura…" puts a
// second invoice of the customer on a rebate; the one Egreso relates both
// (TipoRelacion 01) and rebates the lines of each, and the candidates
// offered are only the customer's other stamped invoices in its currency.
func TestCreditFormRebateOverSeveralInvoices(t *testing.T) {
	f := newCreditFixture(t)
	f.deps.Finder = f.store
	const uuid2 = "7B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E"
	second := f.inv
	second.Lines = second.Lines[1:] // 200 KG of B
	second = f.stamp(t, second, uuid2)
	other := f.inv // another currency: not offered
	other.Moneda, other.TipoCambio = "USD", dec("17.50")
	other = f.stamp(t, other, "8C3D4E5F-6A7B-4C8D-9E0F-1A2B3C4D5E6F")

	form, _ := f.open(t, sales.Rebaja)
	cands, err := form.candidates(context.Background())
	if err != nil || len(cands) != 1 || cands[0].ID != second.ID {
		t.Fatalf("candidates %+v, %v; want only %s", cands, err, second.FolioText())
	}
	in, err := LoadCredit(context.Background(), f.deps, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := form.AddInvoice(in); err != nil {
		t.Fatal(err)
	}
	if err := form.AddInvoice(in); err == nil {
		t.Error("the same invoice was added twice")
	}
	usd, _ := LoadCredit(context.Background(), f.deps, other.ID)
	if err := form.AddInvoice(usd); err == nil || !strings.Contains(err.Error(), "otra moneda") {
		t.Errorf("a USD invoice on an MXN rebate: %v", err)
	}
	// 1.00 per KG of B on both invoices; A is left out.
	form.Remove(0)
	for i := range form.shown {
		form.SetValue(i, "1.00")
	}
	if got := form.totalsView.total.Text; got != "$464.00 MXN" { // 2 × 232.00
		t.Fatalf("rebate over two invoices: total %q, want $464.00 MXN (problem %q)", got, form.Problem())
	}
	if !strings.Contains(form.title.Text, f.inv.FolioText()) || !strings.Contains(form.title.Text, second.FolioText()) {
		t.Errorf("title %q does not name both invoices", form.title.Text)
	}
	_, x := f.post(t, form)
	if len(x.CfdiRelacionados) != 1 || x.CfdiRelacionados[0].TipoRelacion != "01" || len(x.CfdiRelacionados[0].CfdiRelacionado) != 2 ||
		x.CfdiRelacionados[0].CfdiRelacionado[1].UUID != uuid2 || x.Total != "464.00" {
		t.Errorf("sealed rebate: relacionados %+v total %s", x.CfdiRelacionados, x.Total)
	}
	for _, id := range []int64{f.inv.ID, second.ID} {
		done, err := f.store.Credited(context.Background(), id)
		if err != nil || len(done.Rebated) != 1 {
			t.Errorf("invoice %d rebated %+v, %v", id, done.Rebated, err)
		}
		// Each invoice counts only its share of the note, in the list and
		// in the trace.
		notes, err := f.store.CreditNotesOf(context.Background(), id)
		if err != nil || len(notes) != 1 || !notes[0].Applied.Equal(dec("232")) || !notes[0].Total.Equal(dec("464")) {
			t.Errorf("invoice %d notes %+v, %v; want 232.00 of the 464.00 note", id, notes, err)
		}
	}
	rows, err := f.store.FindInvoices(context.Background(), sales.InvoiceFilter{Issuer: f.co.RFC, Tipo: sales.TipoIngreso})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if (r.ID == f.inv.ID || r.ID == second.ID) && !r.CreditedTotal.Equal(dec("232")) {
			t.Errorf("list row %s-%d credited %s, want its share 232.00", r.Serie, r.Folio, r.CreditedTotal)
		}
	}
}

// TestCreditFormForeignCurrency: a USD invoice gives a USD note with the
// exchange rate the user confirms.
func TestCreditFormForeignCurrency(t *testing.T) {
	f := newCreditFixture(t)
	usd := f.inv
	usd.Moneda, usd.TipoCambio = "USD", dec("17.50")
	usd = f.stamp(t, usd, "9D4E5F6A-7B8C-4D9E-8F0A-1B2C3D4E5F6A")
	in, err := LoadCredit(context.Background(), f.deps, usd.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := NewCreditForm(f.deps, f.co, sales.Devolucion, in)
	w := test.NewWindow(form)
	defer w.Close()
	if !form.tcRow.Visible() || form.tc.Text != "17.5" {
		t.Fatalf("exchange rate shown %v with %q, want the invoice's 17.5", form.tcRow.Visible(), form.tc.Text)
	}
	form.tc.SetText("")
	if !strings.Contains(form.Problem(), "tipo de cambio") || !form.postBtn.Disabled() {
		t.Errorf("no exchange rate: problem %q", form.Problem())
	}
	form.tc.SetText("18.10")
	form.Remove(0)
	form.SetValue(0, "100")
	if got := form.totalsView.total.Text; got != "$1,160.00 USD" {
		t.Errorf("total %q, want $1,160.00 USD", got)
	}
	_, x := f.post(t, form)
	if x.Moneda != "USD" || x.TipoCambio != "18.1" || x.Total != "1160.00" {
		t.Errorf("sealed note: moneda %s tc %s total %s", x.Moneda, x.TipoCambio, x.Total)
	}
}

// TestCreditFormRefundFromAccount: the return of a cash sale says which
// account pays the money back; the posted note withdraws its total from it.
func TestCreditFormRefundFromAccount(t *testing.T) {
	f := newCreditFixture(t)
	ctx := context.Background()
	caja := banks.Account{Issuer: f.co.RFC, Kind: banks.Caja, Name: "Caja", Moneda: "MXN", Active: true}
	if err := f.store.CreateAccount(ctx, &caja); err != nil {
		t.Fatal(err)
	}
	f.deps.Accounts = f.store
	form, _ := f.open(t, sales.Devolucion)
	if !form.accountRow.Visible() || len(form.in.Accounts) != 1 {
		t.Fatalf("a cash sale's return offers no account (%d)", len(form.in.Accounts))
	}
	form.account.SetSelectedIndex(1)
	form.Remove(0)
	form.SetValue(0, "100")
	note, _ := f.post(t, form)
	if note.RefundAccount != caja.ID {
		t.Errorf("note refunds from %d, want %d", note.RefundAccount, caja.ID)
	}
	bal, err := f.store.AccountBalance(ctx, banks.MovementFilter{AccountID: caja.ID})
	if err != nil || !bal.Equal(dec("-1160")) {
		t.Errorf("caja balance %s, %v; want -1160.00", bal, err)
	}
}
