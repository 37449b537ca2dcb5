package thirdparty

import (
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

var screenshots = flag.Bool("screenshots", false, "write the area's screenshots to docs/screenshots")

// testNow is the fixed "now" of the tests (12:00 in Mexico City).
var testNow = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

var (
	catalogsOnce sync.Once
	catalogsVal  *sat.Catalogs
	catalogsErr  error
)

func testCatalogs(t testing.TB) *sat.Catalogs {
	t.Helper()
	catalogsOnce.Do(func() { catalogsVal, catalogsErr = sat.NewCatalogs(assets.Catalogs) })
	if catalogsErr != nil {
		t.Fatal(catalogsErr)
	}
	return catalogsVal
}

// fixture is a real SQLite store with the demo company's series "A",
// customers and products, two third parties, the services over it and the
// demo CSD.
type fixture struct {
	q         *uitest.Queue
	store     *sqlite.Store
	companies *sales.Companies
	tps       *sales.ThirdParties
	co        *sales.Company
	deps      FormDeps
	printed   []int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	_, q := uitest.NewApp(t)
	ctx := context.Background()
	store := sqlite.MustOpenTest(t)
	cat := testCatalogs(t)
	co := sales.DemoCompany()
	sr := sales.Series{Issuer: co.RFC, Serie: "A", TipoDeComprobante: sales.TipoIngreso, NextFolio: 7, Active: true}
	if err := store.CreateSeries(ctx, &sr); err != nil {
		t.Fatal(err)
	}
	for _, c := range sales.DemoCustomers() {
		c.Normalize()
		if err := store.CreateCustomer(ctx, &c); err != nil {
			t.Fatalf("CreateCustomer(%s): %v", c.RFC, err)
		}
	}
	d := decimal.RequireFromString
	iva16 := sales.Taxes{IVATasa: d("0.16")}
	products := []sales.Product{
		{Code: "FLE-01", Description: "Flete local", Unit: "Servicio", ClaveProdServ: "78101800", ClaveUnidad: "E48",
			Price: d("1000.00"), Taxes: iva16, ObjetoImp: sales.ObjetoImpSi, Active: true},
		{Code: "HON-01", Description: "Honorarios de despacho", Unit: "Servicio", ClaveProdServ: "80101500", ClaveUnidad: "E48",
			Price: d("2500.00"), Taxes: iva16, ObjetoImp: sales.ObjetoImpSi, Active: true},
	}
	for _, p := range products {
		if err := p.Validate(cat); err != nil {
			t.Fatalf("product %s: %v", p.Code, err)
		}
		if err := store.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.SetSalesSettings(ctx, co.RFC, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		t.Fatal(err)
	}
	tps := &sales.ThirdParties{Store: store, Catalogs: cat}
	for _, tp := range []sales.ThirdParty{
		{Issuer: co.RFC, RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "601", CodigoPostal: "62661"},
		{Issuer: co.RFC, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "36257"},
	} {
		if err := tps.Create(ctx, &tp); err != nil {
			t.Fatalf("third party %s: %v", tp.RFC, err)
		}
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, testNow)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return testNow }
	companies := &sales.Companies{Store: store, Keys: store, Clock: clock}
	f := &fixture{q: q, store: store, companies: companies, tps: tps, co: co}
	f.deps = FormDeps{
		Editor: invoices.EditorDeps{
			Customers: store, Products: store, Series: store, Rules: cat, Clock: clock,
			Invoices:   &sales.Service{Invoices: store, Catalogs: cat, Admin: companies, Clock: clock},
			Signer:     func(context.Context) (cfdi.Signer, error) { return signer, nil },
			CheckAdmin: companies.CheckAdminPassword,
		},
		ThirdParties: tps, Loader: store, MultipleSellers: true,
		Print: func(id int64) { f.printed = append(f.printed, id) },
	}
	return f
}

// open shows a new form in a window of size with its series and third
// parties loaded.
func (f *fixture) open(t *testing.T, size fyne.Size) (*DocumentForm, fyne.Window) {
	t.Helper()
	fm := NewDocumentForm(f.deps, f.co)
	w := test.NewWindow(fm)
	t.Cleanup(w.Close)
	w.Resize(size)
	fm.Reload()
	f.q.RunUntil(t, "series and third parties loaded", func() bool { return fm.Serie.Selected == "A" && len(fm.tps) == 2 })
	return fm, w
}

// saveScreenshot writes what c shows to path as PNG.
func saveScreenshot(t *testing.T, c fyne.Canvas, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, c.Capture()); err != nil {
		t.Fatal(err)
	}
}
