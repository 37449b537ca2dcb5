package invoices

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// postedFixture adds to the editor fixture an invoice posted, sealed with
// the demo CSD and stamped (a TimbreFiscalDigital inserted as a PAC would),
// a sealed credit note of another system whose CfdiRelacionados names it,
// and a draft.
type postedFixture struct {
	*editorFixture
	stamped, draft int64
	uuid           string
	stampedXML     []byte
}

func newPostedFixture(t *testing.T) *postedFixture {
	t.Helper()
	f := &postedFixture{editorFixture: newEditorFixture(t), uuid: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}
	ctx := context.Background()
	cs, err := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "CACX7605101P8"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customer: %v, %d found", err, len(cs))
	}
	ps, err := f.store.FindProducts(ctx, sales.ProductFilter{Query: "TOR-01"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("product: %v, %d found", err, len(ps))
	}
	draft := func(qty int64) sales.Invoice {
		inv := sales.Invoice{Issuer: f.co.RFC, Serie: "A", CustomerID: cs[0].ID, Customer: cs[0], UsoCFDI: "G03",
			FormaPago: "03", OrderRef: "OC-9", Notes: "Entregar en almacén",
			Lines: []sales.Line{sales.LineFromProduct(&ps[0], decimal.NewFromInt(qty))}}
		if _, err := f.deps.Invoices.SaveDraft(ctx, &inv); err != nil {
			t.Fatal(err)
		}
		return inv
	}
	inv := draft(100)
	signer, err := f.deps.Signer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.deps.Invoices.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{}); err != nil {
		t.Fatal(err)
	}
	f.stamped = inv.ID
	f.draft = draft(3).ID

	q := sqlite.NewStampStore(f.store)
	docs, err := q.Documents(ctx, f.co.RFC)
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v, %d", err, len(docs))
	}
	f.stampedXML, err = cfdi.InsertTimbre(docs[0].SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: f.uuid,
		FechaTimbrado: "2026-11-25T12:00:05", RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG9TQVQ="})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.MarkStamped(ctx, docs[0].ID, f.stampedXML, f.uuid, stamping.Outcome{}, editorNow); err != nil {
		t.Fatal(err)
	}

	// The credit note: the sealed invoice re-foliated, relating the UUID.
	c, err := cfdi.Parse(docs[0].SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	c.Serie, c.Folio, c.TipoDeComprobante = "NC", "7", "E"
	c.CfdiRelacionados = []cfdi.CfdiRelacionados{{TipoRelacion: "01", CfdiRelacionado: []cfdi.CfdiRelacionado{{UUID: strings.ToLower(f.uuid)}}}}
	nc, err := cfdi.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Post(ctx, stamping.NewDocument{IssuerRFC: f.co.RFC, Serie: "NC", Folio: "7", TipoDeComprobante: "E",
		Fecha: editorNow, CustomID: "nc-7", SealedXML: nc}); err != nil {
		t.Fatal(err)
	}
	return f
}

// list shows the fixture's list with both rows loaded.
func (f *postedFixture) list(t *testing.T) *InvoiceList {
	t.Helper()
	l := NewInvoiceList(f.store, f.co.RFC)
	l.clock = func() time.Time { return editorNow.Add(24 * time.Hour) }
	if l.ops == nil {
		t.Fatal("*sqlite.Store does not offer the list's actions")
	}
	w := test.NewWindow(l)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1100, 600))
	l.Reload()
	f.q.RunUntil(t, "rows", func() bool { return len(l.rows) == 2 && !l.loading })
	return l
}

// rowOf selects the row of invoice id.
func rowOf(t *testing.T, l *InvoiceList, id int64) row {
	t.Helper()
	for i, r := range l.rows {
		if r.id == id {
			l.table.Select(widget.TableCellID{Row: i})
			return r
		}
	}
	t.Fatalf("invoice %d not listed", id)
	return row{}
}

