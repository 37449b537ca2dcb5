package wire

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
)

// linkWorld is a store with the demo company, its customer URE180429TM6
// and a product with IVA 16 %, and the local PAC on loopback.
type linkWorld struct {
	store   *sqlite.Store
	cats    *sat.Catalogs
	local   *sim.Server
	client  *pac.Client
	product sales.Product
	cust    sales.Customer
	imp     *received.Service
	conc    *received.Concordancer
}

func newLinkWorld(t *testing.T) *linkWorld {
	t.Helper()
	ctx := context.Background()
	w := &linkWorld{store: importStore(t)}
	var err error
	if w.cats, err = sat.NewCatalogs(assets.Catalogs); err != nil {
		t.Fatal(err)
	}
	if w.local, w.client, err = NewLocalPAC(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.local.Close() })
	w.cust = sales.DemoCustomers()[1]
	if w.cust.RFC != "URE180429TM6" {
		t.Fatalf("demo customer 1 is %s", w.cust.RFC)
	}
	if err := w.store.CreateCustomer(ctx, &w.cust); err != nil {
		t.Fatal(err)
	}
	w.product = sales.Product{Code: "TOR-12", Description: "Tornillo hexagonal", Unit: "Pieza", ClaveProdServ: "31161500",
		ClaveUnidad: "H87", Price: decimal.RequireFromString("12.00"), ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}, Active: true}
	if err := w.store.CreateProduct(ctx, &w.product); err != nil {
		t.Fatal(err)
	}
	// The import trusts the local PAC's TFD certificate as it trusts SAT's.
	ch := NewChecker(w.cats)
	ch.SAT = append([]*x509.Certificate{w.local.Certificate()}, ch.SAT...)
	w.imp = &received.Service{Store: w.store, Checker: ch}
	svc := &sales.Service{Invoices: w.store, Catalogs: w.cats}
	w.conc = &received.Concordancer{Store: w.store, Sales: svc,
		Linker: &received.Linker{Store: w.store, Decimals: w.cats.MonedaDecimals}}
	return w
}

