package invoices

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/uitest"
)

// creditRows are invoices in each state that matters to a credit note,
// and a credit note, newest first.
func creditRows() []sales.InvoiceRow {
	t0 := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	d := decimal.RequireFromString
	inv := func(id int64, st sales.State, credited sales.CreditedState) sales.InvoiceRow {
		return sales.InvoiceRow{ID: id, Tipo: "I", State: st, Status: st.Status(), Serie: "A", Folio: id,
			Fecha: t0.Add(-time.Duration(id) * time.Hour), CustomerRFC: "URE180429TM6", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
			Moneda: "MXN", Total: d("1160"), Credited: credited}
	}
	return []sales.InvoiceRow{
		{ID: 9, Tipo: "E", CreditKind: sales.Rebaja, RelatedFolios: []string{"A-1"}, State: sales.StateStamped, Status: sales.StatusStamped,
			Serie: "NC", Folio: 1, Fecha: t0, CustomerRFC: "URE180429TM6", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Moneda: "MXN", Total: d("100")},
		inv(1, sales.StateStamped, sales.CreditedPartial),
		inv(2, sales.StateCancelRejected, sales.CreditedFull),
		inv(3, sales.StateSealed, sales.CreditedNone),
		inv(4, sales.StateCancelRequested, sales.CreditedNone),
		inv(5, sales.StateCancelled, sales.CreditedNone),
		inv(6, sales.StateDraft, sales.CreditedNone),
	}
}

// TestInvoiceListCreditButtons: "Devolver…" and "Rebajar…" apply to an
// invoice whose life allows relating to it, and start a note of their kind.
func TestInvoiceListCreditButtons(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{rows: creditRows()}
	l := NewInvoiceList(actionFake{store}, "EKU9003173C9")
	l.Tipo = sales.TipoIngreso
	type credit struct {
		id   int64
		kind sales.CreditKind
	}
	var credits []credit
	l.OnCredit = func(id int64, kind sales.CreditKind) { credits = append(credits, credit{id, kind}) }
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 600))
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 7 && !l.loading })
	if f := store.lastFilter(); f.Tipo != "I" {
		t.Errorf("filter Tipo = %q, want I", f.Tipo)
	}
	if !l.newInvoice.Visible() || !l.btnReturn.Visible() || !l.btnRebate.Visible() {
		t.Error("the invoices' list hides Nueva factura, Devolver… or Rebajar…")
	}
	for i, r := range l.rows {
		l.table.Select(widget.TableCellID{Row: i, Col: 0})
		want := r.state == sales.StateStamped || r.state == sales.StateCancelRejected
		if r.tipo == "E" {
			want = false
		}
		if l.btnDuplicate.Disabled() != (r.tipo == "E") {
			t.Errorf("%s: Duplicar disabled %v", r.num, l.btnDuplicate.Disabled())
		}
		if l.btnReturn.Disabled() == want || l.btnRebate.Disabled() == want {
			t.Errorf("%s (%s): Devolver… disabled %v, Rebajar… disabled %v; want enabled %v",
				r.num, r.st, l.btnReturn.Disabled(), l.btnRebate.Disabled(), want)
		}
	}
	// The stamped invoice's buttons start a note of their kind against it.
	l.table.Select(widget.TableCellID{Row: 1, Col: 0})
	test.Tap(l.btnReturn)
	test.Tap(l.btnRebate)
	if fmt.Sprint(credits) != fmt.Sprint([]credit{{1, sales.Devolucion}, {1, sales.Rebaja}}) {
		t.Errorf("OnCredit calls = %v", credits)
	}
	// The Acreditada column says what live notes took.
	var got []string
	for _, r := range l.rows[1:4] {
		got = append(got, cellText(l, r, "Acreditada"))
	}
	if !slices.Equal(got, []string{"En parte", "Por completo", ""}) {
		t.Errorf("Acreditada column = %q", got)
	}
	if !strings.Contains(l.legend.Text, "Acreditada:") {
		t.Errorf("legend %q does not explain Acreditada", l.legend.Text)
	}

	// Without OnCredit the buttons stay disabled.
	l.OnCredit = nil
	l.table.Select(widget.TableCellID{Row: 2, Col: 0})
	if !l.btnReturn.Disabled() || !l.btnRebate.Disabled() {
		t.Error("Devolver… or Rebajar… enabled without OnCredit")
	}
}

