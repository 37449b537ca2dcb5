package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
)

// ReceivedStore is what the import of CFDI issued elsewhere needs from a
// store: the documents, their suppliers and their SAT status, and the
// companies they must belong to; their link to invoices of Folio and
// concordancia's memory, with the sales ports that make and read those
// invoices.
type ReceivedStore interface {
	received.Store
	received.StatusStore
	received.LinkStore
	received.ConcordanceStore
	sales.InvoiceStore
	sales.AmountsStore
	SaveCompany(ctx context.Context, c *sales.Company) error
	CreateProduct(ctx context.Context, p *sales.Product) error
	SetCustomerActive(ctx context.Context, id int64, active bool) error
	InvoiceXML(ctx context.Context, id int64) (xml []byte, stamped bool, err error)
}

// RunReceived runs the contract of the imported CFDI against the stores
// open returns (new, empty, fully migrated, closed when t ends; now is
// the store's clock).
func RunReceived(t *testing.T, open func(t *testing.T, now func() time.Time) ReceivedStore) {
	t.Run("ImportedCFDI", func(t *testing.T) {
		t.Parallel()
		testReceived(t, open(t, func() time.Time { return base }))
	})
	t.Run("LinkAndConcordance", func(t *testing.T) {
		t.Parallel()
		testReceivedLink(t, open(t, func() time.Time { return base }))
	})
	t.Run("ConcordanceMemory", func(t *testing.T) {
		t.Parallel()
		testConcordanceMemory(t, open(t, func() time.Time { return base }))
	})
}

// receivedDoc is a document of company issuer: recibido from emisor, or
// emitido by issuer when emisor is "".
func receivedDoc(issuer, emisor, nombre, uuid, fecha, total string) received.Doc {
	d := received.Doc{Issuer: issuer, Direction: received.Recibido, Key: uuid, UUID: uuid, Version: "4.0", Serie: "F", Folio: uuid[len(uuid)-3:],
		RfcEmisor: emisor, NombreEmisor: nombre, RegimenEmisor: "601", RfcReceptor: issuer, NombreReceptor: "ESCUELA KEMPER URGATE",
		Fecha: fecha, Tipo: "I", Moneda: "MXN", Total: total, Verdict: "OK: sello y timbre válidos", OK: true,
		XML: []byte(fmt.Sprintf("<?xml version=\"1.0\"?>\n<cfdi:Comprobante Total=%q>\x00\xff\r\n</cfdi:Comprobante>", total)), Source: uuid + ".xml"}
	if emisor == "" {
		d.Direction, d.RfcEmisor, d.NombreEmisor = received.Emitido, issuer, "ESCUELA KEMPER URGATE"
		d.RfcReceptor, d.NombreReceptor = "URE180429TM6", nombre
	}
	return d
}

