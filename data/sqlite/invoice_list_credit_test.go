package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// creditFixture posts and stamps invoices and credit notes against them
// through the domain's use cases.
type creditFixture struct {
	t    *testing.T
	ctx  context.Context
	s    *Store
	q    *StampStore
	c    sales.Customer
	uuid int
}

func newCreditFixture(t *testing.T) *creditFixture {
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	return &creditFixture{t: t, ctx: context.Background(), s: s, q: NewStampStore(s), c: mustCreateCustomer(t, s, sales.DemoCustomers()[0])}
}

// stamp records document id (an invoice or a note) as stamped by the PAC.
func (f *creditFixture) stamp(id int64) (sales.Invoice, string) {
	f.t.Helper()
	docID, _, _, err := f.s.InvoiceDocument(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	inv, err := f.s.FindInvoiceByID(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	f.uuid++
	uuid := fmt.Sprintf("5FB2822E-396D-4725-8521-%012d", f.uuid)
	xml, _, err := f.s.InvoiceXML(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	if xml, err = cfdi.InsertTimbre(xml, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
		FechaTimbrado: "2026-11-25T12:00:05", RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="}); err != nil {
		f.t.Fatal(err)
	}
	if err := f.q.MarkStamped(f.ctx, docID, xml, uuid, stamping.Outcome{Class: stamping.Stamped}, salesClock); err != nil {
		f.t.Fatal(err)
	}
	if inv, err = f.s.FindInvoiceByID(f.ctx, inv.ID); err != nil {
		f.t.Fatal(err)
	}
	return inv, uuid
}

// invoice posts and stamps an invoice of two units.
func (f *creditFixture) invoice() sales.Invoice {
	f.t.Helper()
	d := mustSaveDraft(f.t, f.s, draftFor(f.c, "A"))
	if _, err := postDraft(f.t, f.s, d.ID, sales.PostOptions{}, salesClock); err != nil {
		f.t.Fatal(err)
	}
	inv, _ := f.stamp(d.ID)
	return inv
}

// note posts a credit note of kind against inv's first line for value (a
// quantity returned or a rebate per unit).
func (f *creditFixture) note(inv sales.Invoice, kind sales.CreditKind, value string) sales.Invoice {
	f.t.Helper()
	done, err := f.s.Credited(f.ctx, inv.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	cl := sales.CreditLine{Line: 0, Cantidad: dec(value)}
	if kind == sales.Rebaja {
		cl = sales.CreditLine{Line: 0, Rebate: dec(value)}
	}
	n, err := sales.BuildCreditNote(&inv, kind, "NC", []sales.CreditLine{cl}, done, 2)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.s.SaveDraft(f.ctx, &n); err != nil {
		f.t.Fatal(err)
	}
	posted, err := postDraft(f.t, f.s, n.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		f.t.Fatalf("post credit note: %v", err)
	}
	return posted
}

// cancel stamps note n, then records SAT's acceptance of its cancellation.
func (f *creditFixture) cancel(n sales.Invoice) {
	f.t.Helper()
	_, uuid := f.stamp(n.ID)
	docID, _, _, err := f.s.InvoiceDocument(f.ctx, n.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	id, err := f.q.SaveCancellation(f.ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: salesClock,
		Request: stamping.CancelRequest{IssuerRFC: n.Issuer, UUID: uuid, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.q.UpdateCancelStatus(f.ctx, id, stamping.SATStatus{Estado: "Cancelado",
		EstatusCancelacion: "Cancelado sin aceptación"}, salesClock); err != nil {
		f.t.Fatal(err)
	}
}

func (f *creditFixture) list(flt sales.InvoiceFilter) map[int64]sales.InvoiceRow {
	f.t.Helper()
	flt.Issuer = testIssuer
	rows, err := f.s.FindInvoices(f.ctx, flt)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[int64]sales.InvoiceRow{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// TestInvoiceListCredit: the list filters by document type, tells each
// invoice what its live credit notes took (none, part, all; a cancelled
// note takes nothing) and each credit note its kind and invoice.
func TestInvoiceListCredit(t *testing.T) {
	f := newCreditFixture(t)
	untouched, partial, full, cancelled := f.invoice(), f.invoice(), f.invoice(), f.invoice()
	// Given: one unit of two returned, then a rebate of 1.00 per unit, on
	// partial; both units returned on full; both units returned on
	// cancelled, then that note cancelled.
	ret := f.note(partial, sales.Devolucion, "1")
	reb := f.note(partial, sales.Rebaja, "1")
	whole := f.note(full, sales.Devolucion, "2")
	gone := f.note(cancelled, sales.Devolucion, "2")
	f.cancel(gone)
	if !whole.Total.Equal(full.Total) {
		t.Fatalf("the whole return totals %s, the invoice %s", whole.Total, full.Total)
	}

	// The invoices' list has the invoices only, with what was credited.
	inv := f.list(sales.InvoiceFilter{Tipo: "I"})
	if len(inv) != 4 {
		t.Fatalf("Tipo I: %d rows, want the 4 invoices", len(inv))
	}
	for _, tt := range []struct {
		name     string
		id       int64
		want     sales.CreditedState
		credited string
	}{
		{"no note", untouched.ID, sales.CreditedNone, "0"},
		{"a return and a rebate", partial.ID, sales.CreditedPartial, ret.Total.Add(reb.Total).String()},
		{"everything returned", full.ID, sales.CreditedFull, full.Total.String()},
		{"its note cancelled", cancelled.ID, sales.CreditedNone, "0"},
	} {
		r := inv[tt.id]
		if r.Tipo != "I" || r.Credited != tt.want || !r.CreditedTotal.Equal(dec(tt.credited)) || r.CreditKind != "" || r.RelatedFolios != nil {
			t.Errorf("%s: tipo %q credited %q (%s), kind %q, related %v; want %q (%s)", tt.name, r.Tipo, r.Credited,
				r.CreditedTotal, r.CreditKind, r.RelatedFolios, tt.want, tt.credited)
		}
	}

	// The credit notes' list has the notes only, with their kind and
	// invoice; a cancelled one stays listed as cancelled.
	notes := f.list(sales.InvoiceFilter{Tipo: "E"})
	if len(notes) != 4 {
		t.Fatalf("Tipo E: %d rows, want the 4 notes", len(notes))
	}
	for _, tt := range []struct {
		note  sales.Invoice
		kind  sales.CreditKind
		of    sales.Invoice
		state sales.State
	}{
		{ret, sales.Devolucion, partial, sales.StateSealed},
		{reb, sales.Rebaja, partial, sales.StateSealed},
		{whole, sales.Devolucion, full, sales.StateSealed},
		{gone, sales.Devolucion, cancelled, sales.StateCancelled},
	} {
		r := notes[tt.note.ID]
		if r.Tipo != "E" || r.CreditKind != tt.kind || !slices.Equal(r.RelatedFolios, []string{tt.of.FolioText()}) ||
			r.State != tt.state || r.Credited != sales.CreditedNone {
			t.Errorf("note %s: tipo %q kind %q related %v state %q credited %q; want %q of %s, %q", tt.note.FolioText(),
				r.Tipo, r.CreditKind, r.RelatedFolios, r.State, r.Credited, tt.kind, tt.of.FolioText(), tt.state)
		}
	}
	// Tabs and searches combine with the type.
	if got := f.list(sales.InvoiceFilter{Tipo: "E", Status: sales.StatusCancelled}); len(got) != 1 || got[gone.ID].ID == 0 {
		t.Errorf("cancelled notes: %v", got)
	}
	if got := f.list(sales.InvoiceFilter{Tipo: "E", Search: f.c.RFC}); len(got) != 4 {
		t.Errorf("notes of the customer: %d rows, want 4", len(got))
	}
	if got := f.list(sales.InvoiceFilter{Tipo: "I", Search: whole.FolioText()}); len(got) != 0 {
		t.Errorf("a note's folio in the invoices' list: %v", got)
	}
	if got := f.list(sales.InvoiceFilter{}); len(got) != 8 {
		t.Errorf("every type: %d rows, want 8", len(got))
	}
	if got := f.list(sales.InvoiceFilter{Tipo: "P"}); len(got) != 0 {
		t.Errorf("unknown type: %v", got)
	}
	// The trace reads the same notes, the cancelled one included.
	rows, err := f.s.CreditNotesOf(f.ctx, cancelled.ID)
	if err != nil || len(rows) != 1 || rows[0].Live() {
		t.Errorf("CreditNotesOf(cancelled) = %+v, %v", rows, err)
	}
}

// TestCreditNoteListUsesIndexes: the credit notes' list walks its partial
// indexes, whatever the tab or search, among many invoices.
func TestCreditNoteListUsesIndexes(t *testing.T) {
	s := openSalesStore(t)
	if err := s.SeedInvoices(context.Background(), SeedOptions{Issuer: testIssuer, Invoices: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for name, f := range map[string]sales.InvoiceFilter{
		"notes":          {Tipo: "E"},
		"notes tab":      {Tipo: "E", Status: sales.StatusStamped},
		"notes keyset":   {Tipo: "E", Status: sales.StatusStamped, After: &sales.InvoiceCursor{Fecha: day, ID: 10}},
		"notes common":   {Tipo: "E", Search: "garcia"},
		"notes tab word": {Tipo: "E", Status: sales.StatusCancelled, Search: "garcia"},
	} {
		f.Issuer = testIssuer
		// A search by a common word walks the list by date (a few
		// customers' documents are read through invoices_customer and
		// sorted, as in the invoices' list).
		var cust customerMatch
		if isCustomerSearch(f.Search) {
			cust.many = true
		}
		query, args, _ := invoiceListQuery(f, cust)
		rows, err := s.ReadDB().Query("EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		t.Logf("%s: %q", name, plan)
		// The outer loop walks a credit-note index in list order: no sort
		// of the page (a sort inside the customer subquery is its own).
		if len(plan) == 0 || !containsAny(plan[0], "invoices_credit_list", "invoices_credit_fecha") {
			t.Errorf("%s: plan %q does not walk a credit-note index", name, plan)
		}
		for _, d := range plan {
			if d == "SCAN invoices" || d == "SCAN customers" {
				t.Errorf("%s: full scan in plan: %q", name, plan)
			}
		}
	}
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}
