package invoices

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/uitest"
)

// editorNow is the fixed "now" of the editor tests (12:00 in Mexico City).
var editorNow = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

var (
	catalogsOnce sync.Once
	catalogsVal  *sat.Catalogs
	catalogsErr  error
)

// testCatalogs returns SAT's catalogs, read once for every test.
func testCatalogs(t testing.TB) *sat.Catalogs {
	t.Helper()
	catalogsOnce.Do(func() { catalogsVal, catalogsErr = sat.NewCatalogs(assets.Catalogs) })
	if catalogsErr != nil {
		t.Fatal(catalogsErr)
	}
	return catalogsVal
}

// editorFixture is a real store with the demo company's series, customers
// and products, the service over it and the demo CSD.
type editorFixture struct {
	q         *uitest.Queue
	store     *sqlite.Store
	companies *sales.Companies // the companies' secrets, administrator password included
	co        *sales.Company
	deps      EditorDeps
	signs     atomic.Int32 // how many times the editor asked for the CSD
}

func newEditorFixture(t testing.TB) *editorFixture {
	t.Helper()
	_, q := uitest.NewApp(t)
	ctx := context.Background()
	store := sqlite.MustOpenTest(t)
	cat := testCatalogs(t)
	co := sales.DemoCompany()
	sr := sales.Series{Issuer: co.RFC, Serie: "A", TipoDeComprobante: sales.TipoIngreso, NextFolio: 1, Active: true}
	if err := store.CreateSeries(ctx, &sr); err != nil {
		t.Fatal(err)
	}
	for _, c := range sales.DemoCustomers() {
		c.Normalize()
		if err := store.CreateCustomer(ctx, &c); err != nil {
			t.Fatalf("CreateCustomer(%s): %v", c.RFC, err)
		}
	}
	d := decimal.RequireFromString
	iva16 := sales.Taxes{IVATasa: d("0.16")}
	products := append(sales.DemoProducts(),
		sales.Product{Code: "TOR-01", Description: "Tornillo hexagonal 1/4", Unit: "Pieza", ClaveProdServ: "31161500",
			ClaveUnidad: "H87", Price: d("11.50"), Taxes: iva16, ObjetoImp: sales.ObjetoImpSi, Active: true},
		sales.Product{Code: "CEM-01", Description: "Cemento gris a granel", Unit: "Kilogramo", ClaveProdServ: "30111601",
			ClaveUnidad: "KGM", Price: d("10.00"), Taxes: iva16, ObjetoImp: sales.ObjetoImpSi, Active: true})
	for _, p := range products {
		if err := p.Validate(cat); err != nil {
			t.Fatalf("product %s: %v", p.Code, err)
		}
		if err := store.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, editorNow)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return editorNow }
	companies := &sales.Companies{Store: store, Keys: store, Clock: clock}
	f := &editorFixture{q: q, store: store, companies: companies, co: co}
	f.deps = EditorDeps{
		Customers: store, Products: store, Series: store, Rules: cat, Clock: clock,
		Invoices: &sales.Service{Invoices: store, Catalogs: cat, Admin: companies, Clock: clock},
		Signer: func(context.Context) (cfdi.Signer, error) {
			f.signs.Add(1)
			return signer, nil
		},
	}
	return f
}

// open shows a new editor in a 1100×800 window with its series loaded.
func (f *editorFixture) open(t *testing.T) (*InvoiceEditor, fyne.Window) {
	t.Helper()
	ed := NewInvoiceEditor(f.deps, f.co, nil)
	w := test.NewWindow(ed)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 800))
	ed.Reload()
	f.q.RunUntil(t, "series loaded", func() bool { return ed.serie.Selected == "A" })
	return ed, w
}

// typeInto types text into the focused widget, as the keyboard would.
func typeInto(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	if c.Focused() == nil {
		t.Fatal("nothing has the focus")
	}
	test.Type(c.Focused(), text)
}

// press sends key to the focused widget.
func press(t *testing.T, c fyne.Canvas, key fyne.KeyName) {
	t.Helper()
	if c.Focused() == nil {
		t.Fatal("nothing has the focus")
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: key})
}