// cellText is what the list's column titled title shows for r.
func cellText(l *InvoiceList, r row, title string) string {
	for _, c := range l.columns() {
		if c.title == title {
			return c.text(r)
		}
	}
	return "(no column " + title + ")"
}

// TestCreditNoteList: the credit notes' list asks for notes only, has no
// "Nueva factura" (a note is made from its invoice) nor credit buttons,
// shows each note's kind and invoice and speaks of notas de crédito.
func TestCreditNoteList(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &fakeStore{rows: creditRows()[:1]}
	l := NewInvoiceList(actionFake{store}, "EKU9003173C9")
	l.Tipo = sales.TipoEgreso
	l.OnNew = func() { t.Error("Nueva factura on the credit notes' list") }
	l.OnCredit = func(int64, sales.CreditKind) { t.Error("a credit note of a credit note") }
	l.OnCancel = func(int64) {}
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 600))
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 1 && !l.loading })
	if f := store.lastFilter(); f.Tipo != "E" {
		t.Errorf("filter Tipo = %q, want E", f.Tipo)
	}
	if l.newInvoice.Visible() || l.btnReturn.Visible() || l.btnRebate.Visible() || l.btnDuplicate.Visible() {
		t.Errorf("visible: Nueva factura %v, Devolver… %v, Rebajar… %v, Duplicar %v", l.newInvoice.Visible(),
			l.btnReturn.Visible(), l.btnRebate.Visible(), l.btnDuplicate.Visible())
	}
	for _, o := range test.LaidOutObjects(l) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && strings.Contains(strings.ToLower(b.Text), "factura") {
			t.Errorf("button %q on the credit notes' list", b.Text)
		}
	}
	l.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if !l.btnReturn.Disabled() || l.btnCancel.Disabled() || l.btnCancel.Text != "Cancelar nota de crédito" {
		t.Errorf("Devolver… disabled %v; cancel %q disabled %v", l.btnReturn.Disabled(), l.btnCancel.Text, l.btnCancel.Disabled())
	}
	r := l.rows[0]
	if got := []string{cellText(l, r, "Tipo"), cellText(l, r, "Factura"), cellText(l, r, "Núm")}; !slices.Equal(got, []string{"Rebaja", "A-1", "NC-1"}) {
		t.Errorf("Tipo, Factura, Núm = %q", got)
	}
	if l.status.Text != "Notas de crédito mostradas: 1" {
		t.Errorf("status = %q", l.status.Text)
	}
	if !strings.Contains(l.legend.Text, "Tipo:") || strings.Contains(l.legend.Text, "Acreditada:") {
		t.Errorf("legend = %q", l.legend.Text)
	}
	// Its columns take no more room than the invoices' list's.
	width := func(cols []column) (w float32) {
		for _, c := range cols {
			w += c.width
		}
		return w
	}
	if width(creditColumns) > width(columns) {
		t.Errorf("credit notes' columns %v wide, invoices' %v", width(creditColumns), width(columns))
	}
}

