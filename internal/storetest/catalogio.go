package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/sales"
)

// CatalogStore is what the catalogs' import and export (package
// catalogio) needs from a store, with the catalogs' own ports that read
// what an import stored.
type CatalogStore interface {
	catalogio.Store
	sales.ProductStore
	sales.CustomerStore
}

// importBatch is the rows of one multi-row INSERT of the stores' imports
// (catalogsql.ImportBatch): the tests cross its edges.
const importBatch = 500

// RunCatalogIO runs the contract of the catalogs' import and export
// against the stores open returns (new, empty, fully migrated, closed when
// t ends).
func RunCatalogIO(t *testing.T, open func(t *testing.T) CatalogStore) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, s CatalogStore)
	}{
		{"ImportProductsInBatches", testImportProducts},
		{"ImportCustomersRefusesATakenRFC", testImportCustomers},
		{"ConcurrentCustomerImports", testConcurrentCustomerImports},
		{"ExportWholeCatalogs", testExportCatalogs},
		{"FindAll", testFindAll},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// importProducts makes n valid products P00000… for an import, every
// other one sold without stock down to a minimum of 2.5.
func importProducts(n int) []sales.Product {
	base := sales.DemoProducts()[0]
	ps := make([]sales.Product, n)
	for i := range ps {
		ps[i] = base
		ps[i].ID = 0
		ps[i].Code = fmt.Sprintf("P%05d", i)
		ps[i].Description = fmt.Sprintf("Tornillo importado %d", i)
		if i%2 == 1 {
			ps[i].TrackStock, ps[i].SellWithoutStock, ps[i].MinStock = true, true, decimal.RequireFromString("2.5")
		}
	}
	return ps
}

// importCustomers makes n valid customers AAA000000000… for an import.
func importCustomers(n int) []sales.Customer {
	cs := make([]sales.Customer, n)
	for i := range cs {
		cs[i] = sales.DemoCustomers()[0]
		cs[i].ID = 0
		cs[i].RFC, cs[i].Name = fmt.Sprintf("AAA%09d", i), fmt.Sprintf("Cliente importado %d", i)
	}
	return cs
}

// testImportProducts: an import larger than one multi-row INSERT (a full
// batch and a partial one) stores every product with its own id, findable
// by the search a product saved alone gets, with every field; a code
// taken in the second batch refuses the whole import, names the code and
// leaves the catalog as it was.
func testImportProducts(t *testing.T, s CatalogStore) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		n     int
		taken int // index of a code created before the import, -1 none
	}{
		{"one row", 1, -1},
		{"exactly one batch", importBatch, -1},
		{"taken in the second batch", importBatch + 37, importBatch + 5},
		{"a batch and a part", importBatch + 37, -1},
	} {
		ps := importProducts(tt.n)
		for i := range ps {
			ps[i].Code = fmt.Sprintf("%s-%s", strings.ReplaceAll(tt.name, " ", "-"), ps[i].Code)
		}
		before, err := s.ProductCodes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tt.taken >= 0 {
			p := ps[tt.taken]
			if err := s.CreateProduct(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		err = s.ImportProducts(ctx, ps)
		codes, _ := s.ProductCodes(ctx)
		if tt.taken >= 0 {
			if domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), ps[tt.taken].Code) {
				t.Fatalf("%s: import = %v, want a Conflict naming %s", tt.name, err, ps[tt.taken].Code)
			}
			if len(codes) != len(before)+1 {
				t.Errorf("%s: after a refused import the catalog has %d products, want %d", tt.name, len(codes), len(before)+1)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(codes) != len(before)+tt.n || !codes[strings.ToUpper(ps[tt.n-1].Code)] {
			t.Fatalf("%s: catalog has %d codes, want %d with %s upper-cased", tt.name, len(codes), len(before)+tt.n, ps[tt.n-1].Code)
		}
		for _, i := range []int{0, tt.n / 2, tt.n - 1} {
			got, err := s.FindProductByID(ctx, ps[i].ID)
			if err != nil || got.Code != ps[i].Code || !got.Price.Equal(ps[i].Price) || got.Description != ps[i].Description {
				t.Errorf("%s: product %d: id %d holds %+v (%v), want %q", tt.name, i, ps[i].ID, got, err, ps[i].Code)
			}
			found, err := s.FindProducts(ctx, sales.ProductFilter{Query: fmt.Sprintf("importado %d", i), Limit: 5})
			if err != nil || len(found) == 0 {
				t.Errorf("%s: search for product %d found %d, %v", tt.name, i, len(found), err)
			}
		}
	}
	all, err := s.AllProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.Code == "a-batch-and-a-part-P00003" {
			if !p.TrackStock || !p.SellWithoutStock || !p.MinStock.Equal(decimal.RequireFromString("2.5")) || !p.CreatedAt.Equal(p.UpdatedAt) || p.CreatedAt.IsZero() {
				t.Errorf("imported product read back = %+v", p)
			}
			return
		}
	}
	t.Error("an imported product is missing from AllProducts")
}