// shortcut sends s to the focused widget, as Ctrl+key would.
func shortcut(t *testing.T, c fyne.Canvas, s fyne.Shortcut) {
	t.Helper()
	sc, ok := c.Focused().(fyne.Shortcutable)
	if !ok {
		t.Fatalf("focused %T takes no shortcuts", c.Focused())
	}
	sc.TypedShortcut(s)
}

// tab moves the focus on and checks where it lands.
func tab(t *testing.T, c fyne.Canvas, want fyne.Focusable, name string) {
	t.Helper()
	test.FocusNext(c)
	if c.Focused() != want {
		t.Fatalf("Tab landed on %T, want %s", c.Focused(), name)
	}
}

// pickCustomerByKeyboard types query in the customer search and presses
// Enter once suggestions are shown.
func pickCustomerByKeyboard(t *testing.T, f *editorFixture, ed *InvoiceEditor, c fyne.Canvas, query, rfc string) {
	t.Helper()
	c.Focus(ed.customerSearch)
	typeInto(t, c, query)
	f.q.RunUntil(t, "customer suggestions", func() bool { return len(ed.customerFound) > 0 })
	press(t, c, fyne.KeyReturn)
	if got := ed.inv.Customer.RFC; got != rfc {
		t.Fatalf("customer = %q, want %s", got, rfc)
	}
}