// workedCFDI is the worked example as the demo company issues it
// elsewhere: one concepto, 10 × 13.50, IVA 16 %: 156.60.
func workedCFDI(serie, folio, descripcion string) *cfdi.Comprobante {
	c := simtest.Invoice(serie, folio, time.Now().Add(-time.Hour), 1)
	iva := cfdi.Traslado{Base: "135.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "21.60"}
	c.SubTotal, c.Total = "135.00", "156.60"
	c.Conceptos[0].Cantidad, c.Conceptos[0].ValorUnitario, c.Conceptos[0].Importe = "10", "13.50", "135.00"
	c.Conceptos[0].Descripcion, c.Conceptos[0].NoIdentificacion = descripcion, ""
	c.Conceptos[0].Impuestos.Traslados = []cfdi.Traslado{iva}
	c.Impuestos = &cfdi.Impuestos{TotalImpuestosTrasladados: "21.60", Traslados: []cfdi.Traslado{iva}}
	return c
}

// stampElsewhere seals c with the demo CSD and stamps it at the local PAC:
// a CFDI issued by the company through another system.
func (w *linkWorld) stampElsewhere(t *testing.T, c *cfdi.Comprobante) []byte {
	t.Helper()
	rep, err := w.client.Stamp(context.Background(), "otro-sistema-"+c.Serie+c.Folio+"-"+c.Conceptos[0].Descripcion, simtest.Seal(t, c))
	if err != nil || !rep.Class.HasStamp() {
		t.Fatalf("stamp %s-%s: %+v %v", c.Serie, c.Folio, rep, err)
	}
	return rep.StampedXML
}

// importBytes imports documents and returns their stored rows by UUID.
func (w *linkWorld) importBytes(t *testing.T, docs ...[]byte) []received.Doc {
	t.Helper()
	var items []received.Item
	for i, b := range docs {
		b := b
		items = append(items, received.Item{Name: "doc" + string(rune('a'+i)) + ".xml", Read: func() ([]byte, error) { return b, nil }})
	}
	res, err := w.imp.Import(context.Background(), items, nil)
	if err != nil || res.Imported != len(docs) {
		t.Fatalf("import = %+v, %v", res, err)
	}
	var out []received.Doc
	for _, o := range res.Outcomes {
		found, err := w.store.FindReceived(context.Background(), received.Filter{Query: o.UUID})
		if err != nil || len(found) != 1 {
			t.Fatalf("find %s: %v %v", o.UUID, found, err)
		}
		out = append(out, found[0])
	}
	return out
}

// TestConcordanceAndLinkEndToEnd: the worked example over a real store and
// the local PAC: the report before and after mapping, Aceptar saves the
// draft and the memory and links it to the external CFDI (stored verbatim,
// stamped, never queued); the second import maps the line by itself; the
// link's rules hold in the store (a CFDI links once; a stamped invoice
// takes no other).
func TestConcordanceAndLinkEndToEnd(t *testing.T) {
	ctx := context.Background()
	w := newLinkWorld(t)
	first := w.stampElsewhere(t, workedCFDI("EXT", "77", "Tornillo hexagonal ½ pulgada"))
	docs := w.importBytes(t, first)
	d := docs[0]
	if !d.OK || d.Direction != received.Emitido {
		t.Fatalf("imported %+v", d)
	}

	c, err := w.conc.Start(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Blocked() || len(c.Report) < 2 || c.Report[1].Msg != "Total — DOC: 0.00 XML: 156.60" {
		t.Fatalf("report before mapping = %+v", c.Report)
	}
	if _, err := w.conc.Accept(ctx, c, true); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Accept with errors = %v", err)
	}
	c.Lines[0].ProductID = w.product.ID
	if err := w.conc.Refresh(ctx, c); err != nil || len(c.Report) != 0 {
		t.Fatalf("report after mapping = %+v, %v", c.Report, err)
	}
	acc, err := w.conc.Accept(ctx, c, true)
	if err != nil || !acc.Linked || acc.LinkRefusal != "" {
		t.Fatalf("Accept = %+v, %v", acc, err)
	}
	inv, err := w.store.FindInvoiceByID(ctx, acc.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.State != sales.StateStamped || inv.UUID != d.UUID || inv.Serie != "EXT" || inv.Folio != 77 ||
		inv.Total.StringFixed(2) != "156.60" || inv.CustomerID != w.cust.ID || len(inv.Lines) != 1 || inv.Lines[0].ProductID != w.product.ID {
		t.Fatalf("linked invoice = %+v", inv)
	}
	raw, isStamped, err := w.store.InvoiceXML(ctx, inv.ID)
	if err != nil || !isStamped || string(raw) != string(first) {
		t.Fatalf("the invoice's XML is the external one verbatim: stamped %v, same %v, %v", isStamped, string(raw) == string(first), err)
	}
	if a, ok, err := w.store.FindAmounts(ctx, inv.ID); err != nil || !ok || a.Total.StringFixed(2) != "156.60" || a.Traslados.StringFixed(2) != "21.60" {
		t.Fatalf("amounts = %+v %v %v", a, ok, err)
	}
	queue := sqlite.NewStampStore(w.store)
	if jobs, err := queue.Claim(ctx, time.Now().Add(time.Hour), time.Now().Add(2*time.Hour), 10); err != nil || len(jobs) != 0 {
		t.Fatalf("a linked invoice is never sent to the PAC: jobs %+v, %v", jobs, err)
	}
	mem, err := w.store.Mappings(ctx, sales.DemoRFC, w.cust.ID)
	if err != nil || len(mem) != 1 || mem[0].ProductID != w.product.ID || mem[0].Confirmations != 1 {
		t.Fatalf("memory = %+v, %v", mem, err)
	}
	if got, _ := w.store.FindReceived(ctx, received.Filter{Query: d.UUID}); len(got) != 1 || got[0].InvoiceID != inv.ID {
		t.Fatalf("the imported row names its invoice: %+v", got)
	}

	// The second import maps the line by itself, and accepting it again
	// confirms the mapping a second time.
	second := w.stampElsewhere(t, workedCFDI("EXT", "78", "TORNILLO hexagonal ½ pulgada"))
	d2 := w.importBytes(t, second)[0]
	c2, err := w.conc.Start(ctx, d2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Lines[0].ProductID != w.product.ID || len(c2.Report) != 0 || c2.Lines[0].Suggested[0].Confirmations != 1 {
		t.Fatalf("second import: line %+v, report %+v", c2.Lines[0], c2.Report)
	}
	if _, err := w.conc.Accept(ctx, c2, true); err != nil {
		t.Fatal(err)
	}
	if mem, _ := w.store.Mappings(ctx, sales.DemoRFC, w.cust.ID); len(mem) != 1 || mem[0].Confirmations != 2 {
		t.Fatalf("memory after the second acceptance = %+v", mem)
	}

	// Link rules in the store: the CFDI is taken; a stamped invoice takes
	// no other.
	draft := sales.Invoice{Issuer: sales.DemoRFC, TipoDeComprobante: sales.TipoIngreso, CustomerID: w.cust.ID, Customer: w.cust,
		Terms: sales.Contado, FormaPago: "03", Moneda: "MXN", UsoCFDI: "G03",
		Lines: []sales.Line{sales.LineFromProduct(&w.product, decimal.NewFromInt(10))}}
	draft.Lines[0].ValorUnitario = decimal.RequireFromString("13.50")
	if _, err := w.conc.Sales.SaveDraft(ctx, &draft); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inv, doc int64
		rule     string
	}{
		{draft.ID, d.ID, "el CFDI no debe estar vinculado a otra factura"},
		{inv.ID, d.ID, "la factura no debe tener documento todavía"},
	} {
		if _, err := w.conc.Linker.Link(ctx, tc.inv, tc.doc); domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), tc.rule) {
			t.Errorf("Link(%d, %d) = %v, want %q", tc.inv, tc.doc, err, tc.rule)
		}
	}
	// Another CFDI with the serie and folio of the linked one: the store
	// refuses it, naming why, and the draft stays as it was.
	twin := w.importBytes(t, w.stampElsewhere(t, workedCFDI("EXT", "77", "Tornillo gemelo")))[0]
	if _, err := w.conc.Linker.Link(ctx, draft.ID, twin.ID); domain.KindOf(err) != domain.Conflict ||
		!strings.Contains(domain.UserMessage(err), "(EXT-77) o su UUID ya los tiene otra factura de Folio") {
		t.Errorf("Link of a CFDI whose serie-folio is taken = %v", err)
	}
	if got, _ := w.store.FindInvoiceByID(ctx, draft.ID); got.State != sales.StateDraft || got.UUID != "" {
		t.Errorf("a refused link leaves the draft: %s %s", got.State, got.UUID)
	}
	if got, _ := w.store.FindReceived(ctx, received.Filter{Query: twin.UUID}); len(got) != 1 || got[0].InvoiceID != 0 {
		t.Errorf("a refused link leaves the imported row unlinked: %+v", got)
	}
}

