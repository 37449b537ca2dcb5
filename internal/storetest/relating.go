package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// testDocumentsRelatingTo: the documents of one issuer that mention a UUID
// (upper or lower case) come oldest first with their stamped XML once
// stamped, leaving out the document stamped with that UUID, other
// issuers' documents and unrelated ones.
func testDocumentsRelatingTo(t *testing.T, f *fixture) {
	const orig = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	fecha := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	post := func(issuer, folio, xml string) int64 {
		t.Helper()
		id, err := f.q.Post(f.ctx, stamping.NewDocument{IssuerRFC: issuer, Serie: "R", Folio: folio, TipoDeComprobante: "I",
			Fecha: fecha, CustomID: issuer + "-R-" + folio, SealedXML: []byte(xml)})
		if err != nil {
			t.Fatal(err)
		}
		fecha = fecha.Add(time.Hour)
		return id
	}
	rel := func(folio, uuid string) string {
		return fmt.Sprintf(`<cfdi:Comprobante Folio="%s"><cfdi:CfdiRelacionados TipoRelacion="04"><cfdi:CfdiRelacionado UUID="%s"/></cfdi:CfdiRelacionados></cfdi:Comprobante>`, folio, uuid)
	}
	id := post("EKU9003173C9", "1", `<cfdi:Comprobante Folio="1"/>`)
	if err := f.q.MarkStamped(f.ctx, id, []byte(`<cfdi:Comprobante Folio="1" stamped="yes"/>`), orig, stamping.Outcome{}, fecha); err != nil {
		t.Fatal(err)
	}
	sub := post("EKU9003173C9", "2", rel("2", "5fb2822e-396d-4725-8521-cdc4bdd20ccf"))
	if err := f.q.MarkStamped(f.ctx, sub, []byte(rel("2", orig)+"<!-- stamped -->"), "0C2B5B9B-6F43-4E4D-A2F5-1A1B1C1D1E1F", stamping.Outcome{}, fecha); err != nil {
		t.Fatal(err)
	}
	post("EKU9003173C9", "3", rel("3", orig))
	post("EKU9003173C9", "4", rel("4", "11111111-2222-3333-4444-555555555555"))
	post("CACX7605101P8", "1", rel("1", orig))

	got, err := f.s.DocumentsRelatingTo(f.ctx, "EKU9003173C9", " "+orig[:8]+"-396d-4725-8521-CDC4BDD20CCF")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{rel("2", orig) + "<!-- stamped -->", rel("3", orig)}
	if len(got) != len(want) {
		t.Fatalf("got %d documents: %q", len(got), got)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("document %d = %s, want %s", i, got[i], want[i])
		}
	}
	if got, err := f.s.DocumentsRelatingTo(f.ctx, "EKU9003173C9", ""); err != nil || got != nil {
		t.Errorf("empty UUID = %q, %v", got, err)
	}
}

// testInvoiceOfDocument: a posted invoice's stamp-queue document leads back
// to it; a document no invoice owns is NotFound.
func testInvoiceOfDocument(t *testing.T, f *fixture) {
	f.series("A", "I")
	inv := f.mustPost(f.draft("A").ID)
	doc := f.document(inv)
	got, err := f.s.InvoiceOfDocument(f.ctx, doc.ID)
	if err != nil || got != inv.ID {
		t.Fatalf("InvoiceOfDocument(%d) = %d, %v; want %d", doc.ID, got, err, inv.ID)
	}
	other, err := f.q.Post(f.ctx, stamping.NewDocument{IssuerRFC: f.co.RFC, Serie: "X", Folio: "1", TipoDeComprobante: "I",
		Fecha: base, CustomID: "sin-factura", SealedXML: []byte(`<cfdi:Comprobante/>`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.InvoiceOfDocument(f.ctx, other); domain.KindOf(err) != domain.NotFound {
		t.Errorf("InvoiceOfDocument(no invoice's) = %v, want NotFound", err)
	}
}