func TestInvoiceListDuplicateAndDelete(t *testing.T) {
	f := newPostedFixture(t)
	ctx := context.Background()
	l := f.list(t)
	var opened []int64
	l.OnOpen = func(id int64) { opened = append(opened, id) }

	// Given the stamped invoice selected, when "Duplicar" is tapped,
	r := rowOf(t, l, f.stamped)
	if r.status != sales.StatusStamped || l.btnDuplicate.Disabled() {
		t.Fatalf("row %+v, Duplicar disabled %v", r, l.btnDuplicate.Disabled())
	}
	test.Tap(l.btnDuplicate)
	f.q.RunUntil(t, "duplicate opened", func() bool { return len(opened) == 1 })
	f.q.RunUntil(t, "list reloaded", func() bool { return len(l.rows) == 3 && !l.loading })

	// then a new draft with the same customer and lines, today's date, no
	// folio and no order reference is stored and opened.
	orig, err := f.store.FindInvoiceByID(ctx, f.stamped)
	if err != nil {
		t.Fatal(err)
	}
	dup, err := f.store.FindInvoiceByID(ctx, opened[0])
	if err != nil {
		t.Fatal(err)
	}
	if dup.Status != sales.StatusDraft || dup.Folio != 0 || dup.UUID != "" || len(dup.SealedXML) != 0 ||
		dup.CustomerID != orig.CustomerID || dup.OrderRef != "" || dup.Notes != orig.Notes ||
		!dup.Fecha.Equal(editorNow.Add(24*time.Hour)) || !dup.Total.Equal(orig.Total) {
		t.Errorf("duplicate = %+v", dup)
	}
	if len(dup.Lines) != 1 || dup.Lines[0].NoIdentificacion != "TOR-01" || !dup.Lines[0].Cantidad.Equal(decimal.NewFromInt(100)) {
		t.Errorf("duplicate lines = %+v", dup.Lines)
	}
	// The list shows it as a draft with the same total.
	if i := slices.IndexFunc(l.rows, func(r row) bool { return r.id == dup.ID }); i < 0 || l.rows[i].st != "Borrador" ||
		l.rows[i].total != formatRow(sales.InvoiceRow{Total: orig.Total, Moneda: "MXN"}).total {
		t.Errorf("rows = %+v", l.rows)
	}

	// Deleting the first draft leaves the duplicate; a posted invoice is
	// refused by the store and stays.
	l.deleteRow(rowOf(t, l, f.draft))
	f.q.RunUntil(t, "draft deleted", func() bool { return len(l.rows) == 2 && !l.loading })
	if _, err := f.store.FindInvoiceByID(ctx, f.draft); domain.KindOf(err) != domain.NotFound {
		t.Errorf("deleted draft: %v", err)
	}
	l.deleteRow(rowOf(t, l, f.stamped))
	f.q.RunUntil(t, "refusal shown", func() bool { return l.status.Importance == widget.DangerImportance })
	if _, err := f.store.FindInvoiceByID(ctx, f.stamped); err != nil {
		t.Errorf("stamped invoice after delete: %v", err)
	}
}

func TestInvoiceListTraceAndXML(t *testing.T) {
	f := newPostedFixture(t)
	ctx := context.Background()
	l := f.list(t)

	// Documentos relacionados: the stamped invoice relates nothing; the credit note relates
	// it (found although its XML writes the UUID in lower case).
	lines, err := l.traceInvoice(ctx, f.stamped)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"UUID: " + f.uuid,
		"Esta factura relaciona:", "• Ningún CFDI.",
		"Documentos que relacionan esta factura:", "• NC-7 — sin timbrar — Tipo de relación 01",
		"Notas de crédito de esta factura:", "• Ninguna.",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("trace =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// Related UUIDs are named by their folio when Folio has them.
	if got := l.localName(ctx, strings.ToLower(f.uuid)); got != "A-1 (Emitida)" {
		t.Errorf("local name = %q", got)
	}
	if got := l.localName(ctx, "11111111-2222-3333-4444-555555555555"); got != "no está en Folio" {
		t.Errorf("unknown UUID = %q", got)
	}
	// A draft has no XML to trace: the store's message is shown.
	if _, err := l.traceInvoice(ctx, f.draft); domain.KindOf(err) != domain.NotFound {
		t.Errorf("trace of a draft: %v", err)
	}

	// Guardar XML writes the stored stamped XML byte for byte.
	xml, stamped, err := l.ops.InvoiceXML(ctx, f.stamped)
	if err != nil || !stamped || !bytes.Equal(xml, f.stampedXML) {
		t.Fatalf("InvoiceXML: stamped %v, %v, same bytes %v", stamped, err, bytes.Equal(xml, f.stampedXML))
	}
	path := filepath.Join(t.TempDir(), xmlFileName(rowOf(t, l, f.stamped), f.co.RFC))
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := writeXML(w, xml); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, f.stampedXML) {
		t.Errorf("saved XML differs from the stored one (%v)", err)
	}
	if filepath.Base(path) != "A-1_EKU9003173C9.xml" {
		t.Errorf("file name = %s", filepath.Base(path))
	}
}
