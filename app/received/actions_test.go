package received

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	dreceived "github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/uitest"
)

// TestScreenConcordanceLinkAndStatus: on an issued CFDI stamped elsewhere
// (at the local PAC, on loopback), "Crear factura (concordancia)…" shows
// the line without product and the totals in ERROR; choosing the product
// in the picker and "Actualizar" clear the report; "Aceptar" saves the
// draft, links it and says where it is; "Consultar estatus SAT" shows it
// Vigente.
func TestScreenConcordanceLinkAndStatus(t *testing.T) {
	_, q := uitest.NewApp(t)
	ctx := context.Background()
	store := sqlite.MustOpenTest(t)
	if err := store.SaveCompany(ctx, sales.DemoCompany()); err != nil {
		t.Fatal(err)
	}
	cust := sales.DemoCustomers()[1]
	if err := store.CreateCustomer(ctx, &cust); err != nil {
		t.Fatal(err)
	}
	prod := sales.Product{Code: "TOR-12", Description: "Tornillo hexagonal", Unit: "Pieza", ClaveProdServ: "31161500",
		ClaveUnidad: "H87", Price: decimal.RequireFromString("12.00"), ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: decimal.RequireFromString("0.16")}, Active: true}
	if err := store.CreateProduct(ctx, &prod); err != nil {
		t.Fatal(err)
	}
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	local, err := sim.Start(sim.Options{LCO: []string{sales.DemoRFC}})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	client, err := pac.NewClient(pac.Config{ServicesURL: local.URL(), APIURL: local.URL(), SATStatusURL: local.StatusURL(),
		Token: sim.DemoUser.Token, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	// The worked example, stamped elsewhere.
	c := simtest.Invoice("EXT", "77", time.Now().Add(-time.Hour), 1)
	iva := cfdi.Traslado{Base: "135.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "21.60"}
	c.SubTotal, c.Total = "135.00", "156.60"
	k := &c.Conceptos[0]
	k.Cantidad, k.ValorUnitario, k.Importe, k.Descripcion = "10", "13.50", "135.00", "Tornillo hexagonal ½ pulgada"
	k.Impuestos.Traslados = []cfdi.Traslado{iva}
	c.Impuestos = &cfdi.Impuestos{TotalImpuestosTrasladados: "21.60", Traslados: []cfdi.Traslado{iva}}
	rep, err := client.Stamp(ctx, "otro-sistema-77", simtest.Seal(t, c))
	if err != nil {
		t.Fatal(err)
	}
	checker := &dreceived.Checker{SAT: []*x509.Certificate{local.Certificate()}, Decimals: rules.MonedaDecimals}
	imp := &dreceived.Service{Store: store, Checker: checker}
	if res, err := imp.Import(ctx, []dreceived.Item{{Name: "ext.xml", Read: func() ([]byte, error) { return rep.StampedXML, nil }}}, nil); err != nil || res.Imported != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}

	linker := &dreceived.Linker{Store: store, Decimals: rules.MonedaDecimals}
	status := &dreceived.StatusChecker{Store: store, PACs: stamping.OnePAC{Key: "sim", Name: "PAC local", Canceller: client}}
	s := NewScreen(Deps{Store: store,
		Link: linker.Link,
		Drafts: func(ctx context.Context, issuer, rfc string) ([]sales.InvoiceRow, error) {
			return store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: issuer, Status: sales.StatusDraft, Search: rfc})
		},
		Concordance: &dreceived.Concordancer{Store: store, Sales: &sales.Service{Invoices: store, Catalogs: rules}, Linker: linker},
		Products: func(ctx context.Context, q string) ([]sales.Product, error) {
			return store.FindProducts(ctx, sales.ProductFilter{Query: q})
		},
		CheckStatus: status.Check,
	}, sales.DemoRFC)
	w := test.NewWindow(s)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))

	s.Direction.SetSelected("Emitidos")
	q.RunUntil(t, "the issued list", func() bool { return len(s.List.Rows()) == 1 })
	if r := s.List.Rows()[0]; r.Estatus != "Sin consultar" {
		t.Errorf("before consulting, Estatus = %q", r.Estatus)
	}
	s.List.Table.Select(widget.TableCellID{Row: 0, Col: 0})

	test.Tap(s.Concord)
	q.RunUntil(t, "the concordancia dialog", func() bool { return s.ConcordView != nil })
	v := s.ConcordView
	got := strings.Join(v.Findings(), "\n")
	if !strings.Contains(got, "ERROR: Concepto 1 «Tornillo hexagonal ½ pulgada»: no tiene producto") ||
		!strings.Contains(got, "ERROR: Total — DOC: 0.00 XML: 156.60") || !strings.Contains(got, "Aviso: ") || !v.Accept.Disabled() {
		t.Fatalf("report before mapping:\n%s\nAceptar disabled %v", got, v.Accept.Disabled())
	}

	v.pick(0)
	v.Picker.Search.SetText("tornillo")
	q.RunUntil(t, "the product search", func() bool { return len(v.Picker.Found) == 1 })
	v.Picker.Results.Select(0)
	if v.C.Lines[0].ProductID != prod.ID {
		t.Fatalf("picked product %d, want %d", v.C.Lines[0].ProductID, prod.ID)
	}
	test.Tap(v.Update)
	q.RunUntil(t, "the clean report", func() bool {
		f := v.Findings()
		return len(f) == 1 && f[0] == "Sin diferencias: el documento coincide con el XML." && !v.Accept.Disabled()
	})
	if !strings.Contains(v.Totals.Text, "subtotal 135.00 + impuestos 21.60") || !strings.Contains(v.Totals.Text, "= 156.60") {
		t.Errorf("totals = %q", v.Totals.Text)
	}
	test.Tap(v.Accept)
	q.RunUntil(t, "the acceptance", func() bool { return strings.Contains(s.Note.Text, "vinculada al CFDI") })
	if !strings.Contains(s.Note.Text, "Factura EXT-77") || !strings.Contains(s.Note.Text, "Facturas › Emitidas") {
		t.Errorf("status = %q", s.Note.Text)
	}

	q.RunUntil(t, "the list after linking", func() bool { return len(s.List.Rows()) == 1 && s.List.Rows()[0].Factura == "Vinculado" })
	s.List.Table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(s.LinkButton)
	if s.Note.Text != "Este CFDI ya está vinculado a una factura." {
		t.Errorf("link of a linked CFDI: %q", s.Note.Text)
	}
	test.Tap(s.StatusSAT)
	q.RunUntil(t, "the SAT status", func() bool {
		return len(s.List.Rows()) == 1 && s.List.Rows()[0].Estatus == "Vigente" && strings.Contains(s.Note.Text, "1 vigentes")
	})
}