// testReceived: documents are stored once by their key, read back with
// their XML byte for byte, listed newest first by company, direction,
// dates and accent-insensitive words; the Emisor of each received one
// becomes a supplier of its company, named by its latest document; the
// ones never consulted at SAT are pending until their status is recorded.
func testReceived(t *testing.T, s ReceivedStore) {
	ctx := context.Background()
	co := sales.DemoCompany()
	if err := s.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	if rfcs, err := s.CompanyRFCs(ctx); err != nil || len(rfcs) != 1 || rfcs[0] != co.RFC {
		t.Fatalf("CompanyRFCs = %v, %v", rfcs, err)
	}
	const u = "5FB2822E-396D-4725-8521-000000000"
	docs := []received.Doc{
		receivedDoc(co.RFC, "AAA010101AAA", "PAPELERÍA ÁGUILA", u+"001", "2026-11-01T10:00:00", "1160.00"),
		receivedDoc(co.RFC, "BBB020202BBB", "FERRETERÍA DEL NORTE", u+"002", "2026-11-15T09:30:00", "99999999999999.999999"),
		receivedDoc(co.RFC, "AAA010101AAA", "PAPELERIA AGUILA SA DE CV", u+"003", "2026-11-20T18:45:10", "58.00"),
		receivedDoc(co.RFC, "", "UNIVERSIDAD ROBÓTICA ESPAÑOLA", u+"004", "2026-11-21T08:00:00", "156.60"),
	}
	docs = append(docs, docs[0]) // repeated in the batch
	stored, err := s.SaveReceived(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(stored) != "[true true true true false]" {
		t.Fatalf("stored = %v, want the repeated one refused", stored)
	}
	if again, err := s.SaveReceived(ctx, docs[:1]); err != nil || again[0] {
		t.Fatalf("a stored document again: %v, %v; want refused", again, err)
	}
	for i, d := range docs[:4] {
		if d.ID == 0 || d.ImportedAt != base.Format(time.RFC3339) {
			t.Errorf("doc %d: id %d imported at %q", i, d.ID, d.ImportedAt)
		}
		xml, err := s.ReceivedXML(ctx, d.ID)
		if err != nil || string(xml) != string(d.XML) {
			t.Errorf("ReceivedXML(%d) = %q, %v; want the bytes as read", d.ID, xml, err)
		}
	}
	if _, err := s.ReceivedXML(ctx, 999999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("ReceivedXML of a missing id = %v, want NotFound", err)
	}
	find := func(f received.Filter) string {
		t.Helper()
		list, err := s.FindReceived(ctx, f)
		if err != nil {
			t.Fatalf("FindReceived(%+v): %v", f, err)
		}
		out := ""
		for _, d := range list {
			out += d.Folio + " "
		}
		return out
	}
	for _, tc := range []struct {
		f    received.Filter
		want string
	}{
		{received.Filter{}, "004 003 002 001 "},
		{received.Filter{Issuer: co.RFC, Direction: received.Recibido}, "003 002 001 "},
		{received.Filter{Direction: received.Emitido}, "004 "},
		{received.Filter{Issuer: "XAXX010101000"}, ""},
		{received.Filter{From: "2026-11-15", To: "2026-11-20"}, "003 002 "},
		{received.Filter{Query: "papeleria aguila"}, "003 001 "},
		{received.Filter{Query: "ferretería"}, "002 "},
		{received.Filter{Query: "robotica"}, "004 "},
		{received.Filter{Query: "100%"}, ""},
		{received.Filter{Limit: 2}, "004 003 "},
	} {
		if got := find(tc.f); got != tc.want {
			t.Errorf("FindReceived(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	list, _ := s.FindReceived(ctx, received.Filter{Query: u + "002"})
	if len(list) != 1 || list[0].Total != "99999999999999.999999" || list[0].RfcEmisor != "BBB020202BBB" || !list[0].OK ||
		list[0].Direction != received.Recibido || list[0].XML != nil || list[0].SATStatus != "" || list[0].InvoiceID != 0 {
		t.Errorf("listed document = %+v", list)
	}
	sup, err := s.Suppliers(ctx, co.RFC)
	if err != nil || len(sup) != 2 || sup[0].RFC != "BBB020202BBB" || sup[1].Name != "PAPELERIA AGUILA SA DE CV" ||
		sup[1].Regimen != "601" || sup[1].Created != base.Format(time.RFC3339) {
		t.Errorf("Suppliers = %+v, %v; want two, named by their latest document, by name", sup, err)
	}

	pending, err := s.StatusPending(ctx, co.RFC, nil)
	if err != nil || len(pending) != 4 || string(pending[0].XML) != string(docs[0].XML) {
		t.Fatalf("StatusPending = %d, %v; want all four with their XML", len(pending), err)
	}
	at := base.Add(time.Hour)
	if err := s.SetSATStatus(ctx, docs[1].ID, received.SATVigente, at); err != nil {
		t.Fatal(err)
	}
	if pending, _ = s.StatusPending(ctx, "", nil); len(pending) != 3 {
		t.Errorf("pending after one consulted: %d, want 3", len(pending))
	}
	chosen, err := s.StatusPending(ctx, co.RFC, []int64{docs[1].ID, docs[2].ID})
	if err != nil || len(chosen) != 2 || chosen[0].SATStatus != received.SATVigente || chosen[0].SATChecked != at.Format(time.RFC3339) {
		t.Errorf("StatusPending of chosen ids = %+v, %v", chosen, err)
	}
}
