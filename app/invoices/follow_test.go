package invoices

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// TestScreenFollowsTheData: with no user action, the list shows what the
// worker and the cancellation service recorded — Generada, then Emitida
// with its UUID, then "Cancelación en proceso" with "Cancelar factura"
// disabled so a second request cannot be made — and an open posted
// invoice is shown again with its UUID and state.
func TestScreenFollowsTheData(t *testing.T) {
	f := newEditorFixture(t)
	ctx := context.Background()
	cs, _ := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "CACX7605101P8"})
	ps, _ := f.store.FindProducts(ctx, sales.ProductFilter{Query: "TOR-01"})
	inv := sales.Invoice{Issuer: f.co.RFC, Serie: "A", CustomerID: cs[0].ID, Customer: cs[0], UsoCFDI: "G03", FormaPago: "03",
		Lines: []sales.Line{sales.LineFromProduct(&ps[0], decimal.NewFromInt(2))}}
	if _, err := f.deps.Invoices.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	signer, _ := f.deps.Signer(ctx)
	if _, err := f.deps.Invoices.Post(ctx, inv.ID, f.co, signer, sales.PostOptions{}); err != nil {
		t.Fatal(err)
	}
	s := NewScreen(ScreenDeps{List: f.store, Loader: f.store, Editor: f.deps, OnCancel: func(int64) {}}, f.co)
	w := test.NewWindow(s)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1200, 700))
	s.Reload()
	l := s.list
	stOf := func() string {
		if len(l.rows) != 1 || l.loading {
			return ""
		}
		return l.rows[0].st
	}
	f.q.RunUntil(t, "Generada", func() bool { return stOf() == "Generada" })

	// When the worker records the stamp and announces it…
	q := sqlite.NewStampStore(f.store)
	docID, _, _, err := f.store.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := q.Document(ctx, docID)
	const uuid = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	if err := q.MarkStamped(ctx, docID, d.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, editorNow); err != nil {
		t.Fatal(err)
	}
	s.Changed([]event.Event{{Kind: event.DocumentStamped, DocumentID: docID}})
	// …the row becomes Emitida, and cancelling it is offered.
	f.q.RunUntil(t, "Emitida", func() bool { return stOf() == "Emitida" && l.rows[0].cfdi == "TFD" })
	rowOf(t, l, inv.ID)
	if l.btnCancel.Disabled() {
		t.Fatal("Cancelar factura disabled on a stamped invoice")
	}

	// Given the invoice open in the editor, when SAT receives a cancellation
	// request, then the list and the editor show it in process.
	s.Open(inv.ID)
	f.q.RunUntil(t, "editor", func() bool { return s.editor != nil && s.editor.inv.ID == inv.ID })
	if _, err := q.SaveCancellation(ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: editorNow,
		Request: stamping.CancelRequest{IssuerRFC: f.co.RFC, UUID: uuid, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201"}}); err != nil {
		t.Fatal(err)
	}
	s.Changed([]event.Event{{Kind: event.CancellationRequested, IssuerRFC: f.co.RFC, DocumentID: docID}})
	f.q.RunUntil(t, "editor shows the request", func() bool {
		return s.editor != nil && s.editor.inv.State == sales.StateCancelRequested && s.editor.status.Text ==
			"Factura A-1: Cancelación en proceso. Folio fiscal (UUID): "+uuid
	})
	f.q.RunUntil(t, "row in process", func() bool { return stOf() == "Cancelación en proceso" })
	rowOf(t, l, inv.ID)
	if !l.btnCancel.Disabled() {
		t.Error("Cancelar factura enabled while a cancellation is in process: a second request would be easy")
	}

	// Another company's changes are not this screen's business.
	if concerns([]event.Event{{Kind: event.DocumentStamped, IssuerRFC: "CACX7605101P8"}}, f.co.RFC) {
		t.Error("an event of another issuer reloads the list")
	}
}
