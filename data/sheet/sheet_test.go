package sheet

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

var (
	catsOnce sync.Once
	cats     *sat.Catalogs
	catsErr  error
)

func testCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	catsOnce.Do(func() { cats, catsErr = sat.NewCatalogs(assets.Catalogs) })
	if catsErr != nil {
		tb.Fatal(catsErr)
	}
	return cats
}

func newService(tb testing.TB) (*catalogio.Service, *sqlite.Store) {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return &catalogio.Service{Store: s, Catalogs: testCatalogs(tb)}, s
}

// xlsx writes rows (the first is the header) as a workbook with excelize,
// as a user's Excel would, with a number cell for the price.
func xlsx(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var val any = v
			if i > 0 && j == 5 && v != "" && !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyz") {
				var n float64
				if _, err := fmt.Sscan(v, &n); err == nil {
					val = n
				}
			}
			if err := f.SetCellValue("Sheet1", cell, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvOf(rows [][]string, sep string) []byte {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, sep) + "\n")
	}
	return []byte(b.String())
}

// productRows: a header in the user's own words (mapped by Guess), two
// good rows and four bad ones.
var productRows = [][]string{
	{"Clave", "Descripción", "Unidad", "ClaveProdServ", "Clave de unidad", "Precio", "IVA", "Controlar existencias"},
	{"LAP-14", "Computadora portátil", "Pieza", "43211503", "H87", "15999.5", "16", "sí"},
	{"CAFE-1", "Café de grano", "Kilogramo", "50201706", "KGM", "289.9", "0", "no"},
	{"BAD-1", "Clave SAT inexistente", "Pieza", "99999999", "H87", "10", "16", ""},
	{"LAP-14", "Repetido en el archivo", "Pieza", "43211503", "H87", "10", "16", ""},
	{"EXIST-1", "Ya en el catálogo", "Pieza", "43211503", "H87", "10", "16", ""},
	{"BAD-2", "Precio con letras", "Pieza", "43211503", "H87", "diez", "16", ""},
}

// TestImportProducts: from CSV (comma and semicolon) and from XLSX, the
// good rows are planned, each bad one is refused with its reasons (unknown
// SAT key, duplicate in the file, duplicate in the catalog, a price that
// is not a number), and the import stores exactly the good ones.
func TestImportProducts(t *testing.T) {
	for _, tt := range []struct {
		name string
		file string
		data []byte
	}{
		{"csv", "productos.csv", csvOf(productRows, ",")},
		{"csv-semicolon", "productos.csv", csvOf(productRows, ";")},
		{"xlsx", "productos.xlsx", xlsx(t, productRows)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			svc, st := newService(t)
			exist := sales.DemoProducts()[0]
			exist.Code = "exist-1" // another case: still the same code
			if err := st.CreateProduct(ctx, &exist); err != nil {
				t.Fatal(err)
			}
			tab, err := Read(tt.file, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			m := catalogio.Guess(tab.Header, catalogio.ProductFields)
			ps, rep, err := svc.PlanProducts(ctx, tab, m)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rows != 6 || rep.Accepted != 2 || len(ps) != 2 {
				t.Fatalf("report %+v, %d products; want 6 rows, 2 accepted", rep, len(ps))
			}
			want := map[int]string{4: "clave de producto", 5: "renglón 2 del archivo", 6: "ya existe un producto", 7: "precio no es un número"}
			for _, r := range rep.Refused {
				if !strings.Contains(strings.ToLower(strings.Join(r.Reasons, " ")), strings.ToLower(want[r.Row])) {
					t.Errorf("row %d (%s) refused for %q, want a reason with %q", r.Row, r.Key, r.Reasons, want[r.Row])
				}
				delete(want, r.Row)
			}
			if len(want) > 0 {
				t.Errorf("rows not refused: %v", want)
			}
			if !ps[0].Price.Equal(dec("15999.5")) || !ps[0].Taxes.IVATasa.Equal(dec("0.16")) || !ps[0].TrackStock || ps[1].TrackStock {
				t.Errorf("planned %+v", ps[0])
			}
			if err := svc.ImportProducts(ctx, ps); err != nil {
				t.Fatal(err)
			}
			all, err := st.AllProducts(ctx)
			if err != nil || len(all) != 3 {
				t.Fatalf("catalog after import: %d, %v", len(all), err)
			}
		})
	}
}

// TestImportIsAllOrNothing: a code taken between the preview and the
// import (another user) refuses the whole import and stores nothing.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	tab, err := Read("p.csv", csvOf(productRows[:3], ","))
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := svc.PlanProducts(ctx, tab, catalogio.Guess(tab.Header, catalogio.ProductFields))
	if err != nil {
		t.Fatal(err)
	}
	late := ps[1]
	if err := st.CreateProduct(ctx, &late); err != nil {
		t.Fatal(err)
	}
	if err := svc.ImportProducts(ctx, ps); domain.KindOf(err) != domain.Conflict {
		t.Fatalf("import with a code taken meanwhile: %v, want Conflict", err)
	}
	all, _ := st.AllProducts(ctx)
	if len(all) != 1 {
		t.Errorf("catalog after a refused import has %d products, want only the one created meanwhile", len(all))
	}
}

