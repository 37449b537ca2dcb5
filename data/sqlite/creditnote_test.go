package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestCreditNoteThroughThePostingPath: a return built by the domain from a
// stamped invoice posts through the same use case as an invoice, in its own
// E series, related to the invoice with TipoRelacion 03, and SAT's tools
// accept the sealed Egreso.
func TestCreditNoteThroughThePostingPath(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	docID, _, _, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	const uuid = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	if err := NewStampStore(s).MarkStamped(ctx, docID, inv.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, salesClock); err != nil {
		t.Fatal(err)
	}
	inv, err = s.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}

	// One of the two units is returned.
	note, err := sales.BuildCreditNote(&inv, sales.Devolucion, "NC", []sales.CreditLine{{Line: 0, Cantidad: dec("1")}}, sales.Credited{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, &note); err != nil {
		t.Fatal(err)
	}
	posted, err := postDraft(t, s, note.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatalf("post credit note: %v", err)
	}
	x, err := cfdi.Parse(posted.SealedXML)
	if err != nil {
		t.Fatal(err)
	}
	if x.TipoDeComprobante != "E" || x.Serie != "NC" || x.Folio != "1" || x.Receptor.UsoCFDI != "G02" || x.MetodoPago != "PUE" ||
		len(x.CfdiRelacionados) != 1 || x.CfdiRelacionados[0].TipoRelacion != "03" || x.CfdiRelacionados[0].CfdiRelacionado[0].UUID != uuid {
		t.Errorf("sealed credit note: tipo %s serie %s folio %s uso %s metodo %s relacionados %+v",
			x.TipoDeComprobante, x.Serie, x.Folio, x.Receptor.UsoCFDI, x.MetodoPago, x.CfdiRelacionados)
	}
	// Half the invoice, to the centavo.
	half := inv.Total.Div(dec("2")).StringFixed(2)
	if x.Total != half {
		t.Errorf("credit note total %s, want half the invoice's %s", x.Total, inv.Total.StringFixed(2))
	}
	rel, err := findRelations(ctx, s.ReadDB(), note.ID)
	if err != nil || len(rel) != 1 || rel[0].DocumentID != inv.ID {
		t.Errorf("stored relations = %+v, %v; want the invoice %d", rel, err, inv.ID)
	}
	file := filepath.Join(t.TempDir(), "nc.xml")
	if err := os.WriteFile(file, posted.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Fatalf("verify-seal.sh: %s", verdict)
	}
}

// stampedInvoice posts an invoice of qty units of the demo laptop for the
// demo customer in series A and records the PAC's stamp with uuid.
func stampedInvoice(t *testing.T, s *Store, qty, uuid string) sales.Invoice {
	t.Helper()
	ctx := context.Background()
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	draft := draftFor(c, "A")
	draft.Lines[0].Cantidad = dec(qty)
	d := mustSaveDraft(t, s, draft)
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock)
	if err != nil {
		t.Fatal(err)
	}
	stampNote(t, s, inv, uuid)
	inv, err = s.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// stampNote records the PAC's stamp uuid on posted document inv.
func stampNote(t *testing.T, s *Store, inv sales.Invoice, uuid string) int64 {
	t.Helper()
	ctx := context.Background()
	docID, _, _, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewStampStore(s).MarkStamped(ctx, docID, inv.SealedXML, uuid, stamping.Outcome{Class: stamping.Stamped}, salesClock); err != nil {
		t.Fatal(err)
	}
	return docID
}

