package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
