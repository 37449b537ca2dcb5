package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
)

// externalCFDI is a CFDI 4.0 the demo company issued through another
// system to customer rfc, stamped (its seals are not real: the store keeps
// the import's verdict): one concepto of 10 × 13.50 with IVA 16 %, 156.60.
func externalCFDI(t *testing.T, serie, folio, uuid, rfc, descripcion string) received.Doc {
	t.Helper()
	fecha := base.Add(-2 * time.Hour).In(domain.MexicoCity)
	iva := cfdi.Traslado{Base: "135.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "21.60"}
	c := &cfdi.Comprobante{
		Version: "4.0", Serie: serie, Folio: folio, Fecha: fecha.Format("2006-01-02T15:04:05"),
		FormaPago: "03", SubTotal: "135.00", Moneda: "MXN", Total: "156.60",
		TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE", LugarExpedicion: "42501",
		Emisor:   cfdi.Emisor{Rfc: sales.DemoRFC, Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: rfc, Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
		Conceptos: []cfdi.Concepto{{
			ClaveProdServ: "31161500", Cantidad: "10", ClaveUnidad: "H87", Unidad: "Pieza",
			Descripcion: descripcion, ValorUnitario: "13.50", Importe: "135.00", ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{iva}},
		}},
		Impuestos: &cfdi.Impuestos{TotalImpuestosTrasladados: "21.60", Traslados: []cfdi.Traslado{iva}},
	}
	raw, err := cfdi.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	raw, err = cfdi.InsertTimbre(raw, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
		FechaTimbrado: fecha.Add(time.Minute).Format("2006-01-02T15:04:05"), RfcProvCertif: "SPR190613I52",
		SelloCFD: "AAAA", NoCertificadoSAT: "30001000000500003456", SelloSAT: "BBBB"})
	if err != nil {
		t.Fatal(err)
	}
	return received.Doc{Issuer: sales.DemoRFC, Direction: received.Emitido, Key: uuid, UUID: uuid, Version: "4.0",
		Serie: serie, Folio: folio, RfcEmisor: sales.DemoRFC, NombreEmisor: "ESCUELA KEMPER URGATE", RfcReceptor: rfc,
		NombreReceptor: c.Receptor.Nombre, Fecha: c.Fecha, Tipo: "I", Moneda: "MXN", Total: c.Total, OK: true,
		Verdict: "OK: sello y timbre válidos", XML: raw, Source: uuid + ".xml"}
}

// linkWorld is a store with the demo company, its customer URE180429TM6
// and a product with IVA 16 %, and concordancia over it.
type linkWorld struct {
	s       ReceivedStore
	cust    sales.Customer
	product sales.Product
	conc    *received.Concordancer
}

func newLinkWorld(t *testing.T, s ReceivedStore) *linkWorld {
	t.Helper()
	ctx := context.Background()
	cats, _ := load(t)
	if err := s.SaveCompany(ctx, sales.DemoCompany()); err != nil {
		t.Fatal(err)
	}
	w := &linkWorld{s: s, cust: sales.DemoCustomers()[1]}
	if err := s.CreateCustomer(ctx, &w.cust); err != nil {
		t.Fatal(err)
	}
	w.product = sales.Product{Code: "TOR-12", Description: "Tornillo hexagonal", Unit: "Pieza", ClaveProdServ: "31161500",
		ClaveUnidad: "H87", Price: decimal.RequireFromString("12.00"), ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}, Active: true}
	if err := s.CreateProduct(ctx, &w.product); err != nil {
		t.Fatal(err)
	}
	w.conc = &received.Concordancer{Store: s, Sales: &sales.Service{Invoices: s, Catalogs: cats},
		Linker: &received.Linker{Store: s, Decimals: cats.MonedaDecimals}, Clock: func() time.Time { return base }}
	return w
}