// TestInvoiceTraceShowsCreditNotes: "Documentos relacionados" of an
// invoice lists its credit notes, a cancelled one as such, and what the
// live ones leave of its total.
func TestInvoiceTraceShowsCreditNotes(t *testing.T) {
	f := newPostedFixture(t)
	ctx := context.Background()
	sr := sales.Series{Issuer: f.co.RFC, Serie: "N", TipoDeComprobante: sales.TipoEgreso, NextFolio: 1, Active: true}
	if err := f.store.CreateSeries(ctx, &sr); err != nil {
		t.Fatal(err)
	}
	signer, err := f.deps.Signer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	note := func(kind sales.CreditKind, cl sales.CreditLine) sales.Invoice {
		t.Helper()
		inv, err := f.store.FindInvoiceByID(ctx, f.stamped)
		if err != nil {
			t.Fatal(err)
		}
		done, err := f.store.Credited(ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		n, err := sales.BuildCreditNote(&inv, kind, "N", []sales.CreditLine{cl}, done, 2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.deps.Invoices.SaveDraft(ctx, &n); err != nil {
			t.Fatal(err)
		}
		posted, err := f.deps.Invoices.Post(ctx, n.ID, f.co, signer, sales.PostOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return posted
	}
	d := decimal.RequireFromString
	// Given 10 of the 100 screws returned, then a rebate of 1.50 on each
	// screw returned and cancelled.
	ret := note(sales.Devolucion, sales.CreditLine{Line: 0, Cantidad: d("10")})
	reb := note(sales.Rebaja, sales.CreditLine{Line: 0, Rebate: d("1.50")})
	cancelNote(t, f, reb)

	l := NewInvoiceList(f.store, f.co.RFC)
	lines, err := l.traceInvoice(ctx, f.stamped)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := f.store.FindInvoiceByID(ctx, f.stamped)
	if err != nil {
		t.Fatal(err)
	}
	money := func(x decimal.Decimal) string { return tax.FormatMXN(x) + " MXN" }
	i := slices.Index(lines, "Notas de crédito de esta factura:")
	if i < 0 {
		t.Fatalf("trace without credit notes:\n%s", strings.Join(lines, "\n"))
	}
	want := []string{
		"Notas de crédito de esta factura:",
		"• N-1 — Devolución — Generada — " + money(ret.Total),
		"• N-2 — Rebaja — Cancelada — " + money(reb.Total) + " — no se descuenta",
		"Queda de la factura: " + money(inv.Total.Sub(ret.Total)) + " (" + money(inv.Total) + " menos " + money(ret.Total) +
			" de notas de crédito vigentes) — Acreditada en parte",
	}
	if got := lines[i:]; !slices.Equal(got, want) {
		t.Errorf("trace =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// 10 of 100 screws at 11.50 plus IVA: 133.40 of 1,334.00.
	if !ret.Total.Equal(d("133.4")) || !inv.Total.Equal(d("1334")) {
		t.Errorf("return %s of invoice %s", ret.Total, inv.Total)
	}
	// The credit note's own trace speaks of a credit note and lists no notes.
	lines, err = l.traceInvoice(ctx, ret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(lines, "Esta nota de crédito relaciona:") || slices.Contains(lines, "Notas de crédito de esta factura:") {
		t.Errorf("trace of the note:\n%s", strings.Join(lines, "\n"))
	}
}

// cancelNote stamps note n and records SAT's acceptance of its cancellation.
func cancelNote(t *testing.T, f *postedFixture, n sales.Invoice) {
	t.Helper()
	ctx := context.Background()
	q := sqlite.NewStampStore(f.store)
	docID, _, _, err := f.store.InvoiceDocument(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	xml, _, err := f.store.InvoiceXML(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	const uuid = "0C2B5B9B-6F43-4E4D-A2F5-1A1B1C1D1E1F"
	if xml, err = cfdi.InsertTimbre(xml, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
		FechaTimbrado: "2026-11-25T12:00:05", RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG9TQVQ="}); err != nil {
		t.Fatal(err)
	}
	if err := q.MarkStamped(ctx, docID, xml, uuid, stamping.Outcome{}, editorNow); err != nil {
		t.Fatal(err)
	}
	id, err := q.SaveCancellation(ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: editorNow,
		Request: stamping.CancelRequest{IssuerRFC: n.Issuer, UUID: uuid, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.UpdateCancelStatus(ctx, id, stamping.SATStatus{Estado: "Cancelado",
		EstatusCancelacion: "Cancelado sin aceptación"}, editorNow); err != nil {
		t.Fatal(err)
	}
}