// TestSATStatusOverLoopback: the status of imported documents through the
// local PAC's ConsultaCFDIService: vigente for one it stamped, cancelado
// once cancelled, no encontrado for one it never saw; unreachable, every
// document stays pending for the next run.
func TestSATStatusOverLoopback(t *testing.T) {
	ctx := context.Background()
	w := newLinkWorld(t)
	live := w.stampElsewhere(t, workedCFDI("EXT", "1", "Tornillo"))
	gone := w.stampElsewhere(t, workedCFDI("EXT", "2", "Tornillo"))
	unknown, err := cfdi.InsertTimbre(simtest.Seal(t, workedCFDI("EXT", "3", "Tornillo")), &cfdi.TimbreFiscalDigital{
		Version: "1.1", UUID: "5F1D3A4B-0000-4000-8000-0000000000F3", FechaTimbrado: time.Now().In(domain.MexicoCity).Format("2006-01-02T15:04:05"),
		RfcProvCertif: "SPR190613I52", SelloCFD: "AAAA", NoCertificadoSAT: "30001000000500003456", SelloSAT: "BBBB"})
	if err != nil {
		t.Fatal(err)
	}
	docs := w.importBytes(t, live, gone, unknown)

	// Offline first: a PAC that is not there.
	down, downClient, err := NewLocalPAC("")
	if err != nil {
		t.Fatal(err)
	}
	down.Close()
	offline := &received.StatusChecker{Store: w.store, PACs: stamping.OnePAC{Key: "down", Name: "apagado", Canceller: downClient}}
	res, err := offline.Check(ctx, sales.DemoRFC, nil, nil)
	if domain.KindOf(err) != domain.Unavailable || res.Pending != 3 || res.Checked != 0 {
		t.Fatalf("offline run = %+v, %v; want all 3 pending and Unavailable", res, err)
	}
	if pending, _ := w.store.StatusPending(ctx, sales.DemoRFC, nil); len(pending) != 3 {
		t.Fatalf("after the offline run %d documents are pending, want 3", len(pending))
	}

	online := &received.StatusChecker{Store: w.store, PACs: stamping.OnePAC{Key: "sim", Name: "PAC local", Canceller: w.client}}
	var steps []received.Progress
	res, err = online.Check(ctx, sales.DemoRFC, nil, func(p received.Progress) { steps = append(steps, p) })
	if err != nil || res.Checked != 3 || res.Pending != 0 || res.Counts[received.SATVigente] != 2 || res.Counts[received.SATNoEncontrado] != 1 {
		t.Fatalf("online run = %+v, %v", res, err)
	}
	if len(steps) != 3 || steps[2].Done != 3 || steps[2].Total != 3 {
		t.Errorf("progress = %+v", steps)
	}
	if _, err := w.client.Cancel(ctx, stamping.CancelRequest{IssuerRFC: sales.DemoRFC, UUID: docs[1].UUID, Motivo: "02"}); err != nil {
		t.Fatal(err)
	}
	// Nothing is left unchecked; the selected one is consulted again.
	if res, err := online.Check(ctx, sales.DemoRFC, nil, nil); err != nil || res.Total != 0 {
		t.Fatalf("a second run of unchecked = %+v, %v", res, err)
	}
	if res, err := online.Check(ctx, sales.DemoRFC, []int64{docs[1].ID}, nil); err != nil || res.Counts[received.SATCancelado] != 1 {
		t.Fatalf("the cancelled one = %+v, %v", res, err)
	}
	want := map[string]string{docs[0].UUID: "Vigente", docs[1].UUID: "Cancelado", docs[2].UUID: "No encontrado"}
	rows, err := w.store.FindReceived(ctx, received.Filter{Issuer: sales.DemoRFC})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if got := received.StatusLabel(r.SATStatus); got != want[r.UUID] || r.SATChecked == "" {
			t.Errorf("%s: %s (checked %q), want %s", r.UUID, got, r.SATChecked, want[r.UUID])
		}
	}
}