// imported stores docs as an import does and returns them with their ids.
func (w *linkWorld) imported(t *testing.T, docs ...received.Doc) []received.Doc {
	t.Helper()
	stored, err := w.s.SaveReceived(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, ok := range stored {
		if !ok {
			t.Fatalf("document %d not stored", i)
		}
	}
	return docs
}

// testReceivedLink: concordancia makes a draft from an external CFDI and
// links it: the invoice takes the XML's serie, folio, UUID and total, is
// stamped with the external XML verbatim as its document and its amounts
// stored, and the imported row names it; the memory maps the next
// document's line by itself; the store refuses a second link of a CFDI, a
// link to an invoice that has a document, and a CFDI whose serie-folio
// another invoice has, leaving the draft and the row as they were.
func testReceivedLink(t *testing.T, s ReceivedStore) {
	ctx := context.Background()
	w := newLinkWorld(t, s)
	const u = "7A1B2C3D-0000-4000-8000-0000000000"
	d := w.imported(t, externalCFDI(t, "EXT", "77", u+"01", w.cust.RFC, "Tornillo hexagonal ½ pulgada"))[0]

	c, err := w.conc.Start(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Invoice.CustomerID != w.cust.ID || !c.Blocked() {
		t.Fatalf("concordancia before mapping: customer %d, blocked %v; want %d, blocked", c.Invoice.CustomerID, c.Blocked(), w.cust.ID)
	}
	c.Lines[0].ProductID = w.product.ID
	if err := w.conc.Refresh(ctx, c); err != nil || len(c.Report) != 0 {
		t.Fatalf("report after mapping = %+v, %v", c.Report, err)
	}
	acc, err := w.conc.Accept(ctx, c, true)
	if err != nil || !acc.Linked || acc.LinkRefusal != "" {
		t.Fatalf("Accept = %+v, %v", acc, err)
	}
	inv, err := s.FindInvoiceByID(ctx, acc.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.State != sales.StateStamped || inv.UUID != d.UUID || inv.Serie != "EXT" || inv.Folio != 77 ||
		inv.Total.StringFixed(2) != "156.60" || inv.CustomerID != w.cust.ID || len(inv.Lines) != 1 || inv.Lines[0].ProductID != w.product.ID {
		t.Fatalf("linked invoice = %+v", inv)
	}
	raw, isStamped, err := s.InvoiceXML(ctx, inv.ID)
	if err != nil || !isStamped || string(raw) != string(d.XML) {
		t.Fatalf("the invoice's XML is the external one verbatim: stamped %v, same %v, %v", isStamped, string(raw) == string(d.XML), err)
	}
	if a, ok, err := s.FindAmounts(ctx, inv.ID); err != nil || !ok || a.Total.StringFixed(2) != "156.60" || a.Traslados.StringFixed(2) != "21.60" {
		t.Fatalf("amounts = %+v %v %v", a, ok, err)
	}
	if mem, err := s.Mappings(ctx, sales.DemoRFC, w.cust.ID); err != nil || len(mem) != 1 || mem[0].ProductID != w.product.ID ||
		mem[0].Confirmations != 1 || !mem[0].LastUsed.Equal(base) {
		t.Fatalf("memory = %+v, %v", mem, err)
	}
	if got, _ := s.FindReceived(ctx, received.Filter{Query: d.UUID}); len(got) != 1 || got[0].InvoiceID != inv.ID {
		t.Fatalf("the imported row names its invoice: %+v", got)
	}
	if got, err := s.ReceivedDoc(ctx, d.ID); err != nil || got.InvoiceID != inv.ID || string(got.XML) != string(d.XML) {
		t.Fatalf("ReceivedDoc = %+v, %v", got, err)
	}
	if _, err := s.ReceivedDoc(ctx, 999999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("ReceivedDoc of a missing id = %v, want NotFound", err)
	}

	// The next document maps its line by itself; accepting it confirms
	// the mapping a second time.
	d2 := w.imported(t, externalCFDI(t, "EXT", "78", u+"02", w.cust.RFC, "TORNILLO hexagonal ½ pulgada"))[0]
	c2, err := w.conc.Start(ctx, d2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Lines[0].ProductID != w.product.ID || len(c2.Report) != 0 {
		t.Fatalf("second document: line %+v, report %+v", c2.Lines[0], c2.Report)
	}
	if acc, err := w.conc.Accept(ctx, c2, true); err != nil || !acc.Linked {
		t.Fatalf("second Accept = %+v, %v", acc, err)
	}
	if mem, _ := s.Mappings(ctx, sales.DemoRFC, w.cust.ID); len(mem) != 1 || mem[0].Confirmations != 2 {
		t.Fatalf("memory after the second acceptance = %+v", mem)
	}

	// The link's rules in the store.
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
	twin := w.imported(t, externalCFDI(t, "EXT", "77", u+"03", w.cust.RFC, "Tornillo gemelo"))[0]
	if _, err := w.conc.Linker.Link(ctx, draft.ID, twin.ID); domain.KindOf(err) != domain.Conflict ||
		!strings.Contains(domain.UserMessage(err), "(EXT-77) o su UUID ya los tiene otra factura de Folio") {
		t.Errorf("Link of a CFDI whose serie-folio is taken = %v", err)
	}
	if got, _ := s.FindInvoiceByID(ctx, draft.ID); got.State != sales.StateDraft || got.UUID != "" {
		t.Errorf("a refused link leaves the draft: %s %s", got.State, got.UUID)
	}
	if got, _ := s.FindReceived(ctx, received.Filter{Query: twin.UUID}); len(got) != 1 || got[0].InvoiceID != 0 {
		t.Errorf("a refused link leaves the imported row unlinked: %+v", got)
	}
	// The twin links to the draft once its serie-folio is free: another one.
	free := w.imported(t, externalCFDI(t, "EXT", "79", u+"04", w.cust.RFC, "Tornillo libre"))[0]
	if got, err := w.conc.Linker.Link(ctx, draft.ID, free.ID); err != nil || got.State != sales.StateStamped || got.Folio != 79 {
		t.Errorf("Link of a free CFDI to the draft = %+v, %v", got, err)
	}
}

// testConcordanceMemory: the customer of a document is the active one
// with its RFC (however written), the oldest when several; the memory
// counts each confirmation, lists a description's products the most
// confirmed first, and belongs to one company and customer.
func testConcordanceMemory(t *testing.T, s ReceivedStore) {
	ctx := context.Background()
	w := newLinkWorld(t, s)
	if c, ok, err := s.CustomerByRFC(ctx, " "+strings.ToLower(w.cust.RFC)+" "); err != nil || !ok || c.ID != w.cust.ID || c.Name != w.cust.Name {
		t.Fatalf("CustomerByRFC = %+v %v %v", c, ok, err)
	}
	if _, ok, err := s.CustomerByRFC(ctx, "XEXX010101000"); err != nil || ok {
		t.Fatalf("CustomerByRFC of no customer = %v, %v", ok, err)
	}
	later := w.cust
	later.ID, later.Name = 0, "UNIVERSIDAD ROBOTICA (SUCURSAL)"
	if err := s.CreateCustomer(ctx, &later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCustomerActive(ctx, w.cust.ID, false); err != nil {
		t.Fatal(err)
	}
	if c, ok, err := s.CustomerByRFC(ctx, w.cust.RFC); err != nil || !ok || c.ID != later.ID {
		t.Fatalf("CustomerByRFC with the oldest inactive = %d %v %v, want %d", c.ID, ok, err, later.ID)
	}

	other := w.product
	other.ID, other.Code = 0, "TOR-13"
	if err := s.CreateProduct(ctx, &other); err != nil {
		t.Fatal(err)
	}
	remember := func(at time.Time, ms ...received.Mapping) {
		t.Helper()
		if err := s.Remember(ctx, sales.DemoRFC, later.ID, ms, at); err != nil {
			t.Fatal(err)
		}
	}
	t1, t2 := base.Add(time.Hour), base.Add(2*time.Hour)
	remember(t1, received.Mapping{Description: "tornillo", ProductID: w.product.ID}, received.Mapping{Description: "arandela", ProductID: other.ID})
	remember(t2, received.Mapping{Description: "tornillo", ProductID: other.ID})
	remember(t2, received.Mapping{Description: "tornillo", ProductID: other.ID})
	mem, err := s.Mappings(ctx, sales.DemoRFC, later.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		desc    string
		product int64
		n       int
		last    time.Time
	}
	want := []row{{"arandela", other.ID, 1, t1}, {"tornillo", other.ID, 2, t2}, {"tornillo", w.product.ID, 1, t1}}
	if len(mem) != len(want) {
		t.Fatalf("Mappings = %+v, want %d", mem, len(want))
	}
	for i, m := range mem {
		if got := (row{m.Description, m.ProductID, m.Confirmations, m.LastUsed}); got.desc != want[i].desc ||
			got.product != want[i].product || got.n != want[i].n || !got.last.Equal(want[i].last) {
			t.Errorf("mapping %d = %+v, want %+v", i, got, want[i])
		}
	}
	if mem, err := s.Mappings(ctx, "AAA010101AAA", later.ID); err != nil || len(mem) != 0 {
		t.Errorf("another company's memory = %+v, %v", mem, err)
	}
	if mem, err := s.Mappings(ctx, sales.DemoRFC, w.cust.ID); err != nil || len(mem) != 0 {
		t.Errorf("another customer's memory = %+v, %v", mem, err)
	}
}