// TestImportCustomers: invalid RFC, unknown régimen, duplicate RFC are
// refused; the público en general may repeat; a missing required column
// refuses the whole file.
func TestImportCustomers(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t)
	rows := [][]string{
		{"RFC", "Razón social", "Régimen fiscal", "Código postal", "Uso del CFDI", "Correo", "Días de crédito"},
		{"EKU9003173C9", "ESCUELA KEMPER URGATE", "601", "42501", "G03", "a@b.mx; c@d.mx", "30"},
		{"XAXX010101000", "PUBLICO EN GENERAL", "616", "42501", "S01", "", ""},
		{"XAXX010101000", "PUBLICO EN GENERAL", "616", "42501", "S01", "", ""},
		{"ABC", "RFC MALO", "601", "42501", "G03", "", ""},
		{"EKU9003173C9", "REPETIDO", "601", "42501", "G03", "", ""},
		{"XIA190128J61", "XENON INDUSTRIAL ARTICLES", "999", "76343", "G03", "", ""},
	}
	tab, err := Read("c.xlsx", xlsx(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	cs, rep, err := svc.PlanCustomers(ctx, tab, catalogio.Guess(tab.Header, catalogio.CustomerFields))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || len(rep.Refused) != 3 {
		t.Fatalf("planned %d, refused %+v; want 3 and 3", len(cs), rep.Refused)
	}
	if len(cs[0].Emails) != 2 || cs[0].CreditDays != 30 {
		t.Errorf("first customer %+v", cs[0])
	}
	for _, r := range rep.Refused {
		t.Logf("row %d %s: %s", r.Row, r.Key, strings.Join(r.Reasons, " "))
	}
	if err := svc.ImportCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	noRFC := catalogio.Guess(tab.Header[1:], catalogio.CustomerFields)
	if _, _, err := svc.PlanCustomers(ctx, catalogio.Table{Header: tab.Header[1:]}, noRFC); err == nil || !strings.Contains(domain.UserMessage(err), "RFC") {
		t.Errorf("a file without the RFC column: %v", err)
	}
}

// TestExportReimports: the XLSX export of the products and customers
// catalogs imports into an empty store to the same catalogs.
func TestExportReimports(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	for _, p := range sales.DemoProducts() {
		p.MinStock = dec("2.5")
		if err := st.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range sales.DemoCustomers() {
		c.Normalize()
		if err := st.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	svc2, st2 := newService(t)
	for _, kind := range []string{"productos", "clientes"} {
		var tab catalogio.Table
		var err error
		if kind == "productos" {
			tab, err = svc.ExportProducts(ctx)
		} else {
			tab, err = svc.ExportCustomers(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, kind, tab); err != nil {
			t.Fatal(err)
		}
		back, err := Read(kind+".xlsx", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if kind == "productos" {
			ps, rep, err := svc2.PlanProducts(ctx, back, catalogio.Guess(back.Header, catalogio.ProductFields))
			if err != nil || len(rep.Refused) > 0 {
				t.Fatalf("re-import products: %v %+v", err, rep.Refused)
			}
			if err := svc2.ImportProducts(ctx, ps); err != nil {
				t.Fatal(err)
			}
		} else {
			cs, rep, err := svc2.PlanCustomers(ctx, back, catalogio.Guess(back.Header, catalogio.CustomerFields))
			if err != nil || len(rep.Refused) > 0 {
				t.Fatalf("re-import customers: %v %+v", err, rep.Refused)
			}
			if err := svc2.ImportCustomers(ctx, cs); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, _ := svc.ExportProducts(ctx)
	b, _ := svc2.ExportProducts(ctx)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("products after the round trip differ:\n%v\n%v", a, b)
	}
	a, _ = svc.ExportCustomers(ctx)
	b, _ = svc2.ExportCustomers(ctx)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("customers after the round trip differ:\n%v\n%v", a, b)
	}
	if _, err := st2.AllProducts(ctx); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkImport50000ProductsXLSX: read an XLSX of 50,000 products, plan
// them against the SAT catalogs and the stored codes, and import them in
// one transaction — the whole "Importar" path, into a file. Target: under
// 10 s.
func BenchmarkImport50000ProductsXLSX(b *testing.B) {
	benchImport50000(b, func(b *testing.B) catalogio.Store {
		_, st := newService(b)
		return st
	})
}

// BenchmarkImport50000ProductsXLSXPostgres is the same path into a fresh
// database on the tests' PostgreSQL server (FOLIO_TEST_POSTGRES).
func BenchmarkImport50000ProductsXLSXPostgres(b *testing.B) {
	postgres.TestServer(b)
	benchImport50000(b, func(b *testing.B) catalogio.Store { return postgres.MustOpenTest(b) })
}

func benchImport50000(b *testing.B, open func(b *testing.B) catalogio.Store) {
	rows := [][]string{catalogio.ProductsTable(nil).Header}
	for i := 0; i < 50_000; i++ {
		rows = append(rows, []string{fmt.Sprintf("P%06d", i), fmt.Sprintf("Producto de prueba %d", i), "Pieza", "43211503", "H87",
			"199.90", "02", "0.16", "", "0", "0", "0", "sí", "no", "5"})
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "productos", catalogio.Table{Header: rows[0], Rows: rows[1:]}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	testCatalogs(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := open(b)
		svc := &catalogio.Service{Store: st, Catalogs: testCatalogs(b)}
		ctx := context.Background()
		b.StartTimer()
		tab, err := Read("productos.xlsx", data)
		if err != nil {
			b.Fatal(err)
		}
		ps, rep, err := svc.PlanProducts(ctx, tab, catalogio.Guess(tab.Header, catalogio.ProductFields))
		if err != nil || rep.Accepted != 50_000 {
			b.Fatalf("plan: %+v %v", rep.Refused[:min(3, len(rep.Refused))], err)
		}
		if err := svc.ImportProducts(ctx, ps); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		codes, _ := st.ProductCodes(ctx)
		if len(codes) != 50_000 {
			b.Fatalf("stored %d products", len(codes))
		}
		b.StartTimer()
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