// confirmPost waits for Emitir's confirmation, checks that it names the
// folio (and the total, when want is not ""), and confirms it with Enter.
func confirmPost(t *testing.T, f *editorFixture, ed *InvoiceEditor, c fyne.Canvas, folio, total string) {
	t.Helper()
	f.q.RunUntil(t, "confirmation shown", func() bool { return ed.confirmPost != nil })
	pc := ed.confirmPost
	ed.confirmPost = nil
	if !strings.Contains(pc.text.Text, folio) || !strings.Contains(pc.text.Text, total) {
		t.Fatalf("confirmation %q lacks folio %s or total %s", pc.text.Text, folio, total)
	}
	if ed.busy {
		t.Fatal("posting started before the confirmation")
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// addLineByKeyboard fills the focused line: quantity, product search +
// Enter, then Tab through every field to the last, where Enter (when more)
// adds the next line.
func addLineByKeyboard(t *testing.T, f *editorFixture, ed *InvoiceEditor, c fyne.Canvas, qty, product string, more bool) {
	t.Helper()
	r := ed.lines[len(ed.lines)-1]
	if c.Focused() != r.qty {
		t.Fatalf("focus on %T, want the new line's quantity", c.Focused())
	}
	typeInto(t, c, qty)
	tab(t, c, r.product, "product")
	typeInto(t, c, product)
	press(t, c, fyne.KeyReturn)
	f.q.RunUntil(t, "product "+product+" chosen", func() bool { return r.base.NoIdentificacion == product })
	for _, step := range []struct {
		w    fyne.Focusable
		name string
	}{{r.desc, "description"}, {r.price, "price"}, {r.disc, "discount"}, {r.iva, "IVA"}, {r.ieps, "IEPS"},
		{r.retIVA, "Ret. IVA"}, {r.retISR, "Ret. ISR"}} {
		tab(t, c, step.w, step.name)
	}
	if more {
		press(t, c, fyne.KeyReturn)
	}
}

// TestEditorKeyboardPost: the whole capture with the keyboard — customer
// search, two lines (100 PZA × 11.50 + 200 KG × 10.00, IVA 16 %), Ctrl+E
// — shows the totals the sealed XML carries, then the folio and "Imprimir".
func TestEditorKeyboardPost(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	if err := f.store.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, nil); err != nil {
		t.Fatal(err)
	}
	ed, w := f.open(t)
	c := w.Canvas()
	var printed int64
	ed.OnPrint = func(id int64) { printed = id }
	var postedCB *sales.Invoice
	ed.OnPosted = func(inv *sales.Invoice) { postedCB = inv }

	// Given a customer picked by typing part of the name, with its defaults.
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	if ed.uso.key() != "G03" || ed.forma.key() != "03" || ed.terms.Selected != "Contado (PUE)" || ed.globalBox.Visible() {
		t.Errorf("defaults: uso %q forma %q terms %q global %v", ed.uso.key(), ed.forma.key(), ed.terms.Selected, ed.globalBox.Visible())
	}
	for _, k := range ed.uso.keys {
		if !f.deps.Rules.UsoCFDIAllowed(k, "612") {
			t.Errorf("UsoCFDI %s offered to régimen 612", k)
		}
	}

	// When two lines are captured with the keyboard.
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "100", "TOR-01", true)
	if len(ed.lines) != 2 {
		t.Fatalf("Enter in the last field: %d lines, want 2", len(ed.lines))
	}
	addLineByKeyboard(t, f, ed, c, "200", "CEM-01", false)
	if got := ed.lines[0].unit.Text + " | " + ed.lines[1].unit.Text; got != "H87 Pieza | KGM Kilogramo" {
		t.Errorf("units = %q", got)
	}

	// Then the totals are those of the example.
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"Importe", ed.totals.importe.Text, "$3,150.00"},
		{"Subtotal", ed.totals.subtotal.Text, "$3,150.00"},
		{"IVA", ed.totals.iva.Text, "$504.00"},
		{"Total", ed.totals.total.Text, "$3,654.00 MXN"},
		{"line 1", ed.lines[0].importe.Text, "$1,150.00"},
		{"line 2", ed.lines[1].importe.Text, "$2,000.00"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}

	// When Ctrl+E is pressed in a field and Enter confirms.
	shortcut(t, c, ShortcutPost)
	confirmPost(t, f, ed, c, "A-1", "$3,654.00 MXN")
	if !ed.busy || !ed.progress.Visible() || !ed.postBtn.Disabled() {
		t.Error("no progress while posting")
	}
	f.q.RunUntil(t, "posted", func() bool { return !ed.busy })

	// Then the folio is shown, the editor is locked and printing is offered.
	if ed.folio.Text != "A-1" || !ed.locked || !ed.lines[0].qty.Disabled() || !ed.saveBtn.Disabled() || !ed.printBtn.Visible() {
		t.Fatalf("after post: folio %q locked %v status %q problems %q", ed.folio.Text, ed.locked, ed.status.Text, ed.problems.Text)
	}
	if postedCB == nil || postedCB.FolioText() != "A-1" {
		t.Errorf("OnPosted got %+v", postedCB)
	}
	test.Tap(ed.printBtn)
	if printed == 0 || printed != ed.inv.ID {
		t.Errorf("OnPrint got %d, want %d", printed, ed.inv.ID)
	}

	// And the screen showed exactly the sealed XML's amounts.
	inv, err := f.store.FindInvoiceByID(ctx, ed.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != sales.StatusSealed || inv.Folio != 1 {
		t.Fatalf("stored status %s folio %d", inv.Status, inv.Folio)
	}
	x, err := cfdi.Parse(inv.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfdi.VerifySeal(x); err != nil {
		t.Fatalf("seal: %v", err)
	}
	xmlMoney := func(s string) string { return tax.FormatMXN(decimal.RequireFromString(s)) }
	if got, want := ed.totals.importe.Text, xmlMoney(x.SubTotal); got != want {
		t.Errorf("Importe on screen %s, SubTotal in XML %s", got, want)
	}
	if got, want := ed.totals.iva.Text, xmlMoney(x.Impuestos.TotalImpuestosTrasladados); got != want {
		t.Errorf("IVA on screen %s, XML %s", got, want)
	}
	if got, want := ed.totals.total.Text, xmlMoney(x.Total)+" "+x.Moneda; got != want {
		t.Errorf("Total on screen %s, XML %s", got, want)
	}
	if x.Receptor.Rfc != "CACX7605101P8" || x.Receptor.UsoCFDI != "G03" || x.FormaPago != "03" || x.MetodoPago != "PUE" || len(x.Conceptos) != 2 {
		t.Errorf("XML receptor %+v forma %s método %s conceptos %d", x.Receptor, x.FormaPago, x.MetodoPago, len(x.Conceptos))
	}
	if f.signs.Load() != 1 {
		t.Errorf("CSD asked %d times, want 1", f.signs.Load())
	}
	// Reopened from the list, the posted invoice is read-only.
	again := NewInvoiceEditor(f.deps, f.co, &inv)
	if !again.locked || again.folio.Text != "A-1" || !again.lines[1].qty.Disabled() || !again.printBtn.Visible() ||
		again.totals.total.Text != ed.totals.total.Text || again.lines[1].unit.Text != "KGM Kilogramo" {
		t.Errorf("reopened: locked %v folio %q total %q", again.locked, again.folio.Text, again.totals.total.Text)
	}
	ed.TypedShortcut(ShortcutSave) // ignored once posted (as registered on the canvas)
	if ed.busy {
		t.Error("Ctrl+S saves a posted invoice")
	}

	// SAT's own tools agree (skipped without the reference pack).
	file := filepath.Join(t.TempDir(), "editor.xml")
	if err := os.WriteFile(file, inv.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Fatalf("verify-seal.sh: %s", verdict)
	}
}

// TestEditorValidation: credit to the general public is refused on the
// spot; posting an incomplete invoice shows every problem in Spanish next
// to its field and in the list, saves the draft and never seals.
func TestEditorValidation(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()

	pickCustomerByKeyboard(t, f, ed, c, "publico", sales.RFCPublicoGeneral)
	if !ed.globalBox.Visible() || ed.uso.key() != "S01" {
		t.Fatalf("público en general: global shown %v, uso %q", ed.globalBox.Visible(), ed.uso.key())
	}
	ed.terms.SetSelected("Crédito (PPD)")
	if ed.terms.Selected != "Contado (PUE)" {
		t.Errorf("terms = %q, want credit refused", ed.terms.Selected)
	}
	if l := ed.errs["Terms"]; !l.Visible() || l.Text != "No se puede vender a crédito al público en general." {
		t.Errorf("terms message = %q (visible %v)", l.Text, l.Visible())
	}

	// A quantity that is not a number is reported before anything is sent.
	c.Focus(ed.lines[0].qty)
	typeInto(t, c, "abc")
	shortcut(t, c, ShortcutPost)
	if want := "Concepto 1: Escriba la cantidad con dígitos y punto decimal, hasta seis decimales."; ed.busy || !ed.lines[0].errLabel.Visible() || !strings.Contains(ed.problems.Text, want) {
		t.Fatalf("bad quantity: busy %v line error %q problems %q", ed.busy, ed.lines[0].errLabel.Text, ed.problems.Text)
	}

	// Without lines and without periodicidad, Emitir lists both problems.
	ed.removeLine(ed.lines[0])
	c.Focus(ed.customerSearch)
	shortcut(t, c, ShortcutPost)
	f.q.RunUntil(t, "validated", func() bool { return !ed.busy })
	want := map[string]string{
		"Global": "Elija la periodicidad: diaria, semanal, quincenal, mensual o bimestral.",
		"Lines":  "Agregue al menos un concepto.",
	}
	for field, msg := range want {
		if l := ed.errs[field]; !l.Visible() || l.Text != msg {
			t.Errorf("%s message = %q (visible %v), want %q", field, l.Text, l.Visible(), msg)
		}
		if !strings.Contains(ed.problems.Text, msg) {
			t.Errorf("problems list %q lacks %q", ed.problems.Text, msg)
		}
	}
	// Nothing was stored: an invoice that cannot be issued leaves no draft.
	if ed.locked || f.signs.Load() != 0 || ed.inv.ID != 0 {
		t.Errorf("locked %v, CSD asked %d times, draft id %d", ed.locked, f.signs.Load(), ed.inv.ID)
	}

	// Ctrl+S keeps the draft; a draft reopened shows what was saved.
	ed.periodicidad.selectKey("04")
	shortcut(t, c, ShortcutSave)
	f.q.RunUntil(t, "saved", func() bool { return !ed.busy })
	if ed.status.Text != "Borrador guardado." || ed.problems.Visible() {
		t.Fatalf("save: status %q problems %q", ed.status.Text, ed.problems.Text)
	}
	inv, err := f.store.FindInvoiceByID(context.Background(), ed.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != sales.StatusDraft || inv.Global == nil || inv.Global.Periodicidad != "04" || inv.Global.Meses != "11" || inv.Global.Anio != "2026" {
		t.Errorf("stored draft %+v global %+v", inv, inv.Global)
	}
	again := NewInvoiceEditor(f.deps, f.co, &inv)
	if again.customerSearch.Text != sales.NombrePublicoGeneral || again.periodicidad.key() != "04" || again.locked {
		t.Errorf("reopened: customer %q periodicidad %q locked %v", again.customerSearch.Text, again.periodicidad.key(), again.locked)
	}

	// Ctrl+N starts over.
	shortcut(t, c, ShortcutNew)
	if ed.inv.ID != 0 || ed.customerSearch.Text != "" || ed.globalBox.Visible() || ed.serie.Selected != "A" {
		t.Errorf("after Ctrl+N: id %d customer %q", ed.inv.ID, ed.customerSearch.Text)
	}
	// From any field, Ctrl+N puts the cursor in Cliente.
	c.Focus(ed.lines[0].price)
	shortcut(t, c, ShortcutNew)
	if c.Focused() != ed.customerSearch {
		t.Errorf("after Ctrl+N focus on %T, want the customer search", c.Focused())
	}
}

// TestEditorCurrencyAndCredit: the exchange rate is enabled only for other
// currencies; a credit customer defaults to Crédito with forma 99 locked.
func TestEditorCurrencyAndCredit(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	if !ed.tipoCambio.Disabled() {
		t.Error("tipo de cambio enabled for MXN")
	}
	ed.moneda.selectKey("USD")
	if ed.tipoCambio.Disabled() {
		t.Error("tipo de cambio disabled for USD")
	}
	ed.moneda.selectKey("MXN")

	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	if ed.terms.Selected != "Crédito (PPD)" || ed.forma.key() != "99" || !ed.forma.Disabled() || ed.uso.key() != "G01" {
		t.Errorf("credit customer: terms %q forma %q (disabled %v) uso %q", ed.terms.Selected, ed.forma.key(), ed.forma.Disabled(), ed.uso.key())
	}
	ed.terms.SetSelected("Contado (PUE)")
	if ed.forma.Disabled() || ed.forma.key() == "99" {
		t.Errorf("cash: forma %q disabled %v", ed.forma.key(), ed.forma.Disabled())
	}
}

// TestEditorPresentsDomainVerdicts: what the editor enables, fixes, offers
// and explains is the domain's verdict (sales.Invoice.FieldRules), and the
// actions follow the document's state (sales.State.Allowed).
func TestEditorPresentsDomainVerdicts(t *testing.T) {
	f := newEditorFixture(t)
	f.deps.CheckAdmin = func(context.Context, string) error { return nil }
	ed, w := f.open(t)
	c := w.Canvas()

	// Credit fixes forma 99 and says why next to the field.
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	const why = "En una venta a crédito la forma de pago es 99 (Por definir)."
	if strings.Join(ed.forma.keys, " ") != "99" || !ed.formaHint.Visible() || ed.formaHint.Text != why {
		t.Errorf("credit: formas %v, hint %q (visible %v)", ed.forma.keys, ed.formaHint.Text, ed.formaHint.Visible())
	}
	// Cash offers every real forma, never 99, and explains nothing.
	ed.terms.SetSelected("Contado (PUE)")
	if slices.Contains(ed.forma.keys, "99") || len(ed.forma.keys) < 10 || ed.formaHint.Visible() || ed.forma.Disabled() {
		t.Errorf("cash: formas %v, hint visible %v, disabled %v", ed.forma.keys, ed.formaHint.Visible(), ed.forma.Disabled())
	}

	// Each state's actions are the lifecycle's.
	customer := ed.inv.Customer
	for _, st := range sales.States() {
		inv := &sales.Invoice{ID: 9, Issuer: f.co.RFC, State: st, Status: st.Status(), TipoDeComprobante: sales.TipoIngreso,
			Serie: "A", Customer: customer, CustomerID: customer.ID, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN"}
		if st != sales.StateDraft {
			inv.Folio = 3
		}
		e := NewInvoiceEditor(f.deps, f.co, inv)
		editable := st.Allowed(sales.EventEdit) == nil
		postable := st.Allowed(sales.EventPost) == nil
		if e.locked == editable || e.saveBtn.Disabled() == editable || e.postBtn.Disabled() == postable ||
			e.customerSearch.Disabled() == editable || e.printBtn.Visible() != (st != sales.StateDraft) ||
			e.folioBtn.Visible() != postable {
			t.Errorf("%s: locked %v save disabled %v post disabled %v print %v folio override %v", st, e.locked,
				e.saveBtn.Disabled(), e.postBtn.Disabled(), e.printBtn.Visible(), e.folioBtn.Visible())
		}
		e.SaveDraft()
		e.Post()
		if e.busy != editable {
			t.Errorf("%s: Ctrl+S/Ctrl+E started work = %v, want %v", st, e.busy, editable)
		}
		f.q.RunUntil(t, "idle", func() bool { return !e.busy })
	}
}

// TestEditorMarkup pins the layout of a new editor with one line.
func TestEditorMarkup(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "100", "TOR-01", false)
	c.Unfocus()
	test.AssertRendersToMarkup(t, "editor.xml", c)
}

// TestEditorTabOrder: Tab walks the header top to bottom (skipping the
// disabled exchange rate and the hidden global fields) into the first line.
func TestEditorTabOrder(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()
	c.Focus(ed.serie)
	var got []string
	names := map[fyne.Focusable]string{ed.serie: "serie", ed.customerSearch: "cliente", ed.uso.Select: "uso", ed.forma.Select: "forma",
		ed.moneda.Select: "moneda", ed.tipoCambio: "tipoCambio", ed.condiciones: "condiciones", ed.orderRef: "orden",
		ed.notes: "notas", ed.lines[0].qty: "cantidad", ed.lines[0].product: "producto"}
	for range 12 {
		test.FocusNext(c)
		name, ok := names[c.Focused()]
		if !ok {
			name = strings.TrimPrefix(fmt.Sprintf("%T", c.Focused()), "*widget.")
		}
		got = append(got, name)
	}
	want := "cliente uso radioItem radioItem forma moneda condiciones orden notas cantidad producto"
	if g := strings.Join(got[:11], " "); g != want {
		t.Errorf("Tab order = %s\nwant       %s", g, want)
	}
	if ed.notes.AcceptsTab() {
		t.Error("the notes keep the Tab key")
	}
}

// TestEditorSuggestionsByKeyboard: Down moves from a search into its
// suggestions, Space picks one and the focus goes on to the next field.
func TestEditorSuggestionsByKeyboard(t *testing.T) {
	f := newEditorFixture(t)
	ed, w := f.open(t)
	c := w.Canvas()

	c.Focus(ed.customerSearch)
	typeInto(t, c, "universidad")
	f.q.RunUntil(t, "customer suggestions", func() bool { return ed.customerResults.Visible() })
	press(t, c, fyne.KeyDown)
	if c.Focused() != ed.customerResults {
		t.Fatalf("Down: focus on %T, want the suggestions", c.Focused())
	}
	press(t, c, fyne.KeyReturn)
	if ed.inv.Customer.RFC != "URE180429TM6" || c.Focused() != ed.uso.Select || ed.customerResults.Visible() {
		t.Fatalf("Enter: customer %q, focus %T", ed.inv.Customer.RFC, c.Focused())
	}

	// "de" finds "Café de grano 1 kg" and "Libro de texto"; take the second.
	r := ed.lines[0]
	c.Focus(r.product)
	typeInto(t, c, "de")
	f.q.RunUntil(t, "product suggestions", func() bool { return ed.productResults.Visible() })
	if len(ed.productFound) != 2 {
		t.Fatalf("suggestions = %d, want 2", len(ed.productFound))
	}
	press(t, c, fyne.KeyDown)
	press(t, c, fyne.KeyDown)
	press(t, c, fyne.KeyReturn)
	if r.base.NoIdentificacion != "LIB-01" || r.iva.Selected != "Exento" || r.qty.Text != "1" || c.Focused() != r.desc {
		t.Fatalf("picked %q, IVA %q, qty %q, focus %T", r.base.NoIdentificacion, r.iva.Selected, r.qty.Text, c.Focused())
	}
	if ed.totals.total.Text != "$420.00 MXN" || ed.totals.iva.Text != "$0.00" {
		t.Errorf("exempt book: total %q IVA %q", ed.totals.total.Text, ed.totals.iva.Text)
	}
}

// TestEditorAdminOverridesFolio: changing the proposed folio needs the
// administrator's password; with it the invoice takes the chosen number and
// the skipped ones are recorded as voided.
func TestEditorAdminOverridesFolio(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	if err := f.companies.SetAdminPassword(ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	f.deps.CheckAdmin = f.companies.CheckAdminPassword
	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "xochilt", "CACX7605101P8")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "1", "TOR-01", false)

	// A wrong password changes nothing.
	ed.OverrideFolio("7", "otra")
	f.q.RunUntil(t, "refused", func() bool { return ed.status.Text != "" })
	if ed.override != nil {
		t.Fatalf("override set with a wrong password: %d", *ed.override)
	}
	// The right one authorises folio 7.
	ed.OverrideFolio("7", "clave-admin-1")
	f.q.RunUntil(t, "authorised", func() bool { return ed.override != nil })
	test.Tap(ed.postBtn)
	confirmPost(t, f, ed, w.Canvas(), "A-7", "")
	f.q.RunUntil(t, "posted", func() bool { return ed.locked })
	if got := ed.inv.FolioText(); got != "A-7" {
		t.Errorf("posted folio = %s, want A-7", got)
	}
	if n, err := f.store.CountVoidedFolios(ctx, f.co.RFC, "A"); err != nil || n != 6 {
		t.Errorf("voided folios = %d, %v; want 6 (1 to 6)", n, err)
	}
}

// TestEditorCreditOverride: a credit sale above the customer's credit
// limit is refused with the figures; the administrator's password and a
// reason authorize it, the invoice posts and the override is recorded.
func TestEditorCreditOverride(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	if err := f.companies.SetAdminPassword(ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	cs, err := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429TM6"})
	if err != nil || len(cs) != 1 {
		t.Fatal(cs, err)
	}
	cust := cs[0]
	cust.CreditLimit = decimal.RequireFromString("100.00")
	if err := f.store.UpdateCustomer(ctx, &cust); err != nil {
		t.Fatal(err)
	}
	ed, w := f.open(t)
	c := w.Canvas()
	pickCustomerByKeyboard(t, f, ed, c, "URE180429", "URE180429TM6")
	c.Focus(ed.lines[0].qty)
	addLineByKeyboard(t, f, ed, c, "10", "TOR-01", false)
	test.Tap(ed.postBtn)
	confirmPost(t, f, ed, w.Canvas(), "A-1", "")
	f.q.RunUntil(t, "refused", func() bool { return !ed.busy && ed.status.Text != "" })
	if ed.locked || !strings.Contains(ed.status.Text, "límite de crédito") {
		t.Fatalf("over the limit: locked %v, status %q", ed.locked, ed.status.Text)
	}
	inv, _ := ed.invoice()
	ed.AuthorizeCredit(inv, "otra", "pedido urgente")
	f.q.RunUntil(t, "wrong password refused", func() bool { return !ed.busy && !strings.Contains(ed.status.Text, "Emitiendo") })
	if ed.locked {
		t.Fatal("posted with a wrong administrator password")
	}
	inv, _ = ed.invoice()
	ed.AuthorizeCredit(inv, "clave-admin-1", "pedido urgente")
	f.q.RunUntil(t, "posted", func() bool { return ed.locked })
	ov, err := f.store.CreditOverrides(ctx, cust.ID)
	if err != nil || len(ov) != 1 || ov[0].Reason != "pedido urgente" || ov[0].InvoiceID != ed.inv.ID {
		t.Errorf("overrides %+v, %v", ov, err)
	}
}