// cancelAtSAT records a cancellation of stamped document docID as the
// stamps screen does: the PAC's receipt (201, in process), then SAT's
// answer "Cancelado".
func cancelAtSAT(t *testing.T, s *Store, docID int64, uuid string) {
	t.Helper()
	ctx := context.Background()
	q := NewStampStore(s)
	id, err := q.SaveCancellation(ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: salesClock,
		Request: stamping.CancelRequest{IssuerRFC: testIssuer, UUID: uuid, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.UpdateCancelStatus(ctx, id, stamping.SATStatus{Estado: "Cancelado", EstatusCancelacion: "Cancelado sin aceptación"}, salesClock); err != nil {
		t.Fatal(err)
	}
}

// postReturn saves and posts a return of qty units of line 0 of inv built
// from done.
func postReturn(t *testing.T, s *Store, inv *sales.Invoice, qty string, done sales.Credited) (sales.Invoice, error) {
	t.Helper()
	note := buildReturn(t, s, inv, qty, done)
	return postDraft(t, s, note.ID, sales.PostOptions{}, salesClock)
}

// buildReturn saves the draft of a return of qty units of line 0 of inv
// built from done, as the form does.
func buildReturn(t *testing.T, s *Store, inv *sales.Invoice, qty string, done sales.Credited) sales.Invoice {
	t.Helper()
	note, err := sales.BuildCreditNote(inv, sales.Devolucion, "NC", []sales.CreditLine{{Line: 0, Cantidad: dec(qty)}}, done, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(context.Background(), &note); err != nil {
		t.Fatal(err)
	}
	return note
}

// verifySealed checks posted document inv's sealed XML with SAT's tools.
func verifySealed(t *testing.T, inv sales.Invoice) {
	t.Helper()
	file := filepath.Join(t.TempDir(), inv.FolioText()+".xml")
	if err := os.WriteFile(file, inv.SealedXML, 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, verdict := testpack.VerifySeal(t, file); !ok {
		t.Errorf("%s: verify-seal.sh: %s", inv.FolioText(), verdict)
	}
}

// nextFolio returns the next folio of issuer's series serie.
func nextFolio(t *testing.T, s *Store, serie string) int64 {
	t.Helper()
	list, err := s.FindSeries(context.Background(), testIssuer)
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range list {
		if sr.Serie == serie {
			return sr.NextFolio
		}
	}
	t.Fatalf("no series %s", serie)
	return 0
}

// TestCreditNotePartialReturnsAndCancellation: two returns of one invoice
// add up in Store.Credited; a third built from figures read before the
// second was posted is refused by the posting transaction without taking a
// folio; the invoice may not be cancelled while a note is live, and may
// once they are cancelled; CreditNotesOf lists them all.
func TestCreditNotePartialReturnsAndCancellation(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	const uuid = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	inv := stampedInvoice(t, s, "10", uuid)
	q := NewStampStore(s)
	invDoc, _, _, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}

	// Given a first return of 3 of the 10 laptops…
	nc1, err := postReturn(t, s, &inv, "3", sales.Credited{})
	if err != nil {
		t.Fatalf("first return: %v", err)
	}
	done, err := s.Credited(ctx, inv.ID)
	if err != nil || !done.Returned[0].Equal(dec("3")) {
		t.Fatalf("Credited after NC-1 = %+v, %v; want 3 returned", done, err)
	}
	// …and a third note drafted now, from those figures (7 left)…
	stale := buildReturn(t, s, &inv, "5", done)
	// …when a second return of 4 is posted first…
	nc2, err := postReturn(t, s, &inv, "4", done)
	if err != nil {
		t.Fatalf("second return: %v", err)
	}
	if done, err = s.Credited(ctx, inv.ID); err != nil || !done.Returned[0].Equal(dec("7")) {
		t.Fatalf("Credited after NC-2 = %+v, %v; want 7 returned", done, err)
	}
	if nc1.FolioText() != "NC-1" || nc2.FolioText() != "NC-2" {
		t.Errorf("folios %s and %s, want NC-1 and NC-2", nc1.FolioText(), nc2.FolioText())
	}
	// …then the stale note is refused by the posting transaction: only 3 are left.
	_, err = postDraft(t, s, stale.ID, sales.PostOptions{}, salesClock)
	if got, want := sales.FieldErrors(err)["Lines[0].Cantidad"], "No se pueden devolver más de 3: se facturaron 10 y ya se devolvieron 7."; got != want {
		t.Errorf("stale note: %v (%q), want %q", err, got, want)
	}
	if n := nextFolio(t, s, "NC"); n != 3 {
		t.Errorf("next NC folio after the refusal = %d, want 3 (no folio consumed)", n)
	}
	if n, err := s.CountVoidedFolios(ctx, testIssuer, "NC"); err != nil || n != 0 {
		t.Errorf("voided NC folios = %d, %v; want none", n, err)
	}
	if got, err := s.FindInvoiceByID(ctx, stale.ID); err != nil || got.State != sales.StateDraft || got.Folio != 0 {
		t.Errorf("stale note after the refusal: state %s folio %d, %v; want an untouched draft", got.State, got.Folio, err)
	}
	// SAT's tools accept both Egresos.
	verifySealed(t, nc1)
	verifySealed(t, nc2)

	// The invoice may not be cancelled while its notes are live (sealed, then stamped).
	if err := q.AllowCancel(ctx, invDoc); domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "(NC-1, NC-2)") {
		t.Errorf("AllowCancel with two sealed notes = %v, want a Conflict naming NC-1 and NC-2", err)
	}
	const uuid1, uuid2 = "11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-AAAAAAAAAAAA"
	doc1, doc2 := stampNote(t, s, nc1, uuid1), stampNote(t, s, nc2, uuid2)
	// A note itself may be cancelled: nothing credits it.
	if err := q.AllowCancel(ctx, doc1); err != nil {
		t.Errorf("AllowCancel of the note NC-1 = %v", err)
	}
	cancelAtSAT(t, s, doc1, uuid1)
	err = q.AllowCancel(ctx, invDoc)
	if want := "La factura tiene notas de crédito vigentes (NC-2); cancélelas antes de cancelar la factura."; domain.UserMessage(err) != want {
		t.Errorf("AllowCancel with NC-2 live = %v, want %q", err, want)
	}
	// A cancelled note gives back what it took.
	if done, err = s.Credited(ctx, inv.ID); err != nil || !done.Returned[0].Equal(dec("4")) {
		t.Errorf("Credited after cancelling NC-1 = %+v, %v; want 4 returned", done, err)
	}
	cancelAtSAT(t, s, doc2, uuid2)
	if err := q.AllowCancel(ctx, invDoc); err != nil {
		t.Errorf("AllowCancel once every note is cancelled = %v", err)
	}

	// CreditNotesOf lists both, cancelled, oldest first; the draft is not a note yet.
	notes, err := s.CreditNotesOf(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[0].FolioText() != "NC-1" || notes[1].FolioText() != "NC-2" ||
		notes[0].State != sales.StateCancelled || notes[1].State != sales.StateCancelled || notes[0].Live() ||
		notes[0].UUID != uuid1 || notes[1].Kind != sales.Devolucion || !notes[0].Total.Equal(nc1.Total) {
		t.Errorf("CreditNotesOf = %+v", notes)
	}
}

// TestCreditNotesOfListsLiveAndCancelled: the trace shows a live and a
// cancelled note side by side.
func TestCreditNotesOfListsLiveAndCancelled(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	inv := stampedInvoice(t, s, "5", "5FB2822E-396D-4725-8521-CDC4BDD20CCF")
	nc1, err := postReturn(t, s, &inv, "1", sales.Credited{})
	if err != nil {
		t.Fatal(err)
	}
	done, _ := s.Credited(ctx, inv.ID)
	nc2, err := postReturn(t, s, &inv, "2", done)
	if err != nil {
		t.Fatal(err)
	}
	const uuid1 = "11111111-2222-4333-8444-555555555555"
	cancelAtSAT(t, s, stampNote(t, s, nc1, uuid1), uuid1)
	notes, err := s.CreditNotesOf(ctx, inv.ID)
	if err != nil || len(notes) != 2 {
		t.Fatalf("CreditNotesOf = %+v, %v", notes, err)
	}
	if notes[0].ID != nc1.ID || notes[0].State != sales.StateCancelled || notes[0].Live() ||
		notes[1].ID != nc2.ID || notes[1].State != sales.StateSealed || !notes[1].Live() {
		t.Errorf("CreditNotesOf = %+v, want NC-1 cancelled and NC-2 live", notes)
	}
	if done, err := s.Credited(ctx, inv.ID); err != nil || !done.Returned[0].Equal(dec("2")) {
		t.Errorf("Credited = %+v, %v; want only NC-2's 2", done, err)
	}
	verifySealed(t, nc1)
	verifySealed(t, nc2)
}

// TestFindDocument: `folio post` names a note's invoices by SERIE-FOLIO (any
// case) or UUID; a draft, another issuer's document or a typo is NotFound.
func TestFindDocument(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	const uuid = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	inv := stampedInvoice(t, s, "1", uuid)
	draft := mustSaveDraft(t, s, draftFor(inv.Customer, "A"))
	for _, ref := range []string{"A-1", " a-1 ", uuid, strings.ToLower(uuid)} {
		got, err := s.FindDocument(ctx, testIssuer, ref)
		if err != nil || got.ID != inv.ID || got.UUID != uuid || len(got.Lines) != 1 {
			t.Errorf("FindDocument(%q) = %d %s, %v; want A-1", ref, got.ID, got.UUID, err)
		}
	}
	for _, ref := range []string{"A-2", "A-0", "A-x", "B-1", "A", "", "00000000-0000-4000-8000-000000000000"} {
		if _, err := s.FindDocument(ctx, testIssuer, ref); domain.KindOf(err) != domain.NotFound {
			t.Errorf("FindDocument(%q) = %v, want NotFound", ref, err)
		}
	}
	if _, err := s.FindDocument(ctx, "CACX7605101P8", "A-1"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("another issuer's A-1: %v, want NotFound", err)
	}
	if draft.Folio != 0 {
		t.Fatalf("draft has folio %d", draft.Folio)
	}
}
