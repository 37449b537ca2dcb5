package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/stamping"
)

func TestDocumentsRelatingTo(t *testing.T) {
	ctx := context.Background()
	s := MustOpenTest(t)
	q := NewStampStore(s)
	const orig = "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
	fecha := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	post := func(issuer, folio, xml string) int64 {
		t.Helper()
		id, err := q.Post(ctx, stamping.NewDocument{IssuerRFC: issuer, Serie: "A", Folio: folio, TipoDeComprobante: "I",
			Fecha: fecha, CustomID: issuer + "-" + folio, SealedXML: []byte(xml)})
		if err != nil {
			t.Fatal(err)
		}
		fecha = fecha.Add(time.Hour)
		return id
	}
	rel := func(folio, uuid string) string {
		return fmt.Sprintf(`<cfdi:Comprobante Folio="%s"><cfdi:CfdiRelacionados TipoRelacion="04"><cfdi:CfdiRelacionado UUID="%s"/></cfdi:CfdiRelacionados></cfdi:Comprobante>`, folio, uuid)
	}
	// Given the original (stamped with orig), a substitute written in lower
	// case and stamped, a sealed credit note, one unrelated document and
	// one of another issuer,
	id := post("EKU9003173C9", "1", `<cfdi:Comprobante Folio="1"/>`)
	if err := q.MarkStamped(ctx, id, []byte(`<cfdi:Comprobante Folio="1" stamped="yes"/>`), orig, stamping.Outcome{}, fecha); err != nil {
		t.Fatal(err)
	}
	sub := post("EKU9003173C9", "2", rel("2", "5fb2822e-396d-4725-8521-cdc4bdd20ccf"))
	if err := q.MarkStamped(ctx, sub, []byte(rel("2", orig)+"<!-- stamped -->"), "0C2B5B9B-6F43-4E4D-A2F5-1A1B1C1D1E1F", stamping.Outcome{}, fecha); err != nil {
		t.Fatal(err)
	}
	post("EKU9003173C9", "3", rel("3", orig))
	post("EKU9003173C9", "4", rel("4", "11111111-2222-3333-4444-555555555555"))
	post("CACX7605101P8", "1", rel("1", orig))

	// when the documents relating to orig are asked for,
	got, err := s.DocumentsRelatingTo(ctx, "EKU9003173C9", " "+orig[:8]+"-396d-4725-8521-CDC4BDD20CCF")
	if err != nil {
		t.Fatal(err)
	}
	// then the substitute (its stamped XML) and the credit note come, in
	// order, and nothing else.
	want := []string{rel("2", orig) + "<!-- stamped -->", rel("3", orig)}
	if len(got) != len(want) {
		t.Fatalf("got %d documents: %q", len(got), got)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("document %d = %s, want %s", i, got[i], want[i])
		}
	}
	if got, err := s.DocumentsRelatingTo(ctx, "EKU9003173C9", ""); err != nil || got != nil {
		t.Errorf("empty UUID = %q, %v", got, err)
	}
}