// testImportCustomers: customers are imported with every field and a
// generic RFC as often as it comes; an RFC stored since the plan refuses
// the whole import, naming it.
func testImportCustomers(t *testing.T, s CatalogStore) {
	ctx := context.Background()
	cs := importCustomers(3)
	pg := sales.PublicoGeneral()
	cs = append(cs, pg, pg)
	cs[1].Emails, cs[1].CreditDays, cs[1].CreditLimit = []string{"a@cliente.test", "b@cliente.test"}, 30, decimal.RequireFromString("15000.50")
	if err := s.ImportCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindCustomerByID(ctx, cs[1].ID)
	if err != nil || got.RFC != cs[1].RFC || len(got.Emails) != 2 || got.CreditDays != 30 || !got.CreditLimit.Equal(cs[1].CreditLimit) {
		t.Errorf("imported customer = %+v, %v", got, err)
	}
	if cs[3].ID == 0 || cs[4].ID == 0 || cs[3].ID == cs[4].ID {
		t.Errorf("generic customers got ids %d and %d", cs[3].ID, cs[4].ID)
	}
	rfcs, err := s.CustomerRFCs(ctx)
	if err != nil || len(rfcs) != 4 || !rfcs[cs[2].RFC] || !rfcs[sales.RFCPublicoGeneral] {
		t.Errorf("CustomerRFCs = %v, %v", rfcs, err)
	}

	// Planned against the catalog before another user stored one of its
	// RFCs: nothing is imported.
	next := importCustomers(6)[3:]
	late := next[1]
	if err := s.CreateCustomer(ctx, &late); err != nil {
		t.Fatal(err)
	}
	err = s.ImportCustomers(ctx, append(next, pg))
	if domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), late.RFC) {
		t.Fatalf("import with an RFC taken meanwhile = %v, want a Conflict naming %s", err, late.RFC)
	}
	if all, _ := s.AllCustomers(ctx); len(all) != 6 {
		t.Errorf("after a refused import the catalog has %d customers, want 6", len(all))
	}
}

// testConcurrentCustomerImports: two imports of the same new RFCs at once
// (two workstations): one stores them, the other is refused. Each is
// large enough that the second checks its RFCs while the first still
// inserts (without PostgreSQL's import lock both were stored).
func testConcurrentCustomerImports(t *testing.T, s CatalogStore) {
	ctx := context.Background()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cs := importCustomers(1000)
			cs[0].RFC = fmt.Sprintf("BBB%09d", i) // the rest is the same in both
			errs[i] = s.ImportCustomers(ctx, cs)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two imports of the same RFCs = %v and %v; want one stored, one Conflict", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil && domain.KindOf(err) != domain.Conflict {
			t.Errorf("the refused import = %v, want Conflict", err)
		}
	}
	if all, _ := s.AllCustomers(ctx); len(all) != 1000 {
		t.Errorf("catalog has %d customers, want the 1000 of one import", len(all))
	}
}

// testExportCatalogs: the export reads the whole catalogs, inactive too:
// products by code in byte order, customers by name with A–Z folded (the
// embedded store's NOCASE) then by id.
func testExportCatalogs(t *testing.T, s CatalogStore) {
	ctx := context.Background()
	base := sales.DemoProducts()[0]
	for _, code := range []string{"b-2", "B-1", "a-3", "Ñ-1", "_x"} {
		p := base
		p.Code = code
		if err := s.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if code == "a-3" {
			if err := s.SetProductActive(ctx, p.ID, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	ps, err := s.AllProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range ps {
		codes = append(codes, p.Code)
	}
	if got := strings.Join(codes, " "); got != "B-1 _x a-3 b-2 Ñ-1" {
		t.Errorf("AllProducts codes = %q", got)
	}
	names := []string{"beta", "Alfa", "alfa", "Ángel", "zeta", "Beta"}
	for i, n := range names {
		c := importCustomers(len(names))[i]
		c.Name = n
		if err := s.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := s.AllCustomers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Name)
	}
	if strings.Join(got, " ") != "Alfa alfa beta Beta zeta Ángel" {
		t.Errorf("AllCustomers names = %q", strings.Join(got, " "))
	}
}

// testFindAll: a filter with All returns every match past the 1,000 a
// page may hold (the export of a list), with or without a search.
func testFindAll(t *testing.T, s CatalogStore) {
	ctx := context.Background()
	if err := s.ImportProducts(ctx, importProducts(1100)); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportCustomers(ctx, importCustomers(1100)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		limit int
		all   bool
		want  int
	}{
		{"", 0, false, 100},
		{"", 5000, false, 100},
		{"", 0, true, 1100},
		{"importado", 10, true, 1100},
		{"importado 1099", 0, true, 1},
	} {
		ps, err := s.FindProducts(ctx, sales.ProductFilter{Query: tt.query, Limit: tt.limit, All: tt.all})
		if err != nil || len(ps) != tt.want {
			t.Errorf("FindProducts(%q, limit %d, all %v) = %d, %v; want %d", tt.query, tt.limit, tt.all, len(ps), err, tt.want)
		}
		got, err := s.FindCustomers(ctx, sales.CustomerFilter{Query: tt.query, Limit: tt.limit, All: tt.all})
		if err != nil || len(got) != tt.want {
			t.Errorf("FindCustomers(%q, limit %d, all %v) = %d, %v; want %d", tt.query, tt.limit, tt.all, len(got), err, tt.want)
		}
	}
}
